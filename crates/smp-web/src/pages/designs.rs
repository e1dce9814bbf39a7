//! Design pages: create from a template, the editor, versions (compare, restore), the
//! plan and quote, and version previews.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use smp_design::Pattern;
use smp_plan::Plan;
use smp_store::{Client, DesignRecord};
use smp_store::{ClientId, DesignId, PhotoId};

use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult};
use crate::pages::Nav;
use crate::pages::html;
use crate::service::designs::{PreviewAsk, load_design, plan_of, render_preview};
use crate::state::AppState;

/// The new-design form.
#[derive(Deserialize)]
pub struct NewDesignForm {
    name: String,
    pattern: String,
    photo_id: Option<PhotoId>,
}

/// POST /clients/{id}/designs
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    Form(f): Form<NewDesignForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let pattern: Pattern = f.pattern.parse().map_err(|e: String| AppError::field("pattern", e).as_html())?;
    let design = pattern.template().map_err(|e| AppError::field("pattern", e).as_html())?;
    let (d, _) = state
        .store
        .create_design(me.clinic_id(), client, &f.name, f.photo_id, &design.to_json(), me.user.id)
        .await
        .map_err(html)?;
    Ok(Redirect::to(&format!("/designs/{}/edit", d.id)))
}

/// The editor page.
#[derive(Template, WebTemplate)]
#[template(path = "editor.html")]
pub struct EditorPage {
    nav: Nav,
    design: DesignRecord,
    client: Client,
    version: i64,
    photo_id: PhotoId,
    view: String,
}

/// `?version=`
#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<i64>,
}

/// GET /designs/{id}/edit
pub async fn editor(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<DesignId>,
    Query(q): Query<VersionQuery>,
) -> AppResult<Response> {
    me.require(Permission::ReadMedical).map_err(|e| e.as_html())?;
    let clinic = me.clinic_id();
    let design = state.store.design(clinic, id).await.map_err(html)?;
    let client = state.store.client(clinic, design.client_id).await.map_err(html)?;
    let version = q.version.unwrap_or(design.latest_version);
    state.store.design_version(clinic, id, version).await.map_err(html)?;
    let Some(photo_id) = design.photo_id else {
        return Err(AppError::field(
            "photo_id",
            "this design has no photo to draw on; upload a photo and create the design from it",
        )
        .as_html());
    };
    let photo = state.store.photo(clinic, photo_id).await.map_err(html)?;
    crate::records::audit(&state, &me, "read", "design", id, Some(design.client_id))
        .await
        .map_err(|e| e.as_html())?;
    let page = EditorPage {
        nav: Nav::of(&me),
        design,
        client,
        version,
        photo_id,
        view: photo.view,
    };
    Ok(page.into_response())
}

/// One row of the versions table.
pub struct VersionRow {
    version: i64,
    when: String,
    by: String,
    note: String,
}

/// The versions page.
#[derive(Template, WebTemplate)]
#[template(path = "versions.html")]
pub struct VersionsPage {
    nav: Nav,
    design: DesignRecord,
    versions: Vec<VersionRow>,
    can_edit: bool,
    left: i64,
    right: i64,
}

/// `YYYY-MM-DD HH:MM` of a Unix time in the clinic's zone.
pub fn date_time(unix: i64, time_zone: &str) -> String {
    smp_records::clock::local_time(unix, time_zone)
}

/// GET /designs/{id}/versions
pub async fn versions(State(state): State<AppState>, me: CurrentUser, Path(id): Path<DesignId>) -> AppResult<VersionsPage> {
    me.require(Permission::ReadMedical).map_err(|e| e.as_html())?;
    let clinic = me.clinic_id();
    let design = state.store.design(clinic, id).await.map_err(html)?;
    crate::records::audit(&state, &me, "read", "design-versions", id, Some(design.client_id))
        .await
        .map_err(|e| e.as_html())?;
    let users = state.store.list_users(clinic).await.map_err(html)?;
    let rows: Vec<VersionRow> = state
        .store
        .list_versions(clinic, id)
        .await
        .map_err(html)?
        .into_iter()
        .map(|v| VersionRow {
            version: v.version,
            when: date_time(v.created_at, &me.clinic.time_zone),
            by: users.iter().find(|u| u.id == v.created_by).map_or("–".into(), |u| u.email.clone()),
            note: v.note,
        })
        .collect();
    let right = design.latest_version;
    Ok(VersionsPage {
        nav: Nav::of(&me),
        left: (right - 1).max(1),
        right,
        design,
        versions: rows,
        can_edit: me.can(Permission::EditMedical),
    })
}

/// The restore form.
#[derive(Deserialize)]
pub struct RestoreForm {
    version: i64,
}

/// POST /designs/{id}/restore: the old version's content saved as a new version.
pub async fn restore(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<DesignId>,
    Form(f): Form<RestoreForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let clinic = me.clinic_id();
    let design = state.store.design(clinic, id).await.map_err(html)?;
    let old = state.store.design_version(clinic, id, f.version).await.map_err(html)?;
    let note = format!("restored version {}", f.version);
    state
        .store
        .save_version(clinic, id, design.latest_version, &old.json, &note, me.user.id)
        .await
        .map_err(html)?;
    Ok(Redirect::to(&format!("/designs/{id}/versions")))
}

/// Figures of one side of a comparison.
pub struct Side {
    version: i64,
    impressions: usize,
    area: String,
    hairline: String,
    note: String,
}

/// The comparison page.
#[derive(Template, WebTemplate)]
#[template(path = "compare.html")]
pub struct ComparePage {
    nav: Nav,
    design: DesignRecord,
    title: String,
    sides: Vec<Side>,
    state: String,
}

/// `?a=&b=&state=`
#[derive(Deserialize)]
pub struct CompareQuery {
    a: i64,
    b: i64,
    #[serde(default = "healed")]
    state: String,
}

fn healed() -> String {
    "healed".into()
}

async fn side(state: &AppState, me: &CurrentUser, id: DesignId, version: i64) -> AppResult<Side> {
    let (design, v) = load_design(state, me, id, version).await.map_err(|e| e.as_html())?;
    let plan = plan_of(state, me, design.clone(), None).await.map_err(|e| e.as_html())?;
    let hairline = smp_design::lint::hairline_height_mm(&design).map_or("–".into(), |h| format!("{h:.0} mm above the glabella"));
    Ok(Side {
        version,
        impressions: plan.0.impressions,
        area: format!("{:.1}", plan.0.area_cm2),
        hairline,
        note: v.note,
    })
}

/// GET /designs/{id}/compare
pub async fn compare(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<DesignId>,
    Query(q): Query<CompareQuery>,
) -> AppResult<ComparePage> {
    me.require(Permission::ReadMedical).map_err(|e| e.as_html())?;
    q.state
        .parse::<smp_render::state::PreviewState>()
        .map_err(|e| AppError::field("state", e).as_html())?;
    let design = state.store.design(me.clinic_id(), id).await.map_err(html)?;
    crate::records::audit(&state, &me, "read", "design-compare", id, Some(design.client_id))
        .await
        .map_err(|e| e.as_html())?;
    let a = side(&state, &me, id, q.a).await?;
    let b = side(&state, &me, id, q.b).await?;
    let title = format!("{} and {}", a.version, b.version);
    Ok(ComparePage {
        nav: Nav::of(&me),
        design,
        title,
        sides: vec![a, b],
        state: q.state,
    })
}

/// `?state=`
#[derive(Deserialize)]
pub struct StateQuery {
    #[serde(default = "healed")]
    state: String,
}

/// GET /designs/{id}/versions/{v}/preview.png
pub async fn version_preview(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, version)): Path<(DesignId, i64)>,
    Query(q): Query<StateQuery>,
) -> AppResult<Response> {
    me.require(Permission::ReadMedical)?;
    let (design, _) = load_design(&state, &me, id, version).await?;
    let view = design
        .views()
        .first()
        .map(|v| v.name.clone())
        .ok_or_else(|| AppError::field("view", "this version has no calibrated photo yet"))?;
    let ask = PreviewAsk {
        view: &view,
        state: &q.state,
        upto: 0,
        max_width_px: 900,
        format: crate::engine::ImageFormat::Png,
    };
    let png = render_preview(&state, &me, design, ask).await?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")], png).into_response())
}

/// The plan page.
#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub struct PlanPage {
    nav: Nav,
    design: DesignRecord,
    summary: String,
    regions: Vec<(String, String, String)>,
    sessions: Vec<(u8, String, String, String, String)>,
    breakdown: Vec<(String, String)>,
    total: String,
    drivers: Vec<String>,
    touch_up: String,
    /// The first session's date, YYYY-MM-DD, when one was chosen.
    start: String,
    /// The touch-ups' dates, when the plan is dated.
    touch_up_dates: Vec<String>,
    /// What the plan is priced and timed with.
    basis: String,
    /// Advice on the plan (a session too long to work in one sitting).
    advice: Vec<String>,
}

/// The plan page's query: the first session's date.
#[derive(Deserialize, Default)]
pub struct PlanQuery {
    #[serde(default)]
    start: String,
}

/// The plan page's session rows: number, impressions, hours, cumulative share, date.
fn session_rows(p: &Plan) -> Vec<(u8, String, String, String, String)> {
    p.sessions
        .iter()
        .map(|s| {
            (
                s.session,
                smp_plan::words::count(s.impressions as u64),
                format!("{:.1}–{:.1} h", s.minutes_min / 60.0, s.minutes_max / 60.0),
                format!("{:.0} %", s.cumulative_fraction * 100.0),
                s.date.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

/// The quote's lines: item (marked when not included) and price range.
fn breakdown_rows(q: &smp_plan::Quote) -> Vec<(String, String)> {
    q.breakdown
        .iter()
        .map(|l| {
            let note = if l.included || l.item.contains("not included") {
                ""
            } else {
                " (not included)"
            };
            (format!("{}{note}", l.item), smp_plan::words::money_range(&q.currency, l.min, l.max))
        })
        .collect()
}

/// GET /designs/{id}/plan[?start=YYYY-MM-DD]
pub async fn plan(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<DesignId>,
    Query(query): Query<PlanQuery>,
) -> AppResult<PlanPage> {
    me.require(Permission::ReadMedical).map_err(|e| e.as_html())?;
    let start = match query.start.trim() {
        "" => None,
        s => Some(smp_plan::CivilDate::parse(s).map_err(|e| {
            AppError::field("start", format!("the first session's date: {e}"))
                .as_html()
                .back_to(&format!("/designs/{id}/plan"))
        })?),
    };
    let settings = crate::service::designs::plan_settings(&state, &me).await.map_err(|e| e.as_html())?;
    let record = state.store.design(me.clinic_id(), id).await.map_err(html)?;
    let (design, _) = load_design(&state, &me, id, record.latest_version).await.map_err(|e| e.as_html())?;
    let (p, q): (Plan, smp_plan::Quote) = plan_of(&state, &me, design, start).await.map_err(|e| e.as_html())?;
    crate::records::audit(&state, &me, "read", "plan", id, Some(record.client_id))
        .await
        .map_err(|e| e.as_html())?;
    let (lo, hi) = p.total_minutes();
    Ok(PlanPage {
        nav: Nav::of(&me),
        summary: format!(
            "{:.1} cm² treated, {} impressions in {} {} days apart; needle time {:.1}–{:.1} h in all.",
            p.area_cm2,
            smp_plan::words::count(p.impressions as u64),
            super::count(p.sessions.len(), "session", "sessions"),
            p.spacing_days,
            lo / 60.0,
            hi / 60.0
        ),
        regions: p
            .regions
            .iter()
            .map(|r| (r.name.clone(), r.kind.as_str().to_string(), format!("{:.1}", r.area_cm2)))
            .collect(),
        sessions: session_rows(&p),
        breakdown: breakdown_rows(&q),
        total: smp_plan::words::money_range(&q.currency, q.min, q.max),
        drivers: q.drivers.clone(),
        touch_up: format!("{}–{}", p.touch_up_years[0], p.touch_up_years[1]),
        start: start.map(|d| d.to_string()).unwrap_or_default(),
        advice: p.advice.clone(),
        touch_up_dates: p
            .touch_ups
            .iter()
            .filter_map(|t| t.date.map(|d| format!("{d} ({} years)", t.years)))
            .collect(),
        basis: format!(
            "Priced with {} ({}); needle time at about {} impressions a minute; sessions {} days apart. The owner changes these under Settings.",
            settings.prices.name, settings.prices.currency, settings.rate_per_min, settings.spacing_days
        ),
        design: record,
    })
}
