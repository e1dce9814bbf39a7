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

mod plane;
mod tips;

use image::RgbImage;
use smp_color::srgb::decode_lut;

use self::plane::{Plane, contrast_plane, log_response, median, median_f64};
use self::tips::{find_tips, skin_lab, tip_lab};

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

/// Find the stubble tips in `img` (sRGB).
///
/// Errors: a scale that is not a positive number, an empty region or one outside the
/// photo, a diameter range that is not `0 < min ≤ max`, a contrast outside `0..1`.
pub fn detect_stubble(img: &RgbImage, opts: &StubbleOptions) -> Result<StubbleReport, String> {
    let region = check_options(img, opts)?;
    let ppm = opts.px_per_mm;
    let mut warnings = Vec::new();
    let (sigmas, s_hi) = scales(opts);
    if 0.08 * ppm < 2.0 {
        warnings.push(format!(
            "at {ppm:.1} px/mm a 0.08 mm tip spans {:.1} px: tips are not resolved and are undercounted; take the close-up at 25 px/mm or more",
            0.08 * ppm
        ));
    }
    // Work on the region plus a margin, so blobs at its edge see their surroundings.
    let win = Window::new(region, (3.0 * s_hi).ceil() as u32 + 2, img.dimensions());
    let lut = decode_lut();
    let c = contrast_plane(img, &lut, &win, ppm);
    let noise = texture_spread(&c, &win);
    let threshold = opts.min_contrast.max(5.0 * noise);
    let resp: Vec<Plane> = sigmas.iter().map(|&s| log_response(&c, s)).collect();
    let tips = find_tips(&resp, &sigmas, &win, threshold, ppm);

    let area_cm2 = f64::from(win.rw) * f64::from(win.rh) / (ppm * ppm) / 100.0;
    let count = tips.len();
    let density = count as f64 / area_cm2;
    let mean_diameter_mm = if count == 0 {
        0.0
    } else {
        tips.iter().map(|t| t.diameter_mm).sum::<f64>() / count as f64
    };
    let tip_lab = tip_lab(img, &lut, &tips);
    let skin_lab = skin_lab(img, &lut, &c, &win, (0.5 * threshold) as f32);
    warn_of_tips(&tips, density, threshold, &mut warnings);
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

/// The region `[x, y, w, h]` to count in, or why `opts` cannot be used on `img`.
fn check_options(img: &RgbImage, opts: &StubbleOptions) -> Result<[u32; 4], String> {
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
    Ok([rx, ry, rw, rh])
}

/// The scales σ searched, px, geometric over the tip diameters of `opts`, and the
/// largest of them as chosen (before the geometric series rounds it).
fn scales(opts: &StubbleOptions) -> (Vec<f64>, f64) {
    let to_sigma = |d_mm: f64| d_mm * opts.px_per_mm / (2.0 * std::f64::consts::SQRT_2);
    // Below ~0.7 px a Gaussian is not sampled faithfully: the finest scale stops there.
    let s_lo = to_sigma(opts.min_diameter_mm).max(0.7);
    let s_hi = to_sigma(opts.max_diameter_mm).max(s_lo * 1.05);
    let sigmas = (0..SCALES)
        .map(|k| s_lo * (s_hi / s_lo).powf(k as f64 / (SCALES - 1) as f64))
        .collect();
    (sigmas, s_hi)
}

/// The region counted in, and the window around it the analysis works on.
pub(super) struct Window {
    /// The window's corner in the photo, px.
    x0: u32,
    y0: u32,
    /// The window's size, px.
    w: usize,
    h: usize,
    /// The region's corner in the photo, px.
    rx: u32,
    ry: u32,
    /// The region's size, px.
    rw: u32,
    rh: u32,
    /// The region's corner in the window, px.
    ox: usize,
    oy: usize,
}

impl Window {
    /// The region `[x, y, w, h]` with `margin` px round it, clipped to a `iw` × `ih` photo.
    fn new([rx, ry, rw, rh]: [u32; 4], margin: u32, (iw, ih): (u32, u32)) -> Self {
        let (x0, y0) = (rx.saturating_sub(margin), ry.saturating_sub(margin));
        let (x1, y1) = ((rx + rw + margin).min(iw), (ry + rh + margin).min(ih));
        Window {
            x0,
            y0,
            w: (x1 - x0) as usize,
            h: (y1 - y0) as usize,
            rx,
            ry,
            rw,
            rh,
            ox: (rx - x0) as usize,
            oy: (ry - y0) as usize,
        }
    }

    /// Every `stride`-th pixel of the region in row order, relative to its corner.
    fn region_pixels(&self, stride: usize) -> impl Iterator<Item = (usize, usize)> {
        let rw = self.rw as usize;
        (0..self.rh as usize)
            .flat_map(move |y| (0..rw).map(move |x| (x, y)))
            .step_by(stride)
    }
}

/// The skin's own texture: the robust spread (1.4826 · MAD) of the contrast `c` over the
/// region of `win`, from a sample of its pixels.
fn texture_spread(c: &Plane, win: &Window) -> f64 {
    let stride = ((win.rw as usize * win.rh as usize) / 200_000).max(1);
    let mut region_c: Vec<f32> = win
        .region_pixels(stride)
        .map(|(x, y)| c.v[(win.oy + y) * win.w + win.ox + x])
        .collect();
    let med_c = median(&mut region_c);
    let mut dev: Vec<f32> = region_c.iter().map(|v| (v - med_c).abs()).collect();
    1.4826 * f64::from(median(&mut dev))
}

/// Warn when no tips, few tips or only faint ones were found at `threshold`.
fn warn_of_tips(tips: &[Tip], density: f64, threshold: f64, warnings: &mut Vec<String>) {
    if tips.is_empty() {
        warnings.push(format!(
            "no stubble tips found (contrast ≥ {threshold:.2}): bare skin, or tips too light against this skin to see (blonde or grey stubble on light skin); check the photo by eye"
        ));
        return;
    }
    if density < LOW_DENSITY_PER_CM2 {
        warnings.push(format!(
            "only {density:.0} tips/cm² found, far below a haired scalp's ~130–220: a thinning or bald area, or tips too light against this skin to detect (blonde or grey stubble on light skin); do not copy this density without checking by eye"
        ));
    }
    let mut cs: Vec<f64> = tips.iter().map(|t| t.contrast).collect();
    let mc = median_f64(&mut cs);
    if mc < 1.4 * threshold {
        warnings.push(format!(
            "the tips are faint (median contrast {mc:.2} against a threshold of {threshold:.2}): many may be missed and the density undercounted"
        ));
    }
}
