//! Fitting a design to the client's own head: from a view's labels, a treat region over
//! the bald scalp reaching the native hair, blend regions over thinning hair with less
//! density where more hair covers, haired islands kept free, a hairline proposal joined
//! to the client's temporal points, and the client's skin and hair colours; the regions
//! of other views and the scars are kept.

mod cells;
mod colours;
pub mod contour;
pub mod grid;
pub mod hairline;
mod masks;
mod regions;

use image::RgbImage;
use smp_color::pigments::{Match, PigmentLibrary, match_pigment};
use smp_design::constants::DEFAULT_FEATHER_MM;
use smp_design::draft::{DesignDraft, HairlineDraft};
use smp_design::{Design, DesignError, Mm, Region, RegionKind, View};

use self::grid::{MIN_FORESHORTEN, SurfaceGrid};
use self::regions::Made;
use crate::labels::{Label, LabelMap};
use crate::sample::MIN_TIP_PX_PER_MM;
use crate::view::project;

pub use self::hairline::{DEFAULT_HAIRLINE_MM, HAIRLINE_RANGE_MM};

/// Smallest area the fit turns into a region, cm²: smaller specks are noise of the labels.
const MIN_REGION_CM2: f64 = 0.3;
/// Largest bald or thinning patch wholly inside the client's hair that the fit takes as
/// the labels' noise, cm²: the analysis's stray specks in hair measure ~1 cm² (norwood-6
/// left: 0.8 and 1.3 cm²), while the smallest patch of loss a client brings (a crown
/// whorl, a scar) spans a few cm².
const MIN_SPECK_CM2: f64 = 2.0;
/// Width of the natural soft edge of hair next to skin, cells.
const SOFT_EDGE_CELLS: usize = 4;
/// Simplification tolerance of the skin kept free, mm: tighter, as its edge is the one
/// that must hold.
const SKIN_TOLERANCE_MM: f64 = 0.4;
/// Smallest patch of non-scalp skin kept free by a region of its own, cm².
const MIN_SKIN_CM2: f64 = 2.0;
/// The treatment starts this far in front of the hairline, mm, so the hairline's own
/// feathered ramp, not the polygon, shapes the front edge (as the templates do).
const FRONT_MARGIN_MM: f64 = 4.0;
/// Share of the treat density in blend regions (thinning hair, and the client's own hair
/// inside the treated area). Blend dots are drawn only where the photo shows scalp (each
/// with the chance 1 − native coverage), so the hair already thins them: at the treat's
/// full density, dot and shade, a thinning area's own hair plus the dots shows the same
/// tone as the treated bald scalp beside it. The templates' lighter 60 of 80 per cm²
/// with a smaller, paler dot left thinning areas as a light ring round a treated crown
/// (norwood-5 top: 6 grey levels darker against the bald area's 19).
const BLEND_SHARE: f64 = 1.0;
/// Smallest blend region, cm²: smaller patches of thinning stay under the treatment, so
/// the design does not break into dozens of pieces whose borders show.
const MIN_BLEND_CM2: f64 = 4.0;
/// Simplification tolerance of the outlines, mm: under a cell, so no outline moves more
/// than the grid's own resolution.
const OUTLINE_TOLERANCE_MM: f64 = 0.5;

/// How to fit.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FitOptions {
    /// Height of the mid-frontal hairline point above the glabella, along the surface,
    /// mm, as the practitioner chose it: the hairline may then come forward onto the
    /// forehead. `None`: a clinically normal 80 mm, never in front of where the photo's
    /// analysis ended the forehead.
    pub hairline_mm: Option<Mm>,
}

/// What the fit did, region by region.
#[derive(Debug, Clone, PartialEq)]
pub struct FittedRegion {
    /// The region's name in the design.
    pub name: String,
    /// Its kind.
    pub kind: RegionKind,
    /// Its area on the scalp, cm².
    pub area_cm2: f64,
    /// Its density, per cm².
    pub density_per_cm2: f64,
}

/// What happened to the hairline.
#[derive(Debug, Clone, PartialEq)]
pub enum HairlineFit {
    /// A new hairline through the chosen height and the client's temporal points.
    Proposed {
        /// Height above the glabella, mm.
        height_mm: f64,
        /// Whether each temporal point (left, right) was found in the photo (else the
        /// design's or the template's is used).
        temples_found: [bool; 2],
    },
    /// The client's own frontal hairline is intact: no new one.
    Intact,
    /// The view does not show the front: the design's hairline is kept.
    NotSeen,
}

/// A design fitted to a view.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The new design.
    pub design: Design,
    /// The regions the fit made.
    pub regions: Vec<FittedRegion>,
    /// Names of the regions it replaced.
    pub replaced: Vec<String>,
    /// The hairline decision.
    pub hairline: HairlineFit,
    /// The client's scalp skin colour read from the bald scalp, CIELAB, if any shows.
    pub skin_lab: Option<[f64; 3]>,
    /// The client's hair colour read from the haired scalp, CIELAB, when the photo is
    /// sharp enough to resolve stubble tips.
    pub hair_lab: Option<[f64; 3]>,
    /// The pigment matched to the client's skin and hair and set on the fitted regions,
    /// when both colours are known.
    pub pigment: Option<Match>,
    /// Things the user should know.
    pub warnings: Vec<String>,
}

/// Why a design cannot be fitted.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// No view of that name.
    #[error("the design has no view named '{0}'; calibrate that photo first")]
    NoView(String),
    /// The labels do not belong to the view's photo.
    #[error("the photo analysis covers {got_w}×{got_h} pixels but the view's photo is {want_w}×{want_h}; analyse this view's photo again")]
    WrongSize {
        /// Analysis width, px.
        got_w: u32,
        /// Analysis height, px.
        got_h: u32,
        /// Photo width, px.
        want_w: u32,
        /// Photo height, px.
        want_h: u32,
    },
    /// The fitted design does not validate (a bug if it happens: reported, never saved).
    #[error("the fitted design is not valid: {0}")]
    Invalid(#[from] DesignError),
}

/// Fit `design` to view `view_name`, whose `photo` was analysed into `labels`.
pub fn fit_design(design: &Design, view_name: &str, photo: &RgbImage, labels: &LabelMap, opts: FitOptions) -> Result<Fitted, FitError> {
    let view = design.view(view_name).ok_or_else(|| FitError::NoView(view_name.to_string()))?;
    check_size(photo, labels)?;
    let grid = SurfaceGrid::read(view, labels);
    let mut warnings = Vec::new();

    // A region this view's earlier fit made is always replaced (a refit starts afresh).
    let own = format!("{view_name} ");
    let replaced: Vec<&Region> = design
        .regions()
        .iter()
        .filter(|r| r.kind != RegionKind::Scar && (mostly_seen(view, r) || r.name.starts_with(&own)))
        .collect();
    let (hairline_pts, hairline_fit) = hairline::fit(design, &grid, opts, &mut warnings);
    let proposed = hairline_pts
        .as_deref()
        .filter(|_| matches!(hairline_fit, HairlineFit::Proposed { .. }));
    let (treat, thinning_cov) = cells::treat_cells(&grid, design, proposed);
    let mut made = Made::new(view_name, &replaced);
    let k_treat = made.treated(&treat, &grid);
    made.thinning(&thinning_cov, &grid);
    made.skin(&cells::kept_free(&grid, &treat, hairline_pts.as_deref()), &grid);
    if k_treat == 0 {
        warnings.push("no bald or thinning scalp was found in this photo: the design keeps no region here".into());
    }

    let mut draft = design.to_draft();
    let replaced_names: Vec<String> = replaced.iter().map(|r| r.name.clone()).collect();
    draft.regions.retain(|r| !replaced_names.contains(&r.name));
    draft.regions.extend(made.regions);
    if let HairlineFit::Proposed { .. } = hairline_fit {
        let old_hairline = design.hairline();
        draft.hairline = hairline_pts.map(|points| HairlineDraft {
            points,
            feather_mm: old_hairline.map_or(Mm(DEFAULT_FEATHER_MM), |h| h.feather),
            irregularity: old_hairline.map_or(0.5, |h| h.irregularity),
        });
    }
    // Without a new hairline whatever the design had (if anything) stays, unchanged.
    let (skin_lab, hair_lab) = client_colours(photo, labels, view, &mut warnings);
    if draft.colours.skin_lab.is_none() {
        draft.colours.skin_lab = skin_lab.map(round_lab);
    }
    if draft.colours.hair_lab.is_none() {
        draft.colours.hair_lab = hair_lab.map(round_lab);
    }
    let pigment = choose_pigment(&mut draft, &made.fitted, &mut warnings);
    let design = Design::from_draft(draft)?;
    Ok(Fitted {
        design,
        regions: made.fitted,
        replaced: replaced_names,
        hairline: hairline_fit,
        skin_lab,
        hair_lab,
        pigment,
        warnings,
    })
}

/// An error unless `labels` cover `photo`: coarse cells may overhang it by less than one
/// cell.
fn check_size(photo: &RgbImage, labels: &LabelMap) -> Result<(), FitError> {
    let (lw, lh) = (labels.width * labels.cell_px, labels.height * labels.cell_px);
    if lw < photo.width() || lh < photo.height() || lw >= photo.width() + labels.cell_px || lh >= photo.height() + labels.cell_px {
        return Err(FitError::WrongSize {
            got_w: lw,
            got_h: lh,
            want_w: photo.width(),
            want_h: photo.height(),
        });
    }
    Ok(())
}

/// The client's skin colour from the bald scalp and hair colour from the haired scalp,
/// CIELAB; the hair's only when `view`'s photo is sharp enough to show stubble tips
/// (else a warning says why not).
fn client_colours(photo: &RgbImage, labels: &LabelMap, view: &View, warnings: &mut Vec<String>) -> (Option<[f64; 3]>, Option<[f64; 3]>) {
    // Through the view's colour chart or card when it has one: the room's light and the
    // camera's curve taken out, as every other colour read from the photo is.
    let (_, corrected) = crate::card::ColourCorrection::view_photo(view, photo);
    let photo = &*corrected;
    let skin_lab = colours::median_lab(photo, labels, Label::Bald, colours::Pick::Middle);
    let px_per_mm = view.mm_to_px.px_per_mm();
    let hair_lab = if px_per_mm >= MIN_TIP_PX_PER_MM {
        colours::median_lab(photo, labels, Label::Haired, colours::Pick::Darkest)
    } else {
        warnings.push(format!(
            "the hair colour was not taken from this photo: at {px_per_mm:.1} px/mm it cannot show single stubble tips; measure it on a close-up"
        ));
        None
    };
    (skin_lab, hair_lab)
}

/// The pigment and dilution matched to the client's skin and hair (the design's colours,
/// as measured), set on the fitted regions that lay dots and carry no practitioner's
/// choice already; its warnings join the fit's. Without both colours nothing is chosen:
/// the regions keep carbon black at their shade.
fn choose_pigment(draft: &mut DesignDraft, fitted: &[FittedRegion], warnings: &mut Vec<String>) -> Option<Match> {
    let (skin, hair) = (draft.colours.skin_lab?, draft.colours.hair_lab?);
    let m = match match_pigment(skin, hair, &PigmentLibrary::builtin()) {
        Ok(m) => m,
        Err(e) => {
            warnings.push(format!("no pigment was matched to the client's colours: {e}"));
            return None;
        }
    };
    for r in draft.regions.iter_mut() {
        let new = fitted.iter().any(|f| f.name == r.name);
        if new && r.kind != RegionKind::Exclude && r.pigment.is_none() {
            r.pigment = Some(smp_design::draft::PigmentDraft {
                name: m.pigment.clone(),
                dilution: m.dilution,
            });
        }
    }
    warnings.extend(m.warnings.iter().cloned());
    Some(m)
}

fn round_lab(l: [f64; 3]) -> [f64; 3] {
    l.map(|c| (c * 10.0).round() / 10.0)
}

/// Whether most of a region's outline faces this view (it is this view's to replace).
fn mostly_seen(view: &View, r: &Region) -> bool {
    let seen = r
        .polygon
        .iter()
        .filter(|&&p| project(view, p).is_some_and(|q| q.foreshorten >= MIN_FORESHORTEN))
        .count();
    seen * 2 > r.polygon.len()
}
