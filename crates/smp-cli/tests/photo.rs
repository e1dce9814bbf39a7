//! `smp photo analyze` end to end on a synthetic head: the figures, the JSON, the overlay,
//! the analysis stored in the design (and read back by the next run's seeds), and the
//! errors (exit 2, design untouched).

mod common;

use common::{smp, stderr, tmp};

use smp_design::Design;
use smp_synth::{SynthParams, SynthView, synth};

#[test]
fn analyze_stores_the_labels_and_reports_them() {
    let dir = tmp("photo-analyze");
    let h = synth(
        &SynthParams {
            pattern: smp_design::Pattern::Norwood(5),
            view: SynthView::Top,
            skin_type: 2,
            hair_level: 2,
            scar: None,
            seed: 3,
            width_px: 400,
        },
        "head.png",
    )
    .unwrap();
    h.image.save(dir.join("head.png")).unwrap();
    let design = dir.join("head.json");
    std::fs::write(&design, h.design.to_json()).unwrap();
    let d = design.to_str().unwrap();
    let overlay = dir.join("labels.png");
    let o = smp(&[
        "photo",
        "analyze",
        d,
        "--view",
        "top",
        "--hair-px",
        "200,300",
        "--json",
        "-o",
        overlay.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let labels = v["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 6);
    let names: Vec<&str> = labels.iter().map(|l| l["label"].as_str().unwrap()).collect();
    assert_eq!(names, ["background", "skin", "bald", "thinning", "haired", "scar"]);
    // The areas add up to the photo through the view's scale.
    let ppm = v["px_per_mm"].as_f64().unwrap();
    let total: f64 = labels.iter().map(|l| l["area_cm2"].as_f64().unwrap()).sum();
    let photo_cm2 = 400.0 * 500.0 / (ppm * ppm) / 100.0;
    assert!((total - photo_cm2).abs() < 0.01 * photo_cm2, "{total} vs {photo_cm2}");
    assert!(
        labels[0]["area_cm2"].as_f64().unwrap() > 0.2 * photo_cm2,
        "the backdrop is background"
    );
    assert_eq!(v["seeds"]["hair_px"][0], serde_json::json!([200.0, 300.0]));
    let img = image::open(&overlay).unwrap();
    assert_eq!((img.width(), img.height()), (400, 500));

    // Stored in the view, with its seed; the next run keeps the seed unless reset.
    let stored = Design::load(&design).unwrap();
    let a = stored.view("top").unwrap().analysis.clone().expect("analysis stored");
    assert_eq!(a.seeds.hair_px, vec![[200.0, 300.0]]);
    let o = smp(&["photo", "analyze", d, "--json", "-q"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["seeds"]["hair_px"].as_array().unwrap().len(), 1);
    let o = smp(&["photo", "analyze", d, "--reset-seeds", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        Design::load(&design)
            .unwrap()
            .view("top")
            .unwrap()
            .analysis
            .as_ref()
            .unwrap()
            .seeds
            .hair_px
            .is_empty()
    );

    // A seed off the photo: exit 2, named flag, design untouched.
    let before = std::fs::read(&design).unwrap();
    let o = smp(&["photo", "analyze", d, "--scalp-px", "900,10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--scalp-px"), "{}", stderr(&o));
    // The wrong photo: exit 2, both sizes in plain words.
    let small = dir.join("small.png");
    image::imageops::crop_imm(&h.image, 0, 0, 100, 100).to_image().save(&small).unwrap();
    let o = smp(&["photo", "analyze", d, "--photo", small.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("100×100"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&design).unwrap(), before);
}
