//! Versioned migrations: numbered SQL files per backend, applied in order, each in its
//! own transaction with its version recorded, so a half-applied migration never sticks.

/// The SQLite migrations, (version, SQL), in order.
pub(crate) const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_records.sql")),
    (3, include_str!("../migrations/sqlite/0003_consent.sql")),
    (4, include_str!("../migrations/sqlite/0004_patch_tests.sql")),
    (5, include_str!("../migrations/sqlite/0005_follow_ups.sql")),
];

/// The PostgreSQL migrations, (version, SQL), in order.
pub(crate) const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_init.sql")),
    (2, include_str!("../migrations/postgres/0002_records.sql")),
    (3, include_str!("../migrations/postgres/0003_consent.sql")),
    (4, include_str!("../migrations/postgres/0004_patch_tests.sql")),
    (5, include_str!("../migrations/postgres/0005_follow_ups.sql")),
];

/// The schema version this build expects.
pub const SCHEMA_VERSION: i64 = 5;

/// Applies the pending migrations of `list` on `pool`.
macro_rules! run_migrations {
    ($pool:expr, $list:expr) => {{
        let pool = $pool;
        sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            .execute(pool)
            .await?;
        let current: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(pool)
            .await?;
        let current = current.unwrap_or(0);
        if current > $crate::migrate::SCHEMA_VERSION {
            return Err($crate::StoreError::Unsupported(format!(
                "the database is at schema version {current}, newer than this program's {}; run a newer smp",
                $crate::migrate::SCHEMA_VERSION
            )));
        }
        for (version, sql) in $list.iter().filter(|(v, _)| *v > current) {
            let mut tx = pool.begin().await?;
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(version)
                .bind($crate::model::now_unix())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok::<(), $crate::StoreError>(())
    }};
}

pub(crate) use run_migrations;
