//! Shared by the server-side commands: where the data lives and how to open it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use smp_store::{FileStore, Store};

use crate::error::CliError;

/// The SQLite file inside a data directory.
pub const DB_FILE: &str = "smp.db";
/// The photo store inside a data directory.
pub const PHOTOS_DIR: &str = "photos";

/// A store error as a CLI error.
pub fn store_error(e: smp_store::StoreError) -> CliError {
    match e {
        smp_store::StoreError::BadInput(_) | smp_store::StoreError::Duplicate { .. } | smp_store::StoreError::NotFound(_) => {
            CliError::BadInput(e.to_string())
        }
        e => CliError::Other(e.to_string()),
    }
}

/// Opens the database: the URL when given, else SQLite in `data/smp.db`.
pub async fn open_store(data: &Path, url: Option<&str>) -> Result<Arc<dyn Store>, CliError> {
    match url {
        Some(u) => smp_store::open_url(u)
            .await
            .map_err(|e| CliError::Other(format!("{}: {e}", redact(u)))),
        None => smp_store::open_sqlite(&data.join(DB_FILE)).await.map_err(store_error),
    }
}

/// The photo store of a data directory.
pub fn file_store(data: &Path) -> FileStore {
    FileStore::new(data.join(PHOTOS_DIR))
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            let user = cred.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// A Tokio runtime for a command.
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Other(format!("cannot start the async runtime: {e}")))
}

/// The default data directory.
pub fn default_data() -> PathBuf {
    PathBuf::from("data")
}
