//! `smp report`: writes a PDF for a synthetic head; bad input exits 2 and writes nothing.

mod common;

use common::{smp, stderr, tmp};

#[test]
fn report_writes_a_pdf_and_refuses_bad_input() {
    let dir = tmp("report");
    let (head, design) = (dir.join("head.png"), dir.join("head.json"));
    let o = smp(&[
        "synth",
        "--pattern",
        "norwood-3",
        "--view",
        "top",
        "--width",
        "300",
        "--seed",
        "3",
        "-o",
        head.to_str().unwrap(),
        "--design",
        design.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = dir.join("report.pdf");
    let d = design.to_str().unwrap();
    let o = smp(&[
        "report",
        d,
        "--view",
        "top",
        "--client",
        "A *B*",
        "--start",
        "2026-03-02",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("laying out the PDF"), "progress on stderr: {}", stderr(&o));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

    let bad = dir.join("bad.pdf");
    for (args, why) in [
        (vec!["--view", "side"], "no view"),
        (vec!["--view", "top", "--fitzpatrick", "9"], "9"),
        (vec!["--view", "top", "--skin", "120,0,0"], "L*"),
        (vec!["--view", "top", "--spacing-days", "3"], "spacing"),
    ] {
        let mut all = vec!["report", d];
        all.extend(args);
        all.extend(["-o", bad.to_str().unwrap()]);
        let o = smp(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(why), "{all:?}: {}", stderr(&o));
        assert!(!bad.exists(), "{all:?} wrote a file");
    }
}

/// Issue 16: an earlier visit's photo goes beside this one, lined up by the head's
/// calibration when the design calibrates it, else only scaled; a missing one exits 2.
#[test]
fn report_puts_an_earlier_visit_beside_this_one() {
    let dir = tmp("report-earlier");
    let (head, design) = (dir.join("head.png"), dir.join("head.json"));
    let o = smp(&[
        "synth",
        "--pattern",
        "norwood-5",
        "--view",
        "top",
        "--width",
        "300",
        "--seed",
        "4",
        "-o",
        head.to_str().unwrap(),
        "--design",
        design.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (d, pdf) = (design.to_str().unwrap(), dir.join("report.pdf"));
    let run = |extra: &[&str]| {
        let mut all = vec!["report", d, "--view", "top", "-o", pdf.to_str().unwrap()];
        all.extend(extra);
        smp(&all)
    };
    let o = run(&["--earlier-view", "top", "--earlier-date", "2026-03-02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Lined up by the head's calibration"), "{}", stderr(&o));
    let o = run(&["--earlier-photo", head.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("only scaled"), "{}", stderr(&o));
    let _ = std::fs::remove_file(&pdf);
    let missing = dir.join("missing.jpg");
    // A file that cannot be read is an I/O failure (exit 1), as for every photo; a wrong
    // view or date is bad input (exit 2).
    for (extra, code, why) in [
        (vec!["--earlier-photo", missing.to_str().unwrap()], 1, "missing.jpg"),
        (vec!["--earlier-view", "side"], 2, "no view"),
        (vec!["--earlier-view", "top", "--earlier-date", "2026-13-01"], 2, "2026-13-01"),
    ] {
        let o = run(&extra);
        assert_eq!(o.status.code(), Some(code), "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(why), "{extra:?}: {}", stderr(&o));
        assert!(!pdf.exists(), "{extra:?} wrote a file");
    }
}
