//! A ColorChecker colour chart from the command line: held beside a synthetic head under
//! a warm cast (`smp synth --chart`), read from four clicks (`smp color chart`) and used
//! to read colours (`smp color analyze`, `smp color match`).

mod common;

use common::{smp, tmp};
use smp_color::delta_e::delta_e00;
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_chart_corrects_the_colours_under_a_cast() {
    let dir = tmp("chart");
    let (photo, design) = (dir.join("head.jpg"), dir.join("head.json"));
    let (photo, design) = (photo.to_str().unwrap(), design.to_str().unwrap());
    let truth = json(&smp(&[
        "synth",
        "--pattern",
        "norwood-5",
        "--view",
        "top",
        "--skin",
        "4",
        "--width",
        "900",
        "--chart",
        "--cast",
        "1.3,1,0.7",
        "--exposure-ev",
        "-0.5",
        "-q",
        "-o",
        photo,
        "--design",
        design,
        "--json",
    ]));
    let c = truth["chart"]["corner_patches_px"].as_array().unwrap();
    // Calibrating the view finds it too.
    let cal = json(&smp(&[
        "calibrate",
        design,
        "--view",
        "top",
        "--photo",
        photo,
        "--p1",
        "100,100",
        "--p2",
        "300,100",
        "--distance-mm",
        "40",
        "--ref-px",
        "450,560",
        "--json",
        "-q",
        "-o",
        dir.join("calibrated.json").to_str().unwrap(),
    ]));
    assert!(cal["chart"]["residual_delta_e00"].as_f64().unwrap() < 1.5, "{cal}");
    // Found by itself, where it is.
    let found = json(&smp(&["color", "chart", design, "--view", "top", "--json", "-q"]));
    assert_eq!(found["chart"]["located"], "found");
    for (f, t) in found["chart"]["corner_patches_px"].as_array().unwrap().iter().zip(c) {
        let d = (f[0].as_f64().unwrap() - t[0].as_f64().unwrap()).hypot(f[1].as_f64().unwrap() - t[1].as_f64().unwrap());
        assert!(d < 2.0, "corner patch found {d:.1} px off");
    }
    // Clicked a couple of pixels off, starting from the white patch, the other way round.
    let click = |k: usize, dx: f64| format!("{:.0},{:.0}", c[k][0].as_f64().unwrap() + dx, c[k][1].as_f64().unwrap() - dx);
    let clicks = [click(3, 2.0), click(2, -2.0), click(1, 1.0), click(0, -1.0)];
    let mut args = vec!["color", "chart", design, "--view", "top", "--json", "-q", "--corners"];
    args.extend(clicks.iter().map(String::as_str));
    let got = json(&smp(&args));
    let chart = &got["chart"];
    assert_eq!(chart["located"], "clicked");
    assert!(chart["residual_delta_e00"].as_f64().unwrap() < 1.5, "{chart}");
    assert_eq!(chart["patches"].as_array().unwrap().len(), 24);
    assert_eq!(chart["patches"][0]["name"], "dark skin");
    let found = chart["corner_patches_px"][0].as_array().unwrap();
    let d = (found[0].as_f64().unwrap() - c[0][0].as_f64().unwrap()).hypot(found[1].as_f64().unwrap() - c[0][1].as_f64().unwrap());
    assert!(d < 3.0, "dark skin found {d:.1} px from where it is");
    let wb = chart["white_balance"].as_array().unwrap();
    assert!(
        wb[0].as_f64().unwrap() < 0.9 && wb[2].as_f64().unwrap() > 1.1,
        "the warm cast: {wb:?}"
    );

    // A patch of bald crown read through the chart is near the skin's true colour; as
    // the camera recorded it, it is not.
    let region = "430,560,40,40";
    let through = json(&smp(&["color", "analyze", design, "--view", "top", "--region", region, "--json"]));
    assert_eq!(through["through_chart"], true);
    assert_eq!(through["through_card"], false);
    let plain = json(&smp(&["color", "analyze", "--photo", photo, "--region", region, "--json"]));
    assert_eq!(plain["through_chart"], false);
    let skin: Vec<u8> = truth["skin_rgb"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u8)
        .collect();
    let skin_lab = linear_to_lab(rgb8_to_linear([skin[0], skin[1], skin[2]]));
    let lab = |v: &serde_json::Value| -> [f64; 3] { std::array::from_fn(|k| v["lab"][k].as_f64().unwrap()) };
    let (d_chart, d_plain) = (delta_e00(lab(&through), skin_lab), delta_e00(lab(&plain), skin_lab));
    assert!(
        d_chart < 3.0 && d_chart < d_plain - 3.0,
        "through the chart ΔE00 {d_chart:.1}, plain {d_plain:.1}"
    );
    let m = json(&smp(&["color", "match", design, "--view", "top", "--hair", "25,3,4", "--json"]));
    assert_eq!(m["through_chart"], true);
    let text = smp(&["color", "match", design, "--view", "top", "--hair", "25,3,4"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("through the colour chart"));

    // Fit to the photo: the client's skin colour it stores is read through the chart
    // too; the same fit on a copy without the chart reads it under the cast.
    let plain_design = dir.join("plain.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(design).unwrap()).unwrap();
    v["views"][0].as_object_mut().unwrap().remove("chart");
    std::fs::write(&plain_design, v.to_string()).unwrap();
    let fitted_skin = |d: &str| -> [f64; 3] {
        let f = json(&smp(&[
            "design",
            "fit",
            d,
            "--view",
            "top",
            "--json",
            "-q",
            "-o",
            dir.join("fitted.json").to_str().unwrap(),
        ]));
        std::array::from_fn(|k| f["colours"]["skin_lab"][k].as_f64().unwrap())
    };
    let (fit_chart, fit_plain) = (fitted_skin(design), fitted_skin(plain_design.to_str().unwrap()));
    // The chart takes out the light's colour (a*, b*); how light the fit reads the skin
    // depends on where the head is lit, with or without it.
    let chroma_off = |l: [f64; 3]| (l[1] - skin_lab[1]).hypot(l[2] - skin_lab[2]);
    let (c_chart, c_plain) = (chroma_off(fit_chart), chroma_off(fit_plain));
    assert!(
        c_chart < 2.5 && c_plain > 6.0,
        "fitted skin's a*, b* off by {c_chart:.1} through the chart, {c_plain:.1} plain: truth {skin_lab:?}, chart {fit_chart:?}, plain {fit_plain:?}"
    );

    // The client's report says the colours were measured through the chart.
    let pdf = dir.join("report.pdf");
    let out = smp(&[
        "report",
        design,
        "--view",
        "top",
        "--hair",
        "25,3,4",
        "-q",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    match std::process::Command::new("pdftotext").arg(&pdf).arg("-").output() {
        Ok(t) => {
            let text = String::from_utf8_lossy(&t.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains("through the colour chart held in it"), "{text}");
        }
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => panic!("pdftotext is missing: install poppler-utils"),
        Err(_) => eprintln!("\n!!! SKIPPED the report's text: pdftotext is missing (apt-get install -y poppler-utils) !!!\n"),
    }

    // Points on the head, not a chart: exit 2 with the reason, and the design unchanged.
    let before = std::fs::read(design).unwrap();
    let out = smp(&[
        "color",
        "chart",
        design,
        "--view",
        "top",
        "-q",
        "--corners",
        "300,400",
        "600,400",
        "600,600",
        "300,600",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("do not match a ColorChecker") && err.contains("dark skin"), "{err}");
    assert_eq!(std::fs::read(design).unwrap(), before);
    // A photo with no chart: it says so, and how to fix it.
    let (bare, bare_design) = (dir.join("bare.jpg"), dir.join("bare.json"));
    let out = smp(&[
        "synth",
        "--pattern",
        "norwood-3",
        "--width",
        "500",
        "-q",
        "-o",
        bare.to_str().unwrap(),
        "--design",
        bare_design.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let out = smp(&["color", "chart", bare_design.to_str().unwrap(), "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no colour chart was found"));
}
