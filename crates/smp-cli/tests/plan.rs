//! `smp plan` and `smp removal` end to end: JSON keys, time/impression consistency, the
//! schedule and its ICS file, the quote, the Kirby-Desai estimate and bad input.

mod common;

use common::{smp, stderr, tmp};

use std::path::{Path, PathBuf};

fn write_template(dir: &Path, pattern: &str) -> PathBuf {
    let p = dir.join(format!("{pattern}.json"));
    let o = smp(&["design", "template", "--pattern", pattern, "-o", p.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    p
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = smp(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn plan_json_matches_the_impressions_and_schedules_sessions() {
    let dir = tmp("plan-json");
    let d = write_template(&dir, "norwood-5");
    let ds = d.to_str().unwrap();
    let ics = dir.join("s.ics");
    let v = json(&[
        "plan",
        ds,
        "--start",
        "2026-03-02",
        "--spacing-days",
        "14",
        "--ics",
        ics.to_str().unwrap(),
        "--json",
        "-q",
    ]);
    for key in ["area_cm2", "impressions", "sessions", "cost", "touch_up_years"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let stats = json(&["impressions", ds, "--stats", "--json", "-q"]);
    assert_eq!(v["impressions"], stats["count"]);
    let area: f64 = stats["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["area_cm2"].as_f64().unwrap())
        .sum();
    assert!((v["area_cm2"].as_f64().unwrap() - area).abs() < 0.05);
    let sessions = v["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    let dates = ["2026-03-02", "2026-03-16", "2026-03-30"];
    let mut sum = 0;
    for (i, s) in sessions.iter().enumerate() {
        for key in ["session", "impressions", "minutes_min", "minutes_max", "date"] {
            assert!(s.get(key).is_some(), "{key}");
        }
        let n = s["impressions"].as_u64().unwrap();
        assert_eq!(n, stats["sessions"][i]["count"].as_u64().unwrap());
        sum += n;
        // Default rate 60/min with its derived range 40–80: minutes = impressions / rate.
        assert!((s["minutes_min"].as_f64().unwrap() - n as f64 / 80.0).abs() <= 0.05);
        assert!((s["minutes_max"].as_f64().unwrap() - n as f64 / 40.0).abs() <= 0.05);
        assert_eq!(s["date"], dates[i]);
    }
    assert_eq!(sum, v["impressions"].as_u64().unwrap());
    assert_eq!(v["touch_up_years"], serde_json::json!([3, 5]));
    let cost = &v["cost"];
    assert_eq!(cost["currency"], "GBP");
    let (lo, hi) = (cost["min"].as_f64().unwrap(), cost["max"].as_f64().unwrap());
    assert!(1500.0 <= lo && lo < hi && hi <= 3500.0, "{lo}–{hi}");
    assert!(cost["breakdown"].as_array().unwrap().len() >= 3);

    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF line endings only");
    assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 5, "3 sessions + 2 touch-up reminders");
    for date in ["20260302", "20260316", "20260330", "20290330", "20310330"] {
        assert!(text.contains(&format!("DTSTART;VALUE=DATE:{date}\r\n")), "{date}");
    }
}

#[test]
fn plan_rate_prices_and_human_output() {
    let dir = tmp("plan-prices");
    let d = write_template(&dir, "norwood-3");
    let ds = d.to_str().unwrap();
    let prices = dir.join("prices.json");
    std::fs::write(
        &prices,
        r#"{"name":"test","currency":"EUR","basis":"session","price":{"min":400,"max":400},
           "experience":{"tier":"senior","multiplier":1.25},"location":{"name":"city","factor":1.2},
           "touch_up":{"min":200,"max":300}}"#,
    )
    .unwrap();
    let v = json(&["plan", ds, "--prices", prices.to_str().unwrap(), "--rate", "30", "--json", "-q"]);
    assert_eq!(v["cost"]["currency"], "EUR");
    assert_eq!(v["cost"]["min"].as_f64().unwrap(), 3.0 * 400.0 * 1.25 * 1.2);
    let s = &v["sessions"][0];
    let n = s["impressions"].as_f64().unwrap();
    assert!(
        (s["minutes_max"].as_f64().unwrap() - n / 20.0).abs() <= 0.05,
        "rate 30 spans 20–40/min"
    );
    assert!(s["date"].is_null(), "no --start, no date");

    let o = smp(&["plan", ds, "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    for want in [
        "cm² treated",
        "session",
        "quote: £",
        "what drives it",
        "extent",
        "experience",
        "location",
        "touch-ups every 3–5 years",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
}

#[test]
fn plan_bad_input_exits_2_with_a_clear_message() {
    let dir = tmp("plan-bad");
    let d = write_template(&dir, "norwood-2");
    let ds = d.to_str().unwrap();
    let bad_prices = dir.join("bad.json");
    std::fs::write(&bad_prices, r#"{"currency":"GBP"}"#).unwrap();
    let ics = dir.join("x.ics");
    let cases: [(&[&str], &str); 5] = [
        (&["plan", ds, "--spacing-days", "40"], "7–30 days"),
        (&["plan", ds, "--start", "2026-02-30"], "not a calendar date"),
        (&["plan", ds, "--ics", ics.to_str().unwrap()], "--start"),
        (&["plan", ds, "--rate", "0"], "needle rate"),
        (&["plan", ds, "--prices", bad_prices.to_str().unwrap()], "price list"),
    ];
    for (args, want) in cases {
        let o = smp(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
    }
    assert!(!ics.exists());
}

#[test]
fn removal_kirby_desai_json_and_bad_values() {
    let base = [
        "removal",
        "--fitzpatrick",
        "2",
        "--location",
        "head-neck",
        "--colors",
        "black",
        "--amount",
        "minimal",
    ];
    let mut args = base.to_vec();
    args.extend(["--scarring", "none", "--layering", "none", "--json"]);
    let v = json(&args);
    assert_eq!(v["kirby_desai_score"], 6);
    assert_eq!(v["sessions_min"], 3);
    assert_eq!(v["sessions_max"], 9);
    let note = v["smp_note"].as_str().unwrap();
    assert!(note.contains("1–3 sessions") && note.contains("layering"), "{note}");

    let v = json(&[
        "removal",
        "--fitzpatrick",
        "6",
        "--location",
        "distal-extremity",
        "--colors",
        "multi",
        "--amount",
        "significant",
        "--scarring",
        "significant",
        "--layering",
        "yes",
        "--json",
    ]);
    assert_eq!(
        (
            v["kirby_desai_score"].as_u64(),
            v["sessions_min"].as_u64(),
            v["sessions_max"].as_u64()
        ),
        (Some(26), Some(23), Some(29))
    );

    let o = smp(&[
        "removal",
        "--fitzpatrick",
        "1",
        "--location",
        "head-neck",
        "--colors",
        "black",
        "--amount",
        "amateur",
        "--scarring",
        "none",
        "--layering",
        "none",
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("Kirby-Desai score 4"));

    for (flag, bad) in [("--fitzpatrick", "7"), ("--location", "scalp"), ("--layering", "maybe")] {
        let mut a: Vec<&str> = vec![
            "removal",
            "--fitzpatrick",
            "2",
            "--location",
            "head-neck",
            "--colors",
            "black",
            "--amount",
            "minimal",
            "--scarring",
            "none",
            "--layering",
            "none",
        ];
        let i = a.iter().position(|x| *x == flag).unwrap();
        a[i + 1] = bad;
        let o = smp(&a);
        assert_eq!(o.status.code(), Some(2), "{flag} {bad}");
        assert!(stderr(&o).contains(bad), "{}", stderr(&o));
    }
}
