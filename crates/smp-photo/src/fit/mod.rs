//! Fitting a design to the client's own head: from a view's labels, a treat region over
//! the bald scalp reaching the native hair, blend regions over thinning hair with less
//! density where more hair covers, haired islands kept free, a hairline proposal joined
//! to the client's temporal points, and the client's skin and hair colours; the regions
//! of other views and the scars are kept.

mod colours;
pub mod contour;
pub mod grid;
pub mod hairline;
mod masks;

use image::RgbImage;
use smp_color::pigments::{Match, PigmentLibrary, match_pigment};
use smp_design::constants::{DEFAULT_DENSITY_PER_CM2, DEFAULT_DOT_DIAMETER_MM, DEFAULT_FEATHER_MM};
use smp_design::draft::{DesignDraft, HairlineDraft, RegionDraft};
use smp_design::geometry::area_mm2;
use smp_design::{Design, DesignError, Mm, PerCm2, PointMm, Region, RegionKind, Shade, View};

use self::grid::{CELL_MM, MIN_FORESHORTEN, SurfaceGrid};
use self::masks::*;
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
    let (lw, lh) = (labels.width * labels.cell_px, labels.height * labels.cell_px);
    // Coarse cells may overhang the photo by less than one cell.
    if lw < photo.width() || lh < photo.height() || lw >= photo.width() + labels.cell_px || lh >= photo.height() + labels.cell_px {
        return Err(FitError::WrongSize {
            got_w: lw,
            got_h: lh,
            want_w: photo.width(),
            want_h: photo.height(),
        });
    }
    let grid = SurfaceGrid::read(view, labels);
    let mut warnings = Vec::new();

    // A region this view's earlier fit made is always replaced (a refit starts afresh).
    let own = format!("{view_name} ");
    let replaced: Vec<&Region> = design
        .regions()
        .iter()
        .filter(|r| r.kind != RegionKind::Scar && (mostly_seen(view, r) || r.name.starts_with(&own)))
        .collect();
    let treat_like = replaced.iter().find(|r| r.kind == RegionKind::Treat).copied();
    let blend_like = replaced.iter().find(|r| r.kind == RegionKind::Blend).copied();

    // Hairline.
    let height = opts.hairline_mm.map_or(DEFAULT_HAIRLINE_MM, |h| h.0);
    let old_hairline = design.hairline();
    let (hairline_pts, hairline_fit) = match hairline::frontal_intact(&grid, height) {
        Some(false) => {
            let old_end = |first: bool| old_hairline.map(|h| if first { h.points[0] } else { h.points[h.points.len() - 1] });
            let frontal = crate::labels::frontal_line_mm(design);
            let (prior_left, prior_right) = (
                old_end(true).unwrap_or(frontal[0]),
                old_end(false).unwrap_or(frontal[frontal.len() - 1]),
            );
            let left = hairline::temporal_point(&grid, prior_left);
            let right = hairline::temporal_point(&grid, prior_right);
            let pts = match opts.hairline_mm {
                Some(_) => hairline::proposal(height, left.unwrap_or(prior_left), right.unwrap_or(prior_right)),
                // The analysis ended the forehead at the frontal line (the design's hairline
                // or 80 mm), so by default that line stays; only a temple that recedes
                // behind its end moves the end back to the client's own temporal point.
                None => hairline::recede_ends(&frontal, left, right),
            };
            let temples_found = [left.is_some(), right.is_some()];
            if temples_found.contains(&false) {
                warnings.push(
                    "a temple is out of this photo: the hairline there follows the design's earlier line; check it in a front view".into(),
                );
            }
            (
                Some(pts),
                HairlineFit::Proposed {
                    height_mm: height,
                    temples_found,
                },
            )
        }
        Some(true) => (old_hairline.map(|h| h.points.clone()), HairlineFit::Intact),
        None => (old_hairline.map(|h| h.points.clone()), HairlineFit::NotSeen),
    };

    // Cells to treat: bald and thinning scalp, and the forehead skin behind the proposed
    // hairline (where the client chose a lower line than the photo's analysis assumed).
    let frontal = crate::labels::frontal_line_mm(design);
    let n = grid.w * grid.h;
    let mut treat = vec![false; n];
    let mut thinning_cov: Vec<Option<f32>> = vec![None; n];
    for j in 0..grid.h {
        for i in 0..grid.w {
            let k = j * grid.w + i;
            let Some((label, cov)) = grid.cells[k] else { continue };
            match label {
                Label::Bald => treat[k] = true,
                Label::Thinning => {
                    treat[k] = true;
                    thinning_cov[k] = Some(cov);
                }
                Label::Skin => {
                    if let Some(h) = hairline_pts
                        .as_deref()
                        .filter(|_| matches!(hairline_fit, HairlineFit::Proposed { .. }))
                    {
                        // Forehead skin is treated only where the chosen hairline lies in
                        // front of the line the analysis took as the end of the forehead.
                        let p = grid.point(i, j);
                        let y0 = hairline::y_at(h, p.x);
                        let forehead_end = hairline::y_at(&frontal, p.x);
                        let inside = p.x >= h[0].x && p.x <= h[h.len() - 1].x;
                        if inside && y0 + FRONT_MARGIN_MM < forehead_end && p.y >= y0 - FRONT_MARGIN_MM && p.y <= forehead_end {
                            treat[k] = true;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // Sparse hair within a few millimetres of skin is a natural soft edge (nape,
    // sideburns, around the ears), not thinning to treat.
    let mut near_skin: Vec<bool> = grid.cells.iter().map(|c| matches!(c, Some((Label::Skin, _)))).collect();
    for _ in 0..SOFT_EDGE_CELLS {
        near_skin = dilate(&near_skin, grid.w, grid.h);
    }
    for k in 0..n {
        if near_skin[k] && thinning_cov[k].is_some() {
            treat[k] = false;
            thinning_cov[k] = None;
        }
    }
    drop_specks_in_hair(&mut treat, &grid, (MIN_SPECK_CM2 * 100.0 / (CELL_MM * CELL_MM)) as usize);
    for k in 0..n {
        if !treat[k] {
            thinning_cov[k] = None;
        }
    }
    // Close notches of the scalp only: skin and background stay untreated.
    let scalp: Vec<bool> = grid.cells.iter().map(|c| c.is_some_and(|(l, _)| l.is_scalp())).collect();
    let before = treat.clone();
    close(&mut treat, grid.w, grid.h);
    for k in 0..n {
        treat[k] = before[k] || (treat[k] && scalp[k]);
    }
    // The treat polygon ends where the hair begins: its edge blend, not a grown polygon,
    // carries the dots on into the hair, so no bare strip is left and no band of full
    // density lies on the hair (tested: no gap over 3 mm on 24 synthetic heads).

    let mut regions: Vec<RegionDraft> = Vec::new();
    let mut fitted = Vec::new();
    let base_density = treat_like.map_or(DEFAULT_DENSITY_PER_CM2, |r| r.density.0);
    let mut push = |draft: RegionDraft, fitted: &mut Vec<FittedRegion>| {
        fitted.push(FittedRegion {
            name: draft.name.clone(),
            kind: draft.kind,
            area_cm2: area_mm2(&draft.polygon) / 100.0,
            density_per_cm2: draft.density_per_cm2.map_or(0.0, |d| d.0),
        });
        regions.push(draft);
    };
    let outlines = contour::outlines(&treat, grid.w, grid.h, grid.origin, CELL_MM, OUTLINE_TOLERANCE_MM);
    let mut k_treat = 0;
    let mut k_keep = 0;
    for o in outlines.iter().filter(|o| area_mm2(&o.outer) / 100.0 >= MIN_REGION_CM2) {
        k_treat += 1;
        let mut r = like(
            treat_like,
            &format!("{view_name} bald area {k_treat}"),
            RegionKind::Treat,
            o.outer.clone(),
        );
        r.density_per_cm2 = Some(PerCm2(base_density));
        push(r, &mut fitted);
        // The client's own hair inside the treated area: blended (dots only where scalp
        // shows), not cut out, as a hole in the dots would draw a dark rim around it.
        for hole in o.holes.iter().filter(|h| area_mm2(h) / 100.0 >= MIN_BLEND_CM2) {
            k_keep += 1;
            let mut r = like(
                treat_like.or(blend_like),
                &format!("{view_name} own hair {k_keep}"),
                RegionKind::Blend,
                hole.clone(),
            );
            r.density_per_cm2 = Some(PerCm2((base_density * BLEND_SHARE).round()));
            push(r, &mut fitted);
        }
    }
    let mut k_blend = 0;
    let mut thinning: Vec<bool> = thinning_cov.iter().map(Option::is_some).collect();
    close(&mut thinning, grid.w, grid.h);
    {
        // A ring of thinning round a bald crown must not cover the crown: a blend region
        // is one polygon without holes, and blend wins over treat where they overlap, so
        // the bald middle would get the lighter, sparser blend dots.
        for o in contour::outlines_without_holes(&thinning, grid.w, grid.h, grid.origin, CELL_MM, OUTLINE_TOLERANCE_MM) {
            if area_mm2(&o.outer) / 100.0 < MIN_BLEND_CM2 {
                continue;
            }
            k_blend += 1;
            let mut r = like(
                treat_like.or(blend_like),
                &format!("{view_name} thinning {k_blend}"),
                RegionKind::Blend,
                o.outer,
            );
            r.density_per_cm2 = Some(PerCm2((base_density * BLEND_SHARE).round()));
            push(r, &mut fitted);
        }
    }
    // Skin that is not scalp (forehead, ears, neck) is kept free, with one cell of the hair
    // around it: the edge blend fades dots into the hair, the hair band above an ear can
    // be narrower than the fade, and a cell's label is read at its centre only. Bald scalp
    // next to skin is left to the treatment (a temple's bald corner must not open a gap),
    // and behind the hairline the hairline's own ramp keeps the forehead free.
    let mut skin: Vec<bool> = (0..n).map(|k| !treat[k] && grid.any[k] == Some(Label::Skin)).collect();
    let grown = dilate(&skin, grid.w, grid.h);
    let final_hairline = hairline_pts.clone();
    let behind_hairline = |p: PointMm| {
        final_hairline.as_deref().is_some_and(|h| {
            let y0 = hairline::y_at(h, p.x);
            p.x >= h[0].x && p.x <= h[h.len() - 1].x && p.y >= y0 - CELL_MM && p.y <= y0 + 20.0
        })
    };
    for j in 0..grid.h {
        for i in 0..grid.w {
            let k = j * grid.w + i;
            if grown[k] && grid.any[k] == Some(Label::Haired) && !behind_hairline(grid.point(i, j)) {
                skin[k] = true;
            }
        }
    }
    // Specks of skin inside the scalp are the labels' noise, and pinholes in the skin
    // would cut it into pieces: neither makes a region of its own.
    fill_small_holes(&mut skin, grid.w, grid.h, (MIN_SKIN_CM2 * 100.0 / (CELL_MM * CELL_MM)) as usize);
    let mut k_skin = 0;
    for o in contour::outlines_without_holes(&skin, grid.w, grid.h, grid.origin, CELL_MM, SKIN_TOLERANCE_MM) {
        if area_mm2(&o.outer) / 100.0 < MIN_SKIN_CM2 {
            continue;
        }
        k_skin += 1;
        let mut r = like(None, &format!("{view_name} skin, no dots {k_skin}"), RegionKind::Exclude, o.outer);
        r.density_per_cm2 = None;
        r.dot_diameter_mm = None;
        r.shade = None;
        push(r, &mut fitted);
    }
    if k_treat == 0 {
        warnings.push("no bald or thinning scalp was found in this photo: the design keeps no region here".into());
    }

    let mut draft = design.to_draft();
    let replaced_names: Vec<String> = replaced.iter().map(|r| r.name.clone()).collect();
    draft.regions.retain(|r| !replaced_names.contains(&r.name));
    draft.regions.extend(regions);
    match hairline_fit {
        HairlineFit::Proposed { .. } => {
            draft.hairline = hairline_pts.map(|points| HairlineDraft {
                points,
                feather_mm: old_hairline.map_or(Mm(DEFAULT_FEATHER_MM), |h| h.feather),
                irregularity: old_hairline.map_or(0.5, |h| h.irregularity),
            });
        }
        // No new hairline: whatever the design had (if anything) stays, unchanged.
        HairlineFit::Intact | HairlineFit::NotSeen => {}
    }
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
    if draft.colours.skin_lab.is_none() {
        draft.colours.skin_lab = skin_lab.map(round_lab);
    }
    if draft.colours.hair_lab.is_none() {
        draft.colours.hair_lab = hair_lab.map(round_lab);
    }
    let pigment = choose_pigment(&mut draft, &fitted, &mut warnings);
    let design = Design::from_draft(draft)?;
    Ok(Fitted {
        design,
        regions: fitted,
        replaced: replaced_names,
        hairline: hairline_fit,
        skin_lab,
        hair_lab,
        pigment,
        warnings,
    })
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

/// A fitted region carrying the settings (dot size, shade, pigment, edge blend) of the
/// region it replaces, so the practitioner's choices survive a fit.
fn like(model: Option<&Region>, name: &str, kind: RegionKind, polygon: Vec<PointMm>) -> RegionDraft {
    let mut r = RegionDraft::new(
        name,
        kind,
        polygon,
        PerCm2(DEFAULT_DENSITY_PER_CM2),
        Mm(DEFAULT_DOT_DIAMETER_MM),
        Shade(0.8),
    );
    if let Some(m) = model {
        r.dot_diameter_mm = Some(m.dot_diameter);
        r.shade = Some(m.shade);
        r.pigment = m.pigment.as_ref().map(|p| smp_design::draft::PigmentDraft {
            name: p.name.clone(),
            dilution: p.dilution,
        });
        r.edge_blend_mm = Some(m.edge_blend);
    }
    r
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
