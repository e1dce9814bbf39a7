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
use smp_color::constants::{FRESH_HALO_SIGMA_MM, SKIRT_EDGE_SIGMA_OF_RADIUS};
use smp_photo::camera::{PIXEL_BOX_VAR, PhotoCamera, PxBox};

mod band;
mod grid;
mod layers;
mod reference;
mod stamp;

use band::*;
use grid::*;
use layers::Layers;
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
    let layers = Layers::new((photo.width(), photo.height()), dots, &split, scale);
    let by_row = DotsByRow::new(dots, &split, optics, scale);
    let look = Look::new(photo, optics, cam, seed, px_per_mm, reach_box(dots, by_row.influence_px, w, h));
    let pass = Pass::new((w, h), (&split, scale), &layers, &by_row, &look);
    let bands: Vec<(usize, &mut [u8])> = photo.chunks_mut(3 * w * BAND_ROWS).enumerate().collect();
    bands
        .into_par_iter()
        .for_each(|(band, pixels)| BAND_SCRATCH.with_borrow_mut(|s| pass.band(band, pixels, s)));
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
