//! Measures of a dot set: counts, normalised spacing ρ, empty circles. The JSON of
//! `smp impressions --stats --json` is [`Stats`].

use serde::Serialize;
use smp_design::{PerCm2, PointMm, RegionKind};

use crate::field::DensityField;
use crate::impressions::Impressions;
use crate::spatial::PointGrid;

/// Smallest distance between two of the points, mm (`None` with fewer than two).
pub fn min_spacing_mm(points: &[PointMm]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let (lo, hi) = smp_design::geometry::bounds(points);
    let span = (hi.x - lo.x).max(hi.y - lo.y).max(1e-9);
    // About two points per cell on average keeps queries short.
    let cell = (span * span / points.len() as f64 * 2.0).sqrt().max(1e-6);
    let grid = PointGrid::from_points(points, cell);
    let far = 2.0 * span + 1.0;
    Some(
        (0..points.len() as u32)
            .map(|i| grid.nearest_dist(points[i as usize], far, i))
            .fold(f64::INFINITY, f64::min),
    )
}

/// Normalised minimum spacing ρ = d_min / d_hex at density `n`.
pub fn rho(points: &[PointMm], n: PerCm2) -> Option<f64> {
    Some(min_spacing_mm(points)? / n.hex_spacing().0)
}

/// Radius of the largest circle that fits inside `inside` (a predicate sampled on a
/// `step_mm` lattice over the bounds, with the circle's rim checked on 32 points) and
/// holds none of `points`; a lattice approximation good to about `step_mm`.
pub fn largest_empty_circle_mm(points: &[PointMm], lo: PointMm, hi: PointMm, step_mm: f64, inside: impl Fn(PointMm) -> bool) -> f64 {
    let grid = PointGrid::from_points(points, 1.0);
    let span = (hi.x - lo.x).max(hi.y - lo.y);
    let mut best = 0.0f64;
    let (nx, ny) = (((hi.x - lo.x) / step_mm) as usize, ((hi.y - lo.y) / step_mm) as usize);
    for j in 0..=ny {
        for i in 0..=nx {
            let c = PointMm::new(lo.x + i as f64 * step_mm, lo.y + j as f64 * step_mm);
            if !inside(c) {
                continue;
            }
            let r = grid.nearest_dist(c, span, u32::MAX);
            if r <= best {
                continue;
            }
            // Shrink to the region: the rim must stay inside.
            let mut rr = r;
            while rr > best
                && !(0..32).all(|k| {
                    let a = k as f64 / 32.0 * std::f64::consts::TAU;
                    inside(PointMm::new(c.x + rr * a.cos(), c.y + rr * a.sin()))
                })
            {
                rr -= step_mm;
            }
            best = best.max(rr);
        }
    }
    best
}

/// Per-region figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionStats {
    /// Region name.
    pub name: String,
    /// Region kind.
    pub kind: RegionKind,
    /// Effective area (after holes and overlaps), cm².
    pub area_cm2: f64,
    /// Density the design asks for, impressions/cm².
    pub target_density_per_cm2: f64,
    /// Integral of the density field over the region (hairline ramp included).
    pub expected_count: f64,
    /// Impressions placed.
    pub count: usize,
    /// ρ of the blue-noise set (unit centres) outside the hairline zone.
    pub rho: Option<f64>,
}

/// Per-session figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionStats {
    /// Session, 1-based.
    pub session: u8,
    /// Impressions in this session.
    pub count: usize,
    /// Share of all impressions placed by the end of this session.
    pub cumulative_fraction: f64,
}

/// Figures of a whole impression set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// All impressions.
    pub count: usize,
    /// Smallest ρ over regions (blue-noise set, uniform parts).
    pub rho: Option<f64>,
    /// Smallest distance between any two impressions, mm.
    pub min_spacing_mm: Option<f64>,
    /// Per region, in design order.
    pub regions: Vec<RegionStats>,
    /// Per session.
    pub sessions: Vec<SessionStats>,
}

/// Compute the figures of an impression set over its field.
pub fn stats(field: &DensityField, imp: &Impressions) -> Stats {
    let design = field.design();
    let all: Vec<PointMm> = imp.dots.iter().map(|d| d.pos()).collect();
    let mut regions = Vec::new();
    for (r, reg) in design.regions().iter().enumerate() {
        let count = imp.dots.iter().filter(|d| d.region as usize == r).count();
        let uniform: Vec<PointMm> = (0..imp.units.points.len())
            .filter(|&i| imp.units.region[i] as usize == r && imp.units.ramp[i] >= 1.0)
            .map(|i| imp.units.points[i])
            .collect();
        regions.push(RegionStats {
            name: reg.name.clone(),
            kind: reg.kind,
            area_cm2: field.areas()[r].0,
            target_density_per_cm2: reg.density.0,
            expected_count: field.expected_counts()[r],
            count,
            rho: reg
                .has_dots()
                .then(|| rho(&uniform, PerCm2(reg.density.0 / imp.per_unit)))
                .flatten(),
        });
    }
    let total = imp.dots.len();
    let mut sessions = Vec::new();
    let mut cum = 0;
    for s in 1..=design.sessions().count() as u8 {
        let count = imp.dots.iter().filter(|d| d.session == s).count();
        cum += count;
        sessions.push(SessionStats {
            session: s,
            count,
            cumulative_fraction: if total > 0 { cum as f64 / total as f64 } else { 0.0 },
        });
    }
    Stats {
        count: total,
        rho: regions.iter().filter_map(|r| r.rho).reduce(f64::min),
        min_spacing_mm: min_spacing_mm(&all),
        regions,
        sessions,
    }
}
