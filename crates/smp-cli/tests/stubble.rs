//! `smp stubble` on close-ups drawn by `smp synth --closeup`, whose true density is known.

mod common;
use common::{smp, stderr, tmp};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn stubble_density_matches_a_synthetic_closeup_within_ten_percent() {
    let dir = tmp("stubble");
    for (skin, hair, seed) in [("2", "1", "3"), ("4", "3", "8")] {
        let img = dir.join(format!("closeup-{seed}.png"));
        let img = img.to_str().unwrap();
        let truth = json(&smp(&[
            "synth",
            "--pattern",
            "norwood-1",
            "--skin",
            skin,
            "--hair-level",
            hair,
            "--seed",
            seed,
            "--closeup",
            "30",
            "--width",
            "600",
            "-o",
            img,
            "--json",
            "-q",
        ]));
        let found = json(&smp(&["stubble", "--photo", img, "--px-per-mm", "30", "--json", "-q"]));
        let (t, f) = (
            truth["stubble_density_per_cm2"].as_f64().unwrap(),
            found["density_per_cm2"].as_f64().unwrap(),
        );
        assert!((f / t - 1.0).abs() <= 0.10, "skin {skin} hair {hair}: found {f}/cm², true {t}/cm²");
        assert!((found["area_cm2"].as_f64().unwrap() - 4.0).abs() < 1e-6);
        assert!(found["count"].as_u64().unwrap() > 0);
        let d = found["mean_diameter_mm"].as_f64().unwrap();
        assert!((0.05..=0.15).contains(&d), "{d}");
        assert_eq!(found["tip_lab"].as_array().unwrap().len(), 3);
        assert_eq!(found["skin_lab"].as_array().unwrap().len(), 3);
        assert!(found["warnings"].as_array().unwrap().is_empty(), "{found}");
    }
}

#[test]
fn stubble_bad_input_exits_2_with_a_clear_message() {
    let dir = tmp("stubble-bad");
    let img = dir.join("c.png");
    let img = img.to_str().unwrap();
    let o = smp(&[
        "synth",
        "--pattern",
        "norwood-1",
        "--closeup",
        "30",
        "--width",
        "200",
        "-o",
        img,
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (args, needle) in [
        (vec!["--region", "150,0,100,100"], "outside"),
        (vec!["--region", "1,2,3"], "x,y,w,h"),
        (vec!["--px-per-mm", "0"], "positive"),
    ] {
        let mut a = vec!["stubble", "--photo", img];
        if !args.contains(&"--px-per-mm") {
            a.extend(["--px-per-mm", "30"]);
        }
        a.extend(args);
        let o = smp(&a);
        assert_eq!(o.status.code(), Some(2), "{a:?}");
        assert!(stderr(&o).contains(needle), "{a:?}: {}", stderr(&o));
    }
    let o = smp(&["stubble", "--photo", "/no/such/closeup.png", "--px-per-mm", "30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read"), "{}", stderr(&o));
    let o = smp(&[
        "synth",
        "--pattern",
        "norwood-1",
        "--closeup",
        "30",
        "-o",
        img,
        "--design",
        "d.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--closeup"), "{}", stderr(&o));
}
