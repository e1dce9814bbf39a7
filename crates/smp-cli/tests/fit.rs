//! `smp design fit` end to end: a synthetic head, its analysis, the fit, the preview.

mod common;

use common::{smp, stderr, tmp};

#[test]
fn fit_rewrites_the_design_and_reports_what_it_did() {
    let dir = tmp("fit");
    let (d, photo) = (dir.join("d.json"), dir.join("head.png"));
    let (d, photo) = (d.to_str().unwrap(), photo.to_str().unwrap());
    let o = smp(&[
        "synth",
        "--pattern",
        "norwood-5",
        "--view",
        "top",
        "--skin",
        "2",
        "--hair-level",
        "2",
        "--seed",
        "3",
        "--width",
        "400",
        "-o",
        photo,
        "--design",
        d,
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = std::fs::read_to_string(d).unwrap();
    // Out-of-range height: exit 2, the design untouched.
    let o = smp(&["design", "fit", d, "--view", "top", "--hairline-mm", "30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--hairline-mm 30 is outside 60–110 mm"), "{}", stderr(&o));
    let o = smp(&["design", "fit", d, "--view", "side"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(d).unwrap(), before, "a refused fit loses nothing");

    // Without a stored analysis the photo is analysed first, and both are stored.
    let o = smp(&["design", "fit", d, "--view", "top", "--json", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["view"], "top");
    let regions = j["regions"].as_array().unwrap();
    let treat: f64 = regions
        .iter()
        .filter(|r| r["kind"] == "treat")
        .map(|r| r["area_cm2"].as_f64().unwrap())
        .sum();
    assert!(treat > 50.0, "a norwood-5 top has a large bald area: {j}");
    assert!(j["replaced"].as_array().unwrap().iter().any(|n| n == "front"), "{j}");
    assert!(["proposed", "intact", "not_seen"].contains(&j["hairline"]["decision"].as_str().unwrap()));
    assert!(j["colours"]["skin_lab"][0].as_f64().unwrap() > 30.0);
    let design: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(d).unwrap()).unwrap();
    assert!(design["views"][0]["analysis"].is_object(), "the analysis is stored with the fit");
    let names: Vec<&str> = design["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(names.iter().any(|n| n.starts_with("top bald area")), "{names:?}");
    // The fitted design checks and previews.
    let o = smp(&["design", "check", d]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.join("healed.png");
    let o = smp(&["preview", d, "--state", "healed", "-o", out.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Human output names the regions and the hairline decision.
    let o = smp(&["design", "fit", d, "--view", "top", "-o", dir.join("again.json").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("top bald area 1") && text.contains("hairline:"), "{text}");
}
