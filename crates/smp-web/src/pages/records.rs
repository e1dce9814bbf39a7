//! Record pages: lots and recall search, recording sessions, adverse events and surveys
//! on a client's page, outcomes with statistics, erasure, the ink passport and aftercare.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use serde::Deserialize;
use smp_store::{ClientId, LotId};
use smp_store::{Lot, NewAdverseEvent, NewLot, NewSurvey, NewTreatmentSession};

use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult};
use crate::pages::{Nav, html, today};
use crate::records::audit;
use crate::service::records::{outcome_groups, record_session_with_follow_ups};
use crate::state::AppState;
use smp_records::stats::{PUBLISHED, Published};
use smp_records::summary::{GroupStats, chart_svg};

/// The lots page.
#[derive(Template, WebTemplate)]
#[template(path = "lots.html")]
pub struct LotsPage {
    nav: Nav,
    lots: Vec<Lot>,
    today: String,
}

/// GET /lots
pub async fn lots(State(state): State<AppState>, me: CurrentUser) -> AppResult<LotsPage> {
    me.require(Permission::ReadMedical).map_err(|e| e.as_html())?;
    Ok(LotsPage {
        nav: Nav::of(&me),
        lots: state.store.list_lots(me.clinic_id()).await.map_err(html)?,
        today: today(&me.clinic.time_zone),
    })
}

/// POST /lots
pub async fn add_lot(State(state): State<AppState>, me: CurrentUser, Form(f): Form<NewLot>) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let lot = state.store.add_lot(me.clinic_id(), &f).await.map_err(html)?;
    audit(&state, &me, "create", "lot", lot.id, None).await.map_err(|e| e.as_html())?;
    Ok(Redirect::to("/lots"))
}

/// The recall form.
#[derive(Deserialize)]
pub struct RecallForm {
    reason: String,
}

/// POST /lots/{id}/recall
pub async fn recall(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<LotId>,
    Form(f): Form<RecallForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    state.store.recall_lot(me.clinic_id(), id, &f.reason).await.map_err(html)?;
    audit(&state, &me, "recall", "lot", id, None).await.map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/lots/{id}/clients")))
}

/// Recall search result page.
#[derive(Template, WebTemplate)]
#[template(path = "recall.html")]
pub struct RecallPage {
    nav: Nav,
    lot: Lot,
    /// Client id, name, contact, date, what (a session's impressions or a patch test).
    rows: Vec<(ClientId, String, String, String, String)>,
}

/// GET /lots/{id}/clients: every client who received the lot.
pub async fn recall_search(State(state): State<AppState>, me: CurrentUser, Path(id): Path<LotId>) -> AppResult<RecallPage> {
    me.require(Permission::ReadMedical).map_err(|e| e.as_html())?;
    let clinic = me.clinic_id();
    let lot = state.store.lot(clinic, id).await.map_err(html)?;
    let mut rows = Vec::new();
    let contact = |c: &smp_store::Client| {
        [c.fields.phone.as_str(), c.fields.email.as_str()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ")
    };
    for s in state.store.sessions_with_lot(clinic, id).await.map_err(html)? {
        let c = state.store.client(clinic, s.client_id).await.map_err(html)?;
        let (who, what) = (contact(&c), format!("session, {} impressions", s.impressions));
        rows.push((c.id, c.fields.name, who, s.performed_on, what));
    }
    // A patch test puts the pigment in the skin too.
    for t in state.store.patch_tests_with_lot(clinic, id).await.map_err(html)? {
        let c = state.store.client(clinic, t.client_id).await.map_err(html)?;
        let (who, what) = (contact(&c), format!("patch test ({})", t.result));
        rows.push((c.id, c.fields.name, who, t.tested_on, what));
    }
    audit(&state, &me, "export", "recall-search", id, None)
        .await
        .map_err(|e| e.as_html())?;
    Ok(RecallPage {
        nav: Nav::of(&me),
        lot,
        rows,
    })
}

/// The session form.
#[derive(Deserialize)]
pub struct SessionForm {
    performed_on: String,
    design_session: i64,
    #[serde(default)]
    regions: String,
    impressions: i64,
    needle_lot_id: LotId,
    pigment_lot_id: LotId,
    #[serde(default)]
    dilution: String,
}

/// POST /clients/{id}/sessions
pub async fn record_session(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    Form(f): Form<SessionForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let s = NewTreatmentSession {
        client_id: client,
        performed_on: f.performed_on,
        practitioner_id: me.user.id,
        design_id: None,
        design_session: f.design_session,
        regions: f.regions,
        impressions: f.impressions,
        needle_lot_id: f.needle_lot_id,
        pigment_lot_id: f.pigment_lot_id,
        dilution: f.dilution,
        notes: String::new(),
    };
    record_session_with_follow_ups(&state, &me, &s).await.map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{client}#sessions")))
}

/// The adverse-event form.
#[derive(Deserialize)]
pub struct EventForm {
    kind: String,
    severity: String,
    onset_on: String,
    #[serde(default)]
    resolved_on: String,
    #[serde(default)]
    action: String,
}

/// POST /clients/{id}/adverse-events
pub async fn record_event(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    Form(f): Form<EventForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let last_session = state
        .store
        .list_sessions(me.clinic_id(), client)
        .await
        .map_err(html)?
        .into_iter()
        .rfind(|s| s.performed_on <= f.onset_on);
    let e = NewAdverseEvent {
        client_id: client,
        session_id: last_session.map(|s| s.id),
        kind: f
            .kind
            .parse()
            .map_err(|e: String| AppError::field("kind", e).as_html().back_to(&format!("/clients/{client}#events")))?,
        severity: f.severity.parse().map_err(|e: String| {
            AppError::field("severity", e)
                .as_html()
                .back_to(&format!("/clients/{client}#events"))
        })?,
        onset_on: f.onset_on,
        resolved_on: Some(f.resolved_on).filter(|r| !r.is_empty()),
        action: f.action,
        practitioner_id: me.user.id,
    };
    state.store.add_adverse_event(me.clinic_id(), &e, me.user.id).await.map_err(html)?;
    Ok(Redirect::to(&format!("/clients/{client}#events")))
}

/// The survey form.
#[derive(Deserialize)]
pub struct SurveyForm {
    satisfaction: i64,
    would_recommend: String,
    #[serde(default)]
    comment: String,
}

/// POST /clients/{id}/surveys: rated against the practitioner of the client's last session.
pub async fn record_survey(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(client): Path<ClientId>,
    Form(f): Form<SurveyForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let practitioner = state
        .store
        .list_sessions(me.clinic_id(), client)
        .await
        .map_err(html)?
        .last()
        .map_or(me.user.id, |s| s.practitioner_id);
    let s = NewSurvey {
        client_id: client,
        practitioner_id: practitioner,
        satisfaction: f.satisfaction,
        would_recommend: f.would_recommend == "yes",
        comment: f.comment,
    };
    let rec = state.store.add_survey(me.clinic_id(), &s).await.map_err(html)?;
    audit(&state, &me, "create", "survey", rec.id, Some(client))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{client}#surveys")))
}

/// The outcomes page.
#[derive(Template, WebTemplate)]
#[template(path = "outcomes.html")]
pub struct OutcomesPage {
    nav: Nav,
    groups: Vec<(GroupStats, String)>,
    published: &'static [Published],
}

/// GET /outcomes
pub async fn outcomes(State(state): State<AppState>, me: CurrentUser) -> AppResult<OutcomesPage> {
    me.require(Permission::ReadMedical).map_err(|e| e.as_html())?;
    let groups = outcome_groups(&state, &me).await.map_err(|e| e.as_html())?.into_iter().map(|g| {
        let svg = chart_svg(&g);
        (g, svg)
    });
    Ok(OutcomesPage {
        nav: Nav::of(&me),
        groups: groups.collect(),
        published: PUBLISHED,
    })
}

/// The erasure form: the client's name typed again.
#[derive(Deserialize)]
pub struct EraseForm {
    confirm: String,
}

/// POST /clients/{id}/erase (owner): GDPR erasure after typing the client's name.
pub async fn erase(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ClientId>,
    Form(f): Form<EraseForm>,
) -> AppResult<Redirect> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    let client = state.store.client(me.clinic_id(), id).await.map_err(html)?;
    if f.confirm.trim() != client.fields.name.trim() {
        return Err(AppError::field(
            "confirm",
            "type the client's full name exactly to confirm the erasure; nothing was erased",
        )
        .as_html()
        .back_to(&format!("/clients/{id}")));
    }
    crate::records::gdpr::erase(&state, &me, id).await.map_err(|e| e.as_html())?;
    audit(&state, &me, "erase", "client", id, Some(id)).await.map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{id}")))
}

/// GET /clients/{id}/ink-passport.pdf: every pigment and needle lot used on the client.
pub async fn ink_passport(State(state): State<AppState>, me: CurrentUser, Path(id): Path<ClientId>) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    me.require(Permission::ReadMedical)?;
    let clinic = me.clinic_id();
    let client = state.store.client(clinic, id).await?;
    let lots = state.store.list_lots(clinic).await?;
    let lot = |lid: LotId| lots.iter().find(|l| l.id == lid);
    let entries = state
        .store
        .list_sessions(clinic, id)
        .await?
        .into_iter()
        .map(|s| {
            let (p, n) = (lot(s.pigment_lot_id), lot(s.needle_lot_id));
            smp_report::passport::PassportEntry {
                date: s.performed_on,
                pigment: p.map_or("?".into(), |l| l.product.clone()),
                pigment_lot: p.map_or("?".into(), |l| l.lot_number.clone()),
                pigment_expires: p.map_or("?".into(), |l| l.expires_on.clone()),
                dilution: s.dilution,
                needle: n.map_or("?".into(), |l| format!("{} ({})", l.product, l.lot_number)),
                regions: s.regions,
                impressions: s.impressions,
            }
        })
        .collect();
    let passport = smp_report::passport::InkPassport {
        clinic: me.clinic.name.clone(),
        client: client.fields.name,
        entries,
    };
    let today = crate::pages::today_date(&me.clinic.time_zone);
    let pdf = crate::service::work::blocking(&state, move || {
        smp_report::passport::render_ink_passport(&passport, today).map_err(crate::service::work::internal)
    })
    .await?;
    audit(&state, &me, "export", "ink-passport", id, Some(id)).await?;
    let disposition = format!("attachment; filename=\"ink-passport-client-{id}.pdf\"");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response())
}

/// The printable aftercare sheet of a session.
#[derive(Template, WebTemplate)]
#[template(path = "aftercare.html")]
pub struct AftercarePage {
    client: String,
    clinic: String,
    session_date: String,
    intro: String,
    avoid: Vec<(String, String, String)>,
    warning_signs: Vec<(String, String)>,
    check_ins: Vec<(String, String)>,
    /// The client's e-mail address, encoded for a mailto: link (empty without one).
    mail_to: String,
    mail_body: String,
}

/// The check-in form.
#[derive(Deserialize)]
pub struct FollowUpForm {
    done_on: String,
    #[serde(default)]
    note: String,
}

/// POST /follow-ups/{id}/done
pub async fn follow_up_done(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<smp_store::FollowUpId>,
    Form(f): Form<FollowUpForm>,
) -> AppResult<Redirect> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let done = state
        .store
        .complete_follow_up(me.clinic_id(), id, &f.done_on, &f.note)
        .await
        .map_err(html)?;
    audit(&state, &me, "change", "follow-up", id, Some(done.client_id))
        .await
        .map_err(|e| e.as_html())?;
    Ok(Redirect::to(&format!("/clients/{}#follow-ups", done.client_id)))
}

/// GET /sessions/{client}/{session}/aftercare: printable, with an e-mail link.
pub async fn aftercare(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((client_id, session_id)): Path<(ClientId, smp_store::SessionId)>,
) -> AppResult<AftercarePage> {
    me.require(Permission::ReadMedical).map_err(|e| e.as_html())?;
    let clinic = me.clinic_id();
    let client = state.store.client(clinic, client_id).await.map_err(html)?;
    let session = state
        .store
        .list_sessions(clinic, client_id)
        .await
        .map_err(html)?
        .into_iter()
        .find(|s| s.id == session_id)
        .ok_or_else(|| AppError::not_found("session").as_html())?;
    let info = smp_report::info::Info::builtin();
    let date = smp_plan::CivilDate::parse(&session.performed_on).map_err(|e| AppError::field("performed_on", e.to_string()).as_html())?;
    let _ = date;
    let check_ins: Vec<(String, String)> = state
        .store
        .list_follow_ups(clinic, Some(client_id))
        .await
        .map_err(html)?
        .into_iter()
        .filter(|f| f.session_id == session_id)
        .map(|f| (f.due_on, f.what))
        .collect();
    let avoid: Vec<(String, String, String)> = info
        .aftercare
        .avoid
        .iter()
        .map(|a| (a.what.clone(), a.how_long.clone(), a.why.clone()))
        .collect();
    let warning_signs: Vec<(String, String)> = info
        .aftercare
        .warning_signs
        .iter()
        .map(|w| (w.sign.clone(), w.action.clone()))
        .collect();
    let mut mail = format!(
        "Aftercare after your session on {}\n\n{}\n\nAvoid:\n",
        session.performed_on, info.aftercare.intro
    );
    for (what, how_long, why) in &avoid {
        mail.push_str(&format!("- {what}: {how_long} ({why})\n"));
    }
    mail.push_str("\nCall us if you notice:\n");
    for (sign, action) in &warning_signs {
        mail.push_str(&format!("- {sign}: {action}\n"));
    }
    audit(&state, &me, "read", "aftercare", session_id, Some(client_id))
        .await
        .map_err(|e| e.as_html())?;
    Ok(AftercarePage {
        mail_to: crate::pages::url_encode(client.fields.email.trim()),
        client: client.fields.name,
        clinic: me.clinic.name.clone(),
        session_date: session.performed_on,
        intro: info.aftercare.intro.clone(),
        avoid,
        warning_signs,
        check_ins,
        mail_body: crate::pages::url_encode(&mail),
    })
}
