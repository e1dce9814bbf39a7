//! Float images over the window of the photo a stubble analysis works on: luminance,
//! contrast against the local skin level, and the blob response at a scale.

use image::RgbImage;
use rayon::prelude::*;

use super::{TILE_MM, Window};

/// A float image over a window of the photo.
pub(super) struct Plane {
    pub(super) w: usize,
    pub(super) h: usize,
    pub(super) v: Vec<f32>,
}

impl Plane {
    fn at(&self, x: isize, y: isize) -> f32 {
        // Clamped: the photo's edge continues outwards, so no dark frame appears.
        let x = x.clamp(0, self.w as isize - 1) as usize;
        let y = y.clamp(0, self.h as isize - 1) as usize;
        self.v[y * self.w + x]
    }
}

pub(super) fn median(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let mid = v.len() / 2;
    *v.select_nth_unstable_by(mid, f32::total_cmp).1
}

pub(super) fn median_f64(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mid = v.len() / 2;
    *v.select_nth_unstable_by(mid, f64::total_cmp).1
}

/// Relative luminance in linear light (Rec. 709 weights) of an sRGB pixel, through the
/// decoding table `lut`.
pub(super) fn luminance(lut: &[f32; 256], p: &image::Rgb<u8>) -> f32 {
    0.2126 * lut[p[0] as usize] + 0.7152 * lut[p[1] as usize] + 0.0722 * lut[p[2] as usize]
}

/// The contrast `1 − Y/B` of every pixel of window `win` of `img` against the skin level
/// `B`: tile medians of its luminance `Y`, interpolated between tile centres.
pub(super) fn contrast_plane(img: &RgbImage, lut: &[f32; 256], win: &Window, px_per_mm: f64) -> Plane {
    let (w, h) = (win.w, win.h);
    let y_plane: Vec<f32> = (0..w * h)
        .map(|k| luminance(lut, img.get_pixel(win.x0 + (k % w) as u32, win.y0 + (k / w) as u32)))
        .collect();
    let tile = ((TILE_MM * px_per_mm).round() as usize).clamp(8, 256);
    let (tx, ty) = (w.div_ceil(tile), h.div_ceil(tile));
    let mut meds = vec![0.0f32; tx * ty];
    for j in 0..ty {
        for i in 0..tx {
            let mut v: Vec<f32> = (j * tile..((j + 1) * tile).min(h))
                .flat_map(|y| (i * tile..((i + 1) * tile).min(w)).map(move |x| (x, y)))
                .map(|(x, y)| y_plane[y * w + x])
                .collect();
            meds[j * tx + i] = median(&mut v).max(1e-4);
        }
    }
    let bg = |x: usize, y: usize| {
        let fx = ((x as f64 + 0.5) / tile as f64 - 0.5).clamp(0.0, (tx - 1) as f64);
        let fy = ((y as f64 + 0.5) / tile as f64 - 0.5).clamp(0.0, (ty - 1) as f64);
        let (i, j) = (fx as usize, fy as usize);
        let (i1, j1) = ((i + 1).min(tx - 1), (j + 1).min(ty - 1));
        let (u, v) = ((fx - i as f64) as f32, (fy - j as f64) as f32);
        let top = meds[j * tx + i] * (1.0 - u) + meds[j * tx + i1] * u;
        let bottom = meds[j1 * tx + i] * (1.0 - u) + meds[j1 * tx + i1] * u;
        top * (1.0 - v) + bottom * v
    };
    Plane {
        w,
        h,
        v: (0..w * h).map(|k| 1.0 - y_plane[k] / bg(k % w, k / w)).collect(),
    }
}

/// Gaussian blur of `p` at `sigma` pixels, separable, edges clamped.
fn blur(p: &Plane, sigma: f64) -> Plane {
    let r = (3.0 * sigma).ceil() as isize;
    let k: Vec<f32> = (-r..=r).map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp() as f32).collect();
    let sum: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / sum).collect();
    let (w, h) = (p.w, p.h);
    let mut tmp = vec![0.0f32; w * h];
    tmp.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        for (x, o) in row.iter_mut().enumerate() {
            *o = k
                .iter()
                .enumerate()
                .map(|(i, kv)| kv * p.at(x as isize + i as isize - r, y as isize))
                .sum();
        }
    });
    let t = Plane { w, h, v: tmp };
    let mut out = vec![0.0f32; w * h];
    out.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        for (x, o) in row.iter_mut().enumerate() {
            *o = k
                .iter()
                .enumerate()
                .map(|(i, kv)| kv * t.at(x as isize, y as isize + i as isize - r))
                .sum();
        }
    });
    Plane { w, h, v: out }
}

/// Scale-normalised response −σ²∇²(G_σ ∗ c): positive on dark (high-contrast) blobs.
pub(super) fn log_response(c: &Plane, sigma: f64) -> Plane {
    let g = blur(c, sigma);
    let s2 = (sigma * sigma) as f32;
    let mut out = vec![0.0f32; g.w * g.h];
    out.par_chunks_mut(g.w).enumerate().for_each(|(y, row)| {
        let y = y as isize;
        for (x, o) in row.iter_mut().enumerate() {
            let x = x as isize;
            let lap = g.at(x + 1, y) + g.at(x - 1, y) + g.at(x, y + 1) + g.at(x, y - 1) - 4.0 * g.at(x, y);
            *o = -s2 * lap;
        }
    });
    Plane { w: g.w, h: g.h, v: out }
}
