//! Clinic-wide pages: owner settings (consent text versions, the public results page),
//! upcoming appointments and reminders, calendar feeds at secret revocable URLs, and the
//! public results page (aggregate figures and consented photos only).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use smp_store::{Appointment, ClinicId, ConsentDocument, Photo};
use smp_store::{ClientId, PhotoId};

use crate::auth::{CurrentUser, Permission, token};
use crate::error::{AppError, AppResult};
use crate::pages::Nav;
use crate::pages::html;
use crate::records::audit;
use crate::service::records::outcome_groups_of;
use crate::state::AppState;
use smp_records::stats::{PUBLISHED, Published};
use smp_records::summary::{GroupStats, chart_svg};

/// The owner's settings page.
#[derive(Template, WebTemplate)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    nav: Nav,
    consent: Option<ConsentDocument>,
    public_on: bool,
    clinic_id: i64,
    idle_minutes: i64,
    idle_range: (i64, i64),
    time_zone: String,
    local_now: String,
    zones: Vec<String>,
    plan: smp_plan::PlanSettings,
}

/// GET /settings
pub async fn settings(State(state): State<AppState>, me: CurrentUser) -> AppResult<SettingsPage> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    let consent = state.store.latest_consent(me.clinic_id()).await.map_err(html)?;
    let public_on = state.store.public_results(me.clinic_id()).await.map_err(html)?;
    let idle_minutes = state.store.idle_minutes(me.clinic_id()).await.map_err(html)?;
    Ok(SettingsPage {
        nav: Nav::of(&me),
        consent,
        public_on,
        clinic_id: me.clinic_id().0,
        idle_minutes,
        idle_range: smp_store::IDLE_MINUTES_RANGE,
        local_now: smp_records::clock::local_time(smp_store::now_unix(), &me.clinic.time_zone),
        time_zone: me.clinic.time_zone.clone(),
        zones: smp_records::clock::zone_names(),
        plan: crate::service::designs::plan_settings(&state, &me).await.map_err(|e| e.as_html())?,
    })
}

/// The idle-logout form.
#[derive(Deserialize)]
pub struct IdleForm {
    minutes: i64,
}

/// POST /settings/idle (owner): how long a login may sit unused.
pub async fn set_idle(State(state): State<AppState>, me: CurrentUser, Form(f): Form<IdleForm>) -> AppResult<Redirect> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    state.store.set_idle_minutes(me.clinic_id(), f.minutes).await.map_err(html)?;
    audit(&state, &me, "change", "idle-logout", me.clinic_id().0, None)
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to("/settings"))
}

/// The prices-and-plan form.
#[derive(Deserialize)]
pub struct PricesForm {
    currency: String,
    basis: String,
    base_fee: f64,
    price_min: f64,
    price_max: f64,
    touch_up_min: f64,
    touch_up_max: f64,
    rate_per_min: f64,
    spacing_days: u32,
}

/// POST /settings/prices (owner): the clinic's own price list, needle rate and spacing.
pub async fn set_prices(State(state): State<AppState>, me: CurrentUser, Form(f): Form<PricesForm>) -> AppResult<Redirect> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    let refuse = |msg: String| crate::error::AppError::field("prices", msg).as_html().back_to("/settings");
    let mut s = crate::service::designs::plan_settings(&state, &me).await.map_err(|e| e.as_html())?;
    s.prices.basis = match f.basis.as_str() {
        "cm2" => smp_plan::cost::Basis::Cm2,
        "session" => smp_plan::cost::Basis::Session,
        "hour" => smp_plan::cost::Basis::Hour,
        other => {
            return Err(refuse(format!(
                "'{other}' is not a way to charge; choose per cm², per session or per hour"
            )));
        }
    };
    s.prices.name = format!("{}'s price list", me.clinic.name);
    s.prices.currency = f.currency.trim().to_uppercase();
    s.prices.base_fee = f.base_fee;
    s.prices.price = smp_plan::cost::Range {
        min: f.price_min,
        max: f.price_max,
    };
    s.prices.touch_up = smp_plan::cost::Range {
        min: f.touch_up_min,
        max: f.touch_up_max,
    };
    s.prices.notes.clear();
    // The clinic's own prices already hold its location and standing.
    s.prices.location = smp_plan::cost::Location {
        name: me.clinic.name.clone(),
        factor: 1.0,
    };
    s.rate_per_min = f.rate_per_min;
    s.spacing_days = f.spacing_days;
    let checked = s.check().map_err(|e| refuse(e.to_string()))?;
    state
        .store
        .set_plan_settings(me.clinic_id(), &checked.to_json())
        .await
        .map_err(html)?;
    audit(&state, &me, "change", "price-list", me.clinic_id().0, None)
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to("/settings#prices"))
}

/// The time-zone form.
#[derive(Deserialize)]
pub struct TimeZoneForm {
    time_zone: String,
}

/// POST /settings/time-zone (owner): the clinic's time zone.
pub async fn set_time_zone(State(state): State<AppState>, me: CurrentUser, Form(f): Form<TimeZoneForm>) -> AppResult<Redirect> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    state
        .store
        .set_time_zone(me.clinic_id(), &f.time_zone)
        .await
        .map_err(|e| crate::error::AppError::from(e).as_html().back_to("/settings"))?;
    audit(&state, &me, "change", "time-zone", me.clinic_id().0, None)
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to("/settings"))
}

/// The consent-text form.
#[derive(Deserialize)]
pub struct ConsentText {
    text: String,
}

/// POST /settings/consent: a new version; earlier signatures stay with their versions.
pub async fn publish_consent(State(state): State<AppState>, me: CurrentUser, Form(f): Form<ConsentText>) -> AppResult<Redirect> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    let doc = state.store.publish_consent(me.clinic_id(), &f.text).await.map_err(html)?;
    audit(&state, &me, "create", "consent-document", doc.id, None)
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to("/settings"))
}

/// The public-page toggle.
#[derive(Deserialize)]
pub struct PublicForm {
    on: String,
}

/// POST /settings/public
pub async fn set_public(State(state): State<AppState>, me: CurrentUser, Form(f): Form<PublicForm>) -> AppResult<Redirect> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    state.store.set_public_results(me.clinic_id(), f.on == "yes").await.map_err(html)?;
    audit(&state, &me, "change", "public-results", me.clinic_id().0, None)
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to("/settings"))
}

/// The move form of an appointment.
#[derive(Deserialize)]
pub struct RescheduleForm {
    starts_at: String,
    minutes: i64,
}

/// POST /appointments/{id}/reschedule: the same rules as a new booking (no double
/// booking, not in the past, a ready client for a session).
pub async fn reschedule(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<smp_store::AppointmentId>,
    Form(f): Form<RescheduleForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditContacts).map_err(|e| e.as_html())?;
    let a = state
        .store
        .reschedule_appointment(me.clinic_id(), id, &f.starts_at, f.minutes)
        .await
        .map_err(|e| super::consent::booking_error(&me, e, "starts_at", "the session can't be moved there").back_to("/appointments"))?;
    audit(&state, &me, "change", "appointment", id, Some(a.client_id))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to("/appointments"))
}

/// POST /appointments/{id}/cancel
pub async fn cancel(State(state): State<AppState>, me: CurrentUser, Path(id): Path<smp_store::AppointmentId>) -> AppResult<Redirect> {
    me.require(Permission::EditContacts).map_err(|e| e.as_html())?;
    let a = state.store.appointment(me.clinic_id(), id).await.map_err(html)?;
    state.store.cancel_appointment(me.clinic_id(), id).await.map_err(html)?;
    audit(&state, &me, "cancel", "appointment", id, Some(a.client_id))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to("/appointments"))
}

/// The appointments page.
#[derive(Template, WebTemplate)]
#[template(path = "appointments.html")]
pub struct AppointmentsPage {
    nav: Nav,
    /// Appointment, client name, practitioner, when (as people write it), and for a
    /// session what stops it today (empty when the client is ready).
    rows: Vec<(Appointment, String, String, String, String)>,
    feed_url: String,
    touch_ups: Vec<(ClientId, String, String, String)>,
}

/// Days ahead a touch-up reminder shows on the front desk's list.
pub const TOUCH_UP_NOTICE_DAYS: i64 = 90;

async fn appointments_page(state: &AppState, me: &CurrentUser, feed_url: String) -> AppResult<AppointmentsPage> {
    let clinic = me.clinic_id();
    let users = state.store.list_users(clinic).await?;
    let mut rows = Vec::new();
    for a in state
        .store
        .list_appointments(clinic, &crate::pages::today(&me.clinic.time_zone))
        .await?
    {
        let client = state.store.client(clinic, a.client_id).await?;
        let who = users
            .iter()
            .find(|u| u.id == a.practitioner_id)
            .map_or("?".into(), |u| u.email.clone());
        let when = smp_records::clock::describe_start(&a.starts_at);
        // A session booked before the consent text changed, or before a screening or
        // patch test that now stops it, shows so before the client comes in.
        let not_ready = match a.starts_at.get(..10).and_then(|d| d.parse::<jiff::civil::Date>().ok()) {
            Some(on) if a.kind == "session" => {
                let why = smp_store::readiness::session_blockers(state.store.as_ref(), clinic, a.client_id, on).await?;
                match why.is_empty() {
                    true => String::new(),
                    false if me.can(Permission::ReadMedical) => why.join("; "),
                    false => "screening or consent is incomplete — ask a practitioner".into(),
                }
            }
            _ => String::new(),
        };
        rows.push((a, client.fields.name, who, when, not_ready));
    }
    // Touch-ups: due 3 years after a client's last session; listed from 90 days before.
    let today = crate::pages::today_date(&me.clinic.time_zone);
    let mut last: std::collections::BTreeMap<ClientId, String> = Default::default();
    for s in state.store.all_sessions(clinic).await? {
        last.insert(s.client_id, s.performed_on);
    }
    let mut touch_ups = Vec::new();
    for (client_id, on) in last {
        let Ok(d) = smp_plan::CivilDate::parse(&on) else { continue };
        let due = d.add_years(smp_plan::constants::TOUCH_UP_YEARS.0 as i32);
        if due.days_from_epoch() - today.days_from_epoch() <= TOUCH_UP_NOTICE_DAYS {
            let c = state.store.client(clinic, client_id).await?;
            touch_ups.push((client_id, c.fields.name, on, due.to_string()));
        }
    }
    Ok(AppointmentsPage {
        nav: Nav::of(me),
        rows,
        feed_url,
        touch_ups,
    })
}

/// GET /appointments: upcoming appointments (every role: the front desk's list).
pub async fn appointments(State(state): State<AppState>, me: CurrentUser) -> AppResult<AppointmentsPage> {
    me.require(Permission::ReadContacts).map_err(|e| e.as_html())?;
    appointments_page(&state, &me, String::new()).await.map_err(|e| e.as_html())
}

/// POST /appointments/feed: a new secret calendar URL for the user (shown once).
pub async fn new_feed(State(state): State<AppState>, me: CurrentUser) -> AppResult<AppointmentsPage> {
    me.require(Permission::ReadContacts).map_err(|e| e.as_html())?;
    let raw = token::random_hex(24);
    state
        .store
        .add_calendar_token(me.clinic_id(), me.user.id, &token::token_hash(&raw))
        .await
        .map_err(html)?;
    audit(&state, &me, "create", "calendar-token", me.user.id, None)
        .await
        .map_err(|e| e.as_html())?;
    appointments_page(&state, &me, format!("/calendar/{raw}.ics"))
        .await
        .map_err(|e| e.as_html())
}

/// POST /appointments/feed/revoke: every calendar URL of the user stops working.
pub async fn revoke_feeds(State(state): State<AppState>, me: CurrentUser) -> AppResult<Redirect> {
    me.require(Permission::ReadContacts).map_err(|e| e.as_html())?;
    state.store.revoke_calendar_tokens(me.clinic_id(), me.user.id).await.map_err(html)?;
    audit(&state, &me, "change", "calendar-token", me.user.id, None)
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to("/appointments"))
}

/// GET /calendar/{token}.ics: the user's appointments and touch-up reminders (no cookie:
/// calendar apps send none; the token is the key, revocable).
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let raw = file.strip_suffix(".ics").unwrap_or(&file);
    let Some((clinic, user)) = state.store.calendar_token(&token::token_hash(raw)).await? else {
        return Err(AppError::not_found("calendar"));
    };
    let me = state.store.user(clinic, user).await?;
    let zone = state.store.clinic(clinic).await?.time_zone;
    let mut events = Vec::new();
    for a in state
        .store
        .list_appointments(clinic, "0000-00-00")
        .await?
        .into_iter()
        .filter(|a| a.practitioner_id == user || me.role == smp_store::Role::FrontDesk)
    {
        let client = state.store.client(clinic, a.client_id).await?;
        // Sent in UTC: the clinic's local time is the instant it names in the clinic's zone.
        let Some(at) = smp_records::clock::start_instant(&a.starts_at, &zone) else {
            continue;
        };
        let utc = at.timestamp().to_zoned_datetime(jiff::tz::TimeZone::UTC);
        let date = smp_plan::CivilDate::new(i32::from(utc.year()), utc.month() as u32, utc.day() as u32)
            .map_err(|e| AppError::field("starts_at", e.to_string()))?;
        events.push(smp_plan::ics::FeedEvent {
            uid: format!("appointment-{}@smp-studio", a.id),
            date,
            start: Some((utc.hour() as u32, utc.minute() as u32)),
            utc: true,
            minutes: a.minutes.clamp(0, 24 * 60) as u32,
            summary: format!("{}: {}", a.kind, client.fields.name),
            description: if a.room.is_empty() {
                String::new()
            } else {
                format!("room {}", a.room)
            },
        });
    }
    // Touch-up reminders 3 and 5 years after each client's last session with this user.
    let sessions = state.store.all_sessions(clinic).await?;
    let mut last: std::collections::BTreeMap<ClientId, String> = Default::default();
    for s in sessions.iter().filter(|s| s.practitioner_id == user) {
        last.insert(s.client_id, s.performed_on.clone());
    }
    for (client_id, on) in last {
        let client = state.store.client(clinic, client_id).await?;
        if let Ok(d) = smp_plan::CivilDate::parse(&on) {
            let (early, late) = smp_plan::constants::TOUCH_UP_YEARS;
            for years in [early, late] {
                events.push(smp_plan::ics::FeedEvent {
                    uid: format!("touch-up-{client_id}-{years}@smp-studio"),
                    date: d.add_years(years as i32),
                    start: None,
                    utc: false,
                    minutes: 0,
                    summary: format!("touch-up due: {}", client.fields.name),
                    description: format!("{years} years after the last session on {on}"),
                });
            }
        }
    }
    let text = smp_plan::ics::feed(&format!("SMP Studio: {}", me.email), &smp_plan::ics::utc_stamp_now(), &events);
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], text).into_response())
}

/// The public results page.
#[derive(Template, WebTemplate)]
#[template(path = "public.html")]
pub struct PublicPage {
    clinic: String,
    clinic_id: i64,
    stats: GroupStats,
    /// Whether the survey figures (and their chart) are published: n ≥ [`MIN_PUBLIC_SAMPLE`].
    show_surveys: bool,
    /// Whether the session and adverse-event figures are: sessions ≥ [`MIN_PUBLIC_SAMPLE`].
    show_safety: bool,
    /// The minimum, for the page to say.
    min_sample: usize,
    chart: String,
    photos: Vec<Photo>,
    published: &'static [Published],
}

/// Smallest sample a public figure is published from: below it one client's answer or
/// one event is a large share, and a client could be recognised.
pub const MIN_PUBLIC_SAMPLE: usize = 10;

/// GET /public/{clinic}/results: aggregate figures and consented photos only; 404 unless
/// the clinic turned the page on.
pub async fn public_results(State(state): State<AppState>, Path(id): Path<ClinicId>) -> AppResult<PublicPage> {
    if !state.store.public_results(id).await.map_err(html)? {
        return Err(AppError::not_found("page").as_html());
    }
    let c = state.store.clinic(id).await.map_err(html)?;
    let stats = outcome_groups_of(&state, id)
        .await
        .map_err(|e| e.as_html())?
        .into_iter()
        .next()
        .expect("the clinic group is always first");
    let photos = state.store.consented_photos(id).await.map_err(html)?;
    Ok(PublicPage {
        clinic: c.name,
        clinic_id: id.0,
        chart: chart_svg(&stats),
        show_surveys: stats.n >= MIN_PUBLIC_SAMPLE,
        show_safety: stats.sessions >= MIN_PUBLIC_SAMPLE,
        min_sample: MIN_PUBLIC_SAMPLE,
        stats,
        photos,
        published: PUBLISHED,
    })
}

/// GET /public/{clinic}/photos/{id}: a photo only with its marketing consent and the page on.
pub async fn public_photo(State(state): State<AppState>, Path((id, photo)): Path<(ClinicId, PhotoId)>) -> AppResult<Response> {
    if !state.store.public_results(id).await? || !state.store.has_marketing_consent(id, photo).await? {
        return Err(AppError::not_found("photo"));
    }
    let p = state.store.photo(id, photo).await?;
    let bytes = state.files.get(&p.sha256)?;
    Ok(([(header::CONTENT_TYPE, p.media_type)], bytes).into_response())
}
