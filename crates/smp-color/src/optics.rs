//! The optics of pigment in skin, in linear light.
//!
//! A dot deposits pigment concentration `c(x)`; the pigment layer transmits
//! `τ = exp(-k·c)` (Beer–Lambert) and removes `D = 1 - τ` of the light passing through
//! it. Light crosses the layer twice: going in, where what is removed is then spread by
//! diffusion in the skin over the profile `P` (a sum of Gaussians, wider for red), and
//! coming out right above the dot. A share `s` of the light (more for blue) is scattered
//! back by the turbid skin above the pigment and never reaches it. The observed colour is
//! `skin · (s + (1 - s) · τ · (1 - P ⊛ D))` per channel (pre- and post-scatter
//! texturing, d'Eon & Luebke 2007).

use crate::constants::*;

/// Skin diffusion profile and turbid backscatter.
#[derive(Debug, Clone, PartialEq)]
pub struct SkinOptics {
    /// Standard deviations of the profile's Gaussians, mm.
    pub sigma_mm: [f64; 6],
    /// Weights per channel and Gaussian (each channel's weights sum to ~1).
    pub weights: [[f64; 6]; 3],
    /// Share of light per channel that never reaches the pigment.
    pub backscatter: [f64; 3],
}

impl Default for SkinOptics {
    fn default() -> Self {
        SkinOptics {
            sigma_mm: PROFILE_VARIANCE_MM2.map(f64::sqrt),
            weights: PROFILE_WEIGHTS,
            backscatter: TURBID_BACKSCATTER,
        }
    }
}

impl SkinOptics {
    /// The observed linear colour of skin `skin` under pigment of transmittance `tau`
    /// where the diffused absorbed share is `b`.
    pub fn reflect(&self, skin: [f64; 3], tau: [f64; 3], b: [f64; 3]) -> [f64; 3] {
        std::array::from_fn(|c| {
            let s = self.backscatter[c];
            skin[c] * (s + (1.0 - s) * tau[c] * (1.0 - b[c]))
        })
    }

    /// A whole area of skin with pigment everywhere at transmittance `tau`: what is
    /// absorbed is the same wherever the light spreads, so `P ⊛ D = D`.
    pub fn reflect_uniform(&self, skin: [f64; 3], tau: [f64; 3]) -> [f64; 3] {
        self.reflect(skin, tau, tau.map(|t| 1.0 - t))
    }
}

/// A pigment: absorption per unit concentration per channel (Beer–Lambert `k`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pigment {
    /// `k` per channel, R, G, B.
    pub k: [f64; 3],
}

impl Pigment {
    /// A pigment from the linear reflectance of its undiluted layer (its masstone).
    pub fn from_masstone(linear: [f64; 3]) -> Self {
        Pigment {
            k: linear.map(|r| -r.clamp(1e-6, 1.0).ln()),
        }
    }

    /// Carbon black, the usual SMP pigment.
    pub fn carbon() -> Self {
        Self::from_masstone(CARBON_MASSTONE_LINEAR)
    }

    /// Concentration of pigment diluted 1:`water_parts` with water.
    pub fn dilution_factor(water_parts: f64) -> f64 {
        1.0 / (1.0 + water_parts.max(0.0))
    }

    /// Share of light absorbed per channel at concentration `c` (Beer–Lambert).
    pub fn absorbed(&self, c: f64) -> [f64; 3] {
        self.k.map(|k| 1.0 - (-k * c).exp())
    }
}

/// The colour of skin with pigment mixed evenly into it at concentration `c` and none of
/// the skin optics (light crosses it twice, nothing is scattered back): the baseline the
/// optics are compared against.
pub fn mixed_without_optics(skin: [f64; 3], pigment: &Pigment, c: f64) -> [f64; 3] {
    let t = pigment.absorbed(c);
    std::array::from_fn(|i| skin[i] * (1.0 - t[i]) * (1.0 - t[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_weights_are_normalised_and_red_travels_furthest() {
        let o = SkinOptics::default();
        let spread = |c: usize| -> f64 { (0..6).map(|i| o.weights[c][i] * o.sigma_mm[i] * o.sigma_mm[i]).sum() };
        for c in 0..3 {
            let w: f64 = o.weights[c].iter().sum();
            assert!((w - 1.0).abs() < 0.01, "channel {c}: {w}");
        }
        assert!(spread(0) > 3.0 * spread(1) && spread(1) > spread(2));
    }

    #[test]
    fn beer_lambert_and_dilution() {
        let p = Pigment::carbon();
        let a = p.absorbed(1.0);
        assert!((a[0] - (1.0 - 0.007)).abs() < 1e-12);
        assert_eq!(p.absorbed(0.0), [0.0; 3]);
        assert_eq!(Pigment::dilution_factor(3.0), 0.25);
        let half = p.absorbed(0.5)[0];
        assert!((1.0 - half - (1.0 - a[0]).sqrt()).abs() < 1e-12, "transmittance multiplies");
    }

    #[test]
    fn backscatter_keeps_blue_brighter() {
        let o = SkinOptics::default();
        let out = o.reflect_uniform([0.5, 0.5, 0.5], [0.2, 0.2, 0.2]);
        assert!(out[2] > out[1] && out[1] > out[0]);
    }
}
