//! Photo analysis: what each part of a view's photo shows (background, non-scalp skin,
//! bald, thinning or haired scalp, scar), how much of the scalp the client's own hair
//! hides, the client's outline and the fringe where native hair begins.
//!
//! Classical methods only, on cells of about 1.5 mm read once from the full-resolution
//! photo: a colour-and-texture mixture separates the client from the background (which
//! must reach the image border), linear unmixing between a bare and a haired reference
//! plus fine-scale texture give the native coverage, majority smoothing removes
//! speckle, and two anatomical rules tell the forehead, ears and neck from bald scalp:
//! the frontal hairline line projected through the view, and the permanent fringe at the
//! sides and back. A few user points re-seed the references and pin the label around
//! them, as GrabCut does.

mod background;
mod cells;
pub mod constants;
mod features;
mod fringe;
pub mod geometry;
mod gmm;
mod hair;
pub(crate) mod lsq;
mod outline;
mod overlay;
mod reuse;
mod seeds;
mod stored;

use image::RgbImage;
use rayon::prelude::*;
use smp_design::{Design, View};

use self::cells::{CellGrid, mode_smooth};
use self::constants::{BALD_MAX_COVERAGE, CELL_MM, FACE_BELOW_LINE_MM, HAIRED_MIN_COVERAGE, SEED_PIN_RADIUS_MM};
pub(crate) use self::features::box_mean;
use self::features::cell_features;
use self::geometry::{frontal_line, in_front_of_line, in_loss_zone, line_y_at, unproject};
use self::gmm::D;
use self::hair::{HairInput, Prior};
use crate::labels::{Label, LabelMap};

pub use self::hair::HairModel;
pub use self::overlay::{LABEL_COLOURS, draw_overlay};
pub use self::reuse::{ViewLabels, ViewLabelsError, view_labels};
pub use self::seeds::Seeds;
pub use self::stored::{StoreError, from_stored, to_stored};

/// What the analysis of one view found.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The label and native coverage of every cell.
    pub labels: LabelMap,
    /// The client's outline, a polygon in photo pixels.
    pub outline_px: Vec<[f64; 2]>,
    /// Where native hair begins next to bald scalp: polylines in photo pixels.
    pub fringe_px: Vec<Vec<[f64; 2]>>,
    /// The bare and haired references the coverage was measured against.
    pub hair: HairModel,
    /// The user's seed points the analysis used.
    pub seeds: Seeds,
}

/// Why a photo cannot be analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalyzeError {
    /// The view's scale is missing or implausible.
    #[error("view {view:?} is not calibrated ({px_per_mm:.3} pixels per mm); calibrate it first with a ruler, a coin or the pupils")]
    NotCalibrated {
        /// The view.
        view: String,
        /// Its scale.
        px_per_mm: f64,
    },
    /// The photo is not the one the view was calibrated on.
    #[error(
        "the photo is {width}×{height} pixels, but view {view:?} puts the head's centre at ({x:.0}, {y:.0}), outside it: use the photo the view was calibrated on, or calibrate again"
    )]
    WrongPhoto {
        /// The view.
        view: String,
        /// Photo width, pixels.
        width: u32,
        /// Photo height, pixels.
        height: u32,
        /// Where the view expects the head's centre, pixels.
        x: f64,
        /// … row.
        y: f64,
    },
    /// No client could be told from the background.
    #[error("no head could be told from the background in view {view:?}; mark a few hair and scalp points")]
    NoHead {
        /// The view.
        view: String,
    },
}

/// Where the view expects the head's centre in its photo: the head ellipse's centre, else
/// where the design's regions (or the glabella) land.
fn expected_centre(view: &View, design: &Design) -> Option<(f64, f64)> {
    if let Some(h) = &view.head {
        return Some((h.center_px[0], h.center_px[1]));
    }
    let pts: Vec<(f64, f64)> = design
        .regions()
        .iter()
        .flat_map(|r| r.polygon.iter())
        .map(|&p| view.mm_to_px.apply(p))
        .collect();
    if pts.is_empty() {
        return design.glabella().map(|g| view.mm_to_px.apply(g));
    }
    let n = pts.len() as f64;
    Some((pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n))
}

/// Native coverage from which the temples, sides and back count as haired: there the
/// choice is only hair or bare skin (ears, neck), so the midpoint.
const GEOMETRIC_HAIR_MIN_COVERAGE: f32 = 0.5;

/// Forehead cells needed for their texture to anchor bare skin's.
const MIN_FOREHEAD_CELLS: usize = 30;

/// Half-width of the averaging window of the hair model's inputs, cells.
const HAIR_SMOOTHING_CELLS: u32 = 2;

/// Analyse `photo` as seen through `view` of `design`, re-seeded by the user's `seeds`.
pub fn analyze(photo: &RgbImage, view: &View, design: &Design, seeds: &Seeds) -> Result<Analysis, AnalyzeError> {
    let ppm = view.mm_to_px.px_per_mm();
    if !(ppm.is_finite() && (0.5..=200.0).contains(&ppm)) {
        return Err(AnalyzeError::NotCalibrated {
            view: view.name.clone(),
            px_per_mm: ppm,
        });
    }
    let (w_px, h_px) = (photo.width(), photo.height());
    if let Some((x, y)) = expected_centre(view, design)
        && !(x >= 0.0 && y >= 0.0 && x < f64::from(w_px) && y < f64::from(h_px))
    {
        return Err(AnalyzeError::WrongPhoto {
            view: view.name.clone(),
            width: w_px,
            height: h_px,
            x,
            y,
        });
    }
    let cell_px = ((CELL_MM * ppm).round() as u32).max(1);
    let f = cell_features(photo, cell_px);
    let grid = CellGrid {
        width: f.width,
        height: f.height,
        cell_px,
    };
    let n = f.len();
    let tex: Vec<f32> = box_mean(&f.laplacian, f.width, f.height, 1)
        .iter()
        .map(|&e| (1.0 + e).ln())
        .collect();
    let lab: [Vec<f32>; 3] = std::array::from_fn(|k| box_mean(&f.lab.iter().map(|l| l[k]).collect::<Vec<_>>(), f.width, f.height, 1));
    let feats: Vec<[f32; D]> = (0..n).map(|i| [lab[0][i], lab[1][i], lab[2][i], 5.0 * tex[i]]).collect();

    let pin_px = SEED_PIN_RADIUS_MM * ppm;
    let hair_seed = seeds::near(&grid, &seeds.hair_px, pin_px);
    let bare_seed = seeds::near(&grid, &seeds.scalp_px, pin_px);
    // Sure client cells: the inner part of the head ellipse (or of the image) and the seeds.
    let (hc, hr) = match &view.head {
        Some(h) => (h.center_px, h.radii_px),
        None => (
            [f64::from(w_px) / 2.0, f64::from(h_px) / 2.0],
            [f64::from(w_px) / 4.0, f64::from(h_px) / 4.0],
        ),
    };
    let inner: Vec<bool> = (0..n)
        .map(|i| {
            let (x, y) = grid.centre_px(i);
            let q = ((x - hc[0]) / hr[0]).powi(2) + ((y - hc[1]) / hr[1]).powi(2);
            q < 0.36 || hair_seed[i] || bare_seed[i]
        })
        .collect();
    let (body, _) = background::segment_body(&grid, &feats, &inner);
    if body.iter().filter(|b| **b).count() < 2 {
        return Err(AnalyzeError::NoHead { view: view.name.clone() });
    }

    let line = frontal_line(design);
    let core = crate::labels::frontal_line_mm(design);
    let face = |p: smp_design::PointMm| line_y_at(&core, p.x).is_some_and(|y| p.y < y - FACE_BELOW_LINE_MM);
    let points: Vec<Option<smp_design::PointMm>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let (x, y) = grid.centre_px(i);
            unproject(view, x, y)
        })
        .collect();
    // The hair model covers the head's visible hemisphere; off it lie the face and neck.
    let (hc, hr) = match &view.head {
        Some(h) => (h.center_px, h.radii_px),
        None => (hc, [2.0 * hr[0], 2.0 * hr[1]]),
    };
    let basis: Vec<[f32; hair::BASIS]> = (0..n)
        .map(|i| {
            let (x, y) = grid.centre_px(i);
            hair::basis(((x - hc[0]) / hr[0]) as f32, ((y - hc[1]) / hr[1]) as f32)
        })
        .collect();
    // Hair is a property of areas, not of single cells: average over ~3 cells each way.
    let smooth_linear: [Vec<f32>; 3] = std::array::from_fn(|k| {
        box_mean(
            &f.linear.iter().map(|l| l[k]).collect::<Vec<_>>(),
            f.width,
            f.height,
            HAIR_SMOOTHING_CELLS,
        )
    });
    let smoothed: Vec<[f32; 3]> = (0..n)
        .map(|i| [smooth_linear[0][i], smooth_linear[1][i], smooth_linear[2][i]])
        .collect();
    let prior: Vec<Prior> = (0..n)
        .map(|i| match points[i] {
            _ if !body[i] => Prior::Off,
            _ if hair_seed[i] => Prior::Hair,
            _ if bare_seed[i] => Prior::Bare,
            // Off the hemisphere (face, neck) the shading basis does not reach.
            None => Prior::Off,
            // The face's features (brows, eyes, lips) are neither skin nor hair to the model.
            Some(p) if face(p) => Prior::Off,
            // The forehead is skin by the rule, and its own tint (face skin) would be a
            // third colour to the model; the temples beside it may carry hair.
            Some(p) if in_front_of_line(&core, p) => Prior::Off,
            Some(p) if !in_loss_zone(p) => Prior::LeanHair,
            Some(_) => Prior::Free,
        })
        .collect();
    // Texture is read over ~7 mm: single cells hold only a few stubble tips.
    let rough: Vec<f32> = box_mean(&f.laplacian, f.width, f.height, HAIR_SMOOTHING_CELLS)
        .iter()
        .map(|&e| (1.0 + e).ln())
        .collect();
    // The forehead band is bare skin by the rule: its texture is the camera's own grain
    // on skin, the floor bare scalp sits on.
    let forehead: Vec<f32> = (0..n)
        .filter(|&i| body[i] && points[i].is_some_and(|p| in_front_of_line(&core, p) && !face(p)))
        .map(|i| rough[i])
        .collect();
    let bare_texture = (forehead.len() >= MIN_FOREHEAD_CELLS).then(|| {
        let mut v = forehead;
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    });
    let hair = hair::fit_hair(&HairInput {
        linear: &smoothed,
        basis: &basis,
        prior: &prior,
        texture: &rough,
        bare_texture,
    })
    .ok_or_else(|| AnalyzeError::NoHead { view: view.name.clone() })?;
    if std::env::var_os("SMP_ANALYZE_DEBUG").is_some() {
        eprintln!("hair model: {hair:?}");
    }
    let coverage: Vec<f32> = (0..n)
        .map(|i| {
            if prior[i] == Prior::Off {
                0.0
            } else {
                hair.coverage(&smoothed[i], &basis[i], rough[i])
            }
        })
        .collect();

    let label_of = |i: usize| -> Label {
        if !body[i] {
            return Label::Background;
        }
        let c = coverage[i];
        // In front of the hairline is forehead, whatever grows there (brows).
        if points[i].is_some_and(|p| in_front_of_line(&core, p)) {
            return Label::Skin;
        }
        let geometric_skin = points[i].is_none_or(|p| in_front_of_line(&line, p) || !in_loss_zone(p));
        if geometric_skin {
            // The temples and the permanent fringe keep their hair; bare skin there is
            // temple, ear, neck or face.
            if c >= GEOMETRIC_HAIR_MIN_COVERAGE {
                Label::Haired
            } else {
                Label::Skin
            }
        } else if c < BALD_MAX_COVERAGE {
            Label::Bald
        } else if c < HAIRED_MIN_COVERAGE {
            Label::Thinning
        } else {
            Label::Haired
        }
    };
    let mut labels: Vec<u8> = (0..n).map(|i| label_of(i).code()).collect();
    labels = mode_smooth(&labels, &body, f.width, f.height, 2);
    for i in 0..n {
        if hair_seed[i] {
            labels[i] = Label::Haired.code();
        } else if bare_seed[i] {
            labels[i] = Label::Bald.code();
        }
    }
    let mut map = LabelMap::new(f.width, f.height, cell_px);
    for i in 0..n {
        let l = Label::from_code(labels[i]).unwrap_or(Label::Background);
        let c = if l.is_scalp() { coverage[i] } else { 0.0 };
        map.labels[i] = l.code();
        map.coverage[i] = match l {
            Label::Haired => c.max(HAIRED_MIN_COVERAGE),
            Label::Bald => c.min(BALD_MAX_COVERAGE),
            _ => c,
        };
    }
    let outline_px = outline::trace_outline(&grid, &body, f64::from(cell_px));
    let fringe_px = fringe::fringe(&grid, &map.labels, f64::from(cell_px));
    Ok(Analysis {
        labels: map,
        outline_px,
        fringe_px,
        hair,
        seeds: seeds.clone(),
    })
}
