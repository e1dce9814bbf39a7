//! The figures a report states, computed from its input by the library stages: plan,
//! quote, colour match, skin type, removal estimate and hairline measurements.

use smp_color::delta_e::delta_e00;
use smp_color::pigments::{Match, predict_healed_lab};
use smp_color::skin::SkinTone;
use smp_design::View;
use smp_dots::Impressions;
use smp_photo::matching::{GivenColours, PhotoMatchError, match_on_photo};
use smp_plan::{KirbyDesai, Plan, Quote, RemovalEstimate};

use crate::constants::{SMP_AMOUNT, SMP_COLORS, SMP_LAYERING, SMP_LOCATION, SMP_SCARRING};
use crate::error::ReportError;
use crate::figures::hairline::{HairlineDims, hairline_dims};
use crate::input::ReportInput;

/// Where the client's Fitzpatrick type came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkinTypeSource {
    /// Entered by the clinic.
    Clinic,
    /// Estimated from the skin colour (ITA°).
    Colour,
}

/// Everything the report states as a figure.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The treatment plan.
    pub plan: Plan,
    /// The quote for it.
    pub quote: Quote,
    /// Skin colour used for matching (CIELAB).
    pub skin_lab: [f64; 3],
    /// Hair colour matched (CIELAB).
    pub hair_lab: [f64; 3],
    /// Whether each colour was measured by the clinic (`true`) or sampled from the photo.
    pub given: (bool, bool),
    /// What colours sampled from the photo were corrected through: the calibration card
    /// or the colour chart in it (`None`: estimates under the photo's own light).
    pub corrected_by: Option<smp_photo::card::colour::Reference>,
    /// Reasons to distrust a hair colour sampled from the photo (scale, no mask); empty
    /// when the clinic gave the hair colour.
    pub hair_sample_warnings: Vec<String>,
    /// The skin's tone.
    pub skin_tone: SkinTone,
    /// The recommended pigment and dilution.
    pub pigment: Match,
    /// The pigments the design's regions already carry (`smp color match --write`, or
    /// chosen in the editor), each predicted in this skin against this hair.
    pub chosen: Vec<ChosenPigment>,
    /// Fitzpatrick type used for removal, 1–6.
    pub fitzpatrick: u8,
    /// Where it came from.
    pub skin_type_source: SkinTypeSource,
    /// The Kirby-Desai parameters scored.
    pub kirby_desai: KirbyDesai,
    /// The removal estimate.
    pub removal: RemovalEstimate,
    /// Hairline height and width, when the design has a hairline.
    pub hairline: Option<HairlineDims>,
}

/// A region's chosen pigment and dilution, predicted in the client's skin.
#[derive(Debug, Clone, PartialEq)]
pub struct ChosenPigment {
    /// Region name.
    pub region: String,
    /// Pigment name (in the library: checked before the facts are computed).
    pub pigment: String,
    /// Parts of water per part of pigment.
    pub dilution: u32,
    /// Predicted healed colour in the client's skin.
    pub predicted_lab: [f64; 3],
    /// ΔE00 from the hair.
    pub delta_e00: f64,
}

/// The view named by the input, or a bad-input error listing the design's views.
pub fn view<'d>(input: &ReportInput<'d>) -> Result<&'d View, ReportError> {
    input.design.view(input.photo.view).ok_or_else(|| {
        let names: Vec<&str> = input.design.views().iter().map(|v| v.name.as_str()).collect();
        ReportError::BadInput(format!(
            "the design has no view {:?} (it has: {}); calibrate the photo with `smp calibrate`",
            input.photo.view,
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        ))
    })
}

/// Compute the report's figures from its input and the design's impressions.
pub fn facts(input: &ReportInput<'_>, imp: &Impressions) -> Result<Facts, ReportError> {
    let plan = Plan::new(input.design, imp, input.plan)?;
    let quote = input.prices.quote(&plan);
    let view = view(input)?;
    let given = GivenColours {
        skin_lab: input.skin_lab,
        hair_lab: input.hair_lab,
    };
    let pm = match_on_photo(input.design, view, input.photo.image, given, input.pigments).map_err(|e| match e {
        PhotoMatchError::Pigment(e) => ReportError::BadInput(format!("pigment library: {e}")),
        PhotoMatchError::Sample(e) => ReportError::BadInput(format!("cannot sample skin and hair: {e}")),
        e => ReportError::BadInput(format!("{e} (--skin / --hair L,a,b)")),
    })?;
    let (skin_lab, hair_lab, skin_tone) = (pm.skin_lab, pm.hair_lab, pm.skin_tone);
    let (skin_given, hair_given) = (pm.skin_given, pm.hair_given);
    let (pigment, hair_sample_warnings, corrected_by) = (pm.matched, pm.hair_sample_warnings, pm.corrected_by);
    let chosen = input
        .design
        .regions()
        .iter()
        .filter_map(|r| {
            let p = r.pigment.as_ref()?;
            let lib = input.pigments.get(&p.name)?;
            let predicted_lab = predict_healed_lab(skin_lab, &lib.pigment, p.dilution);
            Some(ChosenPigment {
                region: r.name.clone(),
                pigment: p.name.clone(),
                dilution: p.dilution,
                predicted_lab,
                delta_e00: delta_e00(predicted_lab, hair_lab),
            })
        })
        .collect();
    let (fitzpatrick, skin_type_source) = match input.fitzpatrick {
        Some(f) => (f, SkinTypeSource::Clinic),
        None => (skin_tone.fitzpatrick, SkinTypeSource::Colour),
    };
    let kirby_desai = KirbyDesai {
        fitzpatrick,
        location: SMP_LOCATION,
        colors: SMP_COLORS,
        amount: SMP_AMOUNT,
        // Scar camouflage treats scar tissue, which the scale counts; SMP itself scars none.
        scarring: input.scarring.unwrap_or_else(|| {
            if input.design.regions().iter().any(|r| r.kind == smp_design::RegionKind::Scar) {
                smp_plan::removal::Scarring::Minimal
            } else {
                SMP_SCARRING
            }
        }),
        layering: SMP_LAYERING,
    };
    let removal = kirby_desai.estimate()?;
    Ok(Facts {
        plan,
        quote,
        skin_lab,
        hair_lab,
        given: (skin_given, hair_given),
        corrected_by,
        hair_sample_warnings,
        skin_tone,
        pigment,
        chosen,
        fitzpatrick,
        skin_type_source,
        kirby_desai,
        removal,
        hairline: hairline_dims(input.design),
    })
}
