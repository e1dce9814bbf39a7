//! The SQLite store: one file, WAL journal, foreign keys on.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

crate::sql::sql_store!(SqliteStore, sqlx::Sqlite, "sqlite");

impl SqliteStore {
    /// Opens (creating if missing) the database file and migrates it.
    pub async fn open(path: &Path) -> StoreResult<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("secure_delete", "ON");
        Self::connect(options).await
    }

    /// Opens a `sqlite:` URL.
    pub async fn open_url(url: &str) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("secure_delete", "ON");
        Self::connect(options).await
    }

    async fn connect(options: SqliteConnectOptions) -> StoreResult<SqliteStore> {
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        crate::migrate::run_migrations!(&pool, |s: &str| s.to_string())?;
        Ok(SqliteStore {
            pool,
            audit_lock: Default::default(),
            booking_lock: Default::default(),
        })
    }

    /// After an erasure: secure_delete zeroed the freed space in the pages; move the WAL
    /// (which still holds the old pages) into the file and truncate it.
    async fn scrub(&self) -> StoreResult<()> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
        Ok(())
    }

    async fn backup_impl(&self, path: &Path) -> StoreResult<()> {
        if path.exists() {
            return Err(StoreError::BadInput(format!(
                "{} already exists; choose a new backup file name",
                path.display()
            )));
        }
        // VACUUM INTO writes a consistent snapshot while the app keeps running.
        sqlx::query("VACUUM INTO $1")
            .bind(path.display().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
