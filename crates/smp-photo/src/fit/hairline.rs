//! The hairline a fit proposes: the mid-frontal point at a clinically normal height,
//! joined to the client's own temporal points as the photo shows them.

use smp_design::{Design, PointMm};
// The templates' natural half hairline, midline (0, 80) to temple (60, 118), which a
// proposal stretches to the client's own points.
use smp_design::template::HAIRLINE_HALF as HALF_SHAPE;

use super::grid::SurfaceGrid;
use super::{FitOptions, HairlineFit};
use crate::analyze::geometry::line_y_at;
use crate::labels::Label;

/// Default mid-frontal height above the glabella, mm: ~8 cm, range 7–10 cm (Garg & Garg
/// 2017, in domain.md).
pub const DEFAULT_HAIRLINE_MM: f64 = 80.0;
/// Accepted range of `--hairline-mm`, mm (domain.md: 7–10 cm, a little either side for
/// unusual faces; the lint warns outside the clinical range).
pub const HAIRLINE_RANGE_MM: (f64, f64) = (60.0, 110.0);

/// How far from the design's temporal point the client's own is looked for, mm: a
/// temple recedes by a few centimetres at most before the pattern is a different one.
const TEMPLE_SEARCH_MM: f64 = 30.0;
/// A temporal point lies at least this far from the midline, mm.
const TEMPLE_MIN_LATERAL_MM: f64 = 30.0;

/// Share of the midline band behind the proposed height that must be haired for the
/// frontal hairline to count as intact (no new hairline then).
const INTACT_SHARE: f64 = 0.5;
/// A front of mixed full and thinning hair (a Ludwig pattern's) is intact when this
/// share has hair at all …
const INTACT_WITH_THINNING_SHARE: f64 = 0.8;
/// … and at least this share full hair.
const INTACT_MIN_HAIRED_SHARE: f64 = 0.2;

/// The client's temporal point nearest `prior` (the design's current end of the
/// hairline on that side): the closest cell of the temporal hair's edge (a haired cell
/// beside bare skin or scalp) within [`TEMPLE_SEARCH_MM`], or `None` where the view does
/// not show the temple.
pub fn temporal_point(grid: &SurfaceGrid, prior: PointMm) -> Option<PointMm> {
    let bare = |i: usize, j: usize| matches!(grid.label(i, j), Some(Label::Skin | Label::Bald | Label::Thinning));
    let mut best: Option<(f64, PointMm)> = None;
    for j in 1..grid.h - 1 {
        for i in 1..grid.w - 1 {
            let p = grid.point(i, j);
            let d = p.dist(prior);
            if d > TEMPLE_SEARCH_MM || p.x.abs() < TEMPLE_MIN_LATERAL_MM || grid.label(i, j) != Some(Label::Haired) {
                continue;
            }
            let edge = bare(i - 1, j) || bare(i + 1, j) || bare(i, j - 1) || bare(i, j + 1);
            if edge && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, p));
            }
        }
    }
    best.map(|(_, p)| p)
}

/// Whether the frontal hairline is intact: most of the midline band from `height_mm` to
/// 12 mm behind it is haired, or mostly haired and thinning (a Ludwig pattern's front) where the view sees it. `None` when the view sees too
/// little of the band to tell.
pub fn frontal_intact(grid: &SurfaceGrid, height_mm: f64) -> Option<bool> {
    let (mut seen, mut haired, mut thinning) = (0usize, 0usize, 0usize);
    for j in 0..grid.h {
        for i in 0..grid.w {
            let p = grid.point(i, j);
            if p.x.abs() <= 20.0 && (height_mm..=height_mm + 12.0).contains(&p.y) && grid.seen(i, j) {
                seen += 1;
                haired += (grid.label(i, j) == Some(Label::Haired)) as usize;
                thinning += (grid.label(i, j) == Some(Label::Thinning)) as usize;
            }
        }
    }
    let (h, t) = (haired as f64 / seen.max(1) as f64, thinning as f64 / seen.max(1) as f64);
    (seen >= 20).then_some(h >= INTACT_SHARE || (h + t >= INTACT_WITH_THINNING_SHARE && h >= INTACT_MIN_HAIRED_SHARE))
}

/// A hairline from the mid-frontal point (0, `height_mm`) to the temporal points
/// (`left` on the client's left, x < 0; `right`), left to right, in the template's
/// natural shape stretched to reach them.
pub fn proposal(height_mm: f64, left: PointMm, right: PointMm) -> Vec<PointMm> {
    let (x0, y0) = HALF_SHAPE[HALF_SHAPE.len() - 1];
    let (ax, ay) = HALF_SHAPE[0];
    let half = |t: PointMm, sign: f64| -> Vec<PointMm> {
        // The temple lies behind the mid-frontal point; at least 5 mm keeps the curve a curve.
        let ty = t.y.max(height_mm + 5.0);
        let tx = (sign * t.x).max(20.0);
        HALF_SHAPE
            .iter()
            .map(|&(x, y)| {
                let px = (x - ax) / (x0 - ax) * tx;
                let py = height_mm + (y - ay) / (y0 - ay) * (ty - height_mm);
                PointMm::new((sign * px * 10.0).round() / 10.0, (py * 10.0).round() / 10.0)
            })
            .collect()
    };
    let mut pts: Vec<PointMm> = half(left, -1.0).into_iter().rev().collect();
    pts.extend(half(right, 1.0).into_iter().skip(1));
    pts
}

/// `line` (left to right) with an end moved back to the client's temporal point on that
/// side where the temple has receded behind it (farther back by more than a cell).
pub fn recede_ends(line: &[PointMm], left: Option<PointMm>, right: Option<PointMm>) -> Vec<PointMm> {
    let mut pts = line.to_vec();
    if let Some(t) = left.filter(|t| t.y > pts[0].y + 1.0) {
        pts[0] = t;
    }
    let last = pts.len() - 1;
    if let Some(t) = right.filter(|t| t.y > pts[last].y + 1.0) {
        pts[last] = t;
    }
    pts
}

/// The y of `line` (left to right in x) at `x`, clamped to its ends.
pub fn y_at(line: &[PointMm], x: f64) -> f64 {
    let x = x.clamp(line[0].x, line[line.len() - 1].x);
    line_y_at(line, x).unwrap_or(line[0].y)
}

/// The hairline of a fit at `opts`' height and what was decided, with a warning when a
/// temple is out of the photo: a proposal where the client's frontal hairline is lost,
/// else the design's hairline as it was.
pub(super) fn fit(
    design: &Design,
    grid: &SurfaceGrid,
    opts: FitOptions,
    warnings: &mut Vec<String>,
) -> (Option<Vec<PointMm>>, HairlineFit) {
    let height = opts.hairline_mm.map_or(DEFAULT_HAIRLINE_MM, |h| h.0);
    let old_hairline = design.hairline();
    match frontal_intact(grid, height) {
        Some(false) => {
            let old_end = |first: bool| old_hairline.map(|h| if first { h.points[0] } else { h.points[h.points.len() - 1] });
            let frontal = crate::labels::frontal_line_mm(design);
            let (prior_left, prior_right) = (
                old_end(true).unwrap_or(frontal[0]),
                old_end(false).unwrap_or(frontal[frontal.len() - 1]),
            );
            let left = temporal_point(grid, prior_left);
            let right = temporal_point(grid, prior_right);
            let pts = match opts.hairline_mm {
                Some(_) => proposal(height, left.unwrap_or(prior_left), right.unwrap_or(prior_right)),
                // The analysis ended the forehead at the frontal line (the design's hairline
                // or 80 mm), so by default that line stays; only a temple that recedes
                // behind its end moves the end back to the client's own temporal point.
                None => recede_ends(&frontal, left, right),
            };
            let temples_found = [left.is_some(), right.is_some()];
            if temples_found.contains(&false) {
                warnings.push(
                    "a temple is out of this photo: the hairline there follows the design's earlier line; check it in a front view".into(),
                );
            }
            (
                Some(pts),
                HairlineFit::Proposed {
                    height_mm: height,
                    temples_found,
                },
            )
        }
        Some(true) => (old_hairline.map(|h| h.points.clone()), HairlineFit::Intact),
        None => (old_hairline.map(|h| h.points.clone()), HairlineFit::NotSeen),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proposal_runs_from_temple_to_temple_through_the_chosen_height() {
        let h = proposal(75.0, PointMm::new(-58.0, 125.0), PointMm::new(64.0, 110.0));
        assert_eq!(h.len(), 15);
        assert_eq!(h[0], PointMm::new(-58.0, 125.0));
        assert_eq!(h[7], PointMm::new(0.0, 75.0));
        assert_eq!(h[14], PointMm::new(64.0, 110.0));
        assert!(h.windows(2).all(|w| w[1].x > w[0].x), "left to right");
        assert!((y_at(&h, 0.0) - 75.0).abs() < 1e-9);
        // A temporal point in front of the mid-frontal one is pushed behind it.
        let odd = proposal(90.0, PointMm::new(-60.0, 80.0), PointMm::new(60.0, 118.0));
        assert_eq!(odd[0].y, 95.0);
    }
}
