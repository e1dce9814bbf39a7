//! Synthetic heads for demos, tests and benchmarks: a photo-like picture of a shaved
//! head (top, front, side or back) with stubble drawn follicle by follicle, the
//! hair-loss pattern's bald and thinning areas, optional FUT/FUE scars, and the
//! pattern's design with one view calibrated to the picture, so the true answer of every
//! measurement is known.
//!
//! The scalp is modelled in design millimetres (x to the client's right, y towards the
//! back, glabella at the origin) and wrapped onto the head exactly as
//! [`smp_photo::view::project`] does, so design points land on the pixels that show them.

mod body;
mod camera;
pub mod card;
pub mod chart;
mod closeup;
mod color;
mod ear;
mod eye;
mod face;
mod geom;
mod light;
mod marks;
mod noise;
mod paint;
mod rng;
mod scalp;
mod sensor;
mod skin;
mod splat;
mod stubble;
mod surface;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod truth_tests;

use std::fmt;
use std::str::FromStr;

use smp_design::{Design, Pattern, RegionKind, View};
use smp_photo::labels::{LabelMap, frontal_line_mm};

pub use self::closeup::{Closeup, synth_bare_closeup, synth_closeup, synth_closeup_shot};

use self::geom::Poly;
use self::scalp::{Loss, THINNING};

/// Which photo of the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SynthView {
    /// From above, forehead towards the top of the image.
    Top,
    /// Facing the client.
    Front,
    /// The client's left side; the face points to the image's left edge.
    Left,
    /// The client's right side; the face points to the image's right edge.
    Right,
    /// From behind.
    Back,
}

impl SynthView {
    /// Every view.
    pub const ALL: [SynthView; 5] = [Self::Top, Self::Front, Self::Left, Self::Right, Self::Back];

    /// The view's name in designs: `top`, `front`, `left`, `right` or `back`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Top => "top",
            Self::Front => "front",
            Self::Left => "left",
            Self::Right => "right",
            Self::Back => "back",
        }
    }
}

impl fmt::Display for SynthView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SynthView {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown view {s:?}; use top, front, left, right or back"))
    }
}

/// Scar to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scar {
    /// A linear strip scar across the occiput from FUT harvesting: pale, slightly shiny,
    /// 2–4 mm wide along y ≈ 300–322, |x| < 112, without stubble.
    Fut,
    /// Healed FUE punches: pale round dots 0.8–1 mm across, in place of 20 % of the
    /// follicular units of the occipital donor band.
    Fue,
}

impl Scar {
    /// The scar's name: `fut` or `fue`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scar::Fut => "fut",
            Scar::Fue => "fue",
        }
    }
}

impl fmt::Display for Scar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scar {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "fut" => Ok(Scar::Fut),
            "fue" => Ok(Scar::Fue),
            _ => Err(format!("unknown scar {s:?}; use fut or fue")),
        }
    }
}

/// What to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthParams {
    /// Hair-loss pattern: its template's `treat` regions are bald, its `blend` regions
    /// thinning (45 % of the natural density); norwood-1 has a full head of stubble.
    pub pattern: Pattern,
    /// Which photo.
    pub view: SynthView,
    /// Fitzpatrick skin type, 1..=6.
    pub skin_type: u8,
    /// Hair level, 1 (black) ..= 10 (lightest blonde).
    pub hair_level: u8,
    /// Scar to add; `fut-scar` and `fue-scars` patterns imply theirs when `None`.
    pub scar: Option<Scar>,
    /// Seed of every random choice: the same parameters give the same image bytes.
    pub seed: u64,
    /// Image width in pixels, 200..=8000 (height is 1.25 × width).
    pub width_px: u32,
}

/// Default stubble length above the skin, mm: 0, a head shaved with a razor that day,
/// the look SMP imitates (domain.md: "a full head of shaved hair"), and what the stubble
/// detection and the preview's optics were calibrated on. Scalp hair then grows ~0.3–0.5
/// mm a day (Loussouarn et al. 2005, "Worldwide diversity of hair growth": 0.30 African
/// to 0.49 mm/day Asian hair), so 0.4 mm is about a day's stubble.
pub const DEFAULT_STUBBLE_LENGTH_MM: f64 = 0.0;
/// Longest stubble drawn, mm: longer hair no longer reads as a shaved head.
pub const MAX_STUBBLE_LENGTH_MM: f64 = 3.0;

/// How the hair looks beyond its level: grey and stubble length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HairLook {
    /// Share of the hairs that are white (unpigmented), 0..=1: 0 none, 0.5 "salt and
    /// pepper" grey, 1 white. Each hair is either pigmented or white, as in canities.
    pub grey_fraction: f64,
    /// Length of the stubble above the skin, mm (0 = shaved flush with a razor).
    pub stubble_length_mm: f64,
}

impl Default for HairLook {
    fn default() -> Self {
        HairLook {
            grey_fraction: 0.0,
            stubble_length_mm: DEFAULT_STUBBLE_LENGTH_MM,
        }
    }
}

/// A synthetic photo with its true figures.
#[derive(Debug, Clone)]
pub struct SynthHead {
    /// The photo (sRGB).
    pub image: image::RgbImage,
    /// What each pixel's centre shows, full resolution (`cell_px` 1): background, skin
    /// (face, forehead in front of the design's hairline, ears, neck, below the
    /// fringe), bald, thinning or haired scalp, scar; the coverage is the share of the
    /// natural hair density there (1 haired, 0.45 in thinning areas, ramps at edges).
    pub truth: LabelMap,
    /// The true pupil centres (image's left eye first), pixels; front views only.
    pub pupils_px: Option<[[f64; 2]; 2]>,
    /// The client's true interpupillary distance, mm (drawn by the seed, 57–69 mm).
    pub ipd_mm: f64,
    /// The camera's blur, Gaussian σ in pixels (lens, sensor and demosaicing).
    pub psf_px: f64,
    /// How the hair was drawn: grey share and stubble length.
    pub look: HairLook,
    /// The pattern's template with one view named after the photo, calibrated to it.
    pub design: Design,
    /// Scale of the photo at the head's centre, pixels per mm.
    pub px_per_mm: f64,
    /// True density of stubble HAIRS (individual tips, not follicular units) per cm² of
    /// fully haired scalp: the hairs of every unit whose lattice cell lies where the
    /// scalp carries its full natural density, divided by those cells' surface area
    /// (design mm², i.e. on the skin, before foreshortening). Hairline ramps, thinning
    /// areas, scars and the FUE donor band are left out. Units average ~2.2 hairs, at
    /// 70–90 units/cm² chosen by the seed.
    pub stubble_density_per_cm2: f64,
    /// True mean diameter of the stubble tips drawn, mm.
    pub stubble_diameter_mm: f64,
    /// Scalp skin colour (sRGB): what a bald patch facing the camera shows before
    /// texture.
    pub skin_rgb: [u8; 3],
    /// Colour of a stubble tip as drawn in the skin (sRGB).
    pub hair_rgb: [u8; 3],
    /// Where the calibration card's corners are, pixels (top left, top right, bottom
    /// right, bottom left), when the shot has one.
    pub card_corners_px: Option<[[f64; 2]; 4]>,
    /// Centres of the colour chart's corner patches, pixels (dark skin, bluish green,
    /// black, white), when the shot has one.
    pub chart_corner_patches_px: Option<[[f64; 2]; 4]>,
}

fn check_look(look: &HairLook) -> Result<(), String> {
    if !(0.0..=1.0).contains(&look.grey_fraction) {
        return Err(format!(
            "grey_fraction {} is outside 0..=1 (the share of white hairs)",
            look.grey_fraction
        ));
    }
    if !(0.0..=MAX_STUBBLE_LENGTH_MM).contains(&look.stubble_length_mm) {
        return Err(format!(
            "stubble_length_mm {} is outside 0..={MAX_STUBBLE_LENGTH_MM} mm",
            look.stubble_length_mm
        ));
    }
    Ok(())
}

fn check(params: &SynthParams) -> Result<(), String> {
    if !(1..=6).contains(&params.skin_type) {
        return Err(format!("skin_type {} is outside 1..=6 (Fitzpatrick types I–VI)", params.skin_type));
    }
    if !(1..=10).contains(&params.hair_level) {
        return Err(format!(
            "hair_level {} is outside 1..=10 (1 black … 10 lightest blonde)",
            params.hair_level
        ));
    }
    if !(200..=8000).contains(&params.width_px) {
        return Err(format!("width_px {} is outside 200..=8000 pixels", params.width_px));
    }
    match params.pattern {
        Pattern::Norwood(n) if !(1..=7).contains(&n) => Err(format!("pattern norwood-{n} is outside norwood-1 … norwood-7")),
        Pattern::Ludwig(n) if !(1..=3).contains(&n) => Err(format!("pattern ludwig-{n} is outside ludwig-1 … ludwig-3")),
        _ => Ok(()),
    }
}

/// Draw a synthetic head with dark stubble of the default length
/// ([`HairLook::default`]). `photo_file` names the image in the design's view.
///
/// Errors: a parameter out of range (the message names it and its valid range), or an
/// empty `photo_file`.
pub fn synth(params: &SynthParams, photo_file: &str) -> Result<SynthHead, String> {
    synth_with(params, &HairLook::default(), photo_file)
}

/// Draw a synthetic head whose hair looks as `look` says.
///
/// Errors: as [`synth`], and a grey share or stubble length out of range.
pub fn synth_with(params: &SynthParams, look: &HairLook, photo_file: &str) -> Result<SynthHead, String> {
    synth_shot(params, look, &Shot::default(), photo_file)
}

/// Put the shot's card into the scene `buf` (linear light, `w` pixels a row) and its
/// light's cast and exposure over everything; the pixels the card covers.
pub(crate) fn apply_shot(buf: &mut [[f32; 3]], w: usize, shot: &Shot) -> Vec<bool> {
    use rayon::prelude::*;
    let mut covered = vec![false; buf.len()];
    if let Some(c) = &shot.card {
        card::draw(buf, &mut covered, w, c);
    }
    if let Some(c) = &shot.chart {
        chart::draw(buf, &mut covered, w, c);
    }
    let gain = 2f64.powf(shot.exposure_ev);
    if shot.cast != [1.0; 3] || gain != 1.0 {
        let k = shot.cast.map(|c| (c * gain) as f32);
        buf.par_iter_mut().for_each(|p| (0..3).for_each(|c| p[c] *= k[c]));
    }
    covered
}

/// Whether a shot's light is one a photo could show.
pub(crate) fn check_shot(shot: &Shot) -> Result<(), String> {
    if shot.cast.iter().all(|c| c.is_finite() && (0.2..=5.0).contains(c)) && shot.exposure_ev.is_finite() && shot.exposure_ev.abs() <= 3.0 {
        Ok(())
    } else {
        Err(format!(
            "a colour cast of {:?} and an exposure of {} stops are outside what a photo shows (casts 0.2–5 per channel, exposure ±3 stops)",
            shot.cast, shot.exposure_ev
        ))
    }
}

/// Pixels per mm at the scalp in the photo `params` describes (before drawing it).
pub fn photo_px_per_mm(params: &SynthParams) -> f64 {
    camera::Camera::new(params.view, params.width_px).ppm
}

/// The light and what else is in the picture: the calibration card, a colour cast and
/// the exposure (the camera's blur, noise and JPEG follow).
#[derive(Debug, Clone, Copy)]
pub struct Shot<'a> {
    /// The calibration card held beside the head, if any.
    pub card: Option<card::CardShot<'a>>,
    /// A ColorChecker colour chart held beside the head, if any.
    pub chart: Option<chart::ChartShot>,
    /// The light's colour, per channel (R, G, B) multiplier of a neutral light's.
    pub cast: [f64; 3],
    /// Exposure, stops over the metered one (±1 is a stop brighter or darker).
    pub exposure_ev: f64,
}

impl Default for Shot<'_> {
    fn default() -> Self {
        Shot {
            card: None,
            chart: None,
            cast: [1.0; 3],
            exposure_ev: 0.0,
        }
    }
}

/// Draw a synthetic head as `look` says, in the light and with the card `shot` gives.
///
/// Errors: as [`synth_with`], and a cast or exposure out of range.
pub fn synth_shot(params: &SynthParams, look: &HairLook, shot: &Shot, photo_file: &str) -> Result<SynthHead, String> {
    check(params)?;
    check_shot(shot)?;
    check_look(look)?;
    let cam = camera::Camera::new(params.view, params.width_px);
    // Norwood 1 has no loss to design for (no template): the design carries Norwood 2's
    // regions, while the picture shows the full head of stubble.
    let template = match params.pattern {
        Pattern::Norwood(1) => Pattern::Norwood(2),
        p => p,
    }
    .template()?;
    let mut draft = template.to_draft();
    draft.views.push(View {
        name: params.view.as_str().to_string(),
        file: photo_file.to_string(),
        mm_to_px: cam.map,
        head: Some(cam.head),
        mask: None,
        photo_size_px: Some([cam.width, cam.height]),
        analysis: None,
        card: None,
        chart: None,
    });
    let design = Design::from_draft(draft).map_err(|e| format!("synthetic view is invalid: {e}"))?;

    let losses: Vec<Loss> = match params.pattern {
        Pattern::Norwood(n) if n >= 2 => losses(&design),
        Pattern::Ludwig(_) => losses(&design),
        _ => Vec::new(),
    };
    let scar = params.scar.or(match params.pattern {
        Pattern::FutScar => Some(Scar::Fut),
        Pattern::FueScars => Some(Scar::Fue),
        _ => None,
    });
    let field = field(&design, params.view, &cam, &losses, scar, params.seed);
    let hairs = stubble::grow(&field, params.seed);
    let palette = color::Palette::new(params.skin_type, params.hair_level).greyed(look.grey_fraction);
    let ipd_mm = rng::SplitMix::new(rng::hash(params.seed, rng::purpose::FEATURES, 2, 0)).range(57.0, 69.0);
    let build = body::Build {
        skin_type: params.skin_type,
        ipd_mm,
        seed: params.seed,
    };
    let layers = body::layers(&cam, params.view, &palette, build);
    let pupils_px = layers.iter().find_map(|l| match &l.marks {
        body::Marks::Face(f) if f.eyes.len() == 2 => Some([0, 1].map(|k| {
            let (x, y) = cam.px(f.eyes[k].pupil);
            [x, y]
        })),
        _ => None,
    });
    let marks_look = marks::Look {
        grey_fraction: look.grey_fraction,
        stubble_length_mm: look.stubble_length_mm,
        seed: params.seed,
    };
    let splats = marks::splats(&cam, &hairs, &palette, &marks_look);
    let scene = paint::Scene {
        cam: &cam,
        layers: &layers,
        scalp: &field,
        palette: &palette,
        texture: skin::Texture::new(params.seed, cam.ppm),
        tint_noise: noise::Noise::new(params.seed, rng::purpose::SKIN + 400),
    };
    let (mut buf, mut truth) = paint::paint(&scene, &splats);
    let (w, h) = (cam.width as usize, cam.height as usize);
    let covered = apply_shot(&mut buf, w, shot);
    for (i, _) in covered.iter().enumerate().filter(|(_, c)| **c) {
        truth.labels[i] = smp_photo::labels::Label::Background.code();
        truth.coverage[i] = 0.0;
    }
    let card_corners_px = shot.card.map(|c| c.corners_px().map(|(x, y)| [x, y]));
    let chart_corner_patches_px = shot.chart.map(|c| c.corner_patches_px().map(|(x, y)| [x, y]));
    let image = sensor::develop(buf, w, h, sensor::Optics::photo(cam.ppm), params.seed);
    Ok(SynthHead {
        image,
        truth,
        pupils_px,
        ipd_mm,
        psf_px: sensor::Optics::photo(cam.ppm).psf_px,
        look: *look,
        design,
        px_per_mm: cam.ppm,
        stubble_density_per_cm2: hairs.hairs_per_cm2,
        stubble_diameter_mm: hairs.mean_diameter_mm,
        skin_rgb: color::to_srgb8(palette.skin),
        hair_rgb: color::to_srgb8(palette.tip),
        card_corners_px,
        chart_corner_patches_px,
    })
}

/// The hair field of a photo: the natural outline as `view` shows it, whose front is the
/// design's frontal line (the rule the photo analysis uses), over what the camera sees.
fn field(design: &Design, view: SynthView, cam: &camera::Camera, losses: &[Loss], scar: Option<Scar>, seed: u64) -> scalp::Scalp {
    let hairline: Vec<geom::P2> = frontal_line_mm(design).iter().map(|p| (p.x, p.y)).collect();
    let outline = scalp::natural_outline(view, cam, &hairline);
    scalp::Scalp::new(&outline, &hairline, losses, scar, seed, cam.visible_bounds(25.0))
}

/// The template's bald (`treat`) and thinning (`blend`) areas.
fn losses(design: &Design) -> Vec<Loss> {
    design
        .regions()
        .iter()
        .filter_map(|r| {
            let keep = match r.kind {
                RegionKind::Treat => 0.0,
                RegionKind::Blend => THINNING,
                _ => return None,
            };
            Some(Loss {
                // Rounded corners: hair loss has no straight-edged corners.
                poly: Poly::new(geom::chaikin_closed(&r.polygon.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>(), 3)),
                keep,
            })
        })
        .collect()
}
