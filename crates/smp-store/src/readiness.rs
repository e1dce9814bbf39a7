//! Whether a client may be tattooed on a given day: the same rules for booking a session
//! and for recording one, kept in the store so no path round them exists.
//!
//! A session needs the clinic's current consent text signed by the client, a screening
//! on file with nothing in it that blocks treatment on that day (a recent transplant,
//! isotretinoin), and no positive patch test.

use jiff::civil::Date;

use crate::screening::warnings;
use crate::{ClinicId, Store, StoreResult};

/// Why a tattoo session for `client` can't go ahead on `on` (empty when it can), in the
/// practitioner's words.
pub async fn session_blockers<S: Store + ?Sized>(store: &S, clinic: ClinicId, client: i64, on: Date) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    match store.latest_consent(clinic).await? {
        None => out.push("the clinic has no consent text yet (the owner writes it under Settings)".to_string()),
        Some(doc) => {
            let signed = store
                .consent_signatures(clinic, client)
                .await?
                .iter()
                .any(|s| s.document_id == doc.id);
            if !signed {
                out.push(format!("the client has not signed the current consent (version {})", doc.version));
            }
        }
    }
    // A positive result taken after the day in question (a session entered afterwards)
    // could not have stopped it; ISO dates compare as text.
    let on_text = on.to_string();
    let positive: Vec<_> = store
        .patch_tests(clinic, client)
        .await?
        .into_iter()
        .filter(|t| t.result == "positive" && t.tested_on <= on_text)
        .collect();
    if !positive.is_empty() {
        let lots = store.list_lots(clinic).await?;
        for t in &positive {
            let lot = lots
                .iter()
                .find(|l| l.id == t.lot_id)
                .map_or("a pigment".into(), |l| format!("{} {}", l.product, l.lot_number));
            out.push(format!(
                "positive patch test to {lot} on {}: don't treat with this pigment; refer to a dermatologist",
                t.tested_on
            ));
        }
    }
    match store.latest_screening(clinic, client).await? {
        None => out.push("no screening questionnaire on file".into()),
        Some(s) => out.extend(warnings(&s.answers, on).into_iter().filter(|w| w.blocking).map(|w| w.message)),
    }
    Ok(out)
}
