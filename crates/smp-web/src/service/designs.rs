//! Designs as pages and the API both use them: a stored version parsed, its plan and
//! quote, its view's photo (a read of the client's record, audited) and its preview.

use smp_design::Design;
use smp_plan::{Plan, Quote};
use smp_render::state::PreviewState;
use smp_store::DesignId;
use smp_store::DesignVersion;

use crate::auth::CurrentUser;
use crate::engine;
use crate::error::{AppError, AppResult};
use crate::service::photos::decoded;
use crate::service::work::{blocking, internal};
use crate::state::AppState;

/// A stored version of a design of the caller's clinic, parsed.
pub async fn load_design(state: &AppState, me: &CurrentUser, id: DesignId, version: i64) -> AppResult<(Design, DesignVersion)> {
    let v = state.store.design_version(me.clinic_id(), id, version).await?;
    let design = Design::parse(&v.json).map_err(|e| internal(format!("stored design {id} v{version} no longer parses: {e}")))?;
    Ok((design, v))
}

/// The plan and quote of a design with the clinic's own prices, rate and spacing, dated
/// from `start` when given.
pub async fn plan_of(state: &AppState, me: &CurrentUser, design: Design, start: Option<smp_plan::CivilDate>) -> AppResult<(Plan, Quote)> {
    let settings = plan_settings(state, me).await?;
    let st = state.clone();
    blocking(state, move || {
        let opts = settings.options(start).map_err(internal)?;
        let imp = st.impressions.of(&design);
        let plan = Plan::new(&design, &imp, &opts).map_err(|e| AppError::field("design", e.to_string()))?;
        let quote = settings.prices.quote(&plan);
        Ok((plan, quote))
    })
    .await
}

/// The clinic's planning settings (its price list, rate and spacing), or the defaults.
pub async fn plan_settings(state: &AppState, me: &CurrentUser) -> AppResult<smp_plan::PlanSettings> {
    let stored = state.store.plan_settings(me.clinic_id()).await?;
    smp_plan::PlanSettings::parse(stored.as_deref()).map_err(internal)
}

/// The view `view_name` of `design` and its decoded photo, checked to be the caller's
/// clinic's (a photo hash alone is no key).
pub async fn view_photo(
    state: &AppState,
    me: &CurrentUser,
    design: &Design,
    view_name: &str,
) -> AppResult<(smp_design::View, std::sync::Arc<image::RgbImage>)> {
    let view = engine::view(design, view_name)?.clone();
    let hash = engine::view_hash(&view)?.to_string();
    let Some(record) = state.store.photo_by_hash(me.clinic_id(), &hash).await? else {
        return Err(AppError::not_found("photo"));
    };
    let photo = decoded(state, &hash).await?;
    // Everything drawn or measured on a client's photo is a read of their record.
    crate::records::audit(state, me, "read", "photo", record.id, Some(record.client_id)).await?;
    Ok((view, photo))
}

/// Which preview to draw.
pub struct PreviewAsk<'a> {
    /// The view (its photo).
    pub view: &'a str,
    /// `fresh`, `healed` or `aged:N`.
    pub state: &'a str,
    /// Sessions 1..=`upto` (0: all).
    pub upto: u8,
    /// Widest image wanted, px (the photo is shrunk to it).
    pub max_width_px: u32,
    /// PNG or JPEG.
    pub format: engine::ImageFormat,
}

/// A preview image of `design`, its photo checked to be the clinic's.
pub async fn render_preview(state: &AppState, me: &CurrentUser, design: Design, ask: PreviewAsk<'_>) -> AppResult<Vec<u8>> {
    let preview_state: PreviewState = ask.state.parse().map_err(|e: String| AppError::field("state", e))?;
    let sel = engine::selection(&design, ask.upto)?;
    let (view, photo) = view_photo(state, me, &design, ask.view).await?;
    let max_w = ask.max_width_px.clamp(200, 4000);
    let format = ask.format;
    let st = state.clone();
    blocking(state, move || {
        let (small, fitted) = engine::fit(&photo, &view, max_w);
        let imp = st.impressions.of(&design);
        engine::preview_image(&small, &design, &fitted, &imp, preview_state, sel, format)
    })
    .await
}
