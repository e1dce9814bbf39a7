//! A uniform grid over points with per-cell linked lists: insertion, removal and radius
//! queries in O(points nearby). Used by the sampler, statistics and path planning.

use smp_design::PointMm;

const NONE: u32 = u32::MAX;

/// Points bucketed by a square grid.
#[derive(Debug, Clone)]
pub struct PointGrid {
    origin: PointMm,
    cell: f64,
    w: usize,
    h: usize,
    head: Vec<u32>,
    next: Vec<u32>,
    cell_of: Vec<u32>,
    pts: Vec<PointMm>,
}

impl PointGrid {
    /// A grid covering `lo..hi` (points outside are clamped to the border cells).
    pub fn new(lo: PointMm, hi: PointMm, cell_mm: f64) -> Self {
        let w = (((hi.x - lo.x) / cell_mm).ceil() as usize).max(1);
        let h = (((hi.y - lo.y) / cell_mm).ceil() as usize).max(1);
        PointGrid {
            origin: lo,
            cell: cell_mm,
            w,
            h,
            head: vec![NONE; w * h],
            next: Vec::new(),
            cell_of: Vec::new(),
            pts: Vec::new(),
        }
    }

    /// A grid over the given points, all inserted in order (index = position).
    pub fn from_points(points: &[PointMm], cell_mm: f64) -> Self {
        let (lo, hi) = smp_design::geometry::bounds(points);
        let mut g = PointGrid::new(lo, PointMm::new(hi.x + cell_mm, hi.y + cell_mm), cell_mm);
        for &p in points {
            g.insert(p);
        }
        g
    }

    fn cell_xy(&self, p: PointMm) -> (usize, usize) {
        let cx = ((p.x - self.origin.x) / self.cell).floor().clamp(0.0, (self.w - 1) as f64) as usize;
        let cy = ((p.y - self.origin.y) / self.cell).floor().clamp(0.0, (self.h - 1) as f64) as usize;
        (cx, cy)
    }

    /// Add a point; returns its index.
    pub fn insert(&mut self, p: PointMm) -> u32 {
        let (cx, cy) = self.cell_xy(p);
        let c = cy * self.w + cx;
        let i = self.pts.len() as u32;
        self.pts.push(p);
        self.next.push(self.head[c]);
        self.cell_of.push(c as u32);
        self.head[c] = i;
        i
    }

    /// Remove point `i` from the buckets (its index stays reserved).
    pub fn remove(&mut self, i: u32) {
        let c = self.cell_of[i as usize] as usize;
        if self.head[c] == i {
            self.head[c] = self.next[i as usize];
            return;
        }
        let mut j = self.head[c];
        while j != NONE {
            if self.next[j as usize] == i {
                self.next[j as usize] = self.next[i as usize];
                return;
            }
            j = self.next[j as usize];
        }
    }

    /// Position of point `i`.
    pub fn point(&self, i: u32) -> PointMm {
        self.pts[i as usize]
    }

    /// Number of indices handed out (including removed points).
    pub fn len(&self) -> usize {
        self.pts.len()
    }

    /// Whether no point was ever inserted.
    pub fn is_empty(&self) -> bool {
        self.pts.is_empty()
    }

    /// Visit every point within `r` of `p` as `(index, squared distance)`; stop early when
    /// the visitor returns `false`. Returns whether the walk completed.
    pub fn visit_within(&self, p: PointMm, r: f64, mut f: impl FnMut(u32, f64) -> bool) -> bool {
        let r2 = r * r;
        let (x0, y0) = self.cell_xy(PointMm::new(p.x - r, p.y - r));
        let (x1, y1) = self.cell_xy(PointMm::new(p.x + r, p.y + r));
        for cy in y0..=y1 {
            for cx in x0..=x1 {
                let mut j = self.head[cy * self.w + cx];
                while j != NONE {
                    let d2 = self.pts[j as usize].dist2(p);
                    if d2 < r2 && !f(j, d2) {
                        return false;
                    }
                    j = self.next[j as usize];
                }
            }
        }
        true
    }

    /// Whether any point other than `skip` lies strictly within `r` of `p`.
    pub fn any_within(&self, p: PointMm, r: f64, skip: u32) -> bool {
        !self.visit_within(p, r, |j, _| j == skip)
    }

    /// Distance from `p` to the nearest point other than `skip`, searching out to `max_r`
    /// (returns `max_r` when none is closer).
    pub fn nearest_dist(&self, p: PointMm, max_r: f64, skip: u32) -> f64 {
        let mut best = max_r * max_r;
        let mut r = self.cell.min(max_r);
        loop {
            self.visit_within(p, r, |j, d2| {
                if j != skip && d2 < best {
                    best = d2;
                }
                true
            });
            if best < r * r || r >= max_r {
                return best.sqrt();
            }
            r = (r * 2.0).min(max_r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_query_remove() {
        let mut g = PointGrid::new(PointMm::new(0.0, 0.0), PointMm::new(10.0, 10.0), 1.0);
        let a = g.insert(PointMm::new(1.0, 1.0));
        let b = g.insert(PointMm::new(1.2, 1.1));
        let _c = g.insert(PointMm::new(8.0, 8.0));
        assert!(g.any_within(PointMm::new(1.0, 1.0), 0.5, a));
        assert!((g.nearest_dist(g.point(a), 20.0, a) - g.point(a).dist(g.point(b))).abs() < 1e-12);
        g.remove(b);
        assert!(!g.any_within(PointMm::new(1.0, 1.0), 0.5, a));
        assert!((g.nearest_dist(PointMm::new(1.0, 1.0), 20.0, a) - 7.0 * 2f64.sqrt()).abs() < 1e-9);
        assert_eq!(g.nearest_dist(PointMm::new(1.0, 1.0), 3.0, a), 3.0);
    }
}
