//! The SQLite backend: one file, WAL journal, foreign keys on, freed pages zeroed.

use std::path::Path;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;

use crate::error::{StoreError, StoreResult};
use crate::sql::{Backend, SqlStore, install_drivers};

/// Settings every connection gets: the journal that lets reads go on during a write,
/// the foreign keys the schema relies on, a wait instead of "database is locked", and
/// zeroed freed pages so an erased client's data does not linger in the file.
const PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA secure_delete = ON;";

/// Applies [`PRAGMAS`] to a new connection.
fn set_pragmas<'c>(
    conn: &'c mut sqlx::AnyConnection,
    _: sqlx::pool::PoolConnectionMetadata,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'c>> {
    Box::pin(async move {
        sqlx::Executor::execute(&mut *conn, PRAGMAS).await?;
        Ok(())
    })
}

/// Opens (creating if missing) the database file and migrates it.
pub async fn open(path: &Path) -> StoreResult<SqlStore> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    // The URL's path part is percent-decoded: escape what would end it early.
    let escaped = path
        .display()
        .to_string()
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    open_url(&format!("sqlite:{escaped}")).await
}

/// Opens a `sqlite:` URL (the file is created when missing) and migrates it.
pub async fn open_url(url: &str) -> StoreResult<SqlStore> {
    install_drivers();
    let url = if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(set_pragmas)
        .connect(&url)
        .await?;
    crate::migrate::run(&pool, crate::migrate::sqlite).await?;
    Ok(SqlStore::new(pool, Backend::Sqlite))
}

/// After an erasure: secure_delete zeroed the freed space in the pages; move the WAL
/// (which still holds the old pages) into the file and truncate it.
pub(crate) async fn scrub(store: &SqlStore) -> StoreResult<()> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&store.pool).await?;
    Ok(())
}

/// A consistent copy of the database in a new file, made while the app keeps running.
pub(crate) async fn backup(store: &SqlStore, path: &Path) -> StoreResult<()> {
    if path.exists() {
        return Err(StoreError::BadInput(format!(
            "{} already exists; choose a new backup file name",
            path.display()
        )));
    }
    sqlx::query("VACUUM INTO $1")
        .bind(path.display().to_string())
        .execute(&store.pool)
        .await?;
    Ok(())
}
