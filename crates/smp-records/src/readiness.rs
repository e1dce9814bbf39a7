//! Whether a client is ready for a tattoo session: the same rules for booking one and
//! for recording one, decided from the facts the store holds about the client.

use jiff::civil::Date;

use crate::consent::{ConsentDocument, ConsentSignature, PatchTest, Screening};
use crate::records::Lot;
use crate::screening::warnings;

/// What decides whether a client may be tattooed on a day.
#[derive(Debug, Clone, Copy)]
pub struct ReadinessFacts<'a> {
    /// The clinic's current consent text, if it has one.
    pub consent: Option<&'a ConsentDocument>,
    /// The client's consent signatures.
    pub signatures: &'a [ConsentSignature],
    /// The client's patch tests.
    pub patch_tests: &'a [PatchTest],
    /// The clinic's lots (to name a patch-tested pigment).
    pub lots: &'a [Lot],
    /// The client's latest screening.
    pub screening: Option<&'a Screening>,
}

/// Why a tattoo session can't go ahead on `on` (empty when it can), in the
/// practitioner's words.
pub fn session_blockers(f: &ReadinessFacts<'_>, on: Date) -> Vec<String> {
    let mut out = Vec::new();
    match f.consent {
        None => out.push("the clinic has no consent text yet (the owner writes it under Settings)".to_string()),
        Some(doc) => {
            if !f.signatures.iter().any(|s| s.document_id == doc.id) {
                out.push(format!("the client has not signed the current consent (version {})", doc.version));
            }
        }
    }
    // A positive result taken after the day in question (a session entered afterwards)
    // could not have stopped it; ISO dates compare as text.
    let on_text = on.to_string();
    for t in f.patch_tests.iter().filter(|t| t.result == "positive" && t.tested_on <= on_text) {
        let lot = f
            .lots
            .iter()
            .find(|l| l.id == t.lot_id)
            .map_or("a pigment".into(), |l| format!("{} {}", l.product, l.lot_number));
        out.push(format!(
            "positive patch test to {lot} on {}: don't treat with this pigment; refer to a dermatologist",
            t.tested_on
        ));
    }
    match f.screening {
        None => out.push("no screening questionnaire on file".into()),
        Some(s) => out.extend(warnings(&s.answers, on).into_iter().filter(|w| w.blocking).map(|w| w.message)),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::ScreeningAnswers;
    use crate::ids::ClinicId;

    #[test]
    fn consent_signature_screening_and_positive_patch_tests_decide() {
        let doc = ConsentDocument {
            id: crate::ConsentDocumentId(3),
            clinic_id: ClinicId(1),
            version: 2,
            text: "t".into(),
            sha256: "h".into(),
            created_at: 0,
        };
        let signed = ConsentSignature {
            id: crate::SignatureId(1),
            clinic_id: ClinicId(1),
            client_id: crate::ClientId(5),
            document_id: crate::ConsentDocumentId(3),
            text_sha256: "h".into(),
            signer_name: "C".into(),
            signature_svg: "M0 0".into(),
            signed_at: 0,
        };
        let screening = Screening {
            id: crate::ScreeningId(1),
            client_id: crate::ClientId(5),
            answers: ScreeningAnswers::default(),
            created_at: 0,
        };
        let positive = PatchTest {
            id: crate::PatchTestId(1),
            client_id: crate::ClientId(5),
            lot_id: crate::LotId(9),
            tested_on: "2026-12-10".into(),
            result: crate::PatchResult::Positive,
            created_at: 0,
        };
        let on: Date = "2026-12-12".parse().unwrap();
        let none = ReadinessFacts {
            consent: None,
            signatures: &[],
            patch_tests: &[],
            lots: &[],
            screening: None,
        };
        let why = session_blockers(&none, on);
        assert_eq!(why.len(), 2, "{why:?}");
        let unsigned = ReadinessFacts {
            consent: Some(&doc),
            ..none
        };
        assert!(session_blockers(&unsigned, on)[0].contains("version 2"));
        let ready = ReadinessFacts {
            consent: Some(&doc),
            signatures: std::slice::from_ref(&signed),
            screening: Some(&screening),
            ..none
        };
        assert!(session_blockers(&ready, on).is_empty());
        let tested = ReadinessFacts {
            patch_tests: std::slice::from_ref(&positive),
            ..ready
        };
        assert!(session_blockers(&tested, on)[0].contains("positive patch test"));
        // A result recorded after the day could not have stopped that day's session.
        assert!(session_blockers(&tested, "2026-12-09".parse().unwrap()).is_empty());
    }
}
