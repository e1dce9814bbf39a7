//! Gathers what the booking rules ([`smp_records::booking`]) need: the client, the
//! practitioner, their readiness for a session and the neighbouring appointments.

use jiff::Span;
use smp_records::booking::{check_fields, check_no_overlap, check_not_past};

use crate::consent::NewAppointment;
use crate::{ClinicId, Store, StoreError, StoreResult};

/// Checks `a` against the clinic's bookings, ignoring appointment `except` (the one being
/// moved).
pub async fn check_booking<S: Store + ?Sized>(
    store: &S,
    clinic: ClinicId,
    a: &NewAppointment,
    except: Option<crate::AppointmentId>,
) -> StoreResult<()> {
    let start = check_fields(a).map_err(StoreError::BadInput)?;
    store.client(clinic, a.client_id).await?;
    if a.kind == "session" {
        let blockers = crate::readiness::session_blockers(store, clinic, a.client_id, start.date()).await?;
        if !blockers.is_empty() {
            return Err(StoreError::NotReady(blockers));
        }
    }
    store.user(clinic, a.practitioner_id).await?;
    // "In the past" is by the clinic's own clock.
    let today = smp_records::clock::today_in(&store.clinic(clinic).await?.time_zone);
    check_not_past(a, start, today).map_err(StoreError::BadInput)?;
    // The day before is read too, for appointments running past midnight.
    let from = start.date().saturating_sub(Span::new().days(1)).to_string();
    let until = start.date().saturating_add(Span::new().days(1)).to_string();
    let others = store.appointments_between(clinic, &from, &until).await?;
    check_no_overlap(a, start, &others, except).map_err(StoreError::BadInput)
}
