//! A tiny proleptic-Gregorian calendar date, enough for a treatment schedule; the
//! conversions are Howard Hinnant's `days_from_civil`/`civil_from_days`, which keeps the
//! crate free of a date-time dependency.

use std::fmt;

use crate::error::PlanError;

/// A calendar date (proleptic Gregorian), years 1..=9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    /// Year.
    pub year: i32,
    /// Month 1..=12.
    pub month: u32,
    /// Day 1..=31.
    pub day: u32,
}

/// Whether `y` is a leap year.
fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` of year `y`.
fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl CivilDate {
    /// A checked date.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Self, PlanError> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(PlanError::BadInput(format!("{year:04}-{month:02}-{day:02} is not a calendar date")));
        }
        Ok(CivilDate { year, month, day })
    }

    /// Parse `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, PlanError> {
        let bad = || PlanError::BadInput(format!("date {s:?} must be YYYY-MM-DD, e.g. 2026-03-01"));
        let parts: Vec<&str> = s.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else { return Err(bad()) };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let num = |t: &str| t.parse::<u32>().map_err(|_| bad());
        Self::new(num(y)? as i32, num(m)?, num(d)?)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_from_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_epoch_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        CivilDate { year, month, day }
    }

    /// The date `n` days later.
    pub fn add_days(self, n: i64) -> Self {
        Self::from_epoch_days(self.days_from_epoch() + n)
    }

    /// The same day `n` years later (29 February becomes 28 February in common years).
    pub fn add_years(self, n: i32) -> Self {
        let year = self.year + n;
        CivilDate {
            year,
            month: self.month,
            day: self.day.min(days_in_month(year, self.month)),
        }
    }

    /// `YYYYMMDD`, the iCalendar DATE form.
    pub fn basic(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for CivilDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_round_trip_and_known_days() {
        assert_eq!(CivilDate::new(1970, 1, 1).unwrap().days_from_epoch(), 0);
        assert_eq!(CivilDate::new(2000, 3, 1).unwrap().days_from_epoch(), 11_017);
        assert_eq!(CivilDate::new(1969, 12, 31).unwrap().days_from_epoch(), -1);
        for d in (-800_000..800_000).step_by(997) {
            assert_eq!(CivilDate::from_epoch_days(d).days_from_epoch(), d);
        }
    }

    #[test]
    fn parse_add_and_reject() {
        let d = CivilDate::parse("2024-02-20").unwrap();
        assert_eq!(d.add_days(14).to_string(), "2024-03-05");
        assert_eq!(d.add_days(-51).to_string(), "2023-12-31");
        assert_eq!(CivilDate::parse("2024-02-29").unwrap().add_years(1).to_string(), "2025-02-28");
        assert_eq!(d.basic(), "20240220");
        for bad in ["2023-02-29", "2024-13-01", "24-01-01", "2024/01/01", "2024-1-1", "x"] {
            assert!(CivilDate::parse(bad).is_err(), "{bad}");
        }
    }
}
