use super::*;
use smp_color::chart::chart_linear;
use smp_color::srgb::linear_to_rgb8;

/// A chart whose corner patches' centres are `corners` (dark skin, bluish green, black,
/// white) drawn on a mid-grey photo under a warm cast, γ 0.9 and a stop of exposure.
fn photo_with_chart(size: (u32, u32), corners: [[f64; 2]; 4]) -> RgbImage {
    let grid = [(0.0, 0.0), (5.0, 0.0), (5.0, 3.0), (0.0, 3.0)];
    let back = Homography::from_points(&corners.map(|p| (p[0], p[1])), &grid).unwrap();
    let seen = |t: [f64; 3]| -> [u8; 3] {
        let cast = [1.15, 1.0, 0.8];
        linear_to_rgb8(std::array::from_fn(|c| (0.8 * cast[c] * t[c].max(0.0)).min(1.0).powf(1.0 / 0.9)))
    };
    RgbImage::from_fn(size.0, size.1, |x, y| {
        let (u, v) = back.apply((f64::from(x) + 0.5, f64::from(y) + 0.5));
        let (c, r) = (u.round(), v.round());
        let inside = (0.0..=5.0).contains(&c) && (0.0..=3.0).contains(&r);
        let frame = (-0.5..5.5).contains(&u) && (-0.5..3.5).contains(&v);
        image::Rgb(if inside && (u - c).abs() < 0.42 && (v - r).abs() < 0.42 {
            seen(chart_linear(r as usize * 6 + c as usize))
        } else if frame {
            seen([0.03; 3])
        } else {
            seen([0.2; 3])
        })
    })
}

#[test]
fn an_upside_down_chart_clicked_in_any_order_is_read() {
    // Held upside down and turned a little: dark skin at the bottom right.
    let corners = [[520.0, 410.0], [130.0, 380.0], [150.0, 140.0], [540.0, 170.0]];
    let photo = photo_with_chart((640, 480), corners);
    let clicks = [corners[2], corners[0], corners[3], corners[1]];
    let r = read_chart(&photo, clicks).unwrap();
    assert!(r.record.residual_delta_e00 < 1.0, "{:?}", r.record);
    assert!(r.record.worst_delta_e00 < 3.0, "{:?}", r.record);
    let d = r.record.corner_patches_px[0];
    assert!((d[0] - 520.0).abs() < 1.0 && (d[1] - 410.0).abs() < 1.0, "dark skin at {d:?}");
    assert_eq!(r.patches.len(), 24);
    assert_eq!(r.patches[17].2, None, "cyan is outside sRGB");
    // Skin through the correction comes back to the chart's own light skin.
    let skin = seen_through(&photo, &r, 1);
    let de = smp_color::delta_e::delta_e00(
        smp_color::srgb::linear_to_lab(skin),
        smp_color::srgb::linear_to_lab(chart_linear(1)),
    );
    assert!(de < 1.5, "light skin at ΔE00 {de}");
}

fn seen_through(photo: &RgbImage, r: &ChartReading, i: usize) -> [f64; 3] {
    let [x, y] = r.patches[i].1;
    let p = photo.get_pixel(x as u32, y as u32).0;
    r.correction.apply_linear(smp_color::srgb::rgb8_to_linear(p))
}

#[test]
fn points_that_are_not_a_chart_are_refused_with_the_reason() {
    let corners = [[100.0, 100.0], [500.0, 100.0], [500.0, 340.0], [100.0, 340.0]];
    let photo = photo_with_chart((640, 480), corners);
    let err = read_chart(&photo, [[100.0, 100.0], [700.0, 100.0], [500.0, 340.0], [100.0, 340.0]]).unwrap_err();
    assert!(err.to_string().contains("outside the photo, which is 640×480"), "{err}");
    let err = read_chart(&photo, [[100.0, 100.0], [200.0, 100.0], [300.0, 100.0], [100.0, 340.0]]).unwrap_err();
    assert_eq!(err, ChartError::Degenerate);
    let err = read_chart(&photo, [[100.0, 100.0], [140.0, 100.0], [140.0, 124.0], [100.0, 124.0]]).unwrap_err();
    assert!(matches!(err, ChartError::TooSmall { .. }), "{err}");
    // The grid shifted by half a patch reads the frame and patch edges.
    let err = read_chart(&photo, corners.map(|[x, y]| [x + 40.0, y + 40.0])).unwrap_err();
    assert!(matches!(err, ChartError::NoMatch { .. } | ChartError::NeutralsClipped), "{err}");
    // A plain grey photo holds no chart.
    let grey = RgbImage::from_pixel(640, 480, image::Rgb([128, 128, 128]));
    let err = read_chart(&grey, corners).unwrap_err();
    assert!(err.to_string().contains("do not match a ColorChecker"), "{err}");
}

#[test]
fn a_chart_is_found_without_clicks() {
    // Turned and foreshortened, the black patch lost in its black board.
    let corners = [[180.0, 120.0], [500.0, 150.0], [480.0, 350.0], [170.0, 330.0]];
    let photo = photo_with_chart((640, 480), corners);
    let r = find_chart(&photo).unwrap();
    assert!(r.record.residual_delta_e00 < 1.0, "{:?}", r.record);
    for (got, want) in r.record.corner_patches_px.iter().zip(corners) {
        assert!((got[0] - want[0]).hypot(got[1] - want[1]) < 2.0, "{got:?} against {want:?}");
    }
    let grey = RgbImage::from_pixel(320, 240, image::Rgb([128, 128, 128]));
    assert_eq!(find_chart(&grey).unwrap_err(), ChartError::NotFound);
}

#[test]
fn a_small_chart_is_read_whichever_way_the_clicks_go_round() {
    // Patches 14 px apart: read across its length (5 steps over 42 px) a way round would
    // be too small, along it (over 70 px) it is not.
    let corners = [[300.0, 200.0], [370.0, 200.0], [370.0, 242.0], [300.0, 242.0]];
    let photo = photo_with_chart((640, 480), corners);
    let r = read_chart(&photo, [corners[1], corners[3], corners[0], corners[2]]).unwrap();
    assert!(r.record.residual_delta_e00 < 1.5, "{:?}", r.record);
}
