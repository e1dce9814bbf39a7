//! Photo upload (limits and EXIF orientation as in the preview stage; stored as a clean,
//! upright copy with no metadata, by content hash), listing and download.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use smp_store::{ClientId, PhotoId};

use crate::api::views::PhotoJson;
use crate::api::views::UploadedJson;
use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult};
use crate::service::photos::store_upload;
use crate::state::AppState;

/// POST /api/v1/clients/{id}/photos (multipart; with the field `check=1` a photo that is
/// blurred or badly exposed is refused with the reason, as guided capture sends it)
pub async fn upload(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    mp: Multipart,
) -> AppResult<(StatusCode, Json<UploadedJson>)> {
    Ok((StatusCode::CREATED, Json(store_upload(&state, &me, client, mp).await?.into())))
}

/// GET /api/v1/clients/{id}/photos
pub async fn list(State(state): State<AppState>, me: CurrentUser, Path(client): Path<ClientId>) -> AppResult<Json<Vec<PhotoJson>>> {
    me.require(Permission::ReadMedical)?;
    state.store.client(me.clinic_id(), client).await?;
    crate::records::audit(&state, &me, "read", "photos", client, Some(client)).await?;
    Ok(Json(
        state
            .store
            .list_photos(me.clinic_id(), client)
            .await?
            .into_iter()
            .map(PhotoJson::from)
            .collect(),
    ))
}

/// GET /api/v1/photos/{id}
pub async fn get(State(state): State<AppState>, me: CurrentUser, Path(id): Path<PhotoId>) -> AppResult<Json<PhotoJson>> {
    me.require(Permission::ReadMedical)?;
    let p = state.store.photo(me.clinic_id(), id).await?;
    crate::records::audit(&state, &me, "read", "photo", id, Some(p.client_id)).await?;
    Ok(Json(p.into()))
}

/// GET /photos/{id}/image and /api/v1/photos/{id}/image: the stored file.
pub async fn image(State(state): State<AppState>, me: CurrentUser, Path(id): Path<PhotoId>) -> AppResult<Response> {
    me.require(Permission::ReadMedical)?;
    let photo = state.store.photo(me.clinic_id(), id).await?;
    crate::records::audit(&state, &me, "read", "photo", id, Some(photo.client_id)).await?;
    let files = state.files.clone();
    let hash = photo.sha256.clone();
    let bytes = tokio::task::spawn_blocking(move || files.get(&hash))
        .await
        .map_err(|e| AppError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    // The browser must apply EXIF orientation like the server does (CSS default
    // `image-orientation: from-image`), so pixel coordinates agree.
    Ok((
        [(header::CONTENT_TYPE, photo.media_type), (header::CACHE_CONTROL, "no-store".into())],
        bytes,
    )
        .into_response())
}
