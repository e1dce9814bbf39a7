//! The printed card found back: `card_pdf` rasterised by poppler's pdftoppm (as a
//! printer or a screen would draw it) at 150, 300 and 600 dpi, then detected.

use std::process::Command;

use smp_photo::card::layout::PATCHES;
use smp_photo::card::{CardCorrection, find_card};
use smp_report::card::{Paper, card_pdf};

/// pdftoppm, which CI installs (poppler-utils); outside CI its absence skips the test.
fn pdftoppm() -> Option<&'static str> {
    let found = Command::new("pdftoppm").arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftoppm is missing: apt-get install -y poppler-utils"
        );
        eprintln!("skipped: pdftoppm not installed (apt-get install -y poppler-utils)");
        return None;
    }
    Some("pdftoppm")
}

#[test]
fn the_printed_card_is_found_at_150_300_and_600_dpi() {
    let Some(tool) = pdftoppm() else { return };
    let dir = std::env::temp_dir().join(format!("smp-card-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for paper in [Paper::A4, Paper::A6] {
        let pdf = dir.join(format!("card-{}.pdf", paper.as_str()));
        std::fs::write(&pdf, card_pdf(paper)).unwrap();
        for dpi in [150u32, 300, 600] {
            let stem = dir.join(format!("card-{}-{dpi}", paper.as_str()));
            let out = Command::new(tool)
                .args(["-r", &dpi.to_string(), "-png", "-singlefile"])
                .arg(&pdf)
                .arg(&stem)
                .output()
                .unwrap();
            assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
            let page = image::open(stem.with_extension("png")).unwrap().to_rgb8();
            let card = find_card(&page).unwrap_or_else(|e| panic!("{paper:?} at {dpi} dpi: {e}"));
            let want = f64::from(dpi) / 25.4;
            assert!(
                (card.px_per_mm / want - 1.0).abs() < 0.01,
                "{paper:?} at {dpi} dpi: {:.3} px/mm, want {want:.3}",
                card.px_per_mm
            );
            // The card's top-left corner lies where the sheet puts it (centred, 12 mm down).
            let (w_mm, _) = paper.size_mm();
            let want_corner = ((w_mm - 85.0) / 2.0 * want, 12.0 * want);
            let got = card.corners_px[0];
            assert!(
                (got.0 - want_corner.0).hypot(got.1 - want_corner.1) < 0.5 * want,
                "{paper:?} at {dpi} dpi: corner at {got:?}, want {want_corner:?}"
            );
            // Rendered without a camera, the patches are the printed greys (white unclipped
            // only if below 254: the paper is pure white here, so it is left out).
            let usable = card.patches_linear.iter().flatten().count();
            assert!(usable >= 4, "{usable} usable patches");
            for (m, p) in card.patches_linear.iter().zip(&PATCHES) {
                if let Some(m) = m {
                    let want = smp_color::srgb::to_linear(p.grey);
                    assert!((m[1] - want).abs() < 0.02, "patch {} read {m:?}", p.grey);
                }
            }
            assert!(CardCorrection::fit(&card.patches_linear).is_some());
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
