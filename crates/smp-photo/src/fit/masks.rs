//! Cell masks on the surface grid: growing, closing, connected areas, small holes filled and specks dropped.

use super::grid::SurfaceGrid;
use crate::labels::Label;

/// A mask grown by one cell (4-neighbours).
pub(super) fn dilate(m: &[bool], w: usize, h: usize) -> Vec<bool> {
    (0..w * h)
        .map(|k| m[k] || neighbours(k, w, h).into_iter().flatten().any(|n| m[n]))
        .collect()
}

/// Each 4-connected area of the cells of `m` equal to `want`, as its cell indices.
pub(super) fn areas(m: &[bool], want: bool, w: usize, h: usize) -> Vec<Vec<usize>> {
    let mut seen = vec![false; w * h];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    for start in 0..w * h {
        if m[start] != want || seen[start] {
            continue;
        }
        let mut area = Vec::new();
        seen[start] = true;
        stack.push(start);
        while let Some(k) = stack.pop() {
            area.push(k);
            for n in neighbours(k, w, h).into_iter().flatten() {
                if m[n] == want && !seen[n] {
                    seen[n] = true;
                    stack.push(n);
                }
            }
        }
        out.push(area);
    }
    out
}

/// The 4-neighbours of cell `k` inside the `w`×`h` grid.
pub(super) fn neighbours(k: usize, w: usize, h: usize) -> [Option<usize>; 4] {
    let (i, j) = (k % w, k / w);
    [
        (i > 0).then(|| k - 1),
        (i + 1 < w).then(|| k + 1),
        (j > 0).then(|| k - w),
        (j + 1 < h).then(|| k + w),
    ]
}

/// Fill the holes of `m` smaller than `max_cells` cells (areas of `false` not connected
/// to the border).
pub(super) fn fill_small_holes(m: &mut [bool], w: usize, h: usize, max_cells: usize) {
    for area in areas(m, false, w, h) {
        let border = area.iter().any(|&k| {
            let (i, j) = (k % w, k / w);
            i == 0 || j == 0 || i + 1 == w || j + 1 == h
        });
        if !border && area.len() < max_cells {
            for &k in &area {
                m[k] = true;
            }
        }
    }
}

/// Clear the areas of `treat` smaller than `max_cells` that lie wholly inside the
/// client's hair (every cell around them haired): specks of the labels' noise, where
/// full-density dots on top of the hair would draw a dark blot.
pub(super) fn drop_specks_in_hair(treat: &mut [bool], grid: &SurfaceGrid, max_cells: usize) {
    let (w, h) = (grid.w, grid.h);
    for area in areas(treat, true, w, h) {
        if area.len() >= max_cells {
            continue;
        }
        let in_hair = area.iter().all(|&k| {
            neighbours(k, w, h)
                .into_iter()
                .all(|n| n.is_some_and(|n| treat[n] || matches!(grid.cells[n], Some((Label::Haired, _)))))
        });
        if in_hair {
            for &k in &area {
                treat[k] = false;
            }
        }
    }
}

/// Morphological closing (grow, then shrink), filling one-cell notches and pinholes the
/// labels leave at the border of an area.
pub(super) fn close(m: &mut Vec<bool>, w: usize, h: usize) {
    let grown = dilate(m, w, h);
    let inverted: Vec<bool> = grown.iter().map(|&b| !b).collect();
    *m = dilate(&inverted, w, h).iter().map(|&b| !b).collect();
}
