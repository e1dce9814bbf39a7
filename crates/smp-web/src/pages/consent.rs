//! A client's screening, consent signature, appointments and per-photo marketing consent.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use smp_store::{NewAppointment, ScreeningAnswers};

use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult};
use crate::pages::html;
use crate::records::audit;
use crate::records::screening::warnings;
use crate::state::AppState;

/// The screening form (checkboxes arrive only when ticked).
#[derive(Deserialize)]
pub struct ScreeningForm {
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
    Path(client): Path<i64>,
    Form(f): Form<ScreeningForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let answers = ScreeningAnswers {
        allergies: f.allergies,
        keloid: f.keloid.is_some(),
        blood_thinners: f.blood_thinners.is_some(),
        skin_conditions: f.skin_conditions,
        hair_transplant_on: f.hair_transplant_on,
        medications: f.medications,
    };
    let s = state.store.add_screening(me.clinic_id(), client, &answers).await.map_err(html)?;
    audit(&state, &me, "create", "screening", s.id, Some(client))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{client}#screening")))
}

/// The consent form: the version shown, its hash, the signer and the drawn signature.
#[derive(Deserialize)]
pub struct ConsentForm {
    document_id: i64,
    text_sha256: String,
    signer_name: String,
    signature: String,
}

/// POST /clients/{id}/consent
pub async fn sign(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<i64>,
    Form(f): Form<ConsentForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let s = state
        .store
        .sign_consent(me.clinic_id(), client, f.document_id, &f.text_sha256, &f.signer_name, &f.signature)
        .await
        .map_err(html)?;
    audit(&state, &me, "create", "consent-signature", s.id, Some(client))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{client}#consent")))
}

/// Why a session can't be booked for this client now (empty when it can).
pub async fn session_blockers(state: &AppState, me: &CurrentUser, client: i64) -> AppResult<Vec<String>> {
    let clinic = me.clinic_id();
    let mut out = Vec::new();
    match state.store.latest_consent(clinic).await? {
        None => out.push("the clinic has no consent text yet (owner: Settings)".to_string()),
        Some(doc) => {
            let signed = state
                .store
                .consent_signatures(clinic, client)
                .await?
                .iter()
                .any(|s| s.document_id == doc.id);
            if !signed {
                out.push(format!("the client has not signed consent version {}", doc.version));
            }
        }
    }
    let lots = state.store.list_lots(clinic).await?;
    for t in state
        .store
        .patch_tests(clinic, client)
        .await?
        .iter()
        .filter(|t| t.result == "positive")
    {
        let lot = lots
            .iter()
            .find(|l| l.id == t.lot_id)
            .map_or("?".into(), |l| format!("{} {}", l.product, l.lot_number));
        out.push(format!(
            "positive patch test to {lot} on {}: don't treat with this pigment; refer to a dermatologist",
            t.tested_on
        ));
    }
    match state.store.latest_screening(clinic, client).await? {
        None => out.push("no screening questionnaire on file".into()),
        Some(s) => {
            for w in warnings(&s.answers, crate::pages::today_date()).into_iter().filter(|w| w.blocking) {
                out.push(w.message);
            }
        }
    }
    Ok(out)
}

/// The booking form.
#[derive(Deserialize)]
pub struct BookForm {
    kind: String,
    starts_at: String,
    minutes: i64,
    practitioner_id: i64,
    #[serde(default)]
    room: String,
}

/// POST /clients/{id}/appointments: a session is refused until consent and screening
/// are complete and nothing blocking is found (front desk sees only that, not why).
pub async fn book(State(state): State<AppState>, me: CurrentUser, Path(client): Path<i64>, Form(f): Form<BookForm>) -> AppResult<Redirect> {
    me.require(Permission::EditContacts).map_err(|e| e.as_html())?;
    if f.kind == "session" {
        let blockers = session_blockers(&state, &me, client).await.map_err(|e| e.as_html())?;
        if !blockers.is_empty() {
            let why = if me.can(Permission::ReadMedical) {
                blockers.join("; ")
            } else {
                "screening or consent is incomplete — ask a practitioner".into()
            };
            return Err(AppError::field("kind", format!("a session can't be booked yet: {why}")).as_html());
        }
    }
    let a = NewAppointment {
        client_id: client,
        practitioner_id: f.practitioner_id,
        kind: f.kind,
        starts_at: f.starts_at,
        minutes: f.minutes,
        room: f.room,
    };
    let rec = state.store.book_appointment(me.clinic_id(), &a).await.map_err(html)?;
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
    Path(photo): Path<i64>,
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
    Ok(Redirect::to(&format!("/clients/{}", p.client_id)))
}

/// The patch-test form.
#[derive(Deserialize)]
pub struct PatchForm {
    lot_id: i64,
    tested_on: String,
    result: String,
}

/// POST /clients/{id}/patch-tests
pub async fn patch_test(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<i64>,
    Form(f): Form<PatchForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let t = state
        .store
        .add_patch_test(me.clinic_id(), client, f.lot_id, &f.tested_on, &f.result)
        .await
        .map_err(html)?;
    audit(&state, &me, "create", "patch-test", t.id, Some(client))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{client}#screening")))
}
