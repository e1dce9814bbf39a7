//! Close-up photos of haired scalp: a flat patch facing the camera at a stated scale,
//! with the head's own stubble (the same lattice, units, tips and shafts under the
//! skin as [`super::synth`] draws for the same seed), skin texture, the hair's grey
//! cast, a gentle light gradient and a milder camera than the head photos' (sensor
//! noise and JPEG, no lens blur). The true number of tips in the
//! image is counted, so its density is exact: what stubble detection is tested on.

use rayon::prelude::*;
use smp_design::PointMm;

use super::color::{Palette, mix, mul, to_srgb8};
use super::marks::flat_splats;
use super::noise::Noise;
use super::rng::purpose;
use super::sensor::{Optics, develop};
use super::skin::Texture;
use super::splat::Band;
use super::stubble::grow_full;
use super::{Shot, SynthParams, apply_shot, check, check_shot};

/// Design point (mm) at the close-up's centre: mid-scalp, fully haired on every pattern's
/// natural head, 45 mm in front of the crown whorl.
const CENTRE: (f64, f64) = (20.0, 195.0);
/// Shafts reach this far (mm) behind their tips: units this far outside still show.
const MARGIN_MM: f64 = 1.0;

/// A synthetic close-up of haired scalp with its true figures.
#[derive(Debug, Clone)]
pub struct Closeup {
    /// The photo (sRGB).
    pub image: image::RgbImage,
    /// Scale, pixels per mm (the same everywhere: the patch is flat and square-on).
    pub px_per_mm: f64,
    /// True number of stubble tips whose centre lies inside the image.
    pub tips: usize,
    /// Area the image shows, cm².
    pub area_cm2: f64,
    /// True density of this image: `tips / area_cm2`, hairs per cm².
    pub density_per_cm2: f64,
    /// True mean diameter of those tips, mm (on the skin, before the camera's blur).
    pub mean_diameter_mm: f64,
    /// The camera's blur, Gaussian σ in pixels (0: the close-ups' camera has none).
    pub psf_px: f64,
    /// Scalp skin colour before texture (sRGB).
    pub skin_rgb: [u8; 3],
    /// Colour of a stubble tip as drawn in the skin (sRGB).
    pub hair_rgb: [u8; 3],
    /// Where the calibration card's corners are, pixels, when the shot has one.
    pub card_corners_px: Option<[[f64; 2]; 4]>,
}

/// Draw a close-up of fully haired scalp, `size_px` (width, height) at `px_per_mm`.
/// `params.pattern`, `view`, `scar` and `width_px` play no part (the patch is haired
/// scalp of the natural head); `skin_type`, `hair_level` and `seed` do.
///
/// Errors: a parameter out of range (the message names it and its valid range).
pub fn synth_closeup(params: &SynthParams, px_per_mm: f64, size_px: (u32, u32)) -> Result<Closeup, String> {
    closeup(params, px_per_mm, size_px, true, &Shot::default())
}

/// [`synth_closeup`] (or, without `stubble`, [`synth_bare_closeup`]) in the light of
/// `shot`, with its card (if any) on the patch.
///
/// Errors: as [`synth_closeup`], and a light out of range.
pub fn synth_closeup_shot(
    params: &SynthParams,
    px_per_mm: f64,
    size_px: (u32, u32),
    shot: &Shot,
    stubble: bool,
) -> Result<Closeup, String> {
    check_shot(shot)?;
    closeup(params, px_per_mm, size_px, stubble, shot)
}

/// The same patch as [`synth_closeup`] with no stubble at all (bare skin: texture,
/// pores, light and noise only), for checking that bare skin counts no tips.
///
/// Errors: as [`synth_closeup`].
pub fn synth_bare_closeup(params: &SynthParams, px_per_mm: f64, size_px: (u32, u32)) -> Result<Closeup, String> {
    closeup(params, px_per_mm, size_px, false, &Shot::default())
}

fn closeup(params: &SynthParams, px_per_mm: f64, size_px: (u32, u32), stubble: bool, shot: &Shot) -> Result<Closeup, String> {
    check(params)?;
    check_closeup(px_per_mm, size_px)?;
    let (w, h) = size_px;
    let (wmm, hmm) = (f64::from(w) / px_per_mm, f64::from(h) / px_per_mm);
    let origin = PointMm::new(CENTRE.0 - wmm / 2.0, CENTRE.1 - hmm / 2.0);
    let mut hairs = grow_full(
        params.seed,
        PointMm::new(origin.x - MARGIN_MM, origin.y - MARGIN_MM),
        PointMm::new(origin.x + wmm + MARGIN_MM, origin.y + hmm + MARGIN_MM),
    );
    if !stubble {
        hairs.clear();
    }
    let inside: Vec<f64> = hairs
        .iter()
        .filter(|hr| {
            let (x, y) = ((hr.p.x - origin.x) * px_per_mm, (hr.p.y - origin.y) * px_per_mm);
            x >= 0.0 && y >= 0.0 && x < f64::from(w) && y < f64::from(h)
        })
        .map(|hr| hr.d)
        .collect();
    let palette = Palette::new(params.skin_type, params.hair_level);
    let look = super::HairLook::default();
    let marks_look = super::marks::Look {
        grey_fraction: look.grey_fraction,
        stubble_length_mm: look.stubble_length_mm,
        seed: params.seed,
    };
    let splats = flat_splats(&hairs, origin, px_per_mm, &palette, &marks_look);
    let (wu, hu) = (w as usize, h as usize);
    let mut albedo = skin_albedo(params.seed, &palette, (origin, px_per_mm), (wu, hu), stubble);
    let mut band = Band {
        y0: 0,
        width: wu,
        albedo: &mut albedo,
    };
    for s in &splats {
        band.draw(s);
    }
    let mut light = lit(&albedo, wu, hu);
    // A milder camera than the head photos': no lens blur (see `Optics::closeup`).
    let optics = Optics::closeup();
    apply_shot(&mut light, wu, shot);
    let image = develop(light, wu, hu, optics, params.seed);
    let area_cm2 = wmm * hmm / 100.0;
    let mean_diameter_mm = if inside.is_empty() {
        0.0
    } else {
        inside.iter().sum::<f64>() / inside.len() as f64
    };
    Ok(Closeup {
        image,
        px_per_mm,
        tips: inside.len(),
        area_cm2,
        density_per_cm2: inside.len() as f64 / area_cm2,
        mean_diameter_mm,
        psf_px: optics.psf_px,
        skin_rgb: to_srgb8(palette.skin),
        hair_rgb: to_srgb8(palette.tip),
        card_corners_px: shot.card.map(|c| c.corners_px().map(|(x, y)| [x, y])),
    })
}

/// An error unless the close-up's scale and size are in range.
fn check_closeup(px_per_mm: f64, (w, h): (u32, u32)) -> Result<(), String> {
    if !(px_per_mm.is_finite() && (5.0..=200.0).contains(&px_per_mm)) {
        return Err(format!("close-up scale {px_per_mm} px/mm is outside 5..=200"));
    }
    if !(16..=8000).contains(&w) || !(16..=8000).contains(&h) {
        return Err(format!("close-up size {w}×{h} px is outside 16..=8000 per side"));
    }
    Ok(())
}

/// The textured skin of a `wu` × `hu` px patch whose corner is design point `origin` at
/// `px_per_mm`, with the grey cast of the hair under it when it has `stubble`.
fn skin_albedo(
    seed: u64,
    palette: &Palette,
    (origin, px_per_mm): (PointMm, f64),
    (wu, hu): (usize, usize),
    stubble: bool,
) -> Vec<[f32; 3]> {
    let texture = Texture::new(seed, px_per_mm);
    let tint = Noise::new(seed, purpose::SKIN + 400);
    let mut albedo = vec![[0.0f32; 3]; wu * hu];
    albedo.par_chunks_mut(wu).enumerate().for_each(|(y, row)| {
        for (x, a) in row.iter_mut().enumerate() {
            // Image mm measured from the patch's design origin, so the texture and the
            // hair cast are those of that spot of the head.
            let (u, v) = (origin.x + (x as f64 + 0.5) / px_per_mm, origin.y + (y as f64 + 0.5) / px_per_mm);
            let alb = mul(palette.skin, texture.at(u, v, 0.0));
            // Fully haired scalp: the grey cast of the hair under the skin at full strength.
            let k = if stubble {
                (1.0 + 0.15 * tint.fbm(u, v, 6.0, 2)).clamp(0.0, 1.0)
            } else {
                0.0
            };
            *a = mix(alb, mul(alb, palette.shadow), k).map(|c| c as f32);
        }
    });
    albedo
}

/// The light off a `wu` × `hu` patch of `albedo`: a soft light falling off by ~12 %
/// across it (key light from the upper left, as in the head photos).
fn lit(albedo: &[[f32; 3]], wu: usize, hu: usize) -> Vec<[f32; 3]> {
    let mut light = vec![[0.0f32; 3]; wu * hu];
    light.par_chunks_mut(wu).enumerate().for_each(|(y, row)| {
        for (x, out) in row.iter_mut().enumerate() {
            let (fx, fy) = (x as f64 / wu as f64, y as f64 / hu as f64);
            let k = (1.04 - 0.07 * fx - 0.05 * fy) as f32;
            *out = albedo[y * wu + x].map(|c| c * k);
        }
    });
    light
}

#[cfg(test)]
mod tests {
    use super::super::scalp::Scalp;
    use super::super::stubble::grow;
    use super::*;

    /// The close-up shows the head's own stubble: the hairs `grow` puts on a fully
    /// haired head of the same seed, one for one.
    #[test]
    fn closeup_hairs_are_the_heads_hairs() {
        let seed = 11;
        let hairline = [(-60.0, 118.0), (0.0, 80.0), (60.0, 118.0)];
        let outline = super::super::scalp::natural_outline(
            super::super::SynthView::Top,
            &super::super::camera::Camera::new(super::super::SynthView::Top, 400),
            &hairline,
        );
        let head = grow(
            &Scalp::new(&outline, &hairline, &[], None, seed, super::super::scalp::FULL_BOUNDS),
            seed,
        );
        let (lo, hi) = (PointMm::new(10.0, 185.0), PointMm::new(30.0, 205.0));
        let inside = |p: PointMm| p.x > lo.x + 1.0 && p.x < hi.x - 1.0 && p.y > lo.y + 1.0 && p.y < hi.y - 1.0;
        let key = |h: &super::super::stubble::Hair| (h.p.x.to_bits(), h.p.y.to_bits(), h.d.to_bits());
        let mut a: Vec<_> = head.hairs.iter().filter(|h| inside(h.p)).map(key).collect();
        let mut b: Vec<_> = grow_full(seed, lo, hi).iter().filter(|h| inside(h.p)).map(key).collect();
        a.sort_unstable();
        b.sort_unstable();
        assert!(a.len() > 500, "{}", a.len());
        assert_eq!(a, b);
    }
}
