//! Photo views of a design: how design millimetres land on a photo's pixels, the head's
//! outline for foreshortening, and the skin/hair mask and photo analysis that limit
//! `blend` regions.

use serde::{Deserialize, Serialize};

use crate::units::PointMm;

/// An affine map from design mm to photo pixels: `px = a·x + b·y + c`,
/// `py = d·x + e·y + f`, stored as `[a, b, c, d, e, f]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MmToPx(pub [f64; 6]);

impl MmToPx {
    /// Pixel position of a design point.
    pub fn apply(&self, p: PointMm) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * p.x + b * p.y + c, d * p.x + e * p.y + f)
    }

    /// Determinant of the linear part (px² per mm², signed).
    pub fn det(&self) -> f64 {
        let [a, b, _, d, e, _] = self.0;
        a * e - b * d
    }

    /// Mean scale, pixels per millimetre.
    pub fn px_per_mm(&self) -> f64 {
        self.det().abs().sqrt()
    }

    /// The design point at a pixel position (`None` for a degenerate map).
    pub fn invert(&self, px: f64, py: f64) -> Option<PointMm> {
        let [a, b, c, d, e, f] = self.0;
        let det = self.det();
        if det == 0.0 || !det.is_finite() {
            return None;
        }
        let (u, v) = (px - c, py - f);
        Some(PointMm::new((e * u - b * v) / det, (a * v - d * u) / det))
    }

    /// The map that takes design point `o` to pixel `o_px`, with `px_per_mm` pixels per
    /// millimetre, rotated by the angle whose cosine and sine are `(cos, sin)`.
    pub fn from_similarity(o: PointMm, o_px: (f64, f64), px_per_mm: f64, (cos, sin): (f64, f64)) -> Self {
        let (a, b, d, e) = (px_per_mm * cos, -px_per_mm * sin, px_per_mm * sin, px_per_mm * cos);
        MmToPx([a, b, o_px.0 - a * o.x - b * o.y, d, e, o_px.1 - d * o.x - e * o.y])
    }
}

/// The head's outline in the photo, an ellipse in pixels: dots are placed on the
/// ellipsoid it bounds, so those near the edge are drawn foreshortened as the camera sees
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadEllipse {
    /// Centre of the head in the photo, pixels; also where the flat map touches the head.
    pub center_px: [f64; 2],
    /// Half-width and half-height of the head outline, pixels.
    pub radii_px: [f64; 2],
}

/// Whether a manual mask edit marks scalp or hair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MaskKind {
    /// Scalp shows: blend dots go here.
    Scalp,
    /// Hair covers: no blend dots.
    Hair,
}

/// A hand-painted correction of the automatic mask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaskEdit {
    /// What the polygon marks.
    pub kind: MaskKind,
    /// Outline in photo pixels.
    pub polygon_px: Vec<[f64; 2]>,
}

/// The skin/hair mask of a view: colour segmentation between a sampled hair colour and a
/// sampled skin colour, corrected by painted edits (later edits win).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mask {
    /// Hair colour sampled from the photo, sRGB.
    pub hair_rgb: [u8; 3],
    /// Skin colour sampled from the photo, sRGB.
    pub skin_rgb: [u8; 3],
    /// Painted corrections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<MaskEdit>,
}

/// One photo of the consultation and how the design maps onto it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// `top`, `front`, `left`, `right`, `back`, `crown` or any other unique name.
    pub name: String,
    /// Photo file, relative to the design file (the app stores a content hash instead).
    pub file: String,
    /// Design mm → photo pixels.
    pub mm_to_px: MmToPx,
    /// Head outline for foreshortening; flat projection when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<HeadEllipse>,
    /// Hand-made skin/hair mask for `blend` regions (its painted edits win over the
    /// analysis); blend dots go everywhere when neither it nor an analysis is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<Mask>,
    /// Width and height in pixels of the photo the view was calibrated on, upright (EXIF
    /// orientation applied), so another photo can be checked against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_size_px: Option<[u32; 2]>,
    /// The photo analysis (`smp photo analyze`): labels and native coverage per cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<crate::analysis::ViewAnalysis>,
    /// The calibration card found in the photo (`smp calibrate --card`): the scale came
    /// from it, and colours read from the photo are corrected through it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardRecord>,
    /// A ColorChecker colour chart read in the photo (`smp color chart`): colours read
    /// from the photo are corrected through it rather than the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<ChartRecord>,
}

/// The calibration card as found in a view's photo.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardRecord {
    /// The card's corners, pixels: top left, top right, bottom right, bottom left.
    pub corners_px: [[f64; 2]; 4],
    /// Pixels per mm in the card's plane.
    pub px_per_mm: f64,
    /// Colour correction, per channel (R, G, B): gain, tone exponent and offset taking
    /// the photo's linear light to the scene's reflectance.
    pub colour_curves: [[f64; 3]; 3],
    /// Mean CIEDE2000 of the corrected neutral patches from what the card reflects.
    pub residual_delta_e00: f64,
}

/// A ColorChecker Classic 24 colour chart as read in a view's photo.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartRecord {
    /// Centres of the four corner patches, pixels: dark skin, bluish green, black, white.
    pub corner_patches_px: [[f64; 2]; 4],
    /// Tone curve per channel (R, G, B): gain, exponent and offset taking the photo's
    /// linear light towards the scene's, fitted to the six neutral patches.
    pub colour_curves: [[f64; 3]; 3],
    /// Colour matrix after the curves (linear RGB, row by output channel), fitted to
    /// the chart's colours.
    pub colour_matrix: [[f64; 3]; 3],
    /// Mean CIEDE2000 of the corrected patches from their published colours.
    pub residual_delta_e00: f64,
    /// Largest CIEDE2000 of a corrected patch from its published colour.
    pub worst_delta_e00: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_maps_and_inverts() {
        let m = MmToPx::from_similarity(PointMm::new(0.0, 80.0), (500.0, 300.0), 4.0, (0.0, 1.0));
        assert_eq!(m.apply(PointMm::new(0.0, 80.0)), (500.0, 300.0));
        let (x, y) = m.apply(PointMm::new(10.0, 80.0));
        assert!((x - 500.0).abs() < 1e-9 && (y - 340.0).abs() < 1e-9);
        assert!((m.px_per_mm() - 4.0).abs() < 1e-12);
        let back = m.invert(x, y).unwrap();
        assert!((back.x - 10.0).abs() < 1e-9 && (back.y - 80.0).abs() < 1e-9);
        assert!(MmToPx([0.0; 6]).invert(1.0, 1.0).is_none());
    }
}
