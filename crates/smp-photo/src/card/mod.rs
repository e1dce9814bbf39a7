//! The calibration card: its printed layout, finding it in a photo, and the scale and
//! colour correction it gives.

pub mod align;
pub mod colour;
pub mod detect;
pub mod homography;
pub mod layout;
pub(crate) mod parts;

pub use self::colour::ColourCorrection;
pub use self::detect::{CardError, CardFound, find_card};
pub use self::homography::Homography;

/// Pixels per mm a calibration by the card may have (as any calibration of a view).
const USABLE_PX_PER_MM: std::ops::RangeInclusive<f64> = 0.5..=200.0;

/// The card in `photo` as a view stores it: found, its colour correction fitted to its
/// grey patches, its scale one a view can use.
pub fn card_record(photo: &image::RgbImage) -> Result<smp_design::CardRecord, CardError> {
    let found = find_card(photo)?;
    let k = ColourCorrection::fit(&found.patches_linear).ok_or_else(|| CardError::Unreadable {
        why: "fewer than three of them are usable".into(),
    })?;
    if !USABLE_PX_PER_MM.contains(&found.px_per_mm) {
        return Err(CardError::Unscaled {
            px_per_mm: found.px_per_mm,
        });
    }
    Ok(smp_design::CardRecord {
        corners_px: found.corners_px.map(|(x, y)| [x, y]),
        px_per_mm: found.px_per_mm,
        colour_curves: k.curves,
        residual_delta_e00: k.residual_delta_e00,
    })
}
