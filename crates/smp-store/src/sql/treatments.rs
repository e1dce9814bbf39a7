//! Tattoo sessions and their follow-up check-ins.

use async_trait::async_trait;
use sqlx::{Any, Row};

use super::*;
use crate::audit::*;
use crate::error::*;
use crate::model::*;
use crate::prelude::*;
use crate::records::*;

/// Tattoo sessions and their follow-up check-ins.
#[async_trait]
pub trait TreatmentStore: Send + Sync {
    /// Records a session; refuses expired or recalled lots and lots of the wrong kind.
    async fn record_session(&self, clinic: ClinicId, s: &NewTreatmentSession) -> StoreResult<TreatmentSession>;
    /// Records a session, its follow-up check-ins (days after, what to check) and its
    /// audit entry by `actor`, all in one transaction: all are written, or none.
    async fn record_session_audited(
        &self,
        clinic: ClinicId,
        s: &NewTreatmentSession,
        check_ins: &[(i64, &str)],
        actor: UserId,
    ) -> StoreResult<(TreatmentSession, AuditEntry)>;
    /// A client's sessions, by date.
    async fn list_sessions(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<TreatmentSession>>;
    /// Every session that used a lot (recall search).
    async fn sessions_with_lot(&self, clinic: ClinicId, lot: LotId) -> StoreResult<Vec<TreatmentSession>>;
    /// Every session of the clinic (rates per practitioner).
    async fn all_sessions(&self, clinic: ClinicId) -> StoreResult<Vec<TreatmentSession>>;
    /// Schedules a follow-up check-in after a session.
    async fn add_follow_up(&self, clinic: ClinicId, session: i64, due_on: &str, what: &str) -> StoreResult<FollowUp>;
    /// Marks a check-in done with what was found.
    async fn complete_follow_up(&self, clinic: ClinicId, id: FollowUpId, done_on: &str, note: &str) -> StoreResult<FollowUp>;
    /// Check-ins of one client, or of the whole clinic, by due date.
    async fn list_follow_ups(&self, clinic: ClinicId, client: Option<ClientId>) -> StoreResult<Vec<FollowUp>>;
}

#[async_trait]
impl TreatmentStore for SqlStore {
    async fn record_session(&self, clinic: ClinicId, s: &NewTreatmentSession) -> StoreResult<TreatmentSession> {
        self.check_session(clinic, s).await?;
        let mut tx = self.begin_write().await?;
        let rec = Self::insert_session(&mut tx, clinic, s).await?;
        tx.commit().await?;
        Ok(rec)
    }

    async fn record_session_audited(
        &self,
        clinic: ClinicId,
        s: &NewTreatmentSession,
        check_ins: &[(i64, &str)],
        actor: UserId,
    ) -> StoreResult<(TreatmentSession, AuditEntry)> {
        self.check_session(clinic, s).await?;
        let on: jiff::civil::Date = s
            .performed_on
            .parse()
            .map_err(|_| bad(format!("performed_on '{}' is not a date; use YYYY-MM-DD", s.performed_on)))?;
        // The session, its check-ins and its audit entry stand or fall together: a
        // crash mid-way once left a session with 1 of its 3 check-ins.
        let _serial = self.audit_lock.lock().await;
        let mut tx = self.begin_write().await?;
        let rec = Self::insert_session(&mut tx, clinic, s).await?;
        for (days, what) in check_ins {
            let due = on.saturating_add(jiff::Span::new().days(*days)).to_string();
            sqlx::query(
                "INSERT INTO follow_ups (clinic_id, client_id, session_id, due_on, what, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(clinic.0)
            .bind(s.client_id)
            .bind(rec.id)
            .bind(&due)
            .bind(*what)
            .bind(now_unix())
            .execute(&mut *tx)
            .await?;
        }
        let ev = AuditEvent {
            actor,
            action: "create",
            entity: "session",
            entity_id: rec.id.0,
            client_id: Some(s.client_id),
        };
        let entry = Self::append_audit_in(&mut tx, clinic, &ev)
            .await?
            .ok_or_else(|| bad("the audit log is busy (another server wrote to it); nothing was saved — try again".into()))?;
        tx.commit().await?;
        Ok((rec, entry))
    }

    async fn list_sessions(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<TreatmentSession>> {
        let sql =
            format!("SELECT {SESSION_COLS} FROM treatment_sessions WHERE clinic_id = $1 AND client_id = $2 ORDER BY performed_on, id");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn sessions_with_lot(&self, clinic: ClinicId, lot: LotId) -> StoreResult<Vec<TreatmentSession>> {
        let sql = format!(
            "SELECT {SESSION_COLS} FROM treatment_sessions WHERE clinic_id = $1 AND (needle_lot_id = $2 OR pigment_lot_id = $2) ORDER BY performed_on, id"
        );
        let rows = sqlx::query(&sql).bind(clinic.0).bind(lot).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn all_sessions(&self, clinic: ClinicId) -> StoreResult<Vec<TreatmentSession>> {
        let sql = format!("SELECT {SESSION_COLS} FROM treatment_sessions WHERE clinic_id = $1 ORDER BY performed_on, id");
        let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn add_follow_up(&self, clinic: ClinicId, session: i64, due_on: &str, what: &str) -> StoreResult<FollowUp> {
        check_date("due_on", due_on).map_err(bad)?;
        let client: ClientId = sqlx::query("SELECT client_id FROM treatment_sessions WHERE clinic_id = $1 AND id = $2")
            .bind(clinic.0)
            .bind(session)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("session"))?
            .try_get("client_id")?;
        let sql = format!(
            "INSERT INTO follow_ups (clinic_id, client_id, session_id, due_on, what, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {FOLLOW_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(client)
            .bind(session)
            .bind(due_on)
            .bind(what)
            .bind(now_unix())
            .fetch_one(&self.pool)
            .await?;
        from_row(&row)
    }

    async fn complete_follow_up(&self, clinic: ClinicId, id: FollowUpId, done_on: &str, note: &str) -> StoreResult<FollowUp> {
        check_text("note", note, NOTE_CHARS).map_err(bad)?;
        check_date("done_on", done_on).map_err(bad)?;
        let sql = format!(
            "UPDATE follow_ups SET done_on = $1, note = $2 WHERE clinic_id = $3 AND id = $4 AND done_on IS NULL RETURNING {FOLLOW_COLS}"
        );
        let rows = sqlx::query(&sql)
            .bind(done_on)
            .bind(note)
            .bind(clinic.0)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        match rows.first() {
            Some(r) => from_row(r),
            None => Err(StoreError::NotFound("open check-in")),
        }
    }

    async fn list_follow_ups(&self, clinic: ClinicId, client: Option<ClientId>) -> StoreResult<Vec<FollowUp>> {
        let sql = format!("SELECT {FOLLOW_COLS} FROM follow_ups WHERE clinic_id = $1 AND ($2 < 0 OR client_id = $2) ORDER BY due_on, id");
        let rows = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(client.map_or(-1, i64::from))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }
}

impl SqlStore {
    /// The rules a session must meet before it is written (lots, dates, a ready client).
    pub(crate) async fn check_session(&self, clinic: ClinicId, s: &NewTreatmentSession) -> StoreResult<()> {
        check_text("regions", &s.regions, SHORT_TEXT_CHARS).map_err(bad)?;
        check_text("dilution", &s.dilution, SHORT_TEXT_CHARS).map_err(bad)?;
        check_text("notes", &s.notes, NOTE_CHARS).map_err(bad)?;
        check_date("performed_on", &s.performed_on).map_err(bad)?;
        if s.impressions < 0 || s.design_session < 1 {
            return Err(bad("impressions must be ≥ 0 and the design session ≥ 1".into()));
        }
        self.client(clinic, s.client_id).await?;
        if let Some(d) = s.design_id {
            let design = self.design(clinic, d).await?;
            if design.client_id != s.client_id {
                return Err(bad(format!("design {d} belongs to another client")));
            }
        }
        for (id, kind) in [(s.needle_lot_id, "needle"), (s.pigment_lot_id, "pigment")] {
            let lot = self.lot(clinic, id).await?;
            if lot.kind != kind {
                return Err(bad(format!("lot {} is a {} lot, not a {kind} lot", lot.lot_number, lot.kind)));
            }
            if lot.recalled_at.is_some() {
                return Err(bad(format!(
                    "{kind} lot {} ({}) is recalled ({}); do not use it — take a lot that is not recalled",
                    lot.lot_number, lot.product, lot.recall_reason
                )));
            }
            // ISO dates compare as text.
            if lot.expires_on.as_str() < s.performed_on.as_str() {
                return Err(bad(format!(
                    "{kind} lot {} ({}) expired on {}, before the session date {}; use an in-date lot",
                    lot.lot_number, lot.product, lot.expires_on, s.performed_on
                )));
            }
        }
        let on: jiff::civil::Date = s
            .performed_on
            .parse()
            .map_err(|_| bad(format!("performed_on '{}' is not a date; use YYYY-MM-DD", s.performed_on)))?;
        let blockers = crate::readiness::session_blockers(self, clinic, s.client_id, on).await?;
        if !blockers.is_empty() {
            return Err(StoreError::NotReady(blockers));
        }
        Ok(())
    }

    /// Writes a checked session inside `tx`.
    pub(crate) async fn insert_session(
        tx: &mut sqlx::Transaction<'_, Any>,
        clinic: ClinicId,
        s: &NewTreatmentSession,
    ) -> StoreResult<TreatmentSession> {
        let sql = format!(
            "INSERT INTO treatment_sessions (clinic_id, client_id, performed_on, practitioner_id, design_id, design_session, regions, impressions, \
             needle_lot_id, pigment_lot_id, dilution, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {SESSION_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(s.client_id)
            .bind(&s.performed_on)
            .bind(s.practitioner_id)
            .bind(s.design_id)
            .bind(s.design_session)
            .bind(s.regions.trim())
            .bind(s.impressions)
            .bind(s.needle_lot_id)
            .bind(s.pigment_lot_id)
            .bind(s.dilution.trim())
            .bind(&s.notes)
            .bind(now_unix())
            .fetch_one(&mut **tx)
            .await?;
        from_row(&row)
    }
}
