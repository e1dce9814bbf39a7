//! Clinics: their names, idle-logout time and public results switch.

use async_trait::async_trait;
use sqlx::{Any, Row};

use super::*;
use crate::error::*;
use crate::model::*;
use crate::records::*;

/// Clinics: their names, idle-logout time and public results switch.
#[async_trait]
pub trait ClinicStore: Send + Sync {
    /// Creates a clinic.
    async fn create_clinic(&self, name: &str) -> StoreResult<Clinic>;
    /// A clinic by name.
    async fn clinic_by_name(&self, name: &str) -> StoreResult<Option<Clinic>>;
    /// A clinic by id.
    async fn clinic(&self, id: ClinicId) -> StoreResult<Clinic>;
    /// How many clinics exist (0 on a new database).
    async fn clinic_count(&self) -> StoreResult<i64>;
    /// Every clinic (for `smp audit verify`).
    async fn list_clinics(&self) -> StoreResult<Vec<Clinic>>;
    /// Sets how long a login may sit unused before it ends, minutes
    /// ([`crate::model::IDLE_MINUTES_RANGE`]).
    async fn set_idle_minutes(&self, clinic: ClinicId, minutes: i64) -> StoreResult<()>;
    /// How long a login may sit unused before it ends, minutes.
    async fn idle_minutes(&self, clinic: ClinicId) -> StoreResult<i64>;
    /// The clinic's planning settings as stored (JSON; `None` when it has set none).
    async fn plan_settings(&self, clinic: ClinicId) -> StoreResult<Option<String>>;
    /// Stores the clinic's planning settings (JSON, checked by the caller).
    async fn set_plan_settings(&self, clinic: ClinicId, json: &str) -> StoreResult<()>;
    /// Sets the clinic's time zone (an IANA name, checked against the bundled zone
    /// database).
    async fn set_time_zone(&self, clinic: ClinicId, name: &str) -> StoreResult<()>;
    /// Turns the clinic's public results page on or off.
    async fn set_public_results(&self, clinic: ClinicId, on: bool) -> StoreResult<()>;
    /// Whether the clinic's public results page is on.
    async fn public_results(&self, clinic: ClinicId) -> StoreResult<bool>;
}

#[async_trait]
impl ClinicStore for SqlStore {
    async fn create_clinic(&self, name: &str) -> StoreResult<Clinic> {
        check_text("name", name, SHORT_TEXT_CHARS).map_err(StoreError::BadInput)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::BadInput("clinic name is empty; give the clinic a name".into()));
        }
        let row =
            sqlx::query("INSERT INTO clinics (name, created_at, time_zone) VALUES ($1, $2, $3) RETURNING id, name, time_zone, created_at")
                .bind(name)
                .bind(now_unix())
                .bind(smp_records::clock::system_zone_name())
                .fetch_one(&self.pool)
                .await
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        StoreError::Duplicate {
                            field: "clinic name",
                            value: name.to_string(),
                        }
                    } else {
                        e.into()
                    }
                })?;
        from_row(&row)
    }

    async fn clinic_by_name(&self, name: &str) -> StoreResult<Option<Clinic>> {
        let row = sqlx::query("SELECT id, name, time_zone, created_at FROM clinics WHERE name = $1")
            .bind(name.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn clinic(&self, id: ClinicId) -> StoreResult<Clinic> {
        let rows = sqlx::query("SELECT id, name, time_zone, created_at FROM clinics WHERE id = $1")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await?;
        one(rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?, "clinic")
    }

    async fn clinic_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM clinics")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    async fn list_clinics(&self) -> StoreResult<Vec<Clinic>> {
        let rows = sqlx::query("SELECT id, name, time_zone, created_at FROM clinics ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    async fn set_idle_minutes(&self, clinic: ClinicId, minutes: i64) -> StoreResult<()> {
        if !(IDLE_MINUTES_RANGE.0..=IDLE_MINUTES_RANGE.1).contains(&minutes) {
            return Err(bad(format!(
                "{minutes} minutes is not an idle time the app accepts; choose {} to {} minutes",
                IDLE_MINUTES_RANGE.0, IDLE_MINUTES_RANGE.1
            )));
        }
        self.set_setting(clinic, "idle_minutes", minutes).await
    }

    async fn idle_minutes(&self, clinic: ClinicId) -> StoreResult<i64> {
        self.setting(clinic, "idle_minutes").await
    }

    async fn plan_settings(&self, clinic: ClinicId) -> StoreResult<Option<String>> {
        self.setting(clinic, "plan_settings").await
    }

    async fn set_plan_settings(&self, clinic: ClinicId, json: &str) -> StoreResult<()> {
        check_text("plan settings", json, NOTE_CHARS).map_err(bad)?;
        self.set_setting(clinic, "plan_settings", json.to_string()).await
    }

    async fn set_time_zone(&self, clinic: ClinicId, name: &str) -> StoreResult<()> {
        let name = name.trim();
        smp_records::clock::zone(name).map_err(bad)?;
        self.set_setting(clinic, "time_zone", name.to_string()).await
    }

    async fn set_public_results(&self, clinic: ClinicId, on: bool) -> StoreResult<()> {
        self.set_setting(clinic, "public_results", i64::from(on)).await
    }

    async fn public_results(&self, clinic: ClinicId) -> StoreResult<bool> {
        Ok(self.setting::<i64>(clinic, "public_results").await? == 1)
    }
}

impl SqlStore {
    /// One setting column of a clinic (`column` is one of this module's names, never
    /// user input).
    async fn setting<T>(&self, clinic: ClinicId, column: &'static str) -> StoreResult<T>
    where
        T: for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any>,
    {
        let row = sqlx::query(&format!("SELECT {column} FROM clinics WHERE id = $1"))
            .bind(clinic.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("clinic"))?;
        Ok(row.try_get(column)?)
    }

    /// Sets one setting column of a clinic.
    async fn set_setting<T>(&self, clinic: ClinicId, column: &'static str, value: T) -> StoreResult<()>
    where
        T: for<'q> sqlx::Encode<'q, Any> + sqlx::Type<Any> + Send,
    {
        let done = sqlx::query(&format!("UPDATE clinics SET {column} = $1 WHERE id = $2"))
            .bind(value)
            .bind(clinic.0)
            .execute(&self.pool)
            .await?;
        touched(done, "clinic")
    }
}
