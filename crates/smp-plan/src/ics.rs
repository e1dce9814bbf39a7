//! The schedule as an iCalendar file (RFC 5545): one all-day event per session and one
//! per touch-up reminder, CRLF line endings, long lines folded at 75 octets.

use crate::date::CivilDate;
use crate::error::PlanError;
use crate::plan::Plan;

/// Escape TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma, newline.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Append one content line, folded so no line exceeds 75 octets (RFC 5545 §3.1); a fold
/// never splits a UTF-8 character.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A UID-safe slug of the design name.
fn slug(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    s.trim_matches('-').to_string()
}

fn event(out: &mut String, uid: &str, stamp: &str, date: CivilDate, summary: &str, description: &str) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{uid}"));
    line(out, &format!("DTSTAMP:{stamp}"));
    line(out, &format!("DTSTART;VALUE=DATE:{}", date.basic()));
    // All-day events end (exclusively) on the next day.
    line(out, &format!("DTEND;VALUE=DATE:{}", date.add_days(1).basic()));
    line(out, &format!("SUMMARY:{}", escape(summary)));
    line(out, &format!("DESCRIPTION:{}", escape(description)));
    line(out, "TRANSP:TRANSPARENT");
    line(out, "END:VEVENT");
}

/// The plan's schedule as an iCalendar file. `dtstamp` is the creation time in UTC as
/// `YYYYMMDDTHHMMSSZ` (see [`utc_stamp_now`]); the plan must have dates.
pub fn calendar(plan: &Plan, client: &str, dtstamp: &str) -> Result<String, PlanError> {
    let first = plan
        .sessions
        .first()
        .and_then(|s| s.date)
        .ok_or_else(|| PlanError::BadInput("the schedule has no dates: give a start date".into()))?;
    let base = format!("{}-{}", slug(client), first.basic());
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//SMP Studio//smp-plan//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    let n = plan.sessions.len();
    for s in &plan.sessions {
        let date = s.date.expect("every session is dated when the first is");
        let hours = |m: f64| m / 60.0;
        event(
            &mut out,
            &format!("{base}-session-{}@smp-studio", s.session),
            dtstamp,
            date,
            &format!("SMP session {} of {n}: {client}", s.session),
            &format!(
                "{} impressions, about {:.1}–{:.1} h of needle work ({:.0} % of the treatment done after this session).",
                s.impressions,
                hours(s.minutes_min),
                hours(s.minutes_max),
                s.cumulative_fraction * 100.0
            ),
        );
    }
    for t in &plan.touch_ups {
        let Some(date) = t.date else { continue };
        event(
            &mut out,
            &format!("{base}-touch-up-{}y@smp-studio", t.years),
            dtstamp,
            date,
            &format!("SMP touch-up reminder ({} years): {client}", t.years),
            &format!(
                "SMP fades over the years; a touch-up is usual every {}–{} years (clinic practice). Book a check.",
                plan.touch_up_years[0], plan.touch_up_years[1]
            ),
        );
    }
    line(&mut out, "END:VCALENDAR");
    Ok(out)
}

/// The current time in UTC as an iCalendar DATE-TIME (`YYYYMMDDTHHMMSSZ`).
pub fn utc_stamp_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}{:02}{:02}Z",
        CivilDate::from_epoch_days(days).basic(),
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{PlanOptions, RateRange};
    use smp_design::Design;

    fn plan(start: Option<&str>) -> Plan {
        let d = Design::parse(
            r#"{"format":"smp-design","version":1,"name":"Mr Smith; crown","seed":3,
            "regions":[{"name":"top","kind":"treat","polygon":[[0,0],[40,0],[40,40],[0,40]],
            "density_per_cm2":20,"dot_diameter_mm":0.25,"shade":0.8}]}"#,
        )
        .unwrap();
        let imp = smp_dots::generate(&d);
        let opts = PlanOptions {
            rate: RateRange::default(),
            spacing_days: 10,
            start: start.map(|s| CivilDate::parse(s).unwrap()),
        };
        Plan::new(&d, &imp, &opts).unwrap()
    }

    #[test]
    fn calendar_is_well_formed() {
        let p = plan(Some("2026-01-05"));
        let ics = calendar(
            &p,
            "Mr Smith, crown; a very long client name that needs folding at seventy-five octets",
            "20260101T090000Z",
        )
        .unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        // Every line ends in CRLF and is at most 75 octets.
        assert!(!ics.replace("\r\n", "").contains('\n'));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = ics.replace("\r\n ", "");
        let n = p.sessions.len() + 2;
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), n);
        assert_eq!(unfolded.matches("END:VEVENT").count(), n);
        assert_eq!(unfolded.matches("DTSTAMP:20260101T090000Z").count(), n);
        for date in ["20260105", "20260115", "20260125", "20290125", "20310125"] {
            assert!(unfolded.contains(&format!("DTSTART;VALUE=DATE:{date}\r\n")), "{date}");
        }
        let uids: std::collections::BTreeSet<&str> = unfolded.lines().filter(|l| l.starts_with("UID:")).collect();
        assert_eq!(uids.len(), n, "UIDs are unique");
        assert!(unfolded.contains("SUMMARY:SMP session 1 of 3: Mr Smith\\, crown\\; a very long"));
    }

    #[test]
    fn undated_plan_has_no_calendar_and_stamp_is_utc() {
        assert!(calendar(&plan(None), "x", "20260101T000000Z").is_err());
        let s = utc_stamp_now();
        assert_eq!(s.len(), 16);
        assert!(s.ends_with('Z') && s.as_bytes()[8] == b'T');
    }
}

/// One event of a calendar feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEvent {
    /// Unique id (stable across feed refreshes).
    pub uid: String,
    /// Day.
    pub date: CivilDate,
    /// Start as (hour, minute); `None` for an all-day event.
    pub start: Option<(u32, u32)>,
    /// Whether `date` and `start` are UTC (written with `Z`, so every calendar shows
    /// the event at the right instant wherever it is); else floating local time.
    pub utc: bool,
    /// Length, minutes (timed events).
    pub minutes: u32,
    /// Title.
    pub summary: String,
    /// Details.
    pub description: String,
}

/// A calendar feed (appointments and reminders): timed events in UTC or floating local
/// time, all-day events as dates.
pub fn feed(name: &str, dtstamp: &str, events: &[FeedEvent]) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//SMP Studio//Calendar feed//EN");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        match e.start {
            None => event(&mut out, &e.uid, dtstamp, e.date, &e.summary, &e.description),
            Some((h, m)) => {
                let end_total = h * 60 + m + e.minutes;
                let end_date = e.date.add_days(i64::from(end_total / (24 * 60)));
                let (eh, em) = ((end_total / 60) % 24, end_total % 60);
                line(&mut out, "BEGIN:VEVENT");
                line(&mut out, &format!("UID:{}", e.uid));
                line(&mut out, &format!("DTSTAMP:{dtstamp}"));
                let z = if e.utc { "Z" } else { "" };
                line(&mut out, &format!("DTSTART:{}T{h:02}{m:02}00{z}", e.date.basic()));
                line(&mut out, &format!("DTEND:{}T{eh:02}{em:02}00{z}", end_date.basic()));
                line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
                line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
                line(&mut out, "END:VEVENT");
            }
        }
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod feed_tests {
    use super::*;

    #[test]
    fn timed_events_cross_midnight_and_all_day_events_are_dates() {
        let d = CivilDate::parse("2026-12-31").unwrap();
        let ev = |start, minutes| FeedEvent {
            uid: "u1@smp".into(),
            date: d,
            start,
            utc: false,
            minutes,
            summary: "Session; Sam, 2".into(),
            description: "x".into(),
        };
        let text = feed("Dr A", "20261127T100000Z", &[ev(Some((23, 30)), 90), ev(None, 0)]);
        assert!(
            text.contains("DTSTART:20261231T233000\r\n") && text.contains("DTEND:20270101T010000\r\n"),
            "{text}"
        );
        assert!(text.contains("DTSTART;VALUE=DATE:20261231\r\n"));
        let utc = FeedEvent {
            utc: true,
            ..ev(Some((9, 0)), 30)
        };
        let text = feed("Dr A", "20261127T100000Z", &[utc]);
        assert!(
            text.contains("DTSTART:20261231T090000Z\r\n") && text.contains("DTEND:20261231T093000Z\r\n"),
            "{text}"
        );
        assert!(text.contains("SUMMARY:Session\\; Sam\\, 2\r\n"));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    }
}
