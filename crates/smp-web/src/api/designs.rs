//! Designs API: versions (immutable, conflict on stale saves), live dots, calibration,
//! previews and the plan.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use smp_design::Pattern;
use smp_store::DesignVersion;
use smp_store::UserId;
use smp_store::{ClientId, DesignId, PhotoId};

use crate::api::views::DesignJson;

use crate::api::json::ApiJson;
use crate::auth::{CurrentUser, Permission};
use crate::engine::{self, CalibrateRequest, DotsJson};
use crate::error::{AppError, AppResult};
use crate::service::designs::{PreviewAsk, load_design, plan_of, render_preview};
use crate::service::photos::decoded;
use crate::service::work::{blocking, internal};
use crate::state::AppState;

/// GET /api/v1/clients/{id}/designs
pub async fn list(State(state): State<AppState>, me: CurrentUser, Path(client): Path<ClientId>) -> AppResult<Json<Vec<DesignJson>>> {
    me.require(Permission::ReadMedical)?;
    state.store.client(me.clinic_id(), client).await?;
    let list = state.store.list_designs(me.clinic_id(), client).await?;
    crate::records::audit(&state, &me, "read", "designs", client, Some(client)).await?;
    Ok(Json(list.into_iter().map(DesignJson::from).collect()))
}

/// Body of `POST /api/v1/clients/{id}/designs`: a template pattern or a whole design.
#[derive(Deserialize)]
pub struct NewDesign {
    name: String,
    #[serde(default)]
    photo_id: Option<PhotoId>,
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default)]
    design: Option<serde_json::Value>,
}

/// A version with its design as JSON.
#[derive(Serialize)]
pub struct VersionJson {
    design_id: DesignId,
    version: i64,
    note: String,
    created_by: UserId,
    created_at: i64,
    /// The stored text as it is: it was checked when saved, and parsing and printing it
    /// again per read cost more than the read itself (the load benchmark's audited read).
    design: Box<serde_json::value::RawValue>,
}

impl VersionJson {
    fn of(v: DesignVersion) -> AppResult<VersionJson> {
        let design = serde_json::value::RawValue::from_string(v.json).map_err(internal)?;
        Ok(VersionJson {
            design_id: v.design_id,
            version: v.version,
            note: v.note,
            created_by: v.created_by,
            created_at: v.created_at,
            design,
        })
    }
}

/// POST /api/v1/clients/{id}/designs
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    ApiJson(b): ApiJson<NewDesign>,
) -> AppResult<(StatusCode, Json<VersionJson>)> {
    me.require(Permission::EditMedical)?;
    let design = match (&b.pattern, &b.design) {
        (Some(p), None) => p
            .parse::<Pattern>()
            .and_then(|p| p.template())
            .map_err(|e| AppError::field("pattern", e))?,
        (None, Some(d)) => engine::parse_design(d)?,
        _ => {
            return Err(AppError::field(
                "pattern",
                "give either a template pattern (e.g. \"norwood-5\") or a whole design",
            ));
        }
    };
    let (_, v) = state
        .store
        .create_design(me.clinic_id(), client, &b.name, b.photo_id, &design.to_json(), me.user.id)
        .await?;
    Ok((StatusCode::CREATED, Json(VersionJson::of(v)?)))
}

/// GET /api/v1/designs/{id}
pub async fn get(State(state): State<AppState>, me: CurrentUser, Path(id): Path<DesignId>) -> AppResult<Json<DesignJson>> {
    me.require(Permission::ReadMedical)?;
    let d = state.store.design(me.clinic_id(), id).await?;
    crate::records::audit(&state, &me, "read", "design", id, Some(d.client_id)).await?;
    Ok(Json(d.into()))
}

/// GET /api/v1/designs/{id}/versions
pub async fn versions(State(state): State<AppState>, me: CurrentUser, Path(id): Path<DesignId>) -> AppResult<Json<Vec<VersionJson>>> {
    me.require(Permission::ReadMedical)?;
    let d = state.store.design(me.clinic_id(), id).await?;
    crate::records::audit(&state, &me, "read", "design-versions", id, Some(d.client_id)).await?;
    let list = state.store.list_versions(me.clinic_id(), id).await?;
    Ok(Json(list.into_iter().map(VersionJson::of).collect::<AppResult<_>>()?))
}

/// GET /api/v1/designs/{id}/versions/{v}
pub async fn version(State(state): State<AppState>, me: CurrentUser, Path((id, v)): Path<(DesignId, i64)>) -> AppResult<Json<VersionJson>> {
    me.require(Permission::ReadMedical)?;
    let (version, client) = state.store.design_version_for(me.clinic_id(), id, v).await?;
    crate::records::audit(&state, &me, "read", "design-version", id, Some(client)).await?;
    Ok(Json(VersionJson::of(version)?))
}

/// Body of a save.
#[derive(Deserialize)]
pub struct SaveBody {
    base_version: i64,
    design: serde_json::Value,
    #[serde(default)]
    note: String,
}

/// POST /api/v1/designs/{id}/versions: 201, or 409 when someone saved after `base_version`.
pub async fn save(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<DesignId>,
    ApiJson(b): ApiJson<SaveBody>,
) -> AppResult<(StatusCode, Json<VersionJson>)> {
    me.require(Permission::EditMedical)?;
    let design = engine::parse_design(&b.design)?;
    if b.note.len() > 500 {
        return Err(AppError::field("note", "the note is over 500 characters; shorten it"));
    }
    let v = state
        .store
        .save_version(me.clinic_id(), id, b.base_version, &design.to_json(), b.note.trim(), me.user.id)
        .await?;
    Ok((StatusCode::CREATED, Json(VersionJson::of(v)?)))
}

/// Body of `POST /api/v1/dots`.
#[derive(Deserialize)]
pub struct DotsBody {
    design: serde_json::Value,
    view: String,
    #[serde(default)]
    upto: u8,
}

/// POST /api/v1/dots: the (unsaved) design's dots in a view's pixels, and its lint.
pub async fn dots(State(state): State<AppState>, me: CurrentUser, ApiJson(b): ApiJson<DotsBody>) -> AppResult<Json<DotsJson>> {
    me.require(Permission::ReadMedical)?;
    // Far over the size limits: refused here, before it waits for a worker.
    smp_design::limits::check_sizes(&b.design)?;
    let st = state.clone();
    Ok(Json(
        blocking(&state, move || {
            let design = engine::parse_design(&b.design)?;
            engine::dots(&design, &st.impressions.of(&design), &b.view, b.upto)
        })
        .await?,
    ))
}

/// POST /api/v1/calibrate: the design with the view calibrated on a photo.
pub async fn calibrate(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<CalibrateRequest>,
) -> AppResult<Json<serde_json::Value>> {
    me.require(Permission::EditMedical)?;
    let photo = state.store.photo(me.clinic_id(), req.photo_id).await?;
    let size = [photo.width_px as u32, photo.height_px as u32];
    let (scale, pupils) = match (req.card, req.pupils_px) {
        (true, _) => {
            let img = decoded(&state, &photo.sha256).await?;
            (
                engine::ViewScale::Card(blocking(&state, move || engine::find_card(&img)).await?),
                None,
            )
        }
        (false, Some(clicks)) => {
            let img = decoded(&state, &photo.sha256).await?;
            let ipd = req.ipd_mm;
            let (k, p) = blocking(&state, move || crate::pupils::known_distance(&img, clicks, ipd)).await?;
            (engine::ViewScale::Known(k), Some(p))
        }
        (false, None) => (engine::ViewScale::Known(engine::ruler(&req)?), None),
    };
    let card = match scale {
        engine::ViewScale::Card(c) => Some(serde_json::json!({
            "found": true,
            "corners_px": c.corners_px,
            "px_per_mm": c.px_per_mm,
            "residual_delta_e00": c.residual_delta_e00,
        })),
        engine::ViewScale::Known(_) => None,
    };
    let view = req.view.clone();
    let hash = photo.sha256.clone();
    let mut design = blocking(&state, move || engine::calibrated(&req, scale, &hash, size)).await?;
    // A colour chart held in the photo is found with the calibration: the colours read
    // from this photo go through it from the start.
    let mut chart = None;
    if design.view(&view).is_some_and(|v| v.chart.is_none()) {
        let img = decoded(&state, &photo.sha256).await?;
        if let Some(r) = blocking(&state, move || Ok(smp_photo::chart::find_chart(&img).ok())).await? {
            design = smp_photo::chart::with_chart(&design, &view, r.record)?;
            chart = Some(crate::api::chart::chart_json(&r.record, "found"));
        }
    }
    Ok(Json(
        serde_json::json!({ "design": engine::design_value(&design), "pupils": pupils, "card": card, "chart": chart }),
    ))
}

/// Body of `POST /api/v1/preview`.
#[derive(Deserialize)]
pub struct PreviewBody {
    design: serde_json::Value,
    view: String,
    state: String,
    #[serde(default)]
    upto: u8,
    #[serde(default = "default_width")]
    max_width_px: u32,
    /// `png` (the default, lossless) or `jpeg` (a tenth of the bytes, for the screen).
    #[serde(default)]
    format: engine::ImageFormat,
}

fn default_width() -> u32 {
    1400
}

/// POST /api/v1/preview: a PNG (or JPEG) of the (unsaved) design on the view's photo.
pub async fn preview(State(state): State<AppState>, me: CurrentUser, ApiJson(b): ApiJson<PreviewBody>) -> AppResult<Response> {
    me.require(Permission::ReadMedical)?;
    let design = engine::parse_design(&b.design)?;
    let ask = PreviewAsk {
        view: &b.view,
        state: &b.state,
        upto: b.upto,
        max_width_px: b.max_width_px,
        format: b.format,
    };
    let bytes = render_preview(&state, &me, design, ask).await?;
    Ok(([(header::CONTENT_TYPE, b.format.media_type())], bytes).into_response())
}

/// GET /api/v1/designs/{id}/plan: `smp plan --json` of the latest version.
pub async fn plan(State(state): State<AppState>, me: CurrentUser, Path(id): Path<DesignId>) -> AppResult<Json<serde_json::Value>> {
    me.require(Permission::ReadMedical)?;
    let record = state.store.design(me.clinic_id(), id).await?;
    let (design, _) = load_design(&state, &me, id, record.latest_version).await?;
    let (plan, quote) = plan_of(&state, &me, design, None).await?;
    crate::records::audit(&state, &me, "read", "plan", id, Some(record.client_id)).await?;
    let mut v = serde_json::to_value(&plan).map_err(internal)?;
    v["cost"] = serde_json::to_value(&quote).map_err(internal)?;
    v["version"] = record.latest_version.into();
    Ok(Json(v))
}

/// GET /designs/{id}/report.pdf and /api/v1/designs/{id}/report.pdf: the client report of
/// the latest version, on its calibrated photo.
pub async fn report(State(state): State<AppState>, me: CurrentUser, Path(id): Path<DesignId>) -> AppResult<Response> {
    me.require(Permission::ReadMedical)?;
    let clinic = me.clinic_id();
    let record = state.store.design(clinic, id).await?;
    let client = state.store.client(clinic, record.client_id).await?;
    let (design, _) = load_design(&state, &me, id, record.latest_version).await?;
    let view = design
        .views()
        .first()
        .cloned()
        .ok_or_else(|| AppError::field("view", "calibrate the design on a photo before making its report"))?;
    let hash = engine::view_hash(&view)?.to_string();
    if state.store.photo_by_hash(clinic, &hash).await?.is_none() {
        return Err(AppError::not_found("photo"));
    }
    let photo = decoded(&state, &hash).await?;
    let visits = crate::service::visits::first_and_latest(&state, &me, record.client_id, &view.name).await?;
    let visits = match visits {
        Some(v) => {
            let images = (
                decoded(&state, &v.earlier.0.sha256).await?,
                decoded(&state, &v.later.0.sha256).await?,
            );
            Some((v, images))
        }
        None => None,
    };
    let clinic_name = me.clinic.name.clone();
    let today = crate::service::dates::today_date(&me.clinic.time_zone);
    let settings = crate::service::designs::plan_settings(&state, &me).await?;
    let pdf = blocking(&state, move || {
        let opts = settings.options(None).map_err(internal)?;
        let prices = settings.prices;
        let pigments = smp_color::pigments::PigmentLibrary::builtin();
        let lined_up = visits
            .as_ref()
            .map(|(v, (a, b))| smp_photo::card::align::line_up(a, v.earlier.1.as_ref(), b, v.later.1.as_ref()));
        let progress = visits
            .as_ref()
            .zip(lined_up.as_ref())
            .map(|((v, (a, _)), (later, by))| smp_report::ProgressPhotos {
                view: &view.name,
                earlier: a,
                earlier_date: smp_plan::CivilDate::parse(&v.earlier.0.taken_on).ok(),
                later,
                later_date: smp_plan::CivilDate::parse(&v.later.0.taken_on).ok(),
                lined_up_by: *by,
            });
        let input = smp_report::ReportInput {
            design: &design,
            photo: smp_report::ClientPhoto {
                view: &view.name,
                image: &photo,
            },
            prices: &prices,
            pigments: &pigments,
            client: &client.fields.name,
            clinic: &clinic_name,
            date: today,
            plan: &opts,
            fitzpatrick: None,
            scarring: None,
            skin_lab: None,
            hair_lab: None,
            progress,
        };
        smp_report::render_report(&input).map_err(|e| AppError::field("design", e.to_string()))
    })
    .await?;
    crate::records::audit(&state, &me, "export", "report", id, Some(record.client_id)).await?;
    let name = format!("attachment; filename=\"smp-report-design-{id}-v{}.pdf\"", record.latest_version);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        pdf,
    )
        .into_response())
}
