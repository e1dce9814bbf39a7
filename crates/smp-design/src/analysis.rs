//! The photo analysis stored in a view (`smp photo analyze`): the label of every coarse
//! cell of the photo and the native coverage, run-length encoded, with the seed points
//! and the colour references it was made with.
//!
//! The result itself is stored, not only the inputs to recompute it: blend dots, the fit
//! and the preview then read exactly what the practitioner checked on the overlay, even
//! if the analysis method improves later or the photo is not at hand; the seeds are kept
//! so a rerun (`smp photo analyze` again) starts from the same corrections.

use serde::{Deserialize, Serialize};

/// Largest label code (0 background, 1 non-scalp skin, 2 bald, 3 thinning, 4 haired, 5 scar).
pub const MAX_LABEL_CODE: u8 = 5;

/// Steps of the stored native coverage (tenths: 0 none … 10 fully hidden by hair).
pub const COVERAGE_STEPS: u8 = 10;

/// Seed points of an analysis, photo pixels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisSeeds {
    /// Points the user marked as hair.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hair_px: Vec<[f64; 2]>,
    /// Points the user marked as bare scalp.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scalp_px: Vec<[f64; 2]>,
}

/// A view's stored photo analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewAnalysis {
    /// Size of the analysed photo, pixels `[width, height]`.
    pub photo_px: [u32; 2],
    /// Photo pixels per cell side.
    pub cell_px: f64,
    /// Cells `[across, down]`.
    pub cells: [u32; 2],
    /// Row-major label codes as runs `"CODExCOUNT"` separated by spaces.
    pub labels_rle: String,
    /// Row-major native coverage in tenths (0–10) as runs `"TENTHSxCOUNT"`.
    pub coverage_rle: String,
    /// Bare-skin reference colour the coverage was measured from, sRGB.
    pub skin_rgb: [u8; 3],
    /// Haired-scalp reference colour, sRGB.
    pub hair_rgb: [u8; 3],
    /// The user's seed points.
    #[serde(default, skip_serializing_if = "is_default")]
    pub seeds: AnalysisSeeds,
}

fn is_default(s: &AnalysisSeeds) -> bool {
    s.hair_px.is_empty() && s.scalp_px.is_empty()
}

/// Run-length encode values as `"VALUExCOUNT"` runs separated by spaces.
pub fn encode_runs(values: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < values.len() {
        let v = values[i];
        let mut j = i;
        while j < values.len() && values[j] == v {
            j += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("{v}x{}", j - i));
        i = j;
    }
    out
}

/// Decode runs made by [`encode_runs`], expecting `len` values each at most `max`.
pub fn decode_runs(s: &str, len: usize, max: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(len);
    for tok in s.split_whitespace() {
        let (v, n) = tok.split_once('x').ok_or_else(|| format!("run {tok:?} is not VALUExCOUNT"))?;
        let v: u8 = v.parse().map_err(|_| format!("run {tok:?}: {v:?} is not a value 0–{max}"))?;
        let n: usize = n.parse().map_err(|_| format!("run {tok:?}: {n:?} is not a count"))?;
        if v > max {
            return Err(format!("run {tok:?}: value {v} is above {max}"));
        }
        if out.len() + n > len {
            return Err(format!("the runs hold more than the {len} cells"));
        }
        out.extend(std::iter::repeat_n(v, n));
    }
    if out.len() != len {
        return Err(format!("the runs hold {} cells, not the {len} of the grid", out.len()));
    }
    Ok(out)
}

impl ViewAnalysis {
    /// The label codes, one per cell, row-major.
    pub fn labels(&self) -> Result<Vec<u8>, String> {
        decode_runs(&self.labels_rle, self.cell_count(), MAX_LABEL_CODE)
    }

    /// The native coverage in tenths, one per cell, row-major.
    pub fn coverage_tenths(&self) -> Result<Vec<u8>, String> {
        decode_runs(&self.coverage_rle, self.cell_count(), COVERAGE_STEPS)
    }

    /// Number of cells.
    pub fn cell_count(&self) -> usize {
        self.cells[0] as usize * self.cells[1] as usize
    }

    /// What is wrong with it, if anything (for validation).
    pub fn problem(&self) -> Option<String> {
        if !(self.cell_px.is_finite() && self.cell_px > 0.0) {
            return Some(format!("cell_px {} is not a positive size", self.cell_px));
        }
        if self.cell_count() == 0 {
            return Some("the grid has no cells".into());
        }
        if (f64::from(self.cells[0]) * self.cell_px) < f64::from(self.photo_px[0]) - self.cell_px
            || (f64::from(self.cells[1]) * self.cell_px) < f64::from(self.photo_px[1]) - self.cell_px
        {
            return Some("the cells do not cover the photo".into());
        }
        self.labels()
            .err()
            .map(|e| format!("labels_rle: {e}"))
            .or_else(|| self.coverage_tenths().err().map(|e| format!("coverage_rle: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_round_trip_and_bad_runs_are_named() {
        let v = [0, 0, 0, 2, 2, 4, 0];
        let s = encode_runs(&v);
        assert_eq!(s, "0x3 2x2 4x1 0x1");
        assert_eq!(decode_runs(&s, 7, 5).unwrap(), v);
        assert!(decode_runs(&s, 8, 5).unwrap_err().contains("not the 8"));
        assert!(decode_runs("9x7", 7, 5).unwrap_err().contains("above 5"));
        assert!(decode_runs("2-7", 7, 5).unwrap_err().contains("VALUExCOUNT"));
        assert_eq!(encode_runs(&[]), "");
    }
}
