//! Where the camera stands for each view: image size, scale, the design's calibrated
//! map and head ellipse, and the two directions between image and scalp.
//!
//! Image millimetres `(u, v)` are measured from the head ellipse's centre, `u` to the
//! image's right and `v` down, at the photo's scale; the body is laid out in them.

use smp_design::{HeadEllipse, MmToPx, PointMm};

use super::SynthView;
use super::geom::P2;
use smp_photo::view::{Projected, preset_rotation_deg, project_with};

/// The camera of one synthetic photo.
#[derive(Debug, Clone)]
pub(crate) struct Camera {
    /// Image width, pixels.
    pub width: u32,
    /// Image height, pixels.
    pub height: u32,
    /// Pixels per millimetre.
    pub ppm: f64,
    /// Design mm → pixels (before wrapping onto the head).
    pub map: MmToPx,
    /// The head outline the flat map is wrapped onto.
    pub head: HeadEllipse,
    /// Head radii in image mm (half-width, half-height).
    pub radii: P2,
    /// +1, or −1 for the right view (a mirrored left view).
    pub mirror: f64,
}

/// Per view: the design point the camera looks straight at (where the flat map touches
/// the head), the head radii in image mm, the head centre as a fraction of the image,
/// and the image width in mm.
fn setup(view: SynthView) -> ((f64, f64), P2, P2, f64) {
    match view {
        // Vertex in the middle; head breadth ~155 mm, length ~195–200 mm.
        SynthView::Top => ((0.0, 190.0), (78.0, 100.0), (0.5, 0.47), 250.0),
        // The forehead in the middle (the brows ~34 mm below it); the face hangs below
        // the cranium, whose top edge is the scalp around y ≈ 160.
        SynthView::Front => ((0.0, 35.0), (78.0, 80.0), (0.5, 0.33), 270.0),
        // The side of the head just above the ear.
        SynthView::Left => ((-110.0, 175.0), (96.0, 85.0), (0.55, 0.40), 270.0),
        SynthView::Right => ((110.0, 175.0), (96.0, 85.0), (0.45, 0.40), 270.0),
        // The occiput in the middle.
        SynthView::Back => ((0.0, 300.0), (80.0, 90.0), (0.5, 0.40), 250.0),
    }
}

impl Camera {
    /// The camera of `view` for an image `width` pixels wide (height = 1.25 × width).
    pub(crate) fn new(view: SynthView, width: u32) -> Self {
        let ((tx, ty), radii, (fx, fy), width_mm) = setup(view);
        let height = (f64::from(width) * 1.25).round() as u32;
        let ppm = f64::from(width) / width_mm;
        let centre = (fx * f64::from(width), fy * f64::from(height));
        let a = preset_rotation_deg(view.as_str()).to_radians();
        let map = MmToPx::from_similarity(PointMm::new(tx, ty), centre, ppm, (a.cos(), a.sin()));
        Camera {
            width,
            height,
            ppm,
            map,
            head: HeadEllipse {
                center_px: [centre.0, centre.1],
                radii_px: [radii.0 * ppm, radii.1 * ppm],
            },
            radii,
            mirror: if view == SynthView::Right { -1.0 } else { 1.0 },
        }
    }

    /// Image mm of a pixel position.
    pub(crate) fn img_mm(&self, px: f64, py: f64) -> P2 {
        ((px - self.head.center_px[0]) / self.ppm, (py - self.head.center_px[1]) / self.ppm)
    }

    /// Pixel position of image mm.
    pub(crate) fn px(&self, (u, v): P2) -> P2 {
        (self.head.center_px[0] + u * self.ppm, self.head.center_px[1] + v * self.ppm)
    }

    /// The design point seen at image mm `(u, v)`, inverting the wrap of
    /// [`project_with`]; `None` off the head hemisphere.
    pub(crate) fn surface(&self, (u, v): P2) -> Option<PointMm> {
        let q = ((u / self.radii.0).powi(2) + (v / self.radii.1).powi(2)).sqrt();
        if q >= 1.0 {
            return None;
        }
        let k = if q < 1e-9 { 1.0 } else { q.asin() / q };
        let (px, py) = self.px((u * k, v * k));
        self.map.invert(px, py)
    }

    /// The design-mm box of the scalp this photo can show, with `pad` mm to spare:
    /// the design points seen on a coarse grid of the image.
    pub(crate) fn visible_bounds(&self, pad: f64) -> (P2, P2) {
        let (mut lo, mut hi) = ((f64::INFINITY, f64::INFINITY), (f64::NEG_INFINITY, f64::NEG_INFINITY));
        let n = 64;
        for j in 0..=n {
            for i in 0..=n {
                let px = f64::from(self.width) * i as f64 / n as f64;
                let py = f64::from(self.height) * j as f64 / n as f64;
                if let Some(p) = self.surface(self.img_mm(px, py)) {
                    lo = (lo.0.min(p.x), lo.1.min(p.y));
                    hi = (hi.0.max(p.x), hi.1.max(p.y));
                }
            }
        }
        ((lo.0 - pad, lo.1 - pad), (hi.0 + pad, hi.1 + pad))
    }

    /// Where a design point lands in the image (pixels), with its foreshortening.
    pub(crate) fn project(&self, p: PointMm) -> Option<Projected> {
        project_with(&self.map, Some(&self.head), p)
    }

    /// Image mm of a design point, if it faces the camera.
    pub(crate) fn project_mm(&self, p: PointMm) -> Option<P2> {
        self.project(p).map(|q| self.img_mm(q.x, q.y))
    }
}
