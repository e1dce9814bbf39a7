//! The calibration card's printed layout, in mm from its top-left corner (x right, y
//! down): one source for the PDF that prints it and the detector that finds it.
//!
//! The card is a bank card's size so it can be kept in a wallet or a tray. Its corners
//! carry four ring markers (a black ring round a white hole): three with a black dot in
//! the hole and one, top left, without, so the card's orientation is known from the
//! markers alone. Rings are found whatever their rotation, keep their area ratios
//! under any tilt (an affine view preserves them) and survive blur at 3 px/mm. Between
//! them lie five neutral patches (white, three greys, black) and a 50 mm scale bar.

/// The card's width, mm (ISO/IEC 7810 ID-1, a bank card, rounded).
pub const CARD_W_MM: f64 = 85.0;
/// The card's height, mm.
pub const CARD_H_MM: f64 = 54.0;

/// Outer radius of a marker's ring, mm.
pub const RING_OUTER_MM: f64 = 6.5;
/// Radius of the white hole inside the ring, mm.
pub const RING_INNER_MM: f64 = 3.9;
/// Radius of the dot in the hole of the three orienting markers, mm.
pub const DOT_MM: f64 = 1.9;

/// The markers' centres, mm: top left (the plain one, no dot), top right, bottom left,
/// bottom right.
pub const MARKERS_MM: [(f64, f64); 4] = [(8.5, 8.5), (76.5, 8.5), (8.5, 45.5), (76.5, 45.5)];

/// Side of a neutral patch, mm.
pub const PATCH_MM: f64 = 9.0;

/// A neutral patch: its top-left corner, mm, and its printed grey (0 black – 1 white,
/// the PDF's DeviceGray, taken as sRGB).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Patch {
    /// Left edge, mm.
    pub x_mm: f64,
    /// Top edge, mm.
    pub y_mm: f64,
    /// Printed grey, 0–1.
    pub grey: f64,
}

/// The five neutral patches, white to black, in a row between the top markers.
pub const PATCHES: [Patch; 5] = [
    Patch {
        x_mm: 17.0,
        y_mm: 11.0,
        grey: 1.0,
    },
    Patch {
        x_mm: 27.5,
        y_mm: 11.0,
        grey: 0.75,
    },
    Patch {
        x_mm: 38.0,
        y_mm: 11.0,
        grey: 0.5,
    },
    Patch {
        x_mm: 48.5,
        y_mm: 11.0,
        grey: 0.25,
    },
    Patch {
        x_mm: 59.0,
        y_mm: 11.0,
        grey: 0.0,
    },
];

/// The scale bar: left end, mm, its length and the top of the bar.
pub const SCALE_BAR_X_MM: f64 = 17.5;
/// Length of the scale bar, mm: the figure a user checks with a ruler after printing.
pub const SCALE_BAR_MM: f64 = 50.0;
/// Top of the scale bar, mm.
pub const SCALE_BAR_Y_MM: f64 = 26.0;
/// Thickness of the scale bar, mm.
pub const SCALE_BAR_H_MM: f64 = 1.2;

/// The card's name as printed on it.
pub const CARD_ID: &str = "SMP-CARD";
/// The layout's version, printed on the card: a detector of a later layout can tell
/// the cards apart.
pub const CARD_VERSION: u32 = 1;

/// The centre of patch `p`, mm.
pub fn patch_centre(p: &Patch) -> (f64, f64) {
    (p.x_mm + PATCH_MM / 2.0, p.y_mm + PATCH_MM / 2.0)
}

/// The card's centre, mm.
pub fn card_centre() -> (f64, f64) {
    (CARD_W_MM / 2.0, CARD_H_MM / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_do_not_overlap_and_stay_on_the_card() {
        // Each marker's ring keeps a white margin to the card's edge and to the patches,
        // so it is a closed ring on white paper wherever the card lies.
        for &(x, y) in &MARKERS_MM {
            assert!(x - RING_OUTER_MM >= 1.5 && x + RING_OUTER_MM <= CARD_W_MM - 1.5);
            assert!(y - RING_OUTER_MM >= 1.5 && y + RING_OUTER_MM <= CARD_H_MM - 1.5);
            for p in &PATCHES {
                let nx = x.clamp(p.x_mm, p.x_mm + PATCH_MM);
                let ny = y.clamp(p.y_mm, p.y_mm + PATCH_MM);
                assert!(
                    (x - nx).hypot(y - ny) >= RING_OUTER_MM + 1.0,
                    "marker at ({x}, {y}) too close to a patch"
                );
            }
        }
        for w in PATCHES.windows(2) {
            assert!(w[1].x_mm >= w[0].x_mm + PATCH_MM + 1.0, "patches need a white gap");
            assert!(w[1].grey < w[0].grey, "patches run white to black");
        }
        const {
            assert!(SCALE_BAR_X_MM + SCALE_BAR_MM < MARKERS_MM[1].0 - RING_OUTER_MM);
            assert!(PATCHES[0].y_mm + PATCH_MM < SCALE_BAR_Y_MM);
            // The gap round the dot must survive blur.
            assert!(RING_INNER_MM > DOT_MM + 1.0);
        }
    }
}
