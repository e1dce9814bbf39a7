//! Starter designs for the common hair-loss patterns on a canonical adult head.
//!
//! The canonical head in design millimetres: glabella at the origin, the designed
//! hairline's mid-frontal point 80 mm behind it (Garg & Garg 2017), the vertex around
//! y = 200 and the crown whorl around y = 240, the occiput around y = 320.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::constants::*;
use crate::draft::*;
use crate::model::{Design, RegionKind, Shade};
use crate::units::{Mm, PerCm2, PointMm};

/// A hair-loss (or scar) pattern, named as everywhere in SMP Studio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// Hamilton–Norwood stage 1..=7 (1 = no loss).
    Norwood(u8),
    /// Ludwig grade 1..=3 (diffuse female thinning).
    Ludwig(u8),
    /// A linear strip scar from FUT harvesting.
    FutScar,
    /// Dot scars over the donor area from FUE harvesting.
    FueScars,
}

impl Pattern {
    /// Every pattern that has a design template (Norwood 1 has no loss to design for).
    pub fn templates() -> Vec<Pattern> {
        let mut v: Vec<Pattern> = (2..=7).map(Pattern::Norwood).collect();
        v.extend((1..=3).map(Pattern::Ludwig));
        v.extend([Pattern::FutScar, Pattern::FueScars]);
        v
    }

    /// The pattern's template design.
    pub fn template(self) -> Result<Design, String> {
        let regions = match self {
            Pattern::Norwood(1) => {
                return Err("norwood-1 has no hair loss to design for; pick norwood-2 or later".into());
            }
            Pattern::Norwood(n) => norwood_regions(n),
            Pattern::Ludwig(n) => ludwig_regions(n),
            Pattern::FutScar => fut_regions(),
            Pattern::FueScars => fue_regions(),
        };
        let draft = DesignDraft {
            format: FORMAT.into(),
            version: VERSION,
            name: format!("{self} template"),
            seed: 42,
            regions,
            hairline: Some(HairlineDraft {
                points: hairline_curve(),
                feather_mm: Mm(DEFAULT_FEATHER_MM),
                irregularity: 0.5,
            }),
            sessions: Some(SessionsDraft {
                cumulative: DEFAULT_CUMULATIVE.to_vec(),
            }),
            clusters: None,
            landmarks: BTreeMap::from([("glabella".to_string(), PointMm::new(0.0, 0.0))]),
            views: Vec::new(),
            colours: Default::default(),
        };
        Design::from_draft(draft).map_err(|e| format!("template {self} is invalid: {e}"))
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Norwood(n) => write!(f, "norwood-{n}"),
            Pattern::Ludwig(n) => write!(f, "ludwig-{n}"),
            Pattern::FutScar => f.write_str("fut-scar"),
            Pattern::FueScars => f.write_str("fue-scars"),
        }
    }
}

impl FromStr for Pattern {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("unknown pattern {s:?}; use norwood-1 … norwood-7, ludwig-1 … ludwig-3, fut-scar or fue-scars");
        if let Some(n) = s.strip_prefix("norwood-") {
            let n: u8 = n.parse().map_err(|_| bad())?;
            return (1..=7).contains(&n).then_some(Pattern::Norwood(n)).ok_or_else(bad);
        }
        if let Some(n) = s.strip_prefix("ludwig-") {
            let n: u8 = n.parse().map_err(|_| bad())?;
            return (1..=3).contains(&n).then_some(Pattern::Ludwig(n)).ok_or_else(bad);
        }
        match s {
            "fut-scar" => Ok(Pattern::FutScar),
            "fue-scars" => Ok(Pattern::FueScars),
            _ => Err(bad()),
        }
    }
}

/// Round to 0.1 mm so template files stay readable and identical across platforms.
fn p(x: f64, y: f64) -> PointMm {
    PointMm::new((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0)
}

/// Half of the designed hairline, midline to the right temple, as (x, y) control points:
/// a gentle frontal curve, the fronto-temporal angle, then back along the temple.
pub const HAIRLINE_HALF: [(f64, f64); 8] = [
    (0.0, 80.0),
    (12.0, 80.6),
    (24.0, 82.4),
    (34.0, 85.6),
    (42.0, 90.0),
    (48.0, 96.5),
    (54.0, 106.0),
    (60.0, 118.0),
];

/// The canonical adult hairline, left temple to right, glabella at the origin: the
/// templates' hairline, and where forehead skin ends on a design that draws none.
pub fn natural_hairline() -> Vec<PointMm> {
    hairline_curve()
}

fn hairline_curve() -> Vec<PointMm> {
    let left = HAIRLINE_HALF.iter().rev().map(|&(x, y)| p(-x, y));
    let right = HAIRLINE_HALF.iter().skip(1).map(|&(x, y)| p(x, y));
    left.chain(right).collect()
}

/// The hairline moved by `dy` (negative: towards the forehead), left to right.
fn hairline_shifted(dy: f64) -> Vec<PointMm> {
    hairline_curve().into_iter().map(|q| p(q.x, q.y + dy)).collect()
}

/// Points on an elliptical arc around `(cx, cy)` from angle `a0` to `a1` (degrees,
/// 0 = +x, 90 = +y, towards the back), `n` steps inclusive.
fn arc(cx: f64, cy: f64, rx: f64, ry: f64, a0: f64, a1: f64, n: usize) -> Vec<PointMm> {
    (0..=n)
        .map(|i| {
            let a = (a0 + (a1 - a0) * i as f64 / n as f64).to_radians();
            p(cx + rx * a.cos(), cy + ry * a.sin())
        })
        .collect()
}

fn region(name: &str, kind: RegionKind, polygon: Vec<PointMm>, density: f64, dot: f64, shade: f64) -> RegionDraft {
    RegionDraft::new(name, kind, polygon, PerCm2(density), Mm(dot), Shade(shade))
}

/// The frontal area from 4 mm in front of the hairline (so the hairline, not the polygon,
/// shapes the soft front edge) to a straight back edge at `back_y`, out to the temples.
fn frontal(back_y: f64, half_width: f64) -> Vec<PointMm> {
    let mut poly = hairline_shifted(-4.0);
    let right = *poly.last().expect("hairline has points");
    let left = poly[0];
    poly.push(p(half_width.max(right.x), back_y.max(right.y + 4.0)));
    poly.push(p(-half_width.max(-left.x), back_y.max(left.y + 4.0)));
    poly
}

fn crown(cy: f64, rx: f64, ry: f64) -> Vec<PointMm> {
    arc(0.0, cy, rx, ry, 0.0, 360.0, 40).into_iter().take(40).collect()
}

/// Frontal area to `back_y`, a blended bridge of half-width `mid_w` back to `mid_y`, and
/// a crown ellipse.
fn front_mid_crown((back_y, half_width): (f64, f64), (mid_w, mid_y): (f64, f64), (cy, rx, ry): (f64, f64, f64)) -> Vec<RegionDraft> {
    use RegionKind::*;
    let (d, dot) = (DEFAULT_DENSITY_PER_CM2, DEFAULT_DOT_DIAMETER_MM);
    let mid = vec![p(-mid_w, back_y), p(mid_w, back_y), p(mid_w, mid_y), p(-mid_w, mid_y)];
    vec![
        region("front", Treat, frontal(back_y, half_width), d, dot, 0.8),
        region("mid", Blend, mid, 60.0, 0.2, 0.7),
        region("crown", Treat, crown(cy, rx, ry), d, dot, 0.8),
    ]
}

fn norwood_regions(n: u8) -> Vec<RegionDraft> {
    use RegionKind::*;
    let d = DEFAULT_DENSITY_PER_CM2;
    let dot = DEFAULT_DOT_DIAMETER_MM;
    match n {
        2 => vec![region("hairline", Treat, frontal(112.0, 60.0), d, dot, 0.8)],
        3 => vec![region("front", Treat, frontal(130.0, 62.0), d, dot, 0.8)],
        // Norwood 4 and 5: front and crown, with a thinning bridge between them blended.
        4 => front_mid_crown((140.0, 62.0), (35.0, 205.0), (240.0, 42.0, 36.0)),
        5 => front_mid_crown((165.0, 64.0), (25.0, 200.0), (242.0, 52.0, 46.0)),
        6 => {
            let mut crown = vec![p(-66.0, 205.0), p(66.0, 205.0)];
            crown.extend(arc(0.0, 205.0, 66.0, 80.0, 10.0, 170.0, 16));
            vec![
                region("top", Treat, frontal(205.0, 66.0), d, dot, 0.8),
                region("crown", Treat, crown, 75.0, dot, 0.8),
            ]
        }
        _ => {
            // Norwood 7: the whole top, the crown, and the horseshoe fringe blended so the
            // shaved look is even from ear to ear.
            let mut crown = vec![p(-70.0, 205.0), p(70.0, 205.0)];
            crown.extend(arc(0.0, 205.0, 70.0, 95.0, 10.0, 170.0, 16));
            let mut fringe = vec![p(70.0, 205.0), p(66.0, 140.0), p(60.0, 118.0), p(95.0, 112.0), p(112.0, 150.0)];
            fringe.extend(arc(0.0, 205.0, 115.0, 140.0, 25.0, 155.0, 20));
            fringe.extend([p(-112.0, 150.0), p(-95.0, 112.0), p(-60.0, 118.0), p(-66.0, 140.0), p(-70.0, 205.0)]);
            fringe.extend(arc(0.0, 205.0, 70.0, 95.0, 170.0, 10.0, 16));
            vec![
                region("top", Treat, frontal(205.0, 70.0), d, dot, 0.8),
                region("crown", Treat, crown, 75.0, dot, 0.8),
                region("fringe", Blend, fringe, 70.0, 0.2, 0.75),
            ]
        }
    }
}

fn ludwig_regions(n: u8) -> Vec<RegionDraft> {
    let (rx, y0, y1) = match n {
        1 => (18.0, 100.0, 200.0),
        2 => (38.0, 95.0, 230.0),
        _ => (58.0, 92.0, 260.0),
    };
    let cy = (y0 + y1) / 2.0;
    let poly = arc(0.0, cy, rx, (y1 - y0) / 2.0, 0.0, 360.0, 40).into_iter().take(40).collect();
    vec![region("part", RegionKind::Blend, poly, 60.0, 0.2, 0.65)]
}

/// Band around a horizontal occipital curve through (±half, y_side) and (0, y_mid).
fn occipital_band(half: f64, y_mid: f64, y_side: f64, width: f64) -> Vec<PointMm> {
    let n = 24;
    let centre = |i: usize| {
        let t = -1.0 + 2.0 * i as f64 / n as f64;
        (half * t, y_mid + (y_side - y_mid) * t * t)
    };
    let mut poly: Vec<PointMm> = (0..=n).map(centre).map(|(x, y)| p(x, y - width / 2.0)).collect();
    poly.extend((0..=n).rev().map(centre).map(|(x, y)| p(x, y + width / 2.0)));
    poly
}

fn fut_regions() -> Vec<RegionDraft> {
    vec![
        // Light blending over the haired donor area around the scar: the hair already
        // shades it, so full density there would darken a band.
        region(
            "donor",
            RegionKind::Blend,
            occipital_band(125.0, 322.0, 300.0, 40.0),
            30.0,
            0.2,
            0.7,
        ),
        // Scar tissue is pale and holds pigment less evenly: denser than the hair around.
        // Paler than bald scalp too (no follicles: ~14 L* above the hair around it on the
        // synthetic heads, against ~8 for bald scalp), so the largest common needle
        // (0.30 mm, domain.md: 3RL for filling), full shade and the densest the lint
        // allows (120 per cm², before dots merge) bring it to the hair's tone (issue 13:
        // at 0.2 mm, shade 0.75 and 100 per cm² it kept 80 % of its contrast, at 0.25 mm
        // 44 %, at 0.30 mm 16 %).
        region(
            "strip-scar",
            RegionKind::Scar,
            occipital_band(115.0, 322.0, 300.0, 8.0),
            120.0,
            0.30,
            1.0,
        ),
    ]
}

fn fue_regions() -> Vec<RegionDraft> {
    vec![region(
        "donor",
        RegionKind::Scar,
        occipital_band(110.0, 315.0, 290.0, 60.0),
        60.0,
        0.2,
        0.7,
    )]
}
