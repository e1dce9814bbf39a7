//! The medical part of a client's page: photos, designs, sessions and their lots,
//! screening, consent, patch tests, events, surveys and follow-ups. Only staff who may
//! read medical records get it (the front desk sees contact details only).

use smp_store::screening::{Contraindication, warnings};
use smp_store::{AdverseEvent, ConsentDocument, DesignRecord, Lot, Photo, ScreeningAnswers, Survey, TreatmentSession};
use smp_store::{ClientId, LotId, PhotoId};

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::pages::{html, today};
use crate::state::AppState;

/// A lot offered in a form: its id and "product lot (exp. date)".
pub type LotOption = (LotId, String);

/// What a client's page shows beyond contact details.
#[derive(Default)]
pub struct MedicalRecord {
    /// Photos, oldest first.
    pub photos: Vec<Photo>,
    /// Designs.
    pub designs: Vec<DesignRecord>,
    /// Ids of photos with marketing consent.
    pub marketing: Vec<PhotoId>,
    /// Follow-up check-ins.
    pub follow_ups: Vec<smp_store::FollowUp>,
    /// The clinic's current consent document.
    pub consent: Option<ConsentDocument>,
    /// Sessions with their needle and pigment lots' labels.
    pub sessions: Vec<(TreatmentSession, String, String)>,
    /// Needle lots a session may use.
    pub needle_lots: Vec<LotOption>,
    /// Pigment lots a session may use; a patch test tests one of these (only a pigment
    /// a session could use is worth testing).
    pub pigment_lots: Vec<LotOption>,
    /// Adverse events.
    pub events: Vec<AdverseEvent>,
    /// Outcome surveys.
    pub surveys: Vec<Survey>,
    /// The latest screening's answers.
    pub screening: ScreeningAnswers,
    /// Whether the client has been screened at all.
    pub screened: bool,
    /// Contraindications and pending patch tests.
    pub warnings: Vec<Contraindication>,
    /// Whether the current consent document is signed.
    pub signed_current: bool,
    /// Signatures: document id, signer, when (clinic time).
    pub signatures: Vec<(smp_store::ConsentDocumentId, String, String)>,
    /// Why a session may not be recorded now.
    pub blockers: Vec<String>,
    /// Patch tests: lot, date, result.
    pub patch_tests: Vec<(String, String, String)>,
    /// The date the plan's spacing proposes for the next session.
    pub proposed_session: String,
}

/// "product lot" of the lot with id `id`, or "?" for one no longer listed.
fn lot_label(lots: &[Lot], id: LotId) -> String {
    lots.iter()
        .find(|l| l.id == id)
        .map_or("?".into(), |l| format!("{} {}", l.product, l.lot_number))
}

/// The form entry of a lot, with its expiry.
fn lot_option(l: &Lot) -> LotOption {
    (l.id, format!("{} {} (exp. {})", l.product, l.lot_number, l.expires_on))
}

/// Loads the medical record of client `id` and audits the read.
pub async fn load(state: &AppState, me: &CurrentUser, id: ClientId) -> AppResult<MedicalRecord> {
    let clinic = me.clinic_id();
    let store = &state.store;
    let mut r = MedicalRecord {
        photos: store.list_photos(clinic, id).await.map_err(html)?,
        designs: store.list_designs(clinic, id).await.map_err(html)?,
        follow_ups: store.list_follow_ups(clinic, Some(id)).await.map_err(html)?,
        consent: store.latest_consent(clinic).await.map_err(html)?,
        events: store.list_adverse_events(clinic, Some(id)).await.map_err(html)?,
        ..MedicalRecord::default()
    };
    r.marketing = store
        .consented_photos(clinic)
        .await
        .map_err(html)?
        .into_iter()
        .filter(|p| p.client_id == id)
        .map(|p| p.id)
        .collect();
    r.surveys = store
        .list_surveys(clinic)
        .await
        .map_err(html)?
        .into_iter()
        .filter(|s| s.client_id == id)
        .collect();
    let lots = store.list_lots(clinic).await.map_err(html)?;
    add_sessions(state, me, id, &lots, &mut r).await?;
    add_screening_and_consent(state, me, id, &mut r).await?;
    add_patch_tests(state, me, id, &lots, &mut r).await?;
    crate::records::audit(state, me, "read", "client-record", id, Some(id))
        .await
        .map_err(|e| e.as_html())?;
    Ok(r)
}

/// Sessions, the lots a new one may use and the proposed date of the next.
async fn add_sessions(state: &AppState, me: &CurrentUser, id: ClientId, lots: &[Lot], r: &mut MedicalRecord) -> AppResult<()> {
    r.sessions = state
        .store
        .list_sessions(me.clinic_id(), id)
        .await
        .map_err(html)?
        .into_iter()
        .map(|s| {
            let (n, p) = (lot_label(lots, s.needle_lot_id), lot_label(lots, s.pigment_lot_id));
            (s, n, p)
        })
        .collect();
    let today = today(&me.clinic.time_zone);
    // Only lots a session may use are offered; the store refuses the others anyway.
    for l in lots.iter().filter(|l| l.recalled_at.is_none() && l.expires_on >= today) {
        if l.kind == "needle" {
            r.needle_lots.push(lot_option(l))
        } else {
            r.pigment_lots.push(lot_option(l))
        }
    }
    // The plan's spacing proposes the next session after the last one.
    if let Some(last) = r.sessions.last().and_then(|s| smp_plan::CivilDate::parse(&s.0.performed_on).ok()) {
        r.proposed_session = last.add_days(i64::from(smp_plan::constants::DEFAULT_SPACING_DAY)).to_string();
    }
    Ok(())
}

/// The latest screening's answers and warnings, consent signatures and what blocks a
/// session.
async fn add_screening_and_consent(state: &AppState, me: &CurrentUser, id: ClientId, r: &mut MedicalRecord) -> AppResult<()> {
    let clinic = me.clinic_id();
    let tz = &me.clinic.time_zone;
    if let Some(sc) = state.store.latest_screening(clinic, id).await.map_err(html)? {
        r.warnings = warnings(&sc.answers, crate::pages::today_civil(tz));
        r.screening = sc.answers;
        r.screened = true;
    }
    let sigs = state.store.consent_signatures(clinic, id).await.map_err(html)?;
    r.signed_current = r.consent.as_ref().is_some_and(|c| sigs.iter().any(|s| s.document_id == c.id));
    r.signatures = sigs
        .into_iter()
        .map(|s| (s.document_id, s.signer_name, super::designs::date_time(s.signed_at, tz)))
        .collect();
    r.blockers = crate::pages::consent::session_blockers(state, me, id)
        .await
        .map_err(|e| e.as_html())?;
    Ok(())
}

/// Patch tests, with a warning for each still pending.
async fn add_patch_tests(state: &AppState, me: &CurrentUser, id: ClientId, lots: &[Lot], r: &mut MedicalRecord) -> AppResult<()> {
    for t in state.store.patch_tests(me.clinic_id(), id).await.map_err(html)? {
        let lot = lot_label(lots, t.lot_id);
        if t.result == "pending" {
            r.warnings.push(Contraindication {
                message: format!("Patch test of {lot} on {} is still pending: wait for the result.", t.tested_on),
                blocking: false,
            });
        }
        r.patch_tests.push((lot, t.tested_on, t.result.to_string()));
    }
    Ok(())
}
