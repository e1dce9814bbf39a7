//! The renderer: pigment dots on a photo by the optics model of `smp-color`.
//!
//! Light passes the pigment twice: on the way in, where what the pigment removes is then
//! spread by diffusion in the skin (the profile), and on the way out, right above the
//! dot, sharp (d'Eon & Luebke's pre- and post-scatter texturing). So a pixel shows
//! `skin · (s + (1 - s) · τ(x) · (1 - (P ⊛ D)(x)))` per channel, with `τ` the pigment's
//! transmittance at the pixel, `D = 1 - τ`, `P` the profile and `s` the turbid
//! backscatter (see `smp_color::optics`).
//!
//! The diffusion profile's six Gaussians are evaluated where they are cheap and still
//! exact enough: the two narrowest per dot at full resolution, the middle two on a grid
//! of ~0.25 mm cells and the widest two on ~1 mm cells, each grid splatted with the
//! dots' absorbed light and blurred, then sampled back bilinearly. Weights under 1 % are
//! folded into the nearest kept Gaussian of the same channel. Pixels farther than
//! [`influence_radius_mm`] from every dot are left exactly as they were.
//! [`render_reference`] evaluates the same model by direct convolution at full
//! resolution, for tests.

use image::RgbImage;
use rayon::prelude::*;
use smp_color::SkinOptics;
use smp_color::constants::{FRESH_HALO_SIGMA_MM, REDNESS_TINT, SKIRT_EDGE_SIGMA_OF_RADIUS};
use smp_color::srgb::{EncodeLut, decode_lut};
use smp_photo::camera::{HighlightMap, PIXEL_BOX_VAR, PhotoCamera, PxBox};

use crate::disk::blurred_disk;
use crate::grain::{normal3, top_up};

/// One dot as the renderer sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderDot {
    /// Pixel column of the centre.
    pub x: f64,
    /// Pixel row of the centre.
    pub y: f64,
    /// Pigment disk diameter, pixels.
    pub diameter_px: f64,
    /// Compression along `radial` (1 when facing the camera).
    pub foreshorten: f64,
    /// Unit vector of the compression.
    pub radial: (f64, f64),
    /// Share of light the pigment layer absorbs on the way out, per channel
    /// (Beer–Lambert); transmittances of overlapping disks multiply.
    pub absorbed: [f64; 3],
    /// Share removed on the way in, which diffusion then spreads; overlapping disks add.
    pub diffused: [f64; 3],
    /// Redness halo strength (fresh dots).
    pub halo: f64,
    /// A concentric inner disk of more pigment (a healed dot's core inside its skirt).
    pub inner: Option<InnerDisk>,
}

/// The core of a dot, concentric with it and smaller, carrying what it adds to the dot's
/// own pigment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InnerDisk {
    /// Diameter, pixels.
    pub diameter_px: f64,
    /// As [`RenderDot::absorbed`], on top of the outer disk's.
    pub absorbed: [f64; 3],
    /// As [`RenderDot::diffused`], on top of the outer disk's.
    pub diffused: [f64; 3],
}

/// Which Gaussians go where: per channel, weights at full resolution (components 0, 1),
/// on the fine grid (2, 3) and on the coarse grid (4, 5).
#[derive(Debug, Clone)]
struct Split {
    sigma_mm: [f64; 6],
    w: [[f64; 6]; 3],
}

/// Below this a Gaussian's weight is folded into its nearest kept neighbour.
const FOLD_BELOW: f64 = 0.01;

impl Split {
    fn new(o: &SkinOptics) -> Self {
        let mut w = o.weights;
        for ch in &mut w {
            for i in 0..6 {
                if ch[i] > 0.0 && ch[i] < FOLD_BELOW {
                    let target = (0..6)
                        .filter(|&j| j != i && ch[j] >= FOLD_BELOW)
                        .min_by_key(|&j| j.abs_diff(i))
                        .expect("a kept Gaussian");
                    ch[target] += ch[i];
                    ch[i] = 0.0;
                }
            }
        }
        Split { sigma_mm: o.sigma_mm, w }
    }
}

/// Distance from a dot beyond which the render leaves pixels unchanged, mm: three
/// standard deviations of the widest Gaussian plus one coarse cell of interpolation,
/// plus the halo's reach, plus the dot's radius and three standard deviations of a
/// skirt's soft rim.
pub fn influence_radius_mm(o: &SkinOptics, max_dot_mm: f64) -> f64 {
    let widest = o.sigma_mm.iter().copied().fold(0.0, f64::max);
    let skirt_sigma_of_diameter = 0.5 * (0.25 + SKIRT_EDGE_SIGMA_OF_RADIUS * SKIRT_EDGE_SIGMA_OF_RADIUS).sqrt();
    (3.0 * widest + 1.5 * COARSE_CELL_MM).max(3.0 * FRESH_HALO_SIGMA_MM + 1.5 * FINE_CELL_MM)
        + max_dot_mm * (0.5 + 3.0 * skirt_sigma_of_diameter)
}

/// Largest coarse grid cell, mm (for the influence radius).
const COARSE_CELL_MM: f64 = 1.41 / 0.9;
/// Largest fine grid cell, mm.
const FINE_CELL_MM: f64 = 0.432 / 0.9;
/// Light share below which a pixel's grain is topped up (see `render_in`).
const GRAIN_FROM: f32 = 0.995;
/// Rows per band of the full-resolution pass.
const BAND_ROWS: usize = 32;

/// A low-resolution grid of `f`×`f`-pixel cells holding three channels.
struct Grid {
    f: usize,
    w: usize,
    h: usize,
    ch: [Vec<f32>; 3],
}

impl Grid {
    fn new(img_w: u32, img_h: u32, f: usize) -> Self {
        // One zero cell of padding on every side, so interpolation never leaves the grid.
        let (w, h) = ((img_w as usize).div_ceil(f) + 3, (img_h as usize).div_ceil(f) + 3);
        Grid {
            f,
            w,
            h,
            ch: std::array::from_fn(|_| vec![0.0; w * h]),
        }
    }

    /// Add `mass` (pixel² of fully absorbed light) at a pixel position, spread bilinearly.
    fn splat(&mut self, x: f64, y: f64, mass: [f64; 3]) {
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
    fn axis(&self, pixels: usize, cells: usize) -> Vec<(usize, usize, f32)> {
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
    fn lerp_row(&self, k: usize, (y0, y1, fy): (usize, usize, f32), out: &mut [f32]) {
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
fn taps(sigma: f64) -> Vec<f32> {
    let r = (3.0 * sigma).ceil().max(1.0) as isize;
    let mut t: Vec<f64> = (-r..=r).map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp()).collect();
    let s: f64 = t.iter().sum();
    t.iter_mut().for_each(|v| *v /= s);
    t.into_iter().map(|v| v as f32).collect()
}

/// Add `weight` × the separable Gaussian blur of a `w`×`h` plane to `acc`; `tmp` is
/// scratch space reused between calls (fresh buffers would cost page faults).
fn blur_add(plane: &[f32], w: usize, h: usize, sigma: f64, weight: f32, tmp: &mut Vec<f32>, acc: &mut [f32]) {
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

/// Separable Gaussian blur of a `w`×`h` plane.
fn blur(plane: &[f32], w: usize, h: usize, sigma: f64) -> Vec<f32> {
    let mut out = vec![0.0; w * h];
    blur_add(plane, w, h, sigma, 1.0, &mut Vec::new(), &mut out);
    out
}

/// Sum over Gaussians `comps` of weight × blur, per channel, of a grid.
fn blurred(grid: &Grid, split: &Split, comps: [usize; 2], (px_per_mm, extra_var): (f64, f64), tmp: &mut Vec<f32>) -> Grid {
    let mut out = Grid {
        f: grid.f,
        w: grid.w,
        h: grid.h,
        ch: std::array::from_fn(|_| Vec::new()),
    };
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
fn cell_sigma(sigma_px: f64, f: usize) -> f64 {
    let f = f as f64;
    (sigma_px * sigma_px - f * f / 3.0).max(0.09 * f * f).sqrt() / f
}

/// Area of a (foreshortened) disk, pixels².
fn disk_area(diameter_px: f64, foreshorten: f64) -> f64 {
    std::f64::consts::PI * diameter_px * diameter_px / 4.0 * foreshorten
}

/// A dot's absorbed area, pixels², per channel (with its core).
fn mass(d: &RenderDot) -> [f64; 3] {
    let outer = disk_area(d.diameter_px, d.foreshorten);
    let inner = d.inner.map_or(0.0, |i| disk_area(i.diameter_px, d.foreshorten));
    std::array::from_fn(|k| d.diffused[k] * outer + d.inner.map_or(0.0, |i| i.diffused[k]) * inner)
}

/// What a dot gives the per-dot narrow Gaussians: its absorbed area per channel and mean
/// squared radius. A skirt's share goes to the skirt grid instead (see `render_in`), so
/// only a skirted dot's core is stamped.
fn stamped_mass(d: &RenderDot) -> ([f64; 3], f64) {
    match d.inner {
        Some(i) => {
            let core = disk_area(i.diameter_px, d.foreshorten);
            (i.diffused.map(|v| v * core), (i.diameter_px / 2.0).powi(2))
        }
        None => (mass(d), mean_r2(d)),
    }
}

/// Mean squared radius of a dot's absorbed light (core and skirt weighted by mass), px².
fn mean_r2(d: &RenderDot) -> f64 {
    let r2 = (d.diameter_px / 2.0).powi(2);
    let Some(i) = d.inner else { return r2 };
    let (mo, mi) = (d.diffused[1] * r2, i.diffused[1] * (i.diameter_px / 2.0).powi(2));
    if mo + mi <= 0.0 {
        r2
    } else {
        (mo * r2 + mi * (i.diameter_px / 2.0).powi(2)) / (mo + mi)
    }
}

/// Supersampling per pixel side for the sharp disk.
const DISK_SS: usize = 4;

/// Share of pixel `(x, y)` a (foreshortened) disk of radius `r` around the dot covers,
/// by supersampling.
fn coverage(d: &RenderDot, r: f64, x: isize, y: isize) -> f64 {
    let (ux, uy) = d.radial;
    let f = d.foreshorten.max(1e-6);
    let mut hits = 0;
    for sy in 0..DISK_SS {
        for sx in 0..DISK_SS {
            let px = x as f64 + (sx as f64 + 0.5) / DISK_SS as f64 - d.x;
            let py = y as f64 + (sy as f64 + 0.5) / DISK_SS as f64 - d.y;
            let (a, b) = (px * ux + py * uy, -px * uy + py * ux);
            if (a / f).powi(2) + b * b <= r * r {
                hits += 1;
            }
        }
    }
    hits as f64 / (DISK_SS * DISK_SS) as f64
}

/// A dot's disks as drawn: (radius px, absorbed share, soft edge σ px). Transmittances
/// multiply: over the core the layer absorbs 1 − τ_o·τ_i, the outer disk's share plus
/// the core's share of what the outer one lets through. A skirt (a disk with a core)
/// thins out gradually ([`SKIRT_EDGE_SIGMA_OF_RADIUS`]): dispersed pigment has no rim;
/// it is drawn as a Gaussian of the soft disk's variance.
fn disks_of(d: &RenderDot) -> impl Iterator<Item = (f64, [f64; 3], f64)> {
    let r = d.diameter_px / 2.0;
    let soft = if d.inner.is_some() { SKIRT_EDGE_SIGMA_OF_RADIUS * r } else { 0.0 };
    let inner = d.inner.map(|i| {
        (
            i.diameter_px / 2.0,
            std::array::from_fn(|k| i.absorbed[k] * (1.0 - d.absorbed[k])),
            0.0,
        )
    });
    std::iter::once((r, d.absorbed, soft)).chain(inner)
}

/// Add one dot's pigment disks (the skirt and its core) to `acc`, the absorbed share per
/// pixel of the band `(w, y0, rows)`, each seen through a Gaussian of variance `var_px2`
/// (the camera's blur and the pixel's area) and scaled so that its pixels sum to exactly
/// the disk's area times what it absorbs.
fn stamp_disks(acc: &mut [[f32; 3]], (w, h, y0, rows): (usize, usize, usize, usize), d: &RenderDot, var_px2: f64, sc: &mut StampScratch) {
    let sigma = var_px2.sqrt().max(1e-3);
    let f = d.foreshorten;
    if f < 1e-3 {
        return;
    }
    let (ux, uy) = d.radial;
    for (r, a, soft) in disks_of(d) {
        // Skirts are smooth enough for the skirt grid (see `render_in`).
        if soft > 0.0 || r <= 0.0 || a.iter().all(|&v| v <= 0.0) {
            continue;
        }
        let reach = r + 3.5 * sigma + 1.0;
        let (xa, xb) = ((d.x - reach).floor() as isize, (d.x + reach).ceil() as isize);
        let (ya, yb) = ((d.y - reach).floor() as isize, (d.y + reach).ceil() as isize);
        if yb < y0 as isize || ya >= (y0 + rows) as isize {
            continue;
        }
        let (nx, ny) = ((xb - xa + 1) as usize, (yb - ya + 1) as usize);
        sc.patch.clear();
        sc.patch.resize(nx * ny, 0.0);
        let rs = r / sigma;
        let mut sum = 0.0;
        for j in 0..ny {
            let dy = (ya + j as isize) as f64 + 0.5 - d.y;
            for i in 0..nx {
                let dx = (xa + i as isize) as f64 + 0.5 - d.x;
                let (u, v) = ((dx * ux + dy * uy) / f, -dx * uy + dy * ux);
                let s = blurred_disk(rs, (u * u + v * v).sqrt() / sigma);
                sc.patch[j * nx + i] = s;
                sum += s;
            }
        }
        if sum <= 0.0 {
            continue;
        }
        // The disk's area, px², over what its samples sum to.
        let scale = std::f64::consts::PI * r * r * f / sum;
        let wts: [f32; 3] = a.map(|v| (v * scale) as f32);
        for j in 0..ny {
            let y = ya + j as isize;
            if y < y0 as isize || y >= (y0 + rows).min(h) as isize {
                continue;
            }
            let row = &mut acc[(y as usize - y0) * w..(y as usize - y0 + 1) * w];
            for i in 0..nx {
                let x = xa + i as isize;
                if x < 0 || x >= w as isize {
                    continue;
                }
                let s = sc.patch[j * nx + i] as f32;
                if s > 0.0 {
                    for k in 0..3 {
                        row[x as usize][k] += wts[k] * s;
                    }
                }
            }
        }
    }
}

/// `exp(inv · (i - c)²)` for `n` consecutive integers from `start`, by the recurrence
/// g(i+1) = g(i)·r(i), r(i+1) = r(i)·q: three exponentials instead of `n`.
fn gaussian_run(start: isize, n: usize, c: f64, inv: f64, out: &mut Vec<f64>) {
    let d = start as f64 - c;
    let (mut g, mut r, q) = ((inv * d * d).exp(), (inv * (2.0 * d + 1.0)).exp(), (2.0 * inv).exp());
    for _ in 0..n {
        out.push(g);
        g *= r;
        r *= q;
    }
}

/// Below this variance (px²) a dot's Gaussian is stamped as a bilinear splat.
const SUBPIXEL_VAR: f64 = 0.16;

/// Per-thread scratch of [`stamp`], so dots allocate nothing.
#[derive(Default)]
struct StampScratch {
    patch: Vec<f64>,
    gx: Vec<f64>,
    gy: Vec<f64>,
    wx: Vec<[f32; 3]>,
}

/// Add one dot's narrow Gaussians to a band buffer; `(w, y0, rows)` is the band's width
/// and its rows `y0..y0+rows`.
fn stamp(
    buf: &mut [[f32; 3]],
    (w, y0, rows): (usize, usize, usize),
    d: &RenderDot,
    split: &Split,
    (px_per_mm, extra_var): (f64, f64),
    sc: &mut StampScratch,
) {
    let (m, r2) = stamped_mass(d);
    for i in 0..2 {
        let s2 = (split.sigma_mm[i] * px_per_mm).powi(2) + extra_var;
        let wts: [f64; 3] = std::array::from_fn(|k| split.w[k][i] * m[k]);
        if wts.iter().all(|&v| v == 0.0) {
            continue;
        }
        // Disk ⊛ Gaussian as a Gaussian of matched variance (a disk of radius r has r²/4
        // per axis), compressed along the radial direction when foreshortened.
        let (sr2, st2) = (s2 + r2 * d.foreshorten.powi(2) / 4.0, s2 + r2 / 4.0);
        let reach = (3.0 * sr2.max(st2).sqrt()).ceil() as isize;
        let (cx, cy) = (d.x - 0.5, d.y - 0.5);
        let x0 = ((cx.floor() as isize) - reach).max(0);
        let x1 = ((cx.floor() as isize) + reach + 1).min(w as isize - 1);
        let ya = ((cy.floor() as isize) - reach).max(y0 as isize);
        let yb = ((cy.floor() as isize) + reach + 1).min((y0 + rows) as isize - 1);
        if x0 > x1 || ya > yb {
            continue;
        }
        if sr2.max(st2) < SUBPIXEL_VAR {
            // Narrower than a pixel: the pixel-area integral is the bilinear share of the
            // four nearest pixel centres (what the Gaussian's samples would sum to).
            let (fx, fy) = (cx - cx.floor(), cy - cy.floor());
            let (bx, by) = (cx.floor() as isize, cy.floor() as isize);
            for (dx, dy, wt) in [
                (0, 0, (1.0 - fx) * (1.0 - fy)),
                (1, 0, fx * (1.0 - fy)),
                (0, 1, (1.0 - fx) * fy),
                (1, 1, fx * fy),
            ] {
                let (x, y) = (bx + dx, by + dy);
                if x >= 0 && (x as usize) < w && y >= y0 as isize && y < (y0 + rows) as isize {
                    let px = &mut buf[(y as usize - y0) * w + x as usize];
                    for k in 0..3 {
                        px[k] += (wts[k] * wt) as f32;
                    }
                }
            }
            continue;
        }
        if d.foreshorten > 0.97 {
            let s = ((sr2 + st2) / 2.0).sqrt();
            let inv = -1.0 / (2.0 * s * s);
            // Rows over the whole support (not just this band), so the mass is the same
            // whichever bands the dot straddles.
            let ys = cy.floor() as isize - reach;
            sc.gy.clear();
            gaussian_run(ys, (2 * reach + 2) as usize, cy, inv, &mut sc.gy);
            sc.gx.clear();
            gaussian_run(x0, (x1 - x0 + 1) as usize, cx, inv, &mut sc.gx);
            let sum_x: f64 = sc.gx.iter().sum();
            sc.wx.clear();
            sc.wx.extend(sc.gx.iter().map(|&g| wts.map(|wk| (wk * g) as f32)));
            let norm = (1.0 / (sum_x * sc.gy.iter().sum::<f64>())) as f32;
            for y in ya..=yb {
                let gyv = sc.gy[(y - ys) as usize] as f32 * norm;
                let row = &mut buf[(y as usize - y0) * w + x0 as usize..(y as usize - y0) * w + x1 as usize + 1];
                for (px, wxk) in row.iter_mut().zip(&sc.wx) {
                    for k in 0..3 {
                        px[k] += wxk[k] * gyv;
                    }
                }
            }
        } else {
            let (ux, uy) = d.radial;
            let norm = 1.0 / (2.0 * std::f64::consts::PI * (sr2 * st2).sqrt());
            for y in ya..=yb {
                let row = &mut buf[(y as usize - y0) * w..];
                for x in x0..=x1 {
                    let (dx, dy) = (x as f64 - cx, y as f64 - cy);
                    let (a, b) = (dx * ux + dy * uy, -dx * uy + dy * ux);
                    let g = (-(a * a / (2.0 * sr2) + b * b / (2.0 * st2))).exp() * norm;
                    let px = &mut row[x as usize];
                    for k in 0..3 {
                        px[k] += (wts[k] * g) as f32;
                    }
                }
            }
        }
    }
}

/// Render dots onto a photo (sRGB in, sRGB out) with the pyramid evaluation.
pub fn render(photo: &RgbImage, dots: &[RenderDot], px_per_mm: f64, optics: &SkinOptics) -> RgbImage {
    render_in(photo, dots, px_per_mm, optics, &PhotoCamera::ideal(), 0)
}

/// Render dots onto a photo (sRGB in, sRGB out) as its camera `cam` would have recorded
/// them: through its blur, with its grain topped up where the pigment darkens the skin
/// (the grain drawn from `seed`), and under its highlights, which the pigment beneath
/// the surface cannot darken.
pub fn render_in(photo: &RgbImage, dots: &[RenderDot], px_per_mm: f64, optics: &SkinOptics, cam: &PhotoCamera, seed: u64) -> RgbImage {
    let mut out = photo.clone();
    render_onto(&mut out, dots, px_per_mm, optics, cam, seed);
    out
}

/// [`render_in`] drawing on the photo itself: a 12 MP copy costs more than a tenth of
/// a preview (36 MB of fresh pages for the kernel to clear, then copied).
pub fn render_onto(photo: &mut RgbImage, dots: &[RenderDot], px_per_mm: f64, optics: &SkinOptics, cam: &PhotoCamera, seed: u64) {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    // What every Gaussian and disk is seen through: the camera's blur and the pixel's area.
    let extra_var = cam.blur_sigma_px.powi(2) + PIXEL_BOX_VAR;
    let scale = (px_per_mm, extra_var);
    let split = Split::new(optics);
    // Cells as large as the grid's narrowest Gaussian allows (σ ≥ 0.9 cells), so the tent
    // of splat and read-back can still be taken out of the blur.
    let fine_f = ((split.sigma_mm[2] * px_per_mm / 0.9) as usize).max(1);
    let coarse_f = ((split.sigma_mm[4] * px_per_mm / 0.9) as usize).max(1);
    let mut fine = Grid::new(photo.width(), photo.height(), fine_f);
    let mut coarse = Grid::new(photo.width(), photo.height(), coarse_f);
    let any_halo = dots.iter().any(|d| d.halo > 0.0);
    let halo_f = ((FRESH_HALO_SIGMA_MM * px_per_mm / 0.9) as usize).max(1);
    let mut halo = Grid::new(
        if any_halo { photo.width() } else { 1 },
        if any_halo { photo.height() } else { 1 },
        halo_f,
    );
    // Skirts, soft and wide, on their own grid: a Gaussian of each one's variance (the
    // disk's r²/4 and its soft rim's), one blur for all at their mass-weighted mean.
    let skirts: Vec<(&RenderDot, [f64; 3], f64)> = dots
        .iter()
        .filter_map(|d| {
            let (r, a, soft) = disks_of(d).next()?;
            (soft > 0.0).then(|| {
                (
                    d,
                    a.map(|v| v * std::f64::consts::PI * r * r * d.foreshorten),
                    r * r / 4.0 + soft * soft,
                )
            })
        })
        .collect();
    let skirt_var = {
        let (m, mv) = skirts.iter().fold((0.0, 0.0), |(m, mv), (_, a, v)| (m + a[1], mv + a[1] * v));
        if m > 0.0 { mv / m } else { 0.0 }
    };
    let skirt_sigma = (skirt_var + extra_var).sqrt();
    let mut skirt = Grid::new(
        if skirts.is_empty() { 1 } else { photo.width() },
        if skirts.is_empty() { 1 } else { photo.height() },
        // Cells of 0.7 σ: the splat and read-back tents stay small beside the blur.
        ((skirt_sigma / 1.4) as usize).max(1),
    );
    // The light a skirt removes on the way in, spread by the profile's two narrow
    // Gaussians (the wide ones are on the fine and coarse grids with all the rest).
    let mut skirt_in = Grid::new(
        if skirts.is_empty() { 1 } else { photo.width() },
        if skirts.is_empty() { 1 } else { photo.height() },
        skirt.f,
    );
    for (d, a, _) in &skirts {
        skirt.splat(d.x, d.y, *a);
        let area = disk_area(d.diameter_px, d.foreshorten);
        skirt_in.splat(
            d.x,
            d.y,
            std::array::from_fn(|k| (split.w[k][0] + split.w[k][1]) * d.diffused[k] * area),
        );
    }
    let mut tmp = Vec::new();
    let skirt = (!skirts.is_empty()).then(|| {
        let ch = std::array::from_fn(|k| {
            let mut b = vec![0.0; skirt.w * skirt.h];
            blur_add(
                &skirt.ch[k],
                skirt.w,
                skirt.h,
                cell_sigma(skirt_sigma, skirt.f),
                1.0,
                &mut tmp,
                &mut b,
            );
            b
        });
        Grid {
            f: skirt.f,
            w: skirt.w,
            h: skirt.h,
            ch,
        }
    });
    let skirt_in = (!skirts.is_empty()).then(|| {
        let ch = std::array::from_fn(|k| {
            let (w0, w1) = (split.w[k][0], split.w[k][1]);
            let mut b = vec![0.0; skirt_in.w * skirt_in.h];
            if w0 + w1 > 0.0 {
                let narrow = (w0 * split.sigma_mm[0].powi(2) + w1 * split.sigma_mm[1].powi(2)) / (w0 + w1) * px_per_mm * px_per_mm;
                let sigma = (skirt_var + narrow + extra_var).sqrt();
                blur_add(
                    &skirt_in.ch[k],
                    skirt_in.w,
                    skirt_in.h,
                    cell_sigma(sigma, skirt_in.f),
                    1.0,
                    &mut tmp,
                    &mut b,
                );
            }
            b
        });
        Grid {
            f: skirt_in.f,
            w: skirt_in.w,
            h: skirt_in.h,
            ch,
        }
    });
    for d in dots {
        let m = mass(d);
        fine.splat(d.x, d.y, m);
        coarse.splat(d.x, d.y, m);
        if d.halo > 0.0 {
            // Peak-normalised bump: mass = strength × 2πσ².
            let s = FRESH_HALO_SIGMA_MM * px_per_mm;
            let hm = d.halo * 2.0 * std::f64::consts::PI * s * s;
            halo.splat(d.x, d.y, [hm, 0.0, 0.0]);
        }
    }
    let fine = blurred(&fine, &split, [2, 3], scale, &mut tmp);
    let coarse = blurred(&coarse, &split, [4, 5], scale, &mut tmp);
    let halo = if any_halo {
        let mut b = vec![0.0; halo.w * halo.h];
        blur_add(
            &halo.ch[0],
            halo.w,
            halo.h,
            cell_sigma(((FRESH_HALO_SIGMA_MM * px_per_mm).powi(2) + extra_var).sqrt(), halo.f),
            1.0,
            &mut tmp,
            &mut b,
        );
        Some(Grid {
            f: halo.f,
            w: halo.w,
            h: halo.h,
            ch: [b, Vec::new(), Vec::new()],
        })
    } else {
        None
    };
    let max_dot_mm = dots.iter().map(|d| d.diameter_px).fold(0.0, f64::max) / px_per_mm;
    let blur_reach = 3.5 * extra_var.sqrt() + 1.0;
    let influence_px = influence_radius_mm(optics, max_dot_mm) * px_per_mm + blur_reach;
    // Dots by row so each band finds its dots quickly.
    let mut by_y: Vec<&RenderDot> = dots.iter().collect();
    by_y.sort_unstable_by(|a, b| a.y.total_cmp(&b.y));
    let ys: Vec<f64> = by_y.iter().map(|d| d.y).collect();
    let max_reach = dots
        .iter()
        .map(|d| {
            let narrow = 3.0 * ((split.sigma_mm[1] * px_per_mm).powi(2) + extra_var + (d.diameter_px / 2.0).powi(2) / 4.0).sqrt() + 2.0;
            narrow.max(d.diameter_px / 2.0 + blur_reach + 1.0)
        })
        .fold(0.0, f64::max);
    let dec = decode_lut();
    let enc = EncodeLut::new();
    // The share of light that reaches the pigment.
    let backscatter = optics.backscatter.map(|s| (1.0 - s) as f32);
    let tint = REDNESS_TINT.map(|t| (t - 1.0) as f32);
    let grain = cam.grain_sigma.map(|g| g as f32);
    let grainy = grain.iter().any(|&g| g > 0.0);
    let lit = cam.light.shading_at(0.0, 0.0).is_some();
    let splitter = cam.light.splitter();
    let highlights = lit.then(|| HighlightMap::new(photo, &cam.light, px_per_mm, reach_box(dots, influence_px, w, h)));
    // Channels a grid holds anything for (blue diffuses too little to reach them).
    let fine_used: [bool; 3] = std::array::from_fn(|k| split.w[k][2] + split.w[k][3] > 0.0);
    let coarse_used: [bool; 3] = std::array::from_fn(|k| split.w[k][4] + split.w[k][5] > 0.0);
    let (fine_cols, fine_rows) = (fine.axis(w, fine.w), fine.axis(h, fine.h));
    let (coarse_cols, coarse_rows) = (coarse.axis(w, coarse.w), coarse.axis(h, coarse.h));
    let (halo_cols, halo_rows) = halo.as_ref().map_or((Vec::new(), Vec::new()), |g| (g.axis(w, g.w), g.axis(h, g.h)));
    let (skirt_cols, skirt_rows) = skirt
        .as_ref()
        .map_or((Vec::new(), Vec::new()), |g| (g.axis(w, g.w), g.axis(h, g.h)));
    let bands: Vec<(usize, &mut [u8])> = photo.chunks_mut(3 * w * BAND_ROWS).enumerate().collect();
    bands.into_par_iter().for_each(|(band, pixels)| {
        BAND_SCRATCH.with_borrow_mut(|s| {
            let n = w * BAND_ROWS;
            if s.buf.len() < n {
                s.buf.resize(n, [0.0; 3]);
                s.tau.resize(n, [0.0; 3]);
            }
            let (buf, tau, sc) = (&mut s.buf[..n], &mut s.tau[..n], &mut s.sc);
            let y0 = band * BAND_ROWS;
            let rows = pixels.len() / (3 * w);
            buf.iter_mut().for_each(|v| *v = [0.0; 3]);
            tau.iter_mut().for_each(|v| *v = [0.0; 3]);
            let lo = ys.partition_point(|&y| y < y0 as f64 - max_reach);
            let hi = ys.partition_point(|&y| y < (y0 + rows) as f64 + max_reach);
            for d in &by_y[lo..hi] {
                stamp(buf, (w, y0, rows), d, &split, scale, sc);
                stamp_disks(tau, (w, h, y0, rows), d, extra_var, sc);
            }
            // Only the columns some dot can reach: the rest of the band stays as it was.
            let far_lo = ys.partition_point(|&y| y < y0 as f64 - influence_px);
            let far_hi = ys.partition_point(|&y| y < (y0 + rows) as f64 + influence_px);
            if far_lo == far_hi {
                return;
            }
            let (xmin, xmax) = by_y[far_lo..far_hi]
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), d| (a.min(d.x), b.max(d.x)));
            let (xa, xb) = (
                ((xmin - influence_px).floor().max(0.0)) as usize,
                ((xmax + influence_px).ceil().max(0.0) as usize).min(w),
            );
            let mut fine_row: [Vec<f32>; 3] = std::array::from_fn(|_| vec![0.0; fine.w]);
            let mut coarse_row: [Vec<f32>; 3] = std::array::from_fn(|_| vec![0.0; coarse.w]);
            let mut halo_row = vec![0.0f32; halo.as_ref().map_or(0, |g| g.w)];
            let mut skirt_row: [Vec<f32>; 3] = std::array::from_fn(|_| vec![0.0; skirt.as_ref().map_or(0, |g| g.w)]);
            let (mut cap_row, mut shade_row) = (vec![0.0f32; xb - xa], vec![0.0f32; xb - xa]);
            let mut skirt_in_row: [Vec<f32>; 3] = std::array::from_fn(|_| vec![0.0; skirt.as_ref().map_or(0, |g| g.w)]);
            for r in 0..rows {
                // Interpolate the grids vertically once per row; per pixel only horizontally.
                for k in 0..3 {
                    if fine_used[k] {
                        fine.lerp_row(k, fine_rows[y0 + r], &mut fine_row[k]);
                    }
                    if coarse_used[k] {
                        coarse.lerp_row(k, coarse_rows[y0 + r], &mut coarse_row[k]);
                    }
                }
                if let Some(g) = &halo {
                    g.lerp_row(0, halo_rows[y0 + r], &mut halo_row);
                }
                if let Some(map) = &highlights {
                    map.row((y0 + r) as u32, xa as u32, &mut cap_row[..xb - xa]);
                    cam.light.shading_row((y0 + r) as u32, xa as u32, &mut shade_row[..xb - xa]);
                }
                if let (Some(g), Some(gi)) = (&skirt, &skirt_in) {
                    for k in 0..3 {
                        g.lerp_row(k, skirt_rows[y0 + r], &mut skirt_row[k]);
                        gi.lerp_row(k, skirt_rows[y0 + r], &mut skirt_in_row[k]);
                    }
                }
                for x in xa..xb {
                    let n = buf[r * w + x];
                    let ((f0, f1, ff), (c0, c1, cf)) = (fine_cols[x], coarse_cols[x]);
                    let mut b = n;
                    for k in 0..3 {
                        if fine_used[k] {
                            b[k] += fine_row[k][f0] * (1.0 - ff) + fine_row[k][f1] * ff;
                        }
                        if coarse_used[k] {
                            b[k] += coarse_row[k][c0] * (1.0 - cf) + coarse_row[k][c1] * cf;
                        }
                    }
                    let e = if halo.is_some() {
                        let (h0, h1, hf) = halo_cols[x];
                        (halo_row[h0] * (1.0 - hf) + halo_row[h1] * hf).min(1.0)
                    } else {
                        0.0
                    };
                    let mut a = tau[r * w + x];
                    if skirt.is_some() {
                        let (s0, s1, sf) = skirt_cols[x];
                        for k in 0..3 {
                            a[k] += skirt_row[k][s0] * (1.0 - sf) + skirt_row[k][s1] * sf;
                            b[k] += skirt_in_row[k][s0] * (1.0 - sf) + skirt_in_row[k][s1] * sf;
                        }
                    }
                    if b == [0.0; 3] && e == 0.0 && a == [0.0; 3] {
                        continue;
                    }
                    let p = &mut pixels[(r * w + x) * 3..(r * w + x) * 3 + 3];
                    let lin = [dec[p[0] as usize], dec[p[1] as usize], dec[p[2] as usize]];
                    // The surface's own reflection stays on top of the pigment.
                    // Capped by the mean around it, which is 0 on most of a scalp: the
                    // pixel's own split is needed only under a highlight.
                    let cap = if lit { cap_row[x - xa] } else { 0.0 };
                    let spec = if cap > 0.0 {
                        splitter.split(lin, shade_row[x - xa]).min(cap)
                    } else {
                        0.0
                    };
                    let v: [f32; 3] = std::array::from_fn(|k| {
                        let skin = (lin[k] - spec) * (1.0 + e * tint[k]);
                        let through = backscatter[k] * (1.0 - a[k].min(1.0)) * (1.0 - b[k].min(1.0));
                        skin * (1.0 - backscatter[k] + through) + spec
                    });
                    // Grain only where the pigment takes a visible share of the light: below
                    // half a percent the top-up is under a twentieth of the grain.
                    let m: [f32; 3] = std::array::from_fn(|k| if lin[k] > 0.0 { v[k] / lin[k] } else { 1.0 });
                    let noise = (grainy && m.iter().any(|&m| m < GRAIN_FROM)).then(|| normal3(seed, x, y0 + r));
                    for k in 0..3 {
                        let mut o = enc.encode(v[k]);
                        if let Some(n) = noise {
                            let g = top_up(grain[k], m[k]) * n[k];
                            // Clamped first, so adding ½ and truncating rounds (cheaper than round()).
                            o = ((f32::from(o) + g).clamp(0.0, 255.0) + 0.5) as u8;
                        }
                        p[k] = o;
                    }
                }
            }
        })
    });
}

/// Each worker's band buffers, kept between bands and renders: allocated per rayon job
/// they cost ~2 MB of fresh, kernel-cleared pages each time.
#[derive(Default)]
struct BandScratch {
    buf: Vec<[f32; 3]>,
    tau: Vec<[f32; 3]>,
    sc: StampScratch,
}

thread_local! {
    static BAND_SCRATCH: std::cell::RefCell<BandScratch> = std::cell::RefCell::new(BandScratch::default());
}

/// The pixels within `reach_px` of any dot, clipped to the `w` × `h` photo.
fn reach_box(dots: &[RenderDot], reach_px: f64, w: usize, h: usize) -> PxBox {
    let b = crate::preview::dots_box(dots);
    let r = reach_px.ceil().max(0.0) as u32;
    PxBox {
        x0: b.x0.saturating_sub(r).min(w as u32),
        y0: b.y0.saturating_sub(r).min(h as u32),
        x1: (b.x1 + r).min(w as u32).max(1),
        y1: (b.y1 + r).min(h as u32).max(1),
    }
}

/// The same model by direct convolution with all six Gaussians at full resolution (each
/// dot rasterised as a supersampled disk). Slow; for checking [`render`] on small images.
pub fn render_reference(photo: &RgbImage, dots: &[RenderDot], px_per_mm: f64, optics: &SkinOptics) -> RgbImage {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    // Absorbed share per pixel per channel.
    let mut d_img: [Vec<f32>; 3] = std::array::from_fn(|_| vec![0.0; w * h]);
    let mut tau_img: [Vec<f32>; 3] = std::array::from_fn(|_| vec![1.0; w * h]);
    let mut halo_img = vec![0.0f32; w * h];
    const SS: usize = 4;
    for d in dots {
        let r = d.diameter_px / 2.0;
        let reach = r.ceil() as isize + 1;
        let (ux, uy) = d.radial;
        for y in (d.y.floor() as isize - reach).max(0)..=(d.y.floor() as isize + reach).min(h as isize - 1) {
            for x in (d.x.floor() as isize - reach).max(0)..=(d.x.floor() as isize + reach).min(w as isize - 1) {
                let mut cover = 0.0;
                for sy in 0..SS {
                    for sx in 0..SS {
                        let (px, py) = (
                            x as f64 + (sx as f64 + 0.5) / SS as f64 - d.x,
                            y as f64 + (sy as f64 + 0.5) / SS as f64 - d.y,
                        );
                        let (a, b) = (px * ux + py * uy, -px * uy + py * ux);
                        if (a / d.foreshorten.max(1e-6)).powi(2) + b * b <= r * r {
                            cover += 1.0 / (SS * SS) as f64;
                        }
                    }
                }
                let inner_cover = d.inner.map_or(0.0, |i| coverage(d, i.diameter_px / 2.0, x, y));
                // A skirt's own share is a soft Gaussian, added below.
                let outer_cover = if d.inner.is_some() { 0.0 } else { cover };
                for k in 0..3 {
                    let id = d.inner.map_or(0.0, |i| i.diffused[k]);
                    d_img[k][y as usize * w + x as usize] += (outer_cover * d.diffused[k] + inner_cover * id) as f32;
                }
            }
        }
        // The sharp layer through the pixel's area, taken as a Gaussian of its variance,
        // each disk scaled to hold exactly its area.
        let sigma = PIXEL_BOX_VAR.sqrt();
        for (rd, a, soft) in disks_of(d) {
            // A skirt: a Gaussian of its disk's and its soft rim's variance.
            let var = rd * rd / 4.0 + soft * soft + sigma * sigma;
            let reach = if soft > 0.0 {
                (3.5 * var.sqrt()).ceil() as isize + 1
            } else {
                (rd + 3.5 * sigma).ceil() as isize + 1
            };
            let (xs, ys) = (
                d.x.floor() as isize - reach..=d.x.floor() as isize + reach,
                d.y.floor() as isize - reach..=d.y.floor() as isize + reach,
            );
            let value = |x: isize, y: isize| {
                let (px, py) = (x as f64 + 0.5 - d.x, y as f64 + 0.5 - d.y);
                let (u, v) = ((px * ux + py * uy) / d.foreshorten.max(1e-6), -px * uy + py * ux);
                if soft > 0.0 {
                    (-(u * u + v * v) / (2.0 * var)).exp()
                } else {
                    blurred_disk(rd / sigma, (u * u + v * v).sqrt() / sigma)
                }
            };
            let sum: f64 = ys
                .clone()
                .flat_map(|y| xs.clone().map(move |x| (x, y)))
                .map(|(x, y)| value(x, y))
                .sum();
            if sum <= 0.0 {
                continue;
            }
            let scale = std::f64::consts::PI * rd * rd * d.foreshorten / sum;
            for y in ys.clone().filter(|&y| y >= 0 && y < h as isize) {
                for x in xs.clone().filter(|&x| x >= 0 && x < w as isize) {
                    let s = value(x, y) * scale;
                    for k in 0..3 {
                        tau_img[k][y as usize * w + x as usize] -= (s * a[k]) as f32;
                        if soft > 0.0 {
                            d_img[k][y as usize * w + x as usize] += (s * d.diffused[k]) as f32;
                        }
                    }
                }
            }
        }
        if d.halo > 0.0 {
            let s = FRESH_HALO_SIGMA_MM * px_per_mm;
            let reach = (3.0 * s).ceil() as isize + 1;
            for y in (d.y.floor() as isize - reach).max(0)..=(d.y.floor() as isize + reach).min(h as isize - 1) {
                for x in (d.x.floor() as isize - reach).max(0)..=(d.x.floor() as isize + reach).min(w as isize - 1) {
                    let (dx, dy) = (x as f64 + 0.5 - d.x, y as f64 + 0.5 - d.y);
                    halo_img[y as usize * w + x as usize] += (d.halo * (-(dx * dx + dy * dy) / (2.0 * s * s)).exp()) as f32;
                }
            }
        }
    }
    let mut b_img: [Vec<f32>; 3] = std::array::from_fn(|_| vec![0.0; w * h]);
    for k in 0..3 {
        for i in 0..6 {
            let wt = optics.weights[k][i] as f32;
            if wt == 0.0 {
                continue;
            }
            let b = blur(&d_img[k], w, h, optics.sigma_mm[i] * px_per_mm);
            for (o, v) in b_img[k].iter_mut().zip(b) {
                *o += wt * v;
            }
        }
    }
    let dec = decode_lut();
    let enc = EncodeLut::new();
    let mut out = photo.clone();
    for (i, p) in out.pixels_mut().enumerate() {
        let e = halo_img[i].min(1.0);
        for k in 0..3 {
            let skin = dec[p[k] as usize] * (1.0 + e * (REDNESS_TINT[k] - 1.0) as f32);
            let s = optics.backscatter[k] as f32;
            let tau = tau_img[k][i].max(0.0);
            p[k] = enc.encode(skin * (s + (1.0 - s) * tau * (1.0 - b_img[k][i].min(1.0))));
        }
    }
    out
}
