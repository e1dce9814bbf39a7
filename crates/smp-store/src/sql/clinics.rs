//! Clinics: their names, idle-logout time and public results switch.

use async_trait::async_trait;
use sqlx::Row;

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
        sqlx::query("UPDATE clinics SET idle_minutes = $1 WHERE id = $2")
            .bind(minutes)
            .bind(clinic.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn idle_minutes(&self, clinic: ClinicId) -> StoreResult<i64> {
        let row = sqlx::query("SELECT idle_minutes FROM clinics WHERE id = $1")
            .bind(clinic.0)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(r.try_get("idle_minutes")?),
            None => Err(StoreError::NotFound("clinic")),
        }
    }

    async fn plan_settings(&self, clinic: ClinicId) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT plan_settings FROM clinics WHERE id = $1")
            .bind(clinic.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("clinic"))?;
        Ok(row.try_get("plan_settings")?)
    }

    async fn set_plan_settings(&self, clinic: ClinicId, json: &str) -> StoreResult<()> {
        check_text("plan settings", json, NOTE_CHARS).map_err(bad)?;
        let done = sqlx::query("UPDATE clinics SET plan_settings = $1 WHERE id = $2")
            .bind(json)
            .bind(clinic.0)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("clinic"));
        }
        Ok(())
    }

    async fn set_time_zone(&self, clinic: ClinicId, name: &str) -> StoreResult<()> {
        let name = name.trim();
        smp_records::clock::zone(name).map_err(bad)?;
        let done = sqlx::query("UPDATE clinics SET time_zone = $1 WHERE id = $2")
            .bind(name)
            .bind(clinic.0)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("clinic"));
        }
        Ok(())
    }

    async fn set_public_results(&self, clinic: ClinicId, on: bool) -> StoreResult<()> {
        sqlx::query("UPDATE clinics SET public_results = $1 WHERE id = $2")
            .bind(i64::from(on))
            .bind(clinic.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn public_results(&self, clinic: ClinicId) -> StoreResult<bool> {
        let row = sqlx::query("SELECT public_results FROM clinics WHERE id = $1")
            .bind(clinic.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<i64, _>("public_results")? == 1,
            None => false,
        })
    }
}
