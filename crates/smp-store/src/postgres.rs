//! The PostgreSQL backend.

use std::path::Path;

use sqlx::any::AnyPoolOptions;

use crate::error::{StoreError, StoreResult};
use crate::sql::{Backend, SqlStore, install_drivers};

/// Connects to a `postgres://` URL and migrates the database.
pub async fn open(url: &str) -> StoreResult<SqlStore> {
    install_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect(url)
        .await?;
    // Serialise concurrent first starts: only one process migrates at a time.
    let mut lock = pool.acquire().await?;
    sqlx::query("SELECT pg_advisory_lock(727001)").execute(&mut *lock).await?;
    let migrated = crate::migrate::run(&pool, crate::migrate::postgres).await;
    sqlx::query("SELECT pg_advisory_unlock(727001)").execute(&mut *lock).await?;
    migrated?;
    Ok(SqlStore::new(pool, Backend::Postgres))
}

/// After an erasure: VACUUM removes the dead row versions that still hold the old values.
pub(crate) async fn scrub(store: &SqlStore) -> StoreResult<()> {
    sqlx::query("VACUUM clients, photos, designs, design_versions, treatment_sessions, adverse_events, outcome_surveys, consent_signatures, screenings")
        .execute(&store.pool)
        .await?;
    Ok(())
}

/// PostgreSQL is backed up with its own tools.
pub(crate) fn backup(_path: &Path) -> StoreResult<()> {
    Err(StoreError::Unsupported(
        "PostgreSQL backups are made with pg_dump (pg_dump -Fc URL -f smp.dump; restore with pg_restore -d URL smp.dump), plus a copy of the data directory's photos/".into(),
    ))
}

/// Creates a fresh, empty database on the server at `base_url` and returns its URL
/// (tests use one per test, as DESIGN.md asks).
pub async fn fresh_database(base_url: &str, prefix: &str) -> StoreResult<String> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(base_url).await?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let name = format!("{prefix}_{}_{}", std::process::id(), nanos % 1_000_000_000_000);
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await?;
    let (head, _) = base_url
        .rsplit_once('/')
        .ok_or_else(|| StoreError::BadInput(format!("'{base_url}' has no database part; use postgres://user@host:port/postgres")))?;
    let query = base_url.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    Ok(format!("{head}/{name}{query}"))
}
