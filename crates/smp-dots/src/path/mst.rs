//! The minimum spanning tree (the lower bound a path is measured against) and which points lie on the open side of the set.

use std::cmp::Ordering;

use smp_design::PointMm;
use smp_design::geometry::bounds;

use super::*;

pub(super) fn edge_cmp(x: &(f64, u32, u32), y: &(f64, u32, u32)) -> Ordering {
    x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2))
}

pub(super) struct UnionFind {
    pub(super) parent: Vec<u32>,
}

impl UnionFind {
    pub(super) fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub(super) fn find(&mut self, mut a: usize) -> usize {
        while self.parent[a] as usize != a {
            let g = self.parent[self.parent[a] as usize];
            self.parent[a] = g;
            a = g as usize;
        }
        a
    }

    pub(super) fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        self.parent[hi] = lo as u32;
        true
    }
}

/// Joins the forest in `uf` into the exact minimum spanning tree; returns the added length.
///
/// Each round every component takes its shortest outgoing edge (strict order, so all
/// picks belong to the one minimum tree). Neighbour lists seed those picks with every
/// foreign point nearer than a point's k-th neighbour, so a point needs an explicit
/// search only when a longer edge could start there, i.e. when its neighbours leave an
/// angular gap (see [`open_sides`]); inside a patch no point searches at all.
pub(super) fn boruvka_completion(pts: &[PointMm], knn: &Knn, uf: &mut UnionFind) -> f64 {
    let m = pts.len();
    let k = knn.k;
    let open = open_sides(pts, knn);
    let mut total = 0.0;
    let mut root = vec![0u32; m];
    let mut best = vec![(f64::INFINITY, NONE, NONE); m];
    loop {
        let mut comps = 0;
        for (i, r) in root.iter_mut().enumerate() {
            *r = uf.find(i) as u32;
            comps += usize::from(*r as usize == i);
        }
        if comps <= 1 {
            return total;
        }
        best.fill((f64::INFINITY, NONE, NONE));
        let offer = |best: &mut [(f64, u32, u32)], c: u32, d2: f64, i: u32, j: u32| {
            let e = (d2, i.min(j), i.max(j));
            if edge_cmp(&e, &best[c as usize]) == Ordering::Less {
                best[c as usize] = e;
            }
        };
        for i in 0..m {
            for (r, &j) in knn.row(i).iter().enumerate() {
                if root[i] != root[j as usize] {
                    offer(&mut best, root[i], knn.d2(i, r), i as u32, j);
                    offer(&mut best, root[j as usize], knn.d2(i, r), i as u32, j);
                }
            }
        }
        for i in (0..m).filter(|&i| open[i]) {
            let c = root[i];
            // Unseen points are at least as far as the k-th neighbour.
            let b = best[c as usize].0;
            if k > 0 && knn.d2(i, k - 1) > b {
                continue;
            }
            let p = pts[i];
            let mut r = if b.is_finite() {
                b.sqrt() * (1.0 + 1e-9) + f64::MIN_POSITIVE
            } else {
                knn.cell
            };
            loop {
                let mut cur = best[c as usize];
                knn.grid.visit_within(p, r, |j, d2| {
                    if root[j as usize] != c {
                        let e = (d2, (i as u32).min(j), (i as u32).max(j));
                        if edge_cmp(&e, &cur) == Ordering::Less {
                            cur = e;
                        }
                    }
                    true
                });
                best[c as usize] = cur;
                if cur.0 < r * r || r > knn.diag {
                    break;
                }
                r *= 2.0;
            }
        }
        let mut any = false;
        for c in 0..m {
            let (d2, a, b) = best[c];
            if root[c] as usize == c && a != NONE && uf.union(a as usize, b as usize) {
                total += d2.sqrt();
                any = true;
            }
        }
        if !any {
            // Unreachable for finite points; guards against looping forever.
            return total;
        }
    }
}

/// Whether a spanning-tree edge longer than the k-th neighbour distance can start at each
/// point.
///
/// For a tree edge `(p, q)` no point may be closer than `|pq|` to both ends. A neighbour
/// `x` of `p` within 60° of the direction to `q` and no farther than `q` is closer to `q`
/// than `p` is, so if the neighbours leave no angular gap of 120° every edge of `p`
/// reaches a neighbour. The test uses 110° as a margin for rounding, and ignores
/// neighbours so close that the rounding margin would vanish.
pub(super) fn open_sides(pts: &[PointMm], knn: &Knn) -> Vec<bool> {
    let max_gap = 110f64.to_radians();
    let (lo, hi) = bounds(pts);
    let scale = knn.diag + lo.x.abs().max(lo.y.abs()).max(hi.x.abs()).max(hi.y.abs());
    let tiny2 = (1e-9 * scale).powi(2);
    let mut ang = Vec::with_capacity(knn.k);
    (0..pts.len())
        .map(|i| {
            let p = pts[i];
            ang.clear();
            for (r, &j) in knn.row(i).iter().enumerate() {
                if knn.d2(i, r) > tiny2 {
                    let q = pts[j as usize];
                    ang.push((q.y - p.y).atan2(q.x - p.x));
                }
            }
            if ang.len() < 3 {
                return true;
            }
            ang.sort_unstable_by(f64::total_cmp);
            let wrap = ang[0] + std::f64::consts::TAU - ang[ang.len() - 1];
            ang.windows(2).map(|w| w[1] - w[0]).fold(wrap, f64::max) >= max_gap
        })
        .collect()
}
