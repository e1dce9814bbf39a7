//! The shared photo match on a synthetic head: given colours replace the sample.
use smp_color::pigments::{PigmentLibrary, match_pigment};
use smp_design::Pattern;
use smp_photo::matching::{GivenColours, match_on_photo};
use smp_synth::{SynthParams, SynthView, synth};

fn head() -> smp_synth::SynthHead {
    let params = SynthParams {
        pattern: Pattern::Norwood(5),
        view: SynthView::Top,
        skin_type: 2,
        hair_level: 2,
        scar: None,
        seed: 7,
        width_px: 300,
    };
    synth(&params, "head.png").unwrap()
}

#[test]
fn given_colours_replace_the_sample_and_silence_its_warnings() {
    let h = head();
    let view = &h.design.views()[0];
    let lib = PigmentLibrary::builtin();
    let sampled = match_on_photo(&h.design, view, &h.image, GivenColours::default(), &lib).unwrap();
    assert!(!sampled.skin_given && !sampled.hair_given);
    assert!(!sampled.hair_sample_warnings.is_empty(), "a 300 px head cannot resolve tips");
    let given = GivenColours {
        skin_lab: Some([66.0, 10.0, 15.0]),
        hair_lab: Some([30.0, 3.0, 2.0]),
    };
    let m = match_on_photo(&h.design, view, &h.image, given, &lib).unwrap();
    assert_eq!((m.skin_lab, m.hair_lab), (given.skin_lab.unwrap(), given.hair_lab.unwrap()));
    assert!(m.hair_sample_warnings.is_empty());
    // The same answer as matching those colours directly.
    let direct = match_pigment(m.skin_lab, m.hair_lab, &lib).unwrap();
    assert_eq!(
        (m.matched.pigment.as_str(), m.matched.dilution),
        (direct.pigment.as_str(), direct.dilution)
    );
    let j = m.to_json(false);
    assert_eq!(j["dilution"], format!("1:{}", direct.dilution));
    assert_eq!(j["written"], false);
    assert!(j["area_effect"]["design_density_per_cm2"].as_f64().unwrap() > 0.0);
}

#[test]
fn skin_that_is_not_skin_is_a_clear_error() {
    let h = head();
    let given = GivenColours {
        skin_lab: Some([60.0, 5.0, -3.0]),
        hair_lab: None,
    };
    let e = match_on_photo(&h.design, &h.design.views()[0], &h.image, given, &PigmentLibrary::builtin()).unwrap_err();
    // The message names the colour that is not skin, and where it came from.
    assert!(e.to_string().contains("L* 60.0, a* 5.0, b* -3.0 (measured)"), "{e}");
}
