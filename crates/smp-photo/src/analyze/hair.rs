//! How much of the scalp the client's own hair hides, per cell: where the photo's
//! colour lies between the bare-skin colour and the haired colour (linear unmixing,
//! blind to shading because shading scales both alike), and how much fine-scale texture
//! it carries between bare and haired. Both references are fitted on the photo itself
//! (two-means over the client's cells, the smoother side being bare), or taken from the
//! user's seed points.

use super::background::FLOOR;
use super::gmm::{D, two_means};

/// The bare and haired references of one photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HairModel {
    /// Mean linear RGB of bare skin.
    pub bare_linear: [f32; 3],
    /// Mean linear RGB of haired scalp.
    pub hair_linear: [f32; 3],
    /// Mean texture of bare skin.
    pub bare_texture: f32,
    /// Mean texture of haired scalp.
    pub hair_texture: f32,
    /// Weight of colour against texture in the coverage, 0–1: high when the hair's
    /// colour differs from the skin's in hue, not only in lightness.
    pub colour_weight: f32,
}

/// Weights of (L*, a*, b*, texture) when splitting bare from haired cells: lightness
/// counts half, since shading across the head changes it as much as hair does.
const SPLIT_WEIGHTS: [f32; D] = [0.5, 1.0, 1.0, 1.5];

/// Chromatic separation (1 − cosine of the angle between the colours in linear RGB) at
/// which colour and texture are trusted equally.
const COLOUR_SEPARATION_HALF: f32 = 0.004;

fn mean3(v: impl Iterator<Item = [f32; 3]>) -> Option<[f32; 3]> {
    let (mut s, mut n) = ([0f32; 3], 0usize);
    for x in v {
        (0..3).for_each(|k| s[k] += x[k]);
        n += 1;
    }
    (n > 0).then(|| s.map(|c| c / n as f32))
}

/// Fit the model over the `client` cells; `bare_seed` / `hair_seed` cells are forced to
/// their side. `None` when the client shows fewer than two cells.
pub(crate) fn fit_hair(feats: &[[f32; D]], linear: &[[f32; 3]], client: &[bool], bare_seed: &[bool], hair_seed: &[bool]) -> Option<HairModel> {
    let idx: Vec<usize> = (0..feats.len()).filter(|&i| client[i]).collect();
    if idx.len() < 2 {
        return None;
    }
    let samples: Vec<[f32; D]> = idx.iter().map(|&i| feats[i]).collect();
    let mut side = two_means(&samples, &FLOOR, &SPLIT_WEIGHTS);
    // The hair side is the one with more texture.
    let tex_mean = |hi: bool, side: &[bool]| {
        let v: Vec<f32> = samples.iter().zip(side).filter(|(_, s)| **s == hi).map(|(x, _)| x[3]).collect();
        v.iter().sum::<f32>() / v.len().max(1) as f32
    };
    if tex_mean(true, &side) < tex_mean(false, &side) {
        side.iter_mut().for_each(|s| *s = !*s);
    }
    for (k, &i) in idx.iter().enumerate() {
        if bare_seed[i] {
            side[k] = false;
        }
        if hair_seed[i] {
            side[k] = true;
        }
    }
    let pick = |hi: bool| idx.iter().zip(&side).filter(move |(_, s)| **s == hi).map(|(&i, _)| i);
    let bare_linear = mean3(pick(false).map(|i| linear[i]))?;
    let hair_linear = mean3(pick(true).map(|i| linear[i]))?;
    let bare_texture = mean3(pick(false).map(|i| [feats[i][3]; 3]))?[0];
    let hair_texture = mean3(pick(true).map(|i| [feats[i][3]; 3]))?[0];
    let dot: f32 = (0..3).map(|k| bare_linear[k] * hair_linear[k]).sum();
    let norm = |v: [f32; 3]| v.iter().map(|c| c * c).sum::<f32>().sqrt();
    let separation = (1.0 - dot / (norm(bare_linear) * norm(hair_linear)).max(1e-9)).max(0.0);
    Some(HairModel {
        bare_linear,
        hair_linear,
        bare_texture,
        hair_texture,
        colour_weight: separation / (separation + COLOUR_SEPARATION_HALF),
    })
}

impl HairModel {
    /// Native coverage (0–1) of a cell of mean linear colour `c` and texture `t`.
    pub fn coverage(&self, c: [f32; 3], t: f32) -> f32 {
        let (s, h) = (self.bare_linear, self.hair_linear);
        // Least squares c ≈ α·s + β·h; the hair's share is β / (α + β).
        let (ss, hh, sh) = (dot(s, s), dot(h, h), dot(s, h));
        let (cs, ch) = (dot(c, s), dot(c, h));
        let det = ss * hh - sh * sh;
        let colour = if det.abs() > 1e-12 {
            let a = (cs * hh - ch * sh) / det;
            let b = (ch * ss - cs * sh) / det;
            if a + b > 1e-6 { b / (a + b) } else { 0.0 }
        } else {
            0.0
        };
        let span = self.hair_texture - self.bare_texture;
        let texture = if span.abs() > 1e-6 { (t - self.bare_texture) / span } else { 0.0 };
        (self.colour_weight * colour + (1.0 - self.colour_weight) * texture).clamp(0.0, 1.0)
    }
}

fn dot(a: [f32; 3], b: [f32; 3]) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixtures_unmix_to_their_share_whatever_the_shading() {
        let m = HairModel {
            bare_linear: [0.5, 0.3, 0.25],
            hair_linear: [0.1, 0.09, 0.08],
            bare_texture: 1.0,
            hair_texture: 3.0,
            colour_weight: 1.0,
        };
        let mix = |k: f32, shade: f32| -> [f32; 3] { std::array::from_fn(|c| shade * ((1.0 - k) * m.bare_linear[c] + k * m.hair_linear[c])) };
        for k in [0.0, 0.45, 1.0] {
            for shade in [0.6, 1.0] {
                assert!((m.coverage(mix(k, shade), 0.0) - k).abs() < 1e-3, "{k} {shade}");
            }
        }
        let t = HairModel { colour_weight: 0.0, ..m };
        assert!((t.coverage([0.0; 3], 2.0) - 0.5).abs() < 1e-6);
    }
}
