//! Stubble detection on synthetic close-ups whose true density is known (issue 5's
//! "within ±10 %"), bare skin, and stubble too light to trust.

use smp_design::Pattern;
use smp_photo::stubble::{StubbleOptions, detect_stubble};
use smp_synth::{SynthParams, SynthView, synth_bare_closeup, synth_closeup};

/// Close-ups at 30 px/mm: a 0.08–0.11 mm tip spans 2.4–3.3 px.
const PPM: f64 = 30.0;
const SIZE: (u32, u32) = (600, 600);

fn params(skin: u8, hair: u8, seed: u64) -> SynthParams {
    SynthParams {
        pattern: Pattern::Norwood(1),
        view: SynthView::Top,
        skin_type: skin,
        hair_level: hair,
        scar: None,
        seed,
        width_px: 1200,
    }
}

#[test]
fn density_within_ten_percent_for_dark_hair_on_skin_types_1_to_4() {
    let mut worst: f64 = 0.0;
    for skin in 1..=4u8 {
        for hair in 1..=4u8 {
            // Two seeds per case, different in every case: 32 lattices in all.
            for k in 0..2u64 {
                let seed = 100 + 10 * u64::from(skin) + u64::from(hair) + 1000 * k;
                let c = synth_closeup(&params(skin, hair, seed), PPM, SIZE).unwrap();
                let r = detect_stubble(&c.image, &StubbleOptions::new(PPM)).unwrap();
                let err = r.density_per_cm2 / c.density_per_cm2 - 1.0;
                println!(
                    "skin {skin} hair {hair} seed {seed}: true {:.1}/cm² ({} tips) found {:.1}/cm² ({:+.1} %), d {:.3} vs {:.3} mm",
                    c.density_per_cm2,
                    c.tips,
                    r.density_per_cm2,
                    100.0 * err,
                    r.mean_diameter_mm,
                    c.mean_diameter_mm
                );
                assert!(
                    err.abs() <= 0.10,
                    "skin {skin} hair {hair} seed {seed}: found {:.1}/cm², true {:.1}/cm²",
                    r.density_per_cm2,
                    c.density_per_cm2
                );
                // Size: the tips' diameter as the camera shows it within 25 % (the shafts
                // behind them widen blobs). The lens blur (Gaussian σ) widens a blob of
                // diameter d to √(d² + (2√2·σ)²), as the detector reads d = 2√2·σ_blob.
                let blur_mm = 2.0 * std::f64::consts::SQRT_2 * c.psf_px / PPM;
                let seen_mm = c.mean_diameter_mm.hypot(blur_mm);
                let derr = r.mean_diameter_mm / seen_mm - 1.0;
                assert!(
                    derr.abs() < 0.25,
                    "diameter {:.3} vs {:.3} mm ({:.3} mm through the lens)",
                    r.mean_diameter_mm,
                    c.mean_diameter_mm,
                    seen_mm
                );
                // Colour: tips darker than skin, skin close to the skin the head was drawn with.
                let tip = r.tip_lab.expect("tips were found");
                assert!(tip[0] < r.skin_lab[0] - 10.0, "tip {tip:?} skin {:?}", r.skin_lab);
                worst = worst.max(err.abs());
            }
        }
    }
    println!("worst density error {:.1} %", 100.0 * worst);
}

#[test]
fn a_region_counts_only_inside_it_and_matches_the_whole() {
    let c = synth_closeup(&params(2, 2, 9), PPM, SIZE).unwrap();
    let whole = detect_stubble(&c.image, &StubbleOptions::new(PPM)).unwrap();
    let mut o = StubbleOptions::new(PPM);
    o.region = Some([0, 0, 300, 600]);
    let left = detect_stubble(&c.image, &o).unwrap();
    o.region = Some([300, 0, 300, 600]);
    let right = detect_stubble(&c.image, &o).unwrap();
    assert!((left.area_cm2 - whole.area_cm2 / 2.0).abs() < 1e-9);
    assert!(left.tips.iter().all(|t| t.x < 300.0) && right.tips.iter().all(|t| t.x >= 300.0));
    // The halves see the same blobs as the whole, so they add up to within a tip or two.
    assert!(
        (left.count + right.count).abs_diff(whole.count) <= 2,
        "{} + {} vs {}",
        left.count,
        right.count,
        whole.count
    );
    o.region = Some([500, 0, 200, 10]);
    assert!(detect_stubble(&c.image, &o).unwrap_err().contains("outside"));
    o.region = Some([0, 0, 0, 10]);
    assert!(detect_stubble(&c.image, &o).unwrap_err().contains("empty"));
}

#[test]
fn bare_skin_counts_almost_nothing_and_says_so() {
    for (skin, seed) in [(1u8, 3u64), (4, 4)] {
        let c = synth_bare_closeup(&params(skin, 1, seed), PPM, SIZE).unwrap();
        assert_eq!(c.tips, 0);
        let r = detect_stubble(&c.image, &StubbleOptions::new(PPM)).unwrap();
        println!("bare skin {skin}: {:.1}/cm² {:?}", r.density_per_cm2, r.warnings);
        // A pore or two per cm² may pass: under 3 % of a haired scalp's ~150–200.
        assert!(r.density_per_cm2 < 5.0, "{:.1}/cm² on bare skin", r.density_per_cm2);
        assert!(!r.warnings.is_empty(), "bare skin must be flagged");
    }
}

/// Decision: stubble too light to see against the skin is not reported as a silent
/// wrong number: the density found is far too low and a warning says why.
#[test]
fn light_blonde_stubble_on_light_skin_is_flagged_not_trusted() {
    for (skin, hair, seed) in [(1u8, 8u8, 5u64), (1, 9, 6), (2, 8, 7)] {
        let c = synth_closeup(&params(skin, hair, seed), PPM, SIZE).unwrap();
        let r = detect_stubble(&c.image, &StubbleOptions::new(PPM)).unwrap();
        println!(
            "blonde {hair} on skin {skin}: true {:.1} found {:.1} {:?}",
            c.density_per_cm2, r.density_per_cm2, r.warnings
        );
        let err = (r.density_per_cm2 / c.density_per_cm2 - 1.0).abs();
        assert!(err <= 0.10 || !r.warnings.is_empty(), "a wrong density without a warning");
        assert!(r.warnings.iter().any(|w| w.contains("too light")), "{:?}", r.warnings);
    }
}

#[test]
fn coarse_photos_and_bad_options_are_reported() {
    let c = synth_closeup(&params(2, 1, 1), 12.0, (240, 240)).unwrap();
    let r = detect_stubble(&c.image, &StubbleOptions::new(12.0)).unwrap();
    assert!(r.warnings.iter().any(|w| w.contains("not resolved")), "{:?}", r.warnings);
    assert!(detect_stubble(&c.image, &StubbleOptions::new(0.0)).is_err());
    assert!(detect_stubble(&c.image, &StubbleOptions::new(f64::NAN)).is_err());
}

#[test]
fn closeup_is_exact_deterministic_and_fast() {
    let p = params(3, 2, 42);
    let t = std::time::Instant::now();
    let a = synth_closeup(&p, PPM, SIZE).unwrap();
    let took = t.elapsed();
    println!("600×600 close-up in {took:?}");
    let b = synth_closeup(&p, PPM, SIZE).unwrap();
    assert_eq!(a.image.as_raw(), b.image.as_raw());
    assert!((a.density_per_cm2 - a.tips as f64 / a.area_cm2).abs() < 1e-9);
    assert!((a.area_cm2 - 4.0).abs() < 1e-9);
    // ~70–90 units/cm² × ~2.2 hairs (with the per-image sampling of a 4 cm² patch).
    assert!((120.0..=230.0).contains(&a.density_per_cm2), "{}", a.density_per_cm2);
    assert!((0.07..=0.12).contains(&a.mean_diameter_mm), "{}", a.mean_diameter_mm);
    assert!(synth_closeup(&p, 1.0, SIZE).is_err());
    assert!(synth_closeup(&p, PPM, (4, 600)).is_err());
}
