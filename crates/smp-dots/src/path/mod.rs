//! Needle path: the order in which one session's impressions are made, as a short open
//! path through all of them — for automated devices and as the practitioner's working
//! order.
//!
//! The path is a travelling-salesman tour through the points plus one virtual "depot"
//! that is at distance zero from every point; cutting the tour at the depot leaves the
//! best open path, so the free ends need no special handling. The tour starts from a
//! greedy-edge construction on k-nearest-neighbour candidate edges and is improved by
//! 2-opt and Or-opt (segments of 1–3 points, either orientation) restricted to the
//! neighbour lists, with a queue of "dirty" nodes (don't-look bits) on an array with
//! position index, then by an iterated local search of local double-bridge kicks that are
//! kept only when the re-optimised tour is shorter. On Poisson-disk sets the path ends
//! about 6 % above the minimum spanning tree, which bounds every path from below (20 000
//! points: about 0.25 s in release builds).
//!
//! Deterministic: the kicks come from a fixed-seed generator and all ties break by index.

use std::cmp::Ordering;

use smp_design::PointMm;

use crate::spatial::PointGrid;

mod knn;
mod mst;
mod tour;

use knn::*;
use mst::*;
use tour::*;

/// Neighbours per point searched by the path optimiser: more barely helps on even point
/// sets and costs time in every move evaluation.
const PATH_K: usize = 10;
/// Neighbours per point for the spanning tree: a wider net makes the exactness
/// certificate (see [`mst_length_mm`]) hold without the slower fallback.
const MST_K: usize = 12;
/// Up to this many distinct points every order is tried.
const BRUTE_MAX: usize = 7;

/// Perturbation trials per point: the first one takes blue noise from about 7 % to about
/// 6 % above the tree; more trials gain little per unit of time.
const KICKS_PER_POINT: usize = 1;
/// Longest stretch swapped by a kick; longer stretches escape deeper local optima but
/// cost more to evaluate.
const KICK_MAX_LEN: usize = 50;

const NONE: u32 = u32::MAX;

/// Visiting order (indices into `points`) of a short open path through all points.
///
/// Coincident points are visited consecutively (in index order); points with non-finite
/// coordinates cannot be placed and come last. The path starts at the end nearer the
/// front of the head (smaller y) so the work proceeds from the hairline backwards.
pub fn plan_path(points: &[PointMm]) -> Vec<usize> {
    let prep = Distinct::new(points);
    let m = prep.pts.len();
    let order: Vec<u32> = if m <= BRUTE_MAX {
        brute_force(&prep.pts)
    } else {
        Tour::optimised(&prep.pts)
    };
    let mut out = Vec::with_capacity(points.len());
    for &u in &order {
        out.extend_from_slice(prep.members(u as usize));
    }
    out.extend_from_slice(&prep.invalid);
    out
}

/// Length of the open path visiting `points` in `order`, mm.
pub fn path_length_mm(points: &[PointMm], order: &[usize]) -> f64 {
    order.windows(2).map(|w| points[w[0]].dist(points[w[1]])).sum()
}

/// Length of the Euclidean minimum spanning tree of `points`, mm (a lower bound for any path).
///
/// Exact, not an estimate: Kruskal on the k-nearest-neighbour graph is provably exact for
/// all edges shorter than the smallest k-th-neighbour distance (the graph holds every
/// such pair); when those edges do not already span the set (clusters, outliers), the
/// tree is completed by Borůvka rounds whose nearest-foreign-point searches are exact.
/// Those searches start only from points on the edge of a patch, but each one scans a
/// disc as wide as the gap to the next patch, so sets of large patches far apart cost
/// more than even ones. Non-finite points are ignored.
pub fn mst_length_mm(points: &[PointMm]) -> f64 {
    let pts = Distinct::new(points).pts;
    let m = pts.len();
    if m < 2 {
        return 0.0;
    }
    let knn = Knn::new(&pts, MST_K);
    let k = knn.k;
    // Every pair closer than this is in somebody's neighbour list.
    let exact_below = if k == m - 1 {
        f64::INFINITY
    } else {
        (0..m).map(|i| knn.d2(i, k - 1)).fold(f64::INFINITY, f64::min)
    };
    let mut uf = UnionFind::new(m);
    let mut total = 0.0;
    let mut joined = 0;
    for &(d2, a, b) in &knn.edges() {
        if d2 >= exact_below {
            break;
        }
        if uf.union(a as usize, b as usize) {
            total += d2.sqrt();
            joined += 1;
        }
    }
    if joined < m - 1 {
        total += boruvka_completion(&pts, &knn, &mut uf);
    }
    total
}

/// Exhaustive search for tiny sets, where the heuristics have no room to work.
fn brute_force(pts: &[PointMm]) -> Vec<u32> {
    pub(super) fn go(pts: &[PointMm], cur: &mut Vec<u32>, used: &mut [bool], len: f64, best: &mut (f64, Vec<u32>)) {
        if len >= best.0 {
            return;
        }
        if cur.len() == pts.len() {
            *best = (len, cur.clone());
            return;
        }
        for j in 0..pts.len() {
            if !used[j] {
                let step = cur.last().map_or(0.0, |&l| pts[l as usize].dist(pts[j]));
                used[j] = true;
                cur.push(j as u32);
                go(pts, cur, used, len + step, best);
                cur.pop();
                used[j] = false;
            }
        }
    }
    let mut best = (f64::INFINITY, (0..pts.len() as u32).collect::<Vec<u32>>());
    go(pts, &mut Vec::new(), &mut vec![false; pts.len()], 0.0, &mut best);
    orient(pts, best.1)
}

/// Start at the end nearer the hairline (smaller y, then smaller x).
fn orient(pts: &[PointMm], mut order: Vec<u32>) -> Vec<u32> {
    if let (Some(&f), Some(&l)) = (order.first(), order.last()) {
        let (a, b) = (pts[f as usize], pts[l as usize]);
        if b.y.total_cmp(&a.y).then(b.x.total_cmp(&a.x)) == Ordering::Less {
            order.reverse();
        }
    }
    order
}

/// Greedy-edge fragments from the neighbour graph, chained end to nearest end.
fn greedy_path(pts: &[PointMm], knn: &Knn) -> Vec<u32> {
    let n = pts.len();
    let mut adj = vec![[NONE; 2]; n];
    let mut uf = UnionFind::new(n);
    for &(_, a, b) in &knn.edges() {
        let (au, bu) = (a as usize, b as usize);
        if adj[au][1] == NONE && adj[bu][1] == NONE && uf.union(au, bu) {
            let sa = usize::from(adj[au][0] != NONE);
            adj[au][sa] = b;
            let sb = usize::from(adj[bu][0] != NONE);
            adj[bu][sb] = a;
        }
    }
    // Fragment ends (isolated points are both ends of their own fragment).
    let ends: Vec<u32> = (0..n as u32).filter(|&i| adj[i as usize][1] == NONE).collect();
    let end_pts: Vec<PointMm> = ends.iter().map(|&i| pts[i as usize]).collect();
    let (cell, diag) = cell_size(&end_pts);
    let mut grid = PointGrid::from_points(&end_pts, cell);
    let mut slot = vec![NONE; n];
    for (s, &i) in ends.iter().enumerate() {
        slot[i as usize] = s as u32;
    }
    let mut left = ends.len();
    let mut order = Vec::with_capacity(n);
    let start = ends.iter().copied().min_by(|&a, &b| {
        let (p, q) = (pts[a as usize], pts[b as usize]);
        p.y.total_cmp(&q.y).then(p.x.total_cmp(&q.x)).then(a.cmp(&b))
    });
    let mut cur = start;
    while let Some(first) = cur {
        grid.remove(slot[first as usize]);
        left -= 1;
        let (mut prev, mut x) = (NONE, first);
        loop {
            order.push(x);
            let [a, b] = adj[x as usize];
            let next = if a != prev { a } else { b };
            if next == NONE || next == prev {
                break;
            }
            (prev, x) = (x, next);
        }
        if x != first {
            grid.remove(slot[x as usize]);
            left -= 1;
        }
        cur = None;
        if left > 0 {
            let p = pts[x as usize];
            let mut r = cell;
            while cur.is_none() {
                let mut found = (f64::INFINITY, NONE);
                grid.visit_within(p, r, |s, d2| {
                    if cmp_d2(&(d2, s), &found) == Ordering::Less {
                        found = (d2, s);
                    }
                    true
                });
                if found.1 != NONE {
                    cur = Some(ends[found.1 as usize]);
                } else if r > 2.0 * diag + cell {
                    break;
                }
                r *= 2.0;
            }
        }
    }
    order
}

#[cfg(test)]
mod tests;
