//! From a design, its impressions and a photo view to the preview picture.

use image::RgbImage;
use smp_color::{Pigment, SkinOptics};
use smp_design::{Design, RegionKind, View};
use smp_dots::{Impressions, Selection};

use crate::mask::ScalpMask;
use crate::render::{RenderDot, render};
use crate::state::PreviewState;
use crate::view::project;

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
            if p.x < 0.0 || p.y < 0.0 || p.x >= w || p.y >= h {
                return None;
            }
            if design.regions()[d.region as usize].kind == RegionKind::Blend && mask.as_ref().is_some_and(|m| !m.is_scalp(photo, p.x, p.y))
            {
                return None;
            }
            let look = state.look(d.diameter_mm, d.shade);
            Some(RenderDot {
                x: p.x,
                y: p.y,
                diameter_px: look.diameter_mm * px_per_mm,
                foreshorten: p.foreshorten,
                radial: p.radial,
                absorbed: pigment.absorbed(look.concentration),
                halo: look.halo,
            })
        })
        .collect()
}

/// The preview of a selection in a state on the view's photo.
pub fn preview(photo: &RgbImage, design: &Design, view: &View, imp: &Impressions, state: PreviewState, sel: Selection) -> RgbImage {
    let dots = render_dots(photo, design, view, imp, state, sel);
    render(photo, &dots, view.mm_to_px.px_per_mm(), &SkinOptics::default())
}
