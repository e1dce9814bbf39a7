//! A newly uploaded photo has no head outline: the fit takes one from the client's
//! silhouette. On synthetic heads (whose true outline is known) in every standard view,
//! it lands on the cranium.

use smp_design::{Design, Pattern};
use smp_photo::analyze::head::head_from_labels;
use smp_photo::analyze::{Seeds, analyze, view_labels};
use smp_synth::{SynthParams, SynthView, synth};

fn params(view: SynthView, pattern: Pattern, skin_type: u8, seed: u64) -> SynthParams {
    SynthParams {
        pattern,
        view,
        skin_type,
        hair_level: 3,
        scar: None,
        seed,
        width_px: 800,
    }
}

/// The design with the view's head outline taken away, as after a new upload.
fn headless(design: &Design) -> Design {
    let mut draft = design.to_draft();
    draft.views[0].head = None;
    Design::from_draft(draft).unwrap()
}

#[test]
fn the_outline_of_a_new_photo_is_found_on_the_cranium_in_every_view() {
    let cases = [
        (SynthView::Top, Pattern::Norwood(5), 2),
        (SynthView::Front, Pattern::Norwood(3), 4),
        (SynthView::Left, Pattern::Norwood(6), 3),
        (SynthView::Back, Pattern::FutScar, 5),
    ];
    for (k, (view, pattern, skin)) in cases.into_iter().enumerate() {
        let head = synth(&params(view, pattern, skin, 40 + k as u64), "head.png").unwrap();
        let truth = head.design.views()[0].head.unwrap();
        let design = headless(&head.design);
        let v = &design.views()[0];
        let a = analyze(&head.image, v, &design, &Seeds::default()).unwrap();
        let found = head_from_labels(&a.labels, head.px_per_mm).unwrap_or_else(|| panic!("{view:?}: no outline found"));
        let r = truth.radii_px[0].max(truth.radii_px[1]);
        let off = (found.center_px[0] - truth.center_px[0]).hypot(found.center_px[1] - truth.center_px[1]);
        println!(
            "{view:?}: truth {truth:?}, found {found:?}, centre off by {:.1} % of the radius",
            100.0 * off / r
        );
        assert!(
            off < 0.12 * r,
            "{view:?}: centre off by {off:.0} px (truth {truth:?}, found {found:?})"
        );
        for i in 0..2 {
            let ratio = found.radii_px[i] / truth.radii_px[i];
            assert!(
                (0.85..=1.15).contains(&ratio),
                "{view:?}: radius {i} off by {ratio:.2} (truth {truth:?}, found {found:?})"
            );
        }
    }
}

#[test]
fn a_fit_on_a_photo_without_an_outline_stores_the_one_it_found() {
    let head = synth(&params(SynthView::Top, Pattern::Norwood(5), 2, 7), "head.png").unwrap();
    let design = headless(&head.design);
    let got = view_labels(&design, "top", &head.image, &Seeds::default()).unwrap();
    let stored = got.design.views()[0].head.expect("the view now has a head outline");
    let truth = head.design.views()[0].head.unwrap();
    assert!(
        (stored.radii_px[0] / truth.radii_px[0] - 1.0).abs() < 0.15,
        "{stored:?} against {truth:?}"
    );
    // A view that has an outline keeps it.
    let kept = view_labels(&head.design, "top", &head.image, &Seeds::default()).unwrap();
    assert_eq!(kept.design.views()[0].head, Some(truth));
}
