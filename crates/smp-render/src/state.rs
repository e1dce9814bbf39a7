//! Preview states: how an impression looks fresh, healed, and after years.

use std::str::FromStr;

use smp_color::constants::*;
use smp_color::pigments::HealedImpression;

/// When the preview shows the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewState {
    /// The first days: larger, darker dots with redness around them.
    Fresh,
    /// About a month on: the true result.
    Healed,
    /// After this many years of fading and spreading.
    Aged(u32),
}

impl FromStr for PreviewState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "fresh" => Ok(PreviewState::Fresh),
            "healed" => Ok(PreviewState::Healed),
            _ => {
                let n = s
                    .strip_prefix("aged:")
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|&n| (1..=30).contains(&n));
                n.map(PreviewState::Aged)
                    .ok_or_else(|| format!("unknown state {s:?}; use fresh, healed or aged:N with N years from 1 to 30"))
            }
        }
    }
}

impl std::fmt::Display for PreviewState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PreviewState::Fresh => f.write_str("fresh"),
            PreviewState::Healed => f.write_str("healed"),
            PreviewState::Aged(n) => write!(f, "aged {n} years"),
        }
    }
}

/// How one impression looks in a state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DotLook {
    /// Visible pigment diameter, mm.
    pub diameter_mm: f64,
    /// Pigment concentration in that disk (Beer–Lambert units).
    pub concentration: f64,
    /// Strength of the redness halo (0 when healed).
    pub halo: f64,
    /// Pigment dispersed around a healed dot: diameter, mm, and concentration.
    pub skirt: Option<(f64, f64)>,
}

impl PreviewState {
    /// The look of an impression made with a `needle_mm` dot at relative darkness `dose`
    /// (shade, or pigment dilution factor).
    pub fn look(self, needle_mm: f64, dose: f64) -> DotLook {
        // Healed size scales with the needle: ~0.14 mm from the common 0.25 mm needle.
        let healed = HealedImpression::from_dose(needle_mm, dose);
        let (healed_d, skirt_d0) = (healed.core_mm, healed.skirt_mm);
        let healed_c = healed.core_concentration - healed.skirt_concentration;
        let skirt_c0 = healed.skirt_concentration;
        match self {
            // The dermal deposit is there from the first day; on top of it lies the
            // larger, darker fresh dot (surface ink and the wound).
            PreviewState::Fresh => DotLook {
                diameter_mm: needle_mm * FRESH_SWELLING,
                concentration: healed_c * FRESH_DARKNESS,
                halo: FRESH_HALO_STRENGTH,
                skirt: Some((skirt_d0, skirt_c0)),
            },
            PreviewState::Healed => DotLook {
                diameter_mm: healed_d,
                concentration: healed_c,
                halo: 0.0,
                skirt: Some((skirt_d0, skirt_c0)),
            },
            PreviewState::Aged(years) => {
                let n = f64::from(years);
                let area = std::f64::consts::PI * healed_d * healed_d / 4.0 + n * SPREAD_MM2_PER_YEAR;
                let d = (4.0 * area / std::f64::consts::PI).sqrt();
                // Pigment fades, and what is left spreads over the larger area.
                let fade = (-n / FADE_TAU_YEARS).exp();
                let c = healed_c * fade * (healed_d * healed_d) / (d * d);
                // The dispersed pigment fades and spreads the same way.
                let skirt_d = (skirt_d0 * skirt_d0 + 4.0 * n * SPREAD_MM2_PER_YEAR / std::f64::consts::PI).sqrt();
                let skirt_c = skirt_c0 * fade * (skirt_d0 * skirt_d0) / (skirt_d * skirt_d);
                DotLook {
                    diameter_mm: d,
                    concentration: c,
                    halo: 0.0,
                    skirt: Some((skirt_d, skirt_c)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_parse_and_order() {
        assert_eq!("aged:5".parse::<PreviewState>(), Ok(PreviewState::Aged(5)));
        assert!("aged:0".parse::<PreviewState>().is_err());
        assert!("old".parse::<PreviewState>().unwrap_err().contains("fresh, healed or aged:N"));
        let (f, h, a) = (
            PreviewState::Fresh.look(0.25, 1.0),
            PreviewState::Healed.look(0.25, 1.0),
            PreviewState::Aged(5).look(0.25, 1.0),
        );
        assert!(f.diameter_mm > h.diameter_mm && f.concentration > h.concentration);
        assert!((0.10..=0.15).contains(&h.diameter_mm));
        assert!(a.diameter_mm > h.diameter_mm && a.concentration < h.concentration);
        // Pigment mass only fades: area × concentration after 5 years is exp(-5/τ) of healed.
        let mass = |l: DotLook| l.diameter_mm * l.diameter_mm * l.concentration;
        assert!((mass(a) / mass(h) - (-5.0 / FADE_TAU_YEARS).exp()).abs() < 1e-12);
    }
}
