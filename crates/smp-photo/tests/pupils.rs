//! Pupil refinement on synthetic front photos whose true pupil centres are known:
//! clicks up to 10 px off land within 2 px of the truth, on every skin type and with
//! every iris colour the seeds draw.

use smp_design::Pattern;
use smp_photo::pupils::{pupil_distance_px, refine_pupils};
use smp_synth::{SynthParams, SynthView, synth};

#[test]
fn clicks_up_to_ten_pixels_off_land_within_two_pixels_of_the_pupils() {
    let mut worst: f64 = 0.0;
    for skin in 1..=6u8 {
        // Seeds follow from the skin type (not picked by their result); they draw the
        // iris colour (blue to dark brown) and the pupil size.
        {
            let seed = 500 + 7 * u64::from(skin);
            let h = synth(
                &SynthParams {
                    pattern: Pattern::Norwood(3),
                    view: SynthView::Front,
                    skin_type: skin,
                    hair_level: 1 + (skin % 4),
                    scar: None,
                    seed,
                    width_px: 900,
                },
                "front.jpg",
            )
            .unwrap();
            let truth = h.pupils_px.expect("a front view has pupils");
            // Eight directions at 10 px, and a nearer click, different for each eye.
            for (i, a) in (0..9).map(|i| (i, f64::from(i) * std::f64::consts::TAU / 8.0 + 0.3)) {
                let r = if i == 8 { 4.0 } else { 10.0 };
                let clicks = [
                    (truth[0][0] + r * a.cos(), truth[0][1] + r * a.sin()),
                    (truth[1][0] - r * a.sin(), truth[1][1] + r * a.cos()),
                ];
                let p = refine_pupils(&h.image, clicks).unwrap();
                for e in 0..2 {
                    let err = (p[e].centre_px.0 - truth[e][0]).hypot(p[e].centre_px.1 - truth[e][1]);
                    worst = worst.max(err);
                    assert!(
                        err <= 2.0,
                        "skin {skin} seed {seed} eye {e} click {:?}: found {:?}, truth {:?} ({err:.2} px)",
                        clicks[e],
                        p[e].centre_px,
                        truth[e]
                    );
                }
                // The refined pupils give the true IPD within the 2 px tolerance's share.
                let ipd_px = h.ipd_mm * h.px_per_mm;
                assert!((pupil_distance_px(&p) / ipd_px - 1.0).abs() < 4.0 / ipd_px);
            }
        }
    }
    println!("worst pupil error {worst:.2} px");
}

#[test]
fn a_click_far_from_any_eye_is_refused_in_plain_words() {
    let h = synth(
        &SynthParams {
            pattern: Pattern::Norwood(3),
            view: SynthView::Front,
            skin_type: 2,
            hair_level: 2,
            scar: None,
            seed: 9,
            width_px: 600,
        },
        "front.jpg",
    )
    .unwrap();
    let t = h.pupils_px.unwrap();
    // On the forehead, 30 mm above each pupil: smooth skin, no dark disc.
    let up = 30.0 * h.px_per_mm;
    let e = refine_pupils(&h.image, [(t[0][0], t[0][1] - up), (t[1][0], t[1][1] - up)]).unwrap_err();
    assert!(e.contains("no dark pupil"), "{e}");
    let e = refine_pupils(&h.image, [(t[0][0], t[0][1]), (t[0][0] + 1.0, t[0][1])]).unwrap_err();
    assert!(e.contains("same"), "{e}");
}
