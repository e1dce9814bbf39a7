//! The client's colours read from the labelled photo: scalp skin from the bald scalp,
//! hair from the haired scalp.

use image::RgbImage;
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};

use crate::labels::{Label, LabelMap};

/// Least number of pixels a colour is read from.
const MIN_PIXELS: usize = 50;

/// Which pixels of a label stand for its colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pick {
    /// The middle half by lightness: shading and highlights left out (skin).
    Middle,
    /// The darkest tenth: the hair itself rather than the skin between hairs.
    Darkest,
}

/// Median CIELAB of `label`'s pixels (one per cell, at its centre), picked as `pick`.
pub fn median_lab(photo: &RgbImage, labels: &LabelMap, label: Label, pick: Pick) -> Option<[f64; 3]> {
    let step = (labels.cell_px.max(1) as usize).max(((labels.width * labels.height) as usize / 200_000).max(1)) as u32;
    let mut labs = Vec::new();
    let mut y = step / 2;
    while y < photo.height() {
        let mut x = step / 2;
        while x < photo.width() {
            if labels.at_px(x as f64, y as f64) == label {
                labs.push(linear_to_lab(rgb8_to_linear(photo.get_pixel(x, y).0)));
            }
            x += step;
        }
        y += step;
    }
    if labs.len() < MIN_PIXELS {
        return None;
    }
    labs.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let n = labs.len();
    let chosen = match pick {
        Pick::Middle => &labs[n / 4..n * 3 / 4],
        Pick::Darkest => &labs[..(n / 10).max(1)],
    };
    let median = |c: usize| {
        let mut v: Vec<f64> = chosen.iter().map(|l| l[c]).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    Some([median(0), median(1), median(2)])
}
