//! The photo's blur from its edges: across a step edge blurred by a Gaussian of σ, the
//! slope at the middle is the step's height over σ·√(2π). So at the photo's sharpest
//! straight edges (the head's outline, ears, the face), height over slope gives σ.

use image::RgbImage;
use rayon::prelude::*;

use super::grain::median;

/// Half-length of the profile read across an edge, pixels: the step's height is read
/// this far either side (enough for a blur up to ~2.5 px).
const REACH_PX: f64 = 6.0;
/// Smallest step counted as an edge, sRGB levels: well above the grain.
const MIN_STEP: f64 = 40.0;
/// Fewest edge points for an estimate (a head photo has few clean ones: its outline).
const MIN_EDGES: usize = 12;
/// Variance the central difference adds to a blurred edge's slope, px² (it averages the
/// slope over two pixels: a box of width 2).
const CENTRAL_DIFF_VAR: f64 = 1.0 / 3.0;
/// Variance of a pixel's own area (a unit box), px²: part of any sampled edge, and drawn
/// separately by the renderer.
pub const PIXEL_BOX_VAR: f64 = 1.0 / 12.0;
/// Rows searched: every row up to this many, then evenly spread (clean edges are few in
/// a head photo, but a large photo has them in proportion).
const MAX_ROWS: usize = 1000;

/// The green channel (the one with the most detail and least noise), read in place: a
/// 12 MP copy as floats would be 48 MB of fresh memory for a scan of a few rows.
struct Green<'a> {
    raw: &'a [u8],
}

impl Green<'_> {
    /// Green of pixel `i` (row-major).
    fn at(&self, i: usize) -> f32 {
        f32::from(self.raw[3 * i + 1])
    }
}

fn bilinear(g: &Green, w: usize, h: usize, x: f64, y: f64) -> Option<f64> {
    if x < 0.0 || y < 0.0 || x >= (w - 1) as f64 || y >= (h - 1) as f64 {
        return None;
    }
    let (xi, yi) = (x as usize, y as usize);
    let (fx, fy) = ((x - xi as f64) as f32, (y - yi as f64) as f32);
    let i = yi * w + xi;
    let top = g.at(i) * (1.0 - fx) + g.at(i + 1) * fx;
    let bottom = g.at(i + w) * (1.0 - fx) + g.at(i + w + 1) * fx;
    Some(f64::from(top * (1.0 - fy) + bottom * fy))
}

/// The blur's σ in pixels beyond the pixel's own area, from the median over the photo's
/// clean step edges; `None` when the photo has too few of them.
pub fn blur_sigma_px(photo: &RgbImage) -> Option<f64> {
    let g = Green { raw: photo.as_raw() };
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    if w < 16 || h < 16 {
        return None;
    }
    let r = REACH_PX.ceil() as usize + 1;
    let estimates: Vec<f64> = (r..h - r)
        .step_by(h.div_ceil(MAX_ROWS).max(1))
        .collect::<Vec<_>>()
        .par_iter()
        .flat_map_iter(|&y| {
            let g = &g;
            (r..w - r).filter_map(move |x| edge_sigma2(g, w, h, x, y))
        })
        .collect();
    if estimates.len() < MIN_EDGES {
        return None;
    }
    let mut v = estimates;
    let total = median(&mut v);
    Some((total - CENTRAL_DIFF_VAR - PIXEL_BOX_VAR).max(0.0).sqrt())
}

/// The blur variance (slope-operator included) at `(x, y)` if it is the middle of a clean
/// step edge: the steepest point along the gradient, with a monotone profile across.
fn edge_sigma2(g: &Green, w: usize, h: usize, x: usize, y: usize) -> Option<f64> {
    let i = y * w + x;
    let gx = f64::from(g.at(i + 1) - g.at(i - 1)) / 2.0;
    let gy = f64::from(g.at(i + w) - g.at(i - w)) / 2.0;
    let slope = (gx * gx + gy * gy).sqrt();
    // A step of MIN_STEP blurred by ≤ 2.5 px still has a slope over MIN_STEP / 7.
    if slope < MIN_STEP / 7.0 {
        return None;
    }
    let (nx, ny) = (gx / slope, gy / slope);
    let at = |t: f64| bilinear(g, w, h, x as f64 + t * nx, y as f64 + t * ny);
    // The steepest point: the slope half a pixel either side is no larger.
    let slope_at = |t: f64| Some((at(t + 1.0)? - at(t - 1.0)?) / 2.0);
    if slope_at(0.5)? > slope || slope_at(-0.5)? > slope {
        return None;
    }
    // Monotone profile across the edge, and flat at its ends (a step, not a line or a
    // texture): each end's last pixel changes by under a tenth of the step.
    let steps = (2.0 * REACH_PX) as usize;
    let mut prev = at(-REACH_PX)?;
    let first = prev;
    let mut end_change = 0.0f64;
    for s in 1..=steps {
        let v = at(-REACH_PX + s as f64)?;
        if v < prev - 2.0 {
            return None;
        }
        if s == 1 || s == steps {
            end_change = end_change.max(v - prev);
        }
        prev = v;
    }
    let step = prev - first;
    if step < MIN_STEP || end_change > 0.1 * step {
        return None;
    }
    // Along the edge it must be straight: the same profile one pixel either side.
    let along = |t: f64, s: f64| bilinear(g, w, h, x as f64 + t * nx - s * ny, y as f64 + t * ny + s * nx);
    for s in [-2.0, 2.0] {
        let (a, b) = (along(-1.0, s)?, along(1.0, s)?);
        if ((b - a) / 2.0 - slope).abs() > 0.2 * slope {
            return None;
        }
    }
    let sigma = step / (slope * (2.0 * std::f64::consts::PI).sqrt());
    Some(sigma * sigma)
}
