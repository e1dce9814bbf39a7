//! Synthetic heads at the photo's scale and what the Must-show tests read off them:
//! where each pixel lies on the design, the bands either side of the treatment's edge,
//! L* and grey levels.

use image::RgbImage;
use smp_color::pigments::{PigmentLibrary, match_pigment};
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};
use smp_design::draft::PigmentDraft;
use smp_design::geometry::contains;
use smp_design::{Design, Pattern, PointMm, RegionKind, View};
use smp_dots::{Impressions, Selection, impressions};
use smp_render::preview::preview;
use smp_render::state::PreviewState;
use smp_synth::{SynthHead, SynthParams, SynthView, synth};

/// A synthetic head `width_px` wide (3–5 px/mm, a consultation photo's scale).
pub fn head(pattern: Pattern, view: SynthView, skin_type: u8, hair_level: u8, seed: u64, width_px: u32) -> SynthHead {
    synth(
        &SynthParams {
            pattern,
            view,
            skin_type,
            hair_level,
            scar: None,
            seed,
            width_px,
        },
        "photo.png",
    )
    .unwrap()
}

/// The head's design (the pattern's template: its treat regions are the head's bald
/// areas), its photo view and impressions.
pub fn design_of(h: &SynthHead) -> (&Design, &View, Impressions) {
    let v = &h.design.views()[h.design.views().len() - 1];
    (&h.design, v, impressions::generate(&h.design))
}

/// The healed (or other state's) preview of a head with its template design, inked as a
/// practitioner would: the pigment and dilution the match picks for the client's skin and
/// stubble tips, in every treat and blend region.
pub fn render_state(h: &SynthHead, state: PreviewState) -> RgbImage {
    let lib = PigmentLibrary::builtin();
    let (skin, tip) = (linear_to_lab(rgb8_to_linear(h.skin_rgb)), linear_to_lab(rgb8_to_linear(h.hair_rgb)));
    let m = match_pigment(skin, tip, &lib).unwrap();
    let mut draft = h.design.to_draft();
    for r in &mut draft.regions {
        if matches!(r.kind, RegionKind::Treat | RegionKind::Blend) {
            r.pigment = Some(PigmentDraft {
                name: m.pigment.clone(),
                dilution: m.dilution,
            });
        }
    }
    let d = Design::from_draft(draft).unwrap();
    let v = &d.views()[d.views().len() - 1];
    let imp = impressions::generate(&d);
    preview(&h.image, &d, v, &imp, state, Selection::All, &lib).unwrap()
}

/// The design point a pixel shows (the inverse of `smp_photo::view::project`), `None`
/// off the head.
pub fn unproject(view: &View, x: f64, y: f64) -> Option<PointMm> {
    let Some(h) = view.head.as_ref() else {
        return view.mm_to_px.invert(x, y);
    };
    let (du, dv) = (x - h.center_px[0], y - h.center_px[1]);
    let (nx, ny) = (du / h.radii_px[0], dv / h.radii_px[1]);
    let s = (nx * nx + ny * ny).sqrt();
    if s >= 1.0 {
        return None;
    }
    let k = if s < 1e-12 { 1.0 } else { s.asin() / s };
    view.mm_to_px.invert(h.center_px[0] + du * k, h.center_px[1] + dv * k)
}

fn seg_dist(p: PointMm, a: PointMm, b: PointMm) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let l2 = dx * dx + dy * dy;
    let t = if l2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((p.x - a.x - t * dx).powi(2) + (p.y - a.y - t * dy).powi(2)).sqrt()
}

/// Distance from `p` to a polygon's outline, mm.
pub fn outline_dist(poly: &[PointMm], p: PointMm) -> f64 {
    (0..poly.len())
        .map(|i| seg_dist(p, poly[i], poly[(i + 1) % poly.len()]))
        .fold(f64::INFINITY, f64::min)
}

/// Which side of the treatment's edge a pixel is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Inside a treat region.
    Treated,
    /// On native hair: outside every region, behind the hairline.
    Native,
}

/// Each pixel's side and distance to the nearest treat region's edge (mm), or `None`
/// for pixels off the head, in blend or scar regions, or in front of the hairline.
pub fn sides(h: &SynthHead) -> Vec<Option<(Side, f64)>> {
    let (d, v, _) = design_of(h);
    let treat: Vec<&[PointMm]> = d
        .regions()
        .iter()
        .filter(|r| r.kind == RegionKind::Treat)
        .map(|r| r.polygon.as_slice())
        .collect();
    let others: Vec<&[PointMm]> = d
        .regions()
        .iter()
        .filter(|r| r.kind != RegionKind::Treat)
        .map(|r| r.polygon.as_slice())
        .collect();
    let hairline: Vec<PointMm> = d.hairline().map(|l| l.points.clone()).unwrap_or_default();
    let (w, hgt) = h.image.dimensions();
    let mut out = vec![None; (w * hgt) as usize];
    for y in 0..hgt {
        for x in 0..w {
            let Some(q) = unproject(v, f64::from(x) + 0.5, f64::from(y) + 0.5) else {
                continue;
            };
            let dist = treat.iter().map(|p| outline_dist(p, q)).fold(f64::INFINITY, f64::min);
            let side = if treat.iter().any(|p| contains(p, q)) {
                Side::Treated
            } else if others.iter().any(|p| contains(p, q)) || in_front_of(&hairline, q) {
                continue;
            } else {
                Side::Native
            };
            out[(y * w + x) as usize] = Some((side, dist));
        }
    }
    out
}

/// In front of the hairline (towards the face), where there is forehead, not hair.
fn in_front_of(hairline: &[PointMm], q: PointMm) -> bool {
    hairline.windows(2).any(|s| {
        let (a, b) = if s[0].x <= s[1].x { (s[0], s[1]) } else { (s[1], s[0]) };
        q.x >= a.x && q.x <= b.x && b.x > a.x && q.y < a.y + (b.y - a.y) * (q.x - a.x) / (b.x - a.x)
    })
}

/// L* of a pixel.
pub fn lstar(p: [u8; 3]) -> f64 {
    linear_to_lab(rgb8_to_linear(p))[0]
}

/// Grey level (Rec. 601 luma) of every pixel.
pub fn grey(img: &RgbImage) -> Vec<f64> {
    img.pixels()
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .collect()
}

/// CIELAB of the mean linear colour of the pixels `pick` selects.
pub fn mean_lab_where(img: &RgbImage, pick: impl Fn(usize) -> bool) -> [f64; 3] {
    let (mut s, mut n) = ([0.0; 3], 0.0);
    for (i, p) in img.pixels().enumerate() {
        if pick(i) {
            let l = rgb8_to_linear(p.0);
            (0..3).for_each(|k| s[k] += l[k]);
            n += 1.0;
        }
    }
    linear_to_lab(s.map(|v| v / n))
}

/// Standard deviation of the 4-neighbour Laplacian of grey levels over the pixels `pick`
/// selects (whose four neighbours lie in the image).
pub fn laplacian_sd(img: &RgbImage, pick: impl Fn(usize) -> bool) -> f64 {
    let g = grey(img);
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (mut s, mut s2, mut n) = (0.0, 0.0, 0.0);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let i = y * w + x;
            if pick(i) {
                let l = 4.0 * g[i] - g[i - 1] - g[i + 1] - g[i - w] - g[i + w];
                s += l;
                s2 += l * l;
                n += 1.0;
            }
        }
    }
    (s2 / n - (s / n).powi(2)).sqrt()
}

/// Share of the pixels `pick` selects that are more than `levels` grey levels below the
/// median of their 5×5 neighbourhood.
pub fn speck_share(img: &RgbImage, levels: f64, pick: impl Fn(usize) -> bool) -> f64 {
    let g = grey(img);
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (mut specks, mut n) = (0usize, 0usize);
    let mut nb = Vec::with_capacity(25);
    for y in 2..h - 2 {
        for x in 2..w - 2 {
            let i = y * w + x;
            if !pick(i) {
                continue;
            }
            nb.clear();
            for dy in 0..5 {
                nb.extend_from_slice(&g[(y + dy - 2) * w + x - 2..(y + dy - 2) * w + x + 3]);
            }
            nb.sort_unstable_by(f64::total_cmp);
            n += 1;
            if g[i] < nb[12] - levels {
                specks += 1;
            }
        }
    }
    specks as f64 / n as f64
}

/// Grey levels blurred by a Gaussian of `sigma_px` (separable, truncated at 3σ, edges
/// clamped).
pub fn gaussian_blur(g: &[f64], w: usize, h: usize, sigma_px: f64) -> Vec<f64> {
    let r = (3.0 * sigma_px).ceil() as isize;
    let taps: Vec<f64> = (-r..=r).map(|i| (-(i * i) as f64 / (2.0 * sigma_px * sigma_px)).exp()).collect();
    let total: f64 = taps.iter().sum();
    let pass = |src: &[f64], horizontal: bool| -> Vec<f64> {
        let mut out = vec![0.0; w * h];
        for y in 0..h {
            for x in 0..w {
                let mut s = 0.0;
                for (k, t) in taps.iter().enumerate() {
                    let o = k as isize - r;
                    let (xx, yy) = if horizontal {
                        ((x as isize + o).clamp(0, w as isize - 1) as usize, y)
                    } else {
                        (x, (y as isize + o).clamp(0, h as isize - 1) as usize)
                    };
                    s += t * src[yy * w + xx];
                }
                out[y * w + x] = s / total;
            }
        }
        out
    };
    pass(&pass(g, true), false)
}

/// Standard deviation, over the pixels `pick` selects, of the grey levels' band between
/// two Gaussian scales (a difference of Gaussians, σ in pixels): the mottle of that size.
pub fn band_sd(img: &RgbImage, (fine_px, coarse_px): (f64, f64), pick: impl Fn(usize) -> bool) -> f64 {
    let g = grey(img);
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (a, b) = (gaussian_blur(&g, w, h, fine_px), gaussian_blur(&g, w, h, coarse_px));
    let (mut s, mut s2, mut n) = (0.0, 0.0, 0.0);
    for i in 0..w * h {
        if pick(i) {
            let d = a[i] - b[i];
            s += d;
            s2 += d * d;
            n += 1.0;
        }
    }
    (s2 / n - (s / n).powi(2)).sqrt()
}
