//! Storage errors, by fault class.

use thiserror::Error;

use crate::model::DesignId;

/// What went wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The record does not exist in this clinic (also what another clinic's id gives).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A value that must be unique is taken (`field` names it).
    #[error("{field} '{value}' is already taken; choose another")]
    Duplicate {
        /// The unique field.
        field: &'static str,
        /// The value that clashed.
        value: String,
    },
    /// Someone saved a newer version first; nothing was overwritten.
    #[error(
        "design {design_id} changed since you opened it: you edited version {base_version}, the latest is {latest_version}; reload it, re-apply your edits and save again"
    )]
    Conflict {
        /// The design.
        design_id: DesignId,
        /// The version the edit started from.
        base_version: i64,
        /// The version now stored.
        latest_version: i64,
    },
    /// A value the store refuses (says which and why).
    #[error("{0}")]
    BadInput(String),
    /// A tattoo session for a client who is not ready for one (no signed consent, no
    /// screening, a contraindication, a positive patch test): the reasons, for the
    /// practitioner.
    #[error("this client is not ready for a tattoo session: {}", .0.join("; "))]
    NotReady(Vec<String>),
    /// The operation does not exist for this backend.
    #[error("{0}")]
    Unsupported(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A file in the photo store could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// The store's result type.
pub type StoreResult<T> = Result<T, StoreError>;

/// Whether a database error is a unique-constraint violation.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
