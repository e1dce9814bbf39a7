//! Clients API.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use smp_store::ClientFields;
use smp_store::ClientId;

use crate::api::json::ApiJson;
use crate::api::views::ClientJson;
use crate::auth::{CurrentUser, Permission};
use crate::error::AppResult;
use crate::state::AppState;

/// `?q=`
#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// GET /api/v1/clients
pub async fn list(State(state): State<AppState>, me: CurrentUser, Query(s): Query<Search>) -> AppResult<Json<Vec<ClientJson>>> {
    me.require(Permission::ReadContacts)?;
    let list = state.store.list_clients(me.clinic_id(), &s.q).await?;
    // The list carries every client's notes to those who may read them: one entry for
    // the whole list (entity id 0: no one client).
    crate::records::audit(&state, &me, "read", "client-list", 0, None).await?;
    Ok(Json(list.into_iter().map(|c| ClientJson::seen_by(c, &me)).collect()))
}

/// POST /api/v1/clients
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(mut f): ApiJson<ClientFields>,
) -> AppResult<(StatusCode, Json<ClientJson>)> {
    me.require(Permission::EditContacts)?;
    if !me.can(Permission::EditMedical) {
        f.notes.clear();
    }
    // The client and its audit entry are written together.
    let c = state.store.create_client(me.clinic_id(), &f, me.user.id).await?;
    Ok((StatusCode::CREATED, Json(ClientJson::seen_by(c, &me))))
}

/// GET /api/v1/clients/{id}
pub async fn get(State(state): State<AppState>, me: CurrentUser, Path(id): Path<ClientId>) -> AppResult<Json<ClientJson>> {
    me.require(Permission::ReadContacts)?;
    let c = state.store.client(me.clinic_id(), id).await?;
    crate::records::audit(&state, &me, "read", "client", id, Some(id)).await?;
    Ok(Json(ClientJson::seen_by(c, &me)))
}

/// PUT /api/v1/clients/{id}
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ClientId>,
    ApiJson(mut f): ApiJson<ClientFields>,
) -> AppResult<Json<ClientJson>> {
    me.require(Permission::EditContacts)?;
    if !me.can(Permission::EditMedical) {
        f.notes = state.store.client(me.clinic_id(), id).await?.fields.notes;
    }
    let c = state.store.update_client(me.clinic_id(), id, &f, me.user.id).await?;
    Ok(Json(ClientJson::seen_by(c, &me)))
}
