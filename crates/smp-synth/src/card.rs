//! The calibration card in a synthetic photo: its print laid in the scene through a
//! pinhole camera (turned in its plane and tilted away from the camera), lit like skin
//! facing the camera, before the camera's blur, noise and JPEG.

use image::RgbImage;
use rayon::prelude::*;
use smp_photo::card::Homography;
use smp_photo::card::colour::patch_reflectance;
use smp_photo::card::layout::{CARD_H_MM, CARD_W_MM};

/// Distance from the camera to the card, mm: a phone held ~40 cm from the scalp, whose
/// perspective a tilted card shows.
const CAMERA_DISTANCE_MM: f64 = 400.0;
/// Samples per pixel side when drawing the card (its edges and rings anti-aliased).
const SUPERSAMPLE: usize = 3;

/// How the calibration card lies in a synthetic photo.
#[derive(Debug, Clone, Copy)]
pub struct CardShot<'a> {
    /// The card as printed, seen flat and square-on (`smp_report::card::card_print`).
    pub print: &'a RgbImage,
    /// The print's pixels per mm.
    pub print_px_per_mm: f64,
    /// Where the card's centre is in the photo, pixels.
    pub centre_px: (f64, f64),
    /// Pixels per mm at the card's centre, in its plane (the scalp's, when held beside it).
    pub px_per_mm: f64,
    /// Turn of the card in its plane, degrees.
    pub rotation_deg: f64,
    /// Tilt of the card away from the camera, degrees (0 square-on).
    pub tilt_deg: f64,
    /// Direction in the card of the axis it is tilted about, degrees from its x axis.
    pub tilt_axis_deg: f64,
}

impl<'a> CardShot<'a> {
    /// The card held flat and square-on beside the head of a `width_px`-wide synthetic
    /// photo at the scalp's scale `px_per_mm`: in the photo's bottom-left corner, clear
    /// of its edge whatever the card's turn; `print` is the card as printed at twice
    /// that scale.
    pub fn beside_head(print: &'a RgbImage, width_px: u32, px_per_mm: f64) -> Self {
        let w = f64::from(width_px);
        let h = 1.25 * w;
        // Room for the card's diagonal, whatever its turn.
        let r = 0.5 * CARD_W_MM.hypot(CARD_H_MM) * px_per_mm;
        CardShot {
            print,
            print_px_per_mm: 2.0 * px_per_mm,
            centre_px: ((0.02 * w + r).min(w / 2.0), (h - 0.02 * h - r).max(h / 2.0)),
            px_per_mm,
            rotation_deg: 0.0,
            tilt_deg: 0.0,
            tilt_axis_deg: 0.0,
        }
    }

    /// The card's corners in the photo, pixels: top left, top right, bottom right, bottom
    /// left.
    pub fn corners_px(&self) -> [(f64, f64); 4] {
        self.placement().corners_px((CARD_W_MM, CARD_H_MM))
    }

    /// Photo pixel of the card point `(x_mm, y_mm)` (from its top-left corner).
    pub fn project(&self, p: (f64, f64)) -> (f64, f64) {
        self.placement().project((CARD_W_MM, CARD_H_MM), p)
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

/// Where a flat print (card or chart) lies in a synthetic photo.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement {
    /// Where its centre is in the photo, pixels.
    pub centre_px: (f64, f64),
    /// Pixels per mm at its centre, in its plane.
    pub px_per_mm: f64,
    /// Turn in its plane, degrees.
    pub rotation_deg: f64,
    /// Tilt away from the camera, degrees.
    pub tilt_deg: f64,
    /// Direction in the print of the axis it is tilted about, degrees from its x axis.
    pub tilt_axis_deg: f64,
}

impl Placement {
    /// Photo pixel of the point `(x_mm, y_mm)` (from the top-left corner) of a print of
    /// `(w_mm, h_mm)`.
    pub fn project(&self, (w_mm, h_mm): (f64, f64), (x, y): (f64, f64)) -> (f64, f64) {
        let (u, v) = (x - w_mm / 2.0, y - h_mm / 2.0);
        // Tilt: rotate about the axis at `tilt_axis_deg` in the print's plane.
        let (ca, sa) = (self.tilt_axis_deg.to_radians().cos(), self.tilt_axis_deg.to_radians().sin());
        let (along, across) = (u * ca + v * sa, -u * sa + v * ca);
        let t = self.tilt_deg.to_radians();
        let (across, depth) = (across * t.cos(), across * t.sin());
        let (u, v) = (along * ca - across * sa, along * sa + across * ca);
        // Turn in the image plane.
        let (cr, sr) = (self.rotation_deg.to_radians().cos(), self.rotation_deg.to_radians().sin());
        let (u, v) = (u * cr - v * sr, u * sr + v * cr);
        let f = self.px_per_mm * CAMERA_DISTANCE_MM;
        let z = CAMERA_DISTANCE_MM + depth;
        (self.centre_px.0 + f * u / z, self.centre_px.1 + f * v / z)
    }

    /// The print's corners in the photo, pixels: top left, top right, bottom right,
    /// bottom left.
    pub fn corners_px(&self, (w_mm, h_mm): (f64, f64)) -> [(f64, f64); 4] {
        [(0.0, 0.0), (w_mm, 0.0), (w_mm, h_mm), (0.0, h_mm)].map(|p| self.project((w_mm, h_mm), p))
    }
}

/// Draw the card into `buf` (linear light, `w` × `h`), marking its pixels in `covered`;
/// its print's greys become ink and paper reflectances.
pub(crate) fn draw(buf: &mut [[f32; 3]], covered: &mut [bool], w: usize, shot: &CardShot) {
    let refl: Vec<f32> = (0..256).map(|v| patch_reflectance(f64::from(v) / 255.0) as f32).collect();
    let print = shot.print;
    let s = shot.print_px_per_mm;
    draw_print(buf, covered, w, (&shot.placement(), (CARD_W_MM, CARD_H_MM)), |u, v| {
        let (ix, iy) = ((u * s) as u32, (v * s) as u32);
        let p = print.get_pixel(ix.min(print.width() - 1), iy.min(print.height() - 1)).0;
        p.map(|c| refl[c as usize])
    });
}

/// Draw a flat print of `size_mm` placed by `place` into `buf` (linear light, `w` wide),
/// marking its pixels in `covered`: `reflectance(x_mm, y_mm)` is its colour there,
/// supersampled at its edges.
pub(crate) fn draw_print(
    buf: &mut [[f32; 3]],
    covered: &mut [bool],
    w: usize,
    (place, size_mm): (&Placement, (f64, f64)),
    reflectance: impl Fn(f64, f64) -> [f32; 3] + Sync,
) {
    let corners = place.corners_px(size_mm);
    let (wm, hm) = size_mm;
    let mm = [(0.0, 0.0), (wm, 0.0), (wm, hm), (0.0, hm)];
    // A plane's perspective image is a homography: photo pixels back to print mm.
    let Some(back) = Homography::from_points(&corners, &mm) else {
        return;
    };
    let h = buf.len() / w;
    let (x0, x1) = (
        corners.iter().map(|c| c.0).fold(f64::INFINITY, f64::min).floor().max(0.0) as usize,
        (corners.iter().map(|c| c.0).fold(f64::NEG_INFINITY, f64::max).ceil() as usize + 1).min(w),
    );
    let (y0, y1) = (
        corners.iter().map(|c| c.1).fold(f64::INFINITY, f64::min).floor().max(0.0) as usize,
        (corners.iter().map(|c| c.1).fold(f64::NEG_INFINITY, f64::max).ceil() as usize + 1).min(h),
    );
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    buf.par_chunks_mut(w)
        .zip(covered.par_chunks_mut(w))
        .enumerate()
        .skip(y0)
        .take(y1 - y0)
        .for_each(|(y, (row, cov))| {
            for x in x0..x1 {
                let (mut acc, mut n) = ([0f32; 3], 0usize);
                for sy in 0..SUPERSAMPLE {
                    for sx in 0..SUPERSAMPLE {
                        let px = x as f64 + (sx as f64 + 0.5) / SUPERSAMPLE as f64;
                        let py = y as f64 + (sy as f64 + 0.5) / SUPERSAMPLE as f64;
                        let (u, v) = back.apply((px, py));
                        if !(0.0..wm).contains(&u) || !(0.0..hm).contains(&v) {
                            continue;
                        }
                        let r = reflectance(u, v);
                        for c in 0..3 {
                            acc[c] += r[c];
                        }
                        n += 1;
                    }
                }
                if n == 0 {
                    continue;
                }
                let share = n as f32 / (SUPERSAMPLE * SUPERSAMPLE) as f32;
                for c in 0..3 {
                    row[x][c] = row[x][c] * (1.0 - share) + acc[c] / (SUPERSAMPLE * SUPERSAMPLE) as f32;
                }
                cov[x] |= share >= 0.5;
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_on_card_has_its_size_and_a_tilted_one_shrinks_across_its_axis() {
        let print = RgbImage::new(10, 10);
        let mut shot = CardShot {
            print: &print,
            print_px_per_mm: 1.0,
            centre_px: (500.0, 400.0),
            px_per_mm: 4.0,
            rotation_deg: 0.0,
            tilt_deg: 0.0,
            tilt_axis_deg: 0.0,
        };
        let c = shot.corners_px();
        assert!((c[1].0 - c[0].0 - 4.0 * CARD_W_MM).abs() < 1e-9);
        assert!((c[3].1 - c[0].1 - 4.0 * CARD_H_MM).abs() < 1e-9);
        shot.tilt_deg = 30.0;
        let c = shot.corners_px();
        let width = c[1].0 - c[0].0;
        let height = ((c[3].1 - c[0].1) + (c[2].1 - c[1].1)) / 2.0;
        assert!(
            (width - 4.0 * CARD_W_MM).abs() < 0.1 * 4.0 * CARD_W_MM,
            "the axis keeps its length (but for perspective)"
        );
        assert!((height / (4.0 * CARD_H_MM) - 30f64.to_radians().cos()).abs() < 0.02, "{height}");
    }
}
