//! A ColorChecker Classic 24 colour chart in a synthetic photo: a pocket-sized chart
//! (the Classic Mini's 6 × 4 patches on a black board) laid in the scene like the
//! calibration card, its patches reflecting their published colours.

use smp_color::chart::{CHART_COLUMNS, chart_linear};

use super::card::{Placement, draw_print};

/// Distance between neighbouring patch centres, mm.
const PITCH_MM: f64 = 12.5;
/// Side of a patch, mm.
const PATCH_MM: f64 = 10.5;
/// Black board round the patches, mm.
const BORDER_MM: f64 = 4.0;
/// The board's width and height, mm: about the ColorChecker Classic Mini's 82.5 × 57.
const SIZE_MM: (f64, f64) = (
    5.0 * PITCH_MM + PATCH_MM + 2.0 * BORDER_MM,
    3.0 * PITCH_MM + PATCH_MM + 2.0 * BORDER_MM,
);
/// What the black board reflects, linear.
const BOARD_Y: f32 = 0.03;

/// How the colour chart lies in a synthetic photo.
#[derive(Debug, Clone, Copy)]
pub struct ChartShot {
    /// Where the chart's centre is in the photo, pixels.
    pub centre_px: (f64, f64),
    /// Pixels per mm at its centre, in its plane.
    pub px_per_mm: f64,
    /// Turn in its plane, degrees (0: dark skin at the top left).
    pub rotation_deg: f64,
    /// Tilt away from the camera, degrees.
    pub tilt_deg: f64,
    /// Direction in the chart of the axis it is tilted about, degrees from its x axis.
    pub tilt_axis_deg: f64,
}

impl ChartShot {
    /// The chart held flat and square-on beside the head of a `width_px`-wide synthetic
    /// photo at the scalp's scale `px_per_mm`: in the photo's bottom-right corner (the
    /// calibration card goes bottom left).
    pub fn beside_head(width_px: u32, px_per_mm: f64) -> Self {
        let w = f64::from(width_px);
        let h = 1.25 * w;
        let r = 0.5 * SIZE_MM.0.hypot(SIZE_MM.1) * px_per_mm;
        ChartShot {
            centre_px: ((w - 0.02 * w - r).max(w / 2.0), (h - 0.02 * h - r).max(h / 2.0)),
            px_per_mm,
            rotation_deg: 0.0,
            tilt_deg: 0.0,
            tilt_axis_deg: 0.0,
        }
    }

    /// Centres of the four corner patches in the photo, pixels: dark skin, bluish
    /// green, black, white.
    pub fn corner_patches_px(&self) -> [(f64, f64); 4] {
        [0, 5, 23, 18].map(|i| self.placement().project(SIZE_MM, patch_centre_mm(i)))
    }

    fn placement(&self) -> Placement {
        Placement {
            centre_px: self.centre_px,
            px_per_mm: self.px_per_mm,
            rotation_deg: self.rotation_deg,
            tilt_deg: self.tilt_deg,
            tilt_axis_deg: self.tilt_axis_deg,
        }
    }
}

/// Centre of patch `i` on the board, mm from its top-left corner.
fn patch_centre_mm(i: usize) -> (f64, f64) {
    let first = BORDER_MM + PATCH_MM / 2.0;
    (
        first + (i % CHART_COLUMNS) as f64 * PITCH_MM,
        first + (i / CHART_COLUMNS) as f64 * PITCH_MM,
    )
}

/// Draw the chart into `buf` (linear light, `w` wide), marking its pixels in `covered`.
pub(crate) fn draw(buf: &mut [[f32; 3]], covered: &mut [bool], w: usize, shot: &ChartShot) {
    let colours: Vec<[f32; 3]> = (0..24).map(|i| chart_linear(i).map(|v| v.clamp(0.0, 1.0) as f32)).collect();
    draw_print(buf, covered, w, (&shot.placement(), SIZE_MM), |x, y| {
        let (u, v) = ((x - BORDER_MM) / PITCH_MM, (y - BORDER_MM) / PITCH_MM);
        let (c, r) = (u.floor(), v.floor());
        let inside = (0.0..CHART_COLUMNS as f64).contains(&c) && (0.0..4.0).contains(&r);
        let on_patch = (u - c) * PITCH_MM < PATCH_MM && (v - r) * PITCH_MM < PATCH_MM;
        if inside && on_patch {
            colours[r as usize * CHART_COLUMNS + c as usize]
        } else {
            [BOARD_Y; 3]
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corner_patches_lie_where_the_board_puts_them() {
        let shot = ChartShot {
            centre_px: (500.0, 400.0),
            px_per_mm: 4.0,
            rotation_deg: 0.0,
            tilt_deg: 0.0,
            tilt_axis_deg: 0.0,
        };
        let [d, g, k, wh] = shot.corner_patches_px();
        assert!((g.0 - d.0 - 4.0 * 5.0 * PITCH_MM).abs() < 1e-9 && (g.1 - d.1).abs() < 1e-9);
        assert!((wh.1 - d.1 - 4.0 * 3.0 * PITCH_MM).abs() < 1e-9 && (k.0 - g.0).abs() < 1e-9);
        // The board is centred: dark skin as far left of the centre as black is right.
        assert!(((500.0 - d.0) - (k.0 - 500.0)).abs() < 1e-9);
        let mut buf = vec![[0.5f32; 3]; 1000 * 800];
        let mut covered = vec![false; 1000 * 800];
        draw(&mut buf, &mut covered, 1000, &shot);
        let at = |p: (f64, f64)| buf[p.1 as usize * 1000 + p.0 as usize];
        let want = chart_linear(0).map(|v| v as f32);
        assert!((0..3).all(|c| (at(d)[c] - want[c]).abs() < 1e-6), "dark skin {:?}", at(d));
        assert!(at(wh)[1] > 0.8, "white {:?}", at(wh));
        assert!(covered[400 * 1000 + 500]);
    }
}
