//! Adverse events and outcome surveys.

use async_trait::async_trait;

use super::*;
use crate::audit::AuditEvent;
use crate::error::*;
use crate::model::*;
use crate::prelude::*;
use crate::records::*;

/// Adverse events and outcome surveys.
#[async_trait]
pub trait OutcomeStore: Send + Sync {
    /// Records an adverse event.
    async fn add_adverse_event(&self, clinic: ClinicId, e: &NewAdverseEvent, by: UserId) -> StoreResult<AdverseEvent>;
    /// Adverse events of one client, or of the whole clinic.
    async fn list_adverse_events(&self, clinic: ClinicId, client: Option<ClientId>) -> StoreResult<Vec<AdverseEvent>>;
    /// Records an outcome survey.
    async fn add_survey(&self, clinic: ClinicId, s: &NewSurvey) -> StoreResult<Survey>;
    /// The clinic's surveys.
    async fn list_surveys(&self, clinic: ClinicId) -> StoreResult<Vec<Survey>>;
}

#[async_trait]
impl OutcomeStore for SqlStore {
    async fn add_adverse_event(&self, clinic: ClinicId, e: &NewAdverseEvent, by: UserId) -> StoreResult<AdverseEvent> {
        check_text("action", &e.action, NOTE_CHARS).map_err(bad)?;
        check_date("onset_on", &e.onset_on).map_err(bad)?;
        if let Some(r) = &e.resolved_on {
            check_date("resolved_on", r).map_err(bad)?;
            if r.as_str() < e.onset_on.as_str() {
                return Err(bad(format!("resolved_on {r} is before the onset {}", e.onset_on)));
            }
        }
        self.client(clinic, e.client_id).await?;
        if let Some(sid) = e.session_id {
            let ok = self.list_sessions(clinic, e.client_id).await?.iter().any(|s| s.id == sid);
            if !ok {
                return Err(StoreError::NotFound("session"));
            }
        }
        let (_serial, mut tx) = self.begin_audited().await?;
        let sql = format!(
            "INSERT INTO adverse_events (clinic_id, client_id, session_id, kind, severity, onset_on, resolved_on, action, practitioner_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {EVENT_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(e.client_id)
            .bind(e.session_id)
            .bind(e.kind.as_str())
            .bind(e.severity.as_str())
            .bind(&e.onset_on)
            .bind(&e.resolved_on)
            .bind(&e.action)
            .bind(e.practitioner_id)
            .bind(now_unix())
            .fetch_one(&mut *tx)
            .await?;
        let rec: AdverseEvent = from_row(&row)?;
        let ev = AuditEvent::about_client(by, "create", "adverse-event", rec.id, rec.client_id);
        Self::commit_with_entry(tx, clinic, &ev).await?;
        Ok(rec)
    }

    async fn list_adverse_events(&self, clinic: ClinicId, client: Option<ClientId>) -> StoreResult<Vec<AdverseEvent>> {
        let sql =
            format!("SELECT {EVENT_COLS} FROM adverse_events WHERE clinic_id = $1 AND ($2 < 0 OR client_id = $2) ORDER BY onset_on, id");
        let rows = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(client.map_or(-1, i64::from))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    async fn add_survey(&self, clinic: ClinicId, s: &NewSurvey) -> StoreResult<Survey> {
        check_text("comment", &s.comment, NOTE_CHARS).map_err(bad)?;
        if !(1..=5).contains(&s.satisfaction) {
            return Err(bad(format!(
                "satisfaction {} is out of range: 1 (very dissatisfied) to 5 (very satisfied)",
                s.satisfaction
            )));
        }
        if s.comment.len() > 5000 {
            return Err(bad("the comment is over 5000 characters".into()));
        }
        self.client(clinic, s.client_id).await?;
        self.user(clinic, s.practitioner_id).await?;
        let sql = format!(
            "INSERT INTO outcome_surveys (clinic_id, client_id, practitioner_id, satisfaction, would_recommend, comment, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {SURVEY_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(s.client_id)
            .bind(s.practitioner_id)
            .bind(s.satisfaction)
            .bind(i64::from(s.would_recommend))
            .bind(&s.comment)
            .bind(now_unix())
            .fetch_one(&self.pool)
            .await?;
        from_row(&row)
    }

    async fn list_surveys(&self, clinic: ClinicId) -> StoreResult<Vec<Survey>> {
        let sql = format!("SELECT {SURVEY_COLS} FROM outcome_surveys WHERE clinic_id = $1 ORDER BY id");
        let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }
}
