//! Size limits of a design: far above any real scalp's needs, low enough that no design
//! can tie up the machine (a 50 000-point polygon once took 16 s to check, and the
//! work ran on after the client left).

/// Most corners a region outline or a hairline may have: a hand-drawn outline has tens
/// to hundreds; a fitted one a few hundred.
pub const MAX_POLYGON_POINTS: usize = 10_000;

/// Most regions a design may have: a whole head with every scar and exclusion is a few
/// dozen.
pub const MAX_REGIONS: usize = 200;

/// Most impressions a design may ask for (area × density over its dotted regions): a
/// full head is 30 000–50 000 (domain.md), ten times that is still far below this.
pub const MAX_IMPRESSIONS: f64 = 500_000.0;

/// The problem of an outline (`what`: "outline" or "hairline") of `n` points, over [`MAX_POLYGON_POINTS`]: message and hint.
pub fn too_many_points(what: &str, n: usize) -> (String, &'static str) {
    (
        format!("the {what} has {n} points; at most {MAX_POLYGON_POINTS} are accepted"),
        if what == "hairline" {
            "simplify the hairline (fewer points keep the same shape)"
        } else {
            "simplify the outline (fewer corners keep the same shape)"
        },
    )
}

/// The problem of a design of `n` regions, over [`MAX_REGIONS`]: message and hint.
pub fn too_many_regions(n: usize) -> (String, &'static str) {
    (
        format!("the design has {n} regions; at most {MAX_REGIONS} are accepted"),
        "merge neighbouring regions with the same settings",
    )
}

/// The size limits checked on a design's JSON before it is parsed: a request far over
/// them is refused without the work of reading every point. The same problems, in the
/// same words, as the full check gives.
pub fn check_sizes(design: &serde_json::Value) -> Result<(), crate::DesignError> {
    use crate::error::{FaultClass, FieldError};
    let mut errors = Vec::new();
    let mut push = |path: String, (message, hint): (String, &str)| {
        errors.push(FieldError {
            class: FaultClass::Invalid,
            path,
            message,
            hint: hint.to_string(),
        })
    };
    if let Some(regions) = design.get("regions").and_then(|r| r.as_array()) {
        if regions.len() > MAX_REGIONS {
            push("regions".into(), too_many_regions(regions.len()));
        } else {
            for (i, r) in regions.iter().enumerate() {
                if let Some(n) = r.get("polygon").and_then(|p| p.as_array()).map(Vec::len)
                    && n > MAX_POLYGON_POINTS
                {
                    push(format!("regions[{i}].polygon"), too_many_points("outline", n));
                }
            }
        }
    }
    if let Some(n) = design.pointer("/hairline/points").and_then(|p| p.as_array()).map(Vec::len)
        && n > MAX_POLYGON_POINTS
    {
        push("hairline.points".into(), too_many_points("hairline", n));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::DesignError { errors })
    }
}
