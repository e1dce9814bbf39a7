//! SMP Studio's clinical records domain, without I/O: the records (lots, sessions,
//! adverse events, surveys, follow-ups, consent, screening, appointments, patch tests),
//! the rules that decide on them (dates and text limits, screening warnings, whether a
//! client is ready for a session, bookings), and outcome statistics. The store
//! persists these records (with the `sqlx` feature they map from rows); the web and the
//! CLI call these rules.

pub mod booking;
pub mod clock;
pub mod consent;
pub mod ids;
pub mod kinds;
pub mod readiness;
pub mod records;
pub mod screening;
pub mod stats;
pub mod summary;

pub use consent::*;
pub use ids::{
    AppointmentId, ClientId, ClinicId, ConsentDocumentId, DesignId, EventId, FollowUpId, LotId, PatchTestId, PhotoId, ScreeningId,
    SessionId, SignatureId, StoredFlag, SurveyId, UserId,
};
pub use kinds::{AppointmentKind, EventKind, LotKind, PatchResult, Severity};
pub use records::*;
