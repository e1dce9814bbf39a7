//! Records API: lots and recall search, sessions, adverse events, surveys, outcomes and
//! the audit log.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use smp_store::audit::verify;
use smp_store::{AdverseEvent, Lot, NewAdverseEvent, NewLot, NewSurvey, NewTreatmentSession, Survey, TreatmentSession};
use smp_store::{ClientId, LotId};

use crate::api::json::ApiJson;
use crate::auth::{CurrentUser, Permission};
use crate::error::AppResult;
use crate::records::audit;
use crate::service::records::outcome_groups;
use crate::state::AppState;
use smp_records::stats::PUBLISHED;

/// GET /api/v1/lots
pub async fn lots(State(state): State<AppState>, me: CurrentUser) -> AppResult<Json<Vec<Lot>>> {
    me.require(Permission::ReadMedical)?;
    Ok(Json(state.store.list_lots(me.clinic_id()).await?))
}

/// POST /api/v1/lots
pub async fn add_lot(State(state): State<AppState>, me: CurrentUser, ApiJson(l): ApiJson<NewLot>) -> AppResult<(StatusCode, Json<Lot>)> {
    me.require(Permission::EditMedical)?;
    let lot = state.store.add_lot(me.clinic_id(), &l).await?;
    audit(&state, &me, "create", "lot", lot.id, None).await?;
    Ok((StatusCode::CREATED, Json(lot)))
}

/// GET /api/v1/lots/{id}
pub async fn lot(State(state): State<AppState>, me: CurrentUser, Path(id): Path<LotId>) -> AppResult<Json<Lot>> {
    me.require(Permission::ReadMedical)?;
    Ok(Json(state.store.lot(me.clinic_id(), id).await?))
}

/// Body of a recall.
#[derive(Deserialize)]
pub struct RecallBody {
    reason: String,
}

/// POST /api/v1/lots/{id}/recall
pub async fn recall(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<LotId>,
    ApiJson(b): ApiJson<RecallBody>,
) -> AppResult<Json<Lot>> {
    me.require(Permission::EditMedical)?;
    let lot = state.store.recall_lot(me.clinic_id(), id, &b.reason).await?;
    audit(&state, &me, "recall", "lot", id, None).await?;
    Ok(Json(lot))
}

/// One hit of a recall search: a session that used the lot, or a patch test of it (both
/// put the pigment in the client's skin).
#[derive(Serialize)]
pub struct RecallHit {
    /// `session` or `patch_test`.
    via: &'static str,
    /// The session, for a session hit.
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<TreatmentSession>,
    /// The patch test, for a patch-test hit.
    #[serde(skip_serializing_if = "Option::is_none")]
    patch_test: Option<smp_store::PatchTest>,
    client_name: String,
    client_email: String,
    client_phone: String,
}

/// GET /api/v1/lots/{id}/sessions: every session and patch test (and its client) that
/// used the lot.
pub async fn recall_search(State(state): State<AppState>, me: CurrentUser, Path(id): Path<LotId>) -> AppResult<Json<Vec<RecallHit>>> {
    me.require(Permission::ReadMedical)?;
    let clinic = me.clinic_id();
    state.store.lot(clinic, id).await?;
    let mut out = Vec::new();
    for s in state.store.sessions_with_lot(clinic, id).await? {
        let c = state.store.client(clinic, s.client_id).await?;
        out.push(RecallHit {
            via: "session",
            session: Some(s),
            patch_test: None,
            client_name: c.fields.name,
            client_email: c.fields.email,
            client_phone: c.fields.phone,
        });
    }
    for t in state.store.patch_tests_with_lot(clinic, id).await? {
        let c = state.store.client(clinic, t.client_id).await?;
        out.push(RecallHit {
            via: "patch_test",
            session: None,
            patch_test: Some(t),
            client_name: c.fields.name,
            client_email: c.fields.email,
            client_phone: c.fields.phone,
        });
    }
    audit(&state, &me, "export", "recall-search", id, None).await?;
    Ok(Json(out))
}

/// GET /api/v1/clients/{id}/sessions
pub async fn sessions(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
) -> AppResult<Json<Vec<TreatmentSession>>> {
    me.require(Permission::ReadMedical)?;
    state.store.client(me.clinic_id(), client).await?;
    audit(&state, &me, "read", "sessions", client, Some(client)).await?;
    Ok(Json(state.store.list_sessions(me.clinic_id(), client).await?))
}

/// POST /api/v1/clients/{id}/sessions: the practitioner is the caller.
pub async fn record_session(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    ApiJson(mut s): ApiJson<NewTreatmentSession>,
) -> AppResult<(StatusCode, Json<TreatmentSession>)> {
    me.require(Permission::EditMedical)?;
    s.client_id = client;
    s.practitioner_id = me.user.id;
    let rec = crate::service::records::record_session_with_follow_ups(&state, &me, &s).await?;
    Ok((StatusCode::CREATED, Json(rec)))
}

/// GET /api/v1/clients/{id}/adverse-events
pub async fn events(State(state): State<AppState>, me: CurrentUser, Path(client): Path<ClientId>) -> AppResult<Json<Vec<AdverseEvent>>> {
    me.require(Permission::ReadMedical)?;
    state.store.client(me.clinic_id(), client).await?;
    audit(&state, &me, "read", "adverse-events", client, Some(client)).await?;
    Ok(Json(state.store.list_adverse_events(me.clinic_id(), Some(client)).await?))
}

/// POST /api/v1/clients/{id}/adverse-events
pub async fn record_event(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    ApiJson(mut e): ApiJson<NewAdverseEvent>,
) -> AppResult<(StatusCode, Json<AdverseEvent>)> {
    me.require(Permission::EditMedical)?;
    e.client_id = client;
    e.practitioner_id = me.user.id;
    let rec = state.store.add_adverse_event(me.clinic_id(), &e, me.user.id).await?;
    Ok((StatusCode::CREATED, Json(rec)))
}

/// POST /api/v1/clients/{id}/surveys
pub async fn record_survey(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    ApiJson(mut s): ApiJson<NewSurvey>,
) -> AppResult<(StatusCode, Json<Survey>)> {
    me.require(Permission::EditMedical)?;
    s.client_id = client;
    if s.practitioner_id == smp_store::UserId::default() {
        s.practitioner_id = me.user.id;
    }
    let rec = state.store.add_survey(me.clinic_id(), &s).await?;
    audit(&state, &me, "create", "survey", rec.id, Some(client)).await?;
    Ok((StatusCode::CREATED, Json(rec)))
}

/// GET /api/v1/outcomes: per clinic and practitioner, with the published figures.
pub async fn outcomes(State(state): State<AppState>, me: CurrentUser) -> AppResult<Json<serde_json::Value>> {
    me.require(Permission::ReadMedical)?;
    let groups = outcome_groups(&state, &me).await?;
    Ok(Json(serde_json::json!({ "groups": groups, "published": PUBLISHED })))
}

/// GET /api/v1/audit (owner): the chain and whether it verifies.
pub async fn audit_log(State(state): State<AppState>, me: CurrentUser) -> AppResult<Json<serde_json::Value>> {
    me.require(Permission::ManageClinic)?;
    let entries = state.store.audit_log(me.clinic_id()).await?;
    let check = verify(&entries).and_then(|()| match &state.anchor {
        Some(a) => a.check(me.clinic_id(), &entries),
        None => Ok(()),
    });
    Ok(Json(serde_json::json!({
        "verified": check.is_ok(),
        "break": check.err().map(|b| serde_json::json!({"seq": b.seq, "reason": b.reason})),
        "entries": entries.into_iter().map(crate::api::views::AuditEntryJson::from).collect::<Vec<_>>(),
    })))
}
