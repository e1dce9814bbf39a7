//! A client's screening, consent signature, appointments and per-photo marketing consent.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use smp_store::UserId;
use smp_store::{ClientId, DesignId, LotId, PhotoId};
use smp_store::{NewAppointment, ScreeningAnswers};

use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult};
use crate::pages::html;
use crate::records::audit;
use crate::state::AppState;

/// The screening form (checkboxes arrive only when ticked).
#[derive(Deserialize)]
pub struct ScreeningForm {
    has_allergies: Option<String>,
    has_skin_conditions: Option<String>,
    takes_medications: Option<String>,
    #[serde(default)]
    allergies: String,
    keloid: Option<String>,
    blood_thinners: Option<String>,
    #[serde(default)]
    skin_conditions: String,
    #[serde(default)]
    hair_transplant_on: String,
    #[serde(default)]
    medications: String,
}

/// POST /clients/{id}/screening
pub async fn screening(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    Form(f): Form<ScreeningForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let yes_no = |v: &Option<String>| v.as_deref().map(|x| x == "yes");
    let answers = ScreeningAnswers {
        has_allergies: yes_no(&f.has_allergies),
        has_skin_conditions: yes_no(&f.has_skin_conditions),
        takes_medications: yes_no(&f.takes_medications),
        allergies: f.allergies,
        keloid: f.keloid.is_some(),
        blood_thinners: f.blood_thinners.is_some(),
        skin_conditions: f.skin_conditions,
        hair_transplant_on: f.hair_transplant_on,
        medications: f.medications,
    };
    state
        .store
        .add_screening(me.clinic_id(), client, &answers, me.user.id)
        .await
        .map_err(html)?;
    Ok(Redirect::to(&format!("/clients/{client}#screening")))
}

/// The consent form: the version shown, its hash, the signer and the drawn signature.
#[derive(Deserialize)]
pub struct ConsentForm {
    document_id: smp_store::ConsentDocumentId,
    text_sha256: String,
    signer_name: String,
    signature: String,
}

/// POST /clients/{id}/consent
pub async fn sign(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    Form(f): Form<ConsentForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    state
        .store
        .sign_consent(
            me.clinic_id(),
            client,
            &smp_store::NewSignature {
                document_id: f.document_id,
                text_sha256: &f.text_sha256,
                signer_name: &f.signer_name,
                signature_svg: &f.signature,
            },
            me.user.id,
        )
        .await
        .map_err(html)?;
    Ok(Redirect::to(&format!("/clients/{client}#consent")))
}

/// Why a session can't go ahead for this client today (empty when it can): the store's
/// rules, the same it applies when a session is booked or recorded.
pub async fn session_blockers(state: &AppState, me: &CurrentUser, client: ClientId) -> AppResult<Vec<String>> {
    Ok(smp_store::readiness::session_blockers(
        state.store.as_ref(),
        me.clinic_id(),
        client,
        crate::pages::today_civil(&me.clinic.time_zone),
    )
    .await?)
}

/// A refused booking or move as a page error: a client not ready for a session is
/// explained to those who may read medical data; the front desk learns only that it is
/// blocked, not the client's medical reasons.
pub fn booking_error(me: &CurrentUser, e: smp_store::StoreError, field: &str, what: &str) -> AppError {
    match e {
        smp_store::StoreError::NotReady(why) => {
            let why = if me.can(Permission::ReadMedical) {
                why.join("; ")
            } else {
                "screening or consent is incomplete — ask a practitioner".into()
            };
            AppError::field(field, format!("{what}: {why}")).as_html()
        }
        e => html(e),
    }
}

/// The booking form.
#[derive(Deserialize)]
pub struct BookForm {
    kind: String,
    starts_at: String,
    minutes: i64,
    practitioner_id: UserId,
    #[serde(default)]
    room: String,
}

/// POST /clients/{id}/appointments: a session is refused until consent and screening
/// are complete and nothing blocking is found (front desk sees only that, not why).
pub async fn book(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    Form(f): Form<BookForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditContacts).map_err(|e| e.as_html())?;
    let a = NewAppointment {
        client_id: client,
        practitioner_id: f.practitioner_id,
        kind: f.kind.parse().map_err(|e: String| {
            AppError::field("kind", e)
                .as_html()
                .back_to(&format!("/clients/{client}#appointments"))
        })?,
        starts_at: f.starts_at,
        minutes: f.minutes,
        room: f.room,
    };
    let rec = match state.store.book_appointment(me.clinic_id(), &a).await {
        Ok(rec) => rec,
        Err(e) => return Err(booking_error(&me, e, "kind", "a session can't be booked yet").back_to(&format!("/clients/{client}"))),
    };
    audit(&state, &me, "create", "appointment", rec.id, Some(client))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{client}#appointments")))
}

/// The marketing-consent toggle.
#[derive(Deserialize)]
pub struct MarketingForm {
    consent: String,
}

/// POST /photos/{id}/marketing: whether the photo may ever appear publicly.
pub async fn marketing(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(photo): Path<PhotoId>,
    Form(f): Form<MarketingForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let p = state.store.photo(me.clinic_id(), photo).await.map_err(html)?;
    state
        .store
        .set_marketing_consent(me.clinic_id(), photo, f.consent == "yes")
        .await
        .map_err(html)?;
    audit(&state, &me, "change", "photo-marketing-consent", photo, Some(p.client_id))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{}#tab-photos", p.client_id)))
}

/// POST /photos/{id}/delete: a photo no design is drawn on and not shown publicly; its
/// file goes too once no record uses it.
pub async fn delete_photo(State(state): State<AppState>, me: CurrentUser, Path(photo): Path<PhotoId>) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let p = state.store.photo(me.clinic_id(), photo).await.map_err(html)?;
    let sha = state
        .store
        .delete_photo(me.clinic_id(), photo)
        .await
        .map_err(|e| with_way_back(e, p.client_id))?;
    if !state.store.hash_in_use(&sha).await.map_err(html)? {
        state.files.remove(&sha).map_err(|e| AppError::from(e).as_html())?;
    }
    audit(&state, &me, "delete", "photo", photo, Some(p.client_id))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{}#tab-photos", p.client_id)))
}

/// POST /designs/{id}/delete: a design no recorded session was done from.
pub async fn delete_design(State(state): State<AppState>, me: CurrentUser, Path(design): Path<DesignId>) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let d = state.store.design(me.clinic_id(), design).await.map_err(html)?;
    state
        .store
        .delete_design(me.clinic_id(), design)
        .await
        .map_err(|e| with_way_back(e, d.client_id))?;
    audit(&state, &me, "delete", "design", design, Some(d.client_id))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{}#tab-photos", d.client_id)))
}

/// A refused delete as a page that leads back to the client.
fn with_way_back(e: smp_store::StoreError, client: ClientId) -> AppError {
    match e {
        smp_store::StoreError::BadInput(why) => AppError::field("delete", format!("nothing was deleted: {why}"))
            .as_html()
            .back_to(&format!("/clients/{client}")),
        e => html(e),
    }
}

/// The patch-test form.
#[derive(Deserialize)]
pub struct PatchForm {
    /// Empty when the clinic has no lots to choose from.
    #[serde(default)]
    lot_id: String,
    tested_on: String,
    result: String,
}

/// POST /clients/{id}/patch-tests
pub async fn patch_test(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    Form(f): Form<PatchForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let back = format!("/clients/{client}#screening");
    let lot_id: LotId = f.lot_id.trim().parse().map_err(|_| {
        AppError::field(
            "lot_id",
            "choose the pigment lot that was tested; if the list is empty, add the clinic's lots under Lots first",
        )
        .as_html()
        .back_to(&back)
    })?;
    let t = state
        .store
        .add_patch_test(me.clinic_id(), client, lot_id, &f.tested_on, &f.result)
        .await
        .map_err(|e| html(e).back_to(&back))?;
    audit(&state, &me, "create", "patch-test", t.id, Some(client))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{client}#screening")))
}
