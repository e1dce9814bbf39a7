//! Versioned migrations: numbered SQL files per backend, applied in order, each in its
//! own transaction with its version recorded, so a half-applied migration never sticks.

/// The migrations, (version, SQL), in order, written in SQLite's dialect.
pub(crate) const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_records.sql")),
    (3, include_str!("../migrations/0003_consent.sql")),
    (4, include_str!("../migrations/0004_patch_tests.sql")),
    (5, include_str!("../migrations/0005_follow_ups.sql")),
    (6, include_str!("../migrations/0006_idle_logout.sql")),
    (7, include_str!("../migrations/0007_time_zone.sql")),
    (8, include_str!("../migrations/0008_plan_settings.sql")),
    (9, include_str!("../migrations/0009_user_email_per_clinic.sql")),
];

/// Marks the start of a migration's SQLite-only part, when the backends differ.
const SQLITE_PART: &str = "-- @sqlite";
/// Marks the start of its PostgreSQL-only part (after the SQLite part).
const POSTGRES_PART: &str = "-- @postgres";

/// The SQLite flavour of a migration: the whole file, or its SQLite part when it has
/// one (the lines before it are shared).
pub(crate) fn sqlite(sql: &str) -> String {
    match (sql.find(SQLITE_PART), sql.find(POSTGRES_PART)) {
        (Some(a), Some(b)) => format!("{}{}", &sql[..a], &sql[a..b]),
        _ => sql.to_string(),
    }
}

/// The PostgreSQL flavour of a migration: the SQL is shared, only the auto-increment key
/// differs, so one file per migration serves both backends; a file with backend parts
/// gives its shared lines and its PostgreSQL part.
pub(crate) fn postgres(sql: &str) -> String {
    let sql = match (sql.find(SQLITE_PART), sql.find(POSTGRES_PART)) {
        (Some(a), Some(b)) => format!("{}{}", &sql[..a], &sql[b..]),
        _ => sql.to_string(),
    };
    sql.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
}

/// The schema version this build expects.
pub const SCHEMA_VERSION: i64 = 9;

/// Applies the pending migrations on `pool`, each through `flavour` (the backend's dialect).
pub(crate) async fn run(pool: &sqlx::AnyPool, flavour: impl Fn(&str) -> String) -> crate::StoreResult<()> {
    run_to(pool, flavour, SCHEMA_VERSION).await
}

/// Applies the pending migrations up to version `upto` (tests of an upgrade start from
/// an older schema).
pub(crate) async fn run_to(pool: &sqlx::AnyPool, flavour: impl Fn(&str) -> String, upto: i64) -> crate::StoreResult<()> {
    sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        .execute(pool)
        .await?;
    let current: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
        .fetch_one(pool)
        .await?;
    let current = current.unwrap_or(0);
    if current > SCHEMA_VERSION {
        return Err(crate::StoreError::Unsupported(format!(
            "the database is at schema version {current}, newer than this program's {SCHEMA_VERSION}; run a newer smp"
        )));
    }
    for (version, sql) in SQLITE.iter().filter(|(v, _)| *v > current && *v <= upto) {
        let sql = flavour(sql);
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(&sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(version)
            .bind(crate::model::now_unix())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}
