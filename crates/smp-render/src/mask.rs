//! The skin/hair mask of a view: which pixels show scalp. Colour segmentation against a
//! sampled hair and skin colour, then painted edits; `blend` regions only get dots where
//! scalp shows.

use image::RgbImage;
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};
use smp_design::{Mask, MaskKind};

/// A mask ready to query.
pub struct ScalpMask<'a> {
    mask: &'a Mask,
    hair_lab: [f64; 3],
    skin_lab: [f64; 3],
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
    /// Prepare a view's mask.
    pub fn new(mask: &'a Mask) -> Self {
        ScalpMask {
            mask,
            hair_lab: lab(mask.hair_rgb),
            skin_lab: lab(mask.skin_rgb),
        }
    }

    /// Whether scalp shows at pixel `(x, y)` of `photo`: the latest edit covering the pixel
    /// decides, else the colour is nearer (in CIELAB) the skin sample than the hair one.
    pub fn is_scalp(&self, photo: &RgbImage, x: f64, y: f64) -> bool {
        if let Some(e) = self.mask.edits.iter().rev().find(|e| inside(&e.polygon_px, x, y)) {
            return e.kind == MaskKind::Scalp;
        }
        let (xi, yi) = (x.floor(), y.floor());
        if xi < 0.0 || yi < 0.0 || xi >= f64::from(photo.width()) || yi >= f64::from(photo.height()) {
            return false;
        }
        let p = lab(photo.get_pixel(xi as u32, yi as u32).0);
        dist2(p, self.skin_lab) <= dist2(p, self.hair_lab)
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

#[cfg(test)]
mod tests {
    use super::*;
    use smp_design::MaskEdit;

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
}
