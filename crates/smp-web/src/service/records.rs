//! Clinical records as pages and the API both use them: recording a session with its
//! check-ins, the outcome figures, and the client's export.

use crate::auth::{CurrentUser, Permission};
use crate::error::AppResult;
use crate::records::audit;
use crate::state::AppState;
use axum::extract::{Path, State};
use smp_records::summary::{GroupStats, summarise};
use smp_store::ClientId;
use smp_store::NewTreatmentSession;

/// Follow-up check-ins after a session: days after, and what to look at.
pub const CHECK_INS: [(i64, &str); 3] = [
    (2, "call: redness and swelling settling?"),
    (7, "call: flaking over, any signs of infection or allergy?"),
    (28, "visit: healed colour, plan the next session"),
];

/// Records a session (page and API alike): the store's checks, then the session, its
/// check-ins and its audit entry in one transaction; the audit head is signed after.
pub async fn record_session_with_follow_ups(
    state: &AppState,
    me: &CurrentUser,
    s: &NewTreatmentSession,
) -> AppResult<smp_store::TreatmentSession> {
    let (rec, entry) = state
        .store
        .record_session_audited(me.clinic_id(), s, &CHECK_INS, me.user.id)
        .await?;
    crate::records::audit::sign_head(state, &entry)?;
    Ok(rec)
}

/// The clinic's outcome figures (shared by the page and the API).
pub async fn outcome_groups(state: &AppState, me: &CurrentUser) -> AppResult<Vec<GroupStats>> {
    outcome_groups_of(state, me.clinic_id()).await
}

/// The figures of `clinic`: the clinic first, then each practitioner.
pub async fn outcome_groups_of(state: &AppState, clinic: smp_store::ClinicId) -> AppResult<Vec<GroupStats>> {
    let users = state.store.list_users(clinic).await?;
    let surveys = state.store.list_surveys(clinic).await?;
    let sessions = state.store.all_sessions(clinic).await?;
    let events = state.store.list_adverse_events(clinic, None).await?;
    let practitioners: Vec<(smp_store::UserId, &str)> = users.iter().map(|u| (u.id, u.email.as_str())).collect();
    Ok(summarise(&practitioners, &surveys, &sessions, &events))
}

/// GET /clients/{id}/export.zip and /api/v1/clients/{id}/export.zip (owner, practitioner).
pub async fn export(State(state): State<AppState>, me: CurrentUser, Path(id): Path<ClientId>) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    me.require(Permission::ReadMedical)?;
    let zip = crate::records::gdpr::export_zip(&state, &me, id).await?;
    audit(&state, &me, "export", "client-record", id, Some(id)).await?;
    let disposition = format!("attachment; filename=\"client-{id}-export.zip\"");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/zip".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        zip,
    )
        .into_response())
}
