//! Designs and their saved versions.

use async_trait::async_trait;
use sqlx::Row;

use super::*;
use crate::audit::AuditEvent;
use crate::error::*;
use crate::model::*;
use crate::prelude::*;
use crate::records::*;

/// Designs and their saved versions.
#[async_trait]
pub trait DesignStore: Send + Sync {
    /// Creates a design with its version 1.
    async fn create_design(
        &self,
        clinic: ClinicId,
        client: ClientId,
        name: &str,
        photo: Option<PhotoId>,
        json: &str,
        user: UserId,
    ) -> StoreResult<(DesignRecord, DesignVersion)>;
    /// A design of this clinic.
    async fn design(&self, clinic: ClinicId, id: DesignId) -> StoreResult<DesignRecord>;
    /// A client's designs.
    async fn list_designs(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<DesignRecord>>;
    /// One version of a design.
    async fn design_version(&self, clinic: ClinicId, design: DesignId, version: i64) -> StoreResult<DesignVersion>;
    /// One version of a design with the client the design is for (one query: an audited
    /// read needs both).
    async fn design_version_for(&self, clinic: ClinicId, design: DesignId, version: i64) -> StoreResult<(DesignVersion, ClientId)>;
    /// All versions of a design, oldest first.
    async fn list_versions(&self, clinic: ClinicId, design: DesignId) -> StoreResult<Vec<DesignVersion>>;
    /// Saves `json` as the version after `base_version`; a [`crate::StoreError::Conflict`]
    /// when someone saved after `base_version` (nothing is overwritten).
    async fn save_version(
        &self,
        clinic: ClinicId,
        design: DesignId,
        base_version: i64,
        json: &str,
        note: &str,
        user: UserId,
    ) -> StoreResult<DesignVersion>;
    /// Deletes a design and its versions, unless a recorded session was done from it
    /// (then it is part of the treatment record and stays: `BadInput` says so).
    async fn delete_design(&self, clinic: ClinicId, id: DesignId) -> StoreResult<()>;
}

#[async_trait]
impl DesignStore for SqlStore {
    async fn create_design(
        &self,
        clinic: ClinicId,
        client: ClientId,
        name: &str,
        photo: Option<PhotoId>,
        json: &str,
        user: UserId,
    ) -> StoreResult<(DesignRecord, DesignVersion)> {
        if name.trim().is_empty() {
            return Err(StoreError::BadInput("design name is empty; give it a name".into()));
        }
        check_text("name", name, SHORT_TEXT_CHARS).map_err(StoreError::BadInput)?;
        self.client(clinic, client).await?;
        if let Some(p) = photo {
            self.photo(clinic, p).await?;
        }
        let now = now_unix();
        let (_serial, mut tx) = self.begin_audited().await?;
        let sql = format!(
            "INSERT INTO designs (clinic_id, client_id, name, photo_id, latest_version, created_at) \
             VALUES ($1, $2, $3, $4, 1, $5) RETURNING {DESIGN_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(client)
            .bind(name.trim())
            .bind(photo)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        let design: DesignRecord = from_row(&row)?;
        let sql = format!(
            "INSERT INTO design_versions (design_id, clinic_id, version, json, note, created_by, created_at) \
             VALUES ($1, $2, 1, $3, 'created', $4, $5) RETURNING {VERSION_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(design.id)
            .bind(clinic.0)
            .bind(json)
            .bind(user)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        let version = from_row(&row)?;
        let ev = AuditEvent::about_client(user, "create", "design", design.id, client);
        Self::commit_with_entry(tx, clinic, &ev).await?;
        Ok((design, version))
    }

    async fn design(&self, clinic: ClinicId, id: DesignId) -> StoreResult<DesignRecord> {
        let sql = format!("SELECT {DESIGN_COLS} FROM designs WHERE clinic_id = $1 AND id = $2");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
        one(rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?, "design")
    }

    async fn list_designs(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<DesignRecord>> {
        let sql = format!("SELECT {DESIGN_COLS} FROM designs WHERE clinic_id = $1 AND client_id = $2 ORDER BY id");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn design_version(&self, clinic: ClinicId, design: DesignId, version: i64) -> StoreResult<DesignVersion> {
        let sql = format!("SELECT {VERSION_COLS} FROM design_versions WHERE clinic_id = $1 AND design_id = $2 AND version = $3");
        let rows = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(design)
            .bind(version)
            .fetch_all(&self.pool)
            .await?;
        one(rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?, "design version")
    }

    async fn design_version_for(&self, clinic: ClinicId, design: DesignId, version: i64) -> StoreResult<(DesignVersion, ClientId)> {
        let row = sqlx::query(
            "SELECT v.design_id, v.version, v.json, v.note, v.created_by, v.created_at, d.client_id \
             FROM design_versions v JOIN designs d ON d.id = v.design_id AND d.clinic_id = v.clinic_id \
             WHERE v.clinic_id = $1 AND v.design_id = $2 AND v.version = $3",
        )
        .bind(clinic.0)
        .bind(design)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound("design version"))?;
        Ok((from_row(&row)?, ClientId(row.try_get("client_id")?)))
    }

    async fn list_versions(&self, clinic: ClinicId, design: DesignId) -> StoreResult<Vec<DesignVersion>> {
        let sql = format!("SELECT {VERSION_COLS} FROM design_versions WHERE clinic_id = $1 AND design_id = $2 ORDER BY version");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(design).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn save_version(
        &self,
        clinic: ClinicId,
        design: DesignId,
        base_version: i64,
        json: &str,
        note: &str,
        user: UserId,
    ) -> StoreResult<DesignVersion> {
        check_text("note", note, NOTE_CHARS).map_err(StoreError::BadInput)?;
        let (_serial, mut tx) = self.begin_audited().await?;
        // The conditional update is the lock: of two saves from the same base,
        // exactly one moves latest_version on; the other changes no row.
        let moved = sqlx::query(
            "UPDATE designs SET latest_version = $1 WHERE clinic_id = $2 AND id = $3 AND latest_version = $4 RETURNING client_id",
        )
        .bind(base_version + 1)
        .bind(clinic.0)
        .bind(design)
        .bind(base_version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(moved) = moved else {
            drop(tx);
            let current = self.design(clinic, design).await?;
            return Err(StoreError::Conflict {
                design_id: design,
                base_version,
                latest_version: current.latest_version,
            });
        };
        let client: ClientId = moved.try_get("client_id")?;
        let sql = format!(
            "INSERT INTO design_versions (design_id, clinic_id, version, json, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {VERSION_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(design)
            .bind(clinic.0)
            .bind(base_version + 1)
            .bind(json)
            .bind(note)
            .bind(user)
            .bind(now_unix())
            .fetch_one(&mut *tx)
            .await?;
        let version = from_row(&row)?;
        let ev = AuditEvent::about_client(user, "change", "design", design, client);
        Self::commit_with_entry(tx, clinic, &ev).await?;
        Ok(version)
    }

    async fn delete_design(&self, clinic: ClinicId, id: DesignId) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        // The check and the delete in one transaction: a session recorded from the
        // design meanwhile makes the delete fail on its reference, not orphan it.
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM designs WHERE clinic_id = $1 AND id = $2")
            .bind(clinic.0)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if n == 0 {
            return Err(StoreError::NotFound("design"));
        }
        let used: i64 = sqlx::query("SELECT COUNT(*) AS n FROM treatment_sessions WHERE clinic_id = $1 AND design_id = $2")
            .bind(clinic.0)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if used > 0 {
            return Err(bad(format!(
                "this design is kept: {used} recorded {} done from it, and the treatment record must show what was done",
                if used == 1 { "session was" } else { "sessions were" }
            )));
        }
        sqlx::query("DELETE FROM design_versions WHERE clinic_id = $1 AND design_id = $2")
            .bind(clinic.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM designs WHERE clinic_id = $1 AND id = $2")
            .bind(clinic.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
