//! The editor's "Fit to photo": the photo's analysis (stored, or redone with the user's
//! hair and scalp points), the design fitted to it, a summary in plain words, and the
//! label overlay. CPU-bound; handlers run these on the blocking pool.

use image::RgbImage;
use serde::{Deserialize, Serialize};
use smp_design::{Mm, RegionKind, View};
use smp_photo::analyze::{Seeds, ViewLabelsError, draw_overlay, from_stored, view_labels};
use smp_photo::fit::{FitOptions, HAIRLINE_RANGE_MM, HairlineFit, fit_design};

use crate::engine::{design_value, parse_design};
use crate::error::{AppError, AppResult};

/// Body of `POST /api/v1/fit`.
#[derive(Debug, Deserialize)]
pub struct FitRequest {
    /// The (unsaved) design being edited.
    pub design: serde_json::Value,
    /// The view to fit.
    pub view: String,
    /// Hair and bare-scalp points the user marked, photo pixels; empty: reuse the stored analysis.
    #[serde(default)]
    pub seeds: Seeds,
    /// Mid-frontal hairline height above the glabella, mm (default 80).
    #[serde(default)]
    pub hairline_mm: Option<f64>,
}

/// What the fit made.
#[derive(Debug, Serialize)]
pub struct FitJson {
    /// The fitted design (the analysis stored in its view).
    pub design: serde_json::Value,
    /// The fit in one line of plain words.
    pub summary: String,
    /// Bald scalp treated, cm².
    pub treated_cm2: f64,
    /// Thinning scalp blended, cm².
    pub blended_cm2: f64,
    /// `proposed`, `intact` or `not_seen`.
    pub hairline: &'static str,
    /// Proposed hairline height above the glabella, mm.
    pub hairline_mm: Option<f64>,
    /// Whether the photo was analysed again (new points, or no stored analysis).
    pub analysed: bool,
    /// Things the practitioner should know.
    pub warnings: Vec<String>,
}

fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn labels_error(e: ViewLabelsError) -> AppError {
    match e {
        ViewLabelsError::Design(d) => d.into(),
        e => AppError::field("view", e.to_string()),
    }
}

/// Fit `req.design` to its view's `photo`.
pub fn fit(req: &FitRequest, photo: &RgbImage) -> AppResult<FitJson> {
    if let Some(h) = req.hairline_mm
        && !(h.is_finite() && (HAIRLINE_RANGE_MM.0..=HAIRLINE_RANGE_MM.1).contains(&h))
    {
        return Err(AppError::field(
            "hairline_mm",
            format!(
                "a hairline {h} mm above the brow is outside {}–{} mm (clinically 70–100, usually 80)",
                HAIRLINE_RANGE_MM.0, HAIRLINE_RANGE_MM.1
            ),
        ));
    }
    let design = parse_design(&req.design)?;
    let got = view_labels(&design, &req.view, photo, &req.seeds).map_err(labels_error)?;
    let opts = FitOptions {
        hairline_mm: req.hairline_mm.map(Mm),
    };
    let fitted = fit_design(&got.design, &req.view, photo, &got.labels, opts).map_err(|e| AppError::field("view", e.to_string()))?;
    let area = |k: RegionKind| fitted.regions.iter().filter(|r| r.kind == k).map(|r| r.area_cm2).sum::<f64>();
    let (treated, blended) = (area(RegionKind::Treat), area(RegionKind::Blend));
    let (hairline, hairline_mm, said) = match &fitted.hairline {
        HairlineFit::Proposed { height_mm, .. } => (
            "proposed",
            Some(r1(*height_mm)),
            format!("hairline proposed at {height_mm:.0} mm above the brow"),
        ),
        HairlineFit::Intact => ("intact", None, "the client's own hairline is intact, so no new one".into()),
        HairlineFit::NotSeen => ("not_seen", None, "hairline not in this photo, kept as it was".into()),
    };
    let ink = fitted.pigment.as_ref().map_or(String::new(), |m| {
        format!(" Pigment matched to the client's skin and hair: {} at 1:{}.", m.pigment, m.dilution)
    });
    // A new photo had no head outline: the reading found one, which the user should check.
    let had_head = design.view(&req.view).is_some_and(|v| v.head.is_some());
    let found_head = !had_head && fitted.design.view(&req.view).is_some_and(|v| v.head.is_some());
    let outline = if found_head {
        " The head's outline was found from the photo: check the dashed line, and drag it with the Head outline tool if it is off."
    } else {
        ""
    };
    let summary = format!("Bald area {treated:.0} cm² treated; thinning {blended:.0} cm² blended; {said}.{ink}{outline}");
    Ok(FitJson {
        design: design_value(&fitted.design),
        summary,
        treated_cm2: r1(treated),
        blended_cm2: r1(blended),
        hairline,
        hairline_mm,
        analysed: got.analysis.is_some(),
        warnings: fitted.warnings,
    })
}

/// The view's stored analysis drawn over its photo, at most `max_width_px` wide.
pub fn overlay(view: &View, photo: &RgbImage, max_width_px: u32) -> AppResult<RgbImage> {
    let stored = view
        .analysis
        .as_ref()
        .ok_or_else(|| AppError::field("view", "this photo has not been read yet: click Fit to photo first"))?;
    if stored.photo_px != [photo.width(), photo.height()] {
        return Err(AppError::field(
            "view",
            "the photo reading belongs to another photo: click Fit to photo again",
        ));
    }
    let labels = from_stored(stored).map_err(|e| AppError::field("view", e.to_string()))?;
    let img = draw_overlay(photo, &labels, &[], &[]);
    if img.width() <= max_width_px {
        return Ok(img);
    }
    let h = ((f64::from(img.height()) * f64::from(max_width_px) / f64::from(img.width())).round() as u32).max(1);
    Ok(image::imageops::resize(
        &img,
        max_width_px,
        h,
        image::imageops::FilterType::Triangle,
    ))
}
