//! Pigment matching for a design on a client's photo: skin and hair sampled from the
//! view (or given by the clinic), the pigment and dilution whose healed colour in that
//! skin is nearest the hair, and the whole treated area's colour at the design's density
//! next to the client's haired area. Shared by `smp color match D --view`, the report and
//! the web API, so all three answer alike.

use image::RgbImage;
use smp_color::delta_e::delta_e00;
use smp_color::hair::{HairLevel, estimate_level};
use smp_color::pigments::{Match, PigmentError, PigmentLibrary, match_pigment, predict_area_lab};
use smp_color::skin::{self, SkinError, SkinTone};
use smp_design::{Design, View};

use crate::sample::{SampleError, sample_design};

/// Colours the clinic measured itself; each replaces the photo's sample.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct GivenColours {
    /// Scalp skin, CIELAB.
    pub skin_lab: Option<[f64; 3]>,
    /// Hair or stubble tips, CIELAB.
    pub hair_lab: Option<[f64; 3]>,
}

/// Why a design's pigment cannot be matched on its photo.
#[derive(Debug, thiserror::Error)]
pub enum PhotoMatchError {
    /// The design's regions cannot be sampled (none, or outside the photo).
    #[error(transparent)]
    Sample(#[from] SampleError),
    /// The sampled area shows no skin and none was given.
    #[error(
        "view {0:?}: the treated area is all hair, so there is no skin to sample; mark scalp in the view's mask or give the skin colour"
    )]
    NoSkin(String),
    /// The sampled area shows no hair and none was given.
    #[error("view {0:?}: the treated area is all skin, so there is no hair to match; mark hair in the view's mask or give the hair colour")]
    NoHair(String),
    /// The skin colour used, sampled or measured, is not skin.
    #[error("skin colour L* {:.1}, a* {:.1}, b* {:.1} ({}): {source}", .skin_lab[0], .skin_lab[1], .skin_lab[2], if *.measured { "measured" } else { "sampled from the photo" })]
    NotSkin {
        /// The colour.
        skin_lab: [f64; 3],
        /// Whether it was given (or stored in the design) rather than sampled.
        measured: bool,
        /// Why it is not skin.
        source: SkinError,
    },
    /// The pigment library is unusable.
    #[error(transparent)]
    Pigment(PigmentError),
}

/// The answer of a match on a photo.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoMatch {
    /// The view sampled.
    pub view: String,
    /// What the sampled colours were corrected through: the calibration card or the
    /// colour chart in the photo (`None`: as the camera recorded them, an estimate).
    pub corrected_by: Option<crate::card::colour::Reference>,
    /// Skin colour used (CIELAB) and whether the clinic gave it.
    pub skin_lab: [f64; 3],
    /// Whether `skin_lab` was given (or stored in the design) rather than sampled.
    pub skin_given: bool,
    /// Hair colour matched (CIELAB).
    pub hair_lab: [f64; 3],
    /// Whether `hair_lab` was given rather than sampled.
    pub hair_given: bool,
    /// The skin's ITA band and estimated Fitzpatrick type.
    pub skin_tone: SkinTone,
    /// Estimated hairdresser level of the hair.
    pub hair_level: HairLevel,
    /// The recommendation, its alternatives and the practitioner's warnings.
    pub matched: Match,
    /// Reasons to distrust a sampled hair colour (empty when it was given).
    pub hair_sample_warnings: Vec<String>,
    /// Area-weighted density of the treat and blend regions, per cm².
    pub density_per_cm2: f64,
    /// Predicted colour of the whole treated area with the recommendation.
    pub predicted_area_lab: [f64; 3],
    /// Mean colour of the client's haired (blend) area, when the photo shows one.
    pub hair_area_lab: Option<[f64; 3]>,
}

impl PhotoMatch {
    /// ΔE00 between the predicted treated area and the haired area, when there is one.
    pub fn area_delta_e00(&self) -> Option<f64> {
        self.hair_area_lab.map(|h| delta_e00(self.predicted_area_lab, h))
    }

    /// The documented JSON of `smp color match D --view NAME --json` (README), with
    /// `written` saying whether the choice was stored in the design.
    pub fn to_json(&self, written: bool) -> serde_json::Value {
        let mut v = match_json(&self.matched, &self.skin_tone, &self.hair_level);
        if let Some(w) = v["warnings"].as_array_mut() {
            w.extend(self.hair_sample_warnings.iter().map(|s| serde_json::Value::from(s.as_str())));
        }
        v["skin_lab"] = serde_json::json!(self.skin_lab);
        v["hair_lab"] = serde_json::json!(self.hair_lab);
        v["view"] = serde_json::json!(self.view);
        v["through_card"] = serde_json::json!(self.corrected_by == Some(crate::card::colour::Reference::Card));
        v["through_chart"] = serde_json::json!(self.corrected_by == Some(crate::card::colour::Reference::Chart));
        v["area_effect"] = serde_json::json!({
            "design_density_per_cm2": self.density_per_cm2,
            "predicted_area_lab": self.predicted_area_lab,
            "hair_area_lab": self.hair_area_lab,
            "delta_e00": self.area_delta_e00(),
        });
        v["written"] = serde_json::json!(written);
        v
    }
}

/// The documented JSON of `smp color match --skin S --hair H --json` (README): the
/// recommendation, alternatives, warnings, skin tone and hair level.
pub fn match_json(m: &Match, skin_tone: &SkinTone, hair_level: &HairLevel) -> serde_json::Value {
    serde_json::json!({
        "pigment": m.pigment,
        "dilution": format!("1:{}", m.dilution),
        "predicted_lab": m.predicted_lab,
        "predicted_delta_e00": m.predicted_delta_e00,
        "alternatives": m.alternatives.iter().map(|c| serde_json::json!({
            "pigment": c.pigment,
            "dilution": format!("1:{}", c.dilution),
            "predicted_lab": c.predicted_lab,
            "predicted_delta_e00": c.predicted_delta_e00,
        })).collect::<Vec<_>>(),
        "warnings": m.warnings,
        "skin": {
            "ita_deg": skin_tone.ita_deg,
            "category": skin_tone.category.as_str(),
            "fitzpatrick": skin_tone.fitzpatrick,
        },
        "hair_level": hair_level.level,
    })
}

/// Match a pigment for `design` on `photo` seen through `view`: colours in `given`, and
/// else the design's measured `colours`, replace the sampled ones (and excuse their
/// absence).
pub fn match_on_photo(
    design: &Design,
    view: &View,
    photo: &RgbImage,
    given: GivenColours,
    library: &PigmentLibrary,
) -> Result<PhotoMatch, PhotoMatchError> {
    let given = GivenColours {
        skin_lab: given.skin_lab.or(design.colours().skin_lab),
        hair_lab: given.hair_lab.or(design.colours().hair_lab),
    };
    // Through the chart or card when the view has one: the light's cast and the
    // camera's curve taken out before sampling.
    let (correction, corrected) = crate::card::ColourCorrection::view_photo(view, photo);
    let sample = sample_design(design, view, &corrected)?;
    let skin_lab = given
        .skin_lab
        .or(sample.skin_lab)
        .ok_or_else(|| PhotoMatchError::NoSkin(view.name.clone()))?;
    let hair_lab = given
        .hair_lab
        .or(sample.hair_lab)
        .ok_or_else(|| PhotoMatchError::NoHair(view.name.clone()))?;
    let not_skin = |source| PhotoMatchError::NotSkin {
        skin_lab,
        measured: given.skin_lab.is_some(),
        source,
    };
    let skin_tone = skin::classify(skin_lab).map_err(not_skin)?;
    let matched = match_pigment(skin_lab, hair_lab, library).map_err(|e| match e {
        PigmentError::Skin(s) => not_skin(s),
        e => PhotoMatchError::Pigment(e),
    })?;
    let pigment = &library.get(&matched.pigment).expect("the match comes from the library").pigment;
    let predicted_area_lab = predict_area_lab(skin_lab, pigment, matched.dilution, sample.density_per_cm2, sample.needle_mm);
    Ok(PhotoMatch {
        view: view.name.clone(),
        skin_lab,
        skin_given: given.skin_lab.is_some(),
        hair_lab,
        hair_given: given.hair_lab.is_some(),
        skin_tone,
        hair_level: estimate_level(hair_lab),
        matched,
        // The warnings are about the sampled hair: a given one makes them moot.
        hair_sample_warnings: if given.hair_lab.is_some() {
            Vec::new()
        } else {
            sample.hair_warnings
        },
        density_per_cm2: sample.density_per_cm2,
        predicted_area_lab,
        hair_area_lab: sample.haired_area_lab,
        corrected_by: correction.map(|k| k.reference),
    })
}
