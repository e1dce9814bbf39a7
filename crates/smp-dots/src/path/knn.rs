//! k-nearest-neighbour candidate lists over distinct points.

use std::cmp::Ordering;

use smp_design::PointMm;
use smp_design::geometry::bounds;

use super::*;
use crate::spatial::PointGrid;

/// Distinct finite points with their original indices grouped.
pub(super) struct Distinct {
    pub(super) pts: Vec<PointMm>,
    /// Original indices, grouped by distinct point, ascending within a group.
    pub(super) members: Vec<usize>,
    /// `members[start[u]..start[u + 1]]` are the copies of distinct point `u`.
    pub(super) start: Vec<usize>,
    pub(super) invalid: Vec<usize>,
}

impl Distinct {
    pub(super) fn new(points: &[PointMm]) -> Self {
        let (mut idx, invalid): (Vec<usize>, Vec<usize>) =
            (0..points.len()).partition(|&i| points[i].x.is_finite() && points[i].y.is_finite());
        idx.sort_unstable_by(|&a, &b| {
            let (p, q) = (points[a], points[b]);
            p.x.total_cmp(&q.x).then(p.y.total_cmp(&q.y)).then(a.cmp(&b))
        });
        let mut pts = Vec::new();
        let mut start = Vec::new();
        for (k, &i) in idx.iter().enumerate() {
            if pts.last() != Some(&points[i]) {
                pts.push(points[i]);
                start.push(k);
            }
        }
        start.push(idx.len());
        Distinct {
            pts,
            members: idx,
            start,
            invalid,
        }
    }

    pub(super) fn members(&self, u: usize) -> &[usize] {
        &self.members[self.start[u]..self.start[u + 1]]
    }
}

/// Grid cell for roughly two points per cell, bounded so degenerate (collinear) sets do
/// not allocate a huge grid.
pub(super) fn cell_size(points: &[PointMm]) -> (f64, f64) {
    let (lo, hi) = bounds(points);
    let (w, h) = (hi.x - lo.x, hi.y - lo.y);
    let n = points.len().max(1) as f64;
    let c = (2.0 * w * h / n).sqrt().max(w.max(h) / n);
    let diag = w.hypot(h);
    if c > 0.0 && c.is_finite() { (c, diag) } else { (1.0, diag) }
}

pub(super) fn cmp_d2(a: &(f64, u32), b: &(f64, u32)) -> Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
}

/// Exact k nearest neighbours of every point, nearest first, ties by index.
pub(super) struct Knn {
    pub(super) k: usize,
    pub(super) idx: Vec<u32>,
    pub(super) dist2: Vec<f64>,
    pub(super) grid: PointGrid,
    pub(super) cell: f64,
    pub(super) diag: f64,
}

impl Knn {
    pub(super) fn new(points: &[PointMm], k: usize) -> Self {
        let n = points.len();
        let k = k.min(n.saturating_sub(1));
        let (cell, diag) = cell_size(points);
        let grid = PointGrid::from_points(points, cell);
        let mut idx = Vec::with_capacity(n * k);
        let mut dist2 = Vec::with_capacity(n * k);
        let r0 = cell * (k as f64 / 1.5).sqrt().max(1.0);
        let mut buf: Vec<(f64, u32)> = Vec::new();
        for (i, &p) in points.iter().enumerate() {
            let mut r = r0;
            loop {
                buf.clear();
                grid.visit_within(p, r, |j, d2| {
                    if j as usize != i {
                        buf.push((d2, j));
                    }
                    true
                });
                // Everything closer than r was seen, so the k closest seen are the k closest.
                if buf.len() >= k || r > diag {
                    break;
                }
                r *= 2.0;
            }
            if buf.len() > k && k > 0 {
                buf.select_nth_unstable_by(k - 1, cmp_d2);
                buf.truncate(k);
            }
            buf.sort_unstable_by(cmp_d2);
            for &(d2, j) in &buf {
                idx.push(j);
                dist2.push(d2);
            }
        }
        Knn {
            k,
            idx,
            dist2,
            grid,
            cell,
            diag,
        }
    }

    pub(super) fn row(&self, i: usize) -> &[u32] {
        &self.idx[i * self.k..(i + 1) * self.k]
    }

    pub(super) fn d2(&self, i: usize, r: usize) -> f64 {
        self.dist2[i * self.k + r]
    }

    /// Undirected neighbour edges `(d², a, b)` with `a < b`, in the strict order used for
    /// every tie-break (length, then endpoints).
    pub(super) fn edges(&self) -> Vec<(f64, u32, u32)> {
        let n = self.idx.len().checked_div(self.k).unwrap_or(0);
        let mut e = Vec::with_capacity(n * self.k);
        for i in 0..n {
            for (r, &j) in self.row(i).iter().enumerate() {
                let (a, b) = ((i as u32).min(j), (i as u32).max(j));
                e.push((self.d2(i, r), a, b));
            }
        }
        e.sort_unstable_by(edge_cmp);
        e.dedup_by(|x, y| x.1 == y.1 && x.2 == y.2);
        e
    }
}
