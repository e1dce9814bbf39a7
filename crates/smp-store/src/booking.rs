//! The rules of a booking, the same for a new appointment and a moved one: a known kind,
//! a real time today or later, a plausible length, a client ready for a tattoo session
//! (for sessions), and neither the practitioner nor the room booked twice.

use jiff::civil::DateTime;
use jiff::{SignedDuration, Span};

use crate::consent::{APPOINTMENT_KINDS, NewAppointment, check_start};
use crate::records::{SHORT_TEXT_CHARS, check_text};
use crate::{ClinicId, Store, StoreError, StoreResult};

fn bad(msg: String) -> StoreError {
    StoreError::BadInput(msg)
}

/// Checks `a` against the clinic's bookings, ignoring appointment `except` (the one being
/// moved).
pub async fn check_booking<S: Store + ?Sized>(store: &S, clinic: ClinicId, a: &NewAppointment, except: Option<i64>) -> StoreResult<()> {
    check_text("room", &a.room, SHORT_TEXT_CHARS).map_err(bad)?;
    if !APPOINTMENT_KINDS.contains(&a.kind.as_str()) {
        return Err(bad(format!(
            "appointment kind '{}' is unknown; use consultation, session or touch-up",
            a.kind
        )));
    }
    check_start(&a.starts_at).map_err(bad)?;
    if !(5..=600).contains(&a.minutes) {
        return Err(bad(format!("{} minutes is not a plausible length (5–600)", a.minutes)));
    }
    store.client(clinic, a.client_id).await?;
    let start: DateTime = a
        .starts_at
        .parse()
        .map_err(|_| bad(format!("starts_at '{}' is not a time; use YYYY-MM-DDTHH:MM", a.starts_at)))?;
    if a.kind == "session" {
        let blockers = crate::readiness::session_blockers(store, clinic, a.client_id, start.date()).await?;
        if !blockers.is_empty() {
            return Err(StoreError::NotReady(blockers));
        }
    }
    store.user(clinic, a.practitioner_id).await?;
    let today = jiff::tz::TimeZone::UTC.to_datetime(jiff::Timestamp::now()).date();
    if start.date() < today {
        return Err(bad(format!("{} is in the past; book today or later", a.starts_at)));
    }
    // The practitioner and the room can be in one appointment at a time; the day before
    // is read too, for appointments running past midnight.
    let end = start.saturating_add(SignedDuration::from_mins(a.minutes));
    let from = start.date().saturating_sub(Span::new().days(1)).to_string();
    let until = start.date().saturating_add(Span::new().days(1)).to_string();
    let room = a.room.trim();
    for other in store.appointments_between(clinic, &from, &until).await? {
        if Some(other.id) == except {
            continue;
        }
        let Ok(o_start) = other.starts_at.parse::<DateTime>() else {
            continue;
        };
        let o_end = o_start.saturating_add(SignedDuration::from_mins(other.minutes));
        let overlaps = o_start < end && start < o_end;
        let same_room = !room.is_empty() && other.room.trim().eq_ignore_ascii_case(room);
        if overlaps && (other.practitioner_id == a.practitioner_id || same_room) {
            let who = if other.practitioner_id == a.practitioner_id {
                "the practitioner"
            } else {
                "the room"
            };
            return Err(bad(format!(
                "{who} is booked {} for {} minutes then, overlapping {} for {} minutes on {}; choose another time",
                other.starts_at,
                other.minutes,
                a.starts_at,
                a.minutes,
                start.date()
            )));
        }
    }
    Ok(())
}
