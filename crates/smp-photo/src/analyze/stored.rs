//! An analysis as the design stores it in its view, and back.

use smp_color::srgb::linear_to_rgb8;
use smp_design::analysis::{COVERAGE_STEPS, encode_runs};
use smp_design::{AnalysisSeeds, ViewAnalysis};

use super::Analysis;
use crate::labels::LabelMap;

/// Why a stored analysis cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the stored photo analysis is damaged ({0}); analyse the photo again")]
pub struct StoreError(pub String);

/// The stored form of `a`, made on a photo of `photo_px` = `[width, height]` pixels.
pub fn to_stored(a: &Analysis, photo_px: [u32; 2]) -> ViewAnalysis {
    let m = &a.labels;
    let tenths: Vec<u8> = m
        .coverage
        .iter()
        .map(|c| (c.clamp(0.0, 1.0) * f32::from(COVERAGE_STEPS)).round() as u8)
        .collect();
    ViewAnalysis {
        photo_px,
        cell_px: f64::from(m.cell_px),
        cells: [m.width, m.height],
        labels_rle: encode_runs(&m.labels),
        coverage_rle: encode_runs(&tenths),
        skin_rgb: linear_to_rgb8(a.hair.bare_linear.map(f64::from)),
        hair_rgb: linear_to_rgb8(a.hair.hair_linear.map(f64::from)),
        seeds: AnalysisSeeds {
            hair_px: a.seeds.hair_px.clone(),
            scalp_px: a.seeds.scalp_px.clone(),
        },
    }
}

/// The label map of a stored analysis (cells rounded to whole pixels, as the map keeps
/// them; [`crate::mask::ScalpMask`] reads the exact size).
pub fn from_stored(s: &ViewAnalysis) -> Result<LabelMap, StoreError> {
    let labels = s.labels().map_err(StoreError)?;
    let tenths = s.coverage_tenths().map_err(StoreError)?;
    let mut m = LabelMap::new(s.cells[0], s.cells[1], s.cell_px.round().max(1.0) as u32);
    m.labels = labels;
    m.coverage = tenths.iter().map(|&t| f32::from(t) / f32::from(COVERAGE_STEPS)).collect();
    Ok(m)
}
