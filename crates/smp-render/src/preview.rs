//! From a design, its impressions and a photo view to the preview picture.

use image::RgbImage;
use smp_color::{Pigment, SkinOptics};
use smp_design::{Design, RegionKind, View};
use smp_dots::{Impressions, Selection};

use crate::mask::ScalpMask;
use crate::render::{InnerDisk, RenderDot, render};
use crate::state::{DotLook, PreviewState};
use crate::view::{Projected, project};

/// The dots of a selection as the renderer sees them in a view and state. Dots hidden
/// behind the head or outside the photo are left out, and so are `blend` dots where the
/// view's mask says hair covers the scalp.
pub fn render_dots(
    photo: &RgbImage,
    design: &Design,
    view: &View,
    imp: &Impressions,
    state: PreviewState,
    sel: Selection,
) -> Vec<RenderDot> {
    let px_per_mm = view.mm_to_px.px_per_mm();
    let mask = view.mask.as_ref().map(ScalpMask::new);
    let pigment = Pigment::carbon();
    let (w, h) = (f64::from(photo.width()), f64::from(photo.height()));
    imp.select(sel)
        .filter_map(|d| {
            let p = project(view, d.pos())?;
            let outside = p.x < 0.0 || p.y < 0.0 || p.x >= w || p.y >= h;
            let hidden_by_hair = design.regions()[d.region as usize].kind == RegionKind::Blend
                && mask.as_ref().is_some_and(|m| !m.is_scalp(photo, p.x, p.y));
            (!outside && !hidden_by_hair).then(|| render_dot(&state.look(d.diameter_mm, d.shade), &p, px_per_mm, &pigment))
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

/// The preview of a selection in a state on the view's photo.
pub fn preview(photo: &RgbImage, design: &Design, view: &View, imp: &Impressions, state: PreviewState, sel: Selection) -> RgbImage {
    let dots = render_dots(photo, design, view, imp, state, sel);
    render(photo, &dots, view.mm_to_px.px_per_mm(), &SkinOptics::default())
}
