//! The full-resolution pass of a render, band by band: a band stamps the narrow Gaussians
//! and sharp disks of the dots that reach it, then every pixel some dot can reach adds
//! the grids' share and takes its new colour.

use image::RgbImage;
use smp_color::SkinOptics;
use smp_color::constants::REDNESS_TINT;
use smp_color::srgb::{EncodeLut, decode_lut};
use smp_photo::camera::{HighlightMap, Light, PhotoCamera, PxBox, Splitter};

use super::*;
use crate::grain::{normal3, top_up};

/// Rows per band of the full-resolution pass.
pub(super) const BAND_ROWS: usize = 32;
/// Light share below which a pixel's grain is topped up (see `render_in`).
const GRAIN_FROM: f32 = 0.995;

/// The dots sorted by row, with how far they reach, so each band finds its own quickly.
pub(super) struct DotsByRow<'a> {
    by_y: Vec<&'a RenderDot>,
    ys: Vec<f64>,
    /// The farthest any dot's stamps reach, px.
    max_reach: f64,
    /// The farthest any dot changes a pixel at all, px.
    pub(super) influence_px: f64,
}

impl<'a> DotsByRow<'a> {
    /// Sort `dots`; `scale` is (px per mm, the camera's and the pixel's variance, px²).
    pub(super) fn new(dots: &'a [RenderDot], split: &Split, optics: &SkinOptics, (px_per_mm, extra_var): (f64, f64)) -> Self {
        let max_dot_mm = dots.iter().map(|d| d.diameter_px).fold(0.0, f64::max) / px_per_mm;
        let blur_reach = 3.5 * extra_var.sqrt() + 1.0;
        let influence_px = influence_radius_mm(optics, max_dot_mm) * px_per_mm + blur_reach;
        let mut by_y: Vec<&RenderDot> = dots.iter().collect();
        by_y.sort_unstable_by(|a, b| a.y.total_cmp(&b.y));
        let ys = by_y.iter().map(|d| d.y).collect();
        let max_reach = dots
            .iter()
            .map(|d| {
                let narrow = 3.0 * ((split.sigma_mm[1] * px_per_mm).powi(2) + extra_var + (d.diameter_px / 2.0).powi(2) / 4.0).sqrt() + 2.0;
                narrow.max(d.diameter_px / 2.0 + blur_reach + 1.0)
            })
            .fold(0.0, f64::max);
        DotsByRow {
            by_y,
            ys,
            max_reach,
            influence_px,
        }
    }

    /// The dots whose centres lie within `reach` px of rows `y0..y0 + rows`.
    fn near(&self, y0: usize, rows: usize, reach: f64) -> &[&'a RenderDot] {
        let lo = self.ys.partition_point(|&y| y < y0 as f64 - reach);
        let hi = self.ys.partition_point(|&y| y < (y0 + rows) as f64 + reach);
        &self.by_y[lo..hi]
    }

    /// The columns `xa..xb` of a `w`-pixel row some dot can change in rows
    /// `y0..y0 + rows`, or `None` if none can.
    fn columns(&self, y0: usize, rows: usize, w: usize) -> Option<(usize, usize)> {
        let near = self.near(y0, rows, self.influence_px);
        if near.is_empty() {
            return None;
        }
        let (xmin, xmax) = near
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), d| (a.min(d.x), b.max(d.x)));
        Some((
            ((xmin - self.influence_px).floor().max(0.0)) as usize,
            ((xmax + self.influence_px).ceil().max(0.0) as usize).min(w),
        ))
    }
}

/// How a pixel's light becomes its colour: the skin's optics, and the camera's highlights
/// and grain.
pub(super) struct Look<'a> {
    dec: [f32; 256],
    enc: EncodeLut,
    /// The share of light that reaches the pigment.
    backscatter: [f32; 3],
    tint: [f32; 3],
    grain: [f32; 3],
    grainy: bool,
    lit: bool,
    light: &'a Light,
    splitter: Splitter,
    highlights: Option<HighlightMap>,
    seed: u64,
}

impl<'a> Look<'a> {
    /// The look of `photo` through `cam`, its highlights mapped within `reach`.
    pub(super) fn new(photo: &RgbImage, optics: &SkinOptics, cam: &'a PhotoCamera, seed: u64, px_per_mm: f64, reach: PxBox) -> Self {
        let grain = cam.grain_sigma.map(|g| g as f32);
        let lit = cam.light.shading_at(0.0, 0.0).is_some();
        Look {
            dec: decode_lut(),
            enc: EncodeLut::new(),
            backscatter: optics.backscatter.map(|s| (1.0 - s) as f32),
            tint: REDNESS_TINT.map(|t| (t - 1.0) as f32),
            grain,
            grainy: grain.iter().any(|&g| g > 0.0),
            lit,
            light: &cam.light,
            splitter: cam.light.splitter(),
            highlights: lit.then(|| HighlightMap::new(photo, &cam.light, px_per_mm, reach)),
            seed,
        }
    }

    /// Recolour pixel `p` at `(x, y)`: `lin` is its linear colour, `spec` the surface's
    /// own reflection in it, `a` and `b` the shares absorbed on the way out and removed
    /// on the way in, `e` the redness.
    #[inline(always)]
    fn recolour(&self, p: &mut [u8], (lin, spec): ([f32; 3], f32), (a, b, e): ([f32; 3], [f32; 3], f32), (x, y): (usize, usize)) {
        let v: [f32; 3] = std::array::from_fn(|k| {
            let skin = (lin[k] - spec) * (1.0 + e * self.tint[k]);
            let through = self.backscatter[k] * (1.0 - a[k].min(1.0)) * (1.0 - b[k].min(1.0));
            skin * (1.0 - self.backscatter[k] + through) + spec
        });
        // Grain only where the pigment takes a visible share of the light: below
        // half a percent the top-up is under a twentieth of the grain.
        let m: [f32; 3] = std::array::from_fn(|k| if lin[k] > 0.0 { v[k] / lin[k] } else { 1.0 });
        let noise = (self.grainy && m.iter().any(|&m| m < GRAIN_FROM)).then(|| normal3(self.seed, x, y));
        for k in 0..3 {
            let mut o = self.enc.encode(v[k]);
            if let Some(n) = noise {
                let g = top_up(self.grain[k], m[k]) * n[k];
                // Clamped first, so adding ½ and truncating rounds (cheaper than round()).
                o = ((f32::from(o) + g).clamp(0.0, 255.0) + 0.5) as u8;
            }
            p[k] = o;
        }
    }
}

/// Interpolation positions of every pixel column and row on one grid (see [`Grid::axis`]).
#[derive(Default)]
struct GridAxes {
    cols: Vec<(usize, usize, f32)>,
    rows: Vec<(usize, usize, f32)>,
}

impl GridAxes {
    fn of(g: &Grid, w: usize, h: usize) -> Self {
        GridAxes {
            cols: g.axis(w, g.w),
            rows: g.axis(h, g.h),
        }
    }
}

/// One pixel row of every grid, interpolated vertically, and the row's highlight caps
/// and shading from the band's first column on.
struct GridRows {
    fine: [Vec<f32>; 3],
    coarse: [Vec<f32>; 3],
    halo: Vec<f32>,
    skirt: [Vec<f32>; 3],
    skirt_in: [Vec<f32>; 3],
    cap: Vec<f32>,
    shade: Vec<f32>,
}

impl GridRows {
    fn new(layers: &Layers, columns: usize) -> Self {
        let skirt_w = layers.skirt.as_ref().map_or(0, |(g, _)| g.w);
        GridRows {
            fine: std::array::from_fn(|_| vec![0.0; layers.fine.w]),
            coarse: std::array::from_fn(|_| vec![0.0; layers.coarse.w]),
            halo: vec![0.0; layers.halo.as_ref().map_or(0, |g| g.w)],
            skirt: std::array::from_fn(|_| vec![0.0; skirt_w]),
            skirt_in: std::array::from_fn(|_| vec![0.0; skirt_w]),
            cap: vec![0.0; columns],
            shade: vec![0.0; columns],
        }
    }
}

/// Each worker's band buffers, kept between bands and renders: allocated per rayon job
/// they cost ~2 MB of fresh, kernel-cleared pages each time.
#[derive(Default)]
pub(super) struct BandScratch {
    buf: Vec<[f32; 3]>,
    tau: Vec<[f32; 3]>,
    sc: StampScratch,
}

thread_local! {
    pub(super) static BAND_SCRATCH: std::cell::RefCell<BandScratch> = std::cell::RefCell::new(BandScratch::default());
}

/// Everything the bands of one render share.
pub(super) struct Pass<'a> {
    w: usize,
    h: usize,
    split: &'a Split,
    scale: (f64, f64),
    layers: &'a Layers,
    dots: &'a DotsByRow<'a>,
    look: &'a Look<'a>,
    fine: GridAxes,
    coarse: GridAxes,
    halo: GridAxes,
    skirt: GridAxes,
    /// Channels the fine and coarse grids hold anything for (blue diffuses too little to
    /// reach them).
    fine_used: [bool; 3],
    coarse_used: [bool; 3],
}

impl<'a> Pass<'a> {
    /// The pass over a `w` × `h` photo; `scale` is (px per mm, the camera's and the
    /// pixel's variance, px²).
    pub(super) fn new(
        (w, h): (usize, usize),
        (split, scale): (&'a Split, (f64, f64)),
        layers: &'a Layers,
        dots: &'a DotsByRow<'a>,
        look: &'a Look<'a>,
    ) -> Self {
        Pass {
            w,
            h,
            split,
            scale,
            fine: GridAxes::of(&layers.fine, w, h),
            coarse: GridAxes::of(&layers.coarse, w, h),
            halo: layers.halo.as_ref().map_or_else(GridAxes::default, |g| GridAxes::of(g, w, h)),
            skirt: layers.skirt.as_ref().map_or_else(GridAxes::default, |(g, _)| GridAxes::of(g, w, h)),
            fine_used: std::array::from_fn(|k| split.w[k][2] + split.w[k][3] > 0.0),
            coarse_used: std::array::from_fn(|k| split.w[k][4] + split.w[k][5] > 0.0),
            layers,
            dots,
            look,
        }
    }

    /// Render band `band` (rows from `band · BAND_ROWS`), whose pixels are `pixels`.
    pub(super) fn band(&self, band: usize, pixels: &mut [u8], s: &mut BandScratch) {
        let w = self.w;
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
        for d in self.dots.near(y0, rows, self.dots.max_reach) {
            stamp(buf, (w, y0, rows), d, self.split, self.scale, sc);
            stamp_disks(tau, (w, self.h, y0, rows), d, self.scale.1, sc);
        }
        // Only the columns some dot can reach: the rest of the band stays as it was.
        let Some((xa, xb)) = self.dots.columns(y0, rows, w) else {
            return;
        };
        let mut g = GridRows::new(self.layers, xb - xa);
        for r in 0..rows {
            self.interpolate(&mut g, y0 + r, xa);
            let line = r * w..(r + 1) * w;
            self.row(
                &g,
                (&buf[line.clone()], &tau[line]),
                &mut pixels[3 * r * w..3 * (r + 1) * w],
                (xa, xb),
                y0 + r,
            );
        }
    }

    /// Fill `g` for pixel row `y`, its caps and shading from column `xa`: the grids are
    /// interpolated vertically once per row, so a pixel only interpolates horizontally.
    fn interpolate(&self, g: &mut GridRows, y: usize, xa: usize) {
        let l = self.layers;
        for k in 0..3 {
            if self.fine_used[k] {
                l.fine.lerp_row(k, self.fine.rows[y], &mut g.fine[k]);
            }
            if self.coarse_used[k] {
                l.coarse.lerp_row(k, self.coarse.rows[y], &mut g.coarse[k]);
            }
        }
        if let Some(h) = &l.halo {
            h.lerp_row(0, self.halo.rows[y], &mut g.halo);
        }
        if let Some(map) = &self.look.highlights {
            map.row(y as u32, xa as u32, &mut g.cap);
            self.look.light.shading_row(y as u32, xa as u32, &mut g.shade);
        }
        if let Some((s, si)) = &l.skirt {
            for k in 0..3 {
                s.lerp_row(k, self.skirt.rows[y], &mut g.skirt[k]);
                si.lerp_row(k, self.skirt.rows[y], &mut g.skirt_in[k]);
            }
        }
    }

    /// Recolour columns `xa..xb` of pixel row `y`, given its grid rows `g` and the band's
    /// narrow Gaussians and sharp disks on it.
    fn row(&self, g: &GridRows, (narrow, sharp): (&[[f32; 3]], &[[f32; 3]]), pixels: &mut [u8], (xa, xb): (usize, usize), y: usize) {
        let dec = &self.look.dec;
        for x in xa..xb {
            let (a, b, e) = self.sample(g, x, narrow[x], sharp[x]);
            if b == [0.0; 3] && e == 0.0 && a == [0.0; 3] {
                continue;
            }
            let p = &mut pixels[x * 3..x * 3 + 3];
            let lin = [dec[p[0] as usize], dec[p[1] as usize], dec[p[2] as usize]];
            // The surface's own reflection stays on top of the pigment.
            // Capped by the mean around it, which is 0 on most of a scalp: the
            // pixel's own split is needed only under a highlight.
            let cap = if self.look.lit { g.cap[x - xa] } else { 0.0 };
            let spec = if cap > 0.0 {
                self.look.splitter.split(lin, g.shade[x - xa]).min(cap)
            } else {
                0.0
            };
            self.look.recolour(p, (lin, spec), (a, b, e), (x, y));
        }
    }

    /// At column `x`: the shares absorbed on the way out and removed on the way in, and
    /// the redness, from the band's own `narrow` and `sharp` there and the grids.
    #[inline(always)]
    fn sample(&self, g: &GridRows, x: usize, narrow: [f32; 3], sharp: [f32; 3]) -> ([f32; 3], [f32; 3], f32) {
        let ((f0, f1, ff), (c0, c1, cf)) = (self.fine.cols[x], self.coarse.cols[x]);
        let mut b = narrow;
        for k in 0..3 {
            if self.fine_used[k] {
                b[k] += g.fine[k][f0] * (1.0 - ff) + g.fine[k][f1] * ff;
            }
            if self.coarse_used[k] {
                b[k] += g.coarse[k][c0] * (1.0 - cf) + g.coarse[k][c1] * cf;
            }
        }
        let e = if self.layers.halo.is_some() {
            let (h0, h1, hf) = self.halo.cols[x];
            (g.halo[h0] * (1.0 - hf) + g.halo[h1] * hf).min(1.0)
        } else {
            0.0
        };
        let mut a = sharp;
        if self.layers.skirt.is_some() {
            let (s0, s1, sf) = self.skirt.cols[x];
            for k in 0..3 {
                a[k] += g.skirt[k][s0] * (1.0 - sf) + g.skirt[k][s1] * sf;
                b[k] += g.skirt_in[k][s0] * (1.0 - sf) + g.skirt_in[k][s1] * sf;
            }
        }
        (a, b, e)
    }
}
