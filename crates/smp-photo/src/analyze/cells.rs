//! The grid of cells the analysis works on, with its neighbourhood operations: flood
//! fill, connected components and majority smoothing of a cell set.

use std::collections::VecDeque;

/// A grid of `width` × `height` cells of `cell_px` photo pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CellGrid {
    /// Cells across.
    pub width: u32,
    /// Cells down.
    pub height: u32,
    /// Photo pixels per cell side.
    pub cell_px: u32,
}

/// Connected components of a cell set.
pub(crate) struct Components {
    /// Component of each cell (`usize::MAX` outside the set).
    pub id: Vec<usize>,
    /// Number of components.
    pub count: usize,
}

impl CellGrid {
    /// Photo-pixel centre of cell `i`.
    pub fn centre_px(&self, i: usize) -> (f64, f64) {
        let (x, y) = (i % self.width as usize, i / self.width as usize);
        let s = f64::from(self.cell_px);
        ((x as f64 + 0.5) * s, (y as f64 + 0.5) * s)
    }

    /// The cell under photo pixel (`x`, `y`), if on the grid.
    pub fn cell_at(&self, x: f64, y: f64) -> Option<usize> {
        let s = f64::from(self.cell_px);
        if !(x >= 0.0 && y >= 0.0) {
            return None;
        }
        let (cx, cy) = ((x / s) as usize, (y / s) as usize);
        (cx < self.width as usize && cy < self.height as usize).then(|| cy * self.width as usize + cx)
    }

    /// 4-neighbours of cell `i`.
    pub fn neighbours(&self, i: usize) -> impl Iterator<Item = usize> {
        let (w, h) = (self.width as usize, self.height as usize);
        let (x, y) = (i % w, i / w);
        [
            (x > 0).then(|| i - 1),
            (x + 1 < w).then(|| i + 1),
            (y > 0).then(|| i - w),
            (y + 1 < h).then(|| i + w),
        ]
        .into_iter()
        .flatten()
    }

    /// Cells of `set` reachable (4-connected, within `set`) from the cells where `start`.
    pub fn flood(&self, set: &[bool], start: impl Fn(usize) -> bool) -> Vec<bool> {
        let mut seen = vec![false; set.len()];
        let mut q = VecDeque::new();
        for i in 0..set.len() {
            if set[i] && start(i) {
                seen[i] = true;
                q.push_back(i);
            }
        }
        while let Some(i) = q.pop_front() {
            for j in self.neighbours(i) {
                if set[j] && !seen[j] {
                    seen[j] = true;
                    q.push_back(j);
                }
            }
        }
        seen
    }

    /// 4-connected components of `set`.
    pub fn components(&self, set: &[bool]) -> Components {
        let mut id = vec![usize::MAX; set.len()];
        let mut count = 0;
        let mut q = VecDeque::new();
        for s in 0..set.len() {
            if !set[s] || id[s] != usize::MAX {
                continue;
            }
            id[s] = count;
            q.push_back(s);
            while let Some(i) = q.pop_front() {
                for j in self.neighbours(i) {
                    if set[j] && id[j] == usize::MAX {
                        id[j] = count;
                        q.push_back(j);
                    }
                }
            }
            count += 1;
        }
        Components { id, count }
    }
}

/// `passes` rounds of 3×3 majority voting on a boolean map: isolated cells join their
/// neighbourhood (the smoothing prior of a Markov random field, without its solver).
pub(crate) fn majority_smooth(v: &[bool], w: u32, h: u32, passes: usize) -> Vec<bool> {
    let (w, h) = (w as i64, h as i64);
    let mut cur = v.to_vec();
    for _ in 0..passes {
        let mut next = cur.clone();
        for y in 0..h {
            for x in 0..w {
                let (mut on, mut n) = (0, 0);
                for dy in -1..=1 {
                    for dx in -1..=1 {
                        let (a, b) = (x + dx, y + dy);
                        if a >= 0 && b >= 0 && a < w && b < h {
                            n += 1;
                            on += cur[(b * w + a) as usize] as i32;
                        }
                    }
                }
                next[(y * w + x) as usize] = 2 * on > n;
            }
        }
        cur = next;
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flood_components_and_smoothing() {
        let g = CellGrid {
            width: 5,
            height: 3,
            cell_px: 2,
        };
        let set = vec![
            true, true, false, true, true, false, false, false, true, true, false, false, false, false, false,
        ];
        let c = g.components(&set);
        assert_eq!(c.count, 2);
        let reached = g.flood(&set, |i| i == 0);
        assert_eq!(reached.iter().filter(|r| **r).count(), 2);
        assert_eq!(g.cell_at(3.0, 5.0), Some(2 * 5 + 1));
        let lone = {
            let mut v = vec![false; 15];
            v[7] = true;
            v
        };
        assert!(!majority_smooth(&lone, 5, 3, 1)[7]);
    }
}
