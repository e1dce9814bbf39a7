//! Skin texture: low-amplitude multi-scale mottling, fine grain, patches of redness and
//! pores, in image mm. Features finer than a pixel fade out instead of aliasing.

use super::geom::smoothstep;
use super::noise::Noise;
use super::rng::{hash, purpose, unit};

/// Pore grid cell, mm.
const PORE_CELL: f64 = 0.8;
/// Pore radius, mm.
const PORE_R: f64 = 0.045;

/// The texture of one head.
#[derive(Debug, Clone)]
pub(crate) struct Texture {
    blotch: Noise,
    mid: Noise,
    grain: Noise,
    red: Noise,
    seed: u64,
    ppm: f64,
}

impl Texture {
    /// The texture for `seed` at `ppm` pixels per mm.
    pub(crate) fn new(seed: u64, ppm: f64) -> Self {
        Texture {
            blotch: Noise::new(seed, purpose::SKIN),
            mid: Noise::new(seed, purpose::SKIN + 100),
            grain: Noise::new(seed, purpose::SKIN + 200),
            red: Noise::new(seed, purpose::SKIN + 300),
            seed,
            ppm,
        }
    }

    /// Multiplier of the skin albedo at image mm `(u, v)`; `smooth` 0..=1 flattens it
    /// (scar tissue).
    pub(crate) fn at(&self, u: f64, v: f64, smooth: f64) -> [f64; 3] {
        let b = self.blotch.fbm(u, v, 11.0, 2);
        let m = self.mid.fbm(u, v, 2.2, 2);
        let fine = smoothstep(0.8, 2.0, 0.3 * self.ppm);
        let g = if fine > 0.0 { fine * self.grain.at(u / 0.3, v / 0.3) } else { 0.0 };
        let r = self.red.at(u / 16.0, v / 16.0);
        let rough = 1.0 - 0.7 * smooth;
        let lum = (1.0 + rough * (0.045 * b + 0.03 * m + 0.03 * g)) * self.pores(u, v, rough);
        [lum * (1.0 + 0.05 * r), lum * (1.0 - 0.015 * r), lum * (1.0 - 0.03 * r)]
    }

    /// Darkening by pores, each area-true blurred to at least half a pixel.
    fn pores(&self, u: f64, v: f64, strength: f64) -> f64 {
        let sigma = PORE_R.max(0.45 / self.ppm);
        let amp = 0.35 * (PORE_R / sigma).powi(2) * strength;
        if amp < 0.004 {
            return 1.0;
        }
        let (ci, cj) = ((u / PORE_CELL).floor() as i64, (v / PORE_CELL).floor() as i64);
        let mut dark = 0.0;
        for j in cj - 1..=cj + 1 {
            for i in ci - 1..=ci + 1 {
                let h = hash(self.seed, purpose::PORES, i, j);
                let px = (i as f64 + unit(h)) * PORE_CELL;
                let py = (j as f64 + unit(h.rotate_left(29))) * PORE_CELL;
                let d2 = (u - px).powi(2) + (v - py).powi(2);
                if d2 < 9.0 * sigma * sigma {
                    dark += (-d2 / (2.0 * sigma * sigma)).exp();
                }
            }
        }
        1.0 - amp * dark.min(1.5)
    }
}
