//! From a design, its impressions and a photo view to the preview picture.

use image::RgbImage;
use smp_color::pigments::PigmentLibrary;
use smp_color::{Pigment, SkinOptics};
use smp_design::{Design, Region, RegionKind, View};
use smp_dots::{Impressions, Selection};

use crate::render::{InnerDisk, RenderDot, render_onto};
use crate::state::{DotLook, PreviewState};
use smp_photo::camera::{PhotoCamera, PxBox};
use smp_photo::mask::ScalpMask;
use smp_photo::view::{Projected, project};

/// A region's pigment names one the library does not have.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("region {region:?}: pigment {pigment:?} is not in the pigment library (it has: {})", .library.join(", "))]
pub struct UnknownPigment {
    /// The region.
    pub region: String,
    /// The name it gives.
    pub pigment: String,
    /// The library's names, in its order.
    pub library: Vec<String>,
}

/// How a region's dots are inked: which pigment, and, when the design chose one, its
/// dilution (water parts); without one, carbon black at the dots' shade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ink {
    /// The pigment's absorption.
    pub pigment: Pigment,
    /// Water parts of the chosen dilution; `None` for carbon × shade.
    pub dilution: Option<u32>,
}

impl Ink {
    /// The dose (concentration multiple) of a dot of `region` whose own shade is
    /// `dot_shade`. With a chosen pigment the dose is its dilution factor, scaled by the
    /// dot's shade relative to the region's so that the hairline's lighter leading dots
    /// stay lighter.
    pub fn dose(&self, region: &Region, dot_shade: f64) -> f64 {
        match self.dilution {
            None => dot_shade,
            Some(w) => {
                let relative = if region.shade.0 > 0.0 {
                    (dot_shade / region.shade.0).min(1.0)
                } else {
                    1.0
                };
                Pigment::dilution_factor(f64::from(w)) * relative
            }
        }
    }
}

/// Each region's ink from `library`, in region order; an error names the first region
/// whose pigment the library lacks (and lists the library's names).
pub fn region_inks(design: &Design, library: &PigmentLibrary) -> Result<Vec<Ink>, UnknownPigment> {
    design
        .regions()
        .iter()
        .map(|r| match &r.pigment {
            None => Ok(Ink {
                pigment: Pigment::carbon(),
                dilution: None,
            }),
            Some(p) => library
                .get(&p.name)
                .map(|l| Ink {
                    pigment: l.pigment,
                    dilution: Some(p.dilution),
                })
                .ok_or_else(|| UnknownPigment {
                    region: r.name.clone(),
                    pigment: p.name.clone(),
                    library: library.pigments.iter().map(|l| l.name.clone()).collect(),
                }),
        })
        .collect()
}

/// The dots of a selection as the renderer sees them in a view and state, each region
/// inked with its pigment from `library` (carbon × shade without one). Dots hidden behind
/// the head or outside the photo are left out, and so are `blend` dots where the view's
/// mask says hair covers the scalp. A pigment the library lacks is an error.
pub fn render_dots(
    photo: &RgbImage,
    design: &Design,
    view: &View,
    imp: &Impressions,
    state: PreviewState,
    sel: Selection,
    library: &PigmentLibrary,
) -> Result<Vec<RenderDot>, UnknownPigment> {
    let inks = region_inks(design, library)?;
    Ok(inked_dots(photo, design, view, imp, state, sel, &inks))
}

fn inked_dots(
    photo: &RgbImage,
    design: &Design,
    view: &View,
    imp: &Impressions,
    state: PreviewState,
    sel: Selection,
    inks: &[Ink],
) -> Vec<RenderDot> {
    let px_per_mm = view.mm_to_px.px_per_mm();
    let mask = ScalpMask::for_view(view);
    let cumulative = &design.sessions().cumulative;
    let (w, h) = (f64::from(photo.width()), f64::from(photo.height()));
    imp.select(sel)
        .filter_map(|d| {
            let p = project(view, d.pos())?;
            let outside = p.x < 0.0 || p.y < 0.0 || p.x >= w || p.y >= h || mask.as_ref().is_some_and(|m| !m.on_client(p.x, p.y));
            let region = &design.regions()[d.region as usize];
            // A dot shows with the chance that scalp shows where it lands (1 on bald
            // scalp, 1 − the native coverage on hair): between the client's own hairs
            // there is only so much scalp to pigment, and dots on top of the hair at
            // full density would draw a darker band wherever a treatment meets it. The
            // draw is by rank (see `show_rank`), so the same dots show in every render.
            let hidden_by_hair = matches!(region.kind, RegionKind::Blend | RegionKind::Treat)
                && mask
                    .as_ref()
                    .is_some_and(|m| show_rank(d, cumulative) >= m.scalp_share(photo, p.x, p.y));
            let ink = &inks[d.region as usize];
            (!outside && !hidden_by_hair)
                .then(|| render_dot(&state.look(d.diameter_mm, ink.dose(region, d.shade)), &p, px_per_mm, &ink.pigment))
        })
        .collect()
}

/// One impression as the renderer sees it, as it looks (`look`) where it lands (`p`): the
/// visible dot, and for healed and aged dots the dispersed pigment around it, with the
/// dot as its core. The core carries only what it adds to the skirt, so that where both
/// lie the pigment layer transmits and removes exactly what their summed concentration
/// does.
pub fn render_dot(look: &DotLook, p: &Projected, px_per_mm: f64, pigment: &Pigment) -> RenderDot {
    let disk = |diameter_mm: f64, absorbed: [f64; 3], inner: Option<InnerDisk>| RenderDot {
        x: p.x,
        y: p.y,
        diameter_px: diameter_mm * px_per_mm,
        foreshorten: p.foreshorten,
        radial: p.radial,
        absorbed,
        diffused: absorbed,
        halo: look.halo,
        inner,
    };
    match look.skirt {
        None => disk(look.diameter_mm, pigment.absorbed(look.concentration), None),
        Some((skirt_mm, skirt_c)) => {
            let a_skirt = pigment.absorbed(skirt_c);
            let a_both = pigment.absorbed(look.concentration + skirt_c);
            // Transmittances multiply: τ_core = τ_both / τ_skirt; removed shares add.
            let core = InnerDisk {
                diameter_px: look.diameter_mm * px_per_mm,
                absorbed: std::array::from_fn(|k| 1.0 - (1.0 - a_both[k]) / (1.0 - a_skirt[k]).max(1e-12)),
                diffused: std::array::from_fn(|k| a_both[k] - a_skirt[k]),
            };
            disk(skirt_mm, a_skirt, Some(core))
        }
    }
}

/// The preview of a selection in a state on the view's photo, pigments from `library`.
pub fn preview(
    photo: &RgbImage,
    design: &Design,
    view: &View,
    imp: &Impressions,
    state: PreviewState,
    sel: Selection,
    library: &PigmentLibrary,
) -> Result<RgbImage, UnknownPigment> {
    preview_onto(photo.clone(), design, view, imp, state, sel, library)
}

/// [`preview`] drawn on the photo itself, for callers done with the original.
pub fn preview_onto(
    mut photo: RgbImage,
    design: &Design,
    view: &View,
    imp: &Impressions,
    state: PreviewState,
    sel: Selection,
    library: &PigmentLibrary,
) -> Result<RgbImage, UnknownPigment> {
    let dots = render_dots(&photo, design, view, imp, state, sel, library)?;
    let px_per_mm = view.mm_to_px.px_per_mm();
    let cam = PhotoCamera::estimate(&photo, dots_box(&dots), px_per_mm);
    render_onto(&mut photo, &dots, px_per_mm, &SkinOptics::default(), &cam, design.seed());
    Ok(photo)
}

/// The pixels the dots lie on (their centres' bounding box): where the photo's grain and
/// light are read.
pub fn dots_box(dots: &[RenderDot]) -> PxBox {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for d in dots {
        (x0, y0, x1, y1) = (x0.min(d.x), y0.min(d.y), x1.max(d.x), y1.max(d.y));
    }
    if dots.is_empty() {
        return PxBox {
            x0: 0,
            y0: 0,
            x1: 0,
            y1: 0,
        };
    }
    PxBox {
        x0: x0.max(0.0) as u32,
        y0: y0.max(0.0) as u32,
        x1: x1.max(0.0).ceil() as u32 + 1,
        y1: y1.max(0.0).ceil() as u32 + 1,
    }
}

/// Purpose of the stream that decides which blend dots show through thinning hair.
const BLEND_SHOW_PURPOSE: u64 = 0x626c_656e_6473;

/// A uniform number in [0, 1) fixed by a design point, from the one source of randomness.
/// A dot's rank among the dots that show where hair hides part of the scalp, 0–1: the
/// dots of earlier sessions first, in a random order within each (a hash of the
/// position, so every render agrees). Each session's dots, and those of sessions 1..k
/// together, are evenly spread, so the dots ranked below a share are close to an even
/// subset too: a random pick of the whole set would clump, drawing a mottle of
/// 1–2 mm patches over thinning hair.
fn show_rank(d: &smp_dots::impressions::Impression, cumulative: &[f64]) -> f64 {
    let k = usize::from(d.session.max(1)) - 1;
    let (lo, hi) = match cumulative.get(k) {
        Some(&hi) => (if k == 0 { 0.0 } else { cumulative[k - 1] }, hi),
        None => (0.0, 1.0),
    };
    lo + unit_hash(d.pos()) * (hi - lo)
}

fn unit_hash(p: smp_design::PointMm) -> f64 {
    smp_dots::rng::Rng::new(p.x.to_bits() ^ p.y.to_bits().rotate_left(29), BLEND_SHOW_PURPOSE).f64()
}
