//! Helpers shared by the render tests: a flat one-region design and area colour means.

#![allow(dead_code)] // each test file uses part of these helpers

pub mod head;

use image::RgbImage;
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};
use smp_design::draft::{DesignDraft, PigmentDraft, RegionDraft};
use smp_design::{Design, Mm, MmToPx, PerCm2, PointMm, RegionKind, Shade, View};

/// A square treat region `side_mm` across, centred on the design origin, seen flat and
/// square-on at `px_per_mm` with the origin at pixel `centre_px`; 0.25 mm needle, shade
/// 0.85, `density` per cm², inked with `pigment` (name, water parts) when given.
pub fn square_design(side_mm: f64, px_per_mm: f64, centre_px: (f64, f64), density: f64, pigment: Option<(&str, u32)>) -> Design {
    let h = side_mm / 2.0;
    let square = vec![PointMm::new(-h, -h), PointMm::new(h, -h), PointMm::new(h, h), PointMm::new(-h, h)];
    let mut r = RegionDraft::new("patch", RegionKind::Treat, square, PerCm2(density), Mm(0.25), Shade(0.85));
    r.pigment = pigment.map(|(name, dilution)| PigmentDraft {
        name: name.into(),
        dilution,
    });
    Design::from_draft(DesignDraft {
        views: vec![View {
            name: "top".into(),
            file: "photo.png".into(),
            mm_to_px: MmToPx::from_similarity(PointMm::new(0.0, 0.0), centre_px, px_per_mm, (1.0, 0.0)),
            head: None,
            mask: None,
            photo_size_px: None,
            analysis: None,
            card: None,
            chart: None,
        }],
        ..DesignDraft::with_regions("test patch", 3, vec![r])
    })
    .unwrap()
}

/// CIELAB of the mean linear colour of `img` inside the pixel box `x0..x1` × `y0..y1`.
pub fn mean_lab(img: &RgbImage, (x0, x1): (u32, u32), (y0, y1): (u32, u32)) -> [f64; 3] {
    let mut sum = [0.0; 3];
    let mut n = 0.0;
    for y in y0..y1 {
        for x in x0..x1 {
            let l = rgb8_to_linear(img.get_pixel(x, y).0);
            (0..3).for_each(|c| sum[c] += l[c]);
            n += 1.0;
        }
    }
    linear_to_lab(sum.map(|s| s / n))
}
