//! Calibration of the healed optics against the synthetic heads' own stubble: what SMP
//! imitates is a freshly shaved head, so a healed treatment at a natural density, in the
//! pigment and dilution the match picks for the client's stubble tips, must shade bare
//! scalp as the client's shaved stubble does (domain.md: each dot recreates a follicle;
//! the constants it calibrates are `HEALED_SKIRT_*` in smp-color's constants.rs).

use smp_color::delta_e::delta_e00;
use smp_color::pigments::{PigmentLibrary, match_pigment};
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};

mod common;

use common::{mean_lab, square_design};
use smp_design::Pattern;
use smp_dots::{Selection, impressions};
use smp_render::preview::preview;
use smp_render::state::PreviewState;
use smp_synth::{SynthParams, SynthView, synth_bare_closeup, synth_closeup};

const PX_PER_MM: f64 = 10.0;
const SIZE_PX: u32 = 300;
/// Edge left out of the means, px: dots there are cut by the image edge.
const MARGIN_PX: u32 = 20;

/// Dots per cm² of the treatment: a natural 60–100 follicular units per cm² (domain.md).
const DENSITY_PER_CM2: f64 = 80.0;
/// The largest colour difference allowed between the treated and the haired area:
/// ΔE00 ≈ 2–3 is the usual limit of an acceptable match (as `BORDERLINE_DELTA_E00`).
const MAX_AREA_DELTA_E00: f64 = 3.0;

/// One synthetic client: bare scalp, the same scalp with its stubble, and the healed
/// treatment of the bare scalp in the matched pigment; mean CIELAB of each.
struct Case {
    bare: [f64; 3],
    stubble: [f64; 3],
    treated: [f64; 3],
    pigment: String,
    dilution: u32,
}

fn case(skin_type: u8, hair_level: u8) -> Case {
    let lib = PigmentLibrary::builtin();
    let params = SynthParams {
        pattern: Pattern::Norwood(1),
        view: SynthView::Top,
        skin_type,
        hair_level,
        scar: None,
        seed: 5,
        width_px: 400,
    };
    let haired = synth_closeup(&params, PX_PER_MM, (SIZE_PX, SIZE_PX)).unwrap();
    let bare = synth_bare_closeup(&params, PX_PER_MM, (SIZE_PX, SIZE_PX)).unwrap();
    let tip_lab = linear_to_lab(rgb8_to_linear(haired.hair_rgb));
    let skin_lab = linear_to_lab(rgb8_to_linear(bare.skin_rgb));
    let m = match_pigment(skin_lab, tip_lab, &lib).unwrap();
    let c = f64::from(SIZE_PX) / 2.0;
    let d = square_design(
        f64::from(SIZE_PX) / PX_PER_MM,
        PX_PER_MM,
        (c, c),
        DENSITY_PER_CM2,
        Some((&m.pigment, m.dilution)),
    );
    let imp = impressions::generate(&d);
    let out = preview(&bare.image, &d, &d.views()[0], &imp, PreviewState::Healed, Selection::All, &lib).unwrap();
    let inner = (MARGIN_PX, SIZE_PX - MARGIN_PX);
    Case {
        bare: mean_lab(&bare.image, inner, inner),
        stubble: mean_lab(&haired.image, inner, inner),
        treated: mean_lab(&out, inner, inner),
        pigment: m.pigment,
        dilution: m.dilution,
    }
}

#[test]
fn a_healed_treatment_shades_bare_scalp_as_the_clients_stubble_does() {
    for skin in 1..=6u8 {
        // Dark hair, SMP's usual client; lighter hair barely shades the scalp at all.
        for hair in [1u8, 3] {
            let c = case(skin, hair);
            let e = delta_e00(c.treated, c.stubble);
            let what = format!(
                "skin {skin}, hair {hair}: {} 1:{} treated L* {:.1} a* {:.1} b* {:.1}, stubble L* {:.1} a* {:.1} b* {:.1}, bare L* {:.1}",
                c.pigment, c.dilution, c.treated[0], c.treated[1], c.treated[2], c.stubble[0], c.stubble[1], c.stubble[2], c.bare[0]
            );
            eprintln!("ΔE00 {e:.2}: {what}");
            assert!(e <= MAX_AREA_DELTA_E00, "ΔE00 {e:.2} > {MAX_AREA_DELTA_E00}: {what}");
            // Not by leaving the scalp bare: the treatment does most of the stubble's darkening.
            assert!(
                c.bare[0] - c.treated[0] >= 0.5 * (c.bare[0] - c.stubble[0]),
                "the treatment darkens too little: {what}"
            );
            assert!(c.treated[0] < c.bare[0], "{what}");
        }
    }
}
