//! The hairline's density multiplier: none on the forehead side, a soft ramp across the
//! feather behind the curve, broken up by irregularity into clusters, gaps and isolated
//! front dots, and 1 beyond.

use smp_design::geometry::{CurveProjection, project_on_polyline};
use smp_design::{Hairline, PointMm};

use crate::noise::ValueNoise;

/// Wavelength of the hairline's macro irregularities (bays and peaks), mm.
const MACRO_WAVELENGTH_MM: f64 = 18.0;
/// Wavelength of micro irregularities, mm.
const MICRO_WAVELENGTH_MM: f64 = 3.5;
/// Scale of the clusters and gaps in the transition zone, mm.
const CLUMP_SCALE_MM: f64 = 2.2;
/// How far, as a share of the feather, irregularity 1 moves the ramp forward or back.
const MACRO_SHARE: f64 = 0.45;
/// See [`MACRO_SHARE`].
const MICRO_SHARE: f64 = 0.2;
/// How strongly irregularity 1 modulates density into clusters and gaps.
const CLUMP_STRENGTH: f64 = 1.1;

/// Evaluates the hairline multiplier at any point.
#[derive(Debug, Clone)]
pub struct HairlineRamp {
    points: Vec<PointMm>,
    feather_mm: f64,
    irregularity: f64,
    /// Beyond this y every point is behind the whole transition zone.
    clear_y: f64,
    macro_noise: ValueNoise,
    micro_noise: ValueNoise,
    clump_noise: ValueNoise,
}

/// Ease-out ramp: rises at once from 0 (so sparse single dots lead the line, as in a
/// natural hairline) and levels off smoothly into full density.
fn ease_out(t: f64) -> f64 {
    t * (2.0 - t)
}

impl HairlineRamp {
    /// The ramp of a design's hairline under the design's seed.
    pub fn new(h: &Hairline, seed: u64) -> Self {
        let max_y = h.points.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max);
        HairlineRamp {
            points: h.points.clone(),
            feather_mm: h.feather.0,
            irregularity: h.irregularity,
            clear_y: max_y + h.feather.0 + 1.0,
            macro_noise: ValueNoise::new(seed, 11),
            micro_noise: ValueNoise::new(seed, 12),
            clump_noise: ValueNoise::new(seed, 13),
        }
    }

    /// Whether `pr` (the projection of `p`) is on the forehead side of the curve. Beyond
    /// the temple ends only points in front of the end count as forehead.
    fn forehead(&self, p: PointMm, pr: &CurveProjection) -> bool {
        if pr.side >= 0.0 {
            return false;
        }
        let (first, last) = (self.points[0], self.points[self.points.len() - 1]);
        let at_end = |e: PointMm| (pr.dist_mm - p.dist(e)).abs() < 1e-9;
        if at_end(first) {
            return p.y < first.y;
        }
        if at_end(last) {
            return p.y < last.y;
        }
        true
    }

    /// Multiplier in `0..=1` of the region density at `p`.
    pub fn multiplier(&self, p: PointMm) -> f64 {
        if p.y > self.clear_y {
            return 1.0;
        }
        let pr = project_on_polyline(&self.points, p);
        if self.forehead(p, &pr) {
            return 0.0;
        }
        let f = self.feather_mm;
        if f <= 0.0 || pr.dist_mm >= f {
            return 1.0;
        }
        let u = pr.dist_mm / f;
        let irr = self.irregularity;
        // Irregularity moves the ramp back and forth along the curve, tapered so the
        // ramp still starts at the curve and ends at the feather.
        let warp = irr
            * (MACRO_SHARE * self.macro_noise.at1(pr.arc_mm / MACRO_WAVELENGTH_MM)
                + MICRO_SHARE * self.micro_noise.at1(pr.arc_mm / MICRO_WAVELENGTH_MM))
            * 4.0
            * u
            * (1.0 - u);
        let ramp = ease_out((u + warp).clamp(0.0, 1.0));
        // Clusters and gaps, strongest at the front of the zone, gone at its back.
        let clump = 1.0 + irr * CLUMP_STRENGTH * self.clump_noise.at2(p.x / CLUMP_SCALE_MM, p.y / CLUMP_SCALE_MM) * (1.0 - ramp);
        (ramp * clump).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smp_design::Mm;

    fn ramp(irr: f64) -> HairlineRamp {
        let d = smp_design::Pattern::Norwood(3).template().unwrap();
        let mut h = d.hairline().unwrap().clone();
        h.irregularity = irr;
        h.feather = Mm(8.0);
        HairlineRamp::new(&h, 3)
    }

    #[test]
    fn forehead_is_empty_and_far_back_is_full() {
        let r = ramp(0.5);
        assert_eq!(r.multiplier(PointMm::new(0.0, 70.0)), 0.0);
        assert_eq!(r.multiplier(PointMm::new(0.0, 79.0)), 0.0);
        assert_eq!(r.multiplier(PointMm::new(0.0, 89.0)), 1.0);
        assert_eq!(r.multiplier(PointMm::new(0.0, 300.0)), 1.0);
        // Beside and behind the temple end: hair side.
        assert_eq!(r.multiplier(PointMm::new(100.0, 150.0)), 1.0);
    }

    #[test]
    fn smooth_ramp_rises_monotonically() {
        let r = ramp(0.0);
        let mut last = 0.0;
        for i in 0..=16 {
            let m = r.multiplier(PointMm::new(0.0, 80.0 + i as f64 * 0.5));
            assert!(m >= last, "{m} after {last}");
            last = m;
        }
        assert!((r.multiplier(PointMm::new(0.0, 84.0)) - 0.75).abs() < 0.01);
        assert!((r.multiplier(PointMm::new(0.0, 81.0)) - 0.234).abs() < 0.01);
    }

    #[test]
    fn irregularity_breaks_the_ramp_along_the_curve() {
        // At a fixed depth behind the curve, irregularity 1 varies the density along it
        // far more than the smooth ramp does.
        let spread = |r: &HairlineRamp| {
            let v: Vec<f64> = (-20..=20)
                .map(|x| r.multiplier(PointMm::new(x as f64, 83.5 + 0.0042 * (x * x) as f64)))
                .collect();
            let (lo, hi) = v.iter().fold((1.0f64, 0.0f64), |(a, b), &m| (a.min(m), b.max(m)));
            hi - lo
        };
        assert!(spread(&ramp(0.0)) < 0.1, "{}", spread(&ramp(0.0)));
        assert!(spread(&ramp(1.0)) > 0.3, "{}", spread(&ramp(1.0)));
    }
}
