//! SMP Studio colour science: sRGB, linear light, CIELAB, and the optics of pigment in
//! skin (diffusion profile, turbid backscatter, Beer–Lambert absorption) used by the
//! preview and, later, by pigment matching.

pub mod chart;
pub mod constants;
pub mod delta_e;
pub mod hair;
pub mod optics;
pub mod pigments;
pub mod skin;
pub mod srgb;

pub use optics::{Pigment, SkinOptics};
