//! Clients: contact details, search and erasure.

use async_trait::async_trait;

use super::*;
use crate::audit::AuditEvent;
use crate::error::*;
use crate::model::*;
use crate::prelude::*;

/// Clients: contact details, search and erasure.
#[async_trait]
pub trait ClientStore: Send + Sync {
    /// Creates a client.
    /// Creates a client, with its audit entry by user `by` in the same transaction.
    async fn create_client(&self, clinic: ClinicId, fields: &ClientFields, by: UserId) -> StoreResult<Client>;
    /// A client of this clinic.
    async fn client(&self, clinic: ClinicId, id: ClientId) -> StoreResult<Client>;
    /// Clients whose name, e-mail or phone contains `search` (case-insensitive), by name.
    async fn list_clients(&self, clinic: ClinicId, search: &str) -> StoreResult<Vec<Client>>;
    /// Replaces a client's contact details.
    async fn update_client(&self, clinic: ClinicId, id: ClientId, fields: &ClientFields, by: UserId) -> StoreResult<Client>;
    /// GDPR erasure of a client: contact details replaced by "erased client N", notes,
    /// photos, designs, survey comments and free-text fields removed; sessions (dates,
    /// lots, impressions) and adverse events (kind, severity, dates) kept anonymised
    /// for safety recalls. Returns the content hashes of the removed photos (whose files
    /// the caller deletes). Then the backend's storage is scrubbed (SQLite:
    /// secure_delete is on and the WAL is checkpointed; PostgreSQL: VACUUM).
    async fn erase_client(&self, clinic: ClinicId, id: ClientId) -> StoreResult<Vec<String>>;
}

#[async_trait]
impl ClientStore for SqlStore {
    async fn create_client(&self, clinic: ClinicId, f: &ClientFields, by: UserId) -> StoreResult<Client> {
        check_client(f)?;
        let (_serial, mut tx) = self.begin_audited().await?;
        let sql = format!(
            "INSERT INTO clients (clinic_id, name, email, phone, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {CLIENT_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(f.name.trim())
            .bind(f.email.trim())
            .bind(f.phone.trim())
            .bind(&f.notes)
            .bind(now_unix())
            .fetch_one(&mut *tx)
            .await?;
        let rec: Client = from_row(&row)?;
        let ev = AuditEvent::about_client(by, "create", "client", rec.id, rec.id);
        Self::commit_with_entry(tx, clinic, &ev).await?;
        Ok(rec)
    }

    async fn client(&self, clinic: ClinicId, id: ClientId) -> StoreResult<Client> {
        let sql = format!("SELECT {CLIENT_COLS} FROM clients WHERE clinic_id = $1 AND id = $2");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
        one(rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?, "client")
    }

    async fn list_clients(&self, clinic: ClinicId, search: &str) -> StoreResult<Vec<Client>> {
        let pattern = format!("%{}%", search.trim().to_lowercase().replace(['%', '_'], ""));
        let sql = format!(
            "SELECT {CLIENT_COLS} FROM clients WHERE clinic_id = $1 AND \
             (LOWER(name) LIKE $2 OR LOWER(email) LIKE $2 OR phone LIKE $2) ORDER BY LOWER(name), id"
        );
        let rows = sqlx::query(&sql).bind(clinic.0).bind(pattern).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn update_client(&self, clinic: ClinicId, id: ClientId, f: &ClientFields, by: UserId) -> StoreResult<Client> {
        check_client(f)?;
        let (_serial, mut tx) = self.begin_audited().await?;
        let sql = format!(
            "UPDATE clients SET name = $1, email = $2, phone = $3, notes = $4 WHERE clinic_id = $5 AND id = $6 RETURNING {CLIENT_COLS}"
        );
        let rows = sqlx::query(&sql)
            .bind(f.name.trim())
            .bind(f.email.trim())
            .bind(f.phone.trim())
            .bind(&f.notes)
            .bind(clinic.0)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("client"))?;
        let row = rows;
        let rec: Client = from_row(&row)?;
        let ev = AuditEvent::about_client(by, "change", "client", rec.id, rec.id);
        Self::commit_with_entry(tx, clinic, &ev).await?;
        Ok(rec)
    }

    async fn erase_client(&self, clinic: ClinicId, id: ClientId) -> StoreResult<Vec<String>> {
        self.client(clinic, id).await?;
        let photos = self.list_photos(clinic, id).await?;
        let mut tx = self.begin_write().await?;
        for (sql, what) in [
            (
                "DELETE FROM design_versions WHERE clinic_id = $1 AND design_id IN (SELECT id FROM designs WHERE clinic_id = $1 AND client_id = $2)",
                "design versions",
            ),
            ("DELETE FROM designs WHERE clinic_id = $1 AND client_id = $2", "designs"),
            (
                "UPDATE treatment_sessions SET notes = '', regions = '', design_id = NULL WHERE clinic_id = $1 AND client_id = $2",
                "sessions",
            ),
            (
                "UPDATE adverse_events SET action = '' WHERE clinic_id = $1 AND client_id = $2",
                "adverse events",
            ),
            (
                "UPDATE outcome_surveys SET comment = '' WHERE clinic_id = $1 AND client_id = $2",
                "surveys",
            ),
            ("DELETE FROM photos WHERE clinic_id = $1 AND client_id = $2", "photos"),
            (
                "UPDATE consent_signatures SET signer_name = '', signature_svg = '' WHERE clinic_id = $1 AND client_id = $2",
                "consent signatures",
            ),
            ("DELETE FROM screenings WHERE clinic_id = $1 AND client_id = $2", "screenings"),
            (
                "UPDATE follow_ups SET note = '' WHERE clinic_id = $1 AND client_id = $2",
                "check-ins",
            ),
            // Bookings hold the client's name in calendar feeds and a room note; no
            // recall needs them.
            ("DELETE FROM appointments WHERE clinic_id = $1 AND client_id = $2", "appointments"),
        ] {
            sqlx::query(sql)
                .bind(clinic.0)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::BadInput(format!("erasing the client's {what} failed, nothing was erased: {e}")))?;
        }
        sqlx::query("UPDATE clients SET name = $1, email = '', phone = '', notes = '' WHERE clinic_id = $2 AND id = $3")
            .bind(format!("erased client {id}"))
            .bind(clinic.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.scrub().await?;
        Ok(photos.into_iter().map(|p| p.sha256).collect())
    }
}

fn check_client(f: &ClientFields) -> StoreResult<()> {
    if f.name.trim().is_empty() {
        return Err(StoreError::BadInput("client name is empty; enter the client's name".into()));
    }
    if f.name.len() > 200 || f.email.len() > 200 || f.phone.len() > 50 || f.notes.len() > 20_000 {
        return Err(StoreError::BadInput(
            "client details too long (name/e-mail ≤ 200, phone ≤ 50, notes ≤ 20 000 characters)".into(),
        ));
    }
    Ok(())
}
