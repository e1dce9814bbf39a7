//! Tests of the synthetic truth: the label map against the design's regions and the
//! anatomy of each view, its PNG round trip, grey hair and stubble length.

use smp_design::PointMm;
use smp_photo::labels::{Label, LabelMap};

use super::*;

fn head(pattern: Pattern, view: SynthView, seed: u64) -> SynthHead {
    synth(
        &SynthParams {
            pattern,
            view,
            skin_type: 3,
            hair_level: 2,
            scar: None,
            seed,
            width_px: 500,
        },
        "a.png",
    )
    .unwrap()
}

/// The truth's label where design point (x, y) lands.
fn label_at(h: &SynthHead, x: f64, y: f64) -> Label {
    let v = &h.design.views()[0];
    let q = smp_photo::view::project(v, PointMm::new(x, y)).expect("the point faces the camera");
    h.truth.at_px(q.x, q.y)
}

#[test]
fn the_truth_png_round_trips_and_is_the_photos_size() {
    let h = head(Pattern::FutScar, SynthView::Back, 4);
    assert_eq!(
        (h.truth.width, h.truth.height, h.truth.cell_px),
        (h.image.width(), h.image.height(), 1)
    );
    let mut png = std::io::Cursor::new(Vec::new());
    h.truth.to_gray().write_to(&mut png, image::ImageFormat::Png).unwrap();
    let back = image::load_from_memory(png.get_ref()).unwrap().to_luma8();
    let m = LabelMap::from_gray(&back).unwrap();
    assert_eq!(m.labels, h.truth.labels);
    // A FUT strip runs across the back: scar pixels, and the scar is on the scalp.
    assert!(m.pixel_counts()[Label::Scar.code() as usize] > 200, "{:?}", m.pixel_counts());
    assert_eq!(label_at(&h, 0.0, 322.0), Label::Scar);
}

/// Where a region of loss lies clearly inside (beyond its soft edge), the truth says bald
/// or thinning as the region's kind does; where the scalp is far from every region and
/// from the natural edges, it says haired. Checked pixel by pixel through the view.
#[test]
fn labels_follow_the_designs_regions() {
    for (pattern, view, seed) in [
        (Pattern::Norwood(5), SynthView::Top, 1),
        (Pattern::Norwood(4), SynthView::Top, 2),
        (Pattern::Norwood(6), SynthView::Left, 3),
        (Pattern::Ludwig(2), SynthView::Top, 5),
    ] {
        let h = head(pattern, view, seed);
        let cam = camera::Camera::new(view, 500);
        let polys: Vec<(RegionKind, geom::Poly)> = h
            .design
            .regions()
            .iter()
            .map(|r| (r.kind, geom::Poly::new(r.polygon.iter().map(|p| (p.x, p.y)).collect())))
            .collect();
        let (mut checked, mut wrong) = ([0u32; 2], [0u32; 2]);
        for y in (0..h.image.height()).step_by(3) {
            for x in (0..h.image.width()).step_by(3) {
                let Some(d) = cam.surface(cam.img_mm(f64::from(x) + 0.5, f64::from(y) + 0.5)) else {
                    continue;
                };
                let got = h.truth.at_px(f64::from(x) + 0.5, f64::from(y) + 0.5);
                if got == Label::Skin && d.y < 130.0 {
                    continue; // forehead and face in front of the hairline
                }
                let sdf: Vec<(RegionKind, f64)> = polys.iter().map(|(k, p)| (*k, p.sdf((d.x, d.y), 1e9).0)).collect();
                // Deep inside a region: its kind (the soft edge reaches 8 mm in).
                if let Some((kind, _)) = sdf.iter().find(|(_, s)| *s < -10.0) {
                    let want = if *kind == RegionKind::Treat { Label::Bald } else { Label::Thinning };
                    if got.is_scalp() || got == Label::Skin && d.y > 120.0 {
                        checked[0] += 1;
                        wrong[0] += u32::from(got != want);
                    }
                }
                // Far from every region and well inside the hair-bearing scalp: haired.
                if sdf.iter().all(|(_, s)| *s > 25.0) && d.y > 150.0 && d.x.abs() < 100.0 && d.y < 330.0 {
                    checked[1] += 1;
                    wrong[1] += u32::from(got != Label::Haired);
                }
            }
        }
        assert!(checked[0] > 300, "{pattern} {view}: {checked:?}");
        assert!(
            f64::from(wrong[0]) < 0.01 * f64::from(checked[0]),
            "{pattern} {view}: {} of {} pixels inside a region mislabelled",
            wrong[0],
            checked[0]
        );
        if checked[1] > 0 {
            assert!(
                f64::from(wrong[1]) < 0.01 * f64::from(checked[1]),
                "{pattern} {view}: {} of {} haired pixels mislabelled",
                wrong[1],
                checked[1]
            );
        }
    }
}

#[test]
fn a_norwood_1_front_view_has_a_full_fringe_and_temple_hair() {
    let h = head(Pattern::Norwood(1), SynthView::Front, 6);
    // The forehead in front of the hairline (80 mm above the glabella) is skin; behind
    // it, haired scalp across the front.
    assert_eq!(label_at(&h, 0.0, 0.0), Label::Skin);
    assert_eq!(label_at(&h, 0.0, 70.0), Label::Skin);
    for x in [-40.0, 0.0, 40.0] {
        assert_eq!(label_at(&h, x, 110.0), Label::Haired, "x {x}");
    }
    // The sides of the head above the ears, ~72 mm from the midline in the image: hair.
    let cam = camera::Camera::new(SynthView::Front, 500);
    for u in [-72.0, 72.0] {
        let (x, y) = cam.px((u, -5.0));
        assert_eq!(h.truth.at_px(x, y), Label::Haired, "u {u}");
    }
    // And no bald scalp anywhere but the thin transition behind the hairline.
    let c = h.truth.pixel_counts();
    assert!(c[Label::Haired.code() as usize] > 20 * c[Label::Bald.code() as usize], "{c:?}");
}

#[test]
fn a_norwood_3_front_view_is_bald_from_the_hairline_with_hair_at_the_temples() {
    let h = head(Pattern::Norwood(3), SynthView::Front, 7);
    // The rule: skin ends exactly at the design's hairline.
    assert_eq!(label_at(&h, 0.0, 78.0), Label::Skin);
    assert_eq!(label_at(&h, 0.0, 82.0), Label::Bald);
    assert_eq!(label_at(&h, 0.0, 110.0), Label::Bald);
    let cam = camera::Camera::new(SynthView::Front, 500);
    for u in [-72.0, 72.0] {
        let (x, y) = cam.px((u, -5.0));
        assert_eq!(h.truth.at_px(x, y), Label::Haired, "u {u}");
    }
}

#[test]
fn side_and_back_views_have_hair_around_the_ears_and_the_occipital_fringe() {
    let left = head(Pattern::Norwood(6), SynthView::Left, 8);
    // Above, in front of and behind the ear; the ear itself is skin.
    for (x, y) in [(-118.0, 205.0), (-125.0, 172.0), (-150.0, 245.0), (-120.0, 260.0)] {
        assert_eq!(label_at(&left, x, y), Label::Haired, "({x}, {y})");
    }
    assert_eq!(label_at(&left, -165.0, 205.0), Label::Skin);
    // norwood-6's bald top shows above the fringe.
    assert_eq!(label_at(&left, -50.0, 180.0), Label::Bald);
    let back = head(Pattern::Norwood(6), SynthView::Back, 9);
    for (x, y) in [(0.0, 300.0), (-70.0, 320.0), (70.0, 320.0), (0.0, 350.0)] {
        assert_eq!(label_at(&back, x, y), Label::Haired, "({x}, {y})");
    }
    // Below the nape: the neck is skin.
    let cam = camera::Camera::new(SynthView::Back, 500);
    let nape = cam.project_mm(PointMm::new(0.0, 368.0)).unwrap();
    let (x, y) = cam.px((nape.0, nape.1 + 25.0));
    assert_eq!(back.truth.at_px(x, y), Label::Skin);
}

#[test]
fn grey_hair_and_longer_stubble_change_the_haired_scalp() {
    let p = SynthParams {
        pattern: Pattern::Norwood(1),
        view: SynthView::Top,
        skin_type: 2,
        hair_level: 1,
        scar: None,
        seed: 3,
        width_px: 500,
    };
    let luma = |look: HairLook| {
        let h = synth_with(&p, &look, "a.png").unwrap();
        let (mut s, mut n) = (0.0, 0.0);
        for (i, px) in h.image.pixels().enumerate() {
            if h.truth.labels[i] == Label::Haired.code() {
                s += 0.2126 * f64::from(px[0]) + 0.7152 * f64::from(px[1]) + 0.0722 * f64::from(px[2]);
                n += 1.0;
            }
        }
        (s / n, h.look)
    };
    let (dark, _) = luma(HairLook::default());
    let (white, look) = luma(HairLook {
        grey_fraction: 1.0,
        ..HairLook::default()
    });
    let (grey, _) = luma(HairLook {
        grey_fraction: 0.5,
        ..HairLook::default()
    });
    let (long, _) = luma(HairLook {
        stubble_length_mm: 1.0,
        ..HairLook::default()
    });
    assert_eq!(look.grey_fraction, 1.0);
    assert!(
        white > grey + 1.0 && grey > dark + 1.0,
        "white {white:.1} grey {grey:.1} dark {dark:.1}"
    );
    assert!(long < dark - 1.0, "1 mm stubble {long:.1} vs shaved {dark:.1}");
    for bad in [
        HairLook {
            grey_fraction: 1.5,
            ..HairLook::default()
        },
        HairLook {
            stubble_length_mm: -0.1,
            ..HairLook::default()
        },
    ] {
        let e = synth_with(&p, &bad, "a.png").unwrap_err();
        assert!(e.contains("grey_fraction") || e.contains("stubble_length_mm"), "{e}");
    }
}
