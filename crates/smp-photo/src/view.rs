//! Putting design points on a photo: the view's affine map, the head ellipsoid that
//! foreshortens dots towards the edge of the head, and two-point calibration.

use smp_design::{HeadEllipse, MmToPx, PointMm, View};

/// Where a design point lands in a photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projected {
    /// Pixel column.
    pub x: f64,
    /// Pixel row.
    pub y: f64,
    /// Compression of a dot along `radial` (1 facing the camera, towards 0 at the limb).
    pub foreshorten: f64,
    /// Unit vector in the image pointing away from the head's centre.
    pub radial: (f64, f64),
}

/// Project a design point into a view. With a head ellipse the flat map is wrapped on the
/// ellipsoid it bounds, touching at the ellipse centre: a point `θ` radians of surface
/// away from it lands at `sin θ` of the radius and is compressed by `cos θ` along the
/// radial direction; the far side (`θ ≥ π/2`) is hidden and gives `None`.
pub fn project(view: &View, p: PointMm) -> Option<Projected> {
    project_with(&view.mm_to_px, view.head.as_ref(), p)
}

/// [`project`] from the parts of a view.
pub fn project_with(m: &MmToPx, head: Option<&HeadEllipse>, p: PointMm) -> Option<Projected> {
    let (u, v) = m.apply(p);
    let Some(h) = head else {
        return Some(Projected {
            x: u,
            y: v,
            foreshorten: 1.0,
            radial: (1.0, 0.0),
        });
    };
    let (du, dv) = (u - h.center_px[0], v - h.center_px[1]);
    let (nx, ny) = (du / h.radii_px[0], dv / h.radii_px[1]);
    let theta = (nx * nx + ny * ny).sqrt();
    if theta >= std::f64::consts::FRAC_PI_2 {
        return None;
    }
    let k = if theta < 1e-12 { 1.0 } else { theta.sin() / theta };
    let len = (du * du + dv * dv).sqrt();
    Some(Projected {
        x: h.center_px[0] + du * k,
        y: h.center_px[1] + dv * k,
        foreshorten: theta.cos(),
        radial: if len > 0.0 { (du / len, dv / len) } else { (1.0, 0.0) },
    })
}

/// Default rotation of the design's axes in a photo, degrees, by view name: on top, back
/// and crown photos the forehead is up (design +y points down the image); the front photo
/// faces the client (rotated 180°); on side photos the face points towards the image edge
/// nearest that side.
pub fn preset_rotation_deg(view_name: &str) -> f64 {
    match view_name {
        "front" => 180.0,
        "left" => -90.0,
        "right" => 90.0,
        _ => 0.0,
    }
}

/// The standard views of a consultation, as the app names them: each has its place on
/// the head (and its default rotation, [`preset_rotation_deg`]).
pub const STANDARD_VIEWS: [&str; 6] = ["top", "front", "left", "right", "back", "crown"];

/// What calibration needs: two pixels a known distance apart (a ruler or a coin), and
/// one pixel whose design position is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// First end of the known distance, pixels.
    pub p1_px: (f64, f64),
    /// Second end, pixels.
    pub p2_px: (f64, f64),
    /// The distance between them, mm.
    pub distance_mm: f64,
    /// A pixel whose design position is known …
    pub ref_px: (f64, f64),
    /// … that design position, mm.
    pub ref_mm: PointMm,
    /// Rotation of the design axes in the photo, degrees (see [`preset_rotation_deg`]).
    pub rotation_deg: f64,
}

/// Why a calibration cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrationError {
    /// The two points coincide.
    #[error("the two calibration points are the same pixel; mark both ends of the ruler or coin")]
    SamePoint,
    /// The distance is not a positive length.
    #[error("distance {0} mm is not a positive length; give the real distance between the points in mm")]
    BadDistance(f64),
    /// The scale is implausible for a scalp photo.
    #[error(
        "{0:.3} pixels per mm is implausible for a scalp photo (expected 0.5–200); check the points and that the distance is in mm, not cm or inches"
    )]
    Implausible(f64),
}

/// The affine map of a calibration.
pub fn calibrate(c: &Calibration) -> Result<MmToPx, CalibrationError> {
    let (dx, dy) = (c.p2_px.0 - c.p1_px.0, c.p2_px.1 - c.p1_px.1);
    let px = (dx * dx + dy * dy).sqrt();
    if px == 0.0 {
        return Err(CalibrationError::SamePoint);
    }
    if !(c.distance_mm.is_finite() && c.distance_mm > 0.0) {
        return Err(CalibrationError::BadDistance(c.distance_mm));
    }
    let scale = px / c.distance_mm;
    if !(0.5..=200.0).contains(&scale) {
        return Err(CalibrationError::Implausible(scale));
    }
    let a = c.rotation_deg.to_radians();
    Ok(MmToPx::from_similarity(c.ref_mm, c.ref_px, scale, (a.cos(), a.sin())))
}

/// The same view on a copy of its photo resized by `k` (e.g. 0.4 for a 4000 px photo
/// shown at 1600 px): the map, the head outline, the mask edits and the analysis's
/// cells scale with it.
pub fn scaled_view(view: &View, k: f64) -> View {
    let mut v = view.clone();
    v.mm_to_px = MmToPx(view.mm_to_px.0.map(|c| c * k));
    if let Some(h) = &mut v.head {
        h.center_px = h.center_px.map(|c| c * k);
        h.radii_px = h.radii_px.map(|c| c * k);
    }
    if let Some(a) = &mut v.analysis {
        a.cell_px *= k;
        a.photo_px = a.photo_px.map(|c| (f64::from(c) * k).round() as u32);
        for p in a.seeds.hair_px.iter_mut().chain(a.seeds.scalp_px.iter_mut()) {
            *p = p.map(|c| c * k);
        }
    }
    if let Some(m) = &mut v.mask {
        for e in &mut m.edits {
            for p in &mut e.polygon_px {
                *p = p.map(|c| c * k);
            }
        }
    }
    if let Some(c) = &mut v.card {
        c.corners_px = c.corners_px.map(|p| p.map(|x| x * k));
        c.px_per_mm *= k;
    }
    if let Some(c) = &mut v.chart {
        c.corner_patches_px = c.corner_patches_px.map(|p| p.map(|x| x * k));
    }
    v.photo_size_px = view.photo_size_px.map(|s| s.map(|c| (f64::from(c) * k).round().max(1.0) as u32));
    v
}

/// Largest difference of aspect ratio (relative) for which a photo counts as a resized
/// copy of the one a view was calibrated on: re-exports round each side to a pixel and
/// some apps crop a row or two.
pub const SAME_ASPECT_TOLERANCE: f64 = 0.01;

/// A photo whose size does not match its view's calibration.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "the photo is {photo_w}×{photo_h} pixels but view '{view}' was calibrated on a {view_w}×{view_h} photo with a different shape; use the photo the view was calibrated on, or calibrate the view again on this one"
)]
pub struct PhotoSizeMismatch {
    /// The view's name.
    pub view: String,
    /// The photo's width, px.
    pub photo_w: u32,
    /// The photo's height, px.
    pub photo_h: u32,
    /// The calibrated photo's width, px.
    pub view_w: u32,
    /// The calibrated photo's height, px.
    pub view_h: u32,
}

/// The view to use on a photo of `width_px` × `height_px` (upright): the view itself
/// when the sizes agree (or the view does not know its size), a scaled copy with a note
/// saying so when the photo is the same shape at another size, else an error naming
/// both sizes.
pub fn view_for_photo(view: &View, width_px: u32, height_px: u32) -> Result<(View, Option<String>), PhotoSizeMismatch> {
    let Some([vw, vh]) = view.photo_size_px else {
        return Ok((view.clone(), None));
    };
    if [vw, vh] == [width_px, height_px] {
        return Ok((view.clone(), None));
    }
    let aspect = |w: u32, h: u32| f64::from(w) / f64::from(h.max(1));
    let (a, b) = (aspect(width_px, height_px), aspect(vw, vh));
    if ((a - b) / b).abs() > SAME_ASPECT_TOLERANCE {
        return Err(PhotoSizeMismatch {
            view: view.name.clone(),
            photo_w: width_px,
            photo_h: height_px,
            view_w: vw,
            view_h: vh,
        });
    }
    let k = f64::from(width_px) / f64::from(vw);
    let mut scaled = scaled_view(view, k);
    scaled.photo_size_px = Some([width_px, height_px]);
    let note = format!(
        "the photo is {width_px}×{height_px} pixels, view '{}' was calibrated on {vw}×{vh}: its calibration is scaled by {k:.3} to match",
        view.name
    );
    Ok((scaled, Some(note)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_from_a_coin() {
        // A UK 10p coin (24.5 mm) spanning 98 px: 4 px/mm.
        let c = Calibration {
            p1_px: (100.0, 100.0),
            p2_px: (198.0, 100.0),
            distance_mm: 24.5,
            ref_px: (600.0, 200.0),
            ref_mm: PointMm::new(0.0, 80.0),
            rotation_deg: 0.0,
        };
        let m = calibrate(&c).unwrap();
        assert!((m.px_per_mm() - 4.0).abs() < 1e-9);
        let (x, y) = m.apply(PointMm::new(10.0, 90.0));
        assert!((x - 640.0).abs() < 1e-9 && (y - 240.0).abs() < 1e-9);
        let side = calibrate(&Calibration {
            rotation_deg: preset_rotation_deg("left"),
            ..c.clone()
        })
        .unwrap();
        let (x, y) = side.apply(PointMm::new(-10.0, 90.0));
        assert!((x - 640.0).abs() < 1e-9 && (y - 240.0).abs() < 1e-9, "{x},{y}");
        assert_eq!(
            calibrate(&Calibration {
                p2_px: c.p1_px,
                ..c.clone()
            }),
            Err(CalibrationError::SamePoint)
        );
        assert!(matches!(
            calibrate(&Calibration {
                distance_mm: 0.0,
                ..c.clone()
            }),
            Err(CalibrationError::BadDistance(_))
        ));
        assert!(matches!(
            calibrate(&Calibration { distance_mm: 0.0245, ..c }),
            Err(CalibrationError::Implausible(_))
        ));
    }

    #[test]
    fn the_head_ellipsoid_foreshortens_towards_the_edge() {
        let m = MmToPx::from_similarity(PointMm::new(0.0, 0.0), (500.0, 500.0), 2.0, (1.0, 0.0));
        let head = HeadEllipse {
            center_px: [500.0, 500.0],
            radii_px: [200.0, 200.0],
        };
        let c = project_with(&m, Some(&head), PointMm::new(0.0, 0.0)).unwrap();
        assert_eq!((c.x, c.y, c.foreshorten), (500.0, 500.0, 1.0));
        // 50 mm = 100 px of surface = 0.5 rad: lands at 200·sin(0.5) px, compressed cos(0.5).
        let e = project_with(&m, Some(&head), PointMm::new(50.0, 0.0)).unwrap();
        assert!((e.x - (500.0 + 200.0 * 0.5f64.sin())).abs() < 1e-9);
        assert!((e.foreshorten - 0.5f64.cos()).abs() < 1e-12);
        assert_eq!(e.radial, (1.0, 0.0));
        assert!(project_with(&m, Some(&head), PointMm::new(200.0, 0.0)).is_none(), "far side hidden");
    }

    #[test]
    fn a_photo_is_checked_against_the_size_its_view_was_calibrated_on() {
        let view = View {
            name: "top".into(),
            file: "top.jpg".into(),
            mm_to_px: MmToPx::from_similarity(PointMm::new(0.0, 0.0), (400.0, 300.0), 4.0, (1.0, 0.0)),
            head: Some(HeadEllipse {
                center_px: [400.0, 300.0],
                radii_px: [300.0, 250.0],
            }),
            mask: None,
            photo_size_px: Some([800, 600]),
            analysis: None,
            card: None,
            chart: None,
        };
        let (same, note) = view_for_photo(&view, 800, 600).unwrap();
        assert_eq!((same, note), (view.clone(), None));
        // Half size, same shape: the calibration halves with it and the user is told.
        let (half, note) = view_for_photo(&view, 400, 300).unwrap();
        assert!((half.mm_to_px.px_per_mm() - 2.0).abs() < 1e-12);
        assert_eq!(half.head.unwrap().radii_px, [150.0, 125.0]);
        assert_eq!(half.photo_size_px, Some([400, 300]));
        assert!(note.unwrap().contains("scaled by 0.500"));
        // A re-export that rounds one side (within 1 % of the shape) is still accepted.
        assert!(view_for_photo(&view, 1601, 1200).is_ok());
        // Portrait instead of landscape, or a crop: refused, naming both sizes.
        let e = view_for_photo(&view, 600, 800).unwrap_err();
        assert!(e.to_string().contains("600×800") && e.to_string().contains("800×600"), "{e}");
        assert!(view_for_photo(&view, 800, 500).is_err());
        // A view from before sizes were stored is used as it is.
        let old = View {
            photo_size_px: None,
            ..view
        };
        assert_eq!(view_for_photo(&old, 123, 456).unwrap().1, None);
    }
}
