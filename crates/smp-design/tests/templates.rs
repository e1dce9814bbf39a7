//! Golden tests of the pattern templates: each is valid, lint-clean, has the glabella and
//! a hairline at a clinically normal height, and matches its reference file byte for byte
//! (`UPDATE_GOLDEN=1 cargo test -p smp-design --test templates` rewrites the references).

use std::path::PathBuf;

use smp_design::constants::{HAIRLINE_MAX_ABOVE_GLABELLA_MM, HAIRLINE_MIN_ABOVE_GLABELLA_MM};
use smp_design::{Design, Pattern, RegionKind, lint};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/templates")
}

#[test]
fn templates_match_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    std::fs::create_dir_all(golden_dir()).unwrap();
    for pattern in Pattern::templates() {
        let json = pattern.template().unwrap().to_json();
        let path = golden_dir().join(format!("{pattern}.json"));
        if update {
            std::fs::write(&path, &json).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 once)", path.display()));
        assert_eq!(json, expected, "{pattern} template changed; review and UPDATE_GOLDEN=1");
        // The reference file itself parses back to the same design.
        assert_eq!(Design::parse(&expected).unwrap(), pattern.template().unwrap());
    }
}

#[test]
fn templates_are_clinically_sane() {
    for pattern in Pattern::templates() {
        let d = pattern.template().unwrap();
        let warnings = lint::lint(&d);
        assert!(warnings.is_empty(), "{pattern}: {warnings:?}");
        let h = lint::hairline_height_mm(&d).expect("hairline above glabella");
        assert!(
            (HAIRLINE_MIN_ABOVE_GLABELLA_MM..=HAIRLINE_MAX_ABOVE_GLABELLA_MM).contains(&h),
            "{pattern}: {h}"
        );
        let area: f64 = d.regions().iter().filter(|r| r.has_dots()).map(|r| r.polygon_area().0).sum();
        let expected = match pattern {
            Pattern::Norwood(2) => 10.0..60.0,
            Pattern::Norwood(3) => 40.0..100.0,
            Pattern::Norwood(4 | 5) => 90.0..250.0,
            Pattern::Norwood(6) => 200.0..350.0,
            Pattern::Norwood(_) => 350.0..650.0,
            Pattern::Ludwig(_) => 10.0..350.0,
            Pattern::FutScar | Pattern::FueScars => 20.0..200.0,
        };
        assert!(expected.contains(&area), "{pattern}: {area} cm² not in {expected:?}");
        if matches!(pattern, Pattern::Ludwig(_)) {
            assert!(
                d.regions().iter().all(|r| r.kind == RegionKind::Blend),
                "ludwig is diffuse thinning"
            );
        }
    }
}

#[test]
fn norwood_areas_grow_with_stage() {
    let area = |n| -> f64 {
        Pattern::Norwood(n)
            .template()
            .unwrap()
            .regions()
            .iter()
            .map(|r| r.polygon_area().0)
            .sum()
    };
    for n in 2..7 {
        assert!(area(n) < area(n + 1), "norwood-{n} vs {}", n + 1);
    }
}

#[test]
fn pattern_names_round_trip_and_reject_unknown() {
    for p in Pattern::templates() {
        assert_eq!(p.to_string().parse::<Pattern>().unwrap(), p);
    }
    assert_eq!("norwood-1".parse::<Pattern>().unwrap(), Pattern::Norwood(1));
    assert!(Pattern::Norwood(1).template().unwrap_err().contains("no hair loss"));
    for bad in ["norwood-8", "norwood-0", "ludwig-4", "nw3", "norwood-x"] {
        assert!(bad.parse::<Pattern>().unwrap_err().contains("unknown pattern"), "{bad}");
    }
}
