//! Gathers what the records domain needs to decide whether a client is ready for a
//! tattoo session ([`smp_records::readiness`]).

use jiff::civil::Date;
use smp_records::readiness::{ReadinessFacts, session_blockers as decide};

use crate::{ClientId, ClinicId, Store, StoreResult};

/// Why a tattoo session for `client` can't go ahead on `on` (empty when it can), in the
/// practitioner's words.
pub async fn session_blockers<S: Store + ?Sized>(store: &S, clinic: ClinicId, client: ClientId, on: Date) -> StoreResult<Vec<String>> {
    let consent = store.latest_consent(clinic).await?;
    let signatures = store.consent_signatures(clinic, client).await?;
    let patch_tests = store.patch_tests(clinic, client).await?;
    let lots = if patch_tests.iter().any(|t| t.result == "positive") {
        store.list_lots(clinic).await?
    } else {
        Vec::new()
    };
    let screening = store.latest_screening(clinic, client).await?;
    let facts = ReadinessFacts {
        consent: consent.as_ref(),
        signatures: &signatures,
        patch_tests: &patch_tests,
        lots: &lots,
        screening: screening.as_ref(),
    };
    Ok(decide(&facts, on))
}
