//! Colour through the card: the neutral patches as the camera saw them against what the
//! card reflects give, per channel, a tone curve `reference = gain·measured^γ + offset`
//! in linear light. The gains are the white balance and exposure, γ the camera's tone
//! curve, the offset the flare over the black. Printer colours vary, so only neutrals
//! are used: they correct the light and the camera, not the skin's own colour.
//!
//! A ColorChecker chart held in the photo (`crate::chart`) fits the same curves to its six
//! neutrals, then a colour matrix to its 24 known colours.

use smp_color::delta_e::delta_e00;
use smp_color::srgb::{from_linear, linear_to_lab, to_linear};

use super::layout::PATCHES;

/// What the card's white paper reflects, linear (CIE Y): office paper's L* ≈ 95.
pub const PAPER_Y: f64 = 0.88;
/// What its black ink reflects, linear: printed black's L* ≈ 20.
pub const INK_Y: f64 = 0.03;

/// The tone-curve exponents searched, their range and step.
const GAMMA_RANGE: (f64, f64, f64) = (0.4, 2.5, 0.01);

/// The linear reflectance a patch of printed grey `grey` (0–1, taken as sRGB) has: ink
/// and paper mixed as the printer's halftone mixes them.
pub fn patch_reflectance(grey: f64) -> f64 {
    INK_Y + (PAPER_Y - INK_Y) * to_linear(grey)
}

/// Which reference held in the photo a colour correction was fitted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The calibration card's grey patches (`smp card`).
    Card,
    /// A ColorChecker Classic 24 colour chart.
    Chart,
}

/// A correction from the photo's linear light to the scene's reflectance: a tone curve
/// per channel, then a 3 × 3 colour matrix (the identity for the card, whose neutrals
/// cannot tell colours apart; fitted to the chart's 24 colours).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColourCorrection {
    /// Per channel (R, G, B): gain, exponent γ, offset.
    pub curves: [[f64; 3]; 3],
    /// Linear RGB after the curves to the scene's, row by output channel.
    pub matrix: [[f64; 3]; 3],
    /// Mean CIEDE2000 between the corrected patches and what the reference reflects:
    /// how well the correction fits it.
    pub residual_delta_e00: f64,
    /// What it was fitted to.
    pub reference: Reference,
}

/// The 3 × 3 identity.
pub const IDENTITY: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

impl ColourCorrection {
    /// Fit the curves to the card's patches (`None` where clipped); `None` with fewer
    /// than three usable patches.
    pub fn fit(patches_linear: &[Option<[f64; 3]>; 5]) -> Option<Self> {
        let pairs: Vec<([f64; 3], [f64; 3])> = patches_linear
            .iter()
            .zip(&PATCHES)
            .filter_map(|(m, p)| m.map(|m| (m, [patch_reflectance(p.grey); 3])))
            .collect();
        if pairs.len() < 3 {
            return None;
        }
        let mut out = ColourCorrection {
            curves: fit_curves(&pairs),
            matrix: IDENTITY,
            residual_delta_e00: 0.0,
            reference: Reference::Card,
        };
        out.residual_delta_e00 = out.mean_delta_e00(&pairs);
        Some(out)
    }

    /// Mean CIEDE2000 of the corrected `(measured, reference)` pairs, linear light.
    pub(crate) fn mean_delta_e00(&self, pairs: &[([f64; 3], [f64; 3])]) -> f64 {
        pairs.iter().map(|(m, r)| self.delta_e00(*m, *r)).sum::<f64>() / pairs.len().max(1) as f64
    }

    /// CIEDE2000 between `measured` once corrected and `reference`, linear light.
    pub(crate) fn delta_e00(&self, measured: [f64; 3], reference: [f64; 3]) -> f64 {
        delta_e00(linear_to_lab(self.apply_linear(measured)), linear_to_lab(reference))
    }

    /// A linear colour of the photo through the tone curves alone, not clamped.
    pub(crate) fn curved(&self, l: [f64; 3]) -> [f64; 3] {
        std::array::from_fn(|c| {
            let [g, gamma, o] = self.curves[c];
            g * l[c].max(0.0).powf(gamma) + o
        })
    }

    /// The scene's linear reflectance for a linear colour of the photo.
    pub fn apply_linear(&self, l: [f64; 3]) -> [f64; 3] {
        let v = self.curved(l);
        let m = &self.matrix;
        std::array::from_fn(|r| (m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2]).clamp(0.0, 1.0))
    }

    /// [`ColourCorrection::apply_linear`] for an 8-bit sRGB colour, to 8-bit sRGB.
    pub fn apply_rgb8(&self, p: [u8; 3]) -> [u8; 3] {
        let l = self.apply_linear(smp_color::srgb::rgb8_to_linear(p));
        l.map(|v| (255.0 * from_linear(v)).round().clamp(0.0, 255.0) as u8)
    }

    /// The card's stored correction (`smp_design::CardRecord`'s colour fields).
    pub fn from_record(r: &smp_design::CardRecord) -> Self {
        ColourCorrection {
            curves: r.colour_curves,
            matrix: IDENTITY,
            residual_delta_e00: r.residual_delta_e00,
            reference: Reference::Card,
        }
    }

    /// The colour chart's stored correction.
    pub fn from_chart(r: &smp_design::ChartRecord) -> Self {
        ColourCorrection {
            curves: r.colour_curves,
            matrix: r.colour_matrix,
            residual_delta_e00: r.residual_delta_e00,
            reference: Reference::Chart,
        }
    }

    /// The correction a view's colours are read through: its colour chart's when it has
    /// one (24 colours, skin tones among them), else its calibration card's.
    pub fn of_view(view: &smp_design::View) -> Option<Self> {
        view.chart
            .as_ref()
            .map(Self::from_chart)
            .or_else(|| view.card.as_ref().map(Self::from_record))
    }

    /// A view's `photo` as its correction gives it (as it is when the view has none),
    /// and the correction: what every colour read from a view's photo goes through.
    pub fn view_photo<'a>(view: &smp_design::View, photo: &'a image::RgbImage) -> (Option<Self>, std::borrow::Cow<'a, image::RgbImage>) {
        match Self::of_view(view) {
            Some(k) => (Some(k), std::borrow::Cow::Owned(k.correct_image(photo))),
            None => (None, std::borrow::Cow::Borrowed(photo)),
        }
    }

    /// `photo` with every pixel corrected. Without a colour matrix each channel's curve
    /// depends on that channel alone, so a table of 256 levels per channel does it;
    /// with one, the tables give linear light and the matrix mixes it.
    pub fn correct_image(&self, photo: &image::RgbImage) -> image::RgbImage {
        let mut out = photo.clone();
        if self.matrix == IDENTITY {
            let lut: [[u8; 256]; 3] = std::array::from_fn(|c| {
                std::array::from_fn(|v| {
                    let mut p = [0u8; 3];
                    p[c] = v as u8;
                    self.apply_rgb8(p)[c]
                })
            });
            for p in out.pixels_mut() {
                p.0 = std::array::from_fn(|c| lut[c][p.0[c] as usize]);
            }
            return out;
        }
        let lut: [[f32; 256]; 3] = std::array::from_fn(|c| {
            std::array::from_fn(|v| {
                let mut l = [0.0; 3];
                l[c] = to_linear(v as f64 / 255.0);
                self.curved(l)[c] as f32
            })
        });
        let m = self.matrix.map(|r| r.map(|v| v as f32));
        let enc = smp_color::srgb::EncodeLut::new();
        for p in out.pixels_mut() {
            let v: [f32; 3] = std::array::from_fn(|c| lut[c][p.0[c] as usize]);
            p.0 = std::array::from_fn(|r| enc.encode((m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2]).clamp(0.0, 1.0)));
        }
        out
    }

    /// The white balance: the gain each channel of the photo (linear) needs for paper
    /// white to come out neutral, relative to green, from the tone curves alone (a
    /// chart's colour matrix, applied after them, is not in it).
    pub fn white_balance(&self) -> [f64; 3] {
        let white = |c: usize| {
            let [g, gamma, o] = self.curves[c];
            // The photo's level that reads as paper white, in this channel.
            ((PAPER_Y - o) / g).max(1e-6).powf(1.0 / gamma)
        };
        let w = [white(0), white(1), white(2)];
        [w[1] / w[0], 1.0, w[1] / w[2]]
    }
}

/// Each channel's gain, tone exponent γ and offset by least squares over the patches:
/// for each γ on a grid the gain and offset are linear. Each channel has its own γ: a
/// camera's tone curve bends each channel where the light's cast puts it.
pub(crate) fn fit_curves(pairs: &[([f64; 3], [f64; 3])]) -> [[f64; 3]; 3] {
    let (lo, hi, step) = GAMMA_RANGE;
    let steps = ((hi - lo) / step).round() as usize;
    std::array::from_fn(|c| {
        let mut best = (f64::INFINITY, [1.0, 1.0, 0.0]);
        for k in 0..=steps {
            let gamma = lo + k as f64 * step;
            if let Some((g, o, err)) = fit_line(pairs.iter().map(|(m, r)| (m[c].max(1e-6).powf(gamma), r[c])))
                && err < best.0
            {
                best = (err, [g, gamma, o]);
            }
        }
        best.1
    })
}

/// Gain and offset of `reference = gain·x + offset` by least squares, and the error in
/// lightness (as the eye, and ΔE, weigh it); `None` when the gain is not positive.
fn fit_line(points: impl Iterator<Item = (f64, f64)>) -> Option<(f64, f64, f64)> {
    let pts: Vec<(f64, f64)> = points.collect();
    let n = pts.len() as f64;
    let (mx, my) = (pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx <= 1e-18 {
        return None;
    }
    let g = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx;
    if g <= 0.0 {
        return None;
    }
    let o = my - g * mx;
    let err = pts
        .iter()
        .map(|p| (from_linear((g * p.0 + o).clamp(0.0, 1.0)) - from_linear(p.1)).powi(2))
        .sum();
    Some((g, o, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undoes_a_cast_an_exposure_and_a_tone_curve() {
        // The card seen through a warm cast, one stop over and a camera curve of 0.8.
        let cast = [1.25, 1.0, 0.7];
        let seen = |refl: [f64; 3]| -> [f64; 3] { std::array::from_fn(|c| (2.0 * cast[c] * refl[c]).min(1.0).powf(1.0 / 0.8)) };
        let patches: [Option<[f64; 3]>; 5] = std::array::from_fn(|k| {
            let r = patch_reflectance(PATCHES[k].grey);
            let s = seen([r; 3]);
            // Overexposed white clips: it is left out, as the detector leaves it.
            (s.iter().all(|&v| v < 0.99)).then_some(s)
        });
        assert!(patches[0].is_none(), "white clips one stop over");
        let k = ColourCorrection::fit(&patches).unwrap();
        assert!(k.residual_delta_e00 < 0.5, "{k:?}");
        // A skin colour in the same light comes back within ΔE00 1.
        let skin = [0.30, 0.22, 0.17];
        let back = k.apply_linear(seen(skin));
        let de = delta_e00(linear_to_lab(back), linear_to_lab(skin));
        assert!(de < 1.0, "skin back at ΔE00 {de}: {back:?}");
        // White's photo levels differ by the cast through the camera's curve.
        let wb = k.white_balance();
        let want = [(1.0f64 / 1.25).powf(1.25), 1.0, (1.0f64 / 0.7).powf(1.25)];
        assert!((0..3).all(|c| (wb[c] - want[c]).abs() < 0.03 * want[c]), "{wb:?} against {want:?}");
        let photo = image::RgbImage::from_pixel(2, 1, image::Rgb(smp_color::srgb::linear_to_rgb8(seen(skin))));
        let fixed = k.correct_image(&photo);
        assert_eq!(fixed.get_pixel(1, 0).0, k.apply_rgb8(photo.get_pixel(1, 0).0));
        let few = [None, None, None, patches[3], patches[4]];
        assert!(ColourCorrection::fit(&few).is_none(), "two patches cannot fit three parameters");
    }
}
