//! Clients list with search, a client's page (details, photos by view and date,
//! designs), and the forms behind them.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use smp_design::Pattern;
use smp_store::{Appointment, Client, ClientFields, PHOTO_VIEWS, Photo};
use smp_store::{ClientId, PhotoId};

use super::client_record::{self, MedicalRecord};
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
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ClientId>,
    Form(f): Form<ClientForm>,
) -> AppResult<Redirect> {
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
    patterns: Vec<String>,
    photo_options: Vec<(PhotoId, String)>,
    event_kinds: &'static [smp_records::EventKind],
    appointments: Vec<Appointment>,
    practitioners: Vec<(smp_store::UserId, String)>,
    /// The photo sets per visit, latest first.
    visits: Vec<super::visits::Visit>,
    /// The medical part (empty for the front desk).
    r: MedicalRecord,
}

/// GET /clients/{id}
pub async fn show(State(state): State<AppState>, me: CurrentUser, Path(id): Path<ClientId>) -> AppResult<ClientPage> {
    me.require(Permission::ReadContacts).map_err(|e| e.as_html())?;
    let clinic = me.clinic_id();
    let mut client = state.store.client(clinic, id).await.map_err(html)?;
    let medical = me.can(Permission::ReadMedical);
    let record = if medical {
        client_record::load(&state, &me, id).await?
    } else {
        client.fields.notes.clear();
        MedicalRecord::default()
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
    Ok(ClientPage {
        nav: Nav::of(&me),
        client,
        medical,
        can_edit: me.can(Permission::EditMedical),
        photo_views: PHOTO_VIEWS
            .iter()
            .map(|v| (*v, record.photos.iter().filter(|p| p.view == *v).cloned().collect()))
            .collect(),
        views: PHOTO_VIEWS,
        today: today_str,
        patterns: Pattern::templates().iter().map(|p| p.to_string()).collect(),
        photo_options: record
            .photos
            .iter()
            .rev()
            .map(|p| (p.id, format!("{} · {}", p.view, p.taken_on)))
            .collect(),
        event_kinds: smp_records::EventKind::ALL,
        visits: super::visits::visits(&record.photos),
        appointments,
        practitioners,
        r: record,
    })
}

/// POST /clients/{id}/photos (multipart form)
pub async fn upload(State(state): State<AppState>, me: CurrentUser, Path(id): Path<ClientId>, multipart: Multipart) -> Response {
    match store_upload(&state, &me, id, multipart).await {
        Ok(_) => Redirect::to(&format!("/clients/{id}#tab-photos")).into_response(),
        Err(e) => e.as_html().into_response(),
    }
}
