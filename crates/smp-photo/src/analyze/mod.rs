//! Photo analysis: what each part of a view's photo shows (background, non-scalp skin,
//! bald, thinning or haired scalp, scar), how much of the scalp the client's own hair
//! hides, the client's outline and the fringe where native hair begins.
//!
//! Classical methods only, on cells of about 1.5 mm read once from the full-resolution
//! photo: a colour-and-texture mixture separates the client from the background (which
//! must reach the image border), linear unmixing between a bare and a haired reference
//! plus fine-scale texture give the native coverage, a Markov random field solved by a
//! minimum cut makes the labels coherent, and two anatomical rules tell the forehead,
//! ears and neck from bald scalp: the frontal hairline line projected through the view,
//! and the permanent fringe at the sides and back. A few user points re-seed the references and pin the label around
//! them, as GrabCut does.

mod background;
mod cells;
mod classify;
pub mod constants;
mod features;
mod fringe;
pub mod geometry;
mod gmm;
mod hair;
pub mod head;
pub(crate) mod lsq;
mod maxflow;
mod mrf;
mod outline;
mod overlay;
mod reuse;
mod seeds;
mod stored;

use image::RgbImage;
use smp_design::{Design, View};

use self::cells::CellGrid;
use self::classify::Places;
use self::constants::{BALD_MAX_COVERAGE, CELL_MM, HAIRED_MIN_COVERAGE, SEED_PIN_RADIUS_MM};
pub(crate) use self::features::box_mean;
use self::features::{CellFeatures, cell_features, masked_box_mean, masked_box_median};
use self::geometry::{in_front_of_line, in_loss_zone};
use self::gmm::D;
use self::hair::{HairInput, Prior};
use crate::labels::{Label, LabelMap};

pub use self::hair::HairModel;
pub use self::overlay::{LABEL_COLOURS, draw_overlay};
pub use self::reuse::{ViewLabels, ViewLabelsError, analyze_into, view_labels};
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

/// Where the view expects the head's centre in its photo: the head ellipse's centre. A
/// view without one (a new photo) makes no claim: its design lies flat on the photo, and
/// its regions may well land off it until the analysis finds the head.
fn expected_centre(view: &View) -> Option<(f64, f64)> {
    view.head.as_ref().map(|h| (h.center_px[0], h.center_px[1]))
}

/// Forehead cells needed for their texture to anchor bare skin's.
const MIN_FOREHEAD_CELLS: usize = 30;

/// Half-width of the averaging window of the hair model's inputs, cells.
const HAIR_SMOOTHING_CELLS: u32 = 2;

/// Half-width of the window of the texture that native coverage reads, cells (~10 mm):
/// wider than [`HAIR_SMOOTHING_CELLS`], as thinning's sparse tips read mottled over
/// 7 mm (patches of it above the haired threshold), and a median, so that the window
/// does not carry hair's energy across a bald boundary. The fit keeps the narrower mean.
/// Tuned on the synthetic sweep (`tests/analyze.rs`): against the 5×5 mean, the 7×7
/// median lifts median IoU bald 0.844 → 0.884, haired 0.776 → 0.798, worst bald
/// 0.399 → 0.414 (haired 0.409 → 0.408); a 7×7 mean gave 0.822 / 0.789 (front views
/// lost bald), a 9×9 median 0.867 / 0.801 but worst bald 0.394.
const COVERAGE_TEXTURE_CELLS: u32 = 3;

/// Texture over its window's median from which a cell holds an edge (an ear's outline,
/// an eye) rather than stubble, and is left out of its neighbours' texture. Tuned on the
/// synthetic sweep (`tests/analyze.rs`): 3 leaves most edges in (median IoU bald 0.77,
/// haired 0.72), 2 the best balance (0.78, 0.72), 1.5 drops hair's own tips on a dark
/// head (worst bald IoU 0.12).
const EDGE_FACTOR: f32 = 2.0;

/// The view's scale, checked, and the photo checked against the view.
fn check_view(photo: &RgbImage, view: &View) -> Result<f64, AnalyzeError> {
    let ppm = view.mm_to_px.px_per_mm();
    if !(ppm.is_finite() && (0.5..=200.0).contains(&ppm)) {
        return Err(AnalyzeError::NotCalibrated {
            view: view.name.clone(),
            px_per_mm: ppm,
        });
    }
    let (w_px, h_px) = (photo.width(), photo.height());
    if let Some((x, y)) = expected_centre(view)
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
    Ok(ppm)
}

/// The head ellipse's centre and radii in pixels; without one, a guess of `scale` times
/// a quarter of the photo.
fn head_ellipse(view: &View, photo: &RgbImage, scale: f64) -> ([f64; 2], [f64; 2]) {
    match &view.head {
        Some(h) => (h.center_px, h.radii_px),
        None => {
            let (w, h) = (f64::from(photo.width()), f64::from(photo.height()));
            ([w / 2.0, h / 2.0], [scale * w / 4.0, scale * h / 4.0])
        }
    }
}

/// The client's cells: a colour-and-texture mixture against the background, with the
/// inner part of the head ellipse and the seeds as sure client cells.
fn client_cells(photo: &RgbImage, view: &View, grid: &CellGrid, f: &CellFeatures, seeded: &[bool]) -> Vec<bool> {
    let n = f.len();
    let tex: Vec<f32> = box_mean(&f.laplacian, f.width, f.height, 1)
        .iter()
        .map(|&e| (1.0 + e).ln())
        .collect();
    let lab: [Vec<f32>; 3] = std::array::from_fn(|k| box_mean(&f.lab.iter().map(|l| l[k]).collect::<Vec<_>>(), f.width, f.height, 1));
    let feats: Vec<[f32; D]> = (0..n).map(|i| [lab[0][i], lab[1][i], lab[2][i], 5.0 * tex[i]]).collect();
    let (hc, hr) = head_ellipse(view, photo, 1.0);
    let inner: Vec<bool> = (0..n)
        .map(|i| {
            let (x, y) = grid.centre_px(i);
            let q = ((x - hc[0]) / hr[0]).powi(2) + ((y - hc[1]) / hr[1]).powi(2);
            q < 0.36 || seeded[i]
        })
        .collect();
    background::segment_body(grid, &feats, &inner).0
}

/// What the hair model and the labelling read per cell.
struct HairCells {
    /// Mean linear colour over ~7 mm.
    smoothed: Vec<[f32; 3]>,
    /// Shading basis.
    basis: Vec<[f32; hair::BASIS]>,
    /// Log texture over ~7 mm.
    rough: Vec<f32>,
    /// Log texture, the window's median: blind to an edge crossing it.
    rough_median: Vec<f32>,
    /// Cells whose texture is stubble's or skin's (inner, no edge).
    calm: Vec<bool>,
}

/// The hair model's inputs: colour and texture averaged over ~7 mm (hair is a property
/// of areas, and single cells hold only a few stubble tips), and the shading basis over
/// the head's visible hemisphere (off it lie the face and neck).
fn hair_cells(photo: &RgbImage, view: &View, grid: &CellGrid, f: &CellFeatures, body: &[bool]) -> HairCells {
    let (hc, hr) = head_ellipse(view, photo, 2.0);
    // Texture is averaged over the client's inner cells only: the outline's cells hold
    // the energy of its edge, which reads as hair along the whole rim. (Colour is averaged
    // over all cells: masking it too moved the fit on highlight-dominated heads.)
    let inner: Vec<bool> = (0..f.len())
        .map(|i| body[i] && grid.neighbours(i).count() == 4 && grid.neighbours(i).all(|j| body[j]))
        .collect();
    let basis = (0..f.len())
        .map(|i| {
            let (x, y) = grid.centre_px(i);
            hair::basis(((x - hc[0]) / hr[0]) as f32, ((y - hc[1]) / hr[1]) as f32)
        })
        .collect();
    let smooth_linear: [Vec<f32>; 3] = std::array::from_fn(|k| {
        box_mean(
            &f.linear.iter().map(|l| l[k]).collect::<Vec<_>>(),
            f.width,
            f.height,
            HAIR_SMOOTHING_CELLS,
        )
    });
    let smoothed = (0..f.len())
        .map(|i| [smooth_linear[0][i], smooth_linear[1][i], smooth_linear[2][i]])
        .collect();
    // A cell far rougher than its window's median holds an edge: its energy is not
    // stubble's and stays out of the averages (the cell itself takes its neighbours').
    let local = masked_box_median(&f.laplacian, &inner, f.width, f.height, HAIR_SMOOTHING_CELLS);
    let calm: Vec<bool> = (0..f.len()).map(|i| inner[i] && f.laplacian[i] <= EDGE_FACTOR * local[i]).collect();
    let rough = masked_box_mean(&f.laplacian, &calm, f.width, f.height, HAIR_SMOOTHING_CELLS)
        .iter()
        .map(|&e| (1.0 + e).ln())
        .collect();
    let rough_median = masked_box_median(&f.laplacian, &calm, f.width, f.height, HAIR_SMOOTHING_CELLS)
        .iter()
        .map(|&e| (1.0 + e).ln())
        .collect();
    HairCells {
        smoothed,
        basis,
        rough,
        rough_median,
        calm,
    }
}

/// The texture native coverage reads: the median over [`COVERAGE_TEXTURE_CELLS`] of the
/// calm modelled cells (the forehead's skin stays out of the hairline's windows), moved
/// onto the scale of the fit's texture (a window's median of the skewed energy reads
/// lower than its mean) by their median difference, so the classes' references apply.
fn coverage_texture(f: &CellFeatures, cells: &HairCells, prior: &[Prior]) -> Vec<f32> {
    let scalp: Vec<bool> = (0..f.len()).map(|i| cells.calm[i] && prior[i] != Prior::Off).collect();
    let mut wide: Vec<f32> = masked_box_median(&f.laplacian, &scalp, f.width, f.height, COVERAGE_TEXTURE_CELLS)
        .iter()
        .map(|&e| (1.0 + e).ln())
        .collect();
    let mut gap: Vec<f32> = (0..f.len())
        .filter(|&i| prior[i] != Prior::Off)
        .map(|i| cells.rough[i] - wide[i])
        .collect();
    if !gap.is_empty() {
        gap.sort_by(f32::total_cmp);
        let shift = gap[gap.len() / 2];
        wide.iter_mut().for_each(|t| *t += shift);
    }
    wide
}

/// The hair model's prior per cell, from the body, the seeds and the anatomy.
fn priors(places: &Places, body: &[bool], hair_seed: &[bool], bare_seed: &[bool]) -> Vec<Prior> {
    (0..body.len())
        .map(|i| match places.points[i] {
            _ if !body[i] => Prior::Off,
            _ if hair_seed[i] => Prior::Hair,
            _ if bare_seed[i] => Prior::Bare,
            // Off the hemisphere (face, neck) the shading basis does not reach.
            None => Prior::Off,
            // The face's features (brows, eyes, lips) are neither skin nor hair to the model.
            Some(p) if places.face(p) => Prior::Off,
            // The forehead is skin by the rule, and its own tint (face skin) would be a
            // third colour to the model; the temples beside it may carry hair.
            Some(p) if in_front_of_line(&places.core, p) => Prior::Off,
            Some(p) if !in_loss_zone(p) => Prior::LeanHair,
            Some(_) => Prior::Free,
        })
        .collect()
}

/// The forehead band's median texture: bare skin by the rule, so the camera's own grain
/// on skin, the floor bare scalp sits on.
fn forehead_texture(places: &Places, body: &[bool], rough: &[f32]) -> Option<f32> {
    let mut v: Vec<f32> = (0..body.len())
        .filter(|&i| body[i] && places.points[i].is_some_and(|p| in_front_of_line(&places.core, p) && !places.face(p)))
        .map(|i| rough[i])
        .collect();
    (v.len() >= MIN_FOREHEAD_CELLS).then(|| {
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    })
}

/// The label map: each cell's label, and its coverage kept within its label's range.
fn label_map(grid: &CellGrid, labels: &[u8], coverage: &[f32]) -> LabelMap {
    let mut map = LabelMap::new(grid.width, grid.height, grid.cell_px);
    for (i, (&code, &cov)) in labels.iter().zip(coverage).enumerate() {
        let l = Label::from_code(code).unwrap_or(Label::Background);
        let c = if l.is_scalp() { cov } else { 0.0 };
        map.labels[i] = l.code();
        map.coverage[i] = match l {
            Label::Haired => c.max(HAIRED_MIN_COVERAGE),
            Label::Bald => c.min(BALD_MAX_COVERAGE),
            _ => c,
        };
    }
    map
}

/// Analyse `photo` as seen through `view` of `design`, re-seeded by the user's `seeds`.
pub fn analyze(photo: &RgbImage, view: &View, design: &Design, seeds: &Seeds) -> Result<Analysis, AnalyzeError> {
    let ppm = check_view(photo, view)?;
    let cell_px = ((CELL_MM * ppm).round() as u32).max(1);
    let f = cell_features(photo, cell_px);
    let grid = CellGrid {
        width: f.width,
        height: f.height,
        cell_px,
    };
    let n = f.len();
    let pin_px = SEED_PIN_RADIUS_MM * ppm;
    let hair_seed = seeds::near(&grid, &seeds.hair_px, pin_px);
    let bare_seed = seeds::near(&grid, &seeds.scalp_px, pin_px);
    let seeded: Vec<bool> = (0..n).map(|i| hair_seed[i] || bare_seed[i]).collect();
    let body = client_cells(photo, view, &grid, &f, &seeded);
    if body.iter().filter(|b| **b).count() < 2 {
        return Err(AnalyzeError::NoHead { view: view.name.clone() });
    }
    let places = Places::new(view, design, &grid);
    let cells = hair_cells(photo, view, &grid, &f, &body);
    let prior = priors(&places, &body, &hair_seed, &bare_seed);
    let hair = hair::fit_hair(&HairInput {
        linear: &cells.smoothed,
        basis: &cells.basis,
        prior: &prior,
        texture: &cells.rough,
        bare_texture: forehead_texture(&places, &body, &cells.rough),
    })
    .ok_or_else(|| AnalyzeError::NoHead { view: view.name.clone() })?;
    let rough_coverage = coverage_texture(&f, &cells, &prior);
    if std::env::var_os("SMP_ANALYZE_DEBUG").is_some() {
        eprintln!("hair model: {hair:?}");
    }
    let coverage: Vec<f32> = (0..n)
        .map(|i| match prior[i] {
            Prior::Off => 0.0,
            // In the fringe, bare skin is an ear, the neck or the face's side: the ear's
            // outline and folds are edges, and a window's mean spreads their energy over
            // the ear as if it were stubble; its median does not. Bare skin is there even
            // when the scalp shows one class only, so the two classes split it anyway.
            _ if classify::in_fringe(&places, body[i], prior[i], i) => {
                hair.split_coverage(&cells.smoothed[i], &cells.basis[i], cells.rough_median[i])
            }
            _ => hair.coverage(&cells.smoothed[i], &cells.basis[i], rough_coverage[i]),
        })
        .collect();
    // Seeded cells enter the field at their seed's level (GrabCut's hard constraints):
    // they pull their neighbours, whatever the refitted model reads there.
    let pinned: Vec<f32> = (0..n)
        .map(|i| match prior[i] {
            Prior::Hair => 1.0,
            Prior::Bare => 0.0,
            _ => coverage[i],
        })
        .collect();
    let mut labels = classify::labels(&grid, &places, &body, &prior, &pinned);
    for i in 0..n {
        if !classify::can_be_scalp(&places, body[i], prior[i], i) {
            continue;
        }
        if hair_seed[i] {
            labels[i] = Label::Haired.code();
        } else if bare_seed[i] {
            labels[i] = Label::Bald.code();
        }
    }
    let map = label_map(&grid, &labels, &coverage);
    Ok(Analysis {
        outline_px: outline::trace_outline(&grid, &body, f64::from(cell_px)),
        fringe_px: fringe::fringe(&grid, &map.labels, f64::from(cell_px)),
        labels: map,
        hair,
        seeds: seeds.clone(),
    })
}
