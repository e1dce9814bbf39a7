//! Tests of the synthetic head generator.

use super::*;

fn params(view: SynthView) -> SynthParams {
    SynthParams {
        pattern: Pattern::Norwood(5),
        view,
        skin_type: 2,
        hair_level: 1,
        scar: None,
        seed: 7,
        width_px: 400,
    }
}

fn luma(img: &image::RgbImage, x: f64, y: f64, r: i64) -> f64 {
    let (mut sum, mut n) = (0.0, 0.0);
    for dy in -r..=r {
        for dx in -r..=r {
            let p = img.get_pixel((x as i64 + dx) as u32, (y as i64 + dy) as u32);
            sum += 0.2126 * f64::from(p[0]) + 0.7152 * f64::from(p[1]) + 0.0722 * f64::from(p[2]);
            n += 1.0;
        }
    }
    sum / n
}

/// Mean luminance of the pixels around where design point (x, y) lands.
fn luma_at(h: &SynthHead, view: SynthView, x: f64, y: f64, r: i64) -> f64 {
    let v = h.design.view(view.as_str()).expect("the view is in the design");
    let q = smp_photo::view::project(v, smp_design::PointMm::new(x, y)).expect("the point faces the camera");
    luma(&h.image, q.x, q.y, r)
}

#[test]
fn same_seed_same_bytes_other_seed_differs() {
    let p = params(SynthView::Top);
    let (a, b) = (synth(&p, "a.png").unwrap(), synth(&p, "a.png").unwrap());
    assert_eq!(a.image.as_raw(), b.image.as_raw());
    assert_eq!(a.stubble_density_per_cm2, b.stubble_density_per_cm2);
    let c = synth(&SynthParams { seed: 8, ..p }, "a.png").unwrap();
    assert_ne!(a.image.as_raw(), c.image.as_raw());
}

#[test]
fn bad_parameters_name_the_parameter_and_range() {
    let p = params(SynthView::Top);
    for (q, what, range) in [
        (SynthParams { skin_type: 0, ..p.clone() }, "skin_type", "1..=6"),
        (SynthParams { skin_type: 7, ..p.clone() }, "skin_type", "1..=6"),
        (
            SynthParams {
                hair_level: 0,
                ..p.clone()
            },
            "hair_level",
            "1..=10",
        ),
        (
            SynthParams {
                hair_level: 11,
                ..p.clone()
            },
            "hair_level",
            "1..=10",
        ),
        (
            SynthParams {
                width_px: 199,
                ..p.clone()
            },
            "width_px",
            "200..=8000",
        ),
        (
            SynthParams {
                width_px: 8001,
                ..p.clone()
            },
            "width_px",
            "200..=8000",
        ),
        (
            SynthParams {
                pattern: Pattern::Norwood(8),
                ..p.clone()
            },
            "norwood",
            "norwood-7",
        ),
    ] {
        let e = synth(&q, "a.png").unwrap_err();
        assert!(e.contains(what) && e.contains(range), "{e}");
    }
    assert!(synth(&p, "").is_err(), "a view needs a photo file");
    assert_eq!("left".parse::<SynthView>(), Ok(SynthView::Left));
    assert!("side".parse::<SynthView>().is_err());
    assert_eq!("fue".parse::<Scar>(), Ok(Scar::Fue));
    assert!("strip".parse::<Scar>().is_err());
}

#[test]
fn the_design_carries_one_calibrated_view_of_the_template() {
    for view in SynthView::ALL {
        let h = synth(&params(view), "head.png").unwrap();
        assert_eq!(h.design.views().len(), 1);
        let v = &h.design.views()[0];
        assert_eq!((v.name.as_str(), v.file.as_str()), (view.as_str(), "head.png"));
        assert!((v.mm_to_px.px_per_mm() - h.px_per_mm).abs() < 1e-9);
        assert_eq!(h.design.regions(), Pattern::Norwood(5).template().unwrap().regions());
    }
    let nw1 = synth(
        &SynthParams {
            pattern: Pattern::Norwood(1),
            ..params(SynthView::Top)
        },
        "a.png",
    )
    .unwrap();
    assert_eq!(nw1.design.regions(), Pattern::Norwood(2).template().unwrap().regions());
}

#[test]
fn design_points_land_on_the_head() {
    let top = synth(&params(SynthView::Top), "a.png").unwrap();
    let v = top.design.view("top").unwrap();
    let (h, e) = (f64::from(top.image.height()), v.head.unwrap());
    let hairline = smp_photo::view::project(v, smp_design::PointMm::new(0.0, 80.0)).unwrap();
    let crown = smp_photo::view::project(v, smp_design::PointMm::new(0.0, 240.0)).unwrap();
    let (cy, ry) = (e.center_px[1], e.radii_px[1]);
    assert!(
        hairline.y < cy - 0.6 * ry && hairline.y > cy - ry,
        "hairline at {} of {h}",
        hairline.y
    );
    assert!(crown.y > cy + 0.2 * ry && crown.y < cy + 0.7 * ry, "crown at {} of {h}", crown.y);
    // Both land on skin, not on the backdrop (skin is red-dominant).
    for q in [hairline, crown] {
        let p = top.image.get_pixel(q.x as u32, q.y as u32);
        assert!(p[0] > p[2] + 20, "{p:?} at {q:?}");
    }
    // Front: the glabella sits below the hairline, on the face.
    let front = synth(&params(SynthView::Front), "a.png").unwrap();
    let v = front.design.view("front").unwrap();
    let g = smp_photo::view::project(v, smp_design::PointMm::new(0.0, 0.0)).unwrap();
    let hl = smp_photo::view::project(v, smp_design::PointMm::new(0.0, 80.0)).unwrap();
    assert!(g.y > hl.y + 50.0 * front.px_per_mm * 0.8, "glabella {} hairline {}", g.y, hl.y);
    assert!((g.x - f64::from(front.image.width()) / 2.0).abs() < 2.0);
    let p = front.image.get_pixel(g.x as u32, g.y as u32);
    assert!(p[0] > p[2] + 20, "{p:?}");
}

#[test]
fn stubble_is_drawn_on_haired_scalp_and_not_on_bald_scalp() {
    let bald = synth(&params(SynthView::Top), "a.png").unwrap();
    let full = synth(
        &SynthParams {
            pattern: Pattern::Norwood(1),
            ..params(SynthView::Top)
        },
        "a.png",
    )
    .unwrap();
    let r = 4;
    // Bald on norwood-5 (frontal area and crown), haired on norwood-1: much lighter.
    for (x, y) in [(0.0, 140.0), (0.0, 242.0), (20.0, 120.0)] {
        let (b, f) = (luma_at(&bald, SynthView::Top, x, y, r), luma_at(&full, SynthView::Top, x, y, r));
        assert!(b > f * 1.08, "({x}, {y}): bald {b:.1} vs haired {f:.1}");
    }
    // Haired on both (the side fringe): the same.
    for (x, y) in [(-95.0, 200.0), (95.0, 200.0)] {
        let (b, f) = (luma_at(&bald, SynthView::Top, x, y, r), luma_at(&full, SynthView::Top, x, y, r));
        assert!((b - f).abs() < 0.02 * f, "({x}, {y}): {b:.1} vs {f:.1}");
    }
    // Forehead: no stubble on either.
    let front = |p: Pattern| {
        synth(
            &SynthParams {
                pattern: p,
                ..params(SynthView::Front)
            },
            "a.png",
        )
        .unwrap()
    };
    let (a, b) = (front(Pattern::Norwood(1)), front(Pattern::Norwood(5)));
    let (la, lb) = (
        luma_at(&a, SynthView::Front, 0.0, 40.0, r),
        luma_at(&b, SynthView::Front, 0.0, 40.0, r),
    );
    assert!((la - lb).abs() < 0.01 * la, "{la} {lb}");
}

#[test]
fn stubble_tips_land_where_the_design_view_puts_them() {
    let p = SynthParams {
        pattern: Pattern::Norwood(1),
        width_px: 1600,
        ..params(SynthView::Top)
    };
    let h = synth(&p, "a.png").unwrap();
    let cam = camera::Camera::new(p.view, p.width_px);
    let hairline = [(-60.0, 118.0), (0.0, 80.0), (60.0, 118.0)];
    let field = scalp::Scalp::new(
        &scalp::natural_outline(p.view, &camera::Camera::new(p.view, p.width_px), &hairline),
        &hairline,
        &[],
        None,
        p.seed,
        scalp::FULL_BOUNDS,
    );
    let hairs = stubble::grow(&field, p.seed);
    let v = h.design.view("top").unwrap();
    let (mut on, mut off, mut n) = (0.0, 0.0, 0.0);
    for hair in hairs
        .hairs
        .iter()
        .filter(|x| !x.vellus && x.p.dist(smp_design::PointMm::new(0.0, 200.0)) < 40.0)
        .take(400)
    {
        let q = smp_photo::view::project(v, hair.p).unwrap();
        let c = cam.project(hair.p).unwrap();
        assert!((q.x - c.x).abs() < 1e-9 && (q.y - c.y).abs() < 1e-9);
        on += luma(&h.image, q.x, q.y, 0);
        off += luma(&h.image, q.x + 5.0, q.y + 5.0, 0);
        n += 1.0;
    }
    assert!(n > 300.0);
    // The camera's lens blur spreads each 0.1 mm tip (0.6 px here) over a few pixels and
    // its noise is ~3 levels per pixel, so a tip darkens its own pixel by a few levels;
    // over 300+ tips the mean's standard error is ~0.2 levels, and a tip drawn one pixel
    // off would darken its projected pixel by far less.
    assert!(on / n < off / n - 2.0, "tips {:.1} vs beside {:.1}", on / n, off / n);
}

#[test]
fn the_true_density_is_the_count_per_area() {
    let p = params(SynthView::Top);
    let h = synth(&p, "a.png").unwrap();
    // Natural scalp: 60–100 units/cm² × ~2.2 hairs (domain.md).
    assert!(
        (130.0..=230.0).contains(&h.stubble_density_per_cm2),
        "{}",
        h.stubble_density_per_cm2
    );
    assert!((0.07..=0.12).contains(&h.stubble_diameter_mm), "{}", h.stubble_diameter_mm);
    // Recount the tips in discs well inside the haired sides.
    let cam = camera::Camera::new(p.view, p.width_px);
    let field = field(&h.design, p.view, &cam, &losses(&h.design), None, p.seed);
    let hairs = stubble::grow(&field, p.seed);
    assert_eq!(hairs.hairs_per_cm2, h.stubble_density_per_cm2);
    for c in [
        smp_design::PointMm::new(-100.0, 200.0),
        smp_design::PointMm::new(100.0, 200.0),
        smp_design::PointMm::new(0.0, 320.0),
    ] {
        let r = 15.0;
        let n = hairs.hairs.iter().filter(|x| !x.vellus && x.p.dist(c) < r).count() as f64;
        let per_cm2 = n / (std::f64::consts::PI * r * r / 100.0);
        assert!(
            (per_cm2 / h.stubble_density_per_cm2 - 1.0).abs() < 0.06,
            "{c:?}: {per_cm2:.1} vs {:.1}",
            h.stubble_density_per_cm2
        );
    }
}

#[test]
fn lighter_skin_types_are_lighter() {
    let skin = |t: u8| {
        let h = synth(
            &SynthParams {
                skin_type: t,
                ..params(SynthView::Top)
            },
            "a.png",
        )
        .unwrap();
        (luma_at(&h, SynthView::Top, 0.0, 242.0, 5), h.skin_rgb)
    };
    let (one, six) = (skin(1), skin(6));
    assert!(one.0 > six.0 + 60.0, "{one:?} {six:?}");
    assert!(one.1.iter().zip(&six.1).all(|(a, b)| a > b));
}

#[test]
fn darker_hair_levels_give_darker_stubble() {
    let hair = |level: u8| {
        let p = SynthParams {
            pattern: Pattern::Norwood(1),
            hair_level: level,
            ..params(SynthView::Top)
        };
        let h = synth(&p, "a.png").unwrap();
        (luma_at(&h, SynthView::Top, 0.0, 200.0, 5), h.hair_rgb)
    };
    let (black, blonde) = (hair(1), hair(9));
    assert!(black.0 < blonde.0 - 10.0, "{black:?} {blonde:?}");
    assert!(black.1.iter().zip(&blonde.1).all(|(a, b)| a < b));
}

#[test]
fn scars_show_pale() {
    let back = |scar| {
        synth(
            &SynthParams {
                pattern: Pattern::Norwood(1),
                scar,
                ..params(SynthView::Back)
            },
            "a.png",
        )
        .unwrap()
    };
    let (plain, fut, fue) = (back(None), back(Some(Scar::Fut)), back(Some(Scar::Fue)));
    // The strip runs along y = 322 at the midline.
    let (a, b) = (
        luma_at(&plain, SynthView::Back, 0.0, 322.0, 1),
        luma_at(&fut, SynthView::Back, 0.0, 322.0, 1),
    );
    assert!(b > a + 8.0, "strip {b:.1} vs stubble {a:.1}");
    let (a, b) = (
        luma_at(&plain, SynthView::Back, 0.0, 312.0, 6),
        luma_at(&fue, SynthView::Back, 0.0, 312.0, 6),
    );
    assert!(b > a + 2.0, "FUE band {b:.1} vs stubble {a:.1}");
    // A FUE pattern implies its scar.
    let implied = synth(
        &SynthParams {
            pattern: Pattern::FueScars,
            ..params(SynthView::Back)
        },
        "a.png",
    )
    .unwrap();
    assert!(luma_at(&implied, SynthView::Back, 0.0, 312.0, 6) > a + 2.0);
}

#[test]
#[ignore = "writes PNGs to /tmp for looking at"]
fn look() {
    let spec = std::env::var("SYNTH_LOOK").unwrap_or_else(|_| "norwood-3:front".into());
    for item in spec.split_whitespace() {
        let parts: Vec<&str> = item.split(':').collect();
        let p = SynthParams {
            pattern: parts[0].parse().unwrap(),
            view: parts[1].parse().unwrap(),
            skin_type: parts.get(2).map_or(2, |s| s.parse().unwrap()),
            hair_level: parts.get(3).map_or(2, |s| s.parse().unwrap()),
            scar: None,
            seed: parts.get(4).map_or(1, |s| s.parse().unwrap()),
            width_px: 1200,
        };
        let t = std::time::Instant::now();
        let h = synth(&p, "x.png").unwrap();
        eprintln!("{item}: {:?}", t.elapsed());
        h.image.save(format!("/tmp/look_{}.png", item.replace(':', "_"))).unwrap();
        let (cx, cy) = h.pupils_px.map_or((400, 150), |p| (p[0][0] as u32 - 100, p[0][1] as u32 - 250));
        image::imageops::crop_imm(&h.image, cx, cy, 500, 400)
            .to_image()
            .save(format!("/tmp/crop_{}.png", item.replace(':', "_")))
            .unwrap();
        let colours = [
            [40u8, 40, 40],
            [230, 180, 150],
            [255, 255, 0],
            [255, 128, 0],
            [120, 60, 20],
            [255, 0, 255],
        ];
        let mut t = h.image.clone();
        for (i, px) in t.pixels_mut().enumerate() {
            let c = colours[h.truth.labels[i] as usize];
            for k in 0..3 {
                px.0[k] = ((u16::from(px.0[k]) + u16::from(c[k])) / 2) as u8;
            }
        }
        t.save(format!("/tmp/truth_{}.png", item.replace(':', "_"))).unwrap();
    }
}

#[test]
#[ignore = "writes PNGs with the design grid to /tmp"]
fn look_grid() {
    for view in SynthView::ALL {
        let p = SynthParams {
            pattern: Pattern::Norwood(1),
            view,
            skin_type: 2,
            hair_level: 2,
            scar: None,
            seed: 1,
            width_px: 600,
        };
        let mut h = synth(&p, "x.png").unwrap();
        let cam = camera::Camera::new(view, p.width_px);
        for y in 0..h.image.height() {
            for x in 0..h.image.width() {
                let Some(d) = cam.surface(cam.img_mm(x as f64 + 0.5, y as f64 + 0.5)) else {
                    continue;
                };
                let w = 0.6;
                let near = |c: f64, s: f64| (c - (c / s).round() * s).abs() < w;
                let px = h.image.get_pixel_mut(x, y);
                if near(d.x, 100.0) || near(d.y, 100.0) {
                    *px = image::Rgb([255, 0, 0]);
                } else if near(d.x, 20.0) {
                    *px = image::Rgb([0, 160, 0]);
                } else if near(d.y, 20.0) {
                    *px = image::Rgb([0, 0, 255]);
                }
            }
        }
        h.image.save(format!("/tmp/grid_{view}.png")).unwrap();
    }
}
