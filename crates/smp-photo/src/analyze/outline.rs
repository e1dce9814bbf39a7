//! The client's outline in the photo: the boundary of the body's cells traced in order
//! (Moore neighbour tracing), simplified to a polygon in pixels.

use super::cells::CellGrid;

/// The 8 neighbour offsets, clockwise from west (image y down).
const RING: [(i64, i64); 8] = [(-1, 0), (-1, -1), (0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1)];

/// The outer boundary of the cell set `set` (one component expected), as a polygon of
/// cell centres in photo pixels, simplified to within `tolerance_px`.
pub(crate) fn trace_outline(grid: &CellGrid, set: &[bool], tolerance_px: f64) -> Vec<[f64; 2]> {
    let (w, h) = (grid.width as i64, grid.height as i64);
    let at = |x: i64, y: i64| x >= 0 && y >= 0 && x < w && y < h && set[(y * w + x) as usize];
    let Some(start) = set.iter().position(|&s| s) else {
        return Vec::new();
    };
    let start = ((start as i64) % w, (start as i64) / w);
    let mut boundary = vec![start];
    // Entered from the west (the start is the first set cell in raster order).
    let (mut cur, mut back) = (start, 0usize);
    for _ in 0..(4 * w * h) {
        let mut next = None;
        for k in 1..=8 {
            let d = (back + k) % 8;
            let (nx, ny) = (cur.0 + RING[d].0, cur.1 + RING[d].1);
            if at(nx, ny) {
                next = Some(((nx, ny), d));
                break;
            }
        }
        let Some((n, d)) = next else { break };
        if n == start && boundary.len() > 1 {
            break;
        }
        boundary.push(n);
        // Resume the search just past the cell we came from.
        back = (d + 4) % 8;
        cur = n;
    }
    let s = f64::from(grid.cell_px);
    let mut pts: Vec<[f64; 2]> = boundary
        .iter()
        .map(|&(x, y)| [(x as f64 + 0.5) * s, (y as f64 + 0.5) * s])
        .collect();
    // Simplify the closed ring through its start, then drop the repeated start.
    pts.push(pts[0]);
    let mut poly = simplify(&pts, tolerance_px);
    if poly.len() > 1 {
        poly.pop();
    }
    poly
}

/// Douglas–Peucker simplification of an open polyline.
pub(crate) fn simplify(pts: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (p, q) = (pts[a], pts[b]);
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        let len = (dx * dx + dy * dy).sqrt();
        let mut far = (0.0, a);
        for (i, r) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = if len > 0.0 {
                ((r[0] - p[0]) * dy - (r[1] - p[1]) * dx).abs() / len
            } else {
                ((r[0] - p[0]).powi(2) + (r[1] - p[1]).powi(2)).sqrt()
            };
            if d > far.0 {
                far = (d, i);
            }
        }
        if far.0 > tol {
            keep[far.1] = true;
            stack.push((a, far.1));
            stack.push((far.1, b));
        }
    }
    pts.iter().zip(&keep).filter(|(_, k)| **k).map(|(p, _)| *p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_traces_to_its_four_corners() {
        let g = CellGrid {
            width: 6,
            height: 6,
            cell_px: 10,
        };
        let set: Vec<bool> = (0..36).map(|i| (1..5).contains(&(i % 6)) && (1..5).contains(&(i / 6))).collect();
        let poly = trace_outline(&g, &set, 1.0);
        assert_eq!(poly.len(), 4, "{poly:?}");
        for c in [[15.0, 15.0], [45.0, 15.0], [45.0, 45.0], [15.0, 45.0]] {
            assert!(poly.contains(&c), "{poly:?}");
        }
    }
}
