//! The calibration card: its printed layout, finding it in a photo, and the scale and
//! colour correction it gives.

pub mod align;
pub mod colour;
pub mod detect;
pub mod homography;
pub mod layout;

pub use self::colour::CardCorrection;
pub use self::detect::{CardError, CardFound, find_card};
pub use self::homography::Homography;
