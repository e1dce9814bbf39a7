//! The robust colour of a photo region: the median CIELAB of its pixels with clipped
//! highlights and the darkest and lightest tenth left out, read as the camera recorded
//! it, balanced on a marked white card, or through the calibration card's or colour chart's correction;
//! with plain warnings about clipping, darkness and colour casts.

use image::RgbImage;
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};

use crate::card::ColourCorrection;
use crate::card::colour::Reference;

/// An 8-bit channel at or above this is clipped (a specular highlight or overexposure).
const CLIPPED_8BIT: u8 = 250;
/// Share of the region's darkest and lightest pixels (by L*) left out of the median:
/// deep shadows between hairs and specular sheen on skin are not the colour asked for.
pub const TRIM_SHARE: f64 = 0.10;
/// Warn of clipped highlights when more of the region than this is clipped.
const CLIPPED_WARN_SHARE: f64 = 0.02;
/// Warn "too dark" below this median L*: under-exposed colours are dominated by noise
/// and the camera's tone curve (darker than black hair, L* ≈ 15–20, domain.md).
const TOO_DARK_L: f64 = 12.0;
/// Warn of a colour cast when the photo's mean linear R, G, B differ by more than this
/// ratio (grey-world heuristic: a whole photo of a head and background averages near
/// neutral under neutral light; 1.6 leaves room for skin-dominated framing).
const CAST_RATIO: f64 = 1.6;

/// A rectangle of photo pixels: `x`, `y`, width, height.
pub type PxRect = [u32; 4];

/// How the photo's colours are balanced before reading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Balance {
    /// As the camera recorded them.
    AsRecorded,
    /// A white or grey card marked in the photo is made neutral at its own luminance
    /// (exposure kept, only the cast removed).
    WhiteCard(PxRect),
    /// Through the correction of the calibration card or colour chart in the photo.
    Corrected(ColourCorrection),
}

/// The colour of a region.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionColour {
    /// Median CIELAB of the pixels kept.
    pub lab: [f64; 3],
    /// Pixels the median is over.
    pub pixels_used: usize,
    /// Pixels left out (clipped, or in the darkest or lightest tenth).
    pub pixels_excluded: usize,
    /// The gain each linear channel was given (the white card's, or the calibration
    /// card's white balance; 1 as recorded).
    pub white_gains: [f64; 3],
    /// What the colours were corrected through (the card or the chart), if anything.
    pub corrected_by: Option<Reference>,
    /// What to be careful about, in words.
    pub warnings: Vec<String>,
}

/// Why a region's colour cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegionError {
    /// The region is not inside the photo.
    #[error("the region is outside the photo, which is {width}×{height} pixels")]
    Outside {
        /// Photo width, px.
        width: u32,
        /// Photo height, px.
        height: u32,
    },
    /// The white card is not inside the photo.
    #[error("the white card is outside the photo, which is {width}×{height} pixels")]
    WhiteOutside {
        /// Photo width, px.
        width: u32,
        /// Photo height, px.
        height: u32,
    },
    /// Every pixel of the white card is clipped or black.
    #[error("the white card is blown out or black in every pixel; expose for the card or mark another patch")]
    WhiteUnusable,
    /// Every pixel of the region is clipped.
    #[error("every pixel in the region is clipped white; choose a region of skin or hair, or retake the photo with less exposure")]
    AllClipped,
}

/// Parse "x,y,w,h" (whole pixels, width and height at least 1).
pub fn parse_rect(s: &str) -> Result<PxRect, String> {
    let nums: Vec<&str> = s.split(',').map(str::trim).collect();
    if nums.len() != 4 {
        return Err(format!("found {} number(s), need 4", nums.len()));
    }
    let mut r = [0u32; 4];
    for (i, n) in nums.iter().enumerate() {
        r[i] = n.parse().map_err(|_| format!("{n:?} is not a whole number of pixels"))?;
    }
    if r[2] == 0 || r[3] == 0 {
        return Err("width and height must be at least 1".into());
    }
    Ok(r)
}

fn inside(photo: &RgbImage, [x, y, w, h]: PxRect) -> bool {
    u64::from(x) + u64::from(w) <= u64::from(photo.width()) && u64::from(y) + u64::from(h) <= u64::from(photo.height())
}

/// Per-channel gains that make the white card at `rect` neutral at its own luminance.
fn white_gains(photo: &RgbImage, rect: PxRect) -> Result<[f64; 3], RegionError> {
    if !inside(photo, rect) {
        return Err(RegionError::WhiteOutside {
            width: photo.width(),
            height: photo.height(),
        });
    }
    let [wx, wy, ww, wh] = rect;
    let (mut sum, mut n) = ([0.0f64; 3], 0.0);
    for yy in wy..wy + wh {
        for xx in wx..wx + ww {
            let p = photo.get_pixel(xx, yy).0;
            if p.iter().all(|&c| c < CLIPPED_8BIT) {
                let l = rgb8_to_linear(p);
                (0..3).for_each(|c| sum[c] += l[c]);
                n += 1.0;
            }
        }
    }
    if n == 0.0 || sum.iter().any(|&s| s <= 0.0) {
        return Err(RegionError::WhiteUnusable);
    }
    let m = sum.map(|s| s / n);
    let y_ref = 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2];
    Ok(m.map(|c| y_ref / c))
}

/// The colour of `region` of `photo`, balanced as `balance` says.
pub fn region_colour(photo: &RgbImage, region: PxRect, balance: Balance) -> Result<RegionColour, RegionError> {
    if !inside(photo, region) {
        return Err(RegionError::Outside {
            width: photo.width(),
            height: photo.height(),
        });
    }
    let gains = match balance {
        Balance::AsRecorded => [1.0; 3],
        Balance::WhiteCard(r) => white_gains(photo, r)?,
        Balance::Corrected(k) => k.white_balance(),
    };
    let to_linear = |p: [u8; 3]| {
        let l = rgb8_to_linear(p);
        match &balance {
            Balance::Corrected(k) => k.apply_linear(l),
            _ => std::array::from_fn::<f64, 3, _>(|c| (l[c] * gains[c]).min(1.0)),
        }
    };
    let [x, y, w, h] = region;
    let mut labs = Vec::with_capacity((w * h) as usize);
    let mut clipped = 0usize;
    for yy in y..y + h {
        for xx in x..x + w {
            let p = photo.get_pixel(xx, yy).0;
            if p.iter().any(|&c| c >= CLIPPED_8BIT) {
                clipped += 1;
            } else {
                labs.push(linear_to_lab(to_linear(p)));
            }
        }
    }
    let total = (w * h) as usize;
    if labs.is_empty() {
        return Err(RegionError::AllClipped);
    }
    let (lab, kept) = trimmed_median(labs);

    let mut warnings = Vec::new();
    let clipped_share = clipped as f64 / total as f64;
    if clipped_share > CLIPPED_WARN_SHARE {
        warnings.push(format!(
            "clipped highlights: {:.0} % of the region is blown out (left out); lower the exposure or avoid direct light",
            clipped_share * 100.0
        ));
    }
    if lab[0] < TOO_DARK_L {
        warnings.push(format!(
            "too dark: median L* {:.1} is below {TOO_DARK_L:.0}; the colour is unreliable — retake the photo in brighter, even light",
            lab[0]
        ));
    }
    let (lo, hi) = channel_sums(photo, to_linear);
    if lo > 0.0 && hi / lo > CAST_RATIO {
        warnings.push(format!(
            "strong colour cast: the photo's average red/green/blue differ by {:.1}× (limit {CAST_RATIO}); use neutral light, white-balance the photo or hold the calibration card in it",
            hi / lo
        ));
    }
    Ok(RegionColour {
        lab,
        pixels_used: kept,
        pixels_excluded: total - kept,
        white_gains: gains,
        corrected_by: match balance {
            Balance::Corrected(k) => Some(k.reference),
            _ => None,
        },
        warnings,
    })
}

/// The median CIELAB of `labs` with the darkest and the lightest [`TRIM_SHARE`] by L*
/// left out, and how many were kept.
fn trimmed_median(mut labs: Vec<[f64; 3]>) -> ([f64; 3], usize) {
    labs.sort_by(|p, q| p[0].total_cmp(&q[0]));
    let trim = (labs.len() as f64 * TRIM_SHARE).floor() as usize;
    let kept = &labs[trim..labs.len() - trim];
    let median = |i: usize| {
        let mut v: Vec<f64> = kept.iter().map(|l| l[i]).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
    };
    ([median(0), median(1), median(2)], kept.len())
}

/// The smallest and the largest of the photo's channel sums in linear light, each pixel
/// taken through `to_linear`.
fn channel_sums(photo: &RgbImage, to_linear: impl Fn([u8; 3]) -> [f64; 3]) -> (f64, f64) {
    let mut mean = [0.0f64; 3];
    for p in photo.pixels() {
        let l = to_linear(p.0);
        (0..3).for_each(|c| mean[c] += l[c]);
    }
    mean.iter().fold((f64::MAX, 0.0f64), |(lo, hi), &m| (lo.min(m), hi.max(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_region_and_says_what_is_wrong_with_it() {
        // A warm-cast photo: a grey card on the left, skin on the right.
        let photo = RgbImage::from_fn(40, 20, |x, _| {
            if x < 10 {
                image::Rgb([200, 160, 120])
            } else {
                image::Rgb([190, 130, 100])
            }
        });
        let plain = region_colour(&photo, [20, 5, 10, 10], Balance::AsRecorded).unwrap();
        assert_eq!(plain.pixels_used + plain.pixels_excluded, 100);
        assert!(plain.warnings.iter().any(|w| w.contains("colour cast")), "{:?}", plain.warnings);
        let balanced = region_colour(&photo, [20, 5, 10, 10], Balance::WhiteCard([0, 0, 10, 20])).unwrap();
        assert!(balanced.lab[2] < plain.lab[2] - 5.0, "the card takes the warmth out");
        assert_eq!(parse_rect("1, 2,3,4"), Ok([1, 2, 3, 4]));
        assert!(parse_rect("1,2,0,4").is_err());
        assert!(matches!(
            region_colour(&photo, [35, 0, 10, 10], Balance::AsRecorded),
            Err(RegionError::Outside { .. })
        ));
        let white = RgbImage::from_pixel(4, 4, image::Rgb([255, 255, 255]));
        assert_eq!(
            region_colour(&white, [0, 0, 4, 4], Balance::AsRecorded),
            Err(RegionError::AllClipped)
        );
    }
}
