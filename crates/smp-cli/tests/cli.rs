//! The `smp` binary end to end: templates, checks, exports, paths and error handling.

mod common;

use common::{smp, stderr, tmp};

use std::path::{Path, PathBuf};
use std::process::Output;

fn write_template(dir: &Path, pattern: &str) -> PathBuf {
    let p = dir.join(format!("{pattern}.json"));
    let o = smp(&["design", "template", "--pattern", pattern, "-o", p.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    p
}

#[test]
fn template_check_and_stats_json() {
    let dir = tmp("stats");
    let d = write_template(&dir, "norwood-3");
    let o = smp(&["design", "check", d.to_str().unwrap(), "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["warnings"].as_array().unwrap().len(), 0);

    let o = smp(&["impressions", d.to_str().unwrap(), "--stats", "--json", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let count = s["count"].as_u64().unwrap();
    assert!(count > 1000);
    assert!(s["rho"].as_f64().unwrap() >= 0.70);
    assert!(s["min_spacing_mm"].as_f64().unwrap() > 0.0);
    let regions = s["regions"].as_array().unwrap();
    assert_eq!(regions[0]["name"], "front");
    for key in ["kind", "area_cm2", "target_density_per_cm2", "count"] {
        assert!(regions[0].get(key).is_some(), "{key}");
    }
    let sessions = s["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    assert_eq!(sessions[2]["cumulative_fraction"].as_f64().unwrap(), 1.0);
    let sum: u64 = sessions.iter().map(|x| x["count"].as_u64().unwrap()).sum();
    assert_eq!(sum, count);
}

#[test]
fn exports_csv_json_svg_and_session_selection() {
    let dir = tmp("exports");
    let d = write_template(&dir, "fut-scar");
    let ds = d.to_str().unwrap();
    let all = smp(&["impressions", ds, "-q"]);
    assert!(all.status.success());
    let csv = String::from_utf8(all.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), "x_mm,y_mm,diameter_mm,shade,session,unit,region");
    let rows: Vec<&str> = lines.collect();
    let s1 = smp(&["impressions", ds, "--session", "1", "-q"]);
    let upto2 = smp(&["impressions", ds, "--upto", "2", "-q"]);
    let n = |o: &Output| String::from_utf8_lossy(&o.stdout).lines().count() - 1;
    assert!(n(&s1) < n(&upto2) && n(&upto2) < rows.len());
    assert!(
        String::from_utf8_lossy(&s1.stdout)
            .lines()
            .skip(1)
            .all(|l| l.split(',').nth(4) == Some("1"))
    );

    let json_path = dir.join("dots.json");
    assert!(smp(&["impressions", ds, "-q", "-o", json_path.to_str().unwrap()]).status.success());
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(v["format"], "smp-impressions");
    assert_eq!(v["count"].as_u64().unwrap() as usize, rows.len());
    assert!(v["impressions"][0]["region"].is_string());

    let svg_path = dir.join("stencil.svg");
    assert!(
        smp(&["impressions", ds, "--session", "2", "-q", "-o", svg_path.to_str().unwrap()])
            .status
            .success()
    );
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("mm\" height=") && svg.contains("10 mm"));
    assert_eq!(
        svg.matches("<circle").count(),
        n(&smp(&["impressions", ds, "--session", "2", "-q"]))
    );
}

#[test]
fn path_writes_gcode_and_csv() {
    let dir = tmp("path");
    let d = write_template(&dir, "fue-scars");
    let g = dir.join("s1.gcode");
    let o = smp(&["path", d.to_str().unwrap(), "--session", "1", "-o", g.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("spanning-tree bound"));
    let text = std::fs::read_to_string(&g).unwrap();
    assert!(text.contains("G21") && text.contains("G90") && text.trim_end().ends_with("M2"));
    let moves = text.lines().filter(|l| l.starts_with("G0 X")).count();
    let c = dir.join("s1.csv");
    assert!(
        smp(&["path", d.to_str().unwrap(), "--session", "1", "-q", "-o", c.to_str().unwrap()])
            .status
            .success()
    );
    let csv = std::fs::read_to_string(&c).unwrap();
    assert!(csv.starts_with("order,x_mm,y_mm,diameter_mm,shade,session,unit,region,travel_mm"));
    assert_eq!(csv.lines().count() - 1, moves);
}

#[test]
fn bad_input_exits_2_and_loses_nothing() {
    let dir = tmp("bad");
    let d = write_template(&dir, "norwood-2");
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&d).unwrap()).unwrap();
    v["regions"][0]["density_per_cm2"] = 500.into();
    let bad = dir.join("bad.json");
    let bad_text = serde_json::to_string_pretty(&v).unwrap();
    std::fs::write(&bad, &bad_text).unwrap();
    let out = dir.join("existing.csv");
    std::fs::write(&out, "keep me").unwrap();
    let o = smp(&["impressions", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.starts_with("error: regions[0].density_per_cm2:"), "{err}");
    assert!(err.contains("fix:"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me", "existing output untouched");
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), bad_text, "design never rewritten");

    let o = smp(&["design", "check", bad.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["valid"], false);
    assert_eq!(j["errors"][0]["path"], "regions[0].density_per_cm2");

    let o = smp(&["impressions", d.to_str().unwrap(), "--session", "4"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("sessions 1 to 3"));
    let o = smp(&["impressions", d.to_str().unwrap(), "--session", "1", "--upto", "2"]);
    assert_eq!(o.status.code(), Some(2));
    let o = smp(&["design", "template", "--pattern", "norwood-9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown pattern"));
    let o = smp(&["impressions", dir.join("missing.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot read"));
    let o = smp(&[
        "path",
        d.to_str().unwrap(),
        "--session",
        "1",
        "-o",
        dir.join("x.txt").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::write(dir.join("garbage.json"), [0xff, 0xfe, 0x00, 0x12]).unwrap();
    let o = smp(&["design", "check", dir.join("garbage.json").to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
}

#[test]
fn help_has_examples_everywhere() {
    for args in [
        vec!["--help"],
        vec!["design", "template", "--help"],
        vec!["design", "check", "--help"],
        vec!["impressions", "--help"],
        vec!["path", "--help"],
    ] {
        let o = smp(&args);
        assert!(o.status.success());
        assert!(String::from_utf8_lossy(&o.stdout).contains("Examples:"), "{args:?}");
    }
}
