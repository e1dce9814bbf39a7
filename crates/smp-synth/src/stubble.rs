//! Shaved stubble, follicle by follicle: follicular units on a jittered lattice in design
//! mm (one unit per cell at a random spot: no grid shows), 1–4 hairs each
//! (20/45/30/5 %, domain.md), kept where the scalp carries hair; extracted FUE units
//! become dot scars; bald scalp keeps sparse vellus. Counts give the exact density.

use smp_design::PointMm;

use super::rng::{SplitMix, hash, purpose};
use super::scalp::{FUE_EXTRACTED, Scalp};

/// Hairs per follicular unit 1..=4: 20/45/30/5 % (domain.md), cumulative.
const UNIT_SIZES: [f64; 4] = [0.20, 0.65, 0.95, 1.0];
/// Near a hairline or a thinning edge single hairs dominate.
const EDGE_UNIT_SIZES: [f64; 4] = [0.50, 0.85, 1.0, 1.0];
/// Crown whorl, design mm: hair grows away from it in a gentle clockwise spiral.
const WHORL: (f64, f64) = (3.0, 240.0);
/// Vellus hairs per lattice cell on bald scalp.
const VELLUS_SHARE: f64 = 0.2;

/// One hair as it leaves the skin.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hair {
    /// Exit point, design mm.
    pub p: PointMm,
    /// Tip diameter, mm.
    pub d: f64,
    /// Growth direction on the surface (unit vector, design axes).
    pub dir: (f64, f64),
    /// Darkness relative to the palette's stubble colour, 0..=1.
    pub tone: f64,
    /// Fine, light vellus hair (not stubble).
    pub vellus: bool,
}

/// A healed FUE punch scar.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScarDot {
    /// Centre, design mm.
    pub p: PointMm,
    /// Diameter, mm.
    pub d: f64,
}

/// All hairs and scar dots of a head, with the true figures.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stubble {
    /// Hairs (stubble and vellus), in lattice order.
    pub hairs: Vec<Hair>,
    /// FUE dot scars.
    pub scar_dots: Vec<ScarDot>,
    /// Stubble tips per cm² over the fully haired scalp (see `SynthHead`).
    pub hairs_per_cm2: f64,
    /// Follicular units per cm² over the same area.
    pub units_per_cm2: f64,
    /// Mean tip diameter of all stubble hairs, mm.
    pub mean_diameter_mm: f64,
}

/// The follicular-unit lattice of one head, chosen by the seed.
pub(crate) struct Lattice {
    /// Lattice cell side, mm (one unit per cell).
    pub cell: f64,
    /// Mean tip diameter, mm.
    pub mean_d: f64,
    cos: f64,
    sin: f64,
}

impl Lattice {
    /// The lattice of the head drawn from `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        let mut head = SplitMix::new(hash(seed, purpose::LAYOUT, 0, 0));
        // Natural scalps: 60–100 follicular units/cm² (domain.md); a typical head here.
        let units_per_cm2 = head.range(70.0, 90.0);
        let cell = (100.0 / units_per_cm2).sqrt();
        // Scalp hair shafts are ~60–100 µm thick; a freshly shaved tip shows about that.
        let mean_d = head.range(0.08, 0.11);
        let angle = head.range(0.0, std::f64::consts::FRAC_PI_2);
        Lattice {
            cell,
            mean_d,
            cos: angle.cos(),
            sin: angle.sin(),
        }
    }

    /// Design mm of lattice coordinates `(a, b)` (mm along the rotated axes).
    pub(crate) fn to_design(&self, a: f64, b: f64) -> PointMm {
        PointMm::new(a * self.cos - b * self.sin, a * self.sin + b * self.cos)
    }

    /// Lattice coordinates of a design point.
    fn lattice_coords(&self, p: PointMm) -> (f64, f64) {
        (p.x * self.cos + p.y * self.sin, -p.x * self.sin + p.y * self.cos)
    }
}

/// The stubble hairs of fully haired scalp whose units lie in the design-mm box
/// `lo..hi`: exactly the hairs [`grow`] puts there on a fully haired head of the same
/// seed (same lattice, same per-cell random stream), for close-up photos.
pub(crate) fn grow_full(seed: u64, lo: PointMm, hi: PointMm) -> Vec<Hair> {
    let lattice = Lattice::new(seed);
    let cell = lattice.cell;
    let corners = [(lo.x, lo.y), (hi.x, lo.y), (lo.x, hi.y), (hi.x, hi.y)].map(|(x, y)| lattice.lattice_coords(PointMm::new(x, y)));
    let (a0, a1) = corners
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |m, p| (m.0.min(p.0), m.1.max(p.0)));
    let (b0, b1) = corners
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |m, p| (m.0.min(p.1), m.1.max(p.1)));
    let mut hairs = Vec::new();
    for j in (b0 / cell).floor() as i64 - 1..=(b1 / cell).ceil() as i64 {
        for i in (a0 / cell).floor() as i64 - 1..=(a1 / cell).ceil() as i64 {
            let mut r = SplitMix::new(hash(seed, purpose::UNITS, i, j));
            let pos = lattice.to_design((i as f64 + r.f64()) * cell, (j as f64 + r.f64()) * cell);
            // `grow` draws its keep/drop number here; full density always keeps the unit.
            let _ = r.f64();
            if pos.x < lo.x || pos.x > hi.x || pos.y < lo.y || pos.y > hi.y {
                continue;
            }
            let n = r.pick(&UNIT_SIZES) + 1;
            place_unit(pos, n, lattice.mean_d, &mut r, &mut hairs);
        }
    }
    hairs
}

/// Grow the stubble of `scalp` from `seed`.
pub(crate) fn grow(scalp: &Scalp, seed: u64) -> Stubble {
    let lattice = Lattice::new(seed);
    let (cell, mean_d, c, s) = (lattice.cell, lattice.mean_d, lattice.cos, lattice.sin);
    let to_design = |a: f64, b: f64| lattice.to_design(a, b);
    let ((x0, y0), (x1, y1)) = scalp.bounds();
    // Lattice index range covering the field's box in the rotated frame.
    let corners = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)].map(|(x, y)| (x * c + y * s, -x * s + y * c));
    let lo = corners
        .iter()
        .fold((f64::INFINITY, f64::INFINITY), |a, p| (a.0.min(p.0), a.1.min(p.1)));
    let hi = corners
        .iter()
        .fold((f64::NEG_INFINITY, f64::NEG_INFINITY), |a, p| (a.0.max(p.0), a.1.max(p.1)));
    let (i0, i1) = ((lo.0 / cell).floor() as i64, (hi.0 / cell).ceil() as i64);
    let (j0, j1) = ((lo.1 / cell).floor() as i64, (hi.1 / cell).ceil() as i64);

    let mut out = Stubble::default();
    let (mut full_cells, mut full_hairs, mut d_sum, mut d_n) = (0u64, 0u64, 0.0, 0u64);
    for j in j0..j1 {
        for i in i0..i1 {
            let centre = to_design((i as f64 + 0.5) * cell, (j as f64 + 0.5) * cell);
            if centre.x < x0 || centre.x > x1 || centre.y < y0 || centre.y > y1 {
                continue;
            }
            let mut r = SplitMix::new(hash(seed, purpose::UNITS, i, j));
            let pos = to_design((i as f64 + r.f64()) * cell, (j as f64 + r.f64()) * cell);
            let dc = scalp.density(centre);
            let band = scalp.fue_band(centre);
            // A cell counts towards the true density only where every unit is kept.
            let full = dc >= 1.0 && band <= 0.0;
            let dp = if full { 1.0 } else { scalp.density(pos) };
            if r.f64() >= dp {
                if r.f64() < VELLUS_SHARE * scalp.on_scalp(pos) * (1.0 - dp) {
                    out.hairs.push(Hair {
                        p: pos,
                        d: r.range(0.035, 0.06),
                        dir: growth(pos, &mut r),
                        tone: r.range(0.5, 1.0),
                        vellus: true,
                    });
                }
                continue;
            }
            if band > 0.0 && r.f64() < FUE_EXTRACTED * band {
                out.scar_dots.push(ScarDot {
                    p: pos,
                    d: r.range(0.8, 1.0),
                });
                continue;
            }
            let sizes = if dp < 0.75 { &EDGE_UNIT_SIZES } else { &UNIT_SIZES };
            let n = r.pick(sizes) + 1;
            let first = out.hairs.len();
            place_unit(pos, n, mean_d, &mut r, &mut out.hairs);
            for h in &out.hairs[first..] {
                d_sum += h.d;
                d_n += 1;
            }
            if full {
                full_cells += 1;
                full_hairs += n as u64;
            }
        }
    }
    let area_cm2 = full_cells as f64 * cell * cell / 100.0;
    if area_cm2 > 0.0 {
        out.hairs_per_cm2 = full_hairs as f64 / area_cm2;
        out.units_per_cm2 = full_cells as f64 / area_cm2;
    }
    out.mean_diameter_mm = if d_n > 0 { d_sum / d_n as f64 } else { mean_d };
    out
}

/// Growth direction at `p`: away from the whorl, turned 0.45 rad clockwise, ±0.25 rad.
fn growth(p: PointMm, r: &mut SplitMix) -> (f64, f64) {
    let (dx, dy) = (p.x - WHORL.0, p.y - WHORL.1);
    let a = dy.atan2(dx) + 0.45 + r.range(-0.25, 0.25);
    (a.cos(), a.sin())
}

/// The `n` hairs of one unit around `pos`: tips 0.15–0.28 mm apart in a tight group.
fn place_unit(pos: PointMm, n: usize, mean_d: f64, r: &mut SplitMix, hairs: &mut Vec<Hair>) {
    let dir = growth(pos, r);
    // Hairs of a unit sit side by side, across the growth direction.
    let (ax, ay) = (-dir.1, dir.0);
    let gap = r.range(0.15, 0.28);
    let offsets: &[(f64, f64)] = match n {
        1 => &[(0.0, 0.0)],
        2 => &[(-0.5, 0.0), (0.5, 0.0)],
        3 => &[(-0.5, 0.0), (0.5, 0.0), (0.0, 0.8)],
        _ => &[(-0.5, 0.0), (0.5, 0.0), (0.0, 0.8), (0.0, -0.8)],
    };
    for &(a, b) in offsets {
        let (ja, jb) = (r.range(-0.12, 0.12), r.range(-0.12, 0.12));
        let (a, b) = ((a + ja) * gap, (b + jb) * gap);
        let turn = r.range(-0.15, 0.15);
        hairs.push(Hair {
            p: PointMm::new(pos.x + a * ax + b * dir.0, pos.y + a * ay + b * dir.1),
            d: mean_d * r.range(0.8, 1.2),
            dir: (dir.0 - turn * dir.1, dir.1 + turn * dir.0),
            tone: r.range(0.85, 1.0),
            vellus: false,
        });
    }
}
