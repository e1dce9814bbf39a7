//! Consent documents (versioned; a signature keeps the hash of the exact text signed),
//! screening answers, appointments and calendar-feed tokens.

use crate::ids::{AppointmentId, ClientId, ConsentDocumentId, LotId, PatchTestId, ScreeningId, SignatureId, UserId};
use serde::{Deserialize, Serialize};

use crate::ids::ClinicId;
use crate::kinds::{AppointmentKind, PatchResult};

/// A version of the clinic's treatment consent text.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct ConsentDocument {
    /// Its id.
    pub id: ConsentDocumentId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// 1, 2, …
    pub version: i64,
    /// The text.
    pub text: String,
    /// SHA-256 of the text.
    pub sha256: String,
    /// Published, Unix seconds.
    pub created_at: i64,
}

/// A signature to record: which consent version, the hash of the text the client saw,
/// who signed and the drawn signature (SVG path data).
#[derive(Debug, Clone, Copy)]
pub struct NewSignature<'a> {
    /// The consent version signed.
    pub document_id: ConsentDocumentId,
    /// SHA-256 of the text shown (refused when it isn't the version's).
    pub text_sha256: &'a str,
    /// The signer's name.
    pub signer_name: &'a str,
    /// The drawn signature, SVG path data.
    pub signature_svg: &'a str,
}

/// A client's signature of a consent version.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct ConsentSignature {
    /// Its id.
    pub id: SignatureId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// The client.
    pub client_id: ClientId,
    /// The document version signed.
    pub document_id: ConsentDocumentId,
    /// SHA-256 of the text as signed (checked against the document).
    pub text_sha256: String,
    /// The name typed by the signer.
    pub signer_name: String,
    /// The drawn signature, SVG path data.
    pub signature_svg: String,
    /// When, Unix seconds.
    pub signed_at: i64,
}

/// Screening answers (stored as given; the web layer derives the warnings).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ScreeningAnswers {
    /// Whether the client has any allergy (asked first, yes or no); `None` on screenings
    /// from before the question was asked, where the details text decides.
    #[serde(default)]
    pub has_allergies: Option<bool>,
    /// Allergies, incl. pigments and metals.
    #[serde(default)]
    pub allergies: String,
    /// Keloid scarring tendency.
    #[serde(default)]
    pub keloid: bool,
    /// Blood thinners taken.
    #[serde(default)]
    pub blood_thinners: bool,
    /// Whether the scalp has a skin condition (yes or no first), as for allergies.
    #[serde(default)]
    pub has_skin_conditions: Option<bool>,
    /// Skin conditions of the scalp (psoriasis, eczema, active acne, …).
    #[serde(default)]
    pub skin_conditions: String,
    /// Date of a recent hair transplant, YYYY-MM-DD, if any.
    #[serde(default)]
    pub hair_transplant_on: String,
    /// Whether the client takes any medication (yes or no first), as for allergies.
    #[serde(default)]
    pub takes_medications: Option<bool>,
    /// Other medications.
    #[serde(default)]
    pub medications: String,
}

/// A recorded screening.
#[derive(Debug, Clone, Serialize)]
pub struct Screening {
    /// Its id.
    pub id: ScreeningId,
    /// The client.
    pub client_id: ClientId,
    /// Answers.
    pub answers: ScreeningAnswers,
    /// When, Unix seconds.
    pub created_at: i64,
}

/// An appointment to book.
#[derive(Debug, Clone, Deserialize)]
pub struct NewAppointment {
    /// The client.
    #[serde(default)]
    pub client_id: ClientId,
    /// Practitioner.
    pub practitioner_id: UserId,
    /// What it is for.
    pub kind: AppointmentKind,
    /// Start, local clinic time, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    /// Length, minutes.
    pub minutes: i64,
    /// Room.
    #[serde(default)]
    pub room: String,
}

/// A booked appointment.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Appointment {
    /// Its id.
    pub id: AppointmentId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// The client.
    pub client_id: ClientId,
    /// Practitioner.
    pub practitioner_id: UserId,
    /// What it is for.
    #[cfg_attr(feature = "sqlx", sqlx(try_from = "String"))]
    pub kind: AppointmentKind,
    /// Start, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    /// Length, minutes.
    pub minutes: i64,
    /// Room.
    pub room: String,
    /// Booked, Unix seconds.
    pub created_at: i64,
    /// When it was cancelled, Unix seconds (lists and feeds leave cancelled ones out).
    pub cancelled_at: Option<i64>,
}

/// Checks `YYYY-MM-DDTHH:MM`.
pub fn check_start(s: &str) -> Result<(), String> {
    // jiff checks the calendar (no 2024-02-31) and never slices inside a character.
    let ok = s.len() == 16 && s.as_bytes()[10] == b'T' && s.parse::<jiff::civil::DateTime>().is_ok();
    if ok {
        Ok(())
    } else {
        Err(format!("starts_at '{s}' is not a time; use YYYY-MM-DDTHH:MM"))
    }
}

/// A patch test of a pigment lot on a client.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct PatchTest {
    /// Its id.
    pub id: PatchTestId,
    /// The client.
    pub client_id: ClientId,
    /// The pigment lot tested.
    pub lot_id: LotId,
    /// Date, YYYY-MM-DD.
    pub tested_on: String,
    /// The reading.
    #[cfg_attr(feature = "sqlx", sqlx(try_from = "String"))]
    pub result: PatchResult,
    /// Recorded, Unix seconds.
    pub created_at: i64,
}
