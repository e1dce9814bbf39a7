//! Stubble analysis: find the cut tips of shaved native hair in a close-up photo and
//! report their density per cm², size and colour, so an SMP design can copy the
//! client's own stubble.
//!
//! Method (scale-normalised Laplacian-of-Gaussian blob detection, Lindeberg 1998):
//! 1. Relative luminance Y in linear light (Rec. 709 weights), because light adds and
//!    absorbs there: a tip's darkening is a fraction of the skin behind it.
//! 2. The local skin level B: medians of Y in tiles ~1.5 mm square, interpolated
//!    bilinearly. Tips cover a few per cent of the skin, so a median ignores them;
//!    tiles follow uneven light. The contrast image is C = 1 − Y/B (0 on skin, up to
//!    1 for a black dot), so the same threshold holds on light and on dark skin.
//! 3. C blurred at a few scales σ (geometric, from the tip diameters 0.05–0.2 mm by
//!    d = 2√2·σ, the scale at which −σ²∇²G peaks on a disc of diameter d), and the
//!    response R = −σ²∇²(G_σ ∗ C), which peaks at about half a blob's contrast.
//! 4. Non-maximum suppression over 3 × 3 pixels × 3 neighbouring scales.
//! 5. A maximum is a tip when its contrast (2R) is at least `min_contrast` and clears
//!    the skin's own texture: 5 × the robust spread (1.4826 · MAD) of C over the region.
//! 6. Diameter from the best scale, refined by a parabola through the neighbouring
//!    scales and corrected for the pixel's own footprint (σ² − 1/12 px²).
//!    Colour: the median CIELAB (D65) of the darkest pixel at each tip, and the median
//!    CIELAB of the skin pixels (C below half the threshold).
//!
//! Limits: tips must span at least ~2 px (about 20 px/mm for 0.1 mm hair; a warning
//! says when the photo is coarser); tips that touch merge into one; pores and freckles
//! as dark as a tip count as tips; stubble lighter than ~`min_contrast` against the
//! skin (blonde or grey hair on light skin) is missed and reported with a warning rather
//! than trusted; the scale must be the true scale of the skin in the photo (flat, square
//! on: curvature near the edge of a head foreshortens tips and raises the density).

use image::RgbImage;
use rayon::prelude::*;
use smp_color::srgb::{decode_lut, linear_to_lab};

/// Default smallest contrast of a tip against the skin (fraction of the skin's light
/// absorbed at its centre). Calibrated on the synthetic close-ups: pores peak at
/// ~0.30–0.35 (0.33 lets ~10 pores/cm² through, 0.40 already misses up to 13 % of the
/// faintest tips, hair level 4 on Fitzpatrick IV, whose contrast is ~0.42–0.5).
pub const DEFAULT_MIN_CONTRAST: f64 = 0.36;
/// A haired scalp has ~60–100 follicular units per cm² (× 2.2 hairs): anything under
/// this many tips per cm² is bald, thinning or undetected, and said so.
const LOW_DENSITY_PER_CM2: f64 = 60.0;
/// Scales per search.
const SCALES: usize = 7;
/// Background tiles, mm.
const TILE_MM: f64 = 1.5;

/// What to look for and where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StubbleOptions {
    /// Scale of the skin in the photo, pixels per mm.
    pub px_per_mm: f64,
    /// Rectangle to count in, `[x, y, width, height]` pixels; `None`: the whole photo.
    pub region: Option<[u32; 4]>,
    /// Smallest tip diameter searched, mm.
    pub min_diameter_mm: f64,
    /// Largest tip diameter searched, mm.
    pub max_diameter_mm: f64,
    /// Smallest tip contrast accepted, 0..1 (see [`DEFAULT_MIN_CONTRAST`]).
    pub min_contrast: f64,
}

impl StubbleOptions {
    /// Defaults at `px_per_mm`: the whole photo, tips 0.05–0.2 mm, contrast ≥ 0.36.
    pub fn new(px_per_mm: f64) -> Self {
        StubbleOptions {
            px_per_mm,
            region: None,
            min_diameter_mm: 0.05,
            max_diameter_mm: 0.2,
            min_contrast: DEFAULT_MIN_CONTRAST,
        }
    }
}

/// One detected tip.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tip {
    /// Centre, photo pixels.
    pub x: f64,
    /// Centre, photo pixels.
    pub y: f64,
    /// Estimated diameter, mm.
    pub diameter_mm: f64,
    /// Contrast against the local skin, 0..1.
    pub contrast: f64,
}

/// What the stubble analysis found.
#[derive(Debug, Clone, PartialEq)]
pub struct StubbleReport {
    /// Tips found in the region.
    pub count: usize,
    /// Area of the region on the skin, cm².
    pub area_cm2: f64,
    /// Tips per cm².
    pub density_per_cm2: f64,
    /// Mean tip diameter, mm (0 when none were found).
    pub mean_diameter_mm: f64,
    /// Median CIELAB (D65) of the tips, `None` when none were found.
    pub tip_lab: Option<[f64; 3]>,
    /// Median CIELAB (D65) of the skin between the tips.
    pub skin_lab: [f64; 3],
    /// Reasons not to trust the figures as they stand (empty: none known).
    pub warnings: Vec<String>,
    /// The tips, in row order.
    pub tips: Vec<Tip>,
}

/// A float image over a window of the photo.
struct Plane {
    w: usize,
    h: usize,
    v: Vec<f32>,
}

impl Plane {
    fn at(&self, x: isize, y: isize) -> f32 {
        // Clamped: the photo's edge continues outwards, so no dark frame appears.
        let x = x.clamp(0, self.w as isize - 1) as usize;
        let y = y.clamp(0, self.h as isize - 1) as usize;
        self.v[y * self.w + x]
    }
}

fn median(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let mid = v.len() / 2;
    *v.select_nth_unstable_by(mid, f32::total_cmp).1
}

fn median_f64(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mid = v.len() / 2;
    *v.select_nth_unstable_by(mid, f64::total_cmp).1
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
fn log_response(c: &Plane, sigma: f64) -> Plane {
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

/// Find the stubble tips in `img` (sRGB).
///
/// Errors: a scale that is not a positive number, an empty region or one outside the
/// photo, a diameter range that is not `0 < min ≤ max`, a contrast outside `0..1`.
pub fn detect_stubble(img: &RgbImage, opts: &StubbleOptions) -> Result<StubbleReport, String> {
    let ppm = opts.px_per_mm;
    if !(ppm.is_finite() && ppm > 0.0) {
        return Err(format!("the scale {ppm} px/mm must be a positive number"));
    }
    if !(opts.min_diameter_mm > 0.0 && opts.min_diameter_mm <= opts.max_diameter_mm) {
        return Err(format!(
            "tip diameters {}–{} mm: need 0 < min ≤ max",
            opts.min_diameter_mm, opts.max_diameter_mm
        ));
    }
    if !(opts.min_contrast > 0.0 && opts.min_contrast < 1.0) {
        return Err(format!("the contrast threshold {} must lie between 0 and 1", opts.min_contrast));
    }
    let (iw, ih) = img.dimensions();
    let [rx, ry, rw, rh] = opts.region.unwrap_or([0, 0, iw, ih]);
    if rw == 0 || rh == 0 {
        return Err(format!(
            "the region {rx},{ry},{rw},{rh} is empty; give x,y,w,h with w and h above 0"
        ));
    }
    if u64::from(rx) + u64::from(rw) > u64::from(iw) || u64::from(ry) + u64::from(rh) > u64::from(ih) {
        return Err(format!(
            "the region {rx},{ry},{rw},{rh} reaches outside the {iw}×{ih} photo; keep x + w ≤ {iw} and y + h ≤ {ih}"
        ));
    }

    let mut warnings = Vec::new();
    let to_sigma = |d_mm: f64| d_mm * ppm / (2.0 * std::f64::consts::SQRT_2);
    // Below ~0.7 px a Gaussian is not sampled faithfully: the finest scale stops there.
    let s_lo = to_sigma(opts.min_diameter_mm).max(0.7);
    let s_hi = to_sigma(opts.max_diameter_mm).max(s_lo * 1.05);
    let sigmas: Vec<f64> = (0..SCALES)
        .map(|k| s_lo * (s_hi / s_lo).powf(k as f64 / (SCALES - 1) as f64))
        .collect();
    if 0.08 * ppm < 2.0 {
        warnings.push(format!(
            "at {ppm:.1} px/mm a 0.08 mm tip spans {:.1} px: tips are not resolved and are undercounted; take the close-up at 25 px/mm or more",
            0.08 * ppm
        ));
    }

    // Work on the region plus a margin, so blobs at its edge see their surroundings.
    let margin = (3.0 * s_hi).ceil() as u32 + 2;
    let (x0, y0) = (rx.saturating_sub(margin), ry.saturating_sub(margin));
    let (x1, y1) = ((rx + rw + margin).min(iw), (ry + rh + margin).min(ih));
    let (w, h) = ((x1 - x0) as usize, (y1 - y0) as usize);
    let lut = decode_lut();
    let lum = |p: &image::Rgb<u8>| 0.2126 * lut[p[0] as usize] + 0.7152 * lut[p[1] as usize] + 0.0722 * lut[p[2] as usize];
    let y_plane = Plane {
        w,
        h,
        v: (0..w * h)
            .map(|k| lum(img.get_pixel(x0 + (k % w) as u32, y0 + (k / w) as u32)))
            .collect(),
    };

    // The skin level: tile medians, interpolated between tile centres.
    let tile = ((TILE_MM * ppm).round() as usize).clamp(8, 256);
    let (tx, ty) = (w.div_ceil(tile), h.div_ceil(tile));
    let mut meds = vec![0.0f32; tx * ty];
    for j in 0..ty {
        for i in 0..tx {
            let mut v: Vec<f32> = (j * tile..((j + 1) * tile).min(h))
                .flat_map(|y| (i * tile..((i + 1) * tile).min(w)).map(move |x| (x, y)))
                .map(|(x, y)| y_plane.v[y * w + x])
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
    let c = Plane {
        w,
        h,
        v: (0..w * h).map(|k| 1.0 - y_plane.v[k] / bg(k % w, k / w)).collect(),
    };

    // The skin's own texture: robust spread of C over the region.
    let (ox, oy) = ((rx - x0) as usize, (ry - y0) as usize);
    let stride = ((rw as usize * rh as usize) / 200_000).max(1);
    let mut region_c: Vec<f32> = (0..rh as usize)
        .flat_map(|y| (0..rw as usize).map(move |x| (x, y)))
        .step_by(stride)
        .map(|(x, y)| c.v[(oy + y) * w + ox + x])
        .collect();
    let med_c = median(&mut region_c);
    let mut dev: Vec<f32> = region_c.iter().map(|v| (v - med_c).abs()).collect();
    let noise = 1.4826 * f64::from(median(&mut dev));
    let threshold = opts.min_contrast.max(5.0 * noise);

    let resp: Vec<Plane> = sigmas.iter().map(|&s| log_response(&c, s)).collect();
    let pre = (0.5 * threshold) as f32;
    let mut tips = Vec::new();
    for y in oy..oy + rh as usize {
        for x in ox..ox + rw as usize {
            // The best scale here; then a maximum over its 3 × 3 × 3 neighbourhood.
            let (k, r) = resp
                .iter()
                .enumerate()
                .map(|(k, p)| (k, p.v[y * w + x]))
                .fold((0, f32::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
            if r < pre {
                continue;
            }
            let (xi, yi) = (x as isize, y as isize);
            let mut is_max = true;
            'n: for kk in k.saturating_sub(1)..=(k + 1).min(SCALES - 1) {
                for dy in -1..=1isize {
                    for dx in -1..=1isize {
                        if kk == k && dx == 0 && dy == 0 {
                            continue;
                        }
                        let (nx, ny) = (xi + dx, yi + dy);
                        if nx < 0 || ny < 0 || nx >= w as isize || ny >= h as isize {
                            continue;
                        }
                        let v = resp[kk].v[ny as usize * w + nx as usize];
                        // Ties go to the first in row order, so a plateau counts once.
                        let earlier = (ny, nx) < (yi, xi) || (ny == yi && nx == xi && kk < k);
                        if v > r || (v == r && earlier) {
                            is_max = false;
                            break 'n;
                        }
                    }
                }
            }
            if !is_max {
                continue;
            }
            let contrast = 2.0 * f64::from(r);
            if contrast < threshold {
                continue;
            }
            // Parabola through the neighbouring scales, in ln σ.
            let mut ls = sigmas[k].ln();
            if k > 0 && k + 1 < SCALES {
                let (a, b, cc) = (
                    f64::from(resp[k - 1].v[y * w + x]),
                    f64::from(r),
                    f64::from(resp[k + 1].v[y * w + x]),
                );
                let den = a - 2.0 * b + cc;
                if den < 0.0 {
                    let step = (sigmas[k + 1].ln() - sigmas[k - 1].ln()) / 2.0;
                    ls += (0.5 * (a - cc) / den).clamp(-1.0, 1.0) * step;
                }
            }
            let sigma = (ls.exp().powi(2) - 1.0 / 12.0).max(0.01).sqrt();
            tips.push(Tip {
                x: (x0 as usize + x) as f64 + 0.5,
                y: (y0 as usize + y) as f64 + 0.5,
                diameter_mm: 2.0 * std::f64::consts::SQRT_2 * sigma / ppm,
                contrast: contrast.min(1.0),
            });
        }
    }

    let area_cm2 = f64::from(rw) * f64::from(rh) / (ppm * ppm) / 100.0;
    let count = tips.len();
    let density = count as f64 / area_cm2;
    let mean_diameter_mm = if count == 0 {
        0.0
    } else {
        tips.iter().map(|t| t.diameter_mm).sum::<f64>() / count as f64
    };

    let lab_at = |x: u32, y: u32| {
        let p = img.get_pixel(x, y);
        linear_to_lab([0, 1, 2].map(|i| f64::from(lut[p[i] as usize])))
    };
    let median_lab = |labs: &[[f64; 3]]| {
        [0, 1, 2].map(|i| {
            let mut v: Vec<f64> = labs.iter().map(|l| l[i]).collect();
            median_f64(&mut v)
        })
    };
    let tip_labs: Vec<[f64; 3]> = tips
        .iter()
        .map(|t| {
            // The darkest pixel at the tip: the one the tip covers most.
            let (cx, cy) = (t.x as i64, t.y as i64);
            let mut best = (f32::INFINITY, cx as u32, cy as u32);
            for yy in (cy - 1).max(0)..=(cy + 1).min(i64::from(ih) - 1) {
                for xx in (cx - 1).max(0)..=(cx + 1).min(i64::from(iw) - 1) {
                    let l = lum(img.get_pixel(xx as u32, yy as u32));
                    if l < best.0 {
                        best = (l, xx as u32, yy as u32);
                    }
                }
            }
            lab_at(best.1, best.2)
        })
        .collect();
    let tip_lab = (!tip_labs.is_empty()).then(|| median_lab(&tip_labs));
    let skin_cut = (0.5 * threshold) as f32;
    let skin_stride = ((rw as usize * rh as usize) / 50_000).max(1);
    let skin_labs: Vec<[f64; 3]> = (0..rh as usize)
        .flat_map(|y| (0..rw as usize).map(move |x| (x, y)))
        .step_by(skin_stride)
        .filter(|&(x, y)| c.v[(oy + y) * w + ox + x] < skin_cut)
        .map(|(x, y)| lab_at(rx + x as u32, ry + y as u32))
        .collect();
    let skin_lab = median_lab(&skin_labs);

    if count == 0 {
        warnings.push(format!(
            "no stubble tips found (contrast ≥ {threshold:.2}): bare skin, or tips too light against this skin to see (blonde or grey stubble on light skin); check the photo by eye"
        ));
    } else if density < LOW_DENSITY_PER_CM2 {
        warnings.push(format!(
            "only {density:.0} tips/cm² found, far below a haired scalp's ~130–220: a thinning or bald area, or tips too light against this skin to detect (blonde or grey stubble on light skin); do not copy this density without checking by eye"
        ));
    }
    if count > 0 {
        let mut cs: Vec<f64> = tips.iter().map(|t| t.contrast).collect();
        let mc = median_f64(&mut cs);
        if mc < 1.4 * threshold {
            warnings.push(format!(
                "the tips are faint (median contrast {mc:.2} against a threshold of {threshold:.2}): many may be missed and the density undercounted"
            ));
        }
    }
    if 5.0 * noise > opts.min_contrast {
        warnings.push(format!(
            "the skin is busy (texture spread {noise:.3}): the contrast threshold was raised to {threshold:.2}, so faint tips are missed"
        ));
    }
    Ok(StubbleReport {
        count,
        area_cm2,
        density_per_cm2: density,
        mean_diameter_mm,
        tip_lab,
        skin_lab,
        warnings,
        tips,
    })
}
