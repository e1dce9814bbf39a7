//! `smp synth --truth` and `--json`: the true label map and scale of a synthetic photo,
//! and `smp calibrate --pupils` checked against them.

mod common;
use common::{smp, stderr, tmp};
use smp_design::{Design, PointMm};
use smp_photo::labels::{Label, LabelMap};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn truth_png_is_the_photos_size_and_its_labels_match_the_json() {
    let dir = tmp("synth-truth");
    let (img, truth, design) = (dir.join("front.jpg"), dir.join("truth.png"), dir.join("d.json"));
    let facts = json(&smp(&[
        "synth",
        "--pattern",
        "norwood-3",
        "--view",
        "front",
        "--skin",
        "3",
        "--grey",
        "0.4",
        "--stubble-mm",
        "0.3",
        "--seed",
        "5",
        "--width",
        "500",
        "-o",
        img.to_str().unwrap(),
        "--design",
        design.to_str().unwrap(),
        "--truth",
        truth.to_str().unwrap(),
        "--json",
        "-q",
    ]));
    let photo = image::open(&img).unwrap();
    let gray = image::open(&truth).unwrap();
    assert!(matches!(gray, image::DynamicImage::ImageLuma8(_)), "an 8-bit grey PNG");
    assert_eq!((gray.width(), gray.height()), (photo.width(), photo.height()));
    let map = LabelMap::from_gray(&gray.to_luma8()).unwrap();
    let counts = map.pixel_counts();
    for l in Label::ALL {
        assert_eq!(facts["label_px"][l.as_str()].as_u64(), Some(counts[l.code() as usize]), "{l:?}");
    }
    for l in [Label::Background, Label::Skin, Label::Bald, Label::Haired] {
        assert!(counts[l.code() as usize] > 1000, "{l:?}: {counts:?}");
    }
    assert_eq!(facts["grey_fraction"].as_f64(), Some(0.4));
    assert_eq!(facts["stubble_length_mm"].as_f64(), Some(0.3));
    // The true scale is the design view's.
    let d = Design::load(&design).unwrap();
    let ppm = facts["px_per_mm"].as_f64().unwrap();
    assert!((d.view("front").unwrap().mm_to_px.px_per_mm() - ppm).abs() < 1e-9);
    // The pupils lie on skin, below the glabella, the IPD apart.
    let p = &facts["pupils_px"];
    let (a, b) = (
        (p[0][0].as_f64().unwrap(), p[0][1].as_f64().unwrap()),
        (p[1][0].as_f64().unwrap(), p[1][1].as_f64().unwrap()),
    );
    let ipd = facts["ipd_mm"].as_f64().unwrap();
    assert!(((a.0 - b.0).hypot(a.1 - b.1) / ppm - ipd).abs() < 1e-6);
    assert_eq!(map.at_px(a.0, a.1), Label::Skin);
    let g = smp_photo::view::project(d.view("front").unwrap(), PointMm::new(0.0, 0.0)).unwrap();
    assert!(a.1 > g.y && (a.0 + b.0) / 2.0 - g.x < 1.0);
    // A truth PNG must be lossless; a close-up has none.
    let bad = smp(&[
        "synth",
        "--pattern",
        "norwood-3",
        "--view",
        "front",
        "--width",
        "300",
        "-o",
        img.to_str().unwrap(),
        "--truth",
        dir.join("t.jpg").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains(".png"), "{}", stderr(&bad));
    let bad = smp(&[
        "synth",
        "--pattern",
        "norwood-1",
        "--closeup",
        "30",
        "--width",
        "100",
        "-o",
        img.to_str().unwrap(),
        "--truth",
        truth.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn pupil_calibration_recovers_the_true_scale() {
    let dir = tmp("calibrate-pupils");
    let (img, design) = (dir.join("front.jpg"), dir.join("d.json"));
    let facts = json(&smp(&[
        "synth",
        "--pattern",
        "norwood-4",
        "--view",
        "front",
        "--skin",
        "5",
        "--seed",
        "12",
        "--width",
        "700",
        "-o",
        img.to_str().unwrap(),
        "--design",
        design.to_str().unwrap(),
        "--json",
        "-q",
    ]));
    let ppm = facts["px_per_mm"].as_f64().unwrap();
    let ipd = facts["ipd_mm"].as_f64().unwrap();
    let p = &facts["pupils_px"];
    // Clicks 7 px off the true centres.
    let clicks = [
        format!("{:.1},{:.1}", p[0][0].as_f64().unwrap() + 5.0, p[0][1].as_f64().unwrap() - 5.0),
        format!("{:.1},{:.1}", p[1][0].as_f64().unwrap() - 5.0, p[1][1].as_f64().unwrap() + 5.0),
    ];
    let d = Design::load(&design).unwrap();
    let g = smp_photo::view::project(d.view("front").unwrap(), PointMm::new(0.0, 0.0)).unwrap();
    let glabella = format!("{:.1},{:.1}", g.x, g.y);
    let out = dir.join("measured.json");
    let run = |ipd_mm: Option<String>, out: &std::path::Path| {
        let mut args = vec![
            "calibrate",
            design.to_str().unwrap(),
            "--view",
            "front",
            "--photo",
            img.to_str().unwrap(),
            "--pupils",
            &clicks[0],
            &clicks[1],
            "--ref-px",
            &glabella,
            "-o",
            out.to_str().unwrap(),
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
        if let Some(v) = ipd_mm {
            args.extend(["--ipd-mm".to_string(), v]);
        }
        smp(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // With the client's IPD: the true scale within the refinement's 2 px over the IPD.
    let o = run(Some(format!("{ipd}")), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = Design::load(&out).unwrap().view("front").unwrap().mm_to_px.px_per_mm();
    assert!((got / ppm - 1.0).abs() < 2.0 / (ipd * ppm), "{got} vs {ppm}");
    // With the assumed mean: off by the client's IPD against 63 mm, and the message says
    // how uncertain an assumed IPD is and what to do instead.
    let assumed = dir.join("assumed.json");
    let o = run(None, &assumed);
    assert!(o.status.success(), "{}", stderr(&o));
    let msg = stderr(&o);
    assert!(msg.contains("±8 %") && msg.contains("--ipd-mm") && msg.contains("card"), "{msg}");
    let got = Design::load(&assumed).unwrap().view("front").unwrap().mm_to_px.px_per_mm();
    assert!((got / (ppm * ipd / 63.0) - 1.0).abs() < 0.01, "{got} vs {}", ppm * ipd / 63.0);
    // Pupils only in a front view; not mixed with a ruler.
    let o = smp(&[
        "calibrate",
        design.to_str().unwrap(),
        "--view",
        "top",
        "--photo",
        img.to_str().unwrap(),
        "--pupils",
        &clicks[0],
        &clicks[1],
        "--ref-px",
        &glabella,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("front"), "{}", stderr(&o));
}
