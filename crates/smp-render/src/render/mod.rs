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

use crate::grain::{normal3, top_up};

mod grid;
mod reference;
mod stamp;

use grid::*;
pub use reference::render_reference;
use stamp::*;

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
