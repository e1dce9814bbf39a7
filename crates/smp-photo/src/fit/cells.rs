//! The cells of the surface grid a fit treats, and those of skin it keeps free.

use smp_design::{Design, PointMm};

use super::grid::{CELL_MM, SurfaceGrid};
use super::hairline;
use super::masks::*;
use super::{FRONT_MARGIN_MM, MIN_SKIN_CM2, MIN_SPECK_CM2, SOFT_EDGE_CELLS};
use crate::labels::Label;

/// The cells to treat, and the native hair cover of those treated as thinning: bald and
/// thinning scalp, and the forehead skin behind a `proposed` hairline (where the client
/// chose a lower line than the photo's analysis assumed).
pub(super) fn treat_cells(grid: &SurfaceGrid, design: &Design, proposed: Option<&[PointMm]>) -> (Vec<bool>, Vec<Option<f32>>) {
    let (mut treat, mut thinning_cov) = labelled(grid, design, proposed);
    // Sparse hair within a few millimetres of skin is a natural soft edge (nape,
    // sideburns, around the ears), not thinning to treat.
    let mut near_skin: Vec<bool> = grid.cells.iter().map(|c| matches!(c, Some((Label::Skin, _)))).collect();
    for _ in 0..SOFT_EDGE_CELLS {
        near_skin = dilate(&near_skin, grid.w, grid.h);
    }
    for k in 0..grid.w * grid.h {
        if near_skin[k] && thinning_cov[k].is_some() {
            treat[k] = false;
            thinning_cov[k] = None;
        }
    }
    drop_specks_in_hair(&mut treat, grid, (MIN_SPECK_CM2 * 100.0 / (CELL_MM * CELL_MM)) as usize);
    for k in 0..grid.w * grid.h {
        if !treat[k] {
            thinning_cov[k] = None;
        }
    }
    // Close notches of the scalp only: skin and background stay untreated.
    let scalp: Vec<bool> = grid.cells.iter().map(|c| c.is_some_and(|(l, _)| l.is_scalp())).collect();
    let before = treat.clone();
    close(&mut treat, grid.w, grid.h);
    for k in 0..grid.w * grid.h {
        treat[k] = before[k] || (treat[k] && scalp[k]);
    }
    // The treat polygon ends where the hair begins: its edge blend, not a grown polygon,
    // carries the dots on into the hair, so no bare strip is left and no band of full
    // density lies on the hair (tested: no gap over 3 mm on 24 synthetic heads).
    (treat, thinning_cov)
}

/// [`treat_cells`] by each cell's own label, before soft edges, specks and notches.
fn labelled(grid: &SurfaceGrid, design: &Design, proposed: Option<&[PointMm]>) -> (Vec<bool>, Vec<Option<f32>>) {
    let frontal = crate::labels::frontal_line_mm(design);
    let n = grid.w * grid.h;
    let mut treat = vec![false; n];
    let mut thinning_cov: Vec<Option<f32>> = vec![None; n];
    for j in 0..grid.h {
        for i in 0..grid.w {
            let k = j * grid.w + i;
            let Some((label, cov)) = grid.cells[k] else { continue };
            match label {
                Label::Bald => treat[k] = true,
                Label::Thinning => {
                    treat[k] = true;
                    thinning_cov[k] = Some(cov);
                }
                Label::Skin => {
                    if let Some(h) = proposed {
                        // Forehead skin is treated only where the chosen hairline lies in
                        // front of the line the analysis took as the end of the forehead.
                        let p = grid.point(i, j);
                        let y0 = hairline::y_at(h, p.x);
                        let forehead_end = hairline::y_at(&frontal, p.x);
                        let inside = p.x >= h[0].x && p.x <= h[h.len() - 1].x;
                        if inside && y0 + FRONT_MARGIN_MM < forehead_end && p.y >= y0 - FRONT_MARGIN_MM && p.y <= forehead_end {
                            treat[k] = true;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    (treat, thinning_cov)
}

/// The skin cells kept free: skin that is not scalp (forehead, ears, neck) and not
/// treated, with one cell of the hair around it, except behind the hairline `line`.
pub(super) fn kept_free(grid: &SurfaceGrid, treat: &[bool], line: Option<&[PointMm]>) -> Vec<bool> {
    // The edge blend fades dots into the hair, the hair band above an ear can be narrower
    // than the fade, and a cell's label is read at its centre only. Bald scalp next to
    // skin is left to the treatment (a temple's bald corner must not open a gap), and
    // behind the hairline the hairline's own ramp keeps the forehead free.
    let mut skin: Vec<bool> = (0..grid.w * grid.h)
        .map(|k| !treat[k] && grid.any[k] == Some(Label::Skin))
        .collect();
    let grown = dilate(&skin, grid.w, grid.h);
    let behind_hairline = |p: PointMm| {
        line.is_some_and(|h| {
            let y0 = hairline::y_at(h, p.x);
            p.x >= h[0].x && p.x <= h[h.len() - 1].x && p.y >= y0 - CELL_MM && p.y <= y0 + 20.0
        })
    };
    for j in 0..grid.h {
        for i in 0..grid.w {
            let k = j * grid.w + i;
            if grown[k] && grid.any[k] == Some(Label::Haired) && !behind_hairline(grid.point(i, j)) {
                skin[k] = true;
            }
        }
    }
    // Specks of skin inside the scalp are the labels' noise, and pinholes in the skin
    // would cut it into pieces: neither makes a region of its own.
    fill_small_holes(&mut skin, grid.w, grid.h, (MIN_SKIN_CM2 * 100.0 / (CELL_MM * CELL_MM)) as usize);
    skin
}
