//! Two photos of the same view lined up: the later photo redrawn in the earlier one's
//! frame, so a slider between them compares like with like. The head's own calibration
//! (each photo's view map, design mm → pixels) lines up the head; without it, the card
//! in each photo lines up the card's plane (right when the card is held in the same
//! place each visit).

use image::RgbImage;
use smp_design::{MmToPx, PointMm};

use super::detect::find_card;
use super::homography::Homography;
use super::layout::{CARD_H_MM, CARD_W_MM};

/// `later` redrawn in `earlier`'s frame through the card found in both (each photo's
/// card mm → pixels map composed), `None` when either photo has no card. Pixels that
/// fall outside `later` are left black.
pub fn align_by_card(earlier: &RgbImage, later: &RgbImage) -> Option<RgbImage> {
    let a = find_card(earlier).ok()?;
    let b = find_card(later).ok()?;
    let mm = [(0.0, 0.0), (CARD_W_MM, 0.0), (CARD_W_MM, CARD_H_MM), (0.0, CARD_H_MM)];
    // Earlier pixels → card mm → later pixels.
    let back = Homography::from_points(&a.corners_px, &mm)?;
    Some(redraw(earlier.dimensions(), later, |p| b.homography.apply(back.apply(p))))
}

/// `later` redrawn in `earlier`'s frame through the two photos' view maps (the head's
/// design mm in between); `None` when the earlier map cannot be inverted.
pub fn align_by_views(earlier_size: (u32, u32), earlier: &MmToPx, later: &RgbImage, later_map: &MmToPx) -> Option<RgbImage> {
    earlier.invert(0.0, 0.0)?;
    Some(redraw(earlier_size, later, |(x, y)| {
        let p = earlier.invert(x, y).unwrap_or(PointMm::new(f64::NAN, f64::NAN));
        later_map.apply(p)
    }))
}

/// How the later photo of a pair was lined up with the earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinedUpBy {
    /// Both photos are calibrated views of a design: the head itself lines up.
    Calibration,
    /// The card held in both photos: its plane lines up.
    Card,
    /// Neither: the later photo only scaled to the earlier one's size.
    Size,
}

impl LinedUpBy {
    /// The way of lining up in the client's words.
    pub fn words(self) -> &'static str {
        match self {
            LinedUpBy::Calibration => "Lined up by the head's calibration in both photos.",
            LinedUpBy::Card => "Lined up by the calibration card held in both photos.",
            LinedUpBy::Size => {
                "Not lined up: neither the head's calibration nor a calibration card is in both photos, so the later photo is only scaled to the same size."
            }
        }
    }
}

/// `later` in `earlier`'s frame by the best means the two photos offer: their view maps
/// when both have one, else the card in both, else a plain resize.
pub fn line_up(earlier: &RgbImage, earlier_map: Option<&MmToPx>, later: &RgbImage, later_map: Option<&MmToPx>) -> (RgbImage, LinedUpBy) {
    if let (Some(ma), Some(mb)) = (earlier_map, later_map)
        && let Some(img) = align_by_views(earlier.dimensions(), ma, later, mb)
    {
        return (img, LinedUpBy::Calibration);
    }
    if let Some(img) = align_by_card(earlier, later) {
        return (img, LinedUpBy::Card);
    }
    let img = image::imageops::resize(later, earlier.width(), earlier.height(), image::imageops::FilterType::Triangle);
    (img, LinedUpBy::Size)
}

/// A `size` image whose pixel centres map through `to_later` into `later`, bilinear,
/// black outside it.
fn redraw(size: (u32, u32), later: &RgbImage, to_later: impl Fn((f64, f64)) -> (f64, f64)) -> RgbImage {
    let (w, h) = (later.width(), later.height());
    RgbImage::from_fn(size.0, size.1, |x, y| {
        let (x, y) = to_later((f64::from(x) + 0.5, f64::from(y) + 0.5));
        let (x, y) = (x - 0.5, y - 0.5);
        if !(x >= 0.0 && y >= 0.0 && x < f64::from(w - 1) && y < f64::from(h - 1)) {
            return image::Rgb([0, 0, 0]);
        }
        let (x0, y0) = (x as u32, y as u32);
        let (fx, fy) = (x - f64::from(x0), y - f64::from(y0));
        let p = |dx: u32, dy: u32| later.get_pixel(x0 + dx, y0 + dy).0.map(f64::from);
        let (p00, p10, p01, p11) = (p(0, 0), p(1, 0), p(0, 1), p(1, 1));
        image::Rgb(std::array::from_fn(|c| {
            let top = p00[c] * (1.0 - fx) + p10[c] * fx;
            let bottom = p01[c] * (1.0 - fx) + p11[c] * fx;
            (top * (1.0 - fy) + bottom * fy).round() as u8
        }))
    })
}
