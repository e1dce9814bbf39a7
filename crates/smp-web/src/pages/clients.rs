//! Clients list with search, a client's page (details, photos by view and date,
//! designs), and the forms behind them.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use smp_design::Pattern;
use smp_store::screening::{Contraindication, warnings};
use smp_store::{AdverseEvent, Client, ClientFields, DesignRecord, PHOTO_VIEWS, Photo, Survey, TreatmentSession};
use smp_store::{Appointment, ConsentDocument, ScreeningAnswers};

use crate::auth::{CurrentUser, Permission};
use crate::error::AppResult;
use crate::pages::{Nav, html, today};
use crate::service::photos::store_upload;
use crate::state::AppState;

/// The clients list.
#[derive(Template, WebTemplate)]
#[template(path = "clients.html")]
pub struct ClientsPage {
    nav: Nav,
    q: String,
    clients: Vec<Client>,
}

/// `?q=` search.
#[derive(Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// GET /clients
pub async fn list(State(state): State<AppState>, me: CurrentUser, Query(s): Query<Search>) -> AppResult<ClientsPage> {
    me.require(Permission::ReadContacts).map_err(|e| e.as_html())?;
    let clients = state
        .store
        .list_clients(me.clinic_id(), &s.q)
        .await
        .map_err(|e| crate::error::AppError::from(e).as_html())?;
    Ok(ClientsPage {
        nav: Nav::of(&me),
        q: s.q,
        clients,
    })
}

/// The contact form (with CSRF field, checked by the guard).
#[derive(Deserialize)]
pub struct ClientForm {
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    notes: Option<String>,
}

/// POST /clients
pub async fn create(State(state): State<AppState>, me: CurrentUser, Form(f): Form<ClientForm>) -> AppResult<Redirect> {
    me.require(Permission::EditContacts).map_err(|e| e.as_html())?;
    let fields = ClientFields {
        name: f.name,
        email: f.email,
        phone: f.phone,
        notes: String::new(),
    };
    let c = state
        .store
        .create_client(me.clinic_id(), &fields, me.user.id)
        .await
        .map_err(|e| crate::error::AppError::from(e).as_html())?;
    Ok(Redirect::to(&format!("/clients/{}", c.id)))
}

/// POST /clients/{id}
pub async fn update(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>, Form(f): Form<ClientForm>) -> AppResult<Redirect> {
    me.require(Permission::EditContacts).map_err(|e| e.as_html())?;
    let old = state.store.client(me.clinic_id(), id).await.map_err(html)?;
    // Front desk never sees notes, so its form can't carry them: keep the stored ones.
    let notes = match f.notes {
        Some(n) if me.can(Permission::EditMedical) => n,
        _ => old.fields.notes,
    };
    let fields = ClientFields {
        name: f.name,
        email: f.email,
        phone: f.phone,
        notes,
    };
    state
        .store
        .update_client(me.clinic_id(), id, &fields, me.user.id)
        .await
        .map_err(html)?;
    Ok(Redirect::to(&format!("/clients/{id}")))
}

/// A client's page.
#[derive(Template, WebTemplate)]
#[template(path = "client.html")]
pub struct ClientPage {
    nav: Nav,
    client: Client,
    medical: bool,
    can_edit: bool,
    photo_views: Vec<(&'static str, Vec<Photo>)>,
    views: [&'static str; 6],
    today: String,
    designs: Vec<DesignRecord>,
    patterns: Vec<String>,
    photo_options: Vec<(i64, String)>,
    sessions: Vec<(TreatmentSession, String, String)>,
    needle_lots: Vec<(i64, String)>,
    pigment_lots: Vec<(i64, String)>,
    events: Vec<AdverseEvent>,
    event_kinds: &'static [smp_records::EventKind],
    surveys: Vec<Survey>,
    screening: ScreeningAnswers,
    screened: bool,
    warnings: Vec<Contraindication>,
    consent: Option<ConsentDocument>,
    signed_current: bool,
    signatures: Vec<(i64, String, String)>,
    appointments: Vec<Appointment>,
    practitioners: Vec<(i64, String)>,
    blockers: Vec<String>,
    marketing: Vec<i64>,
    patch_tests: Vec<(String, String, String)>,
    follow_ups: Vec<smp_store::FollowUp>,
    all_pigment_lots: Vec<(i64, String)>,
    proposed_session: String,
}

/// GET /clients/{id}
pub async fn show(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> AppResult<ClientPage> {
    me.require(Permission::ReadContacts).map_err(|e| e.as_html())?;
    let clinic = me.clinic_id();
    let mut client = state.store.client(clinic, id).await.map_err(html)?;
    let medical = me.can(Permission::ReadMedical);
    let (photos, designs) = if medical {
        (
            state.store.list_photos(clinic, id).await.map_err(html)?,
            state.store.list_designs(clinic, id).await.map_err(html)?,
        )
    } else {
        client.fields.notes.clear();
        (Vec::new(), Vec::new())
    };
    let photo_options = photos
        .iter()
        .rev()
        .map(|p| (p.id, format!("{} · {}", p.view, p.taken_on)))
        .collect();
    let photo_views = PHOTO_VIEWS
        .iter()
        .map(|v| (*v, photos.iter().filter(|p| p.view == *v).cloned().collect()))
        .collect();
    let (mut sessions, mut needle_lots, mut pigment_lots, mut events, mut surveys) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut screening, mut screened, mut warns, mut signed_current, mut signatures, mut blockers) =
        (ScreeningAnswers::default(), false, Vec::new(), false, Vec::new(), Vec::new());
    let marketing: Vec<i64> = if medical {
        state
            .store
            .consented_photos(clinic)
            .await
            .map_err(html)?
            .into_iter()
            .filter(|p| p.client_id == id)
            .map(|p| p.id)
            .collect()
    } else {
        Vec::new()
    };
    let (mut patch_tests, mut all_pigment_lots, mut proposed_session) = (Vec::new(), Vec::new(), String::new());
    let follow_ups = if medical {
        state.store.list_follow_ups(clinic, Some(id)).await.map_err(html)?
    } else {
        Vec::new()
    };
    let consent = if medical {
        state.store.latest_consent(clinic).await.map_err(html)?
    } else {
        None
    };
    let today_str = today(&me.clinic.time_zone);
    let appointments: Vec<Appointment> = state
        .store
        .list_appointments(clinic, &today_str)
        .await
        .map_err(html)?
        .into_iter()
        .filter(|a| a.client_id == id)
        .collect();
    let practitioners = state
        .store
        .list_users(clinic)
        .await
        .map_err(html)?
        .into_iter()
        .filter(|u| u.role != smp_store::Role::FrontDesk)
        .map(|u| (u.id, u.email))
        .collect();
    if medical {
        let lots = state.store.list_lots(clinic).await.map_err(html)?;
        let label = |id: i64| {
            lots.iter()
                .find(|l| l.id == id)
                .map_or("?".into(), |l| format!("{} {}", l.product, l.lot_number))
        };
        sessions = state
            .store
            .list_sessions(clinic, id)
            .await
            .map_err(html)?
            .into_iter()
            .map(|s| {
                let (n, p) = (label(s.needle_lot_id), label(s.pigment_lot_id));
                (s, n, p)
            })
            .collect();
        let today = today(&me.clinic.time_zone);
        // Only lots a session may use are offered; the store refuses the others anyway.
        for l in lots.iter().filter(|l| l.recalled_at.is_none() && l.expires_on >= today) {
            let entry = (l.id, format!("{} {} (exp. {})", l.product, l.lot_number, l.expires_on));
            if l.kind == "needle" {
                needle_lots.push(entry)
            } else {
                pigment_lots.push(entry)
            }
        }
        events = state.store.list_adverse_events(clinic, Some(id)).await.map_err(html)?;
        surveys = state
            .store
            .list_surveys(clinic)
            .await
            .map_err(html)?
            .into_iter()
            .filter(|s| s.client_id == id)
            .collect();
        if let Some(sc) = state.store.latest_screening(clinic, id).await.map_err(html)? {
            warns = warnings(&sc.answers, crate::pages::today_civil(&me.clinic.time_zone));
            screening = sc.answers;
            screened = true;
        }
        let sigs = state.store.consent_signatures(clinic, id).await.map_err(html)?;
        signed_current = consent.as_ref().is_some_and(|c| sigs.iter().any(|s| s.document_id == c.id));
        signatures = sigs
            .into_iter()
            .map(|s| {
                (
                    s.document_id,
                    s.signer_name,
                    super::designs::date_time(s.signed_at, &me.clinic.time_zone),
                )
            })
            .collect();
        blockers = crate::pages::consent::session_blockers(&state, &me, id)
            .await
            .map_err(|e| e.as_html())?;
        let lots = state.store.list_lots(clinic).await.map_err(html)?;
        let lot_label = |lid: i64| {
            lots.iter()
                .find(|l| l.id == lid)
                .map_or("?".into(), |l| format!("{} {}", l.product, l.lot_number))
        };
        for t in state.store.patch_tests(clinic, id).await.map_err(html)? {
            if t.result == "pending" {
                warns.push(Contraindication {
                    message: format!(
                        "Patch test of {} on {} is still pending: wait for the result.",
                        lot_label(t.lot_id),
                        t.tested_on
                    ),
                    blocking: false,
                });
            }
            patch_tests.push((lot_label(t.lot_id), t.tested_on, t.result.to_string()));
        }
        // Only a pigment a session could use is worth testing: in date and not recalled.
        all_pigment_lots = lots
            .iter()
            .filter(|l| l.kind == "pigment" && l.recalled_at.is_none() && l.expires_on >= today)
            .map(|l| (l.id, format!("{} {} (exp. {})", l.product, l.lot_number, l.expires_on)))
            .collect();
        // The plan's spacing proposes the next session after the last one.
        if let Some(last) = sessions.last().and_then(|s| smp_plan::CivilDate::parse(&s.0.performed_on).ok()) {
            proposed_session = last.add_days(i64::from(smp_plan::constants::DEFAULT_SPACING_DAY)).to_string();
        }
        crate::records::audit(&state, &me, "read", "client-record", id, Some(id))
            .await
            .map_err(|e| e.as_html())?;
    }
    Ok(ClientPage {
        nav: Nav::of(&me),
        client,
        medical,
        can_edit: me.can(Permission::EditMedical),
        photo_views,
        views: PHOTO_VIEWS,
        today: today(&me.clinic.time_zone),
        designs,
        patterns: Pattern::templates().iter().map(|p| p.to_string()).collect(),
        photo_options,
        sessions,
        needle_lots,
        pigment_lots,
        events,
        event_kinds: smp_records::EventKind::ALL,
        surveys,
        screening,
        screened,
        warnings: warns,
        consent,
        signed_current,
        signatures,
        appointments,
        practitioners,
        blockers,
        marketing,
        patch_tests,
        follow_ups,
        all_pigment_lots,
        proposed_session,
    })
}

/// POST /clients/{id}/photos (multipart form)
pub async fn upload(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>, multipart: Multipart) -> Response {
    match store_upload(&state, &me, id, multipart).await {
        Ok(_) => Redirect::to(&format!("/clients/{id}#tab-photos")).into_response(),
        Err(e) => e.as_html().into_response(),
    }
}
