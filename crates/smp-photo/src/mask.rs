//! Which pixels of a view show scalp, so `blend` regions only get dots there: the
//! stored photo analysis when the view has one (bald, thinning and scar cells show
//! scalp), else the colour segmentation of a hand-made mask against its sampled hair and
//! skin colours; a hand-made mask's painted edits win over both.

use image::RgbImage;
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};
use smp_design::{Mask, MaskEdit, MaskKind, View};

use crate::labels::Label;

/// A mask ready to query.
pub struct ScalpMask<'a> {
    edits: &'a [MaskEdit],
    colours: Option<([f64; 3], [f64; 3])>,
    analysis: Option<AnalysisCells>,
}

/// The stored analysis's labels at their exact cell size.
struct AnalysisCells {
    width: u32,
    height: u32,
    cell_px: f64,
    labels: Vec<u8>,
    /// The share of scalp that shows, per cell, smoothed over the scalp (see
    /// [`SHARE_SMOOTHING_MM`]).
    share: Vec<f32>,
}

/// Radius over which the scalp's showing share is averaged, mm. A cell's coverage is
/// read from ~1.5 mm of photo, and its label from a threshold on it, so both flicker
/// from cell to cell where hair thins diffusely; dots thinned cell by cell drew dark and
/// light patches of a few mm (ludwig-2 top, a fut-scar back). Hair density varies over
/// centimetres, so the share is taken over ~5 mm.
const SHARE_SMOOTHING_MM: f64 = 2.5;

/// Per cell, the share of scalp that shows: 1 − the native coverage on scalp (bald,
/// thinning or haired alike, so a label's threshold draws no step), 1 on scars, 0 off
/// the scalp; averaged over the scalp cells within `radius` cells (skin and background
/// stay 0, so no dot reaches them).
fn smoothed_share(labels: &[u8], coverage: &[u8], w: u32, h: u32, radius: u32) -> Vec<f32> {
    let on: Vec<f32> = labels
        .iter()
        .map(|&l| f32::from(u8::from(Label::from_code(l).is_some_and(Label::is_scalp))))
        .collect();
    let raw: Vec<f32> = labels
        .iter()
        .zip(coverage)
        .map(|(&l, &c)| match Label::from_code(l) {
            Some(Label::Scar) => 1.0,
            Some(Label::Bald | Label::Thinning | Label::Haired) => 1.0 - f32::from(c) / 10.0,
            _ => 0.0,
        })
        .collect();
    let num = crate::analyze::box_mean(&raw, w, h, radius);
    let den = crate::analyze::box_mean(&on, w, h, radius);
    (0..raw.len())
        .map(|i| {
            if on[i] > 0.0 && den[i] > 0.0 {
                (num[i] / den[i]).clamp(0.0, 1.0)
            } else {
                0.0
            }
        })
        .collect()
}

impl AnalysisCells {
    /// The smoothed share of scalp that shows at pixel (`x`, `y`); 0 off the map.
    fn share_at(&self, x: f64, y: f64) -> f64 {
        if !(x >= 0.0 && y >= 0.0) {
            return 0.0;
        }
        let (cx, cy) = ((x / self.cell_px) as u32, (y / self.cell_px) as u32);
        if cx >= self.width || cy >= self.height {
            return 0.0;
        }
        f64::from(self.share[cy as usize * self.width as usize + cx as usize])
    }

    fn label_at(&self, x: f64, y: f64) -> Label {
        if !(x >= 0.0 && y >= 0.0) {
            return Label::Background;
        }
        let (cx, cy) = ((x / self.cell_px) as u32, (y / self.cell_px) as u32);
        if cx >= self.width || cy >= self.height {
            return Label::Background;
        }
        Label::from_code(self.labels[cy as usize * self.width as usize + cx as usize]).unwrap_or(Label::Background)
    }
}

fn lab(p: [u8; 3]) -> [f64; 3] {
    linear_to_lab(rgb8_to_linear(p))
}

fn dist2(a: [f64; 3], b: [f64; 3]) -> f64 {
    (0..3).map(|i| (a[i] - b[i]).powi(2)).sum()
}

fn inside(poly: &[[f64; 2]], x: f64, y: f64) -> bool {
    let mut c = false;
    let mut j = poly.len() - 1;
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[j]);
        if (a[1] > y) != (b[1] > y) && x < a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]) {
            c = !c;
        }
        j = i;
    }
    c
}

impl<'a> ScalpMask<'a> {
    /// Prepare a hand-made mask (colour segmentation and edits).
    pub fn new(mask: &'a Mask) -> Self {
        ScalpMask {
            edits: &mask.edits,
            colours: Some((lab(mask.hair_rgb), lab(mask.skin_rgb))),
            analysis: None,
        }
    }

    /// The mask of a view: its stored analysis (with the hand-made mask's edits on top)
    /// when it has one, else its hand-made mask; `None` when it has neither.
    pub fn for_view(view: &'a View) -> Option<Self> {
        let ppm = view.mm_to_px.px_per_mm();
        let analysis = view.analysis.as_ref().and_then(|a| {
            let labels = a.labels().ok()?;
            let coverage = a.coverage_tenths().ok()?;
            let radius = (SHARE_SMOOTHING_MM * ppm / a.cell_px).round().clamp(0.0, 50.0) as u32;
            Some(AnalysisCells {
                width: a.cells[0],
                height: a.cells[1],
                cell_px: a.cell_px,
                share: smoothed_share(&labels, &coverage, a.cells[0], a.cells[1], radius),
                labels,
            })
        });
        match (analysis, &view.mask) {
            (Some(a), mask) => Some(ScalpMask {
                edits: mask.as_ref().map_or(&[], |m| &m.edits),
                colours: None,
                analysis: Some(a),
            }),
            (None, Some(m)) => Some(Self::new(m)),
            (None, None) => None,
        }
    }

    /// The share of the scalp that shows at pixel `(x, y)` of `photo`, 0–1: with a stored
    /// analysis, 1 − the native coverage averaged over ~5 mm of scalp (so dots thin out
    /// as the client's own hair thickens, with no step at a label's border and no
    /// cell-sized patches), 1 on scars, 0 off the scalp; otherwise [`Self::is_scalp`] as
    /// 0 or 1.
    pub fn scalp_share(&self, photo: &RgbImage, x: f64, y: f64) -> f64 {
        let edited = self.edits.iter().rev().any(|e| inside(&e.polygon_px, x, y));
        match &self.analysis {
            Some(a) if !edited => a.share_at(x, y),
            _ => f64::from(u8::from(self.is_scalp(photo, x, y))),
        }
    }

    /// Whether pixel `(x, y)` is on the client at all: only a stored analysis can say it is
    /// not (background there), so a dot the head model puts past the photo's own outline
    /// is not drawn on the backdrop.
    pub fn on_client(&self, x: f64, y: f64) -> bool {
        self.analysis.as_ref().is_none_or(|a| a.label_at(x, y) != Label::Background)
    }

    /// Whether scalp shows at pixel `(x, y)` of `photo`: the latest edit covering the pixel
    /// decides, else the analysis's label (bald, thinning or scar), else the colour is
    /// nearer (in CIELAB) the skin sample than the hair one.
    pub fn is_scalp(&self, photo: &RgbImage, x: f64, y: f64) -> bool {
        if let Some(e) = self.edits.iter().rev().find(|e| inside(&e.polygon_px, x, y)) {
            return e.kind == MaskKind::Scalp;
        }
        if let Some(a) = &self.analysis {
            return matches!(a.label_at(x, y), Label::Bald | Label::Thinning | Label::Scar);
        }
        let Some((hair_lab, skin_lab)) = self.colours else {
            return true;
        };
        let (xi, yi) = (x.floor(), y.floor());
        if xi < 0.0 || yi < 0.0 || xi >= f64::from(photo.width()) || yi >= f64::from(photo.height()) {
            return false;
        }
        let p = lab(photo.get_pixel(xi as u32, yi as u32).0);
        dist2(p, skin_lab) <= dist2(p, hair_lab)
    }
}

/// Sample hair and skin colours from the photo pixels at `points` (e.g. where a blend
/// region falls): hair from the darkest tenth, skin from the lightest third, by median.
pub fn sample_mask(photo: &RgbImage, points: impl Iterator<Item = (f64, f64)>) -> Option<Mask> {
    let mut px: Vec<[u8; 3]> = points
        .filter(|&(x, y)| x >= 0.0 && y >= 0.0 && x < f64::from(photo.width()) && y < f64::from(photo.height()))
        .map(|(x, y)| photo.get_pixel(x as u32, y as u32).0)
        .collect();
    if px.len() < 20 {
        return None;
    }
    px.sort_by(|a, b| lab(*a)[0].total_cmp(&lab(*b)[0]));
    let n = px.len();
    let median = |s: &[[u8; 3]]| -> [u8; 3] {
        std::array::from_fn(|k| {
            let mut v: Vec<u8> = s.iter().map(|p| p[k]).collect();
            v.sort_unstable();
            v[v.len() / 2]
        })
    };
    Some(Mask {
        hair_rgb: median(&px[..(n / 10).max(1)]),
        skin_rgb: median(&px[n - (n / 3).max(1)..]),
        edits: Vec::new(),
    })
}

/// Fewest pixels a colour is sampled from: below this a median is noise.
pub const MIN_SAMPLE_PIXELS: usize = 20;

/// Below this ΔE00 between the lightest third and the darkest tenth, an unmasked area is
/// uniform: it holds only skin or only hair, not both.
pub const UNIFORM_DELTA_E00: f64 = 5.0;

/// A uniform unmasked area darker than this L* is taken as all hair, else as all skin.
/// Heuristic: shaved dark hair in photos reads L* ≈ 15–28, the darkest scalp skin above.
pub const UNIFORM_HAIR_MAX_L: f64 = 28.0;

/// An 8-bit channel at or above this is clipped (specular sheen): left out of samples.
const CLIPPED_8BIT: u8 = 250;

/// Skin and hair colours sampled from a photo area (see [`sample_skin_hair`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SkinHairSample {
    /// Median CIELAB of the skin pixels; `None` when the area shows no skin.
    pub skin_lab: Option<[f64; 3]>,
    /// Median CIELAB of the hair pixels (stubble tips); `None` when it shows no hair.
    pub hair_lab: Option<[f64; 3]>,
    /// Pixels counted as skin.
    pub skin_pixels: usize,
    /// Pixels counted as hair.
    pub hair_pixels: usize,
    /// CIELAB of the mean linear colour over the points marked haired (skin and stubble
    /// together, as the eye averages a shaved haired area); `None` without such points.
    pub haired_area_lab: Option<[f64; 3]>,
}

fn median_lab(v: &[[f64; 3]]) -> [f64; 3] {
    std::array::from_fn(|k| {
        let mut c: Vec<f64> = v.iter().map(|p| p[k]).collect();
        c.sort_by(f64::total_cmp);
        c[c.len() / 2]
    })
}

/// Sample the skin and hair colours of `photo` at `points` (pixel positions, each flagged
/// when it lies in a haired area, e.g. a `blend` region). With a `mask`, its scalp pixels
/// give the skin (median) and its hair pixels the hair (median). Without one, the skin is
/// the median of the lightest third and the hair the median of the darkest tenth; when
/// those barely differ (< [`UNIFORM_DELTA_E00`]) the area is uniform and is all hair or
/// all skin by its lightness. Clipped pixels are left out. `None` when fewer than
/// [`MIN_SAMPLE_PIXELS`] points fall inside the photo.
pub fn sample_skin_hair(photo: &RgbImage, points: impl Iterator<Item = (f64, f64, bool)>, mask: Option<&Mask>) -> Option<SkinHairSample> {
    let (w, h) = (f64::from(photo.width()), f64::from(photo.height()));
    let scalp = mask.map(ScalpMask::new);
    let mut skin = Vec::new();
    let mut hair = Vec::new();
    let mut all = Vec::new();
    let mut haired_sum = [0.0; 3];
    let mut haired_n = 0usize;
    for (x, y, haired) in points {
        if !(x >= 0.0 && y >= 0.0 && x < w && y < h) {
            continue;
        }
        let p = photo.get_pixel(x as u32, y as u32).0;
        let linear = rgb8_to_linear(p);
        if haired {
            (0..3).for_each(|c| haired_sum[c] += linear[c]);
            haired_n += 1;
        }
        if p.iter().any(|&c| c >= CLIPPED_8BIT) {
            continue;
        }
        let l = linear_to_lab(linear);
        match &scalp {
            Some(m) if m.is_scalp(photo, x, y) => skin.push(l),
            Some(_) => hair.push(l),
            None => all.push(l),
        }
    }
    if scalp.is_none() {
        if all.len() < MIN_SAMPLE_PIXELS {
            return None;
        }
        all.sort_by(|a, b| a[0].total_cmp(&b[0]));
        let n = all.len();
        let dark = all[..(n / 10).max(1)].to_vec();
        let light = all[n - (n / 3).max(1)..].to_vec();
        let (hair_lab, skin_lab) = (median_lab(&dark), median_lab(&light));
        if smp_color::delta_e::delta_e00(hair_lab, skin_lab) < UNIFORM_DELTA_E00 {
            if median_lab(&all)[0] < UNIFORM_HAIR_MAX_L {
                hair = all;
            } else {
                skin = all;
            }
        } else {
            hair = dark;
            skin = light;
        }
    } else if skin.len() + hair.len() < MIN_SAMPLE_PIXELS {
        return None;
    }
    // A class present in under 1 % of the pixels (at least 3) is stray misclassification.
    let total = skin.len() + hair.len();
    let enough = |v: &[[f64; 3]]| (v.len() >= 3 && v.len() * 100 >= total).then(|| median_lab(v));
    Some(SkinHairSample {
        skin_lab: enough(&skin),
        hair_lab: enough(&hair),
        skin_pixels: skin.len(),
        hair_pixels: hair.len(),
        haired_area_lab: (haired_n > 0).then(|| linear_to_lab(haired_sum.map(|s| s / haired_n as f64))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_by_nearest_sample_and_edits_win() {
        let mut img = RgbImage::from_pixel(10, 10, image::Rgb([200, 160, 140]));
        img.put_pixel(2, 2, image::Rgb([40, 35, 30]));
        let mut m = sample_mask(&img, (0..100).map(|i| ((i % 10) as f64, (i / 10) as f64))).unwrap();
        m.hair_rgb = [40, 35, 30];
        let s = ScalpMask::new(&m);
        assert!(s.is_scalp(&img, 5.5, 5.5));
        assert!(!s.is_scalp(&img, 2.5, 2.5));
        let mut m2 = m.clone();
        m2.edits.push(MaskEdit {
            kind: MaskKind::Hair,
            polygon_px: vec![[4.0, 4.0], [8.0, 4.0], [8.0, 8.0], [4.0, 8.0]],
        });
        assert!(!ScalpMask::new(&m2).is_scalp(&img, 5.5, 5.5));
    }

    #[test]
    fn the_stored_analysis_decides_and_edits_still_win() {
        use smp_design::{MmToPx, PointMm, ViewAnalysis};
        let img = RgbImage::from_pixel(40, 20, image::Rgb([200, 160, 140]));
        // 4 × 2 cells of 10 px: top row bald, haired, thinning, skin; bottom row scar, background …
        let analysis = ViewAnalysis {
            photo_px: [40, 20],
            cell_px: 10.0,
            cells: [4, 2],
            labels_rle: "2x1 4x1 3x1 1x1 5x1 0x3".into(),
            coverage_rle: "0x8".into(),
            skin_rgb: [200, 160, 140],
            hair_rgb: [60, 50, 40],
            seeds: Default::default(),
        };
        let mut view = View {
            name: "top".into(),
            file: "p.png".into(),
            mm_to_px: MmToPx::from_similarity(PointMm::new(0.0, 0.0), (0.0, 0.0), 1.0, (1.0, 0.0)),
            head: None,
            mask: None,
            analysis: Some(analysis),
            photo_size_px: None,
            card: None,
            chart: None,
        };
        let m = ScalpMask::for_view(&view).unwrap();
        let scalp: Vec<bool> = [
            (5.0, 5.0),
            (15.0, 5.0),
            (25.0, 5.0),
            (35.0, 5.0),
            (5.0, 15.0),
            (15.0, 15.0),
            (-1.0, 5.0),
        ]
        .iter()
        .map(|&(x, y)| m.is_scalp(&img, x, y))
        .collect();
        assert_eq!(scalp, [true, false, true, false, true, false, false]);
        // Only background is off the client: skin and hair are on it.
        let on: Vec<bool> = [(5.0, 5.0), (15.0, 5.0), (35.0, 5.0), (15.0, 15.0), (45.0, 5.0)]
            .iter()
            .map(|&(x, y)| m.on_client(x, y))
            .collect();
        assert_eq!(on, [true, true, true, false, false]);
        // Bald shows all its scalp, skin none; thinning and hair show what their coverage
        // leaves (all zero coverage in this analysis).
        assert_eq!(m.scalp_share(&img, 5.0, 5.0), 1.0);
        assert_eq!(m.scalp_share(&img, 35.0, 5.0), 0.0);
        assert_eq!(m.scalp_share(&img, 25.0, 5.0), 1.0);
        view.mask = Some(Mask {
            hair_rgb: [0, 0, 0],
            skin_rgb: [255, 255, 255],
            edits: vec![MaskEdit {
                kind: MaskKind::Scalp,
                polygon_px: vec![[10.0, 0.0], [20.0, 0.0], [20.0, 10.0], [10.0, 10.0]],
            }],
        });
        assert!(
            ScalpMask::for_view(&view).unwrap().is_scalp(&img, 15.0, 5.0),
            "the painted edit wins"
        );
        view.analysis = None;
        view.mask = None;
        assert!(ScalpMask::for_view(&view).is_none());
    }

    #[test]
    fn samples_skin_and_hair_with_and_without_a_mask() {
        const SKIN: [u8; 3] = [210, 170, 150];
        const HAIR: [u8; 3] = [40, 35, 30];
        // Every fifth pixel is hair.
        let img = RgbImage::from_fn(20, 20, |x, y| image::Rgb(if (x + y) % 5 == 0 { HAIR } else { SKIN }));
        let pts = || (0..400).map(|i| ((i % 20) as f64 + 0.5, (i / 20) as f64 + 0.5, i < 200));
        let lab8 = |p: [u8; 3]| lab(p);
        let s = sample_skin_hair(&img, pts(), None).unwrap();
        assert_eq!((s.skin_lab, s.hair_lab), (Some(lab8(SKIN)), Some(lab8(HAIR))));
        // The haired area is the linear mean: darker than skin, lighter than hair.
        let a = s.haired_area_lab.unwrap();
        assert!(a[0] < lab8(SKIN)[0] && a[0] > lab8(HAIR)[0]);
        let m = Mask {
            hair_rgb: HAIR,
            skin_rgb: SKIN,
            edits: Vec::new(),
        };
        let s = sample_skin_hair(&img, pts(), Some(&m)).unwrap();
        assert_eq!((s.skin_pixels, s.hair_pixels), (320, 80));
        assert_eq!((s.skin_lab, s.hair_lab), (Some(lab8(SKIN)), Some(lab8(HAIR))));

        // All skin, masked or not: no hair. All hair: no skin.
        let skin_only = RgbImage::from_pixel(20, 20, image::Rgb(SKIN));
        for mask in [None, Some(&m)] {
            let s = sample_skin_hair(&skin_only, pts(), mask).unwrap();
            assert!(s.hair_lab.is_none() && s.skin_lab.is_some(), "{s:?}");
        }
        let hair_only = RgbImage::from_pixel(20, 20, image::Rgb(HAIR));
        for mask in [None, Some(&m)] {
            let s = sample_skin_hair(&hair_only, pts(), mask).unwrap();
            assert!(s.skin_lab.is_none() && s.hair_lab.is_some(), "{s:?}");
        }
        // Outside the photo: nothing to sample.
        assert!(sample_skin_hair(&img, (0..400).map(|i| (100.0 + i as f64, 5.0, false)), None).is_none());
    }
}
