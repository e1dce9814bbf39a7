//! From native coverage to labels. The anatomy decides what a cell can be: in front of
//! the frontal hairline it is forehead (skin); at the temples, sides and back, outside
//! the zone androgenetic loss reaches, it is hair or bare skin (ear, neck, face); inside
//! that zone it is bald, thinning or haired scalp. Within those choices each cell's
//! coverage gives the cost of each hair level and a Markov random field, solved exactly
//! by a minimum cut, makes the levels spatially coherent.

use smp_design::{Design, PointMm, View};

use super::cells::CellGrid;
use super::constants::{BALD_MAX_COVERAGE, FACE_BELOW_LINE_MM};
use super::geometry::{frontal_line, in_front_of_line, in_loss_zone, line_y_at, unproject};
use super::hair::Prior;
use super::mrf::{LEVELS, smooth_levels};
use crate::labels::Label;

/// Where each cell lies on the design, and the two lines of the anatomical rules.
pub(crate) struct Places {
    /// The design point seen at each cell's centre (`None` off the head's hemisphere).
    pub points: Vec<Option<PointMm>>,
    /// The frontal hairline line (the forehead ends there).
    pub core: Vec<PointMm>,
    /// That line continued down the temples to the sideburns.
    pub line: Vec<PointMm>,
}

impl Places {
    /// The places of `grid`'s cells in `view` of `design`.
    pub fn new(view: &View, design: &Design, grid: &CellGrid) -> Self {
        use rayon::prelude::*;
        let n = grid.width as usize * grid.height as usize;
        Places {
            points: (0..n)
                .into_par_iter()
                .map(|i| {
                    let (x, y) = grid.centre_px(i);
                    unproject(view, x, y)
                })
                .collect(),
            core: crate::labels::frontal_line_mm(design),
            line: frontal_line(design),
        }
    }

    /// Whether `p` lies on the face, well below the hairline (brows, eyes, lips).
    pub fn face(&self, p: PointMm) -> bool {
        line_y_at(&self.core, p.x).is_some_and(|y| p.y < y - FACE_BELOW_LINE_MM)
    }
}

/// Coverage each hair level stands for: bare, thinning (the midpoint whose halfway
/// marks to its neighbours are the bald and haired thresholds), full.
const LEVEL_COVERAGE: [f32; LEVELS] = [0.0, 2.0 * BALD_MAX_COVERAGE, 1.0];

/// Spread of a cell's coverage about its level's, for the data cost.
const COVERAGE_SPREAD: f32 = 0.25;

/// Cost per level of difference between 4-neighbours, in units of the data cost: a lone
/// cell of one level in a region of another changes only if its data outweighs its
/// four boundaries. Tuned on the synthetic sweep (`tests/analyze.rs`): 1 leaves speckle
/// (worst bald IoU 0.31), 2 was the best balance (0.39, haired median 0.68), 8 erases
/// small bald areas whole. Since coverage reads the wider texture window, 3 lifts the
/// worst IoUs (bald 0.414 → 0.441, haired 0.408 → 0.421) and the haired median
/// (0.798 → 0.801), the bald median stays 0.884; it costs case 1's haired IoU
/// (0.81 → 0.72: thin bands of thinning on a front view) and case 23's bald (0.49 → 0.44).
const BOUNDARY_COST: f32 = 3.0;

/// Boundary cost between two fringe cells, in units of [`BOUNDARY_COST`]: there skin
/// and hair differ mostly by texture, noisy per cell, while the hairline round the ear
/// and nape is smooth. Tuned on the synthetic sweep (`tests/analyze.rs`): 2 lifts the
/// side views by up to 0.04 haired IoU, 4 erases the temples' hair in front views.
const FRINGE_BOUNDARY_FACTOR: f32 = 2.0;

/// Data cost of a level the anatomy rules out.
const RULED_OUT: f32 = 1e4;

/// What the anatomy allows a body cell to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    /// A fixed label (background, forehead, face, the hemisphere's rim).
    Fixed(Label),
    /// Hair or bare skin (the permanent fringe, the temples).
    Fringe,
    /// Bald, thinning or haired scalp.
    Loss,
}

fn zone(places: &Places, body: bool, prior: Prior, i: usize) -> Zone {
    if !body {
        return Zone::Fixed(Label::Background);
    }
    let p = places.points[i];
    // In front of the hairline is forehead, whatever grows there (brows).
    if p.is_some_and(|p| in_front_of_line(&places.core, p)) {
        return Zone::Fixed(Label::Skin);
    }
    if prior == Prior::Off {
        return Zone::Fixed(Label::Skin);
    }
    // The temples and the permanent fringe keep their hair: bare skin there is temple,
    // ear, neck or face.
    if p.is_none_or(|p| in_front_of_line(&places.line, p) || !in_loss_zone(p)) {
        Zone::Fringe
    } else {
        Zone::Loss
    }
}

/// Whether a cell lies where only bare skin or hair are allowed.
pub(crate) fn in_fringe(places: &Places, body: bool, prior: Prior, i: usize) -> bool {
    zone(places, body, prior, i) == Zone::Fringe
}

/// Whether the anatomy lets a cell be scalp or hair at all (a seed's pin stops at the
/// forehead, the face and the background).
pub(crate) fn can_be_scalp(places: &Places, body: bool, prior: Prior, i: usize) -> bool {
    !matches!(zone(places, body, prior, i), Zone::Fixed(_))
}

/// The label of every cell from its coverage, made coherent by the field.
pub(crate) fn labels(grid: &CellGrid, places: &Places, body: &[bool], prior: &[Prior], coverage: &[f32]) -> Vec<u8> {
    let n = coverage.len();
    let zones: Vec<Zone> = (0..n).map(|i| zone(places, body[i], prior[i], i)).collect();
    let unary: Vec<[f32; LEVELS]> = (0..n)
        .map(|i| {
            let mut u = LEVEL_COVERAGE.map(|m| ((coverage[i] - m) / COVERAGE_SPREAD).powi(2) / 2.0);
            if zones[i] == Zone::Fringe {
                u[1] = RULED_OUT;
            }
            u
        })
        .collect();
    let active: Vec<bool> = zones.iter().map(|z| !matches!(z, Zone::Fixed(_))).collect();
    let levels = smooth_levels(grid, &unary, &active, |i, j| {
        if zones[i] == Zone::Fringe && zones[j] == Zone::Fringe {
            FRINGE_BOUNDARY_FACTOR * BOUNDARY_COST
        } else {
            BOUNDARY_COST
        }
    });
    (0..n)
        .map(|i| {
            let l = match (zones[i], levels[i]) {
                (Zone::Fixed(l), _) => l,
                (_, 2) => Label::Haired,
                (Zone::Fringe, _) => Label::Skin,
                (Zone::Loss, 1) => Label::Thinning,
                (Zone::Loss, _) => Label::Bald,
            };
            l.code()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::constants::HAIRED_MIN_COVERAGE;

    #[test]
    fn the_thinning_level_sits_between_the_thresholds() {
        let mid = |a: f32, b: f32| (a + b) / 2.0;
        assert!((mid(LEVEL_COVERAGE[0], LEVEL_COVERAGE[1]) - BALD_MAX_COVERAGE).abs() < 1e-6);
        assert!((mid(LEVEL_COVERAGE[1], LEVEL_COVERAGE[2]) - HAIRED_MIN_COVERAGE).abs() < 0.02);
    }
}
