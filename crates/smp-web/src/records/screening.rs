//! Contraindication warnings from a client's screening answers, shown before a session
//! can be booked. Waiting times from domain.md / clinic practice: SMP over transplanted
//! grafts usually waits 6–12 months.

use serde::Serialize;
use smp_plan::CivilDate;
use smp_store::ScreeningAnswers;

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

fn months_between(from: CivilDate, to: CivilDate) -> i64 {
    (to.days_from_epoch() - from.days_from_epoch()) * 12 / 365
}

/// The warnings of `a` on `today`.
pub fn warnings(a: &ScreeningAnswers, today: CivilDate) -> Vec<Contraindication> {
    let mut out = Vec::new();
    let warn = |m: &str, blocking: bool| Contraindication {
        message: m.to_string(),
        blocking,
    };
    let allergies = a.allergies.to_lowercase();
    if !allergies.trim().is_empty() {
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
    if !a.skin_conditions.trim().is_empty() {
        out.push(warn(
            "Scalp skin condition reported: treat only skin that is clear (no active psoriasis, eczema, acne or infection).",
            false,
        ));
    }
    if let Ok(t) = CivilDate::parse(&a.hair_transplant_on) {
        let m = months_between(t, today);
        if m < TRANSPLANT_BLOCK_MONTHS {
            out.push(warn(
                &format!(
                    "Hair transplant {m} month(s) ago: SMP over grafts usually waits 6–12 months; no session before {}.",
                    t.add_days(183)
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
    } else if !meds.trim().is_empty() {
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
        let today = CivilDate::parse("2026-11-27").unwrap();
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
}
