//! A ColorChecker Classic 24 colour chart held in the photo, located by four clicks on
//! its corner patches: its 24 patches read, and the photo's colour correction fitted to
//! their published colours.
//!
//! The clicks may come in any order: of the eight ways four points can be the chart's
//! corners (a start and a direction round them), the one whose patches fit the
//! published colours best is the chart's, so a chart held upside down or clicked
//! anticlockwise reads the same.

mod find;
mod fit;

use image::RgbImage;
use smp_color::chart::{CHART_COLUMNS, CHART_NAMES, CHART_ROWS};
use smp_color::srgb::decode_lut;

use self::fit::{ChartFit, FitShortfall, fit_chart};
use crate::card::colour::ColourCorrection;
use crate::card::homography::{Homography, median_rgb, square_samples};

/// Fewest pixels between neighbouring patch centres the chart is read at: its patches'
/// middles are then a few pixels across, enough for a median over JPEG's blocks.
const MIN_PITCH_PX: f64 = 12.0;
/// Half the side of the square read in each patch, in patch pitches: inside the patch
/// (about 0.42 pitch of patch either side of its centre) whatever the chart's turn.
const READ_HALF_PITCH: f64 = 0.25;
/// Samples across the square read in each patch.
const READ_SAMPLES: usize = 11;
/// A patch whose median in a channel is at or above this 8-bit level is clipped.
const CLIPPED_8BIT: u8 = 250;
/// Mean ΔE00 after correction beyond which the four points are not a ColorChecker's
/// corner patches: a chart read right fits to about 1–2, a misplaced grid to 10 or more.
const MAX_MEAN_DELTA_E00: f64 = 5.0;

/// The chart as read in a photo.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartReading {
    /// What the view stores.
    pub record: smp_design::ChartRecord,
    /// The correction it gives.
    pub correction: ColourCorrection,
    /// Each patch: its name, centre in pixels and ΔE00 once corrected (`None` where
    /// clipped, or outside what an sRGB photo holds).
    pub patches: Vec<(&'static str, [f64; 2], Option<f64>)>,
}

/// Why the chart cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChartError {
    /// A point is outside the photo.
    #[error("the point ({x:.0}, {y:.0}) is outside the photo, which is {width}×{height} pixels")]
    Outside {
        /// The point, px.
        x: f64,
        /// The point, px.
        y: f64,
        /// Photo width, px.
        width: u32,
        /// Photo height, px.
        height: u32,
    },
    /// The points do not span a chart.
    #[error(
        "the four points do not outline a chart (three of them are in a line, or two coincide): click the centres of the four corner patches, dark skin, bluish green, black and white"
    )]
    Degenerate,
    /// The patches are too small in the photo.
    #[error(
        "the chart's patches are only {pitch_px:.0} pixels apart in the photo: take the photo closer, so that they are at least {MIN_PITCH_PX:.0} pixels apart"
    )]
    TooSmall {
        /// Distance between neighbouring patch centres, px.
        pitch_px: f64,
    },
    /// The neutral patches are blown out or black.
    #[error("the chart's grey patches are blown out or black: expose the photo for the chart and take it again")]
    NeutralsClipped,
    /// Too many patches are blown out.
    #[error("too many of the chart's patches are blown out: expose the photo for the chart and take it again")]
    PatchesClipped,
    /// No chart was found in the photo by itself.
    #[error(
        "no colour chart was found in the photo: hold a ColorChecker Classic (24 patches) flat beside the scalp, facing the camera and in focus, or click the centres of its four corner patches"
    )]
    NotFound,
    /// The colours read do not match the chart's.
    #[error(
        "the colours at these points do not match a ColorChecker chart (ΔE00 {mean_delta_e00:.1} after correction): click the centres of its four corner patches, dark skin, bluish green, black and white, and check that the chart is a ColorChecker Classic with 24 patches"
    )]
    NoMatch {
        /// Mean ΔE00 of the best fit.
        mean_delta_e00: f64,
    },
}

/// Find the chart in `photo` by itself and read it.
pub fn find_chart(photo: &RgbImage) -> Result<ChartReading, ChartError> {
    find::find_corner_patches(photo)
        .into_iter()
        .filter_map(|corners| read_chart(photo, corners).ok())
        .min_by(|a, b| a.record.residual_delta_e00.total_cmp(&b.record.residual_delta_e00))
        .ok_or(ChartError::NotFound)
}

/// Read the chart whose corner patches' centres are the four `points` (pixels, any
/// order) in `photo`.
pub fn read_chart(photo: &RgbImage, points: [[f64; 2]; 4]) -> Result<ChartReading, ChartError> {
    let (w, h) = photo.dimensions();
    for [x, y] in points {
        if !(x.is_finite() && y.is_finite() && (0.0..f64::from(w)).contains(&x) && (0.0..f64::from(h)).contains(&y)) {
            return Err(ChartError::Outside { x, y, width: w, height: h });
        }
    }
    let ring = round_order(points);
    if !spans_a_quadrilateral(ring) {
        return Err(ChartError::Degenerate);
    }
    let lut = decode_lut();
    let mut best: Option<(ChartFit, Homography)> = None;
    let mut shortfall = None;
    // The largest pitch of any way round: a chart read across its length has a
    // smaller pitch than read along it, so only when every way is too small is it.
    let mut widest = 0.0f64;
    for corners in assignments(ring) {
        let grid = [(0.0, 0.0), (5.0, 0.0), (5.0, 3.0), (0.0, 3.0)];
        let Some(hm) = Homography::from_points(&grid, &corners.map(|p| (p[0], p[1]))) else {
            return Err(ChartError::Degenerate);
        };
        let pitch = min_pitch(&hm);
        widest = widest.max(pitch);
        if pitch < MIN_PITCH_PX {
            continue;
        }
        let measured: [Option<[f64; 3]>; 24] = std::array::from_fn(|i| read_patch(photo, &lut, &hm, i));
        match fit_chart(&measured) {
            Ok(f)
                if best
                    .as_ref()
                    .is_none_or(|(b, _)| f.correction.residual_delta_e00 < b.correction.residual_delta_e00) =>
            {
                best = Some((f, hm));
            }
            Ok(_) => {}
            Err(e) => shortfall = Some(e),
        }
    }
    let Some((fit, hm)) = best else {
        return Err(match shortfall {
            _ if widest < MIN_PITCH_PX => ChartError::TooSmall { pitch_px: widest },
            Some(FitShortfall::Neutrals) => ChartError::NeutralsClipped,
            _ => ChartError::PatchesClipped,
        });
    };
    if fit.correction.residual_delta_e00 > MAX_MEAN_DELTA_E00 {
        return Err(ChartError::NoMatch {
            mean_delta_e00: fit.correction.residual_delta_e00,
        });
    }
    let centre = |i: usize| {
        let (x, y) = hm.apply(((i % CHART_COLUMNS) as f64, (i / CHART_COLUMNS) as f64));
        [x, y]
    };
    let c = fit.correction;
    Ok(ChartReading {
        record: smp_design::ChartRecord {
            corner_patches_px: [centre(0), centre(5), centre(23), centre(18)],
            colour_curves: c.curves,
            colour_matrix: c.matrix,
            residual_delta_e00: c.residual_delta_e00,
            worst_delta_e00: fit.worst_delta_e00,
        },
        correction: c,
        patches: (0..24).map(|i| (CHART_NAMES[i], centre(i), fit.patch_delta_e00[i])).collect(),
    })
}

/// `design` with the colours of its view `view` corrected through the chart `record`.
///
/// Errors: the design with it does not validate (it did without, so this is a bug).
pub fn with_chart(
    design: &smp_design::Design,
    view: &str,
    record: smp_design::ChartRecord,
) -> Result<smp_design::Design, smp_design::DesignError> {
    let mut draft = design.to_draft();
    for v in draft.views.iter_mut().filter(|v| v.name == view) {
        v.chart = Some(record);
    }
    smp_design::Design::from_draft(draft)
}

/// The four points in order round their centre.
fn round_order(points: [[f64; 2]; 4]) -> [[f64; 2]; 4] {
    let (cx, cy) = (
        points.iter().map(|p| p[0]).sum::<f64>() / 4.0,
        points.iter().map(|p| p[1]).sum::<f64>() / 4.0,
    );
    let mut p = points;
    p.sort_by(|a, b| (a[1] - cy).atan2(a[0] - cx).total_cmp(&(b[1] - cy).atan2(b[0] - cx)));
    p
}

/// Whether every three of the ring's points make a real triangle (none of them in a
/// line, none coinciding): each triangle's area at least a twentieth of the square of
/// the ring's mean side.
fn spans_a_quadrilateral(ring: [[f64; 2]; 4]) -> bool {
    let side = (0..4)
        .map(|k| {
            let (a, b) = (ring[k], ring[(k + 1) % 4]);
            (b[0] - a[0]).hypot(b[1] - a[1])
        })
        .sum::<f64>()
        / 4.0;
    (0..4).all(|skip| {
        let t: Vec<[f64; 2]> = (0..4).filter(|&k| k != skip).map(|k| ring[k]).collect();
        let area = 0.5 * ((t[1][0] - t[0][0]) * (t[2][1] - t[0][1]) - (t[2][0] - t[0][0]) * (t[1][1] - t[0][1])).abs();
        side > 0.0 && area >= side * side / 20.0
    })
}

/// The eight ways the points of a ring can be dark skin, bluish green, black and white
/// in turn: each start, each way round.
fn assignments(ring: [[f64; 2]; 4]) -> impl Iterator<Item = [[f64; 2]; 4]> {
    (0..4).flat_map(move |s| {
        let fwd = std::array::from_fn(|k| ring[(s + k) % 4]);
        let back = std::array::from_fn(|k| ring[(s + 4 - k) % 4]);
        [fwd, back]
    })
}

/// The smallest distance between neighbouring patch centres, px, over the chart.
fn min_pitch(hm: &Homography) -> f64 {
    let mut m = f64::INFINITY;
    for r in 0..CHART_ROWS {
        for c in 0..CHART_COLUMNS {
            let p = hm.apply((c as f64, r as f64));
            for (dc, dr) in [(1.0, 0.0), (0.0, 1.0)] {
                let q = hm.apply((c as f64 + dc, r as f64 + dr));
                m = m.min((q.0 - p.0).hypot(q.1 - p.1));
            }
        }
    }
    m
}

/// The median linear colour of the middle of patch `i`; `None` when it is clipped or
/// falls outside the photo.
fn read_patch(photo: &RgbImage, lut: &[f32; 256], hm: &Homography, i: usize) -> Option<[f64; 3]> {
    let centre = ((i % CHART_COLUMNS) as f64, (i / CHART_COLUMNS) as f64);
    let samples = square_samples(photo, hm, centre, READ_HALF_PITCH, READ_SAMPLES);
    if samples.len() < READ_SAMPLES * READ_SAMPLES {
        return None;
    }
    let med = median_rgb(&samples);
    (med.iter().all(|&v| v < CLIPPED_8BIT)).then(|| med.map(|v| f64::from(lut[v as usize])))
}

#[cfg(test)]
mod tests;
