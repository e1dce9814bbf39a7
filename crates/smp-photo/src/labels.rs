//! What each pixel of a photo shows: background, non-scalp skin, bald, thinning or
//! haired scalp, scar; and how much of the scalp the client's own hair hides there.
//!
//! One type for the synthetic truth (`smp synth --truth`), the analysis of a real photo
//! and the fit, so all three speak the same codes.

use image::GrayImage;
use smp_design::{Design, PointMm};

/// Where non-scalp skin (the forehead) ends in front, in design mm, left temple to right
/// temple: the design's hairline when it has one; otherwise the canonical adult hairline
/// (80 mm above the glabella at the midline, curving back to the temporal points at
/// ±60 mm, 118 mm), placed at the design's glabella (else the origin).
///
/// A bald head shows no boundary between forehead and bald scalp, so this line is the
/// rule, shared by the synthetic truth, the photo analysis and the fit.
pub fn frontal_line_mm(design: &Design) -> Vec<PointMm> {
    if let Some(h) = design.hairline() {
        return h.points.clone();
    }
    let g = design.glabella().unwrap_or(PointMm::new(0.0, 0.0));
    smp_design::template::natural_hairline()
        .into_iter()
        .map(|p| PointMm::new(g.x + p.x, g.y + p.y))
        .collect()
}

/// What a pixel shows. The numbers are the codes of the truth PNG (`smp synth --truth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Label {
    /// Not the head: backdrop, clothes.
    Background = 0,
    /// Skin that is not scalp: face, forehead below the hairline, ears, neck.
    Skin = 1,
    /// Scalp with no visible hair.
    Bald = 2,
    /// Scalp with sparse hair: scalp shows between the hairs.
    Thinning = 3,
    /// Scalp covered by the client's own hair (at full density).
    Haired = 4,
    /// Scar tissue on the scalp.
    Scar = 5,
}

impl Label {
    /// Every label, in code order.
    pub const ALL: [Label; 6] = [Self::Background, Self::Skin, Self::Bald, Self::Thinning, Self::Haired, Self::Scar];

    /// The label of a truth-PNG code, if it is one.
    pub fn from_code(code: u8) -> Option<Label> {
        Self::ALL.get(code as usize).copied()
    }

    /// Its truth-PNG code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Its name in JSON and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Background => "background",
            Self::Skin => "skin",
            Self::Bald => "bald",
            Self::Thinning => "thinning",
            Self::Haired => "haired",
            Self::Scar => "scar",
        }
    }

    /// Whether the pixel is on the scalp (bald, thinning, haired or scar).
    pub fn is_scalp(self) -> bool {
        matches!(self, Self::Bald | Self::Thinning | Self::Haired | Self::Scar)
    }
}

/// A label per cell of a photo, each cell `cell_px` × `cell_px` photo pixels (1 for a
/// full-resolution map such as the synthetic truth; analysis works on coarser cells),
/// with the native coverage (fraction of scalp hidden by hair, 0–1) per cell.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelMap {
    /// Cells across.
    pub width: u32,
    /// Cells down.
    pub height: u32,
    /// Photo pixels per cell side.
    pub cell_px: u32,
    /// Row-major label codes ([`Label::code`]).
    pub labels: Vec<u8>,
    /// Row-major native coverage, 0–1 (0 off the scalp).
    pub coverage: Vec<f32>,
}

impl LabelMap {
    /// A map of `width` × `height` cells of `cell_px` photo pixels, all background.
    pub fn new(width: u32, height: u32, cell_px: u32) -> Self {
        let n = width as usize * height as usize;
        Self {
            width,
            height,
            cell_px: cell_px.max(1),
            labels: vec![0; n],
            coverage: vec![0.0; n],
        }
    }

    /// The label of cell (`cx`, `cy`).
    pub fn cell(&self, cx: u32, cy: u32) -> Label {
        Label::from_code(self.labels[cy as usize * self.width as usize + cx as usize]).unwrap_or(Label::Background)
    }

    /// Set cell (`cx`, `cy`).
    pub fn set(&mut self, cx: u32, cy: u32, label: Label, coverage: f32) {
        let i = cy as usize * self.width as usize + cx as usize;
        self.labels[i] = label.code();
        self.coverage[i] = coverage;
    }

    /// The label under photo pixel (`x_px`, `y_px`); background outside the map.
    pub fn at_px(&self, x_px: f64, y_px: f64) -> Label {
        match self.index_px(x_px, y_px) {
            Some(i) => Label::from_code(self.labels[i]).unwrap_or(Label::Background),
            None => Label::Background,
        }
    }

    /// The native coverage under photo pixel (`x_px`, `y_px`); 0 outside the map.
    pub fn coverage_at_px(&self, x_px: f64, y_px: f64) -> f32 {
        self.index_px(x_px, y_px).map_or(0.0, |i| self.coverage[i])
    }

    fn index_px(&self, x_px: f64, y_px: f64) -> Option<usize> {
        if !(x_px >= 0.0 && y_px >= 0.0) {
            return None;
        }
        let cx = (x_px / self.cell_px as f64) as u32;
        let cy = (y_px / self.cell_px as f64) as u32;
        (cx < self.width && cy < self.height).then(|| cy as usize * self.width as usize + cx as usize)
    }

    /// The map as the truth PNG's 8-bit grey codes, one pixel per cell.
    pub fn to_gray(&self) -> GrayImage {
        GrayImage::from_raw(self.width, self.height, self.labels.clone()).expect("one code per cell")
    }

    /// A full-resolution map from a truth PNG (coverage: 1 on haired, 0.45 on thinning
    /// scalp, 0 elsewhere). Errors name the first pixel that holds no label code.
    pub fn from_gray(img: &GrayImage) -> Result<Self, String> {
        let mut m = Self::new(img.width(), img.height(), 1);
        for (i, p) in img.pixels().enumerate() {
            let label = Label::from_code(p.0[0]).ok_or_else(|| {
                format!(
                    "pixel ({}, {}) holds {}, which is no label code (0 background … 5 scar)",
                    i as u32 % img.width(),
                    i as u32 / img.width(),
                    p.0[0]
                )
            })?;
            m.labels[i] = label.code();
            m.coverage[i] = match label {
                Label::Haired => 1.0,
                Label::Thinning => 0.45,
                _ => 0.0,
            };
        }
        Ok(m)
    }

    /// Photo-pixel area of each label, indexed by code.
    pub fn pixel_counts(&self) -> [u64; 6] {
        let mut n = [0u64; 6];
        let cell = (self.cell_px as u64).pow(2);
        for &c in &self.labels {
            if let Some(slot) = n.get_mut(c as usize) {
                *slot += cell;
            }
        }
        n
    }

    /// Intersection over union of `label` between this map and `other` (same photo),
    /// compared at `other`'s cells; `None` when neither has the label.
    pub fn iou(&self, other: &LabelMap, label: Label) -> Option<f64> {
        let (mut inter, mut union) = (0u64, 0u64);
        let s = other.cell_px as f64;
        for cy in 0..other.height {
            for cx in 0..other.width {
                let a = other.cell(cx, cy) == label;
                let b = self.at_px((cx as f64 + 0.5) * s, (cy as f64 + 0.5) * s) == label;
                inter += (a && b) as u64;
                union += (a || b) as u64;
            }
        }
        (union > 0).then(|| inter as f64 / union as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_cells_cover_pixels() {
        for l in Label::ALL {
            assert_eq!(Label::from_code(l.code()), Some(l));
        }
        assert_eq!(Label::from_code(6), None);
        let mut m = LabelMap::new(4, 3, 10);
        m.set(2, 1, Label::Bald, 0.0);
        assert_eq!(m.at_px(25.0, 15.0), Label::Bald);
        assert_eq!(m.at_px(35.0, 15.0), Label::Background);
        assert_eq!(m.at_px(-1.0, 15.0), Label::Background);
        assert_eq!(m.pixel_counts()[Label::Bald.code() as usize], 100);
        let full = LabelMap::from_gray(&{
            let mut g = GrayImage::new(40, 30);
            for y in 10..20 {
                for x in 20..30 {
                    g.put_pixel(x, y, image::Luma([2]));
                }
            }
            g
        })
        .unwrap();
        assert_eq!(m.iou(&full, Label::Bald), Some(1.0));
        let bad = GrayImage::from_pixel(2, 2, image::Luma([9]));
        assert!(LabelMap::from_gray(&bad).unwrap_err().contains("9"));
    }

    #[test]
    fn frontal_line_is_the_hairline_or_the_fallback_above_the_glabella() {
        let t = smp_design::Pattern::Norwood(3).template().unwrap();
        assert_eq!(frontal_line_mm(&t), t.hairline().unwrap().points);
        let mut draft = t.to_draft();
        draft.hairline = None;
        draft.landmarks.insert("glabella".into(), PointMm::new(5.0, -10.0));
        let d = Design::from_draft(draft).unwrap();
        let line = frontal_line_mm(&d);
        // The canonical hairline moved with the glabella: the midline point 80 mm above
        // it (Garg & Garg 2017), the ends at the temporal points ±60 mm, 118 mm.
        let mid = line.iter().find(|p| (p.x - 5.0).abs() < 1e-9).expect("a midline point");
        assert!(
            (mid.y - (-10.0 + smp_design::constants::HAIRLINE_ABOVE_GLABELLA_MM)).abs() < 1e-9,
            "{mid:?}"
        );
        let (first, last) = (line[0], line[line.len() - 1]);
        assert!(
            (first.x - (5.0 - 60.0)).abs() < 1e-9 && (last.x - (5.0 + 60.0)).abs() < 1e-9,
            "{line:?}"
        );
        assert!((last.y - (-10.0 + 118.0)).abs() < 1e-9, "{line:?}");
    }
}
