//! The fringe: where the client's own hair begins next to bald scalp, as polylines in
//! photo pixels (midpoints of the edges between a bald cell and a hair-bearing one,
//! chained to their nearest neighbours).

use crate::labels::Label;

use super::cells::CellGrid;
use super::outline::simplify;

/// Fewest points of a fringe polyline worth reporting (shorter ones are specks).
const MIN_POINTS: usize = 4;

/// The fringe polylines of a label grid, simplified to within `tolerance_px`.
pub(crate) fn fringe(grid: &CellGrid, labels: &[u8], tolerance_px: f64) -> Vec<Vec<[f64; 2]>> {
    let hair = |c: u8| c == Label::Thinning.code() || c == Label::Haired.code();
    let mut pts: Vec<[f64; 2]> = Vec::new();
    for i in 0..labels.len() {
        if labels[i] != Label::Bald.code() {
            continue;
        }
        // Right and down neighbours, plus left and up, each edge seen once from the bald side.
        for j in grid.neighbours(i) {
            if hair(labels[j]) {
                let (a, b) = (grid.centre_px(i), grid.centre_px(j));
                pts.push([(a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0]);
            }
        }
    }
    let step = f64::from(grid.cell_px);
    let linked = (1.5 * step).powi(2);
    let mut used = vec![false; pts.len()];
    let mut lines = Vec::new();
    let d2 = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2);
    let nearest = |from: [f64; 2], used: &[bool]| -> Option<usize> {
        (0..pts.len())
            .filter(|&k| !used[k] && d2(pts[k], from) <= linked)
            .min_by(|&a, &b| d2(pts[a], from).total_cmp(&d2(pts[b], from)))
    };
    // Start each chain at the unused point with the fewest unused neighbours (an end).
    while let Some(start) = (0..pts.len()).filter(|&k| !used[k]).min_by_key(|&k| {
        (0..pts.len())
            .filter(|&j| j != k && !used[j] && d2(pts[j], pts[k]) <= linked)
            .count()
    }) {
        used[start] = true;
        let mut line = vec![pts[start]];
        let mut cur = pts[start];
        while let Some(n) = nearest(cur, &used) {
            used[n] = true;
            line.push(pts[n]);
            cur = pts[n];
        }
        if line.len() >= MIN_POINTS {
            lines.push(simplify(&line, tolerance_px));
        }
    }
    lines
}
