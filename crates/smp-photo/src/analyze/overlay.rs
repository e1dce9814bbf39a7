//! The labels drawn over the photo, semi-transparent, with the outline and the fringe,
//! so a practitioner can check the analysis at a glance.

use image::{Rgb, RgbImage};

use crate::labels::{Label, LabelMap};

/// Display colour of each label (sRGB), by code.
pub const LABEL_COLOURS: [[u8; 3]; 6] = [
    [40, 40, 40],   // background: darkened
    [250, 200, 60], // skin: amber
    [230, 40, 40],  // bald: red
    [240, 140, 30], // thinning: orange
    [40, 120, 240], // haired: blue
    [200, 60, 220], // scar: magenta
];

/// Opacity of the label colours over the photo.
const ALPHA: f32 = 0.45;

fn line(img: &mut RgbImage, a: [f64; 2], b: [f64; 2], colour: [u8; 3], width: i64) {
    let n = ((b[0] - a[0]).abs().max((b[1] - a[1]).abs()).ceil() as usize).max(1);
    for k in 0..=n {
        let t = k as f64 / n as f64;
        let (x, y) = ((a[0] + (b[0] - a[0]) * t) as i64, (a[1] + (b[1] - a[1]) * t) as i64);
        for dy in -width / 2..=width / 2 {
            for dx in -width / 2..=width / 2 {
                let (px, py) = (x + dx, y + dy);
                if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                    img.put_pixel(px as u32, py as u32, Rgb(colour));
                }
            }
        }
    }
}

/// The photo with `labels` tinted over it, the `outline_px` polygon in white and the
/// `fringe_px` polylines in black.
pub fn draw_overlay(photo: &RgbImage, labels: &LabelMap, outline_px: &[[f64; 2]], fringe_px: &[Vec<[f64; 2]>]) -> RgbImage {
    let mut out = photo.clone();
    for (x, y, p) in out.enumerate_pixels_mut() {
        let l = labels.at_px(f64::from(x) + 0.5, f64::from(y) + 0.5);
        let c = LABEL_COLOURS[l.code() as usize];
        let a = if l == Label::Background { ALPHA * 0.6 } else { ALPHA };
        p.0 = std::array::from_fn(|k| (f32::from(p.0[k]) * (1.0 - a) + f32::from(c[k]) * a).round() as u8);
    }
    let width = i64::from((photo.width() / 600).max(1));
    for k in 0..outline_px.len() {
        line(
            &mut out,
            outline_px[k],
            outline_px[(k + 1) % outline_px.len()],
            [255, 255, 255],
            width,
        );
    }
    for f in fringe_px {
        for s in f.windows(2) {
            line(&mut out, s[0], s[1], [0, 0, 0], width);
        }
    }
    out
}
