//! The treatment plan: treated area, sessions with their impressions and needle time,
//! and a dated schedule with touch-up reminders.

use serde::Serialize;
use smp_design::area::effective_areas;
use smp_design::{Design, RegionKind};
use smp_dots::Impressions;

use crate::constants::{
    DEFAULT_RATE_PER_MIN, DEFAULT_SPACING_DAY, RATE_LIMITS_PER_MIN, RATE_MAX_PER_MIN, RATE_MIN_PER_MIN, SESSION_HOURS, SPACING_LIMITS_DAYS,
    TOUCH_UP_YEARS,
};
use crate::date::CivilDate;
use crate::error::PlanError;

/// Serialise a float rounded to `D` decimals: the JSON shows what is meaningful, while
/// the struct keeps the exact value for computation.
fn rounded<const D: i32, S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    let k = 10f64.powi(D);
    s.serialize_f64((v * k).round() / k)
}

/// A practitioner's needle rate as a range, impressions per minute of needle work.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RateRange {
    /// Slowest rate (gives the longest time).
    pub min: f64,
    /// Typical rate.
    pub typical: f64,
    /// Fastest rate (gives the shortest time).
    pub max: f64,
}

impl Default for RateRange {
    fn default() -> Self {
        RateRange {
            min: RATE_MIN_PER_MIN,
            typical: DEFAULT_RATE_PER_MIN,
            max: RATE_MAX_PER_MIN,
        }
    }
}

impl RateRange {
    /// The range around a practitioner's own typical rate, keeping the default's relative
    /// spread (40–80 around 60, i.e. ×2/3 … ×4/3), since the spread comes from how the work
    /// varies within a session, not from the practitioner's speed.
    pub fn around(typical: f64) -> Result<Self, PlanError> {
        let (lo, hi) = RATE_LIMITS_PER_MIN;
        if !typical.is_finite() || typical < lo || typical > hi {
            return Err(PlanError::BadInput(format!(
                "needle rate {typical} impressions/min is out of range: give {lo}–{hi} (default {DEFAULT_RATE_PER_MIN})"
            )));
        }
        let d = RateRange::default();
        Ok(RateRange {
            min: typical * d.min / d.typical,
            typical,
            max: typical * d.max / d.typical,
        })
    }
}

/// Settings of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    /// Needle rate range.
    pub rate: RateRange,
    /// Days between sessions.
    pub spacing_days: u32,
    /// Date of session 1; without it the schedule is undated.
    pub start: Option<CivilDate>,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            rate: RateRange::default(),
            spacing_days: DEFAULT_SPACING_DAY,
            start: None,
        }
    }
}

/// One region's treated area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionArea {
    /// Region name.
    pub name: String,
    /// Region kind.
    pub kind: RegionKind,
    /// Effective area (after holes and overlaps), cm².
    #[serde(serialize_with = "rounded::<2, _>")]
    pub area_cm2: f64,
}

/// One session of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionPlan {
    /// Session, 1-based.
    pub session: u8,
    /// Impressions placed in this session (counted from the generated impressions).
    pub impressions: usize,
    /// Needle minutes at the fastest rate.
    #[serde(serialize_with = "rounded::<1, _>")]
    pub minutes_min: f64,
    /// Needle minutes at the slowest rate.
    #[serde(serialize_with = "rounded::<1, _>")]
    pub minutes_max: f64,
    /// Needle minutes at the typical rate.
    #[serde(serialize_with = "rounded::<1, _>")]
    pub minutes_typical: f64,
    /// Share of all impressions placed by the end of this session.
    #[serde(serialize_with = "rounded::<4, _>")]
    pub cumulative_fraction: f64,
    /// Date of the session, when the plan has a start date.
    pub date: Option<CivilDate>,
}

/// A touch-up reminder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TouchUp {
    /// Years after the last session.
    pub years: u32,
    /// Date of the reminder, when the plan has a start date.
    pub date: Option<CivilDate>,
}

/// A treatment plan for one design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Design name.
    pub design: String,
    /// Treated area (regions that get dots), cm².
    #[serde(serialize_with = "rounded::<2, _>")]
    pub area_cm2: f64,
    /// Per region, in design order (exclude regions included, with their own area).
    pub regions: Vec<RegionArea>,
    /// All impressions.
    pub impressions: usize,
    /// Per session.
    pub sessions: Vec<SessionPlan>,
    /// Days between sessions.
    pub spacing_days: u32,
    /// Needle rate used, impressions/min.
    pub rate_per_min: RateRange,
    /// Touch-up interval, years (3–5, clinic practice).
    pub touch_up_years: [u32; 2],
    /// Touch-up reminders after the last session.
    pub touch_ups: Vec<TouchUp>,
    /// Advice on the plan in the practitioner's words, e.g. to add a session when one
    /// needs more needle time than a session lasts.
    pub advice: Vec<String>,
}

/// Advice for sessions whose needle time at the slower end of the rate is longer than a
/// session lasts in practice (domain.md: 2–5 hours): how many sessions the work fits in.
fn long_session_advice(sessions: &[SessionPlan]) -> Vec<String> {
    let limit_min = SESSION_HOURS.1 * 60.0;
    let long: Vec<&SessionPlan> = sessions.iter().filter(|s| s.minutes_max > limit_min).collect();
    if long.is_empty() {
        return Vec::new();
    }
    let total_min: f64 = sessions.iter().map(|s| s.minutes_max).sum();
    let needed = (total_min / limit_min).ceil() as usize;
    let which: Vec<String> = long
        .iter()
        .map(|s| format!("session {} needs up to {:.1} h", s.session, s.minutes_max / 60.0))
        .collect();
    vec![format!(
        "{} of needle work, longer than the {:.0} hours a session lasts in practice: plan at least {needed} sessions instead of {}, so no session runs over.",
        which.join(" and "),
        SESSION_HOURS.1,
        sessions.len()
    )]
}

impl Plan {
    /// The plan of `design` from its generated impressions `imp`.
    pub fn new(design: &Design, imp: &Impressions, opts: &PlanOptions) -> Result<Plan, PlanError> {
        let (lo, hi) = SPACING_LIMITS_DAYS;
        if !(lo..=hi).contains(&opts.spacing_days) {
            return Err(PlanError::BadInput(format!(
                "session spacing {} days is out of range: sessions are {lo}–{hi} days apart",
                opts.spacing_days
            )));
        }
        let rate = opts.rate;
        if !(rate.min > 0.0 && rate.min <= rate.typical && rate.typical <= rate.max) {
            return Err(PlanError::BadInput(format!(
                "needle rate range {}–{} (typical {}) must be positive and ordered",
                rate.min, rate.max, rate.typical
            )));
        }
        let areas = effective_areas(design);
        let regions: Vec<RegionArea> = design
            .regions()
            .iter()
            .zip(&areas)
            .map(|(r, a)| RegionArea {
                name: r.name.clone(),
                kind: r.kind,
                area_cm2: a.0,
            })
            .collect();
        let area_cm2 = regions.iter().filter(|r| r.kind != RegionKind::Exclude).map(|r| r.area_cm2).sum();
        let total = imp.dots.len();
        let mut sessions = Vec::new();
        let mut cum = 0;
        for s in 1..=design.sessions().count() as u8 {
            let n = imp.dots.iter().filter(|d| d.session == s).count();
            cum += n;
            sessions.push(SessionPlan {
                session: s,
                impressions: n,
                minutes_min: n as f64 / rate.max,
                minutes_max: n as f64 / rate.min,
                minutes_typical: n as f64 / rate.typical,
                cumulative_fraction: if total > 0 { cum as f64 / total as f64 } else { 0.0 },
                date: opts.start.map(|d| d.add_days(i64::from(s - 1) * i64::from(opts.spacing_days))),
            });
        }
        let last = sessions.last().and_then(|s| s.date);
        let touch_ups = [TOUCH_UP_YEARS.0, TOUCH_UP_YEARS.1]
            .into_iter()
            .map(|years| TouchUp {
                years,
                date: last.map(|d| d.add_years(years as i32)),
            })
            .collect();
        let advice = long_session_advice(&sessions);
        Ok(Plan {
            advice,
            design: design.name().to_string(),
            area_cm2,
            regions,
            impressions: total,
            sessions,
            spacing_days: opts.spacing_days,
            rate_per_min: rate,
            touch_up_years: [TOUCH_UP_YEARS.0, TOUCH_UP_YEARS.1],
            touch_ups,
        })
    }

    /// Total needle minutes over all sessions, (fastest, slowest).
    pub fn total_minutes(&self) -> (f64, f64) {
        self.sessions
            .iter()
            .fold((0.0, 0.0), |(a, b), s| (a + s.minutes_min, b + s.minutes_max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smp_design::Pattern;

    fn square(sessions: &str) -> Design {
        let text = format!(
            r#"{{"format":"smp-design","version":1,"name":"sq","seed":3,
            "regions":[{{"name":"top","kind":"treat","polygon":[[0,0],[100,0],[100,100],[0,100]],
            "density_per_cm2":20,"dot_diameter_mm":0.25,"shade":0.8}}],
            "sessions":{{"cumulative":{sessions}}}}}"#
        );
        Design::parse(&text).unwrap()
    }

    #[test]
    fn square_of_100_mm_is_100_cm2_and_minutes_follow_the_impressions() {
        let d = square("[0.3,0.7,1.0]");
        let imp = smp_dots::generate(&d);
        let p = Plan::new(&d, &imp, &PlanOptions::default()).unwrap();
        assert!((p.area_cm2 - 100.0).abs() < 1e-9, "{}", p.area_cm2);
        assert_eq!(p.sessions.len(), 3);
        assert_eq!(p.sessions.iter().map(|s| s.impressions).sum::<usize>(), imp.dots.len());
        assert_eq!(p.impressions, imp.dots.len());
        for s in &p.sessions {
            assert_eq!(s.impressions, imp.dots.iter().filter(|x| x.session == s.session).count());
            assert!((s.minutes_min - s.impressions as f64 / 80.0).abs() < 1e-9);
            assert!((s.minutes_max - s.impressions as f64 / 40.0).abs() < 1e-9);
            assert!((s.minutes_typical - s.impressions as f64 / 60.0).abs() < 1e-9);
            assert!(s.minutes_min < s.minutes_typical && s.minutes_typical < s.minutes_max);
            assert_eq!(s.date, None);
        }
        assert_eq!(p.sessions[2].cumulative_fraction, 1.0);
        // ~2000 impressions at 20/cm²: the session counts follow the 30/70/100 layering.
        assert!((p.sessions[0].cumulative_fraction - 0.3).abs() < 0.02);
    }

    #[test]
    fn schedule_is_spaced_and_touch_ups_follow_the_last_session() {
        let d = square("[0.5,1.0]");
        let imp = smp_dots::generate(&d);
        let opts = PlanOptions {
            spacing_days: 14,
            start: Some(CivilDate::parse("2026-12-24").unwrap()),
            ..Default::default()
        };
        let p = Plan::new(&d, &imp, &opts).unwrap();
        let dates: Vec<String> = p.sessions.iter().map(|s| s.date.unwrap().to_string()).collect();
        assert_eq!(dates, ["2026-12-24", "2027-01-07"]);
        let t: Vec<String> = p.touch_ups.iter().map(|t| t.date.unwrap().to_string()).collect();
        assert_eq!(t, ["2030-01-07", "2032-01-07"]);
        assert_eq!(p.touch_up_years, [3, 5]);
        for bad in [6, 31] {
            let o = PlanOptions {
                spacing_days: bad,
                ..Default::default()
            };
            assert!(Plan::new(&d, &imp, &o).is_err(), "{bad}");
        }
    }

    #[test]
    fn rate_range_scales_and_rejects_nonsense() {
        let r = RateRange::around(90.0).unwrap();
        assert!((r.min - 60.0).abs() < 1e-9 && (r.max - 120.0).abs() < 1e-9);
        for bad in [0.0, -5.0, f64::NAN, 1e6] {
            assert!(RateRange::around(bad).is_err());
        }
    }

    #[test]
    fn full_head_time_is_in_the_clinical_range() {
        // domain.md: a full head is roughly 8–15 hours of work over 2–4 sessions.
        let d = Pattern::Norwood(6).template().unwrap();
        let imp = smp_dots::generate(&d);
        let p = Plan::new(&d, &imp, &PlanOptions::default()).unwrap();
        let (lo, hi) = p.total_minutes();
        assert!(lo / 60.0 > 2.0 && hi / 60.0 < 15.0, "{lo}–{hi} min");
    }

    #[test]
    fn a_session_longer_than_a_working_session_gets_advice_to_split() {
        // 100 cm² at 150 dots/cm² in one session: over 15,000 impressions, more than 6 h at
        // the slow end (40 a minute), over the 5 hours a session lasts (domain.md).
        let text = r#"{"format":"smp-design","version":1,"name":"dense","seed":3,
            "regions":[{"name":"top","kind":"treat","polygon":[[0,0],[100,0],[100,100],[0,100]],
            "density_per_cm2":150,"dot_diameter_mm":0.25,"shade":0.8}],
            "sessions":{"cumulative":[1.0]}}"#;
        let d = Design::parse(text).unwrap();
        let imp = smp_dots::generate(&d);
        let p = Plan::new(&d, &imp, &PlanOptions::default()).unwrap();
        assert_eq!(p.advice.len(), 1, "{:?}", p.advice);
        let hours = p.sessions[0].minutes_max / 60.0;
        assert!(hours > 5.0, "{hours} h");
        assert!(
            p.advice[0].contains(&format!("session 1 needs up to {hours:.1} h")),
            "{}",
            p.advice[0]
        );
        assert!(p.advice[0].contains("at least 2 sessions instead of 1"), "{}", p.advice[0]);
        let light = square("[0.3,0.7,1.0]");
        let p = Plan::new(&light, &smp_dots::generate(&light), &PlanOptions::default()).unwrap();
        assert!(p.advice.is_empty(), "{:?}", p.advice);
    }
}
