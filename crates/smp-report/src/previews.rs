//! Before/after previews for the report: the photo and the design rendered fresh,
//! healed and aged, each small enough for a page.

use image::RgbImage;
use image::imageops::{FilterType, resize};
use rayon::prelude::*;
use smp_color::pigments::PigmentLibrary;
use smp_design::{Design, View};
use smp_dots::{Impressions, Selection};
use smp_photo::view::scaled_view;
use smp_render::preview::preview;
use smp_render::state::PreviewState;

use crate::constants::{AGED_YEARS, JPEG_QUALITY, PREVIEW_WIDTH_PX, RENDER_WIDTH_PX};
use crate::error::ReportError;
use crate::input::ProgressPhotos;
use smp_plan::CivilDate;

/// One labelled picture, JPEG-encoded.
#[derive(Debug, Clone)]
pub struct Picture {
    /// Caption.
    pub label: String,
    /// JPEG bytes.
    pub jpeg: Vec<u8>,
}

/// Share of the treated area's size added around it when cropping, so the client sees
/// the hairline in the context of the face and head.
const CROP_MARGIN: f64 = 0.15;

/// The part of the photo that shows the design's regions, with a margin: `[x, y, w, h]`
/// in pixels; the whole photo when no region point lands in it.
pub fn scalp_crop(design: &Design, view: &View, width: u32, height: u32) -> [u32; 4] {
    let pts: Vec<(f64, f64)> = design
        .regions()
        .iter()
        .flat_map(|r| r.polygon.iter())
        .filter_map(|&p| smp_photo::view::project(view, p))
        .map(|q| (q.x, q.y))
        .collect();
    if pts.is_empty() {
        return [0, 0, width, height];
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (x, y) in pts {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let m = CROP_MARGIN * (x1 - x0).max(y1 - y0);
    let clamp = |v: f64, hi: u32| v.clamp(0.0, f64::from(hi)) as u32;
    let (ax, ay) = (clamp(x0 - m, width), clamp(y0 - m, height));
    let (bx, by) = (clamp(x1 + m, width), clamp(y1 + m, height));
    if bx <= ax || by <= ay {
        return [0, 0, width, height];
    }
    [ax, ay, bx - ax, by - ay]
}

/// The states shown after the "before" photo.
pub fn states() -> [PreviewState; 3] {
    [PreviewState::Fresh, PreviewState::Healed, PreviewState::Aged(AGED_YEARS)]
}

/// Before, fresh, healed and aged pictures of the whole treatment.
pub fn pictures(
    photo: &RgbImage,
    design: &Design,
    view: &View,
    imp: &Impressions,
    library: &PigmentLibrary,
) -> Result<Vec<Picture>, ReportError> {
    // Render on a reduced photo: the page shows ~640 px, and rendering at the photo's
    // full resolution would cost seconds for no visible gain.
    let k = (f64::from(RENDER_WIDTH_PX) / f64::from(photo.width())).min(1.0);
    let (work, view) = if k < 1.0 {
        let h = ((f64::from(photo.height()) * k).round() as u32).max(1);
        (resize(photo, RENDER_WIDTH_PX, h, FilterType::Triangle), scaled_view(view, k))
    } else {
        (photo.clone(), view.clone())
    };
    let crop = scalp_crop(design, &view, work.width(), work.height());
    let mut out = vec![("before".to_string(), work.clone())];
    let rendered: Result<Vec<_>, ReportError> = states()
        .into_par_iter()
        .map(|state| {
            preview(&work, design, &view, imp, state, Selection::All, library)
                .map(|img| (format!("after: {state}"), img))
                .map_err(|e| ReportError::BadInput(format!("design {:?}: {e}", design.name())))
        })
        .collect();
    out.extend(rendered?);
    out.into_par_iter()
        .map(|(label, img)| {
            let [x, y, w, h] = crop;
            picture(label, &image::imageops::crop_imm(&img, x, y, w, h).to_image())
        })
        .collect()
}

/// The progress page's two photos, earlier first, captioned with their visits' dates.
pub fn progress_pictures(p: &ProgressPhotos<'_>) -> Result<[Picture; 2], ReportError> {
    let caption = |when: &str, date: Option<CivilDate>| match date {
        Some(d) => format!("{when}: {d}"),
        None => format!("{when} visit"),
    };
    let (a, b) = rayon::join(
        || picture(caption("earlier", p.earlier_date), p.earlier),
        || picture(caption("later", p.later_date), p.later),
    );
    Ok([a?, b?])
}

/// `img` shrunk to the page's picture width and JPEG-encoded under `label`.
fn picture(label: String, img: &RgbImage) -> Result<Picture, ReportError> {
    let small = shrink(img, PREVIEW_WIDTH_PX);
    // JPEG: photos compress ~8× smaller than PNG at no visible loss on a page.
    let jpeg = smp_photo::encode::jpeg(&small, JPEG_QUALITY).map_err(|e| ReportError::Encode {
        what: label.clone(),
        message: e.to_string(),
    })?;
    Ok(Picture { label, jpeg })
}

fn shrink(img: &RgbImage, width: u32) -> RgbImage {
    if img.width() <= width {
        return img.clone();
    }
    let h = ((f64::from(img.height()) * f64::from(width) / f64::from(img.width())).round() as u32).max(1);
    resize(img, width, h, FilterType::Triangle)
}
