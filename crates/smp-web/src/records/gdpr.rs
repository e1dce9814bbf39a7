//! GDPR: export a client's whole record (JSON + photo files, one zip) and erase a
//! client (personal data and photos gone; anonymised lot and adverse-event records kept
//! for safety recalls). Both are audited.

use smp_store::ClientId;
use std::io::Write;

use serde::Serialize;
use smp_store::{
    AdverseEvent, Appointment, Client, ConsentSignature, DesignRecord, DesignVersion, FollowUp, Lot, PatchTest, Photo, Screening, Survey,
    TreatmentSession,
};

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Everything the clinic holds about one client.
#[derive(Serialize)]
pub struct ClientExport {
    /// Export format.
    pub format: &'static str,
    /// Contact details.
    pub client: Client,
    /// Photo records (files under `photos/` in the zip).
    pub photos: Vec<Photo>,
    /// Designs with every version.
    pub designs: Vec<(DesignRecord, Vec<DesignVersion>)>,
    /// Treatment sessions.
    pub sessions: Vec<TreatmentSession>,
    /// Follow-up check-ins after those sessions.
    pub check_ins: Vec<FollowUp>,
    /// The lots those sessions and the patch tests used.
    pub lots: Vec<Lot>,
    /// Adverse events.
    pub adverse_events: Vec<AdverseEvent>,
    /// Outcome surveys.
    pub surveys: Vec<Survey>,
    /// Screening questionnaires, oldest first.
    pub screenings: Vec<Screening>,
    /// Patch tests.
    pub patch_tests: Vec<PatchTest>,
    /// Consent signatures (the version signed, its text's hash, the drawn signature).
    pub consent_signatures: Vec<ConsentSignature>,
    /// Appointments, past, booked and cancelled.
    pub appointments: Vec<Appointment>,
}

/// The export of client `id` as a zip: `record.json` and `photos/<sha256>.<ext>`.
pub async fn export_zip(state: &AppState, me: &CurrentUser, id: ClientId) -> AppResult<Vec<u8>> {
    let clinic = me.clinic_id();
    let st = &state.store;
    let client = st.client(clinic, id).await?;
    let photos = st.list_photos(clinic, id).await?;
    let mut designs = Vec::new();
    for d in st.list_designs(clinic, id).await? {
        let versions = st.list_versions(clinic, d.id).await?;
        designs.push((d, versions));
    }
    let sessions = st.list_sessions(clinic, id).await?;
    let patch_tests = st.patch_tests(clinic, id).await?;
    let lots = st
        .list_lots(clinic)
        .await?
        .into_iter()
        .filter(|l| {
            sessions.iter().any(|s| s.needle_lot_id == l.id || s.pigment_lot_id == l.id) || patch_tests.iter().any(|t| t.lot_id == l.id)
        })
        .collect();
    let appointments = st.client_appointments(clinic, id).await?;
    let adverse_events = st.list_adverse_events(clinic, Some(id)).await?;
    let surveys = st.list_surveys(clinic).await?.into_iter().filter(|s| s.client_id == id).collect();
    let record = ClientExport {
        format: "smp-client-export/2",
        client,
        photos,
        designs,
        sessions,
        check_ins: st.list_follow_ups(clinic, Some(id)).await?,
        lots,
        adverse_events,
        surveys,
        screenings: st.screenings(clinic, id).await?,
        patch_tests,
        consent_signatures: st.consent_signatures(clinic, id).await?,
        appointments,
    };
    let files = state.files.clone();
    crate::service::work::blocking(state, move || -> AppResult<Vec<u8>> {
        let io =
            |e: &dyn std::fmt::Display| AppError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, format!("building the export: {e}"));
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        // Photos are already compressed: stored as they are.
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("record.json", opts).map_err(|e| io(&e))?;
        zip.write_all(serde_json::to_string_pretty(&record).map_err(|e| io(&e))?.as_bytes())
            .map_err(|e| io(&e))?;
        // The same photo uploaded twice is one file (a zip refuses duplicate names).
        let mut written = std::collections::HashSet::new();
        for p in record.photos.iter().filter(|p| written.insert(p.sha256.clone())) {
            let ext = p.media_type.rsplit('/').next().unwrap_or("bin");
            zip.start_file(format!("photos/{}.{ext}", p.sha256), opts).map_err(|e| io(&e))?;
            zip.write_all(&files.get(&p.sha256)?).map_err(|e| io(&e))?;
        }
        Ok(zip.finish().map_err(|e| io(&e))?.into_inner())
    })
    .await
}

/// Erases client `id` and deletes their photo files that nothing else uses.
pub async fn erase(state: &AppState, me: &CurrentUser, id: ClientId) -> AppResult<usize> {
    let hashes = state.store.erase_client(me.clinic_id(), id).await?;
    let mut removed = 0;
    for h in hashes {
        if !state.store.hash_in_use(&h).await? {
            state.files.remove(&h)?;
            state.forget_photo(&h);
            removed += 1;
        }
    }
    Ok(removed)
}
