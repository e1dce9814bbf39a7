//! `smp color` end to end: ΔE00, skin tone, pigment matching, and bad colours (exit 2).

mod common;

use common::{smp, stderr};

use std::process::Output;

use smp_color::pigments::{PigmentLibrary, predict_healed_lab};

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("json output")
}

fn lab_arg(l: [f64; 3]) -> String {
    format!("{:.12},{:.12},{:.12}", l[0], l[1], l[2])
}

#[test]
fn delta_e_prints_sharma_pair_1() {
    let o = smp(&["color", "delta-e", "50,2.6772,-79.7751", "50,0,-82.7485", "--json"]);
    let d = json(&o)["delta_e00"].as_f64().unwrap();
    assert!((d - 2.0425).abs() < 0.5e-4, "{d}");
    let o = smp(&["color", "delta-e", "50,2.6772,-79.7751", "50,0,-82.7485"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("2.0425"));
}

#[test]
fn skin_reports_ita_band_and_estimated_type() {
    let v = json(&smp(&["color", "skin", "66,9,15", "--json"]));
    assert_eq!(v["category"], "light");
    assert_eq!(v["fitzpatrick"], 2);
    assert!((v["ita_deg"].as_f64().unwrap() - 46.85).abs() < 0.01);
    // L* 50 is ITA 0: brown.
    let v = json(&smp(&["color", "skin", "50,5,12", "--json"]));
    assert_eq!(v["category"], "brown");
    let o = smp(&["color", "skin", "35,9,14"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("dark") && out.contains("estimate"), "{out}");
}

#[test]
fn match_returns_the_pigment_whose_prediction_is_the_target() {
    let lib = PigmentLibrary::builtin();
    for (skin, pigment, water) in [([68.0, 10.0, 16.0], 0, 3), ([38.0, 10.0, 16.0], 2, 1)] {
        let p = &lib.pigments[pigment];
        let target = predict_healed_lab(skin, &p.pigment, water);
        let v = json(&smp(&[
            "color",
            "match",
            "--skin",
            &lab_arg(skin),
            "--hair",
            &lab_arg(target),
            "--json",
        ]));
        assert_eq!(v["pigment"], p.name.as_str());
        assert_eq!(v["dilution"], format!("1:{water}"));
        assert!(v["predicted_delta_e00"].as_f64().unwrap() < 1e-6);
        let alts = v["alternatives"].as_array().unwrap();
        assert_eq!(alts.len(), 3);
        for a in alts {
            assert!(a["dilution"].as_str().unwrap().starts_with("1:"));
            assert!(a["predicted_delta_e00"].as_f64().unwrap() > 0.0);
        }
        assert!(v["warnings"].as_array().is_some());
    }
}

#[test]
fn match_with_a_user_library_and_warnings() {
    let dir = std::env::temp_dir().join(format!("smp-cli-test-{}-color", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lib = dir.join("pigments.json");
    std::fs::write(
        &lib,
        r#"{"format":"smp-pigments","version":1,"dilutions_water_parts":[0,1,2],
            "pigments":[{"name":"house black","masstone_srgb8":[20,20,22]}]}"#,
    )
    .unwrap();
    let v = json(&smp(&[
        "color",
        "match",
        "--skin",
        "75,8,15",
        "--hair",
        "72,6,18",
        "--pigments",
        lib.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(v["pigment"], "house black");
    assert_eq!(v["dilution"], "1:2");
    let w: Vec<String> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    assert!(w.iter().any(|w| w.contains("too dark")), "{w:?}");
    assert!(w.iter().any(|w| w.contains("start lighter")), "{w:?}");

    std::fs::write(
        &lib,
        r#"{"format":"smp-pigments","version":1,"dilutions_water_parts":[0],"pigments":[]}"#,
    )
    .unwrap();
    let o = smp(&[
        "color",
        "match",
        "--skin",
        "75,8,15",
        "--hair",
        "30,6,18",
        "--pigments",
        lib.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no pigments"), "{}", stderr(&o));
}

#[test]
fn malformed_colours_exit_2_naming_the_argument() {
    let cases: [(&[&str], &str); 7] = [
        (&["color", "skin", "12,abc"], "skin colour"),
        (&["color", "skin", "12,abc,5"], "not a number"),
        (&["color", "delta-e", "50,1", "50,1,2"], "first colour"),
        (&["color", "delta-e", "50,1,2", "101,1,2"], "second colour"),
        (&["color", "match", "--skin", "-5,8,15", "--hair", "20,1,1"], "--skin"),
        (&["color", "match", "--skin", "60,8,15", "--hair", "20,x,1"], "--hair"),
        (&["color", "skin", "60,5,-3"], "b* > 0"),
    ];
    for (args, needle) in cases {
        let o = smp(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn analyze_takes_a_robust_median_and_rejects_regions_outside_the_photo() {
    use smp_color::srgb::{linear_to_lab, rgb8_to_linear};
    let dir = std::env::temp_dir().join(format!("smp-cli-test-{}-analyze", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let photo = dir.join("skin.png");
    let skin = [190u8, 150, 130];
    // Skin with 5 % specular white and 5 % deep-shadow pixels scattered through it.
    let img = image::RgbImage::from_fn(60, 40, |x, y| match (x * 7 + y * 13) % 20 {
        0 => image::Rgb([255, 255, 255]),
        1 => image::Rgb([8, 6, 6]),
        _ => image::Rgb(skin),
    });
    img.save(&photo).unwrap();
    let ps = photo.to_str().unwrap();
    let v = json(&smp(&["color", "analyze", "--photo", ps, "--region", "10,5,40,30", "--json"]));
    let want = linear_to_lab(rgb8_to_linear(skin));
    let got: Vec<f64> = v["lab"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    for i in 0..3 {
        assert!((got[i] - want[i]).abs() < 1e-9, "{got:?} vs {want:?}");
    }
    let warnings = v["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w.as_str().unwrap().contains("clipped")), "{warnings:?}");

    for region in ["50,10,20,10", "0,0,61,40", "1,2,3"] {
        let o = smp(&["color", "analyze", "--photo", ps, "--region", region]);
        assert_eq!(o.status.code(), Some(2), "{region}: {}", stderr(&o));
        assert!(stderr(&o).contains("--region"), "{}", stderr(&o));
    }
    assert!(stderr(&smp(&["color", "analyze", "--photo", ps, "--region", "50,10,20,10"])).contains("outside the photo"));
}

#[test]
fn white_balance_from_a_grey_card_removes_a_cast() {
    use image::{Rgb, RgbImage};
    use smp_color::srgb::{linear_to_lab, linear_to_rgb8, rgb8_to_linear};
    // A skin patch and a grey card photographed under warm light: linear R ×1.35, B ×0.7.
    let skin = rgb8_to_linear([205, 170, 150]);
    let grey = rgb8_to_linear([150, 150, 150]);
    let cast = [1.35, 1.0, 0.7];
    let under = |c: [f64; 3]| linear_to_rgb8(std::array::from_fn(|k| c[k] * cast[k]));
    let mut img = RgbImage::from_pixel(120, 60, Rgb(under(skin)));
    for y in 10..50 {
        for x in 70..110 {
            img.put_pixel(x, y, Rgb(under(grey)));
        }
    }
    let dir = common::tmp("white");
    let photo = dir.join("cast.png");
    img.save(&photo).unwrap();
    let lab_of = |extra: &[&str]| {
        let mut args = vec![
            "color",
            "analyze",
            "--photo",
            photo.to_str().unwrap(),
            "--region",
            "10,10,40,40",
            "--json",
        ];
        args.extend_from_slice(extra);
        let v = json(&smp(&args));
        [0, 1, 2].map(|i| v["lab"][i].as_f64().unwrap())
    };
    let truth = linear_to_lab(skin);
    let raw = lab_of(&[]);
    let balanced = lab_of(&["--white", "70,10,40,40"]);
    let d = |a: [f64; 3], b: [f64; 3]| smp_color::delta_e::delta_e00(a, b);
    assert!(d(raw, truth) > 8.0, "the cast is visible: ΔE00 {}", d(raw, truth));
    assert!(d(balanced, truth) < 1.5, "balanced ΔE00 {}", d(balanced, truth));
    let o = smp(&[
        "color",
        "analyze",
        "--photo",
        photo.to_str().unwrap(),
        "--region",
        "10,10,40,40",
        "--white",
        "100,10,40,40",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--white") && stderr(&o).contains("outside"), "{}", stderr(&o));
}
