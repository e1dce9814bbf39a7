//! Contraindication warnings from a client's screening answers, shown before a session
//! is booked and checked again when one is recorded. Waiting times from domain.md /
//! clinic practice: SMP over transplanted grafts usually waits 6–12 months.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::consent::ScreeningAnswers;

/// Months after a transplant before SMP is refused outright.
pub const TRANSPLANT_BLOCK_MONTHS: i64 = 6;
/// Months after a transplant during which SMP is only with caution.
pub const TRANSPLANT_CAUTION_MONTHS: i64 = 12;

/// A warning and whether it stops a session being booked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contraindication {
    /// What and what to do.
    pub message: String,
    /// Refuse to book a session while this holds.
    pub blocking: bool,
}

fn months_between(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days()) * 12 / 365
}

/// Answers that mean "nothing to report" when written in a details box.
const NOTHING: [&str; 12] = [
    "none",
    "none known",
    "no",
    "nope",
    "n/a",
    "na",
    "nil",
    "nothing",
    "-",
    "no known allergies",
    "nka",
    "nkda",
];

/// Whether a yes/no question with its details counts as reported: the yes/no answer when
/// given; on older screenings the details, unless they only say "none".
fn reported(answer: Option<bool>, details: &str) -> bool {
    answer.unwrap_or_else(|| {
        let d = details.trim().trim_end_matches('.').to_lowercase();
        !d.is_empty() && !NOTHING.contains(&d.as_str())
    })
}

/// The warnings of `a` on `today`.
pub fn warnings(a: &ScreeningAnswers, today: Date) -> Vec<Contraindication> {
    let mut out = Vec::new();
    let warn = |m: &str, blocking: bool| Contraindication {
        message: m.to_string(),
        blocking,
    };
    let allergies = a.allergies.to_lowercase();
    if reported(a.has_allergies, &a.allergies) {
        let pigment = ["pigment", "ink", "tattoo", "metal", "nickel", "iron", "carbon"]
            .iter()
            .any(|k| allergies.contains(k));
        out.push(warn(
            if pigment {
                "Allergy to pigments or metals reported: do a patch test with the exact pigment lot and wait for the result before treating."
            } else {
                "Allergies reported: check them against the pigment's ingredients; patch test if in doubt."
            },
            false,
        ));
    }
    if a.keloid {
        out.push(warn(
            "Keloid tendency: needle trauma can raise keloids; test a small hidden area first or decline.",
            false,
        ));
    }
    if a.blood_thinners {
        out.push(warn(
            "Blood thinners: more bleeding pushes pigment out and raises blow-out risk; ask the prescriber before treating.",
            false,
        ));
    }
    if reported(a.has_skin_conditions, &a.skin_conditions) {
        out.push(warn(
            "Scalp skin condition reported: treat only skin that is clear (no active psoriasis, eczema, acne or infection).",
            false,
        ));
    }
    if let Ok(t) = a.hair_transplant_on.trim().parse::<Date>() {
        let m = months_between(t, today);
        if m < TRANSPLANT_BLOCK_MONTHS {
            out.push(warn(
                &format!(
                    "Hair transplant {m} month(s) ago: SMP over grafts usually waits 6–12 months; no session before {}.",
                    t.saturating_add(183.days())
                ),
                true,
            ));
        } else if m < TRANSPLANT_CAUTION_MONTHS {
            out.push(warn(
                &format!("Hair transplant {m} months ago: grafts may still be settling; check the donor and recipient areas have healed."),
                false,
            ));
        }
    }
    let meds = a.medications.to_lowercase();
    if ["isotretinoin", "accutane", "roaccutane"].iter().any(|k| meds.contains(k)) {
        out.push(warn(
            "Isotretinoin: skin heals poorly during and for 6 months after the course; postpone.",
            true,
        ));
    } else if reported(a.takes_medications, &a.medications) {
        out.push(warn(
            "Medications reported: check for photosensitising or anticoagulant effects.",
            false,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transplant_timing_and_flags() {
        let today: Date = "2026-11-27".parse().unwrap();
        let recent = ScreeningAnswers {
            hair_transplant_on: "2026-08-01".into(),
            ..Default::default()
        };
        let w = warnings(&recent, today);
        assert!(w.len() == 1 && w[0].blocking, "{w:?}");
        let older = ScreeningAnswers {
            hair_transplant_on: "2026-01-15".into(),
            ..Default::default()
        };
        assert!(!warnings(&older, today)[0].blocking);
        assert!(
            warnings(
                &ScreeningAnswers {
                    hair_transplant_on: "2024-01-15".into(),
                    ..Default::default()
                },
                today
            )
            .is_empty()
        );
        let allergic = ScreeningAnswers {
            allergies: "Nickel".into(),
            keloid: true,
            ..Default::default()
        };
        let w = warnings(&allergic, today);
        assert!(w[0].message.contains("patch test") && w.len() == 2 && w.iter().all(|c| !c.blocking));
        assert!(warnings(&ScreeningAnswers::default(), today).is_empty());
    }

    #[test]
    fn none_written_out_is_not_an_allergy_and_the_yes_no_answer_decides() {
        let today: Date = "2026-11-27".parse().unwrap();
        // Issue 14: each of these raised "Allergies reported".
        for text in ["none known", "None", "N/A", "no", "None.", " nil "] {
            let a = ScreeningAnswers {
                allergies: text.into(),
                skin_conditions: text.into(),
                medications: text.into(),
                ..Default::default()
            };
            assert!(warnings(&a, today).is_empty(), "{text:?}: {:?}", warnings(&a, today));
        }
        let said_no = ScreeningAnswers {
            has_allergies: Some(false),
            allergies: "hay fever as a child".into(),
            ..Default::default()
        };
        assert!(warnings(&said_no, today).is_empty());
        let said_yes = ScreeningAnswers {
            has_allergies: Some(true),
            allergies: "none".into(),
            ..Default::default()
        };
        assert!(warnings(&said_yes, today)[0].message.starts_with("Allergies reported"));
        let older = ScreeningAnswers {
            allergies: "penicillin".into(),
            ..Default::default()
        };
        assert_eq!(warnings(&older, today).len(), 1, "details alone still count on older screenings");
    }
}
