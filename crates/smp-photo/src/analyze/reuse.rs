//! The labels a fit works on: the view's stored analysis when the user gave no new seed
//! points, else a fresh analysis of the photo, stored in the view. The CLI and the web
//! editor both fit through this, so they agree on when a photo is analysed again.

use image::RgbImage;
use smp_design::{Design, DesignError};

use super::{Analysis, AnalyzeError, Seeds, StoreError, analyze, from_stored, to_stored};
use crate::labels::LabelMap;

/// Why a view's labels could not be had.
#[derive(Debug, thiserror::Error)]
pub enum ViewLabelsError {
    /// No view of that name.
    #[error("the design has no view named '{0}'; calibrate that photo first")]
    NoView(String),
    /// The photo could not be analysed.
    #[error(transparent)]
    Analyze(#[from] AnalyzeError),
    /// The stored analysis is unreadable.
    #[error(transparent)]
    Stored(#[from] StoreError),
    /// The design with the new analysis does not validate.
    #[error(transparent)]
    Design(#[from] DesignError),
}

/// The labels of view `view_name`, and the design (with the new analysis stored in the
/// view when one was made). `analysis` is the fresh analysis, `None` when the stored one
/// was reused.
pub struct ViewLabels {
    /// The label map of the view's photo.
    pub labels: LabelMap,
    /// The design, its view holding the analysis the labels come from.
    pub design: Design,
    /// The fresh analysis (with the outline and fringe), if the photo was analysed.
    pub analysis: Option<Analysis>,
}

/// The labels of `view_name`'s `photo`: the stored analysis when `seeds` is empty and one
/// is stored, else a new analysis seeded by `seeds`, stored in the returned design.
pub fn view_labels(design: &Design, view_name: &str, photo: &RgbImage, seeds: &Seeds) -> Result<ViewLabels, ViewLabelsError> {
    let view = design.view(view_name).ok_or_else(|| ViewLabelsError::NoView(view_name.into()))?;
    if seeds.is_empty()
        && let Some(stored) = &view.analysis
    {
        return Ok(ViewLabels {
            labels: from_stored(stored)?,
            design: design.clone(),
            analysis: None,
        });
    }
    let (result, design) = analyze_into(design, view_name, photo, seeds)?;
    Ok(ViewLabels {
        labels: result.labels.clone(),
        design,
        analysis: Some(result),
    })
}

/// A new analysis of `view_name`'s `photo`, seeded by `seeds`, and the design with it
/// stored in the view. A view without a head outline gets the one the client's
/// silhouette shows, and the photo is read again through it: without one the design
/// lies flat on the photo (its crown spills off the head), and the forehead, the loss
/// zone and the fringe all need the head's shape.
pub fn analyze_into(design: &Design, view_name: &str, photo: &RgbImage, seeds: &Seeds) -> Result<(Analysis, Design), ViewLabelsError> {
    let view = design.view(view_name).ok_or_else(|| ViewLabelsError::NoView(view_name.into()))?;
    let mut draft = design.to_draft();
    let mut result = analyze(photo, view, design, seeds)?;
    if view.head.is_none()
        && let Some(head) = super::head::head_from_labels(&result.labels, view.mm_to_px.px_per_mm())
    {
        for v in draft.views.iter_mut().filter(|v| v.name == view_name) {
            v.head = Some(head);
        }
        let with_head = Design::from_draft(draft.clone())?;
        let view = with_head.view(view_name).ok_or_else(|| ViewLabelsError::NoView(view_name.into()))?;
        result = analyze(photo, view, &with_head, seeds)?;
    }
    let stored = to_stored(&result, [photo.width(), photo.height()]);
    for v in draft.views.iter_mut().filter(|v| v.name == view_name) {
        v.analysis = Some(stored.clone());
    }
    Ok((result, Design::from_draft(draft)?))
}
