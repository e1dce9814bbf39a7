//! The storage trait: every method on clinic data takes the clinic first, so a query
//! can't forget its tenant.

use async_trait::async_trait;

use crate::audit::{AuditEntry, AuditEvent};
use crate::consent::*;
use crate::error::StoreResult;
use crate::model::*;
use crate::records::*;

/// Storage of clinics, users, sessions, clients, photos and designs.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Creates a clinic.
    async fn create_clinic(&self, name: &str) -> StoreResult<Clinic>;
    /// A clinic by name.
    async fn clinic_by_name(&self, name: &str) -> StoreResult<Option<Clinic>>;
    /// A clinic by id.
    async fn clinic(&self, id: ClinicId) -> StoreResult<Clinic>;
    /// How many clinics exist (0 on a new database).
    async fn clinic_count(&self) -> StoreResult<i64>;

    /// Creates a user (e-mail lower-cased, unique over all clinics).
    async fn create_user(&self, clinic: ClinicId, email: &str, role: Role, password_hash: &str) -> StoreResult<User>;
    /// A user by login e-mail, any clinic (login only).
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>>;
    /// A user of this clinic.
    async fn user(&self, clinic: ClinicId, id: i64) -> StoreResult<User>;
    /// The clinic's users.
    async fn list_users(&self, clinic: ClinicId) -> StoreResult<Vec<User>>;
    /// Sets a user's password hash and whether it must be changed at next login.
    async fn set_password(&self, clinic: ClinicId, user: i64, password_hash: &str, must_change: bool) -> StoreResult<()>;
    /// Turns the TOTP second factor on (Some secret) or off.
    async fn set_totp(&self, clinic: ClinicId, user: i64, secret: Option<&str>) -> StoreResult<()>;

    /// Records a login session.
    async fn create_session(&self, session: &AuthSession) -> StoreResult<()>;
    /// A live (unexpired) session by token hash.
    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<AuthSession>>;
    /// Marks the second factor of a session as done.
    async fn complete_second_factor(&self, token_hash: &str) -> StoreResult<()>;
    /// Ends a session (logout).
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Ends all of a user's sessions (password change or reset).
    async fn delete_user_sessions(&self, clinic: ClinicId, user: i64) -> StoreResult<()>;

    /// Creates a client.
    async fn create_client(&self, clinic: ClinicId, fields: &ClientFields) -> StoreResult<Client>;
    /// A client of this clinic.
    async fn client(&self, clinic: ClinicId, id: i64) -> StoreResult<Client>;
    /// Clients whose name, e-mail or phone contains `search` (case-insensitive), by name.
    async fn list_clients(&self, clinic: ClinicId, search: &str) -> StoreResult<Vec<Client>>;
    /// Replaces a client's contact details.
    async fn update_client(&self, clinic: ClinicId, id: i64, fields: &ClientFields) -> StoreResult<Client>;

    /// Records an uploaded photo of a client of this clinic.
    async fn add_photo(&self, clinic: ClinicId, photo: &NewPhoto) -> StoreResult<Photo>;
    /// A photo of this clinic.
    async fn photo(&self, clinic: ClinicId, id: i64) -> StoreResult<Photo>;
    /// This clinic's photo with this content hash, if it has one.
    async fn photo_by_hash(&self, clinic: ClinicId, sha256: &str) -> StoreResult<Option<Photo>>;
    /// A client's photos by view, then date.
    async fn list_photos(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<Photo>>;

    /// Creates a design with its version 1.
    async fn create_design(
        &self,
        clinic: ClinicId,
        client: i64,
        name: &str,
        photo: Option<i64>,
        json: &str,
        user: i64,
    ) -> StoreResult<(DesignRecord, DesignVersion)>;
    /// A design of this clinic.
    async fn design(&self, clinic: ClinicId, id: i64) -> StoreResult<DesignRecord>;
    /// A client's designs.
    async fn list_designs(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<DesignRecord>>;
    /// One version of a design.
    async fn design_version(&self, clinic: ClinicId, design: i64, version: i64) -> StoreResult<DesignVersion>;
    /// All versions of a design, oldest first.
    async fn list_versions(&self, clinic: ClinicId, design: i64) -> StoreResult<Vec<DesignVersion>>;
    /// Saves `json` as the version after `base_version`; a [`crate::StoreError::Conflict`]
    /// when someone saved after `base_version` (nothing is overwritten).
    async fn save_version(
        &self,
        clinic: ClinicId,
        design: i64,
        base_version: i64,
        json: &str,
        note: &str,
        user: i64,
    ) -> StoreResult<DesignVersion>;

    /// Registers a pigment or needle lot.
    async fn add_lot(&self, clinic: ClinicId, lot: &NewLot) -> StoreResult<Lot>;
    /// The clinic's lots, newest first.
    async fn list_lots(&self, clinic: ClinicId) -> StoreResult<Vec<Lot>>;
    /// A lot of this clinic.
    async fn lot(&self, clinic: ClinicId, id: i64) -> StoreResult<Lot>;
    /// Marks a lot recalled: no session may use it from now on.
    async fn recall_lot(&self, clinic: ClinicId, id: i64, reason: &str) -> StoreResult<Lot>;
    /// Records a session; refuses expired or recalled lots and lots of the wrong kind.
    async fn record_session(&self, clinic: ClinicId, s: &NewTreatmentSession) -> StoreResult<TreatmentSession>;
    /// Records a session, its follow-up check-ins (days after, what to check) and its
    /// audit entry by `actor`, all in one transaction: all are written, or none.
    async fn record_session_audited(
        &self,
        clinic: ClinicId,
        s: &NewTreatmentSession,
        check_ins: &[(i64, &str)],
        actor: i64,
    ) -> StoreResult<(TreatmentSession, AuditEntry)>;
    /// A client's sessions, by date.
    async fn list_sessions(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<TreatmentSession>>;
    /// Every session that used a lot (recall search).
    async fn sessions_with_lot(&self, clinic: ClinicId, lot: i64) -> StoreResult<Vec<TreatmentSession>>;
    /// Records an adverse event.
    async fn add_adverse_event(&self, clinic: ClinicId, e: &NewAdverseEvent) -> StoreResult<AdverseEvent>;
    /// Adverse events of one client, or of the whole clinic.
    async fn list_adverse_events(&self, clinic: ClinicId, client: Option<i64>) -> StoreResult<Vec<AdverseEvent>>;
    /// Records an outcome survey.
    async fn add_survey(&self, clinic: ClinicId, s: &NewSurvey) -> StoreResult<Survey>;
    /// The clinic's surveys.
    async fn list_surveys(&self, clinic: ClinicId) -> StoreResult<Vec<Survey>>;
    /// Every session of the clinic (rates per practitioner).
    async fn all_sessions(&self, clinic: ClinicId) -> StoreResult<Vec<TreatmentSession>>;

    /// Appends to the clinic's audit chain (appends are serialised: the chain never forks).
    async fn audit(&self, clinic: ClinicId, event: &AuditEvent<'_>) -> StoreResult<AuditEntry>;
    /// The clinic's audit chain in order.
    async fn audit_log(&self, clinic: ClinicId) -> StoreResult<Vec<AuditEntry>>;
    /// Every clinic (for `smp audit verify`).
    async fn list_clinics(&self) -> StoreResult<Vec<Clinic>>;

    /// Publishes a new version of the clinic's consent text.
    async fn publish_consent(&self, clinic: ClinicId, text: &str) -> StoreResult<ConsentDocument>;
    /// The current consent version.
    async fn latest_consent(&self, clinic: ClinicId) -> StoreResult<Option<ConsentDocument>>;
    /// Records a signature; refused when `text_sha256` isn't the document's (the text
    /// changed since it was shown).
    async fn sign_consent(
        &self,
        clinic: ClinicId,
        client: i64,
        document: i64,
        text_sha256: &str,
        signer: &str,
        signature_svg: &str,
    ) -> StoreResult<ConsentSignature>;
    /// A client's signatures, oldest first.
    async fn consent_signatures(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<ConsentSignature>>;
    /// Records screening answers (append-only; the latest counts).
    async fn add_screening(&self, clinic: ClinicId, client: i64, answers: &ScreeningAnswers) -> StoreResult<Screening>;
    /// The latest screening of a client.
    async fn latest_screening(&self, clinic: ClinicId, client: i64) -> StoreResult<Option<Screening>>;
    /// Every screening of a client, oldest first.
    async fn screenings(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<Screening>>;
    /// Books an appointment.
    async fn book_appointment(&self, clinic: ClinicId, a: &NewAppointment) -> StoreResult<Appointment>;
    /// Appointments starting on or after `from` (YYYY-MM-DD), by start.
    async fn list_appointments(&self, clinic: ClinicId, from: &str) -> StoreResult<Vec<Appointment>>;
    /// One booked (not cancelled) appointment.
    async fn appointment(&self, clinic: ClinicId, id: i64) -> StoreResult<Appointment>;
    /// Booked appointments starting from `from` up to (not including) `until`.
    async fn appointments_between(&self, clinic: ClinicId, from: &str, until: &str) -> StoreResult<Vec<Appointment>>;
    /// Every appointment of a client, cancelled ones included (the export holds all).
    async fn client_appointments(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<Appointment>>;
    /// Cancels a booked appointment (it leaves the lists and calendar feeds).
    async fn cancel_appointment(&self, clinic: ClinicId, id: i64) -> StoreResult<()>;
    /// Moves a booked appointment, under the same rules as a new booking.
    async fn reschedule_appointment(&self, clinic: ClinicId, id: i64, starts_at: &str, minutes: i64) -> StoreResult<Appointment>;
    /// Stores a calendar-feed token (hash) for a user.
    async fn add_calendar_token(&self, clinic: ClinicId, user: i64, token_hash: &str) -> StoreResult<()>;
    /// Revokes all of a user's calendar tokens.
    async fn revoke_calendar_tokens(&self, clinic: ClinicId, user: i64) -> StoreResult<()>;
    /// The clinic and user of a live calendar token.
    async fn calendar_token(&self, token_hash: &str) -> StoreResult<Option<(ClinicId, i64)>>;
    /// Sets a photo's marketing consent.
    async fn set_marketing_consent(&self, clinic: ClinicId, photo: i64, consent: bool) -> StoreResult<()>;
    /// Photos whose clients consented to public use.
    async fn consented_photos(&self, clinic: ClinicId) -> StoreResult<Vec<Photo>>;
    /// Whether a photo has marketing consent.
    async fn has_marketing_consent(&self, clinic: ClinicId, photo: i64) -> StoreResult<bool>;
    /// Turns the clinic's public results page on or off.
    async fn set_public_results(&self, clinic: ClinicId, on: bool) -> StoreResult<()>;
    /// Whether the clinic's public results page is on.
    async fn public_results(&self, clinic: ClinicId) -> StoreResult<bool>;
    /// Sets how long a login may sit unused before it ends, minutes
    /// ([`crate::model::IDLE_MINUTES_RANGE`]).
    async fn set_idle_minutes(&self, clinic: ClinicId, minutes: i64) -> StoreResult<()>;
    /// How long a login may sit unused before it ends, minutes.
    async fn idle_minutes(&self, clinic: ClinicId) -> StoreResult<i64>;

    /// Records a patch test of a pigment lot (append-only: a result is a new row).
    async fn add_patch_test(&self, clinic: ClinicId, client: i64, lot: i64, tested_on: &str, result: &str) -> StoreResult<PatchTest>;
    /// A client's patch tests, oldest first.
    async fn patch_tests(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<PatchTest>>;
    /// Every patch test of a lot, by date: a patch test puts the pigment in the skin, so
    /// a recall reaches these clients too.
    async fn patch_tests_with_lot(&self, clinic: ClinicId, lot: i64) -> StoreResult<Vec<PatchTest>>;

    /// Schedules a follow-up check-in after a session.
    async fn add_follow_up(&self, clinic: ClinicId, session: i64, due_on: &str, what: &str) -> StoreResult<FollowUp>;
    /// Marks a check-in done with what was found.
    async fn complete_follow_up(&self, clinic: ClinicId, id: i64, done_on: &str, note: &str) -> StoreResult<FollowUp>;
    /// Check-ins of one client, or of the whole clinic, by due date.
    async fn list_follow_ups(&self, clinic: ClinicId, client: Option<i64>) -> StoreResult<Vec<FollowUp>>;

    /// GDPR erasure of a client: contact details replaced by "erased client N", notes,
    /// photos, designs, survey comments and free-text fields removed; sessions (dates,
    /// lots, impressions) and adverse events (kind, severity, dates) kept anonymised
    /// for safety recalls. Returns the content hashes of the removed photos (whose files
    /// the caller deletes). Then the backend's storage is scrubbed (SQLite:
    /// secure_delete is on and the WAL is checkpointed; PostgreSQL: VACUUM).
    async fn erase_client(&self, clinic: ClinicId, id: i64) -> StoreResult<Vec<String>>;
    /// Whether any photo record (any clinic) still uses this content hash.
    async fn hash_in_use(&self, sha256: &str) -> StoreResult<bool>;
    /// Deletes a design and its versions, unless a recorded session was done from it
    /// (then it is part of the treatment record and stays: `BadInput` says so).
    async fn delete_design(&self, clinic: ClinicId, id: i64) -> StoreResult<()>;
    /// Deletes a photo record, unless a design is drawn on it or the client allowed it to
    /// be shown publicly (`BadInput` says which). Returns its content hash, whose file the
    /// caller removes when no record uses it any more.
    async fn delete_photo(&self, clinic: ClinicId, id: i64) -> StoreResult<String>;

    /// A consistent copy of the database in `path` (SQLite `VACUUM INTO`); PostgreSQL
    /// says to use `pg_dump`.
    async fn backup_to(&self, path: &std::path::Path) -> StoreResult<()>;
}
