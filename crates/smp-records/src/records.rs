//! Clinical records: pigment and needle lots, treatment sessions, adverse events,
//! outcome surveys. Sessions, events and surveys are append-only (an edit is a new row).

use crate::ids::UserId;
use crate::ids::{ClientId, DesignId, EventId, FollowUpId, LotId, SessionId, SurveyId};
use serde::{Deserialize, Serialize};

use crate::ids::ClinicId;
use crate::kinds::{EventKind, LotKind, Severity};

/// A lot to register.
#[derive(Debug, Clone, Deserialize)]
pub struct NewLot {
    /// `pigment` or `needle`.
    pub kind: LotKind,
    /// Product (e.g. "Carbon Black 1:3", "RL3 0.25 mm").
    pub product: String,
    /// The manufacturer's lot number.
    pub lot_number: String,
    /// Expiry, YYYY-MM-DD.
    pub expires_on: String,
}

/// A registered lot.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Lot {
    /// Its id.
    pub id: LotId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// `pigment` or `needle`.
    #[cfg_attr(feature = "sqlx", sqlx(try_from = "String"))]
    pub kind: LotKind,
    /// Product.
    pub product: String,
    /// Lot number.
    pub lot_number: String,
    /// Expiry, YYYY-MM-DD.
    pub expires_on: String,
    /// When it was recalled, Unix seconds.
    pub recalled_at: Option<i64>,
    /// Why.
    pub recall_reason: String,
    /// Registration time, Unix seconds.
    pub created_at: i64,
}

/// A treatment session to record.
#[derive(Debug, Clone, Deserialize)]
pub struct NewTreatmentSession {
    /// The client (taken from the URL by the API).
    #[serde(default)]
    pub client_id: ClientId,
    /// Date, YYYY-MM-DD.
    pub performed_on: String,
    /// Who did it (set by the server to the logged-in practitioner).
    #[serde(default)]
    pub practitioner_id: UserId,
    /// The design followed.
    #[serde(default)]
    pub design_id: Option<DesignId>,
    /// Which of the design's sessions (1-based).
    pub design_session: i64,
    /// Regions worked, free text (e.g. "front, crown").
    #[serde(default)]
    pub regions: String,
    /// Impressions placed.
    pub impressions: i64,
    /// Needle lot.
    pub needle_lot_id: LotId,
    /// Pigment lot.
    pub pigment_lot_id: LotId,
    /// Dilution used (e.g. "1:3").
    #[serde(default)]
    pub dilution: String,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// A recorded session.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct TreatmentSession {
    /// Its id.
    pub id: SessionId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// The client.
    pub client_id: ClientId,
    /// Date.
    pub performed_on: String,
    /// Practitioner.
    pub practitioner_id: UserId,
    /// Design.
    pub design_id: Option<DesignId>,
    /// Design session.
    pub design_session: i64,
    /// Regions.
    pub regions: String,
    /// Impressions.
    pub impressions: i64,
    /// Needle lot.
    pub needle_lot_id: LotId,
    /// Pigment lot.
    pub pigment_lot_id: LotId,
    /// Dilution.
    pub dilution: String,
    /// Notes.
    pub notes: String,
    /// Record time, Unix seconds.
    pub created_at: i64,
}

/// An adverse event to record.
#[derive(Debug, Clone, Deserialize)]
pub struct NewAdverseEvent {
    /// The client (taken from the URL by the API).
    #[serde(default)]
    pub client_id: ClientId,
    /// The session it followed.
    #[serde(default)]
    pub session_id: Option<SessionId>,
    /// What happened.
    pub kind: EventKind,
    /// How bad it was.
    pub severity: Severity,
    /// Onset, YYYY-MM-DD.
    pub onset_on: String,
    /// Resolution, YYYY-MM-DD.
    #[serde(default)]
    pub resolved_on: Option<String>,
    /// What was done.
    #[serde(default)]
    pub action: String,
    /// Who recorded it (set by the server).
    #[serde(default)]
    pub practitioner_id: UserId,
}

/// A recorded adverse event.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct AdverseEvent {
    /// Its id.
    pub id: EventId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// The client.
    pub client_id: ClientId,
    /// The session.
    pub session_id: Option<SessionId>,
    /// Kind.
    #[cfg_attr(feature = "sqlx", sqlx(try_from = "String"))]
    pub kind: EventKind,
    /// Severity.
    #[cfg_attr(feature = "sqlx", sqlx(try_from = "String"))]
    pub severity: Severity,
    /// Onset.
    pub onset_on: String,
    /// Resolution.
    pub resolved_on: Option<String>,
    /// Action.
    pub action: String,
    /// Practitioner.
    pub practitioner_id: UserId,
    /// Record time, Unix seconds.
    pub created_at: i64,
}

/// An outcome survey to record.
#[derive(Debug, Clone, Deserialize)]
pub struct NewSurvey {
    /// The client (taken from the URL by the API).
    #[serde(default)]
    pub client_id: ClientId,
    /// The practitioner rated (set by the server when absent).
    #[serde(default)]
    pub practitioner_id: UserId,
    /// 1–5.
    pub satisfaction: i64,
    /// Would recommend the clinic.
    pub would_recommend: bool,
    /// Free text.
    #[serde(default)]
    pub comment: String,
}

/// A recorded survey.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Survey {
    /// Its id.
    pub id: SurveyId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// The client.
    pub client_id: ClientId,
    /// Practitioner.
    pub practitioner_id: UserId,
    /// 1–5.
    pub satisfaction: i64,
    /// Would recommend.
    #[cfg_attr(feature = "sqlx", sqlx(try_from = "crate::ids::StoredFlag"))]
    pub would_recommend: bool,
    /// Free text.
    pub comment: String,
    /// Record time, Unix seconds.
    pub created_at: i64,
}

/// Checks a YYYY-MM-DD date.
pub fn check_date(field: &str, s: &str) -> Result<(), String> {
    // A real calendar date: 2024-02-31 is refused, 2024-02-29 accepted.
    let ok = s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok();
    if ok {
        Ok(())
    } else {
        Err(format!("{field} '{s}' is not a date; use YYYY-MM-DD"))
    }
}

/// Longest short text (names, lot numbers, rooms, regions), characters.
pub const SHORT_TEXT_CHARS: usize = 200;
/// Longest note or reason, characters.
pub const NOTE_CHARS: usize = 5_000;
/// Longest consent text, characters.
pub const CONSENT_TEXT_CHARS: usize = 100_000;

/// Refuses free text longer than `max` characters, naming the field: one 10 MB lot name
/// once made every client page 20–29 MB.
pub fn check_text(field: &str, value: &str, max: usize) -> Result<(), String> {
    let n = value.chars().count();
    if n > max {
        Err(format!("{field} is {n} characters long; at most {max} are accepted"))
    } else {
        Ok(())
    }
}

/// A follow-up check-in after a session.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct FollowUp {
    /// Its id.
    pub id: FollowUpId,
    /// The client.
    pub client_id: ClientId,
    /// The session it follows.
    pub session_id: SessionId,
    /// When, YYYY-MM-DD.
    pub due_on: String,
    /// What to check.
    pub what: String,
    /// When it was done.
    pub done_on: Option<String>,
    /// What was found.
    pub note: String,
}
