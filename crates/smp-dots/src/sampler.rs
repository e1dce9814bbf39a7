//! Blue-noise sampling of a density field.
//!
//! Variable-radius dart throwing (Bridson 2007) grown from darts swept over the whole
//! field, until every region reaches the integral of the field over it; then the count
//! of every region is made exact: the most crowded dots are removed, or dots are added
//! in the widest gaps. Sessions are then chosen as nested subsets ([`crate::layering`]).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use smp_design::PointMm;

use crate::clinical::{BRIDSON_TRIES, MAX_RADIUS_MM, MIN_FILL_CLEARANCE, MIN_SHRINK, RADIUS_COEFF, SHRINK_STEP};
use crate::field::{DensityField, FieldSample};
use crate::rng::Rng;
use crate::slots::SlotGrid;

/// Coarse cell of the seeding sweep, mm.
const SWEEP_CELL_MM: f64 = 1.5;
/// Darts per sweep cell.
const SWEEP_DARTS: u32 = 2;

/// Sampled points in session order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sampled {
    /// Positions.
    pub points: Vec<PointMm>,
    /// Region index of each point.
    pub region: Vec<u16>,
    /// Session of each point, 0-based.
    pub pass: Vec<u8>,
    /// Hairline multiplier at each point (1 outside the transition zone).
    pub ramp: Vec<f32>,
}

/// A positive f64 as an order-preserving integer key for heaps.
fn key(v: f64) -> u64 {
    v.max(0.0).to_bits()
}

struct State<'f, 'd> {
    field: &'f DensityField<'d>,
    /// Items (dots or units) per impression: the density divisor.
    per_item: f64,
    /// Radius factor of the current round (shrinks when a pass falls short).
    shrink: f64,
    grid: SlotGrid,
    pts: Vec<PointMm>,
    region: Vec<u16>,
    pass: Vec<u8>,
    ramp: Vec<f32>,
    alive: Vec<bool>,
}

impl State<'_, '_> {
    /// Poisson-disk radius at a field sample for cumulative share `frac`, and the
    /// probability of keeping a dart there (below 1 only beyond the largest radius).
    fn radius(&self, s: &FieldSample, frac: f64) -> (f64, f64) {
        let n = s.per_mm2 * frac / self.per_item;
        let c = RADIUS_COEFF * self.shrink;
        let r = c / n.sqrt();
        if r > MAX_RADIUS_MM {
            (MAX_RADIUS_MM, n * MAX_RADIUS_MM * MAX_RADIUS_MM / (c * c))
        } else {
            (r, 1.0)
        }
    }

    fn add(&mut self, q: PointMm, s: &FieldSample, pass: u8) -> u32 {
        let i = self.pts.len() as u32;
        self.grid.insert(q, i);
        self.pts.push(q);
        self.region.push(s.region as u16);
        self.pass.push(pass);
        self.ramp.push(s.ramp as f32);
        self.alive.push(true);
        i
    }

    fn try_dart(&mut self, q: PointMm, frac: f64, pass: u8, rng: &mut Rng) -> Option<u32> {
        let s = self.field.sample(q)?;
        let (r, keep) = self.radius(&s, frac);
        if keep < 1.0 && rng.f64() >= keep {
            return None;
        }
        if self.grid.occupied(q, r) {
            return None;
        }
        Some(self.add(q, &s, pass))
    }

    /// Bridson's active-list growth from the given dots.
    fn grow(&mut self, active: &mut Vec<u32>, frac: f64, pass: u8, rng: &mut Rng) {
        while let Some(&newest) = active.last() {
            // Growing from the newest dot keeps the work local in memory.
            let k = active.len() - 1;
            let a = self.pts[newest as usize];
            let Some(s) = self.field.sample(a) else {
                active.swap_remove(k);
                continue;
            };
            let (ra, _) = self.radius(&s, frac);
            let mut found = None;
            for _ in 0..BRIDSON_TRIES {
                let (ux, uy) = rng.unit_vector();
                // Uniform over the annulus r..2r by area.
                let d = ra * (1.0 + 3.0 * rng.f64()).sqrt();
                if let Some(i) = self.try_dart(PointMm::new(a.x + ux * d, a.y + uy * d), frac, pass, rng) {
                    found = Some(i);
                    break;
                }
            }
            match found {
                Some(i) => active.push(i),
                None => {
                    active.swap_remove(k);
                }
            }
        }
    }

    /// Darts over the whole field in random cell order, growing from each hit: seeds
    /// every connected piece and fills what growth missed.
    fn sweep(&mut self, frac: f64, pass: u8, rng: &mut Rng) {
        let (lo, hi) = self.field.bounds();
        let nx = ((hi.x - lo.x) / SWEEP_CELL_MM).ceil() as u32;
        let ny = ((hi.y - lo.y) / SWEEP_CELL_MM).ceil() as u32;
        let mut cells: Vec<u32> = (0..nx * ny).collect();
        rng.shuffle(&mut cells);
        let mut active = Vec::new();
        for c in cells {
            let (cx, cy) = (f64::from(c % nx), f64::from(c / nx));
            for _ in 0..SWEEP_DARTS {
                let q = PointMm::new(lo.x + (cx + rng.f64()) * SWEEP_CELL_MM, lo.y + (cy + rng.f64()) * SWEEP_CELL_MM);
                if let Some(i) = self.try_dart(q, frac, pass, rng) {
                    active.push(i);
                    self.grow(&mut active, frac, pass, rng);
                }
            }
        }
    }

    /// Free space around `p` as a share of the full-size radius at `frac`.
    fn clearance(&self, p: PointMm, frac: f64) -> Option<f64> {
        let s = self.field.sample(p)?;
        let n = s.per_mm2 * frac / self.per_item;
        let r = (RADIUS_COEFF / n.sqrt()).min(MAX_RADIUS_MM);
        Some(self.grid.nearest2(p, 2.0 * r).sqrt() / r)
    }

    fn counts(&self) -> Vec<i64> {
        let mut c = vec![0i64; self.field.design().regions().len()];
        for (i, &r) in self.region.iter().enumerate() {
            if self.alive[i] {
                c[r as usize] += 1;
            }
        }
        c
    }

    /// Remove the most crowded dots of this pass from regions over their target.
    fn trim(&mut self, excess: &mut [i64], frac: f64, pass: u8) {
        let mut heap = BinaryHeap::new();
        for i in 0..self.pts.len() {
            if self.alive[i] && self.pass[i] == pass && excess[self.region[i] as usize] > 0 {
                let c = self.clearance(self.pts[i], frac).unwrap_or(0.0);
                heap.push(Reverse((key(c), i as u32)));
            }
        }
        while let Some(Reverse((k, i))) = heap.pop() {
            let iu = i as usize;
            let r = self.region[iu] as usize;
            if excess[r] == 0 {
                continue;
            }
            let now = key(self.clearance(self.pts[iu], frac).unwrap_or(0.0));
            if now > k {
                heap.push(Reverse((now, i)));
                continue;
            }
            self.grid.remove(self.pts[iu]);
            self.alive[iu] = false;
            excess[r] -= 1;
        }
    }

    /// Add dots in the widest gaps of a region under its target, never closer than
    /// [`MIN_FILL_CLEARANCE`] of the full-size radius.
    fn fill(&mut self, region: usize, mut deficit: i64, frac: f64, pass: u8, rng: &mut Rng) {
        let poly = &self.field.design().regions()[region].polygon;
        let (lo, hi) = smp_design::geometry::bounds(poly);
        let want = (deficit * 20).max(200) as usize;
        let mut heap = BinaryHeap::new();
        let mut attempts = 0;
        while heap.len() < want && attempts < want * 50 {
            attempts += 1;
            let q = PointMm::new(rng.range(lo.x, hi.x), rng.range(lo.y, hi.y));
            match self.field.sample(q) {
                Some(s) if s.region == region => {
                    if let Some(c) = self.clearance(q, frac) {
                        heap.push((key(c), heap.len() as u32, q.x.to_bits(), q.y.to_bits()));
                    }
                }
                _ => {}
            }
        }
        while deficit > 0 {
            let Some((k, tie, x, y)) = heap.pop() else { break };
            let q = PointMm::new(f64::from_bits(x), f64::from_bits(y));
            let Some(c) = self.clearance(q, frac) else { continue };
            if key(c) < k {
                heap.push((key(c), tie, x, y));
                continue;
            }
            if c < MIN_FILL_CLEARANCE {
                break;
            }
            let s = self.field.sample(q).expect("sampled before");
            self.add(q, &s, pass);
            deficit -= 1;
        }
    }
}

/// Sample items (dots, or follicular-unit centres when `per_item` > 1) over `field`,
/// in passes by the cumulative session shares, with per-region counts equal to the
/// field's expected counts divided by `per_item`.
pub fn sample(field: &DensityField, per_item: f64, cumulative: &[f64], seed: u64) -> Sampled {
    let (lo, hi) = field.bounds();
    let n_max = field.max_per_mm2() / per_item;
    // The closest two dots can come bounds the grid cell.
    let r_min = RADIUS_COEFF * MIN_SHRINK * MIN_FILL_CLEARANCE / n_max.sqrt();
    let mut st = State {
        field,
        per_item,
        shrink: 1.0,
        grid: SlotGrid::new(lo, hi, r_min),
        pts: Vec::new(),
        region: Vec::new(),
        pass: Vec::new(),
        ramp: Vec::new(),
        alive: Vec::new(),
    };
    let expected = field.expected_counts();
    let last = (cumulative.len() - 1) as u8;
    let mut rng = Rng::new(seed, 100);
    let targets: Vec<i64> = expected.iter().map(|&e| (e / per_item).round() as i64).collect();
    loop {
        st.sweep(1.0, last, &mut rng);
        let short = st.counts().iter().zip(&targets).any(|(&c, &t)| t - c > 2.max(t / 200));
        if !short || st.shrink <= MIN_SHRINK {
            break;
        }
        st.shrink = (st.shrink * SHRINK_STEP).max(MIN_SHRINK);
    }
    st.shrink = 1.0;
    let mut excess: Vec<i64> = st.counts().iter().zip(&targets).map(|(&c, &t)| c - t).collect();
    st.trim(&mut excess, 1.0, last);
    for (r, &e) in excess.iter().enumerate() {
        if e < 0 {
            st.fill(r, -e, 1.0, last, &mut rng);
        }
    }
    let alive: Vec<usize> = (0..st.pts.len()).filter(|&i| st.alive[i]).collect();
    let mut out = Sampled {
        points: alive.iter().map(|&i| st.pts[i]).collect(),
        region: alive.iter().map(|&i| st.region[i]).collect(),
        pass: vec![last; alive.len()],
        ramp: alive.iter().map(|&i| st.ramp[i]).collect(),
    };
    crate::layering::assign_sessions(field, &mut out, per_item, cumulative, r_min, seed);
    out
}
