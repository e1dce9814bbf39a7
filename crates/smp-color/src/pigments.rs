//! The pigment library (an editable JSON file) and pigment matching: for each pigment
//! and dilution, predict with the optics model the healed dot's colour in the client's
//! skin and pick the one nearest in CIEDE2000 to the client's hair (or stubble tips).

use std::path::Path;

use crate::constants::{
    HEALED_CONCENTRATION, HEALED_DOT_MM, HEALED_SKIRT_CONCENTRATION_SHARE, HEALED_SKIRT_DIAMETER_OF_NEEDLE, SEEN_DOT_MM,
};
use crate::delta_e::delta_e00;
use crate::optics::{Pigment, SkinOptics};
use crate::skin::{self, SkinError};
use crate::srgb;

/// The default library, `data/pigments.json`, built into the binary.
pub const DEFAULT_LIBRARY_JSON: &str = include_str!("../data/pigments.json");

/// The most water parts a library may list: beyond 1:20 a dot barely shows.
pub const MAX_WATER_PARTS: u32 = 20;

/// ΔL* (predicted − target) below which the match is "too dark". Model threshold: about
/// three times the ΔE00 ≈ 2–3 of a clearly visible difference, all of it in lightness —
/// dots that much darker than the hair read as dots, not stubble, and too dark is the
/// most common SMP failure and the hardest to undo (lighter can be darkened next session).
pub const TOO_DARK_DELTA_L: f64 = -8.0;

/// ΔL* (predicted − target) above which even the best match heals too light: the
/// pigment lies under skin, so no dilution reaches the colour of hair itself. Model
/// threshold: a clearly visible lightness difference (about twice ΔE00 ≈ 2–3).
pub const TOO_LIGHT_DELTA_L: f64 = 5.0;

/// ITA° above which skin counts as light for the undertone warning: the "light" and
/// "very light" bands (> 41°, Chardon et al. 1991), where carbon under turbid skin reads
/// blue-grey (domain.md).
pub const UNDERTONE_RISK_ITA_DEG: f64 = 41.0;

/// How far (CIELAB units) the predicted b* (blue) or a* (green) may fall below the
/// target's before warning of a cool undertone. Model threshold: ~4 units is a clearly
/// visible hue shift on a near-neutral dark colour.
pub const UNDERTONE_MARGIN: f64 = 4.0;

/// Best ΔE00 above which the match is borderline and a lighter start is advised. ΔE00 of
/// ~2–3 is the usual limit of an acceptable colour match in cosmetics and print.
pub const BORDERLINE_DELTA_E00: f64 = 3.0;

/// How many runner-up combinations a match lists.
pub const ALTERNATIVES: usize = 3;

/// An error in a pigment library file or a match request.
#[derive(Debug, thiserror::Error)]
pub enum PigmentError {
    /// The library file could not be read.
    #[error("cannot read pigment library {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The library is not valid JSON of the expected shape.
    #[error("pigment library is not valid: {0}")]
    Parse(String),
    /// The library's content is wrong (no pigments, bad masstone, …).
    #[error("pigment library: {0}")]
    Invalid(String),
    /// The skin colour is not skin.
    #[error("skin colour: {0}")]
    Skin(#[from] SkinError),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LibraryFile {
    format: String,
    version: u32,
    #[serde(default)]
    #[allow(dead_code)]
    about: Option<String>,
    dilutions_water_parts: Vec<u32>,
    pigments: Vec<PigmentFile>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PigmentFile {
    name: String,
    #[serde(default)]
    masstone_srgb8: Option<[u8; 3]>,
    #[serde(default)]
    masstone_linear: Option<[f64; 3]>,
    #[serde(default)]
    note: Option<String>,
}

/// A named pigment of the library.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryPigment {
    /// Its name, e.g. "carbon black".
    pub name: String,
    /// Its masstone, linear RGB.
    pub masstone_linear: [f64; 3],
    /// Its absorption, from the masstone.
    pub pigment: Pigment,
    /// Free text from the file.
    pub note: Option<String>,
}

/// The pigments and dilutions a match chooses from.
#[derive(Debug, Clone, PartialEq)]
pub struct PigmentLibrary {
    /// The pigments, in file order.
    pub pigments: Vec<LibraryPigment>,
    /// Dilutions tried, as parts of water per part of pigment, ascending.
    pub dilutions: Vec<u32>,
}

impl PigmentLibrary {
    /// The built-in library (`data/pigments.json`).
    pub fn builtin() -> Self {
        Self::from_json(DEFAULT_LIBRARY_JSON).expect("the built-in pigment library is valid")
    }

    /// Load a library file.
    pub fn load(path: &Path) -> Result<Self, PigmentError> {
        let text = std::fs::read_to_string(path).map_err(|source| PigmentError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// The pigment named `name`, if the library has it.
    pub fn get(&self, name: &str) -> Option<&LibraryPigment> {
        self.pigments.iter().find(|p| p.name == name)
    }

    /// Parse and check a library from JSON text.
    pub fn from_json(text: &str) -> Result<Self, PigmentError> {
        let f: LibraryFile = serde_json::from_str(text).map_err(|e| PigmentError::Parse(e.to_string()))?;
        let bad = |m: String| Err(PigmentError::Invalid(m));
        if f.format != "smp-pigments" || f.version != 1 {
            return bad(format!(
                "format {:?} version {} is not supported; expected \"smp-pigments\" version 1",
                f.format, f.version
            ));
        }
        if f.pigments.is_empty() {
            return bad("no pigments listed".into());
        }
        let mut dilutions = f.dilutions_water_parts;
        dilutions.sort_unstable();
        dilutions.dedup();
        if dilutions.is_empty() {
            return bad("no dilutions listed (use e.g. [0, 1, 2, 3, 4, 5, 6])".into());
        }
        if let Some(&d) = dilutions.iter().find(|&&d| d > MAX_WATER_PARTS) {
            return bad(format!("dilution 1:{d} is beyond 1:{MAX_WATER_PARTS}"));
        }
        let mut pigments = Vec::with_capacity(f.pigments.len());
        for p in f.pigments {
            let name = p.name.trim().to_string();
            if name.is_empty() {
                return bad("a pigment has an empty name".into());
            }
            if pigments.iter().any(|q: &LibraryPigment| q.name == name) {
                return bad(format!("pigment {name:?} is listed twice"));
            }
            let masstone_linear = match (p.masstone_srgb8, p.masstone_linear) {
                (Some(s), None) => srgb::rgb8_to_linear(s),
                (None, Some(l)) if l.iter().all(|v| v.is_finite() && *v > 0.0 && *v <= 1.0) => l,
                (None, Some(l)) => {
                    return bad(format!("pigment {name:?}: masstone_linear {l:?} must be in (0, 1]"));
                }
                _ => return bad(format!("pigment {name:?}: give exactly one of masstone_srgb8 or masstone_linear")),
            };
            if masstone_linear.iter().any(|&v| v <= 0.0) {
                return bad(format!("pigment {name:?}: a masstone channel of 0 would absorb without limit"));
            }
            pigments.push(LibraryPigment {
                name,
                masstone_linear,
                pigment: Pigment::from_masstone(masstone_linear),
                note: p.note,
            });
        }
        Ok(PigmentLibrary { pigments, dilutions })
    }
}

/// CIELAB (D65) to linear sRGB, clamped to 0..1 (the inverse of `srgb::linear_to_lab`,
/// CIE 15:2004 and the IEC 61966-2-1 inverse matrix).
pub fn lab_to_linear(lab: [f64; 3]) -> [f64; 3] {
    srgb::xyz_to_linear(srgb::lab_to_xyz(lab, srgb::D65_WHITE)).map(|v| v.clamp(0.0, 1.0))
}

/// The needle the predictions assume, mm: the common 0.25 mm SMP needle (domain.md).
pub const PREDICTION_NEEDLE_MM: f64 = 0.25;

/// One healed impression as `PreviewState::Healed.look` deposits it: a sharp core inside
/// a soft dispersed skirt, with their pigment concentrations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HealedImpression {
    /// Diameter of the sharp core, mm (`HEALED_DOT_MM` scaled by the needle).
    pub core_mm: f64,
    /// Diameter of the whole impression (the skirt), mm.
    pub skirt_mm: f64,
    /// Concentration over the core: the core's own pigment plus the skirt's under it.
    pub core_concentration: f64,
    /// Concentration over the rest of the skirt.
    pub skirt_concentration: f64,
}

impl HealedImpression {
    /// The impression a `needle_mm` needle leaves with pigment diluted 1:`water_parts`.
    pub fn new(needle_mm: f64, water_parts: u32) -> Self {
        Self::from_dose(needle_mm, Pigment::dilution_factor(f64::from(water_parts)))
    }

    /// The impression a `needle_mm` needle leaves at relative darkness `dose` (a shade,
    /// or a dilution factor).
    pub fn from_dose(needle_mm: f64, dose: f64) -> Self {
        let c = HEALED_CONCENTRATION * dose;
        let core_mm = HEALED_DOT_MM * needle_mm / PREDICTION_NEEDLE_MM;
        HealedImpression {
            core_mm,
            skirt_mm: (needle_mm * HEALED_SKIRT_DIAMETER_OF_NEEDLE).max(core_mm),
            core_concentration: c * (1.0 + HEALED_SKIRT_CONCENTRATION_SHARE),
            skirt_concentration: c * HEALED_SKIRT_CONCENTRATION_SHARE,
        }
    }

    /// Diameter of the impression as the eye resolves it from a conversational distance,
    /// mm: the core and the skirt's nearest part over [`SEEN_DOT_MM`].
    pub fn seen_mm(&self) -> f64 {
        SEEN_DOT_MM.clamp(self.core_mm, self.skirt_mm)
    }

    /// Mean transmittance of `pigment` over the impression as seen ([`Self::seen_mm`]:
    /// the core and the skirt around it, by area).
    pub fn mean_transmittance(&self, pigment: &Pigment) -> [f64; 3] {
        let w = (self.core_mm / self.seen_mm()).powi(2);
        pigment
            .k
            .map(|k| w * (-k * self.core_concentration).exp() + (1.0 - w) * (-k * self.skirt_concentration).exp())
    }
}

/// The predicted CIELAB colour of one healed impression of `pigment` diluted
/// 1:`water_parts` (0.25 mm needle) in skin of colour `skin_lab`: the mean over the whole
/// impression, core and soft skirt, which is what the eye resolves of a dot from a
/// conversational distance and what it compares with a stubble tip and its shadow.
///
/// Uniform approximation: over the impression the pigment layer is taken as infinite at
/// its mean transmittance (`SkinOptics::reflect_uniform`). The renderer spreads what the
/// impression absorbs over the skin's diffusion profile, so a rendered dot is slightly
/// lighter (mostly in red, which travels furthest); matching compares like with like,
/// since every candidate is predicted the same way.
pub fn predict_healed_lab(skin_lab: [f64; 3], pigment: &Pigment, water_parts: u32) -> [f64; 3] {
    let tau = HealedImpression::new(PREDICTION_NEEDLE_MM, water_parts).mean_transmittance(pigment);
    srgb::linear_to_lab(SkinOptics::default().reflect_uniform(lab_to_linear(skin_lab), tau))
}

/// The predicted CIELAB colour of a whole healed area: skin `skin_lab` with impressions of
/// `pigment` diluted 1:`water_parts`, made with a `needle_mm` needle at `density_per_cm2`
/// impressions per cm², as seen from far enough that the dots blend into one tone.
///
/// Approximation: the skirts ([`HealedImpression`], 1.5 mm across) overlap at SMP
/// densities, so a point of the area lies under a Poisson number of them, of mean f =
/// density × skirt area; their layers multiply, so the skirts transmit
/// E[τₛᴺ] = exp(−f·(1 − τₛ)) on average. The cores (f_c = density × core area) rarely
/// overlap and add their own share on top. The area is then lit with
/// `SkinOptics::reflect_uniform(skin, τ̄)`: light enters through the mean transmittance
/// and what the dots absorb is spread evenly over the area. That is exact where the light
/// spreads much wider than the dot spacing (red, ~1 mm); where it spreads less (blue),
/// the area's true mean of τ² exceeds τ̄², so the prediction is slightly too dark in blue.
pub fn predict_area_lab(skin_lab: [f64; 3], pigment: &Pigment, water_parts: u32, density_per_cm2: f64, needle_mm: f64) -> [f64; 3] {
    let imp = HealedImpression::new(needle_mm, water_parts);
    let per_mm2 = density_per_cm2.max(0.0) / 100.0;
    let disk = |d: f64| std::f64::consts::PI * d * d / 4.0;
    let (f_skirt, f_core) = (per_mm2 * disk(imp.skirt_mm), (per_mm2 * disk(imp.core_mm)).min(1.0));
    let tau: [f64; 3] = std::array::from_fn(|k| {
        let t_skirt = (-pigment.k[k] * imp.skirt_concentration).exp();
        let t_core_extra = (-pigment.k[k] * (imp.core_concentration - imp.skirt_concentration)).exp();
        (-f_skirt * (1.0 - t_skirt)).exp() * (1.0 - f_core * (1.0 - t_core_extra))
    });
    srgb::linear_to_lab(SkinOptics::default().reflect_uniform(lab_to_linear(skin_lab), tau))
}

/// One pigment and dilution with its predicted colour.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// Pigment name.
    pub pigment: String,
    /// Parts of water per part of pigment (1:N).
    pub dilution: u32,
    /// Predicted healed colour in the client's skin.
    pub predicted_lab: [f64; 3],
    /// ΔE00 from the target.
    pub predicted_delta_e00: f64,
}

/// The recommended pigment and dilution for a client.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Match {
    /// Pigment name.
    pub pigment: String,
    /// Parts of water per part of pigment (1:N).
    pub dilution: u32,
    /// Predicted healed colour in the client's skin.
    pub predicted_lab: [f64; 3],
    /// ΔE00 between that and the target.
    pub predicted_delta_e00: f64,
    /// The next best combinations, best first.
    pub alternatives: Vec<Candidate>,
    /// Risks to tell the practitioner about.
    pub warnings: Vec<String>,
}

/// Choose the pigment and dilution whose predicted healed colour in skin `skin_lab` is
/// nearest (lowest ΔE00) to `target_lab` (the client's stubble tips or hair).
pub fn match_pigment(skin_lab: [f64; 3], target_lab: [f64; 3], library: &PigmentLibrary) -> Result<Match, PigmentError> {
    let ita = skin::ita_deg(skin_lab)?;
    let mut all: Vec<Candidate> = library
        .pigments
        .iter()
        .flat_map(|p| {
            library.dilutions.iter().map(move |&d| {
                let lab = predict_healed_lab(skin_lab, &p.pigment, d);
                Candidate {
                    pigment: p.name.clone(),
                    dilution: d,
                    predicted_lab: lab,
                    predicted_delta_e00: delta_e00(lab, target_lab),
                }
            })
        })
        .collect();
    if all.is_empty() {
        return Err(PigmentError::Invalid("no pigments or no dilutions to choose from".into()));
    }
    // Stable sort: ties keep library order (earlier pigment, less water first).
    all.sort_by(|a, b| a.predicted_delta_e00.total_cmp(&b.predicted_delta_e00));
    let best = all.remove(0);
    all.truncate(ALTERNATIVES);

    let mut warnings = Vec::new();
    let [pl, pa, pb] = best.predicted_lab;
    let [tl, ta, tb] = target_lab;
    if tl >= skin_lab[0] {
        warnings.push(format!(
            "the hair (L* {tl:.1}) is not darker than the skin (L* {:.1}): pigment only darkens skin, so SMP cannot match it; consider whether SMP suits this client",
            skin_lab[0]
        ));
    }
    if pl - tl < TOO_DARK_DELTA_L {
        warnings.push(format!(
            "too dark: the best match heals {:.1} L* darker than the hair (limit {:.0}); even the lightest option reads as dots, not stubble — add lighter dilutions or a lighter pigment",
            tl - pl,
            -TOO_DARK_DELTA_L
        ));
    }
    if ita > UNDERTONE_RISK_ITA_DEG && (pb < tb - UNDERTONE_MARGIN || pa < ta - UNDERTONE_MARGIN) {
        warnings.push(format!(
            "blue/green undertone risk on light skin (ITA {ita:.0}°): predicted a* {pa:.1}, b* {pb:.1} vs hair a* {ta:.1}, b* {tb:.1}; prefer a warmer pigment or more dilution"
        ));
    }
    let too_light = pl - tl > TOO_LIGHT_DELTA_L;
    if too_light {
        warnings.push(format!(
            "too light to match: the best option heals {:.1} L* lighter than the target (L* {tl:.1}); pigment under skin cannot be that dark — if the target is cut hair, match the shaved stubble tips instead (measured on a close-up photo), which sit under skin too; the whole-area effect shows whether the treatment still shades like the stubble",
            pl - tl
        ));
    }
    if best.predicted_delta_e00 > BORDERLINE_DELTA_E00 && !too_light {
        let lighter = library.dilutions.iter().find(|&&d| d > best.dilution);
        let start = lighter.map_or_else(|| "the lightest dilution".to_string(), |d| format!("1:{d}"));
        warnings.push(format!(
            "borderline match (ΔE00 {:.1} > {:.0}): start lighter ({start}) and darken in a later session",
            best.predicted_delta_e00, BORDERLINE_DELTA_E00
        ));
    }
    Ok(Match {
        pigment: best.pigment,
        dilution: best.dilution,
        predicted_lab: best.predicted_lab,
        predicted_delta_e00: best.predicted_delta_e00,
        alternatives: all,
        warnings,
    })
}

#[cfg(test)]
mod tests;
