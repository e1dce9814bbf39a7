//! Finding the card in a photo: its four ring markers, the plane map they give, and its
//! neutral patches as the camera saw them.
//!
//! Dark pixels (darker than their surroundings by a fifth) are grouped into connected
//! parts. A marker is a dark part enclosing a hole, with the ring's, the hole's and the
//! dot's areas in the printed ratios (areas keep their ratios under any tilt) and an
//! outline that is an ellipse. The one plain marker and the three dotted ones, placed
//! by their geometry, give the card's homography; its neutral patches must then read
//! white to black, which rules out look-alikes.

use image::RgbImage;
use smp_color::srgb::decode_lut;

use super::homography::{Homography, median_rgb, square_samples};
use super::layout::{CARD_H_MM, CARD_W_MM, MARKERS_MM, PATCH_MM, PATCHES, Patch, RING_OUTER_MM, card_centre};
use super::parts::{label_parts, marker};

/// A pixel is dark when below this share of the mean around it.
const DARK_SHARE: f32 = 0.8;
/// … and at least this many levels below it (grain in shadows is not ink).
const DARK_MIN_STEP: f32 = 12.0;
/// A marker's radius may differ from the one the card's plane predicts by this factor
/// (log units): blur and the dark threshold grow or shrink a ring a little.
const MAX_RADIUS_LOG_ERROR: f64 = 0.3;
/// Fewest levels (sRGB) between the white and the black patch.
const MIN_PATCH_RANGE: f64 = 40.0;
/// Share of a patch's samples at the top of the range from which it counts as clipped.
const MAX_CLIPPED_SHARE: f64 = 0.25;
/// Samples per side of a patch's middle.
const PATCH_SAMPLES: usize = 12;

/// A ring marker found in the photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marker {
    /// Centre of the ring's outer outline, pixels.
    pub centre_px: (f64, f64),
    /// Radius of a circle of the outline's area, pixels.
    pub radius_px: f64,
    /// Whether its hole holds a dot (the plain marker is the card's top left).
    pub dotted: bool,
}

/// The card as found in a photo.
#[derive(Debug, Clone, PartialEq)]
pub struct CardFound {
    /// The card's corners, pixels: top left, top right, bottom right, bottom left.
    pub corners_px: [(f64, f64); 4],
    /// Card mm → photo pixels.
    pub homography: Homography,
    /// Pixels per mm in the card's plane at its centre.
    pub px_per_mm: f64,
    /// The neutral patches as the camera saw them, white to black: median linear RGB,
    /// `None` for a patch clipped by glare or overexposure.
    pub patches_linear: [Option<[f64; 3]>; 5],
}

/// Why no card was found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CardError {
    /// Nothing like the card's markers.
    #[error(
        "no calibration card was found in the photo: it may be missing, too small (its corner rings need to be at least about 30 pixels across, so the card about a tenth of the photo's width), out of focus or washed out; retake the photo with the whole card flat and sharp beside the area"
    )]
    NotFound,
    /// Some markers, not all four.
    #[error(
        "only {found} of the card's 4 corner rings were found: the card looks cut off, covered or bent; retake the photo with the whole card flat in view"
    )]
    Partial {
        /// Markers found.
        found: usize,
    },
    /// The card gives a scale no calibration can use.
    #[error("the card gives {px_per_mm:.2} pixels per mm, not a usable scale (0.5 to 200): retake the photo nearer or farther")]
    Unscaled {
        /// The scale it gave.
        px_per_mm: f64,
    },
    /// The patches are washed out by glare or too dark to read.
    #[error(
        "the card was found but its grey patches cannot be read ({why}); tilt the card away from the light or change the exposure, and retake the photo"
    )]
    Unreadable {
        /// What was wrong with the patches.
        why: String,
    },
}

/// Find the card in `photo`.
pub fn find_card(photo: &RgbImage) -> Result<CardFound, CardError> {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    if w < 16 || h < 16 {
        return Err(CardError::NotFound);
    }
    let dark = dark_mask(photo);
    let (labels, parts) = label_parts(&dark, w, h);
    let markers: Vec<Marker> = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| p.could_be_ring())
        .filter_map(|(i, p)| marker(&labels, &dark, w, i as u32 + 1, p))
        .collect();
    let plain: Vec<&Marker> = markers.iter().filter(|m| !m.dotted).collect();
    let dotted: Vec<&Marker> = markers.iter().filter(|m| m.dotted).collect();
    if markers.is_empty() {
        return Err(CardError::NotFound);
    }
    if plain.is_empty() || dotted.len() < 3 {
        return Err(CardError::Partial {
            found: (plain.len().min(1) + dotted.len().min(3)),
        });
    }
    let mut best: Option<(f64, Homography)> = None;
    // Few markers pass the shape tests; the card is the set whose plane predicts their
    // sizes best.
    let dotted = &dotted[..dotted.len().min(12)];
    for p in &plain {
        for a in 0..dotted.len() {
            for b in a + 1..dotted.len() {
                for c in b + 1..dotted.len() {
                    let Some(quad) = assign(p, [dotted[a], dotted[b], dotted[c]]) else {
                        continue;
                    };
                    let Some(hg) = Homography::from_points(&MARKERS_MM, &quad.map(|m| m.centre_px)) else {
                        continue;
                    };
                    let err = quad
                        .iter()
                        .zip(&MARKERS_MM)
                        .map(|(m, &at)| (m.radius_px / (RING_OUTER_MM * hg.area_scale(at).sqrt())).ln().abs())
                        .fold(0.0, f64::max);
                    if err <= MAX_RADIUS_LOG_ERROR && best.as_ref().is_none_or(|(e, _)| err < *e) {
                        best = Some((err, hg));
                    }
                }
            }
        }
    }
    let Some((_, hg)) = best else {
        return Err(CardError::Partial { found: 3 });
    };
    let patches = read_patches(photo, &hg)?;
    let corners = [(0.0, 0.0), (CARD_W_MM, 0.0), (CARD_W_MM, CARD_H_MM), (0.0, CARD_H_MM)].map(|c| hg.apply(c));
    Ok(CardFound {
        corners_px: corners,
        homography: hg,
        px_per_mm: hg.px_per_mm(card_centre()),
        patches_linear: patches,
    })
}

/// The plain marker and three dotted ones placed as top left, top right, bottom left,
/// bottom right (the layout's order): the dotted marker farthest from the plain one is
/// diagonal to it; of the other two, top right lies clockwise of the diagonal in the
/// image (y down), as on the card.
fn assign<'a>(plain: &'a Marker, d: [&'a Marker; 3]) -> Option<[&'a Marker; 4]> {
    let dist = |m: &Marker| (m.centre_px.0 - plain.centre_px.0).hypot(m.centre_px.1 - plain.centre_px.1);
    let far = (0..3).max_by(|&i, &j| dist(d[i]).total_cmp(&dist(d[j])))?;
    let others: Vec<&Marker> = (0..3).filter(|&i| i != far).map(|i| d[i]).collect();
    let o = plain.centre_px;
    let diag = (d[far].centre_px.0 - o.0, d[far].centre_px.1 - o.1);
    let cross = |m: &Marker| diag.0 * (m.centre_px.1 - o.1) - diag.1 * (m.centre_px.0 - o.0);
    let (tr, bl) = match (cross(others[0]) < 0.0, cross(others[1]) < 0.0) {
        (true, false) => (others[0], others[1]),
        (false, true) => (others[1], others[0]),
        _ => return None,
    };
    Some([plain, tr, bl, d[far]])
}

/// Pixels darker than their neighbourhood (a box of about a sixteenth of the photo's
/// shorter side): ink on the card whatever the light across it.
fn dark_mask(photo: &RgbImage) -> Vec<bool> {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let r = (w.min(h) / 16).clamp(8, 200);
    let raw = photo.as_raw();
    let luma = |x: usize, y: usize| -> u32 {
        let p = &raw[(y * w + x) * 3..(y * w + x) * 3 + 3];
        (u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8
    };
    // Column sums over the rows of the window, moved down a row at a time.
    let mut col = vec![0u32; w];
    let add_row = |col: &mut [u32], y: usize, sign: i64| {
        for (x, c) in col.iter_mut().enumerate() {
            *c = (i64::from(*c) + sign * i64::from(luma(x, y))) as u32;
        }
    };
    for y in 0..=r.min(h - 1) {
        add_row(&mut col, y, 1);
    }
    let mut dark = vec![false; w * h];
    let mut prefix = vec![0u64; w + 1];
    for y in 0..h {
        if y > 0 {
            if y + r < h {
                add_row(&mut col, y + r, 1);
            }
            if y > r {
                add_row(&mut col, y - r - 1, -1);
            }
        }
        let rows = (y + r).min(h - 1) + 1 - y.saturating_sub(r);
        for x in 0..w {
            prefix[x + 1] = prefix[x] + u64::from(col[x]);
        }
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r).min(w - 1) + 1);
            let mean = (prefix[x1] - prefix[x0]) as f32 / ((x1 - x0) * rows) as f32;
            let v = luma(x, y) as f32;
            dark[y * w + x] = v < DARK_SHARE * mean && mean - v > DARK_MIN_STEP;
        }
    }
    dark
}

/// Fewest unclipped patches to correct colour with.
pub const MIN_USABLE_PATCHES: usize = 3;

/// Each patch's median linear colour over the middle 40 % of its square (clear of the
/// colour a JPEG bleeds in from its neighbours), white to black, `None` where clipped;
/// refused when fewer than three are usable or they are out of order (glare, shadow).
fn read_patches(photo: &RgbImage, hg: &Homography) -> Result<[Option<[f64; 3]>; 5], CardError> {
    let dec = decode_lut();
    let mut out = [None; 5];
    let mut luma: Vec<f64> = Vec::new();
    let mut clipped_names = Vec::new();
    for (k, p) in PATCHES.iter().enumerate() {
        let (samples, clipped) = patch_samples(photo, hg, p);
        if samples.len() < PATCH_SAMPLES * PATCH_SAMPLES / 2 {
            return Err(CardError::Partial { found: 4 });
        }
        if clipped as f64 > MAX_CLIPPED_SHARE * samples.len() as f64 {
            clipped_names.push(patch_name(p));
            continue;
        }
        let v = median_rgb(&samples).map(|m| f64::from(dec[m as usize]));
        out[k] = Some(v);
        luma.push(0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]);
    }
    if luma.len() < MIN_USABLE_PATCHES {
        return Err(CardError::Unreadable {
            why: format!("the {} patches are overexposed by glare or light", clipped_names.join(", ")),
        });
    }
    if luma.windows(2).any(|w| w[1] >= w[0]) {
        return Err(CardError::Unreadable {
            why: "they do not run from white to black: glare or a shadow falls across the card".into(),
        });
    }
    let to_level = |l: f64| 255.0 * smp_color::srgb::from_linear(l);
    if to_level(luma[0]) - to_level(luma[luma.len() - 1]) < MIN_PATCH_RANGE {
        return Err(CardError::Unreadable {
            why: "the lightest and darkest differ too little: the photo is too dark or hazy".into(),
        });
    }
    Ok(out)
}

/// The sRGB samples of a patch's middle 40 % (and how many have a channel at 254 or more).
fn patch_samples(photo: &RgbImage, hg: &Homography, p: &Patch) -> (Vec<[u8; 3]>, usize) {
    let centre = (p.x_mm + 0.5 * PATCH_MM, p.y_mm + 0.5 * PATCH_MM);
    let samples = square_samples(photo, hg, centre, 0.2 * PATCH_MM, PATCH_SAMPLES);
    let clipped = samples.iter().filter(|s| s.iter().any(|&v| v >= 254)).count();
    (samples, clipped)
}

/// A patch's name in words.
fn patch_name(p: &Patch) -> &'static str {
    match p.grey {
        g if g >= 0.99 => "white",
        g if g <= 0.01 => "black",
        g if g >= 0.6 => "light grey",
        g if g >= 0.4 => "mid grey",
        _ => "dark grey",
    }
}
