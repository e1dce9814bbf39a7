//! The colour chart in a view's photo: found by itself or read at four clicks, its
//! correction put in the (unsaved) design's view.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use crate::api::json::ApiJson;
use crate::auth::{CurrentUser, Permission};
use crate::engine;
use crate::error::{AppError, AppResult};
use crate::service::designs::view_photo;
use crate::service::work::blocking;
use crate::state::AppState;

/// Body of `POST /api/v1/chart`.
#[derive(Deserialize)]
pub struct ChartBody {
    /// The design being edited.
    design: serde_json::Value,
    /// The view whose photo shows the chart.
    view: String,
    /// The centres of the chart's four corner patches, px, in any order (default: the
    /// chart is found by itself).
    #[serde(default)]
    corners_px: Option<[[f64; 2]; 4]>,
}

/// POST /api/v1/chart: the design with the view's colours corrected through the colour
/// chart in its photo, and how well the chart fits.
pub async fn chart(State(state): State<AppState>, me: CurrentUser, ApiJson(b): ApiJson<ChartBody>) -> AppResult<Json<serde_json::Value>> {
    me.require(Permission::EditMedical)?;
    let design = engine::parse_design(&b.design)?;
    let (view, photo) = view_photo(&state, &me, &design, &b.view).await?;
    let corners = b.corners_px;
    let reading = blocking(&state, move || {
        let r = match corners {
            Some(c) => smp_photo::chart::read_chart(&photo, c),
            None => smp_photo::chart::find_chart(&photo),
        };
        r.map_err(|e| AppError::field(if corners.is_some() { "corners_px" } else { "chart" }, e.to_string()))
    })
    .await?;
    let design = smp_photo::chart::with_chart(&design, &view.name, reading.record)?;
    Ok(Json(serde_json::json!({
        "design": engine::design_value(&design),
        "chart": chart_json(&reading.record, if corners.is_some() { "clicked" } else { "found" }),
    })))
}

/// The chart as the API reports it (`located`: `found` or `clicked`).
pub(crate) fn chart_json(r: &smp_design::ChartRecord, located: &str) -> serde_json::Value {
    serde_json::json!({
        "located": located,
        "corner_patches_px": r.corner_patches_px,
        "residual_delta_e00": r.residual_delta_e00,
        "worst_delta_e00": r.worst_delta_e00,
        "in_words": smp_color::delta_e::difference_in_words(r.residual_delta_e00),
    })
}
