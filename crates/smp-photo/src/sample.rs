//! Skin and hair colours of a design's dotted area, sampled from a view's photo: what
//! pigment matching needs, shared by `smp color match D --view V` and the report.

use image::RgbImage;
use smp_design::geometry::{bounds, contains};
use smp_design::{Design, PointMm, RegionKind, View};

use crate::mask::sample_skin_hair;
use crate::view::project;

/// Below this scale a stubble tip (~0.1 mm, domain.md) is smaller than a pixel, so its
/// pixels mix with skin and the sampled hair reads too light.
pub const MIN_TIP_PX_PER_MM: f64 = 10.0;

/// Sample points of the treat and blend regions, finest at about one per photo pixel and
/// at most this many, so huge designs on huge photos stay quick.
const MAX_SAMPLE_POINTS: f64 = 400_000.0;

/// What the photo shows over the design's treat and blend regions.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignSample {
    /// Median scalp colour (CIELAB); `None` when the area is all hair.
    pub skin_lab: Option<[f64; 3]>,
    /// Median hair (stubble-tip) colour (CIELAB); `None` when the area is all skin.
    pub hair_lab: Option<[f64; 3]>,
    /// Mean colour of the haired (blend) area, if the photo shows one.
    pub haired_area_lab: Option<[f64; 3]>,
    /// Area-weighted density of the treat and blend regions, per cm².
    pub density_per_cm2: f64,
    /// Area-weighted needle (dot) diameter of those regions, mm.
    pub needle_mm: f64,
    /// Reasons to distrust the sampled hair colour (low resolution, no mask).
    pub hair_warnings: Vec<String>,
}

/// Why a design's colours cannot be sampled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SampleError {
    /// The design has nothing to dot.
    #[error("the design has no treat or blend region to sample")]
    NoDottedRegion,
    /// The regions project outside the photo.
    #[error(
        "the design's treat and blend regions fall outside the photo of view {view:?} ({width}×{height} pixels): nothing to sample; check the photo's calibration (its scale and position)"
    )]
    OutsidePhoto {
        /// The view's name.
        view: String,
        /// Photo width, px.
        width: u32,
        /// Photo height, px.
        height: u32,
    },
}

/// Sample skin and hair over the treat and blend regions of `design` in `photo` seen
/// through `view`: with the view's mask its scalp and hair pixels, else the lightest
/// third and darkest tenth (see [`sample_skin_hair`]).
pub fn sample_design(design: &Design, view: &View, photo: &RgbImage) -> Result<DesignSample, SampleError> {
    let dotted: Vec<_> = design
        .regions()
        .iter()
        .filter(|r| matches!(r.kind, RegionKind::Treat | RegionKind::Blend))
        .collect();
    if dotted.is_empty() {
        return Err(SampleError::NoDottedRegion);
    }
    let holes: Vec<_> = design.regions().iter().filter(|r| r.kind == RegionKind::Exclude).collect();
    let area_mm2: f64 = dotted.iter().map(|r| r.polygon_area().0 * 100.0).sum();
    let step = (1.0 / view.mm_to_px.px_per_mm()).max((area_mm2 / MAX_SAMPLE_POINTS).sqrt());
    // One sample per photo pixel; haired when any blend region covers it.
    let mut pixels: std::collections::BTreeMap<(u32, u32), bool> = std::collections::BTreeMap::new();
    for r in &dotted {
        let (lo, hi) = bounds(&r.polygon);
        let (nx, ny) = (((hi.x - lo.x) / step) as usize, ((hi.y - lo.y) / step) as usize);
        for j in 0..=ny {
            for i in 0..=nx {
                let p = PointMm::new(lo.x + (i as f64 + 0.5) * step, lo.y + (j as f64 + 0.5) * step);
                if !contains(&r.polygon, p) || holes.iter().any(|h| contains(&h.polygon, p)) {
                    continue;
                }
                if let Some(q) = project(view, p)
                    && q.x >= 0.0
                    && q.y >= 0.0
                {
                    let e = pixels.entry((q.x as u32, q.y as u32)).or_insert(false);
                    *e |= r.kind == RegionKind::Blend;
                }
            }
        }
    }
    let sample = sample_skin_hair(
        photo,
        pixels
            .iter()
            .map(|(&(x, y), &haired)| (f64::from(x) + 0.5, f64::from(y) + 0.5, haired)),
        view.mask.as_ref(),
    )
    .ok_or_else(|| SampleError::OutsidePhoto {
        view: view.name.clone(),
        width: photo.width(),
        height: photo.height(),
    })?;
    let area_cm2 = area_mm2 / 100.0;
    let density_per_cm2 = dotted.iter().map(|r| r.density.0 * r.polygon_area().0).sum::<f64>() / area_cm2;
    let needle_mm = dotted.iter().map(|r| r.dot_diameter.0 * r.polygon_area().0).sum::<f64>() / area_cm2;
    let mut hair_warnings = Vec::new();
    let ppm = view.mm_to_px.px_per_mm();
    if ppm < MIN_TIP_PX_PER_MM {
        hair_warnings.push(format!(
            "the photo has {ppm:.1} px/mm: stubble tips (~0.1 mm) are smaller than a pixel, so the sampled hair mixes with skin and reads too light; use a closer photo or enter the hair colour measured on a close-up"
        ));
    }
    if view.mask.is_none() {
        hair_warnings.push(
            "hair sampled as the darkest tenth of the treat and blend regions: where stubble covers less than that (bald or thinning scalp) it reads lighter than the tips; mark the client's hair on the photo, or enter the hair colour measured on a close-up".into(),
        );
    }
    Ok(DesignSample {
        skin_lab: sample.skin_lab,
        hair_lab: sample.hair_lab,
        haired_area_lab: sample.haired_area_lab,
        density_per_cm2,
        needle_mm,
        hair_warnings,
    })
}
