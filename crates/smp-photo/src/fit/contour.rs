//! Outlines of the connected areas of a cell mask, as simple polygons with their holes:
//! boundary edges between inside and outside cells chained into loops, then simplified.

use std::collections::HashMap;

use smp_design::PointMm;
use smp_design::geometry::{contains, self_intersection, signed_area_mm2};

/// One connected area: its outline and the outlines of the holes in it (design mm).
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// Outer boundary.
    pub outer: Vec<PointMm>,
    /// Holes inside it.
    pub holes: Vec<Vec<PointMm>>,
}

/// The outlines of the areas of `mask` (`w` × `h` cells, row-major), cells `cell_mm`
/// wide with cell (0, 0)'s centre at `origin`; simplified to within `tolerance_mm`.
/// Cells that touch only at a corner are separate areas.
pub fn outlines(mask: &[bool], w: usize, h: usize, origin: PointMm, cell_mm: f64, tolerance_mm: f64) -> Vec<Outline> {
    let mask = &unpinched(mask, w, h);
    let loops = trace_loops(boundary_edges(mask, w, h));
    let to_mm = |(i, j): (isize, isize)| {
        PointMm::new(
            origin.x - cell_mm / 2.0 + i as f64 * cell_mm,
            origin.y - cell_mm / 2.0 + j as f64 * cell_mm,
        )
    };
    // A single cell's loop runs TL → TR → BR → BL: positive shoelace area in these axes.
    let (mut outers, mut holes) = (Vec::new(), Vec::new());
    for lp in loops {
        let poly: Vec<PointMm> = lp.into_iter().map(to_mm).collect();
        if signed_area_mm2(&poly) > 0.0 {
            outers.push(Outline {
                outer: poly,
                holes: Vec::new(),
            });
        } else {
            holes.push(poly);
        }
    }
    for hole in holes {
        let probe = hole[0];
        // The smallest outer that contains the hole's corner owns it.
        let owner = outers
            .iter_mut()
            .filter(|o| contains(&o.outer, PointMm::new(probe.x + 1e-6, probe.y + 1e-6)) || o.outer.contains(&probe))
            .min_by(|a, b| signed_area_mm2(&a.outer).total_cmp(&signed_area_mm2(&b.outer)));
        if let Some(o) = owner {
            o.holes.push(hole);
        }
    }
    for o in &mut outers {
        o.outer = simplify(&o.outer, tolerance_mm);
        for hole in &mut o.holes {
            *hole = simplify(hole, tolerance_mm);
        }
    }
    outers
}

/// The directed edges on cell corners between the cells of `mask` and those outside it,
/// by start corner: inside on the right (image axes, y down).
fn boundary_edges(mask: &[bool], w: usize, h: usize) -> HashMap<(isize, isize), Vec<(isize, isize)>> {
    let inside = |i: isize, j: isize| i >= 0 && j >= 0 && (i as usize) < w && (j as usize) < h && mask[j as usize * w + i as usize];
    let mut next: HashMap<(isize, isize), Vec<(isize, isize)>> = HashMap::new();
    for j in 0..h as isize {
        for i in 0..w as isize {
            if !inside(i, j) {
                continue;
            }
            let sides = [
                ((i, j - 1), (i, j), (i + 1, j)),
                ((i + 1, j), (i + 1, j), (i + 1, j + 1)),
                ((i, j + 1), (i + 1, j + 1), (i, j + 1)),
                ((i - 1, j), (i, j + 1), (i, j)),
            ];
            for ((ni, nj), a, b) in sides {
                if !inside(ni, nj) {
                    next.entry(a).or_default().push(b);
                }
            }
        }
    }
    next
}

/// The closed loops of corners the boundary `next` makes, each from its first corner in
/// corner order.
fn trace_loops(mut next: HashMap<(isize, isize), Vec<(isize, isize)>>) -> Vec<Vec<(isize, isize)>> {
    let mut loops: Vec<Vec<(isize, isize)>> = Vec::new();
    let mut starts: Vec<(isize, isize)> = next.keys().copied().collect();
    starts.sort_unstable();
    for s in starts {
        while next.get(&s).is_some_and(|v| !v.is_empty()) {
            let mut lp = vec![s];
            let mut cur = s;
            let mut dir = (0isize, 0isize);
            loop {
                let outs = next.get_mut(&cur).expect("every boundary vertex has an outgoing edge");
                // At a corner where two areas touch diagonally, turn right: the loop stays
                // around its own cells.
                let pick = if outs.len() > 1 {
                    let right = (-dir.1, dir.0);
                    outs.iter().position(|&b| (b.0 - cur.0, b.1 - cur.1) == right).unwrap_or(0)
                } else {
                    0
                };
                let b = outs.swap_remove(pick);
                dir = (b.0 - cur.0, b.1 - cur.1);
                cur = b;
                if cur == s {
                    break;
                }
                lp.push(cur);
            }
            loops.push(lp);
        }
    }
    loops
}

/// Outlines of the areas of `mask` as in [`outlines`], with any area that has a hole cut
/// into pieces that have none (at the hole's middle row), so each can be one polygon of a
/// region that keeps something free: a ring of skin around the scalp must not become a
/// disc over it.
pub fn outlines_without_holes(mask: &[bool], w: usize, h: usize, origin: PointMm, cell_mm: f64, tolerance_mm: f64) -> Vec<Outline> {
    let mut out = Vec::new();
    let mut todo = vec![mask.to_vec()];
    while let Some(m) = todo.pop() {
        let found = outlines(&m, w, h, origin, cell_mm, tolerance_mm);
        match found.iter().find_map(|o| o.holes.first()) {
            None => out.extend(found),
            Some(hole) => {
                let (lo, hi) = smp_design::geometry::bounds(hole);
                let row = (((lo.y + hi.y) / 2.0 - (origin.y - cell_mm / 2.0)) / cell_mm).round() as usize;
                let row = row.clamp(1, h - 1);
                let (mut top, mut bottom) = (m.clone(), m);
                top[row * w..].iter_mut().for_each(|c| *c = false);
                bottom[..row * w].iter_mut().for_each(|c| *c = false);
                todo.push(top);
                todo.push(bottom);
            }
        }
    }
    out
}

/// The mask with every diagonal pinch (two cells meeting only at a corner, in a 2×2
/// block whose other two cells are empty) filled in, so each outline is a simple polygon
/// that never touches itself.
fn unpinched(mask: &[bool], w: usize, h: usize) -> Vec<bool> {
    let mut m = mask.to_vec();
    loop {
        let mut changed = false;
        for j in 0..h.saturating_sub(1) {
            for i in 0..w.saturating_sub(1) {
                let (a, b, c, d) = (j * w + i, j * w + i + 1, (j + 1) * w + i, (j + 1) * w + i + 1);
                if m[a] && m[d] && !m[b] && !m[c] {
                    m[b] = true;
                    changed = true;
                } else if m[b] && m[c] && !m[a] && !m[d] {
                    m[a] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            return m;
        }
    }
}

/// A closed polygon with vertices dropped while it stays within `tolerance_mm`
/// (Douglas–Peucker), kept as it was if simplifying would make it cross itself.
pub fn simplify(poly: &[PointMm], tolerance_mm: f64) -> Vec<PointMm> {
    if poly.len() < 8 {
        return poly.to_vec();
    }
    // Split the ring at its first vertex and the vertex farthest from it.
    let far = (1..poly.len())
        .max_by(|&a, &b| poly[0].dist(poly[a]).total_cmp(&poly[0].dist(poly[b])))
        .unwrap_or(1);
    let mut keep = vec![false; poly.len()];
    keep[0] = true;
    keep[far] = true;
    dp(poly, 0, far, tolerance_mm, &mut keep);
    let mut ring: Vec<PointMm> = poly.to_vec();
    ring.push(poly[0]);
    let mut keep_ring = keep.clone();
    keep_ring.push(true);
    dp(&ring, far, poly.len(), tolerance_mm, &mut keep_ring);
    let out: Vec<PointMm> = (0..poly.len()).filter(|&i| keep_ring[i]).map(|i| poly[i]).collect();
    if out.len() >= 3 && self_intersection(&out).is_none() {
        out
    } else {
        poly.to_vec()
    }
}

fn dp(pts: &[PointMm], a: usize, b: usize, tol: f64, keep: &mut [bool]) {
    if b <= a + 1 {
        return;
    }
    let (pa, pb) = (pts[a], pts[b]);
    let (dx, dy) = (pb.x - pa.x, pb.y - pa.y);
    let len = (dx * dx + dy * dy).sqrt();
    let dist = |p: PointMm| {
        if len < 1e-12 {
            p.dist(pa)
        } else {
            ((p.x - pa.x) * dy - (p.y - pa.y) * dx).abs() / len
        }
    };
    let (mut worst, mut at) = (0.0, a);
    for (k, &p) in pts.iter().enumerate().take(b).skip(a + 1) {
        let d = dist(p);
        if d > worst {
            worst = d;
            at = k;
        }
    }
    if worst > tol {
        keep[at] = true;
        dp(pts, a, at, tol, keep);
        dp(pts, at, b, tol, keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smp_design::geometry::area_mm2;

    #[test]
    fn a_ring_gives_one_outline_with_one_hole_and_a_diagonal_pinch_is_bridged() {
        // 6×6 ring of cells around a 2×2 hole, plus a cell touching it only at a corner:
        // the pinch is filled so the outline stays one simple polygon.
        let (w, h) = (9, 9);
        let mut m = vec![false; w * h];
        for j in 1..7 {
            for i in 1..7 {
                m[j * w + i] = !(3..5).contains(&i) || !(3..5).contains(&j);
            }
        }
        m[7 * w + 7] = true;
        let o = outlines(&m, w, h, PointMm::new(0.5, 0.5), 1.0, 0.01);
        assert_eq!(o.len(), 1, "{o:?}");
        let ring = &o[0];
        assert!((area_mm2(&ring.outer) - 38.0).abs() < 1e-9, "{}", area_mm2(&ring.outer));
        assert!(self_intersection(&ring.outer).is_none());
        assert_eq!(ring.holes.len(), 1);
        assert!((area_mm2(&ring.holes[0]) - 4.0).abs() < 1e-9);
    }

    #[test]
    fn a_ring_is_cut_into_pieces_without_holes_that_cover_it_exactly() {
        let (w, h) = (12, 12);
        let m: Vec<bool> = (0..w * h)
            .map(|k| {
                let (i, j) = (k % w, k / w);
                (1..11).contains(&i) && (1..11).contains(&j) && !((4..8).contains(&i) && (4..8).contains(&j))
            })
            .collect();
        let o = outlines_without_holes(&m, w, h, PointMm::new(0.5, 0.5), 1.0, 0.01);
        assert!(o.len() >= 2 && o.iter().all(|o| o.holes.is_empty()), "{o:?}");
        let total: f64 = o.iter().map(|o| area_mm2(&o.outer)).sum();
        assert!((total - 84.0).abs() < 1e-9, "{total}");
    }

    #[test]
    fn a_staircase_is_simplified_within_tolerance() {
        // A disc of radius 20 cells.
        let n = 50;
        let m: Vec<bool> = (0..n * n)
            .map(|k| {
                let (i, j) = ((k % n) as f64 - 24.5, (k / n) as f64 - 24.5);
                i * i + j * j <= 400.0
            })
            .collect();
        let o = outlines(&m, n, n, PointMm::new(0.0, 0.0), 1.0, 0.75);
        assert_eq!(o.len(), 1);
        let a = area_mm2(&o[0].outer);
        assert!((a - std::f64::consts::PI * 400.0).abs() / a < 0.03, "{a}");
        assert!(o[0].outer.len() < 60, "{} vertices", o[0].outer.len());
    }
}
