//! The printed card found back: `card_pdf` rasterised by poppler's pdftoppm (as a
//! printer or a screen would draw it) at 150, 300 and 600 dpi, then detected.

use std::process::Command;

use smp_photo::card::layout::PATCHES;
use smp_photo::card::{ColourCorrection, find_card};
use smp_report::card::{Paper, card_pdf};

/// pdftoppm, which CI installs (poppler-utils); outside CI its absence skips the test.
fn pdftoppm() -> Option<&'static str> {
    let found = Command::new("pdftoppm").arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftoppm is missing: apt-get install -y poppler-utils"
        );
        eprintln!("skipped: pdftoppm not installed (apt-get install -y poppler-utils)");
        return None;
    }
    Some("pdftoppm")
}

#[test]
fn the_printed_card_is_found_at_150_300_and_600_dpi() {
    let Some(tool) = pdftoppm() else { return };
    let dir = std::env::temp_dir().join(format!("smp-card-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for paper in [Paper::A4, Paper::A6] {
        let pdf = dir.join(format!("card-{}.pdf", paper.as_str()));
        std::fs::write(&pdf, card_pdf(paper)).unwrap();
        for dpi in [150u32, 300, 600] {
            let stem = dir.join(format!("card-{}-{dpi}", paper.as_str()));
            let out = Command::new(tool)
                .args(["-r", &dpi.to_string(), "-png", "-singlefile"])
                .arg(&pdf)
                .arg(&stem)
                .output()
                .unwrap();
            assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
            let page = image::open(stem.with_extension("png")).unwrap().to_rgb8();
            let card = find_card(&page).unwrap_or_else(|e| panic!("{paper:?} at {dpi} dpi: {e}"));
            let want = f64::from(dpi) / 25.4;
            assert!(
                (card.px_per_mm / want - 1.0).abs() < 0.01,
                "{paper:?} at {dpi} dpi: {:.3} px/mm, want {want:.3}",
                card.px_per_mm
            );
            // The card's top-left corner lies where the sheet puts it (centred, 12 mm down).
            let (w_mm, _) = paper.size_mm();
            let want_corner = ((w_mm - 85.0) / 2.0 * want, 12.0 * want);
            let got = card.corners_px[0];
            assert!(
                (got.0 - want_corner.0).hypot(got.1 - want_corner.1) < 0.5 * want,
                "{paper:?} at {dpi} dpi: corner at {got:?}, want {want_corner:?}"
            );
            // Rendered without a camera, the patches are the printed greys (white unclipped
            // only if below 254: the paper is pure white here, so it is left out).
            let usable = card.patches_linear.iter().flatten().count();
            assert!(usable >= 4, "{usable} usable patches");
            for (m, p) in card.patches_linear.iter().zip(&PATCHES) {
                if let Some(m) = m {
                    let want = smp_color::srgb::to_linear(p.grey);
                    assert!((m[1] - want).abs() < 0.02, "patch {} read {m:?}", p.grey);
                }
            }
            assert!(ColourCorrection::fit(&card.patches_linear).is_some());
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

mod sweep {
    //! The card in synthetic photos: heads and close-ups from 3 to 30 px/mm, turned,
    //! tilted up to 30°, under colour casts and ±1 stop, saved as JPEG at quality 70.

    use image::RgbImage;
    use smp_color::delta_e::delta_e00;
    use smp_color::srgb::{linear_to_lab, rgb8_to_linear};
    use smp_design::Pattern;
    use smp_photo::card::{ColourCorrection, find_card};
    use smp_photo::stubble::{StubbleOptions, detect_stubble};
    use smp_report::card::card_print;
    use smp_synth::card::CardShot;
    use smp_synth::{HairLook, Shot, SynthParams, SynthView, photo_px_per_mm, synth_closeup_shot, synth_shot};

    /// A number in 0..1 fixed by the case and a purpose (no hand-picked seeds).
    fn unit(i: usize, k: u64) -> f64 {
        let mut z = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ k.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as f64 / u64::MAX as f64
    }

    fn jpeg70(img: &RgbImage) -> RgbImage {
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 70)
            .encode_image(img)
            .unwrap();
        image::load_from_memory(&bytes).unwrap().to_rgb8()
    }

    /// What one photo gave.
    pub struct Outcome {
        pub found: bool,
        pub scale_error: f64,
        pub neutral_de: f64,
        /// Skin through the card and by plain sampling, ΔE00 from the truth.
        pub skin_de: Option<(f64, f64)>,
        /// Hair (stubble tips) through the card and by plain sampling.
        pub hair_de: Option<(f64, f64)>,
    }

    /// Case `i`: even cases are heads (3–10 px/mm), odd ones close-ups (10–30 px/mm).
    pub fn run_case(i: usize) -> Outcome {
        let params = SynthParams {
            pattern: [Pattern::Norwood(3), Pattern::Norwood(5), Pattern::Ludwig(2), Pattern::Norwood(1)][i % 4],
            view: [SynthView::Top, SynthView::Front, SynthView::Left, SynthView::Back][(i / 2) % 4],
            skin_type: 1 + (i % 6) as u8,
            hair_level: 1 + ((3 * i) % 6) as u8,
            scar: None,
            seed: 5000 + i as u64,
            width_px: 750 + (unit(i, 1) * 1750.0) as u32,
        };
        let neutral = std::env::var_os("SMP_CARD_NEUTRAL").is_some();
        let cast = if neutral {
            [1.0; 3]
        } else {
            [0.75 + 0.55 * unit(i, 2), 1.0, 0.75 + 0.55 * unit(i, 3)]
        };
        let exposure_ev = if neutral { 0.0 } else { -1.0 + 2.0 * unit(i, 4) };
        let (tilt, rotation, axis) = (30.0 * unit(i, 5), 360.0 * unit(i, 6), 180.0 * unit(i, 7));
        let closeup = i % 2 == 1;
        let ppm = if closeup {
            10.0 + 20.0 * unit(i, 8)
        } else {
            photo_px_per_mm(&params)
        };
        let print = card_print(2.0 * ppm).unwrap();
        let (photo, corners, truth_skin, truth_hair, region) = if closeup {
            let size = ((100.0 * ppm) as u32, (100.0 * ppm) as u32);
            let shot = Shot {
                card: Some(CardShot {
                    print: &print,
                    print_px_per_mm: 2.0 * ppm,
                    centre_px: (50.0 * ppm, 68.0 * ppm),
                    px_per_mm: ppm,
                    rotation_deg: rotation.min(10.0),
                    tilt_deg: tilt,
                    tilt_axis_deg: axis,
                }),
                chart: None,
                cast,
                exposure_ev,
            };
            // Skin is read on bare scalp (every other close-up), hair on haired scalp:
            // between the tips of haired scalp the skin shows the hair's shadow.
            let stubble = i % 4 == 3;
            let c = synth_closeup_shot(&params, ppm, size, &shot, stubble).unwrap();
            // Both are read above the card.
            let region = [0, 0, size.0, (22.0 * ppm) as u32];
            (
                c.image,
                c.card_corners_px.unwrap(),
                (!stubble).then_some(c.skin_rgb),
                stubble.then_some(c.hair_rgb),
                Some(region),
            )
        } else {
            let shot = Shot {
                card: Some(CardShot {
                    rotation_deg: rotation,
                    tilt_deg: tilt,
                    tilt_axis_deg: axis,
                    ..CardShot::beside_head(&print, params.width_px, ppm)
                }),
                chart: None,
                cast,
                exposure_ev,
            };
            let h = synth_shot(&params, &HairLook::default(), &shot, "head.jpg").unwrap();
            (h.image, h.card_corners_px.unwrap(), None, None, None)
        };
        let _ = corners;
        let photo = jpeg70(&photo);
        let Ok(card) = find_card(&photo) else {
            return Outcome {
                found: false,
                scale_error: f64::NAN,
                neutral_de: f64::NAN,
                skin_de: None,
                hair_de: None,
            };
        };
        let k = ColourCorrection::fit(&card.patches_linear).unwrap();
        // How far each corrected patch lies from the grey of its own lightness.
        let neutral_de = card
            .patches_linear
            .iter()
            .flatten()
            .map(|&m| {
                let lab = linear_to_lab(k.apply_linear(m));
                delta_e00(lab, [lab[0], 0.0, 0.0])
            })
            .fold(0.0, f64::max);
        let (skin_de, hair_de) = match region {
            Some(region) => {
                let corrected = RgbImage::from_fn(photo.width(), photo.height(), |x, y| {
                    image::Rgb(k.apply_rgb8(photo.get_pixel(x, y).0))
                });
                let opts = StubbleOptions {
                    region: Some(region),
                    ..StubbleOptions::new(ppm)
                };
                let (a, b) = (detect_stubble(&corrected, &opts).ok(), detect_stubble(&photo, &opts).ok());
                let truth = |rgb: [u8; 3]| linear_to_lab(rgb8_to_linear(rgb));
                let skin = match (&a, &b, truth_skin) {
                    (Some(a), Some(b), Some(t)) => Some((delta_e00(a.skin_lab, truth(t)), delta_e00(b.skin_lab, truth(t)))),
                    _ => None,
                };
                let hair = match (a.and_then(|a| a.tip_lab), b.and_then(|b| b.tip_lab), truth_hair) {
                    (Some(a), Some(b), Some(t)) => {
                        if std::env::var_os("SMP_CARD_HAIR_ONLY").is_some() {
                            let f = |l: [f64; 3]| format!("{:5.1} {:5.1} {:5.1}", l[0], l[1], l[2]);
                            println!(
                                "  skin {} hair {} ppm {ppm:5.1}: truth {} found {} ΔE00 {:.2}",
                                params.skin_type,
                                params.hair_level,
                                f(truth(t)),
                                f(a),
                                delta_e00(a, truth(t))
                            );
                        }
                        Some((delta_e00(a, truth(t)), delta_e00(b, truth(t))))
                    }
                    _ => None,
                };
                (skin, hair)
            }
            None => (None, None),
        };
        Outcome {
            found: true,
            scale_error: card.px_per_mm / ppm - 1.0,
            neutral_de,
            skin_de,
            hair_de,
        }
    }
}

/// Few cases for the quick suite: the whole chain (print, scene, camera, JPEG,
/// detection, correction) on one head and one close-up.
#[test]
fn the_card_is_found_in_a_synthetic_head_and_a_closeup() {
    for i in [0usize, 1] {
        let o = sweep::run_case(i);
        assert!(o.found, "case {i}: not found");
        assert!(o.scale_error.abs() < 0.02, "case {i}: scale off by {:.1} %", 100.0 * o.scale_error);
        assert!(o.neutral_de < 2.0, "case {i}: corrected neutrals ΔE00 {:.2}", o.neutral_de);
    }
}

/// The issue's detection bar on 200 synthetic photos; prints the figures. Slow in a
/// debug build: `scripts/card-sweep.sh` runs it optimised.
#[test]
#[ignore = "200 synthetic photos, some 9 MP: run by scripts/card-sweep.sh"]
fn card_sweep_on_200_synthetic_photos() {
    use rayon::prelude::*;
    let n = std::env::var("SMP_CARD_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    // SMP_CARD_HAIR_ONLY=1: only the close-ups of stubble, each printed (for work on the tips).
    let hair_only = std::env::var_os("SMP_CARD_HAIR_ONLY").is_some();
    let outcomes: Vec<(usize, sweep::Outcome)> = (0..n)
        .into_par_iter()
        .filter(|i| !hair_only || i % 4 == 3)
        .map(|i| (i, sweep::run_case(i)))
        .collect();
    if hair_only {
        for (i, o) in &outcomes {
            println!("case {i}: hair ΔE00 through the card {:?}", o.hair_de);
        }
    }
    let found = outcomes.iter().filter(|(_, o)| o.found).count();
    let mut scale: Vec<f64> = outcomes.iter().filter(|(_, o)| o.found).map(|(_, o)| o.scale_error.abs()).collect();
    scale.sort_by(f64::total_cmp);
    let within = scale.iter().filter(|e| **e <= 0.02).count();
    let neutral_ok = outcomes.iter().filter(|(_, o)| o.found && o.neutral_de <= 2.0).count();
    for (i, o) in &outcomes {
        if !o.found || o.scale_error.abs() > 0.02 || o.neutral_de > 2.0 {
            println!(
                "case {i}: found {} scale error {:.2} % neutral ΔE00 {:.2}",
                o.found,
                100.0 * o.scale_error,
                o.neutral_de
            );
        }
    }
    let pairs =
        |f: &dyn Fn(&sweep::Outcome) -> Option<(f64, f64)>| -> (Vec<f64>, Vec<f64>) { outcomes.iter().filter_map(|(_, o)| f(o)).unzip() };
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let (mut skin_card, mut skin_plain) = pairs(&|o| o.skin_de);
    let (mut hair_card, mut hair_plain) = pairs(&|o| o.hair_de);
    let skin_ok = skin_card.iter().filter(|d| **d <= 3.0).count();
    let hair_ok = hair_card.iter().filter(|d| **d <= 3.0).count();
    println!(
        "found {found} of {n}; px/mm within 2 %: {within} of {found} (median error {:.2} %, worst {:.2} %)",
        100.0 * scale[scale.len() / 2],
        100.0 * scale.last().unwrap()
    );
    println!("corrected neutrals within ΔE00 2: {neutral_ok} of {found}");
    println!(
        "skin (close-ups): through the card median ΔE00 {:.2}, within 3 in {skin_ok} of {}; plain sampling median {:.2}",
        median(&mut skin_card),
        skin_card.len(),
        median(&mut skin_plain)
    );
    println!(
        "hair tips (close-ups): through the card median ΔE00 {:.2}, within 3 in {hair_ok} of {}; plain sampling median {:.2}",
        median(&mut hair_card),
        hair_card.len(),
        median(&mut hair_plain)
    );
    assert!(found * 100 >= 99 * n, "found in {found} of {n}");
    assert!(within == found, "px/mm off by more than 2 % in {} photos", found - within);
    assert!(neutral_ok == found, "neutrals beyond ΔE00 2 in {} photos", found - neutral_ok);
    assert!(
        skin_ok == skin_card.len() && hair_ok == hair_card.len(),
        "skin or hair beyond ΔE00 3 through the card"
    );
}
