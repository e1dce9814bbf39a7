//! The coarse and fine grids the wide parts of the diffusion profile are splatted on and blurred.

use rayon::prelude::*;

use super::*;

/// A low-resolution grid of `f`×`f`-pixel cells holding three channels.
pub(super) struct Grid {
    pub(super) f: usize,
    pub(super) w: usize,
    pub(super) h: usize,
    pub(super) ch: [Vec<f32>; 3],
}

impl Grid {
    pub(super) fn new(img_w: u32, img_h: u32, f: usize) -> Self {
        // One zero cell of padding on every side, so interpolation never leaves the grid.
        let (w, h) = ((img_w as usize).div_ceil(f) + 3, (img_h as usize).div_ceil(f) + 3);
        Grid {
            f,
            w,
            h,
            ch: std::array::from_fn(|_| vec![0.0; w * h]),
        }
    }

    /// A grid of the same cells holding the planes `ch`.
    pub(super) fn with_planes(&self, ch: [Vec<f32>; 3]) -> Grid {
        Grid {
            f: self.f,
            w: self.w,
            h: self.h,
            ch,
        }
    }

    /// Add `mass` (pixel² of fully absorbed light) at a pixel position, spread bilinearly.
    pub(super) fn splat(&mut self, x: f64, y: f64, mass: [f64; 3]) {
        let f = self.f as f64;
        let (u, v) = (x / f + 0.5, y / f + 0.5);
        let (u0, v0) = (u.floor(), v.floor());
        let (fu, fv) = (u - u0, v - v0);
        let norm = 1.0 / (f * f);
        for (du, dv, wt) in [
            (0, 0, (1.0 - fu) * (1.0 - fv)),
            (1, 0, fu * (1.0 - fv)),
            (0, 1, (1.0 - fu) * fv),
            (1, 1, fu * fv),
        ] {
            let (cu, cv) = (u0 as isize + du, v0 as isize + dv);
            if cu >= 0 && cv >= 0 && (cu as usize) < self.w && (cv as usize) < self.h {
                let c = cv as usize * self.w + cu as usize;
                for k in 0..3 {
                    self.ch[k][c] += (mass[k] * wt * norm) as f32;
                }
            }
        }
    }

    /// Interpolation positions of every pixel column or row along an axis of `n` cells:
    /// (first cell, second cell, weight of the second), so sampling needs no division.
    pub(super) fn axis(&self, pixels: usize, cells: usize) -> Vec<(usize, usize, f32)> {
        let f = self.f as f64;
        (0..pixels)
            .map(|i| {
                let u = (i as f64 + 0.5) / f + 0.5;
                let u0 = u.floor();
                ((u0 as usize).min(cells - 2), (u0 as usize + 1).min(cells - 1), (u - u0) as f32)
            })
            .collect()
    }

    /// Channel `k` interpolated between two grid rows, into `out`.
    pub(super) fn lerp_row(&self, k: usize, (y0, y1, fy): (usize, usize, f32), out: &mut [f32]) {
        let c = &self.ch[k];
        for ((o, a), b) in out
            .iter_mut()
            .zip(&c[y0 * self.w..(y0 + 1) * self.w])
            .zip(&c[y1 * self.w..(y1 + 1) * self.w])
        {
            *o = a * (1.0 - fy) + b * fy;
        }
    }
}

/// Normalised Gaussian taps for `sigma` (in samples), truncated at 3σ.
pub(super) fn taps(sigma: f64) -> Vec<f32> {
    let r = (3.0 * sigma).ceil().max(1.0) as isize;
    let mut t: Vec<f64> = (-r..=r).map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp()).collect();
    let s: f64 = t.iter().sum();
    t.iter_mut().for_each(|v| *v /= s);
    t.into_iter().map(|v| v as f32).collect()
}

/// Add `weight` × the separable Gaussian blur of a `w`×`h` plane to `acc`; `tmp` is
/// scratch space reused between calls (fresh buffers would cost page faults).
pub(super) fn blur_add(plane: &[f32], w: usize, h: usize, sigma: f64, weight: f32, tmp: &mut Vec<f32>, acc: &mut [f32]) {
    let t = taps(sigma);
    let r = (t.len() / 2) as isize;
    tmp.resize(w * h, 0.0);
    let ru = r as usize;
    tmp.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        let src = &plane[y * w..(y + 1) * w];
        for (x, out) in row.iter_mut().enumerate() {
            *out = if x >= ru && x + ru < w {
                // Interior: no bounds to check.
                src[x - ru..=x + ru].iter().zip(&t).map(|(s, k)| s * k).sum()
            } else {
                let mut sum = 0.0;
                for (k, &tk) in t.iter().enumerate() {
                    let sx = x as isize + k as isize - r;
                    if sx >= 0 && (sx as usize) < w {
                        sum += tk * src[sx as usize];
                    }
                }
                sum
            };
        }
    });
    let tmp = &*tmp;
    acc.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        for (k, &tk) in t.iter().enumerate() {
            let sy = y as isize + k as isize - r;
            if sy >= 0 && (sy as usize) < h {
                let wt = weight * tk;
                for (o, &s) in row.iter_mut().zip(&tmp[sy as usize * w..(sy as usize + 1) * w]) {
                    *o += wt * s;
                }
            }
        }
    });
}

/// Channel `k` of a grid blurred to a Gaussian of `sigma_px` pixels, as a new plane.
pub(super) fn blur_channel(g: &Grid, k: usize, sigma_px: f64, tmp: &mut Vec<f32>) -> Vec<f32> {
    let mut b = vec![0.0; g.w * g.h];
    blur_add(&g.ch[k], g.w, g.h, cell_sigma(sigma_px, g.f), 1.0, tmp, &mut b);
    b
}

/// Separable Gaussian blur of a `w`×`h` plane.
pub(super) fn blur(plane: &[f32], w: usize, h: usize, sigma: f64) -> Vec<f32> {
    let mut out = vec![0.0; w * h];
    blur_add(plane, w, h, sigma, 1.0, &mut Vec::new(), &mut out);
    out
}

/// Sum over Gaussians `comps` of weight × blur, per channel, of a grid.
pub(super) fn blurred(grid: &Grid, split: &Split, comps: [usize; 2], (px_per_mm, extra_var): (f64, f64), tmp: &mut Vec<f32>) -> Grid {
    let mut out = grid.with_planes(std::array::from_fn(|_| Vec::new()));
    for (k, plane) in grid.ch.iter().enumerate() {
        let [wa, wb] = comps.map(|i| split.w[k][i]);
        if wa + wb == 0.0 {
            continue; // this channel diffuses too little to reach this grid
        }
        // Two neighbouring Gaussians of a grid blur as one of their weighted variance:
        // one pass instead of two, within a level of the pair (checked against the full
        // model in the tests).
        let [sa, sb] = comps.map(|i| split.sigma_mm[i] * px_per_mm);
        let sigma = ((wa * sa * sa + wb * sb * sb) / (wa + wb) + extra_var).sqrt();
        out.ch[k] = vec![0.0; grid.w * grid.h];
        blur_add(
            plane,
            grid.w,
            grid.h,
            cell_sigma(sigma, grid.f),
            (wa + wb) as f32,
            tmp,
            &mut out.ch[k],
        );
    }
    out
}

/// The blur, in cells, that with the bilinear splat and the bilinear read-back (a tent of
/// variance f²/6 each per axis) adds up to a Gaussian of `sigma_px`.
pub(super) fn cell_sigma(sigma_px: f64, f: usize) -> f64 {
    let f = f as f64;
    (sigma_px * sigma_px - f * f / 3.0).max(0.09 * f * f).sqrt() / f
}
