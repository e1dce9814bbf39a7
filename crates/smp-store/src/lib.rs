//! SMP Studio storage: the [`Store`] trait with its SQLite and PostgreSQL
//! implementations (the same SQL for both), versioned migrations, and content-addressed
//! photo files.

pub mod anchor;
pub mod audit;
pub mod booking;
pub mod error;
pub mod files;
mod migrate;
pub mod model;
pub mod postgres;
pub mod readiness;
pub mod sql;
pub mod sqlite;
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

use std::sync::Arc;

pub use error::{StoreError, StoreResult};
pub use files::FileStore;
pub use migrate::SCHEMA_VERSION;
pub use model::*;
// The clinical records and their rules live in the records domain crate; the store
// persists them.
pub use smp_records::{AppointmentKind, EventKind, LotKind, PatchResult, Severity};
pub use smp_records::{consent, records, screening};
pub use smp_records::{consent::*, records::*};
pub use store::Store;

/// The store and its areas' traits, whose methods callers of `dyn Store` use.
pub mod prelude {
    pub use crate::store::*;
}

/// Opens the database a URL names: `postgres://…`/`postgresql://…` or `sqlite:…`.
pub async fn open_url(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::open(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::open_url(url).await?))
    } else {
        Err(StoreError::BadInput(format!(
            "database URL '{url}' is not understood; use postgres://user:password@host:port/db or sqlite:path/to/smp.db"
        )))
    }
}

/// Opens the SQLite database file (created and migrated when new).
pub async fn open_sqlite(path: &std::path::Path) -> StoreResult<Arc<dyn Store>> {
    Ok(Arc::new(sqlite::open(path).await?))
}
