//! Design lint: clinically questionable choices that are valid but likely regretted.
//! Each warning has a stable code (for `--json` and the editor), a message and a hint.

use serde::Serialize;

use crate::constants::*;
use crate::model::{Design, Hairline};

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Stable identifier, e.g. `hard-hairline`.
    pub code: &'static str,
    /// Field path the warning is about.
    pub path: String,
    /// What looks wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

fn warn(out: &mut Vec<Warning>, code: &'static str, path: String, message: String, hint: &str) {
    out.push(Warning {
        code,
        path,
        message,
        hint: hint.into(),
    });
}

/// Height of the mid-frontal hairline point above the glabella, mm: the curve's y at the
/// glabella's x (interpolated), minus the glabella's y.
pub fn hairline_height_mm(design: &Design) -> Option<f64> {
    let (h, g) = (design.hairline()?, design.glabella()?);
    let pts = &h.points;
    let y = pts.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        (a.x <= g.x && g.x <= b.x && a.x < b.x).then(|| a.y + (g.x - a.x) / (b.x - a.x) * (b.y - a.y))
    })?;
    Some(y - g.y)
}

/// All lint warnings of a design, in a stable order.
pub fn lint(design: &Design) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(h) = design.hairline() {
        lint_hairline_height(design, &mut out);
        lint_hairline_edge(h, &mut out);
    }
    lint_regions(design, &mut out);
    if design.sessions().count() == 1 {
        warn(
            &mut out,
            "single-session",
            "sessions.cumulative".into(),
            "all dots in one session: too dark is hard to undo".into(),
            "layer over 3 sessions, e.g. [0.3, 0.7, 1.0] (Liu et al. 2025)",
        );
    }
    out
}

/// The hairline's height above the glabella: checkable, and natural.
fn lint_hairline_height(design: &Design, out: &mut Vec<Warning>) {
    match (design.glabella(), hairline_height_mm(design)) {
        (None, _) => warn(
            out,
            "no-glabella",
            "landmarks.glabella".into(),
            "the hairline height cannot be checked without the glabella landmark".into(),
            "mark the glabella (between the eyebrows) on the front photo",
        ),
        (Some(_), None) => warn(
            out,
            "hairline-off-centre",
            "hairline.points".into(),
            "the hairline does not pass above the glabella".into(),
            "draw the hairline from temple to temple across the midline",
        ),
        (Some(_), Some(height)) if height < HAIRLINE_MIN_ABOVE_GLABELLA_MM => warn(
            out,
            "hairline-too-low",
            "hairline.points".into(),
            format!(
                "the mid-frontal hairline is {height:.0} mm above the glabella, below the natural {HAIRLINE_MIN_ABOVE_GLABELLA_MM:.0}–{HAIRLINE_MAX_ABOVE_GLABELLA_MM:.0} mm (Garg & Garg 2017)"
            ),
            "raise the hairline: a low hairline looks unnatural and ages badly",
        ),
        (Some(_), Some(height)) if height > HAIRLINE_MAX_ABOVE_GLABELLA_MM => warn(
            out,
            "hairline-too-high",
            "hairline.points".into(),
            format!(
                "the mid-frontal hairline is {height:.0} mm above the glabella, above the natural {HAIRLINE_MIN_ABOVE_GLABELLA_MM:.0}–{HAIRLINE_MAX_ABOVE_GLABELLA_MM:.0} mm (Garg & Garg 2017)"
            ),
            "lower the hairline unless a mature, receded look is wanted",
        ),
        _ => {}
    }
}

/// The hairline's edge: soft and irregular enough to look natural.
fn lint_hairline_edge(h: &Hairline, out: &mut Vec<Warning>) {
    if h.feather.0 < MIN_SOFT_FEATHER_MM {
        warn(
            out,
            "hard-hairline",
            "hairline.feather_mm".into(),
            format!("a {:.1} mm feather gives a hard edge (natural transition 5–10 mm)", h.feather.0),
            "widen the feather to 5–10 mm to avoid the 'helmet' look",
        );
    }
    if h.irregularity < MIN_IRREGULARITY {
        warn(
            out,
            "regular-hairline",
            "hairline.irregularity".into(),
            format!("irregularity {:.2} leaves a visibly regular edge", h.irregularity),
            "raise irregularity to 0.4–0.7 for natural micro and macro irregularities",
        );
    }
}

/// The dots of each region that lays them: follicle-sized, and not so dense they merge.
fn lint_regions(design: &Design, out: &mut Vec<Warning>) {
    for (i, r) in design.regions().iter().enumerate().filter(|(_, r)| r.has_dots()) {
        if r.dot_diameter.0 > MAX_NATURAL_DOT_MM {
            warn(
                out,
                "large-dots",
                format!("regions[{i}].dot_diameter_mm"),
                format!("{}: {:.2} mm dots heal larger than follicles", r.name, r.dot_diameter.0),
                "use a 0.20–0.30 mm needle (1RL for the hairline, 3RL for filling)",
            );
        }
        if r.density.0 > BLOWOUT_DENSITY_PER_CM2 {
            warn(
                out,
                "blowout-risk",
                format!("regions[{i}].density_per_cm2"),
                format!("{}: {:.0} impressions/cm² risks dots merging as they heal", r.name, r.density.0),
                "stay at or below 120/cm² (natural scalp has 60–100 follicular units/cm²)",
            );
        }
    }
}
