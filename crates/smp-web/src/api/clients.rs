//! Clients API.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use smp_store::ClientId;
use smp_store::{Client, ClientFields};

use crate::api::json::ApiJson;
use crate::auth::{CurrentUser, Permission};
use crate::error::AppResult;
use crate::state::AppState;

/// `?q=`
#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// A client as the caller's role may see it (front desk: no notes).
fn visible(me: &CurrentUser, mut c: Client) -> Client {
    if !me.can(Permission::ReadMedical) {
        c.fields.notes.clear();
    }
    c
}

/// GET /api/v1/clients
pub async fn list(State(state): State<AppState>, me: CurrentUser, Query(s): Query<Search>) -> AppResult<Json<Vec<Client>>> {
    me.require(Permission::ReadContacts)?;
    let list = state.store.list_clients(me.clinic_id(), &s.q).await?;
    // The list carries every client's notes to those who may read them: one entry for
    // the whole list (entity id 0: no one client).
    crate::records::audit(&state, &me, "read", "client-list", 0, None).await?;
    Ok(Json(list.into_iter().map(|c| visible(&me, c)).collect()))
}

/// POST /api/v1/clients
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(mut f): ApiJson<ClientFields>,
) -> AppResult<(StatusCode, Json<Client>)> {
    me.require(Permission::EditContacts)?;
    if !me.can(Permission::EditMedical) {
        f.notes.clear();
    }
    // The client and its audit entry are written together.
    let c = state.store.create_client(me.clinic_id(), &f, me.user.id).await?;
    Ok((StatusCode::CREATED, Json(visible(&me, c))))
}

/// GET /api/v1/clients/{id}
pub async fn get(State(state): State<AppState>, me: CurrentUser, Path(id): Path<ClientId>) -> AppResult<Json<Client>> {
    me.require(Permission::ReadContacts)?;
    let c = state.store.client(me.clinic_id(), id).await?;
    crate::records::audit(&state, &me, "read", "client", id, Some(id)).await?;
    Ok(Json(visible(&me, c)))
}

/// PUT /api/v1/clients/{id}
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ClientId>,
    ApiJson(mut f): ApiJson<ClientFields>,
) -> AppResult<Json<Client>> {
    me.require(Permission::EditContacts)?;
    if !me.can(Permission::EditMedical) {
        f.notes = state.store.client(me.clinic_id(), id).await?.fields.notes;
    }
    let c = state.store.update_client(me.clinic_id(), id, &f, me.user.id).await?;
    Ok(Json(visible(&me, c)))
}
