//! The sampler's grid: cells smaller than the Poisson-disk radius hold at most one dot,
//! stored inline, so a disk test reads a few contiguous cells and nothing else.

use smp_design::PointMm;

const EMPTY: u32 = u32::MAX;

/// One-dot-per-cell grid with the dots' coordinates stored in the cells.
#[derive(Debug, Clone)]
pub struct SlotGrid {
    origin: PointMm,
    inv_cell: f64,
    cell: f64,
    w: usize,
    h: usize,
    xy: Vec<[f64; 2]>,
    id: Vec<u32>,
}

impl SlotGrid {
    /// A grid over `lo..hi` whose cells fit under a disk of radius `r_min` (at most one
    /// dot per cell as long as no two dots are closer than `r_min`).
    pub fn new(lo: PointMm, hi: PointMm, r_min: f64) -> Self {
        let cell = r_min / std::f64::consts::SQRT_2 * 0.999;
        let w = ((hi.x - lo.x) / cell).ceil() as usize + 1;
        let h = ((hi.y - lo.y) / cell).ceil() as usize + 1;
        SlotGrid {
            origin: lo,
            inv_cell: 1.0 / cell,
            cell,
            w,
            h,
            xy: vec![[f64::NAN; 2]; w * h],
            id: vec![EMPTY; w * h],
        }
    }

    fn cell_of(&self, x: f64, y: f64) -> (isize, isize) {
        // Truncation, corrected below zero: floor without a libm call on baseline x86-64.
        let floor = |v: f64| if v >= 0.0 { v as isize } else { v as isize - 1 };
        (
            floor((x - self.origin.x) * self.inv_cell),
            floor((y - self.origin.y) * self.inv_cell),
        )
    }

    /// Cells `(x0, y0, x1, y1)`, inclusive and clamped to the grid, that a disk of radius
    /// `r` around `p` can touch.
    fn cell_range(&self, p: PointMm, r: f64) -> (usize, usize, usize, usize) {
        let (x0, y0) = self.cell_of(p.x - r, p.y - r);
        let (x1, y1) = self.cell_of(p.x + r, p.y + r);
        let clamp = |v: isize, n: usize| (v.max(0) as usize).min(n - 1);
        (clamp(x0, self.w), clamp(y0, self.h), clamp(x1, self.w), clamp(y1, self.h))
    }

    /// Put dot `id` at `p`; the cell must be free.
    pub fn insert(&mut self, p: PointMm, id: u32) {
        let (cx, cy) = self.cell_of(p.x, p.y);
        let c = cy as usize * self.w + cx as usize;
        debug_assert_eq!(self.id[c], EMPTY, "two dots in one cell");
        self.xy[c] = [p.x, p.y];
        self.id[c] = id;
    }

    /// Take the dot at `p` out.
    pub fn remove(&mut self, p: PointMm) {
        let (cx, cy) = self.cell_of(p.x, p.y);
        let c = cy as usize * self.w + cx as usize;
        self.xy[c] = [f64::NAN; 2];
        self.id[c] = EMPTY;
    }

    /// Smallest squared distance from `p` to a dot other than one exactly at `p`,
    /// looking no further than `r` (returns `r²` when none is closer).
    pub fn nearest2(&self, p: PointMm, r: f64) -> f64 {
        let (x0, y0, x1, y1) = self.cell_range(p, r);
        let mut best = r * r;
        for cy in y0..=y1 {
            let row = &self.xy[cy * self.w + x0..=cy * self.w + x1];
            for q in row {
                let (dx, dy) = (q[0] - p.x, q[1] - p.y);
                let d2 = dx * dx + dy * dy;
                // NaN (empty) compares false; the dot itself is at distance 0.
                if d2 < best && d2 > 0.0 {
                    best = d2;
                }
            }
        }
        best
    }

    /// Mean distance from `p` to its three nearest dots (other than one exactly at `p`),
    /// looking no further than `r` (missing neighbours count as `r`).
    pub fn mean_nearest3(&self, p: PointMm, r: f64) -> f64 {
        let (x0, y0, x1, y1) = self.cell_range(p, r);
        let mut best = [r * r; 3];
        for cy in y0..=y1 {
            for q in &self.xy[cy * self.w + x0..=cy * self.w + x1] {
                let (dx, dy) = (q[0] - p.x, q[1] - p.y);
                let d2 = dx * dx + dy * dy;
                if d2 < best[2] && d2 > 0.0 {
                    best[2] = d2;
                    best.sort_by(f64::total_cmp);
                }
            }
        }
        best.iter().map(|d| d.sqrt()).sum::<f64>() / 3.0
    }

    /// Positions of the dots strictly within `r` of `p`.
    pub fn points_within(&self, p: PointMm, r: f64, out: &mut Vec<PointMm>) {
        out.clear();
        let (x0, y0, x1, y1) = self.cell_range(p, r);
        for cy in y0..=y1 {
            for q in &self.xy[cy * self.w + x0..=cy * self.w + x1] {
                let (dx, dy) = (q[0] - p.x, q[1] - p.y);
                if dx * dx + dy * dy < r * r {
                    out.push(PointMm::new(q[0], q[1]));
                }
            }
        }
    }

    /// Ids of the dots strictly within `r` of `p`.
    pub fn ids_within(&self, p: PointMm, r: f64, out: &mut Vec<u32>) {
        out.clear();
        let (x0, y0, x1, y1) = self.cell_range(p, r);
        for cy in y0..=y1 {
            for c in cy * self.w + x0..=cy * self.w + x1 {
                let q = self.xy[c];
                let (dx, dy) = (q[0] - p.x, q[1] - p.y);
                if dx * dx + dy * dy < r * r {
                    out.push(self.id[c]);
                }
            }
        }
    }

    /// Whether any dot lies strictly within `r` of `p`.
    pub fn occupied(&self, p: PointMm, r: f64) -> bool {
        let (cx, cy) = self.cell_of(p.x, p.y);
        if cx < 0 || cy < 0 || cx as usize >= self.w || cy as usize >= self.h {
            return true;
        }
        if self.id[cy as usize * self.w + cx as usize] != EMPTY {
            return true;
        }
        let r2 = r * r;
        let (x0, y0, x1, y1) = self.cell_range(p, r);
        for cy in y0..=y1 {
            let row = &self.xy[cy * self.w + x0..=cy * self.w + x1];
            for q in row {
                let (dx, dy) = (q[0] - p.x, q[1] - p.y);
                if dx * dx + dy * dy < r2 {
                    return true;
                }
            }
        }
        false
    }

    /// Cell size, mm.
    pub fn cell_mm(&self) -> f64 {
        self.cell
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.w * self.h
    }

    /// Whether cell `c` holds no dot.
    pub fn is_free(&self, c: usize) -> bool {
        self.id[c] == EMPTY
    }

    /// Lower-left corner of cell `c`.
    pub fn cell_origin(&self, c: usize) -> PointMm {
        PointMm::new(
            self.origin.x + (c % self.w) as f64 * self.cell,
            self.origin.y + (c / self.w) as f64 * self.cell,
        )
    }
}
