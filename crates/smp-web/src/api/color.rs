//! Colour API: the pigment library and pigment matching on a design's photo (the same
//! answer as `smp color match D --view NAME --json`).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use smp_color::pigments::PigmentLibrary;
use smp_color::srgb::{lab_range_error, linear_to_rgb8};
use smp_photo::matching::{GivenColours, PhotoMatchError, match_on_photo};

use crate::api::json::ApiJson;
use crate::auth::{CurrentUser, Permission};
use crate::engine;
use crate::error::{AppError, AppResult};
use crate::service::designs::view_photo;
use crate::service::work::blocking;
use crate::state::AppState;

/// GET /api/v1/pigments: the pigment library the previews and matching use.
pub async fn pigments(me: CurrentUser) -> AppResult<Json<serde_json::Value>> {
    me.require(Permission::ReadMedical)?;
    let lib = PigmentLibrary::builtin();
    Ok(Json(serde_json::json!({
        "dilutions_water_parts": lib.dilutions,
        "pigments": lib.pigments.iter().map(|p| serde_json::json!({
            "name": p.name,
            "masstone_srgb8": linear_to_rgb8(p.masstone_linear),
            "note": p.note,
        })).collect::<Vec<_>>(),
    })))
}

/// Body of `POST /api/v1/color/match`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchBody {
    design: serde_json::Value,
    view: String,
    /// Measured scalp skin, CIELAB; sampled from the photo when absent.
    #[serde(default)]
    skin_lab: Option<[f64; 3]>,
    /// Measured hair or stubble tips, CIELAB; sampled from the photo when absent.
    #[serde(default)]
    hair_lab: Option<[f64; 3]>,
}

/// A colour given by the client is plausible CIELAB, or a field error naming it.
fn check_lab(field: &str, lab: Option<[f64; 3]>) -> AppResult<()> {
    match lab.and_then(lab_range_error) {
        Some(why) => Err(AppError::field(field, format!("{why}: give CIELAB [L*, a*, b*]"))),
        None => Ok(()),
    }
}

/// POST /api/v1/color/match: the pigment and dilution for an (unsaved) design on its
/// view's photo, skin and hair sampled over the treat and blend regions unless given.
pub async fn match_pigment(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(b): ApiJson<MatchBody>,
) -> AppResult<Json<serde_json::Value>> {
    me.require(Permission::ReadMedical)?;
    check_lab("skin_lab", b.skin_lab)?;
    check_lab("hair_lab", b.hair_lab)?;
    let design = engine::parse_design(&b.design)?;
    let (view, photo) = view_photo(&state, &me, &design, &b.view).await?;
    let given = GivenColours {
        skin_lab: b.skin_lab,
        hair_lab: b.hair_lab,
    };
    let m = blocking(&state, move || {
        match_on_photo(&design, &view, &photo, given, &PigmentLibrary::builtin()).map_err(|e| match e {
            PhotoMatchError::NotSkin { .. } => AppError::field("skin_lab", e.to_string()),
            PhotoMatchError::NoSkin(_) => AppError::field("skin_lab", e.to_string()),
            PhotoMatchError::NoHair(_) => AppError::field("hair_lab", e.to_string()),
            e => AppError::field("design", e.to_string()),
        })
    })
    .await?;
    Ok(Json(m.to_json(false)))
}
