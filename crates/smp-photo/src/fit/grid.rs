//! The photo's labels read on a grid over the head surface (design mm): every region the
//! fit proposes is drawn on this grid, so it lives in head-surface millimetres like the
//! rest of the design and fits from several views merge.

use smp_design::{PointMm, View};

use crate::labels::{Label, LabelMap};
use crate::view::project;

/// Grid spacing on the scalp, mm: finer than the 3 mm gap the fit must not leave, coarse
/// enough that a 12 MP photo's fit stays a few milliseconds.
pub const CELL_MM: f64 = 1.0;

/// Surface points at a grazing angle (foreshortened below this) are left to other views:
/// a pixel there spans several millimetres of scalp.
pub const MIN_FORESHORTEN: f64 = 0.3;

/// The head's surface in design mm that any view can show, down to the ears and the
/// neck: glabella at (0, 0), y towards the back, x to the client's right.
const X_RANGE_MM: (f64, f64) = (-230.0, 230.0);
const Y_RANGE_MM: (f64, f64) = (-60.0, 420.0);

/// What a view shows at each grid cell: `None` where the view does not see the surface.
#[derive(Debug, Clone)]
pub struct SurfaceGrid {
    /// Cells across (x).
    pub w: usize,
    /// Cells down (y).
    pub h: usize,
    /// Design point of cell (0, 0)'s centre.
    pub origin: PointMm,
    /// Per cell: the label and native coverage the view shows there face-on enough to
    /// judge (foreshortened no more than [`MIN_FORESHORTEN`]).
    pub cells: Vec<Option<(Label, f32)>>,
    /// Per cell: the label wherever the view shows the surface at all, grazing included.
    pub any: Vec<Option<Label>>,
}

impl SurfaceGrid {
    /// Read `labels` through `view` on the grid.
    pub fn read(view: &View, labels: &LabelMap) -> Self {
        let w = ((X_RANGE_MM.1 - X_RANGE_MM.0) / CELL_MM) as usize;
        let h = ((Y_RANGE_MM.1 - Y_RANGE_MM.0) / CELL_MM) as usize;
        let origin = PointMm::new(X_RANGE_MM.0 + CELL_MM / 2.0, Y_RANGE_MM.0 + CELL_MM / 2.0);
        let mut cells = vec![None; w * h];
        let mut any = vec![None; w * h];
        for j in 0..h {
            for i in 0..w {
                let p = PointMm::new(origin.x + i as f64 * CELL_MM, origin.y + j as f64 * CELL_MM);
                if let Some(q) = project(view, p) {
                    let label = labels.at_px(q.x, q.y);
                    if label == Label::Background {
                        continue;
                    }
                    any[j * w + i] = Some(label);
                    if q.foreshorten >= MIN_FORESHORTEN {
                        cells[j * w + i] = Some((label, labels.coverage_at_px(q.x, q.y)));
                    }
                }
            }
        }
        SurfaceGrid { w, h, origin, cells, any }
    }

    /// Centre of cell (`i`, `j`).
    pub fn point(&self, i: usize, j: usize) -> PointMm {
        PointMm::new(self.origin.x + i as f64 * CELL_MM, self.origin.y + j as f64 * CELL_MM)
    }

    /// The cell holding `p`, if on the grid.
    pub fn cell_of(&self, p: PointMm) -> Option<(usize, usize)> {
        let i = ((p.x - self.origin.x) / CELL_MM + 0.5).floor();
        let j = ((p.y - self.origin.y) / CELL_MM + 0.5).floor();
        (i >= 0.0 && j >= 0.0 && (i as usize) < self.w && (j as usize) < self.h).then_some((i as usize, j as usize))
    }

    /// Label seen at cell (`i`, `j`).
    pub fn label(&self, i: usize, j: usize) -> Option<Label> {
        self.cells[j * self.w + i].map(|c| c.0)
    }

    /// Whether the view sees cell (`i`, `j`).
    pub fn seen(&self, i: usize, j: usize) -> bool {
        self.cells[j * self.w + i].is_some()
    }
}
