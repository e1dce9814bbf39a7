//! The libraries' work for the web: parse a design sent by the editor, its dots in a
//! view's pixels, calibration, previews and the plan. CPU-bound; handlers run these on
//! the blocking pool.

use smp_store::PhotoId;
use std::sync::Arc;

use image::RgbImage;
use serde::Serialize;
use smp_color::pigments::PigmentLibrary;
use smp_design::{Design, DesignDraft, MmToPx, PointMm, View};
use smp_dots::{Impressions, Selection};
use smp_photo::view::{Calibration, calibrate, preset_rotation_deg, project};
use smp_render::state::PreviewState;

use crate::error::{AppError, AppResult};

/// Prefix of a view's `file` in app-stored designs: the photo's content hash.
pub const HASH_PREFIX: &str = "sha256:";

/// A design from the editor's JSON (field-path errors as 422).
pub fn parse_design(value: &serde_json::Value) -> AppResult<Design> {
    smp_design::limits::check_sizes(value)?;
    Ok(Design::parse(&value.to_string())?)
}

/// The design as the JSON object the editor edits.
pub fn design_value(design: &Design) -> serde_json::Value {
    serde_json::from_str(&design.to_json()).expect("a design serialises to JSON")
}

/// `upto` from the editor: 0 = all sessions, N = sessions 1..=N.
pub fn selection(design: &Design, upto: u8) -> AppResult<Selection> {
    let n = design.sessions().cumulative.len();
    match upto {
        0 => Ok(Selection::All),
        u if usize::from(u) <= n => Ok(Selection::Upto(u)),
        u => Err(AppError::field(
            "upto",
            format!("upto {u} is out of range: the design has sessions 1 to {n}"),
        )),
    }
}

/// A lint warning for the editor.
#[derive(Debug, Serialize)]
pub struct LintJson {
    /// Stable code.
    pub code: &'static str,
    /// Field path.
    pub path: String,
    /// What looks wrong and what to do.
    pub message: String,
}

/// The answer of `POST /api/v1/dots`.
#[derive(Debug, Serialize)]
pub struct DotsJson {
    /// Impressions selected.
    pub count: usize,
    /// Impressions of the whole design.
    pub total: usize,
    /// Selected impressions per session.
    pub per_session: Vec<usize>,
    /// Photo pixel positions, flat `[x0, y0, x1, y1, …]` (0.1 px), in the view.
    pub px: Vec<f32>,
    /// Drawn diameter of each dot, px (foreshortening included).
    pub d_px: Vec<f32>,
    /// Lint warnings of the design.
    pub lint: Vec<LintJson>,
}

/// The view called `name` (422 naming the views there are).
pub fn view<'a>(design: &'a Design, name: &str) -> AppResult<&'a View> {
    design.view(name).ok_or_else(|| {
        let names: Vec<_> = design.views().iter().map(|v| v.name.as_str()).collect();
        AppError::field(
            "view",
            format!(
                "the design has no view '{name}' (it has: {}); calibrate the photo first",
                if names.is_empty() { "none".into() } else { names.join(", ") }
            ),
        )
    })
}

/// Dots of a design in a view's pixels.
pub fn dots(design: &Design, imp: &Impressions, view_name: &str, upto: u8) -> AppResult<DotsJson> {
    let sel = selection(design, upto)?;
    let v = view(design, view_name)?;
    let ppm = v.mm_to_px.px_per_mm();
    let (mut px, mut d_px) = (Vec::new(), Vec::new());
    let mut per_session = vec![0; design.sessions().cumulative.len()];
    for i in imp.select(sel) {
        per_session[usize::from(i.session) - 1] += 1;
        if let Some(p) = project(v, i.pos()) {
            px.push((p.x * 10.0).round() as f32 / 10.0);
            px.push((p.y * 10.0).round() as f32 / 10.0);
            d_px.push((i.diameter_mm * ppm * p.foreshorten.sqrt() * 100.0).round() as f32 / 100.0);
        }
    }
    let mut lint: Vec<LintJson> = smp_design::lint::lint(design)
        .into_iter()
        .map(|w| LintJson {
            code: w.code,
            path: w.path,
            message: format!("{} {}", w.message, w.hint),
        })
        .collect();
    lint.extend(crate::placement::placement_lint(v, &px));
    Ok(DotsJson {
        count: per_session.iter().sum(),
        total: imp.dots.len(),
        per_session,
        px,
        d_px,
        lint,
    })
}

/// The calibration the editor's three clicks make.
#[derive(Debug, serde::Deserialize)]
pub struct CalibrateRequest {
    /// The design being edited.
    pub design: serde_json::Value,
    /// View name (`top`, `front`, …).
    pub view: String,
    /// The photo.
    pub photo_id: PhotoId,
    /// First end of the known distance, px (ruler or coin).
    #[serde(default)]
    pub p1_px: Option<[f64; 2]>,
    /// Second end, px.
    #[serde(default)]
    pub p2_px: Option<[f64; 2]>,
    /// Distance between them, mm.
    #[serde(default)]
    pub distance_mm: Option<f64>,
    /// The two pupil centres as clicked, px: the scale instead of a ruler or coin.
    #[serde(default)]
    pub pupils_px: Option<[[f64; 2]; 2]>,
    /// The client's measured interpupillary distance, mm (default: the 63 mm adult mean).
    #[serde(default)]
    pub ipd_mm: Option<f64>,
    /// Find the calibration card in the photo: the scale and the colour correction come
    /// from it.
    #[serde(default)]
    pub card: bool,
    /// Where the glabella (or `ref_mm`) is in the photo, px.
    pub ref_px: [f64; 2],
    /// The design point at `ref_px`, mm; the design's glabella landmark by default.
    #[serde(default)]
    pub ref_mm: Option<[f64; 2]>,
}

/// A known distance in the photo: two points and the millimetres between them.
#[derive(Debug, Clone, Copy)]
pub struct KnownDistance {
    /// First end, px.
    pub p1_px: [f64; 2],
    /// Second end, px.
    pub p2_px: [f64; 2],
    /// Distance between them, mm.
    pub distance_mm: f64,
}

/// The ruler or coin of a calibration request.
pub fn ruler(req: &CalibrateRequest) -> AppResult<KnownDistance> {
    match (req.p1_px, req.p2_px, req.distance_mm) {
        (Some(p1_px), Some(p2_px), Some(distance_mm)) => Ok(KnownDistance { p1_px, p2_px, distance_mm }),
        _ => Err(AppError::field(
            "distance_mm",
            "mark both ends of the ruler or coin and give the distance between them, or click the two pupils",
        )),
    }
}

/// What sets a view's scale.
#[derive(Debug, Clone, Copy)]
pub enum ViewScale {
    /// A known distance (ruler, coin, pupils).
    Known(KnownDistance),
    /// The calibration card found in the photo.
    Card(smp_design::CardRecord),
}

/// The card in `photo` as a view stores it; a field error saying why when it is not found.
pub fn find_card(photo: &RgbImage) -> AppResult<smp_design::CardRecord> {
    smp_photo::card::card_record(photo).map_err(|e| AppError::field("card", e.to_string()))
}

/// The design with the calibrated view of photo `sha256` put in (replacing one of the
/// same name), `scale` setting its scale.
pub fn calibrated(req: &CalibrateRequest, scale: ViewScale, sha256: &str, photo_size_px: [u32; 2]) -> AppResult<Design> {
    let design = parse_design(&req.design)?;
    let ref_mm = match (req.ref_mm, design.glabella()) {
        (Some([x, y]), _) => PointMm::new(x, y),
        (None, Some(g)) => g,
        (None, None) => PointMm::new(0.0, 0.0),
    };
    let rotation_deg = preset_rotation_deg(&req.view);
    let map: MmToPx = match scale {
        ViewScale::Known(known) => calibrate(&Calibration {
            p1_px: (known.p1_px[0], known.p1_px[1]),
            p2_px: (known.p2_px[0], known.p2_px[1]),
            distance_mm: known.distance_mm,
            ref_px: (req.ref_px[0], req.ref_px[1]),
            ref_mm,
            rotation_deg,
        })
        .map_err(|e| AppError::field("distance_mm", e.to_string()))?,
        ViewScale::Card(c) => {
            let t = rotation_deg.to_radians();
            MmToPx::from_similarity(ref_mm, (req.ref_px[0], req.ref_px[1]), c.px_per_mm, (t.cos(), t.sin()))
        }
    };
    let mut draft: DesignDraft = design.to_draft();
    // The head outline, mask, analysis, card and chart are of the same photo: they survive a recalibration.
    let old = draft.views.iter().find(|v| v.name == req.view && v.file.ends_with(sha256)).cloned();
    draft.views.retain(|v| v.name != req.view);
    draft.views.push(View {
        name: req.view.clone(),
        file: format!("{HASH_PREFIX}{sha256}"),
        mm_to_px: map,
        head: old.as_ref().and_then(|v| v.head),
        mask: old.as_ref().and_then(|v| v.mask.clone()),
        photo_size_px: Some(photo_size_px),
        card: match scale {
            ViewScale::Card(c) => Some(c),
            ViewScale::Known(_) => old.as_ref().and_then(|v| v.card),
        },
        chart: old.as_ref().and_then(|v| v.chart),
        analysis: old.and_then(|v| v.analysis),
    });
    Ok(Design::from_draft(draft)?)
}

/// The content hash a view's photo is stored under.
pub fn view_hash(v: &View) -> AppResult<&str> {
    v.file.strip_prefix(HASH_PREFIX).ok_or_else(|| {
        AppError::field(
            "view.file",
            format!(
                "view '{}' points at file '{}', not at an uploaded photo; calibrate it in the editor",
                v.name, v.file
            ),
        )
    })
}

/// `photo` shrunk to at most `max_width_px` wide, with the view scaled to match.
pub fn fit(photo: &Arc<RgbImage>, v: &View, max_width_px: u32) -> (Arc<RgbImage>, View) {
    if photo.width() <= max_width_px {
        return (photo.clone(), v.clone());
    }
    let k = f64::from(max_width_px) / f64::from(photo.width());
    let h = ((f64::from(photo.height()) * k).round() as u32).max(1);
    let small = image::imageops::resize(photo.as_ref(), max_width_px, h, image::imageops::FilterType::Triangle);
    (Arc::new(small), smp_photo::view::scaled_view(v, k))
}

/// How a preview image is sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// Lossless PNG.
    #[default]
    Png,
    /// JPEG at quality 90 (full-resolution colour): what a screen needs, a tenth of the bytes.
    Jpeg,
}

impl ImageFormat {
    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
}

/// JPEG quality of on-screen previews: high enough that the encoding does not smear the dots.
const PREVIEW_JPEG_QUALITY: u8 = 90;

/// The preview of a design on a (fitted) photo, encoded as `format`.
pub fn preview_image(
    photo: &RgbImage,
    design: &Design,
    v: &View,
    imp: &Impressions,
    state: PreviewState,
    sel: Selection,
    format: ImageFormat,
) -> AppResult<Vec<u8>> {
    let img = smp_render::preview::preview(photo, design, v, imp, state, sel, &PigmentLibrary::builtin())
        .map_err(|e| AppError::field("regions.pigment", e.to_string()))?;
    match format {
        ImageFormat::Png => png(&img),
        ImageFormat::Jpeg => smp_photo::encode::jpeg(&img, PREVIEW_JPEG_QUALITY)
            .map_err(|e| AppError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
    }
}

/// `img` as a fast-compressed PNG.
pub fn png(img: &RgbImage) -> AppResult<Vec<u8>> {
    let mut out = Vec::new();
    let enc = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Sub,
    );
    img.write_with_encoder(enc)
        .map_err(|e| AppError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(out)
}
