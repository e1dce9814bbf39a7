//! "Fit to photo": the design fitted to the client's own head in a view's photo, and the
//! photo's reading (labels) drawn over it.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::api::json::ApiJson;
use crate::auth::{CurrentUser, Permission};
use crate::engine;
use crate::error::AppResult;
use crate::fitting::{self, FitJson, FitRequest};
use crate::service::designs::view_photo;
use crate::service::work::blocking;
use crate::state::AppState;

/// POST /api/v1/fit: the (unsaved) design fitted to its view's photo, with a summary.
pub async fn fit(State(state): State<AppState>, me: CurrentUser, ApiJson(req): ApiJson<FitRequest>) -> AppResult<Json<FitJson>> {
    me.require(Permission::EditMedical)?;
    let design = engine::parse_design(&req.design)?;
    let (_, photo) = view_photo(&state, &me, &design, &req.view).await?;
    Ok(Json(blocking(&state, move || fitting::fit(&req, &photo)).await?))
}

/// Body of `POST /api/v1/overlay`.
#[derive(Deserialize)]
pub struct OverlayBody {
    design: serde_json::Value,
    view: String,
    #[serde(default = "default_width")]
    max_width_px: u32,
}

fn default_width() -> u32 {
    1400
}

/// POST /api/v1/overlay: a PNG of the view's photo with its stored reading (bald,
/// thinning, haired scalp, skin, background) tinted over it.
pub async fn overlay(State(state): State<AppState>, me: CurrentUser, ApiJson(b): ApiJson<OverlayBody>) -> AppResult<Response> {
    me.require(Permission::ReadMedical)?;
    let design = engine::parse_design(&b.design)?;
    let (view, photo) = view_photo(&state, &me, &design, &b.view).await?;
    let max_w = b.max_width_px.clamp(200, 4000);
    let png = blocking(&state, move || engine::png(&fitting::overlay(&view, &photo, max_w)?)).await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}
