//! Every rejection rule of the design format: each names the field path and a fix.

use smp_design::{Design, FaultClass, Pattern};

fn base() -> serde_json::Value {
    serde_json::from_str(&Pattern::Norwood(4).template().unwrap().to_json()).unwrap()
}

/// Parse a modified template; return (class, path, message, hint) of the first problem.
fn reject(edit: impl FnOnce(&mut serde_json::Value)) -> (FaultClass, String, String, String) {
    let mut v = base();
    edit(&mut v);
    let e = Design::parse(&v.to_string()).expect_err("must be rejected");
    let f = &e.errors[0];
    // The size check made before parsing says the same as the full check.
    if let Err(pre) = smp_design::limits::check_sizes(&v) {
        assert_eq!(&pre.errors[0], f, "the early size check and the parser disagree");
    }
    assert!(!f.hint.is_empty());
    (f.class, f.path.clone(), f.message.clone(), f.hint.clone())
}

#[test]
fn the_base_design_is_valid() {
    Design::parse(&base().to_string()).unwrap();
}

#[test]
fn unknown_format_and_newer_version_are_unsupported() {
    let (c, p, m, _) = reject(|v| v["format"] = "svg".into());
    assert_eq!((c, p.as_str()), (FaultClass::Unsupported, "format"));
    assert!(m.contains("unknown format"));
    let (c, p, m, h) = reject(|v| v["version"] = 2.into());
    assert_eq!((c, p.as_str()), (FaultClass::Unsupported, "version"));
    assert!(m.contains("version 2") && h.contains("update"));
    let (c, p, _, _) = reject(|v| v["version"] = 0.into());
    assert_eq!((c, p.as_str()), (FaultClass::Syntax, "version"));
    let (c, p, _, _) = reject(|v| v["version"] = "1".into());
    assert_eq!((c, p.as_str()), (FaultClass::Syntax, "version"));
}

#[test]
fn syntax_and_type_errors_name_the_place() {
    let e = Design::parse("{\"format\":\"smp-design\",").unwrap_err();
    assert_eq!(e.class(), FaultClass::Syntax);
    assert!(e.to_string().contains("line 1"), "{e}");
    let e = Design::parse("[1,2]").unwrap_err();
    assert!(e.to_string().contains("not a JSON object"));
    // Types in words, not Rust's ("f64"); a misspelt field gets the nearest name.
    let (c, p, m, hint) = reject(|v| v["regions"][1]["density_per_cm2"] = "eighty".into());
    assert_eq!((c, p.as_str()), (FaultClass::Syntax, "regions[1].density_per_cm2"));
    assert!(m.contains("got the text \"eighty\", expected a number"), "{m}");
    assert!(!m.contains("f64") && hint.contains("numbers without quotes"), "{m} / {hint}");
    let (_, p, m, hint) = reject(|v| v["regions"][0]["densty_per_cm2"] = 80.into());
    assert_eq!(p, "regions[0].densty_per_cm2");
    assert!(m.contains("unknown field \"densty_per_cm2\""), "{m}");
    assert!(hint.starts_with("did you mean \"density_per_cm2\"?"), "{hint}");
    let (_, _, _, hint) = reject(|v| v["regions"][0]["zzzzzzzzzz"] = 1.into());
    assert!(hint.starts_with("remove it or use one of: name, kind"), "{hint}");
    let (_, p, _, _) = reject(|v| v["regions"][0]["polygon"][2] = serde_json::json!([1.0]));
    assert_eq!(p, "regions[0].polygon[2]");
    let (_, p, m, _) = reject(|v| {
        v.as_object_mut().unwrap().remove("regions");
    });
    assert_eq!(p, "$");
    assert!(m.contains("missing field `regions`"), "{m}");
}

/// A field path, an edit that breaks it, and a word the hint must contain.
type Case = (&'static str, Box<dyn FnOnce(&mut serde_json::Value)>, &'static str);

#[test]
fn absurd_values_are_rejected_with_their_path() {
    let cases: Vec<Case> = vec![
        (
            "regions[0].density_per_cm2",
            Box::new(|v| v["regions"][0]["density_per_cm2"] = (-5).into()),
            "per cm²",
        ),
        (
            "regions[0].density_per_cm2",
            Box::new(|v| v["regions"][0]["density_per_cm2"] = 250.into()),
            "per cm²",
        ),
        (
            "regions[0].density_per_cm2",
            Box::new(|v| v["regions"][0]["density_per_cm2"] = 0.into()),
            "per cm²",
        ),
        (
            "regions[2].dot_diameter_mm",
            Box::new(|v| v["regions"][2]["dot_diameter_mm"] = 0.into()),
            "millimetres",
        ),
        (
            "regions[2].dot_diameter_mm",
            Box::new(|v| v["regions"][2]["dot_diameter_mm"] = 2.5.into()),
            "millimetres",
        ),
        ("regions[1].shade", Box::new(|v| v["regions"][1]["shade"] = 1.2.into()), "between 0"),
        (
            "regions[1].shade",
            Box::new(|v| v["regions"][1]["shade"] = (-0.1).into()),
            "between 0",
        ),
        (
            "hairline.feather_mm",
            Box::new(|v| v["hairline"]["feather_mm"] = (-1).into()),
            "millimetres",
        ),
        (
            "hairline.irregularity",
            Box::new(|v| v["hairline"]["irregularity"] = 3.into()),
            "0 (smooth)",
        ),
        (
            "sessions.cumulative[1]",
            Box::new(|v| v["sessions"]["cumulative"] = serde_json::json!([0.5, 0.4, 1.0])),
            "rising to 1",
        ),
        (
            "sessions.cumulative[1]",
            Box::new(|v| v["sessions"]["cumulative"] = serde_json::json!([0.5, 0.9])),
            "rising to 1",
        ),
        (
            "sessions.cumulative",
            Box::new(|v| v["sessions"]["cumulative"] = serde_json::json!([])),
            "rising to 1",
        ),
        (
            "regions[0].polygon[1]",
            Box::new(|v| v["regions"][0]["polygon"][1] = serde_json::json!([1e6, 0])),
            "millimetres",
        ),
        ("name", Box::new(|v| v["name"] = " ".into()), "name"),
        (
            "regions[1].name",
            Box::new(|v| v["regions"][1]["name"] = "front".into()),
            "own name",
        ),
        (
            "regions[1].shade",
            Box::new(|v| {
                v["regions"][1].as_object_mut().unwrap().remove("shade");
            }),
            "need density_per_cm2",
        ),
    ];
    for (path, edit, hint_part) in cases {
        let (c, p, m, h) = reject(edit);
        assert_eq!(c, FaultClass::Invalid, "{path}: {m}");
        assert_eq!(p, path, "{m}");
        assert!(h.contains(hint_part), "{path}: hint {h:?} lacks {hint_part:?}");
        // Issue 15: in words, not code ("is outside above 0..=200").
        assert!(!m.contains("..=") && !m.contains("outside above"), "{path}: {m}");
    }
    let (_, _, m, _) = reject(|v| v["regions"][0]["density_per_cm2"] = (-5).into());
    assert!(m.ends_with("is -5; it must be more than 0 and at most 200"), "{m}");
}

#[test]
fn self_intersecting_shapes_are_rejected() {
    let (c, p, m, h) = reject(|v| v["regions"][1]["polygon"] = serde_json::json!([[0, 0], [10, 10], [10, 0], [0, 10]]));
    assert_eq!((c, p.as_str()), (FaultClass::Invalid, "regions[1].polygon"));
    assert!(m.contains("crosses itself") && h.contains("redraw"));
    let (_, p, m, _) = reject(|v| v["hairline"]["points"] = serde_json::json!([[-50, 100], [50, 80], [0, 120], [0, 60]]));
    assert_eq!(p, "hairline.points");
    assert!(m.contains("crosses itself"));
    let (_, p, _, _) = reject(|v| v["regions"][1]["polygon"] = serde_json::json!([[0, 0], [10, 0], [10, 0], [0, 10]]));
    assert_eq!(p, "regions[1].polygon[2]");
    let (_, p, m, _) = reject(|v| v["regions"][1]["polygon"] = serde_json::json!([[0, 0], [10, 0]]));
    assert_eq!(p, "regions[1].polygon");
    assert!(m.contains("at least 3"));
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut v = base();
    v["regions"][0]["density_per_cm2"] = 900.into();
    v["regions"][1]["shade"] = 7.into();
    let e = Design::parse(&v.to_string()).unwrap_err();
    assert_eq!(e.errors.len(), 2);
    assert!(e.to_string().starts_with("2 problems"));
}

#[test]
fn a_design_with_only_holes_is_rejected() {
    let mut v = base();
    for r in v["regions"].as_array_mut().unwrap() {
        r["kind"] = "exclude".into();
    }
    let e = Design::parse(&v.to_string()).unwrap_err();
    assert_eq!(e.errors[0].path, "regions");
}

#[test]
fn reversed_hairline_is_normalised_left_to_right() {
    let mut v = base();
    v["hairline"]["points"].as_array_mut().unwrap().reverse();
    let d = Design::parse(&v.to_string()).unwrap();
    let pts = &d.hairline().unwrap().points;
    assert!(pts[0].x < pts[pts.len() - 1].x);
    assert_eq!(d, Design::parse(&base().to_string()).unwrap());
}

#[test]
fn region_pigment_is_optional_checked_and_round_trips() {
    // Absent: the template writes no pigment field.
    assert!(!base().to_string().contains("pigment"));
    let mut v = base();
    v["regions"][0]["pigment"] = serde_json::json!({"name": " dark brown ", "dilution": 2});
    let d = Design::parse(&v.to_string()).unwrap();
    let p = d.regions()[0].pigment.as_ref().unwrap();
    assert_eq!((p.name.as_str(), p.dilution), ("dark brown", 2));
    assert!(d.regions()[1].pigment.is_none());
    // Round trip through the draft and JSON.
    let again = Design::parse(&d.to_json()).unwrap();
    assert_eq!(again, d);
    assert!(d.to_json().contains("\"dilution\": 2"));

    let (c, p, m, h) = reject(|v| v["regions"][0]["pigment"] = serde_json::json!({"name": "carbon black", "dilution": 7}));
    assert_eq!((c, p.as_str()), (FaultClass::Invalid, "regions[0].pigment.dilution"));
    assert!(m.contains("more water than 1:6") && h.contains("water"), "{m} {h}");
    let (c, p, _, h) = reject(|v| v["regions"][0]["pigment"] = serde_json::json!({"name": "  ", "dilution": 1}));
    assert_eq!((c, p.as_str()), (FaultClass::Invalid, "regions[0].pigment.name"));
    assert!(h.contains("carbon black"), "{h}");
    let (c, p, _, _) = reject(|v| v["regions"][0]["pigment"] = serde_json::json!({"name": "carbon black", "dilution": 2.5}));
    assert_eq!((c, p.as_str()), (FaultClass::Syntax, "regions[0].pigment.dilution"));
    let (c, p, _, _) = reject(|v| v["regions"][0]["pigment"] = serde_json::json!({"name": "carbon black", "dilution": -1}));
    assert_eq!((c, p.as_str()), (FaultClass::Syntax, "regions[0].pigment.dilution"));
    let (c, p, _, _) = reject(|v| v["regions"][0]["pigment"] = serde_json::json!({"name": "carbon black"}));
    assert_eq!((c, p.as_str()), (FaultClass::Syntax, "regions[0].pigment"));
}

#[test]
fn edge_blend_defaults_by_kind_round_trips_and_rejects_bad_widths() {
    let d = Design::parse(&base().to_string()).unwrap();
    for r in d.regions() {
        let want = match r.kind {
            smp_design::RegionKind::Treat | smp_design::RegionKind::Blend => 10.0,
            _ => 0.0,
        };
        assert_eq!(r.edge_blend.0, want, "{}", r.name);
    }
    // A default is not written back; a chosen width is, and survives the round trip.
    assert!(!d.to_json().contains("edge_blend_mm"));
    let mut v = base();
    v["regions"][0]["edge_blend_mm"] = 4.5.into();
    let d = Design::parse(&v.to_string()).unwrap();
    assert_eq!(d.regions()[0].edge_blend.0, 4.5);
    assert_eq!(Design::parse(&d.to_json()).unwrap().regions()[0].edge_blend.0, 4.5);
    let (c, p, m, h) = reject(|v| v["regions"][0]["edge_blend_mm"] = 45.into());
    assert_eq!((c, p.as_str()), (FaultClass::Invalid, "regions[0].edge_blend_mm"));
    assert!(m.contains("edge blend is 45") && h.contains("millimetres"), "{m} / {h}");
    let (_, p, _, _) = reject(|v| v["regions"][0]["edge_blend_mm"] = (-1).into());
    assert_eq!(p, "regions[0].edge_blend_mm");
}

#[test]
fn measured_colours_round_trip_and_bad_ones_are_refused() {
    let mut v = base();
    v["colours"] = serde_json::json!({"skin_lab": [68.0, 10.0, 16.0], "hair_lab": [30.0, 3.0, 2.0]});
    let d = Design::parse(&v.to_string()).unwrap();
    assert_eq!(d.colours().skin_lab, Some([68.0, 10.0, 16.0]));
    assert_eq!(Design::parse(&d.to_json()).unwrap().colours().hair_lab, Some([30.0, 3.0, 2.0]));
    // None stored: nothing written.
    assert!(!Design::parse(&base().to_string()).unwrap().to_json().contains("colours"));
    let (c, p, m, _) = reject(|v| v["colours"] = serde_json::json!({"skin_lab": [120.0, 0.0, 0.0]}));
    assert_eq!((c, p.as_str()), (FaultClass::Invalid, "colours.skin_lab"));
    assert!(m.contains("L* 120"), "{m}");
    let (_, p, m, _) = reject(|v| v["colours"] = serde_json::json!({"hair_lab": [30.0, 300.0, 0.0]}));
    assert_eq!(p, "colours.hair_lab");
    assert!(m.contains("±128"), "{m}");
    let (c, p, _, _) = reject(|v| v["colours"] = serde_json::json!({"hair": [30.0, 3.0, 2.0]}));
    assert_eq!((c, p.as_str()), (FaultClass::Syntax, "colours.hair"));
}

/// Issue 14: limits that keep one request from tying up the machine, each naming the
/// field (a 50 000-point polygon once took 16 s to check).
#[test]
fn huge_outlines_region_counts_and_impression_totals_are_refused_by_name() {
    // A circle of 10 001 points, 40 mm across.
    let circle = |n: usize| -> serde_json::Value {
        (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                serde_json::json!([20.0 * a.cos(), 150.0 + 20.0 * a.sin()])
            })
            .collect()
    };
    let mut far = base();
    far["regions"][0]["polygon"] = circle(50_000);
    assert!(smp_design::limits::check_sizes(&far).is_err(), "refused before parsing");
    assert!(smp_design::limits::check_sizes(&base()).is_ok());
    let (_, p, m, h) = reject(|v| v["regions"][0]["polygon"] = circle(50_000));
    assert_eq!(p, "regions[0].polygon");
    assert!(m.contains("50000 points") && m.contains("at most 10000"), "{m}");
    assert!(h.contains("simplify"));
    let mut ok = base();
    ok["regions"][0]["polygon"] = circle(10_000);
    Design::parse(&ok.to_string()).expect("10 000 points are accepted");

    let (_, p, m, _) = reject(|v| {
        let one = v["regions"][0].clone();
        v["regions"] = (0..201)
            .map(|i| {
                let mut r = one.clone();
                r["name"] = format!("r{i}").into();
                r
            })
            .collect();
    });
    assert_eq!(p, "regions");
    assert!(m.contains("201 regions") && m.contains("at most 200"), "{m}");

    // 400 × 400 mm at 200 per cm² asks for 320 000 per region; two ask for 640 000.
    let (_, p, m, h) = reject(|v| {
        let square = serde_json::json!([[-200.0, -50.0], [200.0, -50.0], [200.0, 350.0], [-200.0, 350.0]]);
        for k in 0..2 {
            v["regions"][k]["polygon"] = square.clone();
            v["regions"][k]["density_per_cm2"] = 200.0.into();
            v["regions"][k]["kind"] = "treat".into();
        }
    });
    assert_eq!(p, "regions");
    assert!(m.contains("impressions") && m.contains("at most 500000"), "{m}");
    assert!(h.contains("30 000–50 000"));

    let (_, p, m, _) = reject(|v| v["hairline"]["points"] = circle(10_001));
    assert_eq!(p, "hairline.points");
    assert!(m.contains("at most 10000"), "{m}");
}

/// Issue 15: a file that can't be read is said in plain words, with no "$:" field path
/// and no operating-system error code.
#[test]
fn unreadable_files_are_said_in_plain_words() {
    let missing = std::env::temp_dir().join("smp-no-such-design.json");
    let e = smp_design::Design::load(&missing).unwrap_err().to_string();
    assert!(e.contains("there is no such file") && e.contains("check the file name"), "{e}");
    assert!(!e.starts_with("$") && !e.contains("os error"), "{e}");
    let folder = smp_design::Design::load(&std::env::temp_dir()).unwrap_err().to_string();
    assert!(folder.contains("it is a folder"), "{folder}");
}
