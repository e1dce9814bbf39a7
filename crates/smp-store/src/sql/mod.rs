//! The one SQL implementation of the store, for SQLite and PostgreSQL alike: each area
//! (clinics, users, clients, …) is a module with its small trait and that trait's
//! queries, written once against sqlx's `Any` driver (`$n` placeholders, portable
//! types: BIGINT, TEXT). Rows map to records through `sqlx::FromRow`. What differs
//! between the backends (connecting, scrubbing after an erasure, backups) is in
//! `crate::sqlite` and `crate::postgres`.

pub mod appointments;
pub mod audit_log;
pub mod clients;
pub mod clinics;
pub mod consents;
pub mod designs;
pub mod logins;
pub mod lots;
pub mod outcomes;
pub mod photos;
pub mod treatments;
pub mod users;

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, FromRow};

use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// Which database a [`SqlStore`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The store over one connection pool.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    /// Serialises this process's audit appends (the key retry covers other processes).
    pub(crate) audit_lock: Arc<tokio::sync::Mutex<()>>,
    /// Serialises this process's bookings (the clinic row's lock covers other
    /// processes), so a check and its insert are never split by another booking.
    pub(crate) booking_lock: Arc<tokio::sync::Mutex<()>>,
    /// Audit entries waiting for the next group commit.
    pub(crate) audit_queue: Arc<std::sync::Mutex<Vec<audit_log::QueuedAudit>>>,
}

impl SqlStore {
    /// A store over a connected, migrated pool.
    pub(crate) fn new(pool: AnyPool, backend: Backend) -> SqlStore {
        SqlStore {
            pool,
            backend,
            audit_lock: Default::default(),
            booking_lock: Default::default(),
            audit_queue: Default::default(),
        }
    }
}

impl SqlStore {
    /// A transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred one that read first could not upgrade while
    /// another connection or process writes, and would fail with "database is locked"
    /// instead of waiting its turn.
    pub(crate) async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

/// Makes sqlx's `Any` driver know both backends (once per process).
pub(crate) fn install_drivers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(sqlx::any::install_default_drivers);
}

/// The columns each record is read from, in the order its table lists them.
pub(crate) const USER_COLS: &str = "id, clinic_id, email, role, password_hash, must_change_password, totp_secret, created_at";
pub(crate) const CLIENT_COLS: &str = "id, clinic_id, name, email, phone, notes, created_at";
pub(crate) const PHOTO_COLS: &str = "id, clinic_id, client_id, view, taken_on, sha256, media_type, width_px, height_px, created_at";
pub(crate) const DESIGN_COLS: &str = "id, clinic_id, client_id, name, photo_id, latest_version, created_at";
pub(crate) const VERSION_COLS: &str = "design_id, version, json, note, created_by, created_at";
pub(crate) const LOT_COLS: &str = "id, clinic_id, kind, product, lot_number, expires_on, recalled_at, recall_reason, created_at";
pub(crate) const SESSION_COLS: &str = "id, clinic_id, client_id, performed_on, practitioner_id, design_id, design_session, regions, impressions, needle_lot_id, pigment_lot_id, dilution, notes, created_at";
pub(crate) const EVENT_COLS: &str =
    "id, clinic_id, client_id, session_id, kind, severity, onset_on, resolved_on, action, practitioner_id, created_at";
pub(crate) const SURVEY_COLS: &str = "id, clinic_id, client_id, practitioner_id, satisfaction, would_recommend, comment, created_at";
pub(crate) const AUDIT_COLS: &str = "clinic_id, seq, at, actor, action, entity, entity_id, subject, prev_hash, hash";
pub(crate) const CONSENT_COLS: &str = "id, clinic_id, version, text, sha256, created_at";
pub(crate) const SIGNATURE_COLS: &str = "id, clinic_id, client_id, document_id, text_sha256, signer_name, signature_svg, signed_at";
pub(crate) const APPOINTMENT_COLS: &str =
    "id, clinic_id, client_id, practitioner_id, kind, starts_at, minutes, room, created_at, cancelled_at";
pub(crate) const FOLLOW_COLS: &str = "id, client_id, session_id, due_on, what, done_on, note";

/// A record from its row.
pub(crate) fn from_row<T: for<'r> FromRow<'r, AnyRow>>(row: &AnyRow) -> StoreResult<T> {
    Ok(T::from_row(row)?)
}

/// `NotFound(what)` when an update or delete touched no row (not this clinic's, or gone).
pub(crate) fn touched(done: sqlx::any::AnyQueryResult, what: &'static str) -> StoreResult<()> {
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound(what))
    } else {
        Ok(())
    }
}

/// The first record, or `NotFound(what)`.
pub(crate) fn one<T>(rows: Vec<T>, what: &'static str) -> StoreResult<T> {
    rows.into_iter().next().ok_or(StoreError::NotFound(what))
}

/// A refused value, with the message saying which and why.
pub(crate) fn bad(msg: String) -> StoreError {
    StoreError::BadInput(msg)
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    async fn backup_to(&self, path: &std::path::Path) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => crate::sqlite::backup(self, path).await,
            Backend::Postgres => crate::postgres::backup(path),
        }
    }
}

impl SqlStore {
    /// After an erasure, removes what the database keeps of the old values.
    pub(crate) async fn scrub(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => crate::sqlite::scrub(self).await,
            Backend::Postgres => crate::postgres::scrub(self).await,
        }
    }
}
