//! The same model by direct convolution at full resolution, for tests.

use crate::disk::blurred_disk;
use image::RgbImage;
use smp_color::SkinOptics;
use smp_color::constants::{FRESH_HALO_SIGMA_MM, REDNESS_TINT};
use smp_color::srgb::{EncodeLut, decode_lut};
use smp_photo::camera::PIXEL_BOX_VAR;

use super::*;

/// The same model by direct convolution with all six Gaussians at full resolution (each
/// dot rasterised as a supersampled disk). Slow; for checking [`render`] on small images.
pub fn render_reference(photo: &RgbImage, dots: &[RenderDot], px_per_mm: f64, optics: &SkinOptics) -> RgbImage {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let mut planes = Planes {
        w,
        h,
        d: std::array::from_fn(|_| vec![0.0; w * h]),
        tau: std::array::from_fn(|_| vec![1.0; w * h]),
        halo: vec![0.0f32; w * h],
    };
    for d in dots {
        planes.add_diffused(d);
        planes.add_disks(d);
        if d.halo > 0.0 {
            planes.add_halo(d, FRESH_HALO_SIGMA_MM * px_per_mm);
        }
    }
    let mut b_img: [Vec<f32>; 3] = std::array::from_fn(|_| vec![0.0; w * h]);
    for k in 0..3 {
        for i in 0..6 {
            let wt = optics.weights[k][i] as f32;
            if wt == 0.0 {
                continue;
            }
            let b = blur(&planes.d[k], w, h, optics.sigma_mm[i] * px_per_mm);
            for (o, v) in b_img[k].iter_mut().zip(b) {
                *o += wt * v;
            }
        }
    }
    let dec = decode_lut();
    let enc = EncodeLut::new();
    let mut out = photo.clone();
    for (i, p) in out.pixels_mut().enumerate() {
        let e = planes.halo[i].min(1.0);
        for k in 0..3 {
            let skin = dec[p[k] as usize] * (1.0 + e * (REDNESS_TINT[k] - 1.0) as f32);
            let s = optics.backscatter[k] as f32;
            let tau = planes.tau[k][i].max(0.0);
            p[k] = enc.encode(skin * (s + (1.0 - s) * tau * (1.0 - b_img[k][i].min(1.0))));
        }
    }
    out
}

/// The full-resolution planes of the reference render, `w` × `h` each.
struct Planes {
    w: usize,
    h: usize,
    /// Share of light removed on the way in, per channel, before diffusion.
    d: [Vec<f32>; 3],
    /// Transmittance of the sharp layer, per channel.
    tau: [Vec<f32>; 3],
    /// Redness.
    halo: Vec<f32>,
}

impl Planes {
    /// Add what dot `d` removes on the way in: its disks rasterised (supersampled), a
    /// skirt's own share being its soft Gaussian (see [`Planes::add_disks`]).
    fn add_diffused(&mut self, d: &RenderDot) {
        const SS: usize = 4;
        let (w, h) = (self.w, self.h);
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
                let outer_cover = if d.inner.is_some() { 0.0 } else { cover };
                for k in 0..3 {
                    let id = d.inner.map_or(0.0, |i| i.diffused[k]);
                    self.d[k][y as usize * w + x as usize] += (outer_cover * d.diffused[k] + inner_cover * id) as f32;
                }
            }
        }
    }

    /// Take the sharp layer of dot `d` out of the transmittance, through the pixel's
    /// area taken as a Gaussian of its variance, each disk scaled to hold exactly its
    /// area; a skirt, a Gaussian of its disk's and its soft rim's variance, also removes
    /// its light on the way in.
    fn add_disks(&mut self, d: &RenderDot) {
        let (w, h) = (self.w, self.h);
        let (ux, uy) = d.radial;
        let sigma = PIXEL_BOX_VAR.sqrt();
        for (rd, a, soft) in disks_of(d) {
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
                        self.tau[k][y as usize * w + x as usize] -= (s * a[k]) as f32;
                        if soft > 0.0 {
                            self.d[k][y as usize * w + x as usize] += (s * d.diffused[k]) as f32;
                        }
                    }
                }
            }
        }
    }

    /// Add dot `d`'s redness: a Gaussian bump of `s` px.
    fn add_halo(&mut self, d: &RenderDot, s: f64) {
        let (w, h) = (self.w, self.h);
        let reach = (3.0 * s).ceil() as isize + 1;
        for y in (d.y.floor() as isize - reach).max(0)..=(d.y.floor() as isize + reach).min(h as isize - 1) {
            for x in (d.x.floor() as isize - reach).max(0)..=(d.x.floor() as isize + reach).min(w as isize - 1) {
                let (dx, dy) = (x as f64 + 0.5 - d.x, y as f64 + 0.5 - d.y);
                self.halo[y as usize * w + x as usize] += (d.halo * (-(dx * dx + dy * dy) / (2.0 * s * s)).exp()) as f32;
            }
        }
    }
}
