//! Readings of the photo's own camera — its blur, its grain and its light — so that what
//! is drawn into the photo carries them too (domain.md: a composited element looks real
//! only if it carries the photo's own blur, noise and lighting).

pub(crate) mod blur;
mod grain;
mod light;

use image::RgbImage;

pub use self::blur::{PIXEL_BOX_VAR, blur_sigma_px};
pub use self::grain::grain_sigma;
pub use self::light::{HighlightMap, Light, Splitter};

/// A box of photo pixels, `x0..x1` × `y0..y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PxBox {
    /// First column.
    pub x0: u32,
    /// First row.
    pub y0: u32,
    /// One past the last column.
    pub x1: u32,
    /// One past the last row.
    pub y1: u32,
}

impl PxBox {
    /// The whole of `img`.
    pub fn whole(img: &RgbImage) -> Self {
        PxBox {
            x0: 0,
            y0: 0,
            x1: img.width(),
            y1: img.height(),
        }
    }

    /// This box clipped to `img`, `None` when nothing is left.
    pub fn clip(self, img: &RgbImage) -> Option<Self> {
        let b = PxBox {
            x0: self.x0.min(img.width()),
            y0: self.y0.min(img.height()),
            x1: self.x1.min(img.width()),
            y1: self.y1.min(img.height()),
        };
        (b.x1 > b.x0 && b.y1 > b.y0).then_some(b)
    }
}

/// What the photo's camera and light did to the scene.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoCamera {
    /// Standard deviation of the lens (and processing) blur, pixels, beyond the pixel's
    /// own area.
    pub blur_sigma_px: f64,
    /// Standard deviation of the grain per channel (R, G, B), sRGB levels (0–255), as its
    /// fine-scale (pixel-to-pixel) part shows it.
    pub grain_sigma: [f64; 3],
    /// Shading and specular highlights over the area drawn on.
    pub light: Light,
}

impl PhotoCamera {
    /// A perfect camera: no blur, no grain, no highlights (for pictures made by program).
    pub fn ideal() -> Self {
        PhotoCamera {
            blur_sigma_px: 0.0,
            grain_sigma: [0.0; 3],
            light: Light::none(),
        }
    }

    /// Read the camera off `photo`: blur from its sharpest edges anywhere, grain and
    /// light from the area `area` that will be drawn on (the scalp to treat), whose
    /// scale is `px_per_mm`.
    pub fn estimate(photo: &RgbImage, area: PxBox, px_per_mm: f64) -> Self {
        let Some(area) = area.clip(photo) else {
            return Self::ideal();
        };
        // The blur is read anywhere, the grain and light on the area: side by side.
        let (blur, (grain, light)) = rayon::join(
            || blur_sigma_px(photo).unwrap_or(0.0),
            || {
                let grain = grain_sigma(photo, area);
                (grain, Light::estimate(photo, area, px_per_mm, grain))
            },
        );
        PhotoCamera {
            blur_sigma_px: blur,
            grain_sigma: grain,
            light,
        }
    }
}
