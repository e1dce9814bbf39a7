//! Spatial coherence of the hair levels (bare, thinning, haired) as a Markov random
//! field: each cell's cost of each level plus, between neighbours, a cost per level of
//! difference. Hair levels are ordered, so the pairwise cost is linear in their
//! difference (convex) and one minimum cut of Ishikawa's layered graph (Ishikawa 2003,
//! "Exact optimization for Markov random fields with convex priors") gives the exact
//! optimum: no speckle survives that does not pay for its boundary.

use super::cells::CellGrid;
use super::maxflow::Network;

/// Number of ordered levels.
pub(crate) const LEVELS: usize = 3;

/// The levels minimising Σ `unary[i][level]` + Σ `weight(i, j)`·|level_i − level_j| over
/// the 4-neighbour pairs of `active` cells; inactive cells get level 0.
pub(crate) fn smooth_levels(grid: &CellGrid, unary: &[[f32; LEVELS]], active: &[bool], weight: impl Fn(usize, usize) -> f32) -> Vec<u8> {
    let n = unary.len();
    let mut slot = vec![usize::MAX; n];
    let mut cells = Vec::new();
    for i in (0..n).filter(|&i| active[i]) {
        slot[i] = cells.len();
        cells.push(i);
    }
    const L: usize = LEVELS - 1;
    let node = |a: usize, k: usize| a * L + k;
    let mut g = Network::new(cells.len() * L);
    let (s, t) = (g.source(), g.sink());
    for (a, &i) in cells.iter().enumerate() {
        // Costs are relative per cell: shift them to non-negative capacities.
        let low = unary[i].iter().copied().fold(f32::INFINITY, f32::min);
        let u = unary[i].map(|c| c - low);
        g.add(s, node(a, 0), u[0], 0.0);
        for k in 0..L - 1 {
            // The reverse edge is uncuttable: each cell's chain is cut exactly once.
            g.add(node(a, k), node(a, k + 1), u[k + 1], f32::INFINITY);
        }
        g.add(node(a, L - 1), t, u[L], 0.0);
        let w = grid.width as usize;
        for j in [i + 1, i + w] {
            if j >= n || (j == i + 1 && j % w == 0) || slot[j] == usize::MAX {
                continue;
            }
            let c = weight(i, j);
            for k in 0..L {
                g.add(node(a, k), node(slot[j], k), c, c);
            }
        }
    }
    let side = g.solve();
    let mut out = vec![0u8; n];
    for (a, &i) in cells.iter().enumerate() {
        out[i] = (0..L).filter(|&k| side[node(a, k)]).count() as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_cell_joins_its_neighbours_and_a_region_keeps_its_level() {
        let grid = CellGrid {
            width: 7,
            height: 7,
            cell_px: 1,
        };
        let prefer = |l: usize| {
            let mut u = [1.0f32; LEVELS];
            u[l] = 0.0;
            u
        };
        // Haired everywhere but one bald cell and a 3×3 thinning block at the corner.
        let mut unary = vec![prefer(2); 49];
        unary[24] = prefer(0);
        for y in 0..3 {
            for x in 0..3 {
                unary[y * 7 + x] = prefer(1);
            }
        }
        let out = smooth_levels(&grid, &unary, &[true; 49], |_, _| 0.3);
        assert_eq!(out[24], 2, "the lone cell pays 4 boundaries for 1 unit of data");
        assert_eq!(out[8], 1, "the block's inside keeps its level");
        assert_eq!(out[48], 2);
        let none = smooth_levels(&grid, &unary, &[true; 49], |_, _| 0.0);
        assert_eq!(none[24], 0);
    }
}
