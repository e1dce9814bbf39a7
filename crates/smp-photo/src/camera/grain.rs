//! The photo's grain: Immerkær's noise estimate (1996, "Fast noise variance
//! estimation"), made robust with the median absolute deviation over the flattest pixels
//! so that texture and shading do not count as noise.

use image::RgbImage;

use super::PxBox;

/// About this many pixels are sampled, evenly over the area: plenty for a median.
const SAMPLES: u64 = 100_000;
/// Share of the sampled pixels kept as flat: those with the least local gradient.
const FLAT_SHARE: f64 = 0.5;
/// Consistency factor of the median absolute deviation for a normal distribution.
const MAD_TO_SIGMA: f64 = 1.4826;
/// Euclidean norm of Immerkær's kernel [1 −2 1; −2 4 −2; 1 −2 1]: white noise of σ gives
/// a response of 6σ.
const KERNEL_NORM: f64 = 6.0;

/// The grain's standard deviation per channel (R, G, B) in sRGB levels, over `area`.
/// Zero where the area is too small to tell.
pub fn grain_sigma(photo: &RgbImage, area: PxBox) -> [f64; 3] {
    let (x0, x1) = (area.x0.max(1), area.x1.min(photo.width().saturating_sub(1)));
    let (y0, y1) = (area.y0.max(1), area.y1.min(photo.height().saturating_sub(1)));
    if x1 <= x0 || y1 <= y0 {
        return [0.0; 3];
    }
    let at = |x: u32, y: u32, k: usize| f64::from(photo.get_pixel(x, y)[k]);
    // (local gradient, kernel response per channel) of each sampled pixel.
    let mut samples: Vec<(f64, [f64; 3])> = Vec::new();
    let stride = ((u64::from(x1 - x0) * u64::from(y1 - y0) / SAMPLES) as f64).sqrt().max(1.0) as usize;
    for y in (y0..y1).step_by(stride) {
        for x in (x0..x1).step_by(stride) {
            let mut clipped = false;
            let mut grad = 0.0;
            let resp: [f64; 3] = std::array::from_fn(|k| {
                let v = |dx: i32, dy: i32| at((x as i32 + dx) as u32, (y as i32 + dy) as u32, k);
                let c = v(0, 0);
                if c <= 0.0 || c >= 255.0 {
                    clipped = true;
                }
                // Sobel magnitude: how much the pixel sits on an edge or texture.
                let gx = v(1, -1) + 2.0 * v(1, 0) + v(1, 1) - v(-1, -1) - 2.0 * v(-1, 0) - v(-1, 1);
                let gy = v(-1, 1) + 2.0 * v(0, 1) + v(1, 1) - v(-1, -1) - 2.0 * v(0, -1) - v(1, -1);
                grad += gx.abs() + gy.abs();
                v(-1, -1) + v(1, -1) + v(-1, 1) + v(1, 1) - 2.0 * (v(0, -1) + v(-1, 0) + v(1, 0) + v(0, 1)) + 4.0 * c
            });
            if !clipped {
                samples.push((grad, resp));
            }
        }
    }
    if samples.len() < 50 {
        return [0.0; 3];
    }
    samples.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    samples.truncate(((samples.len() as f64 * FLAT_SHARE) as usize).max(25));
    std::array::from_fn(|k| {
        let mut r: Vec<f64> = samples.iter().map(|s| s.1[k]).collect();
        let med = median(&mut r);
        let mut dev: Vec<f64> = r.iter().map(|v| (v - med).abs()).collect();
        MAD_TO_SIGMA * median(&mut dev) / KERNEL_NORM
    })
}

/// Median of `v` (reordered).
pub(super) fn median(v: &mut [f64]) -> f64 {
    let n = v.len();
    let (_, m, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    *m
}
