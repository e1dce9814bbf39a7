//! A pigment disk as the photo records it: the disk convolved with a Gaussian that
//! stands for the camera's blur and the pixel's own area, and normalised so that every
//! disk puts exactly its area into the picture, however much smaller than a pixel it is.
//!
//! The profile of a disk of radius `R` blurred by a unit Gaussian, at distance `P` from
//! its centre, is `S(P; R) = ∫₀ᴿ t·exp(−(t² + P²)/2)·I₀(tP) dt` (the disk's share seen
//! at that point); it is tabulated once for `R ≤ 8` and taken as a straight blurred edge
//! beyond, where the rim's curvature no longer shows.

use std::sync::OnceLock;

/// The table's layout and `S(P; R)` itself, shared with the build script, which works
/// the table out once at build time: evaluating it by Simpson's rule takes ~30 000
/// entries × 97 points, a noticeable part of every preview when done at run time. The
/// library reads the built table; only its tests evaluate the profile.
#[cfg_attr(not(test), allow(dead_code))]
mod profile {
    include!("disk_profile.rs");
}
#[cfg(test)]
use profile::profile_exact;
use profile::{NP, NR, R_MAX, STEP};

/// The table of `S(P; R)`, `NR` rows of `NP` distances, as the build script wrote it.
fn table() -> &'static [f32] {
    static T: OnceLock<Vec<f32>> = OnceLock::new();
    T.get_or_init(|| {
        include_bytes!(concat!(env!("OUT_DIR"), "/disk_table.bin"))
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    })
}

/// `erfc(x)` (Abramowitz & Stegun 7.1.26, error < 1.5e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.3275911 * z);
    let y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * (-z * z).exp();
    if x >= 0.0 { y } else { 2.0 - y }
}

/// The share of a disk of radius `r_sigma` seen at distance `p_sigma` from its centre
/// through a unit Gaussian blur (both in units of the blur's σ).
pub fn blurred_disk(r_sigma: f64, p_sigma: f64) -> f64 {
    if r_sigma > R_MAX {
        return 0.5 * erfc((p_sigma - r_sigma) / std::f64::consts::SQRT_2);
    }
    let (u, v) = (r_sigma / STEP, p_sigma / STEP);
    if v >= (NP - 1) as f64 {
        return 0.0;
    }
    let t = table();
    let (i, j) = ((u as usize).min(NR - 2), v as usize);
    // Between table rows in R², in which a small disk's profile is linear.
    let (r0, r1) = (i as f64, (i + 1) as f64);
    let fu = ((u * u - r0 * r0) / (r1 * r1 - r0 * r0)) as f32;
    let fv = (v - j as f64) as f32;
    let at = |a: usize, b: usize| t[a * NP + b];
    let lo = at(i, j) * (1.0 - fv) + at(i, j + 1) * fv;
    let hi = at(i + 1, j) * (1.0 - fv) + at(i + 1, j + 1) * fv;
    f64::from(lo * (1.0 - fu) + hi * fu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_holds_the_disk_and_meets_its_limits() {
        // At the centre: 1 − exp(−R²/2) exactly.
        for r in [0.3, 1.0, 2.5, 6.0] {
            assert!((blurred_disk(r, 0.0) - (1.0 - (-r * r / 2.0f64).exp())).abs() < 1e-3, "R {r}");
        }
        // Its integral over the plane is the disk's area, πR² (within 1.5 %: the renderer
        // scales every drawn disk to its exact area anyway).
        for r in [0.2, 1.3, 7.9, 9.0] {
            let dp = 0.01;
            let total: f64 = (0..2000)
                .map(|i| (i as f64 + 0.5) * dp)
                .map(|p| 2.0 * std::f64::consts::PI * p * blurred_disk(r, p) * dp)
                .sum();
            let area = std::f64::consts::PI * r * r;
            assert!((total / area - 1.0).abs() < 0.015, "R {r}: {total} vs {area}");
        }
        // The table built at build time is the profile worked out here.
        let t = table();
        assert_eq!(t.len(), NR * NP);
        for (i, j) in [(0, 0), (3, 7), (40, 90), (NR - 1, NP - 1), (77, 3)] {
            let want = profile_exact(i as f64 * STEP, j as f64 * STEP) as f32;
            assert!((t[i * NP + j] - want).abs() <= 1e-6, "({i}, {j}): {} vs {want}", t[i * NP + j]);
        }
        // The straight-edge form meets the table at the table's end.
        let r = R_MAX;
        for p in [6.0, 8.0, 9.5] {
            let edge = 0.5 * erfc((p - r) / std::f64::consts::SQRT_2);
            assert!((blurred_disk(r, p) - edge).abs() < 0.03, "P {p}");
        }
    }
}
