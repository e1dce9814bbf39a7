//! `smp color match D --view V` end to end on synthetic heads: skin and hair sampled from
//! the view's photo, the whole-area effect, `--write`, and the errors (exit 2, design
//! untouched).

mod common;

use common::{smp, stderr, tmp};

use std::path::{Path, PathBuf};
use std::process::Output;

use smp_color::pigments::{PigmentLibrary, predict_area_lab};
use smp_design::{Design, MaskEdit, MaskKind, RegionKind};
use smp_synth::{SynthParams, SynthView, synth};

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("json output")
}

fn lab(v: &serde_json::Value) -> [f64; 3] {
    let a = v.as_array().expect("an [L, a, b] array");
    std::array::from_fn(|i| a[i].as_f64().unwrap())
}

/// A synthetic Norwood-4 head (top view) written as `head.png` and `head.json` in a fresh
/// folder; returns the design's path.
fn head(name: &str, skin_type: u8, hair_level: u8) -> PathBuf {
    let dir = tmp(name);
    let params = SynthParams {
        pattern: smp_design::Pattern::Norwood(4),
        view: SynthView::Top,
        skin_type,
        hair_level,
        scar: None,
        seed: 7,
        width_px: 1000,
    };
    let h = synth(&params, "head.png").unwrap();
    h.image.save(dir.join("head.png")).unwrap();
    let design = dir.join("head.json");
    std::fs::write(&design, h.design.to_json()).unwrap();
    design
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Area-weighted density and needle of the treat and blend regions.
fn design_density_and_needle(d: &Design) -> (f64, f64) {
    let rs: Vec<_> = d
        .regions()
        .iter()
        .filter(|r| matches!(r.kind, RegionKind::Treat | RegionKind::Blend))
        .collect();
    let area: f64 = rs.iter().map(|r| r.polygon_area().0).sum();
    let w = |f: &dyn Fn(&smp_design::Region) -> f64| rs.iter().map(|r| f(r) * r.polygon_area().0).sum::<f64>() / area;
    (w(&|r| r.density.0), w(&|r| r.dot_diameter.0))
}

#[test]
fn match_from_a_view_samples_skin_and_hair_and_reports_the_area_effect() {
    for (skin_type, hair_level) in [(2, 2), (5, 1)] {
        let design = head(&format!("match-view-{skin_type}"), skin_type, hair_level);
        let before = std::fs::read(&design).unwrap();
        let v = json(&smp(&["color", "match", arg(&design), "--view", "top", "--json"]));
        let (skin, hair) = (lab(&v["skin_lab"]), lab(&v["hair_lab"]));
        // Skin is lighter than the stubble, and the match's shape is `match --json`'s.
        assert!(skin[0] > hair[0] + 5.0, "skin {skin:?} hair {hair:?}");
        for key in [
            "pigment",
            "dilution",
            "predicted_delta_e00",
            "predicted_lab",
            "alternatives",
            "warnings",
            "hair_level",
        ] {
            assert!(!v[key].is_null(), "missing {key}: {v}");
        }
        let lib = PigmentLibrary::builtin();
        let pigment = lib.pigments.iter().find(|p| p.name == v["pigment"]).expect("a library pigment");
        let dilution: u32 = v["dilution"].as_str().unwrap()[2..].parse().unwrap();

        // The whole-area effect: the design's density, the skin darkened by the spread
        // dots (less than a dot itself), next to the haired area's mean colour.
        let a = &v["area_effect"];
        let (density, needle) = design_density_and_needle(&Design::load(&design).unwrap());
        assert!((a["design_density_per_cm2"].as_f64().unwrap() - density).abs() < 1e-9, "{a}");
        let area_lab = lab(&a["predicted_area_lab"]);
        let expected = predict_area_lab(skin, &pigment.pigment, dilution, density, needle);
        assert!(
            (0..3).all(|i| (area_lab[i] - expected[i]).abs() < 1e-9),
            "{area_lab:?} vs {expected:?}"
        );
        let dot = lab(&v["predicted_lab"]);
        assert!(
            area_lab[0] < skin[0] && area_lab[0] > dot[0],
            "{area_lab:?} skin {skin:?} dot {dot:?}"
        );
        let hair_area = lab(&a["hair_area_lab"]);
        assert!(hair_area[0] < skin[0] && hair_area[0] > hair[0], "haired area {hair_area:?}");
        assert!(a["delta_e00"].as_f64().unwrap() >= 0.0);
        assert_eq!(v["written"], false);
        // Without --write the design is not touched.
        assert_eq!(std::fs::read(&design).unwrap(), before);

        // The text form names the view and the whole area.
        let o = smp(&["color", "match", arg(&design), "--view", "top"]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains("view \"top\"") && out.contains("whole area at") && out.contains("(sampled; no calibration card"),
            "{out}"
        );
    }
}

#[test]
fn write_stores_the_pigment_in_every_treat_and_blend_region_and_the_preview_uses_it() {
    let design = head("match-write", 2, 2);
    let v = json(&smp(&["color", "match", arg(&design), "--view", "top", "--write", "--json"]));
    assert_eq!(v["written"], true);
    let d = Design::load(&design).unwrap();
    let dilution: u32 = v["dilution"].as_str().unwrap()[2..].parse().unwrap();
    for r in d.regions() {
        match r.kind {
            RegionKind::Treat | RegionKind::Blend => {
                let p = r.pigment.as_ref().expect("pigment stored");
                assert_eq!((p.name.as_str(), p.dilution), (v["pigment"].as_str().unwrap(), dilution));
            }
            _ => assert!(r.pigment.is_none(), "{}", r.name),
        }
    }
    let out = design.with_file_name("healed.png");
    let o = smp(&["preview", arg(&design), "--view", "top", "-q", "-o", arg(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn measured_colours_are_stored_with_the_choice_and_used_next_time() {
    let design = head("match-measured", 2, 2);
    let v = json(&smp(&[
        "color",
        "match",
        arg(&design),
        "--view",
        "top",
        "--hair",
        "30,3,2",
        "--write",
        "--json",
    ]));
    assert_eq!(lab(&v["hair_lab"]), [30.0, 3.0, 2.0]);
    let d = Design::load(&design).unwrap();
    assert_eq!(d.colours().hair_lab, Some([30.0, 3.0, 2.0]));
    assert_eq!(d.colours().skin_lab, None, "the skin was sampled, not measured");
    // Next time, without --hair: the stored colour, and no doubts about a sampled one.
    let o = smp(&["color", "match", arg(&design), "--view", "top"]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("hair L* 30.0, a* 3.0, b* 2.0 (measured)"), "{out}");
    assert!(!out.contains("px/mm"), "{out}");
}

/// Replace the design's top view mask with one edit covering the whole photo.
fn mask_everything(design: &Path, kind: MaskKind) {
    let d = Design::load(design).unwrap();
    let mut draft = d.to_draft();
    draft.views[0].mask = Some(smp_design::Mask {
        hair_rgb: [40, 35, 30],
        skin_rgb: [200, 160, 140],
        edits: vec![MaskEdit {
            kind,
            polygon_px: vec![[-10.0, -10.0], [1e5, -10.0], [1e5, 1e5], [-10.0, 1e5]],
        }],
    });
    std::fs::write(design, Design::from_draft(draft).unwrap().to_json()).unwrap();
}

#[test]
fn an_all_hair_or_all_skin_area_is_a_clear_error_and_the_design_is_not_rewritten() {
    let design = head("match-all-hair", 2, 2);
    mask_everything(&design, MaskKind::Hair);
    let before = std::fs::read(&design).unwrap();
    let o = smp(&["color", "match", arg(&design), "--view", "top", "--write"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("all hair, so there is no skin to sample; mark scalp in the view's mask or give the skin colour (--skin)"),
        "{e}"
    );
    assert_eq!(std::fs::read(&design).unwrap(), before);
    // Giving the skin colour answers it.
    let v = json(&smp(&[
        "color",
        "match",
        arg(&design),
        "--view",
        "top",
        "--skin",
        "70,9,15",
        "--json",
    ]));
    assert_eq!(lab(&v["skin_lab"]), [70.0, 9.0, 15.0]);

    mask_everything(&design, MaskKind::Scalp);
    let o = smp(&["color", "match", arg(&design), "--view", "top"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("all skin"), "{}", stderr(&o));
    let v = json(&smp(&[
        "color",
        "match",
        arg(&design),
        "--view",
        "top",
        "--hair",
        "25,3,4",
        "--json",
    ]));
    assert_eq!(lab(&v["hair_lab"]), [25.0, 3.0, 4.0]);
}

#[test]
fn regions_outside_the_photo_bad_views_and_missing_colours_are_errors() {
    let design = head("match-outside", 2, 2);
    let d = Design::load(&design).unwrap();
    let mut draft = d.to_draft();
    draft.views[0].mm_to_px.0[2] += 1e6; // shift the design far off the picture
    std::fs::write(&design, Design::from_draft(draft).unwrap().to_json()).unwrap();
    let o = smp(&["color", "match", arg(&design), "--view", "top"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("outside the photo"), "{}", stderr(&o));

    let o = smp(&["color", "match", arg(&design), "--view", "side"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no view \"side\""), "{}", stderr(&o));
    // --write needs a design; without one both colours are needed.
    assert_eq!(
        smp(&["color", "match", "--skin", "66,9,15", "--hair", "22,4,5", "--write"])
            .status
            .code(),
        Some(2)
    );
    let o = smp(&["color", "match", "--skin", "66,9,15"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give --skin and --hair"), "{}", stderr(&o));
}

#[test]
fn the_preview_refuses_an_unknown_region_pigment_and_lists_the_library() {
    let design = head("preview-unknown-pigment", 2, 2);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&design).unwrap()).unwrap();
    v["regions"][0]["pigment"] = serde_json::json!({"name": "unobtainium", "dilution": 2});
    std::fs::write(&design, v.to_string()).unwrap();
    let out = design.with_file_name("x.png");
    let o = smp(&["preview", arg(&design), "-q", "-o", arg(&out)]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("unobtainium") && e.contains("carbon black, soft black, dark brown"),
        "{e}"
    );
    assert!(!out.exists());
}

#[test]
fn stubble_close_up_gives_the_hair_to_match() {
    let dir = tmp("match-stubble");
    let closeup = dir.join("closeup.png");
    let o = smp(&[
        "synth",
        "--pattern",
        "norwood-1",
        "--skin",
        "2",
        "--hair-level",
        "2",
        "--seed",
        "4",
        "--closeup",
        "30",
        "--width",
        "480",
        "-q",
        "-o",
        arg(&closeup),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // What `smp stubble` finds in it is what the match uses as the hair.
    let st = json(&smp(&["stubble", "--photo", arg(&closeup), "--px-per-mm", "30", "--json"]));
    let tip = lab(&st["tip_lab"]);
    let v = json(&smp(&[
        "color",
        "match",
        "--skin",
        "70,10,16",
        "--stubble",
        arg(&closeup),
        "--stubble-px-per-mm",
        "30",
        "--json",
    ]));
    let direct = json(&smp(&[
        "color",
        "match",
        "--skin",
        "70,10,16",
        "--hair",
        &format!("{},{},{}", tip[0], tip[1], tip[2]),
        "--json",
    ]));
    assert_eq!((&v["pigment"], &v["dilution"]), (&direct["pigment"], &direct["dilution"]));
    // --stubble and --hair together, or a close-up without its scale: refused.
    let o = smp(&[
        "color",
        "match",
        "--skin",
        "70,10,16",
        "--stubble",
        arg(&closeup),
        "--hair",
        "30,3,2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = smp(&["color", "match", "--skin", "70,10,16", "--stubble", arg(&closeup)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("stubble-px-per-mm"), "{}", stderr(&o));
    // A bare close-up has no tips: a clear error.
    let bare = dir.join("bare.png");
    image::RgbImage::from_pixel(300, 300, image::Rgb([200, 160, 140]))
        .save(&bare)
        .unwrap();
    let o = smp(&[
        "color",
        "match",
        "--skin",
        "70,10,16",
        "--stubble",
        arg(&bare),
        "--stubble-px-per-mm",
        "30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no stubble tips found"), "{}", stderr(&o));
}
