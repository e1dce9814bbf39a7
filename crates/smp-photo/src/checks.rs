//! On-the-spot checks of a photo as it is taken: sharp enough, exposed well, no strong
//! colour cast, and whether the calibration card is in it. Each says in plain words what
//! is wrong and how to retake it; blur and bad exposure make a photo unusable, a cast
//! without a card only makes its colours an estimate.

use image::RgbImage;

use crate::camera::blur::blur_sigma_px;
use crate::card::find_card;

/// Blur (Gaussian σ of the sharpest edges, pixels, per 1000 pixels of the photo's width)
/// above which a photo is too soft: a sharp phone photo measures about 1 px at 1000 px.
const MAX_BLUR_PX_PER_1000: f64 = 2.5;
/// Share of pixels with a channel at 250 or more above which the photo is overexposed.
const MAX_CLIPPED_SHARE: f64 = 0.10;
/// Mean luma (0–255) below which the photo is too dark.
const MIN_MEAN_LUMA: f64 = 45.0;
/// Ratio of the brightest to the darkest channel's mean (grey world) above which the
/// light has a strong colour cast.
const MAX_CAST_RATIO: f64 = 1.6;

/// One check's result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Check {
    /// Which check: `sharpness`, `exposure`, `colour` or `card`.
    pub check: &'static str,
    /// Whether the photo passes it.
    pub ok: bool,
    /// What was found, and what to do when it failed.
    pub message: String,
    /// Whether a failure makes the photo unusable (retake it).
    pub retake: bool,
}

/// The checks of `photo`; the card's scale (px/mm) when it is in the photo.
pub fn check_photo(photo: &RgbImage) -> (Vec<Check>, Option<f64>) {
    let mut out = vec![sharpness(photo)];
    let (clipped_share, mean_luma, mean) = pixel_stats(photo);
    out.push(exposure(clipped_share, mean_luma));
    let card = find_card(photo).ok();
    let (lo, hi) = mean.iter().fold((f64::MAX, 0f64), |(lo, hi), &m| (lo.min(m), hi.max(m)));
    let cast = lo > 0.0 && hi / lo > MAX_CAST_RATIO;
    out.push(Check {
        check: "colour",
        ok: !cast || card.is_some(),
        message: match (cast, card.is_some()) {
            (true, true) => "the light is strongly coloured; the card in the photo corrects it".into(),
            (true, false) => "the light is strongly coloured (warm lamps, a coloured wall): colours read from this photo will be off; use daylight or hold the calibration card in the photo".into(),
            (false, _) => "no strong colour cast".into(),
        },
        retake: false,
    });
    out.push(Check {
        check: "card",
        ok: card.is_some(),
        message: match &card {
            Some(c) => format!("calibration card found: {:.2} pixels per mm", c.px_per_mm),
            None => "no calibration card in the photo: the scale and colours will need another reference".into(),
        },
        retake: false,
    });
    (out, card.map(|c| c.px_per_mm))
}

/// Whether the photo is sharp enough, for its size.
fn sharpness(photo: &RgbImage) -> Check {
    let width_k = f64::from(photo.width()) / 1000.0;
    // Never below 2.5 px: a small frame's own demosaicing and compression soften edges.
    let limit = MAX_BLUR_PX_PER_1000 * width_k.max(1.0);
    let blur = blur_sigma_px(photo);
    match blur {
        Some(s) if s <= limit => Check {
            check: "sharpness",
            ok: true,
            message: "sharp".into(),
            retake: false,
        },
        _ => Check {
            check: "sharpness",
            ok: false,
            message:
                "the photo is blurred (out of focus or the camera moved): hold the camera still, let it focus on the scalp, and retake it"
                    .into(),
            retake: true,
        },
    }
}

/// The share of clipped pixels, the mean luma (0..255) and the mean linear colour of a
/// photo.
fn pixel_stats(photo: &RgbImage) -> (f64, f64, [f64; 3]) {
    let (mut clipped, mut luma, mut mean) = (0usize, 0f64, [0f64; 3]);
    let lut = smp_color::srgb::decode_lut();
    for p in photo.pixels() {
        let [r, g, b] = p.0;
        if r >= 250 || g >= 250 || b >= 250 {
            clipped += 1;
        }
        luma += 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
        for (c, m) in mean.iter_mut().enumerate() {
            *m += f64::from(lut[p.0[c] as usize]);
        }
    }
    let n = (photo.width() as usize * photo.height() as usize).max(1) as f64;
    let (clipped_share, mean_luma) = (clipped as f64 / n, luma / n);
    (clipped_share, mean_luma, mean)
}

/// Whether a photo with `clipped_share` of its pixels clipped and a mean luma of
/// `mean_luma` is well exposed.
fn exposure(clipped_share: f64, mean_luma: f64) -> Check {
    if clipped_share > MAX_CLIPPED_SHARE {
        Check {
            check: "exposure",
            ok: false,
            message: format!(
                "the photo is overexposed: {:.0} % of it is blown out white (glare or too much light); move out of direct light or lower the exposure, and retake it",
                100.0 * clipped_share
            ),
            retake: true,
        }
    } else if mean_luma < MIN_MEAN_LUMA {
        Check {
            check: "exposure",
            ok: false,
            message: "the photo is too dark to read the skin and hair: add light (daylight or a lamp in front of the client) and retake it"
                .into(),
            retake: true,
        }
    } else {
        Check {
            check: "exposure",
            ok: true,
            message: "well exposed".into(),
            retake: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_soft_a_dark_and_a_blown_out_photo_are_told_apart() {
        // A sharp grey step (an edge) on a mid-grey ground.
        let sharp = RgbImage::from_fn(400, 300, |x, _| {
            if x < 200 {
                image::Rgb([70, 70, 70])
            } else {
                image::Rgb([170, 170, 170])
            }
        });
        let (checks, card) = check_photo(&sharp);
        assert!(checks.iter().filter(|c| c.retake).all(|c| c.ok), "{checks:?}");
        assert!(card.is_none() && !checks.iter().find(|c| c.check == "card").unwrap().ok);
        let soft = image::imageops::blur(&sharp, 6.0);
        let (checks, _) = check_photo(&soft);
        let s = checks.iter().find(|c| c.check == "sharpness").unwrap();
        assert!(!s.ok && s.retake && s.message.contains("retake"), "{s:?}");
        let dark = RgbImage::from_fn(400, 300, |x, _| {
            if x < 200 {
                image::Rgb([10, 10, 10])
            } else {
                image::Rgb([60, 60, 60])
            }
        });
        let e = check_photo(&dark).0.into_iter().find(|c| c.check == "exposure").unwrap();
        assert!(!e.ok && e.message.contains("too dark"), "{e:?}");
        let white = RgbImage::from_fn(400, 300, |x, _| {
            if x < 100 {
                image::Rgb([90, 90, 90])
            } else {
                image::Rgb([255, 255, 255])
            }
        });
        let e = check_photo(&white).0.into_iter().find(|c| c.check == "exposure").unwrap();
        assert!(!e.ok && e.message.contains("overexposed"), "{e:?}");
        let warm = RgbImage::from_fn(400, 300, |x, _| {
            if x < 200 {
                image::Rgb([160, 90, 40])
            } else {
                image::Rgb([230, 150, 80])
            }
        });
        let c = check_photo(&warm).0.into_iter().find(|c| c.check == "colour").unwrap();
        assert!(!c.ok && !c.retake && c.message.contains("calibration card"), "{c:?}");
    }
}
