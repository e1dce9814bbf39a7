//! The calibration card from the command line: printed (`smp card`), held beside a
//! synthetic head under a warm cast (`smp synth --card`), found (`smp calibrate --card`)
//! and used to read colours (`smp color analyze`, `smp color match`).

mod common;

use common::{smp, tmp};
use smp_color::delta_e::delta_e00;
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_card_gives_the_scale_and_the_colours_under_a_cast() {
    let dir = tmp("card");
    let pdf = dir.join("card.pdf");
    let out = smp(&["card", "-o", pdf.to_str().unwrap(), "--paper", "letter"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let bad = smp(&["card", "-o", pdf.to_str().unwrap(), "--paper", "b5"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("a4, letter or a6"));

    let (photo, design) = (dir.join("head.jpg"), dir.join("head.json"));
    let (photo, design) = (photo.to_str().unwrap(), design.to_str().unwrap());
    let truth = json(&smp(&[
        "synth",
        "--pattern",
        "norwood-5",
        "--view",
        "top",
        "--skin",
        "2",
        "--width",
        "900",
        "--card",
        "--card-tilt-deg",
        "20",
        "--card-rotation-deg",
        "-15",
        "--cast",
        "1.25,1,0.75",
        "--exposure-ev",
        "-0.5",
        "-q",
        "-o",
        photo,
        "--design",
        design,
        "--json",
    ]));
    let true_ppm = truth["px_per_mm"].as_f64().unwrap();
    // Calibrated by the card alone: the synthetic design's view keeps its reference point.
    let got = json(&smp(&[
        "calibrate",
        design,
        "--view",
        "top",
        "--photo",
        photo,
        "--card",
        "--json",
        "-q",
    ]));
    let ppm = got["px_per_mm"].as_f64().unwrap();
    assert!((ppm / true_ppm - 1.0).abs() < 0.02, "{ppm} px/mm, truth {true_ppm}");
    assert_eq!(got["card"]["found"], true);
    let corners = got["card"]["corners_px"].as_array().unwrap();
    let true_corners = truth["card"]["corners_px"].as_array().unwrap();
    for (c, t) in corners.iter().zip(true_corners) {
        let d = (c[0].as_f64().unwrap() - t[0].as_f64().unwrap()).hypot(c[1].as_f64().unwrap() - t[1].as_f64().unwrap());
        assert!(d < 1.0 * true_ppm, "corner {c} against {t}");
    }
    // The warm cast shows as a red level above green for white.
    let wb = got["card"]["white_balance"].as_array().unwrap();
    assert!(wb[0].as_f64().unwrap() < 0.9 && wb[2].as_f64().unwrap() > 1.1, "{wb:?}");

    // A patch of bald crown (the top view's centre), read through the card, is nearer
    // the skin's true colour than as the camera recorded it.
    let region = "430,560,40,40";
    let through = json(&smp(&["color", "analyze", design, "--view", "top", "--region", region, "--json"]));
    assert_eq!(through["through_card"], true);
    let plain = json(&smp(&["color", "analyze", "--photo", photo, "--region", region, "--json"]));
    assert_eq!(plain["through_card"], false);
    let skin: Vec<u8> = truth["skin_rgb"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u8)
        .collect();
    let skin_lab = linear_to_lab(rgb8_to_linear([skin[0], skin[1], skin[2]]));
    let lab = |v: &serde_json::Value| -> [f64; 3] { std::array::from_fn(|k| v["lab"][k].as_f64().unwrap()) };
    let (d_card, d_plain) = (delta_e00(lab(&through), skin_lab), delta_e00(lab(&plain), skin_lab));
    assert!(d_card < d_plain - 3.0, "through the card ΔE00 {d_card:.1}, plain {d_plain:.1}");
    let m = json(&smp(&["color", "match", design, "--view", "top", "--hair", "25,3,4", "--json"]));
    assert_eq!(m["through_card"], true);

    // No card: exit 2 with the reason, also as JSON.
    let (bare, bare_design) = (dir.join("bare.jpg"), dir.join("bare.json"));
    let out = smp(&[
        "synth",
        "--pattern",
        "norwood-3",
        "--width",
        "600",
        "-q",
        "-o",
        bare.to_str().unwrap(),
        "--design",
        bare_design.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let none = smp(&[
        "calibrate",
        bare_design.to_str().unwrap(),
        "--view",
        "top",
        "--photo",
        bare.to_str().unwrap(),
        "--card",
        "--json",
    ]);
    assert_eq!(none.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&none.stdout).unwrap();
    assert_eq!(v["card"]["found"], false);
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("no calibration card was found"),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}
