//! The rules of a booking, the same for a new appointment and a moved one: a known kind,
//! a real time today or later, a plausible length, and neither the practitioner nor the
//! room booked twice. (Whether the client is ready for a session is
//! [`crate::readiness`].)

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime};

use crate::consent::{Appointment, NewAppointment, check_start};
use crate::records::{SHORT_TEXT_CHARS, check_text};

/// Shortest and longest appointment, minutes.
pub const APPOINTMENT_MINUTES: (i64, i64) = (5, 600);

/// Checks the appointment's own fields and returns its start.
pub fn check_fields(a: &NewAppointment) -> Result<DateTime, String> {
    check_text("room", &a.room, SHORT_TEXT_CHARS)?;
    check_start(&a.starts_at)?;
    let (lo, hi) = APPOINTMENT_MINUTES;
    if !(lo..=hi).contains(&a.minutes) {
        return Err(format!("{} minutes is not a plausible length ({lo}–{hi})", a.minutes));
    }
    a.starts_at
        .parse()
        .map_err(|_| format!("starts_at '{}' is not a time; use YYYY-MM-DDTHH:MM", a.starts_at))
}

/// Refuses a start before `today`.
pub fn check_not_past(a: &NewAppointment, start: DateTime, today: Date) -> Result<(), String> {
    if start.date() < today {
        Err(format!("{} is in the past; book today or later", a.starts_at))
    } else {
        Ok(())
    }
}

/// Refuses `a` (starting at `start`) when it overlaps one of `others` of the same
/// practitioner or room; `except` is the appointment being moved.
pub fn check_no_overlap(
    a: &NewAppointment,
    start: DateTime,
    others: &[Appointment],
    except: Option<crate::AppointmentId>,
) -> Result<(), String> {
    let end = start.saturating_add(SignedDuration::from_mins(a.minutes));
    let room = a.room.trim();
    for other in others.iter().filter(|o| Some(o.id) != except) {
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
            return Err(format!(
                "{who} is booked {} for {} minutes then, overlapping {} for {} minutes on {}; choose another time",
                other.starts_at,
                other.minutes,
                a.starts_at,
                a.minutes,
                start.date()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ClinicId;

    fn new(practitioner: i64, starts_at: &str, minutes: i64, room: &str) -> NewAppointment {
        NewAppointment {
            client_id: crate::ClientId(1),
            practitioner_id: crate::UserId(practitioner),
            kind: crate::AppointmentKind::Session,
            starts_at: starts_at.into(),
            minutes,
            room: room.into(),
        }
    }

    fn booked(id: i64, practitioner: i64, starts_at: &str, minutes: i64, room: &str) -> Appointment {
        Appointment {
            id: crate::AppointmentId(id),
            clinic_id: ClinicId(1),
            client_id: crate::ClientId(2),
            practitioner_id: crate::UserId(practitioner),
            kind: crate::AppointmentKind::Session,
            starts_at: starts_at.into(),
            minutes,
            room: room.into(),
            created_at: 0,
            cancelled_at: None,
        }
    }

    #[test]
    fn fields_are_checked_and_the_start_parsed() {
        let start = check_fields(&new(1, "2026-12-18T10:00", 120, "Room 1")).unwrap();
        assert_eq!(start.to_string(), "2026-12-18T10:00:00");
        assert!(check_fields(&new(1, "2026-12-18T10:00", 2, "")).unwrap_err().contains("plausible"));
        assert!(check_fields(&new(1, "2026-02-31T10:00", 60, "")).is_err());
        let day: Date = "2026-12-19".parse().unwrap();
        assert!(
            check_not_past(&new(1, "2026-12-18T10:00", 60, ""), start, day)
                .unwrap_err()
                .contains("past")
        );
        assert!(check_not_past(&new(1, "2026-12-18T10:00", 60, ""), start, "2026-12-18".parse().unwrap()).is_ok());
    }

    #[test]
    fn a_practitioner_or_a_room_is_in_one_appointment_at_a_time() {
        let others = [
            booked(7, 1, "2026-12-18T09:00", 90, "Room 1"),
            booked(8, 2, "2026-12-18T13:00", 60, "room 2"),
        ];
        let at = |s: &str| s.parse::<DateTime>().unwrap();
        // Same practitioner, overlapping by 30 minutes.
        let a = new(1, "2026-12-18T10:00", 60, "");
        assert!(
            check_no_overlap(&a, at("2026-12-18T10:00"), &others, None)
                .unwrap_err()
                .contains("the practitioner")
        );
        // Back to back is fine.
        let b = new(1, "2026-12-18T10:30", 60, "");
        assert!(check_no_overlap(&b, at("2026-12-18T10:30"), &others, None).is_ok());
        // Another practitioner in the same room (any case) is not.
        let c = new(3, "2026-12-18T13:30", 30, "Room 2");
        assert!(
            check_no_overlap(&c, at("2026-12-18T13:30"), &others, None)
                .unwrap_err()
                .contains("the room")
        );
        // Moving appointment 7 onto its own time does not clash with itself.
        assert!(check_no_overlap(&a, at("2026-12-18T10:00"), &others, Some(crate::AppointmentId(7))).is_ok());
    }
}
