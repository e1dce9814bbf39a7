//! The user's corrections, as GrabCut takes them: a few points on hair and on scalp.
//! They re-seed the bare and haired references and pin the label around each point.

use serde::{Deserialize, Serialize};

use super::cells::CellGrid;

/// Seed points in photo pixels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Seeds {
    /// Points on the client's hair.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hair_px: Vec<[f64; 2]>,
    /// Points on bare scalp.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scalp_px: Vec<[f64; 2]>,
}

impl Seeds {
    /// Whether there are no seed points.
    pub fn is_empty(&self) -> bool {
        self.hair_px.is_empty() && self.scalp_px.is_empty()
    }
}

/// Cells within `radius_px` of any of `points`.
pub(crate) fn near(grid: &CellGrid, points: &[[f64; 2]], radius_px: f64) -> Vec<bool> {
    let n = grid.width as usize * grid.height as usize;
    let mut out = vec![false; n];
    let r2 = radius_px * radius_px;
    let s = f64::from(grid.cell_px);
    for p in points {
        let (x0, x1) = (
            ((p[0] - radius_px) / s).floor().max(0.0) as usize,
            ((p[0] + radius_px) / s).ceil() as usize,
        );
        let (y0, y1) = (
            ((p[1] - radius_px) / s).floor().max(0.0) as usize,
            ((p[1] + radius_px) / s).ceil() as usize,
        );
        for cy in y0..=y1.min(grid.height as usize - 1) {
            for cx in x0..=x1.min(grid.width as usize - 1) {
                let i = cy * grid.width as usize + cx;
                let (x, y) = grid.centre_px(i);
                if (x - p[0]).powi(2) + (y - p[1]).powi(2) <= r2 || grid.cell_at(p[0], p[1]) == Some(i) {
                    out[i] = true;
                }
            }
        }
    }
    out
}
