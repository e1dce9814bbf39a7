//! Dots stamped at full resolution: their exact disk coverage and the narrow parts of the profile.

use crate::disk::blurred_disk;
use smp_color::constants::SKIRT_EDGE_SIGMA_OF_RADIUS;

use super::*;

/// Area of a (foreshortened) disk, pixels².
pub(super) fn disk_area(diameter_px: f64, foreshorten: f64) -> f64 {
    std::f64::consts::PI * diameter_px * diameter_px / 4.0 * foreshorten
}

/// A dot's absorbed area, pixels², per channel (with its core).
pub(super) fn mass(d: &RenderDot) -> [f64; 3] {
    let outer = disk_area(d.diameter_px, d.foreshorten);
    let inner = d.inner.map_or(0.0, |i| disk_area(i.diameter_px, d.foreshorten));
    std::array::from_fn(|k| d.diffused[k] * outer + d.inner.map_or(0.0, |i| i.diffused[k]) * inner)
}

/// What a dot gives the per-dot narrow Gaussians: its absorbed area per channel and mean
/// squared radius. A skirt's share goes to the skirt grid instead (see `render_in`), so
/// only a skirted dot's core is stamped.
pub(super) fn stamped_mass(d: &RenderDot) -> ([f64; 3], f64) {
    match d.inner {
        Some(i) => {
            let core = disk_area(i.diameter_px, d.foreshorten);
            (i.diffused.map(|v| v * core), (i.diameter_px / 2.0).powi(2))
        }
        None => (mass(d), mean_r2(d)),
    }
}

/// Mean squared radius of a dot's absorbed light (core and skirt weighted by mass), px².
pub(super) fn mean_r2(d: &RenderDot) -> f64 {
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
pub(super) const DISK_SS: usize = 4;

/// Share of pixel `(x, y)` a (foreshortened) disk of radius `r` around the dot covers,
/// by supersampling.
pub(super) fn coverage(d: &RenderDot, r: f64, x: isize, y: isize) -> f64 {
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
pub(super) fn disks_of(d: &RenderDot) -> impl Iterator<Item = (f64, [f64; 3], f64)> {
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
pub(super) fn stamp_disks(
    acc: &mut [[f32; 3]],
    (w, h, y0, rows): (usize, usize, usize, usize),
    d: &RenderDot,
    var_px2: f64,
    sc: &mut StampScratch,
) {
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
pub(super) fn gaussian_run(start: isize, n: usize, c: f64, inv: f64, out: &mut Vec<f64>) {
    let d = start as f64 - c;
    let (mut g, mut r, q) = ((inv * d * d).exp(), (inv * (2.0 * d + 1.0)).exp(), (2.0 * inv).exp());
    for _ in 0..n {
        out.push(g);
        g *= r;
        r *= q;
    }
}

/// Below this variance (px²) a dot's Gaussian is stamped as a bilinear splat.
pub(super) const SUBPIXEL_VAR: f64 = 0.16;

/// Per-thread scratch of [`stamp`], so dots allocate nothing.
#[derive(Default)]
pub(super) struct StampScratch {
    pub(super) patch: Vec<f64>,
    pub(super) gx: Vec<f64>,
    pub(super) gy: Vec<f64>,
    pub(super) wx: Vec<[f32; 3]>,
}

/// Add one dot's narrow Gaussians to a band buffer; `(w, y0, rows)` is the band's width
/// and its rows `y0..y0+rows`.
pub(super) fn stamp(
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
        let band = Band { w, y0, rows };
        if sr2.max(st2) < SUBPIXEL_VAR {
            band.splat(buf, (cx, cy), wts);
        } else if d.foreshorten > 0.97 {
            let s = ((sr2 + st2) / 2.0).sqrt();
            band.round(buf, (cx, cy, reach), s, ((x0, x1), (ya, yb)), wts, sc);
        } else {
            let g = Elliptic {
                c: (cx, cy),
                radial: d.radial,
                var: (sr2, st2),
            };
            band.elliptic(buf, &g, ((x0, x1), (ya, yb)), wts);
        }
    }
}

/// A band of a render's full-resolution pass: its width and its rows `y0..y0 + rows`.
struct Band {
    w: usize,
    y0: usize,
    rows: usize,
}

/// A Gaussian centred at `c` (pixel centres at integers) with variance `var.0` along
/// the unit vector `radial` and `var.1` across it, px².
struct Elliptic {
    c: (f64, f64),
    radial: (f64, f64),
    var: (f64, f64),
}

impl Band {
    /// A Gaussian narrower than a pixel at `(cx, cy)`: the pixel-area integral is the
    /// bilinear share of the four nearest pixel centres (what the Gaussian's samples
    /// would sum to).
    #[inline]
    fn splat(&self, buf: &mut [[f32; 3]], (cx, cy): (f64, f64), wts: [f64; 3]) {
        let (w, y0, rows) = (self.w, self.y0, self.rows);
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
    }

    /// A round Gaussian of `s` px at `(cx, cy)` reaching `reach` px, over the columns
    /// `x0..=x1` and rows `ya..=yb` of the band, separably.
    #[inline]
    fn round(
        &self,
        buf: &mut [[f32; 3]],
        (cx, cy, reach): (f64, f64, isize),
        s: f64,
        ((x0, x1), (ya, yb)): ((isize, isize), (isize, isize)),
        wts: [f64; 3],
        sc: &mut StampScratch,
    ) {
        let (w, y0) = (self.w, self.y0);
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
    }

    /// An elliptic Gaussian `g` over the columns `x0..=x1` and rows `ya..=yb` of the band.
    #[inline]
    fn elliptic(&self, buf: &mut [[f32; 3]], g: &Elliptic, ((x0, x1), (ya, yb)): ((isize, isize), (isize, isize)), wts: [f64; 3]) {
        let (w, y0) = (self.w, self.y0);
        let ((cx, cy), (ux, uy), (sr2, st2)) = (g.c, g.radial, g.var);
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
