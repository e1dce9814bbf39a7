//! The tips among the blob responses, and the colours of the tips and of the skin.

use image::RgbImage;
use smp_color::srgb::linear_to_lab;

use super::plane::{Plane, luminance, median_f64};
use super::{SCALES, Tip, Window};

/// The tips in the region of `win`: maxima of the responses `resp` (at scales `sigmas`)
/// over 3 × 3 pixels × 3 neighbouring scales whose contrast reaches `threshold`.
pub(super) fn find_tips(resp: &[Plane], sigmas: &[f64], win: &Window, threshold: f64, px_per_mm: f64) -> Vec<Tip> {
    let w = win.w;
    let pre = (0.5 * threshold) as f32;
    let mut tips = Vec::new();
    for y in win.oy..win.oy + win.rh as usize {
        for x in win.ox..win.ox + win.rw as usize {
            // The best scale here; then a maximum over its 3 × 3 × 3 neighbourhood.
            let (k, r) = resp
                .iter()
                .enumerate()
                .map(|(k, p)| (k, p.v[y * w + x]))
                .fold((0, f32::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
            if r < pre || !is_local_max(resp, k, (x, y), r) {
                continue;
            }
            let contrast = 2.0 * f64::from(r);
            if contrast < threshold {
                continue;
            }
            let sigma = tip_sigma(resp, sigmas, k, y * w + x);
            tips.push(Tip {
                x: (win.x0 as usize + x) as f64 + 0.5,
                y: (win.y0 as usize + y) as f64 + 0.5,
                diameter_mm: 2.0 * std::f64::consts::SQRT_2 * sigma / px_per_mm,
                contrast: contrast.min(1.0),
            });
        }
    }
    tips
}

/// Whether response `r` at pixel `(x, y)` of scale `k` is the maximum of its 3 × 3 × 3
/// neighbourhood.
fn is_local_max(resp: &[Plane], k: usize, (x, y): (usize, usize), r: f32) -> bool {
    let (w, h) = (resp[k].w, resp[k].h);
    let (xi, yi) = (x as isize, y as isize);
    for kk in k.saturating_sub(1)..=(k + 1).min(SCALES - 1) {
        for dy in -1..=1isize {
            for dx in -1..=1isize {
                if kk == k && dx == 0 && dy == 0 {
                    continue;
                }
                let (nx, ny) = (xi + dx, yi + dy);
                if nx < 0 || ny < 0 || nx >= w as isize || ny >= h as isize {
                    continue;
                }
                let v = resp[kk].v[ny as usize * w + nx as usize];
                // Ties go to the first in row order, so a plateau counts once.
                let earlier = (ny, nx) < (yi, xi) || (ny == yi && nx == xi && kk < k);
                if v > r || (v == r && earlier) {
                    return false;
                }
            }
        }
    }
    true
}

/// The blob's σ, px, at pixel `i` whose best scale is `k`: refined by a parabola through
/// the neighbouring scales and corrected for the pixel's own footprint.
fn tip_sigma(resp: &[Plane], sigmas: &[f64], k: usize, i: usize) -> f64 {
    // Parabola through the neighbouring scales, in ln σ.
    let mut ls = sigmas[k].ln();
    if k > 0 && k + 1 < SCALES {
        let (a, b, cc) = (f64::from(resp[k - 1].v[i]), f64::from(resp[k].v[i]), f64::from(resp[k + 1].v[i]));
        let den = a - 2.0 * b + cc;
        if den < 0.0 {
            let step = (sigmas[k + 1].ln() - sigmas[k - 1].ln()) / 2.0;
            ls += (0.5 * (a - cc) / den).clamp(-1.0, 1.0) * step;
        }
    }
    (ls.exp().powi(2) - 1.0 / 12.0).max(0.01).sqrt()
}

fn lab_at(img: &RgbImage, lut: &[f32; 256], x: u32, y: u32) -> [f64; 3] {
    let p = img.get_pixel(x, y);
    linear_to_lab([0, 1, 2].map(|i| f64::from(lut[p[i] as usize])))
}

fn median_lab(labs: &[[f64; 3]]) -> [f64; 3] {
    [0, 1, 2].map(|i| {
        let mut v: Vec<f64> = labs.iter().map(|l| l[i]).collect();
        median_f64(&mut v)
    })
}

/// The median CIELAB of the tips, each taken at its darkest pixel (the one the tip
/// covers most); `None` without tips.
pub(super) fn tip_lab(img: &RgbImage, lut: &[f32; 256], tips: &[Tip]) -> Option<[f64; 3]> {
    let (iw, ih) = img.dimensions();
    let tip_labs: Vec<[f64; 3]> = tips
        .iter()
        .map(|t| {
            let (cx, cy) = (t.x as i64, t.y as i64);
            let mut best = (f32::INFINITY, cx as u32, cy as u32);
            for yy in (cy - 1).max(0)..=(cy + 1).min(i64::from(ih) - 1) {
                for xx in (cx - 1).max(0)..=(cx + 1).min(i64::from(iw) - 1) {
                    let l = luminance(lut, img.get_pixel(xx as u32, yy as u32));
                    if l < best.0 {
                        best = (l, xx as u32, yy as u32);
                    }
                }
            }
            lab_at(img, lut, best.1, best.2)
        })
        .collect();
    (!tip_labs.is_empty()).then(|| median_lab(&tip_labs))
}

/// The median CIELAB of the skin in the region of `win`: a sample of its pixels whose
/// contrast `c` lies under `skin_cut`.
pub(super) fn skin_lab(img: &RgbImage, lut: &[f32; 256], c: &Plane, win: &Window, skin_cut: f32) -> [f64; 3] {
    let skin_stride = ((win.rw as usize * win.rh as usize) / 50_000).max(1);
    let skin_labs: Vec<[f64; 3]> = win
        .region_pixels(skin_stride)
        .filter(|&(x, y)| c.v[(win.oy + y) * win.w + win.ox + x] < skin_cut)
        .map(|(x, y)| lab_at(img, lut, win.rx + x as u32, win.ry + y as u32))
        .collect();
    median_lab(&skin_labs)
}
