//! The regions a fit makes from its cell masks: treated bald areas (the client's own hair
//! inside them blended), thinning blends and skin kept free.

use smp_design::constants::{DEFAULT_DENSITY_PER_CM2, DEFAULT_DOT_DIAMETER_MM};
use smp_design::draft::RegionDraft;
use smp_design::geometry::area_mm2;
use smp_design::{Mm, PerCm2, PointMm, Region, RegionKind, Shade};

use super::grid::{CELL_MM, SurfaceGrid};
use super::masks::close;
use super::{BLEND_SHARE, FittedRegion, MIN_BLEND_CM2, MIN_REGION_CM2, MIN_SKIN_CM2, OUTLINE_TOLERANCE_MM, SKIN_TOLERANCE_MM, contour};

/// The regions of one view's fit, and the report of each, in the order made.
pub(super) struct Made<'a> {
    view_name: &'a str,
    /// The replaced treat region whose settings new regions carry.
    treat_like: Option<&'a Region>,
    /// The replaced blend region, for blends when there was no treat region.
    blend_like: Option<&'a Region>,
    base_density: f64,
    pub(super) regions: Vec<RegionDraft>,
    pub(super) fitted: Vec<FittedRegion>,
}

impl<'a> Made<'a> {
    /// No regions yet for view `view_name`, whose fit replaces `replaced`.
    pub(super) fn new(view_name: &'a str, replaced: &[&'a Region]) -> Self {
        let treat_like = replaced.iter().find(|r| r.kind == RegionKind::Treat).copied();
        Made {
            view_name,
            treat_like,
            blend_like: replaced.iter().find(|r| r.kind == RegionKind::Blend).copied(),
            base_density: treat_like.map_or(DEFAULT_DENSITY_PER_CM2, |r| r.density.0),
            regions: Vec::new(),
            fitted: Vec::new(),
        }
    }

    fn push(&mut self, draft: RegionDraft) {
        self.fitted.push(FittedRegion {
            name: draft.name.clone(),
            kind: draft.kind,
            area_cm2: area_mm2(&draft.polygon) / 100.0,
            density_per_cm2: draft.density_per_cm2.map_or(0.0, |d| d.0),
        });
        self.regions.push(draft);
    }

    /// A blend region at the blend share of the treat density.
    fn blend(&self, name: &str, polygon: Vec<PointMm>) -> RegionDraft {
        let mut r = like(self.treat_like.or(self.blend_like), name, RegionKind::Blend, polygon);
        r.density_per_cm2 = Some(PerCm2((self.base_density * BLEND_SHARE).round()));
        r
    }

    /// Treat regions of the `treat` cells; how many.
    pub(super) fn treated(&mut self, treat: &[bool], grid: &SurfaceGrid) -> usize {
        let outlines = contour::outlines(treat, grid.w, grid.h, grid.origin, CELL_MM, OUTLINE_TOLERANCE_MM);
        let (mut k_treat, mut k_keep) = (0, 0);
        for o in outlines.iter().filter(|o| area_mm2(&o.outer) / 100.0 >= MIN_REGION_CM2) {
            k_treat += 1;
            let mut r = like(
                self.treat_like,
                &format!("{} bald area {k_treat}", self.view_name),
                RegionKind::Treat,
                o.outer.clone(),
            );
            r.density_per_cm2 = Some(PerCm2(self.base_density));
            self.push(r);
            // The client's own hair inside the treated area: blended (dots only where scalp
            // shows), not cut out, as a hole in the dots would draw a dark rim around it.
            for hole in o.holes.iter().filter(|h| area_mm2(h) / 100.0 >= MIN_BLEND_CM2) {
                k_keep += 1;
                let r = self.blend(&format!("{} own hair {k_keep}", self.view_name), hole.clone());
                self.push(r);
            }
        }
        k_treat
    }

    /// Blend regions of the thinning cells (those with a cover in `thinning_cov`).
    pub(super) fn thinning(&mut self, thinning_cov: &[Option<f32>], grid: &SurfaceGrid) {
        let mut thinning: Vec<bool> = thinning_cov.iter().map(Option::is_some).collect();
        close(&mut thinning, grid.w, grid.h);
        // A ring of thinning round a bald crown must not cover the crown: a blend region
        // is one polygon without holes, and blend wins over treat where they overlap, so
        // the bald middle would get the lighter, sparser blend dots.
        let mut k_blend = 0;
        for o in contour::outlines_without_holes(&thinning, grid.w, grid.h, grid.origin, CELL_MM, OUTLINE_TOLERANCE_MM) {
            if area_mm2(&o.outer) / 100.0 < MIN_BLEND_CM2 {
                continue;
            }
            k_blend += 1;
            let r = self.blend(&format!("{} thinning {k_blend}", self.view_name), o.outer);
            self.push(r);
        }
    }

    /// Exclude regions of the `skin` cells kept free.
    pub(super) fn skin(&mut self, skin: &[bool], grid: &SurfaceGrid) {
        let mut k_skin = 0;
        for o in contour::outlines_without_holes(skin, grid.w, grid.h, grid.origin, CELL_MM, SKIN_TOLERANCE_MM) {
            if area_mm2(&o.outer) / 100.0 < MIN_SKIN_CM2 {
                continue;
            }
            k_skin += 1;
            let mut r = like(
                None,
                &format!("{} skin, no dots {k_skin}", self.view_name),
                RegionKind::Exclude,
                o.outer,
            );
            r.density_per_cm2 = None;
            r.dot_diameter_mm = None;
            r.shade = None;
            self.push(r);
        }
    }
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
