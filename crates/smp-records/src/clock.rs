//! Clinic time. Each clinic keeps its own time zone (an IANA name such as
//! Europe/London; the zone database ships inside the program, so no system tzdata is
//! needed): appointments are entered and shown in it, "today" is the clinic's today,
//! and record times (Unix seconds) are shown in it.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// The zone of a clinic that has not chosen one and whose server's own is unknown.
pub const DEFAULT_TIME_ZONE: &str = "UTC";

/// The zone named `name`, or why not.
pub fn zone(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name.trim())
        .map_err(|_| format!("time zone '{name}' is unknown; choose one from the list, such as Europe/London, America/New_York or UTC"))
}

/// The zone named `name`, or UTC for a name that no longer resolves (a stored name is
/// checked when set; this only guards against a database older than this program).
pub fn zone_or_utc(name: &str) -> TimeZone {
    zone(name).unwrap_or(TimeZone::UTC)
}

/// The server's own zone name when it has one, else [`DEFAULT_TIME_ZONE`] (a new
/// clinic starts in the zone of the computer it runs on).
pub fn system_zone_name() -> String {
    TimeZone::try_system()
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_string))
        .filter(|n| zone(n).is_ok())
        .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_string())
}

/// Every zone name the program knows, sorted.
pub fn zone_names() -> Vec<String> {
    let mut v: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
    v.sort();
    v
}

/// Today's date in the clinic's zone.
pub fn today_in(tz_name: &str) -> Date {
    Timestamp::now().to_zoned_datetime(zone_or_utc(tz_name)).date()
}

/// A record time (Unix seconds) as the clinic's local date and time, "2026-12-07 09:45".
pub fn local_time(unix: i64, tz_name: &str) -> String {
    match Timestamp::from_second(unix) {
        Ok(t) => t.to_zoned_datetime(zone_or_utc(tz_name)).strftime("%Y-%m-%d %H:%M").to_string(),
        Err(_) => format!("{unix} s"),
    }
}

/// An appointment's start (clinic local, `YYYY-MM-DDTHH:MM`) as people read it:
/// "Fri 18 Dec 2026, 10:00".
pub fn describe_start(starts_at: &str) -> String {
    match starts_at.parse::<DateTime>() {
        Ok(dt) => dt.strftime("%a %-d %b %Y, %H:%M").to_string(),
        Err(_) => starts_at.replacen('T', " ", 1),
    }
}

/// An appointment's start (clinic local) as an instant, for calendar feeds; `None` for
/// a time the clock skips (the hour lost to daylight saving is taken as the next valid
/// time by jiff's compatible rule, so only an unparsable time fails).
pub fn start_instant(starts_at: &str, tz_name: &str) -> Option<ZonedDateTime> {
    starts_at.parse::<DateTime>().ok()?.to_zoned_datetime(zone_or_utc(tz_name)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_resolve_from_the_bundled_database_and_times_read_in_them() {
        assert!(zone("Europe/London").is_ok());
        assert!(zone("Mars/Olympus").unwrap_err().contains("unknown"));
        assert!(zone_names().iter().any(|n| n == "America/New_York"));
        // 2026-07-01 12:00 UTC is 13:00 in London (BST) and 08:00 in New York (EDT).
        let noon = 1_782_907_200;
        assert_eq!(local_time(noon, "UTC"), "2026-07-01 12:00");
        assert_eq!(local_time(noon, "Europe/London"), "2026-07-01 13:00");
        assert_eq!(local_time(noon, "America/New_York"), "2026-07-01 08:00");
        assert_eq!(describe_start("2026-12-18T10:00"), "Fri 18 Dec 2026, 10:00");
        let t = start_instant("2026-12-18T10:00", "America/New_York").unwrap();
        assert_eq!(t.timestamp().to_string(), "2026-12-18T15:00:00Z");
    }
}
