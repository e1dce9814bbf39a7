//! Blue-noise sampling of a density field.
//!
//! Variable-radius dart throwing (Bridson 2007) grown from darts swept over the field,
//! then darts into every free grid cell so the set is nearly maximal. The field is cut
//! into vertical stripes wider than two of the largest radii; even stripes are sampled
//! in parallel, then odd ones around them, so the result does not depend on the number
//! of threads. Last, the count of every region is made exact: dots are removed where
//! they are most crowded, or added in the widest gaps. Sessions are then chosen as
//! nested subsets ([`crate::layering`]).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use smp_design::PointMm;

use crate::constants::{BRIDSON_TRIES, MAX_RADIUS_MM, MIN_FILL_CLEARANCE, MIN_SHRINK, RADIUS_COEFF, SHRINK_STEP};
use crate::field::{DensityField, FieldSample};
use crate::rng::Rng;
use crate::slots::SlotGrid;

/// Coarse cell of the seeding sweep, mm.
const SWEEP_CELL_MM: f64 = 1.5;
/// Darts per sweep cell.
const SWEEP_DARTS: u32 = 2;
/// Random darts per free grid cell when completing the set.
const COMPLETE_DARTS: usize = 2;
/// Quarter-cell centres tested in the last completion round.
const QUARTERS: [(f64, f64); 4] = [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)];
/// Neighbours are gathered for radii up to this multiple of the radius at a cell's centre.
const COMPLETE_REACH: f64 = 1.1;
/// Dots within this many radii of a removed dot are spared by the trim.
const TRIM_SPARE_RADII: f64 = 2.0;
/// A removal that leaves its spot farther than this many radii from every dot is
/// undone (the empty circle would approach the 2 · d_hex limit).
const HOLE_LIMIT_RADII: f64 = 1.2;
/// Rounds of trimming and undoing.
const TRIM_ROUNDS: usize = 4;
/// Fewest stripes; more only make the pieces smaller than a core's share.
const MIN_STRIPES: usize = 8;

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

/// One placed dot.
#[derive(Debug, Clone, Copy)]
struct Dot {
    p: PointMm,
    region: u16,
    ramp: f32,
}

/// Dart throwing over one rectangle of the field (a stripe, or all of it).
struct State<'f, 'd> {
    field: &'f DensityField<'d>,
    /// Items (dots or units) per impression: the density divisor.
    per_item: f64,
    /// Radius factor of the current round (below 1 when a round fell short).
    shrink: f64,
    /// Darts land only in `x0 <= x < x1`.
    x0: f64,
    x1: f64,
    grid: SlotGrid,
    dots: Vec<Dot>,
    alive: Vec<bool>,
}

impl<'f, 'd> State<'f, 'd> {
    fn new(field: &'f DensityField<'d>, per_item: f64, shrink: f64, (x0, x1): (f64, f64), r_min: f64) -> Self {
        let (lo, hi) = field.bounds();
        let margin = MAX_RADIUS_MM + 1.0;
        let glo = PointMm::new((x0 - margin).max(lo.x), lo.y);
        let ghi = PointMm::new((x1 + margin).min(hi.x), hi.y);
        State {
            field,
            per_item,
            shrink,
            x0,
            x1,
            grid: SlotGrid::new(glo, ghi, r_min),
            dots: Vec::new(),
            alive: Vec::new(),
        }
    }

    /// Poisson-disk radius at a field sample, and the probability of keeping a dart
    /// there (below 1 only beyond the largest radius).
    fn radius(&self, s: &FieldSample) -> (f64, f64) {
        let n = s.per_mm2 / self.per_item;
        let c = RADIUS_COEFF * self.shrink;
        let r = c / n.sqrt();
        if r > MAX_RADIUS_MM {
            (MAX_RADIUS_MM, n * MAX_RADIUS_MM * MAX_RADIUS_MM / (c * c))
        } else {
            (r, 1.0)
        }
    }

    fn add(&mut self, dot: Dot) -> u32 {
        let i = self.dots.len() as u32;
        self.grid.insert(dot.p, i);
        self.dots.push(dot);
        self.alive.push(true);
        i
    }

    fn try_dart(&mut self, q: PointMm, rng: &mut Rng) -> Option<u32> {
        self.try_dart_near(q, &[], 0.0, rng)
    }

    /// Bridson's active-list growth from the given dots.
    fn grow(&mut self, active: &mut Vec<u32>, rng: &mut Rng) {
        while let Some(&newest) = active.last() {
            // Growing from the newest dot keeps the work local in memory.
            let a = self.dots[newest as usize].p;
            let Some(s) = self.field.sample(a) else {
                active.pop();
                continue;
            };
            let (ra, _) = self.radius(&s);
            let mut found = None;
            for _ in 0..BRIDSON_TRIES {
                let (ux, uy) = rng.unit_vector();
                // Uniform over the annulus r..2r by area.
                let d = ra * (1.0 + 3.0 * rng.f64()).sqrt();
                if let Some(i) = self.try_dart(PointMm::new(a.x + ux * d, a.y + uy * d), rng) {
                    found = Some(i);
                    break;
                }
            }
            match found {
                Some(i) => active.push(i),
                None => {
                    active.pop();
                }
            }
        }
    }

    /// Darts over the rectangle in random cell order, growing from each hit: seeds every
    /// connected piece and fills what growth missed.
    fn sweep(&mut self, rng: &mut Rng) {
        let (lo, hi) = self.field.bounds();
        let nx = ((self.x1 - self.x0) / SWEEP_CELL_MM).ceil() as u32;
        let ny = ((hi.y - lo.y) / SWEEP_CELL_MM).ceil() as u32;
        let mut cells: Vec<u32> = (0..nx * ny).collect();
        rng.shuffle(&mut cells);
        let mut active = Vec::new();
        for c in cells {
            let (cx, cy) = (f64::from(c % nx), f64::from(c / nx));
            for _ in 0..SWEEP_DARTS {
                let q = PointMm::new(self.x0 + (cx + rng.f64()) * SWEEP_CELL_MM, lo.y + (cy + rng.f64()) * SWEEP_CELL_MM);
                if let Some(i) = self.try_dart(q, rng) {
                    active.push(i);
                    self.grow(&mut active, rng);
                }
            }
        }
    }

    /// Darts into every free grid cell, then a test at the four quarter-cell centres of
    /// every cell still free. The lattice is finer than the smallest pocket that could
    /// hold an empty circle wider than 2 · d_hex, so none survives; the random darts come
    /// first so the lattice only fills the last pockets and leaves no pattern. Each cell
    /// gathers its neighbours once, so a dart tests a handful of dots, not the grid.
    fn complete(&mut self, rng: &mut Rng) {
        let size = self.grid.cell_mm();
        let half_diag = size * std::f64::consts::FRAC_1_SQRT_2;
        let mut near = Vec::new();
        for lattice in [false, true] {
            for c in 0..self.grid.cells() {
                if !self.grid.is_free(c) {
                    continue;
                }
                let o = self.grid.cell_origin(c);
                if o.x + size <= self.x0 || o.x >= self.x1 {
                    continue;
                }
                let centre = PointMm::new(o.x + size / 2.0, o.y + size / 2.0);
                // Dots that could block a dart anywhere in the cell, for radii up to
                // `reach`; a dart that needs more (the cell straddles a density change)
                // falls back to the full test.
                let reach = match self.field.sample(centre) {
                    Some(s) => self.radius(&s).0 * COMPLETE_REACH,
                    None => 0.0,
                };
                self.grid.points_within(centre, reach + half_diag, &mut near);
                let mut darts = QUARTERS;
                let k = if lattice {
                    QUARTERS.len()
                } else {
                    for d in darts.iter_mut().take(COMPLETE_DARTS) {
                        *d = (rng.f64(), rng.f64());
                    }
                    COMPLETE_DARTS
                };
                for &(fx, fy) in &darts[..k] {
                    let q = PointMm::new(o.x + fx * size, o.y + fy * size);
                    if self.try_dart_near(q, &near, reach, rng).is_some() {
                        break;
                    }
                }
            }
        }
    }

    /// A dart at `q`: kept when it lands in the field and no dot is within its radius.
    /// Dots are looked up in `near` when it lists every dot within `reach` (and the
    /// radius is no larger), else in the grid.
    fn try_dart_near(&mut self, q: PointMm, near: &[PointMm], reach: f64, rng: &mut Rng) -> Option<u32> {
        if !(q.x >= self.x0 && q.x < self.x1) {
            return None;
        }
        let s = self.field.sample(q)?;
        let (r, keep) = self.radius(&s);
        if keep < 1.0 && rng.f64() >= keep {
            return None;
        }
        let blocked = if r <= reach {
            near.iter().any(|p| p.dist2(q) < r * r)
        } else {
            self.grid.occupied(q, r)
        };
        if blocked {
            return None;
        }
        Some(self.add(Dot {
            p: q,
            region: s.region as u16,
            ramp: s.ramp as f32,
        }))
    }

    /// Free space around `p` as a share of the full-size radius.
    fn clearance(&self, p: PointMm) -> Option<f64> {
        let s = self.field.sample(p)?;
        let r = (RADIUS_COEFF / (s.per_mm2 / self.per_item).sqrt()).min(MAX_RADIUS_MM);
        Some(self.grid.nearest2(p, 2.0 * r).sqrt() / r)
    }

    /// How crowded the neighbourhood of `p` is: mean distance to its three nearest dots
    /// as a share of the radius. Removing the dot with the smallest value leaves the
    /// smallest hole.
    fn crowding(&self, p: PointMm) -> Option<f64> {
        let s = self.field.sample(p)?;
        let r = (RADIUS_COEFF / (s.per_mm2 / self.per_item).sqrt()).min(MAX_RADIUS_MM);
        Some(self.grid.mean_nearest3(p, 2.0 * r) / r)
    }

    fn counts(&self) -> Vec<i64> {
        count_regions(self.field, self.dots.iter().zip(&self.alive).filter(|(_, a)| **a).map(|(d, _)| d))
    }

    /// Remove dots from the most crowded places of regions over their target. The
    /// neighbours of a removed dot are spared while others remain, so removals never
    /// pile up into one hole; a removal that still left a hole is undone and another
    /// dot goes instead.
    fn trim(&mut self, excess: &mut [i64]) {
        let mut protected = vec![false; self.dots.len()];
        for _ in 0..TRIM_ROUNDS {
            let removed = self.trim_once(excess, &protected);
            let mut undone = false;
            for i in removed {
                let p = self.dots[i].p;
                let Some(s) = self.field.sample(p) else { continue };
                let (r, _) = self.radius(&s);
                if self.grid.nearest2(p, 2.0 * r) > (HOLE_LIMIT_RADII * r).powi(2) {
                    self.grid.insert(p, i as u32);
                    self.alive[i] = true;
                    protected[i] = true;
                    excess[self.dots[i].region as usize] += 1;
                    undone = true;
                }
            }
            if !undone {
                break;
            }
        }
    }

    /// One round of [`Self::trim`]; returns the removed dots.
    fn trim_once(&mut self, excess: &mut [i64], protected: &[bool]) -> Vec<usize> {
        let mut heap = BinaryHeap::new();
        for i in 0..self.dots.len() {
            if self.alive[i] && !protected[i] && excess[self.dots[i].region as usize] > 0 {
                let c = self.crowding(self.dots[i].p).unwrap_or(0.0);
                heap.push(Reverse((key(c), i as u32)));
            }
        }
        let mut spared = vec![false; self.dots.len()];
        let mut deferred = Vec::new();
        let mut near = Vec::new();
        let mut removed = Vec::new();
        for relaxed in [false, true] {
            if relaxed {
                heap.extend(deferred.drain(..));
            }
            while let Some(Reverse((k, i))) = heap.pop() {
                let iu = i as usize;
                let r = self.dots[iu].region as usize;
                if excess[r] == 0 || !self.alive[iu] {
                    continue;
                }
                let now = key(self.crowding(self.dots[iu].p).unwrap_or(0.0));
                if now > k {
                    heap.push(Reverse((now, i)));
                    continue;
                }
                if spared[iu] && !relaxed {
                    deferred.push(Reverse((now, i)));
                    continue;
                }
                let p = self.dots[iu].p;
                self.grid.remove(p);
                self.alive[iu] = false;
                excess[r] -= 1;
                removed.push(iu);
                if let Some(s) = self.field.sample(p) {
                    let (radius, _) = self.radius(&s);
                    self.grid.ids_within(p, TRIM_SPARE_RADII * radius, &mut near);
                    for &j in &near {
                        spared[j as usize] = true;
                    }
                }
            }
        }
        removed
    }

    /// Add dots in the widest gaps of a region under its target, never closer than
    /// [`MIN_FILL_CLEARANCE`] of the full-size radius.
    fn fill(&mut self, region: usize, mut deficit: i64, rng: &mut Rng) {
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
                    if let Some(c) = self.clearance(q) {
                        heap.push((key(c), heap.len() as u32, q.x.to_bits(), q.y.to_bits()));
                    }
                }
                _ => {}
            }
        }
        while deficit > 0 {
            let Some((k, tie, x, y)) = heap.pop() else { break };
            let q = PointMm::new(f64::from_bits(x), f64::from_bits(y));
            let Some(c) = self.clearance(q) else { continue };
            if key(c) < k {
                heap.push((key(c), tie, x, y));
                continue;
            }
            if c < MIN_FILL_CLEARANCE {
                break;
            }
            let s = self.field.sample(q).expect("sampled before");
            self.add(Dot {
                p: q,
                region: s.region as u16,
                ramp: s.ramp as f32,
            });
            deficit -= 1;
        }
    }
}

fn count_regions<'a>(field: &DensityField, dots: impl Iterator<Item = &'a Dot>) -> Vec<i64> {
    let mut c = vec![0i64; field.design().regions().len()];
    for d in dots {
        c[d.region as usize] += 1;
    }
    c
}

/// Vertical stripes covering the field, each wider than two of the largest radii so
/// that stripes of the same parity never interact.
fn stripes(field: &DensityField) -> Vec<(f64, f64)> {
    let (lo, hi) = field.bounds();
    let min_width = 2.0 * MAX_RADIUS_MM + 2.0;
    let n = (((hi.x - lo.x) / min_width).floor() as usize).clamp(1, MIN_STRIPES.max(1));
    // An odd count above one would put two same-parity stripes side by side only if it
    // wrapped; it does not, so any count works.
    let w = (hi.x - lo.x) / n as f64;
    (0..n)
        .map(|i| {
            (
                lo.x + i as f64 * w,
                if i + 1 == n { hi.x + 1e-9 } else { lo.x + (i + 1) as f64 * w },
            )
        })
        .collect()
}

/// One round of dart throwing over the whole field at radius factor `shrink`, adding to
/// `dots`: even stripes in parallel, then odd stripes around them.
fn round(field: &DensityField, per_item: f64, shrink: f64, r_min: f64, dots: &mut Vec<Dot>, seed: u64, round: u64) {
    let strips = stripes(field);
    for parity in 0..2 {
        let results: Vec<Vec<Dot>> = strips
            .par_iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == parity)
            .map(|(i, &(x0, x1))| {
                let mut st = State::new(field, per_item, shrink, (x0, x1), r_min);
                let margin = MAX_RADIUS_MM + 1.0;
                for d in dots.iter().filter(|d| d.p.x >= x0 - margin && d.p.x < x1 + margin) {
                    st.add(*d);
                }
                let existing = st.dots.len();
                let mut rng = Rng::new(seed, 1000 + round * 64 + i as u64);
                st.sweep(&mut rng);
                st.complete(&mut rng);
                st.dots.split_off(existing)
            })
            .collect();
        for r in results {
            dots.extend(r);
        }
    }
}

/// Sample items (dots, or follicular-unit centres when `per_item` > 1) over `field`,
/// with per-region counts equal to the field's expected counts divided by `per_item`,
/// and sessions by the cumulative shares.
pub fn sample(field: &DensityField, per_item: f64, cumulative: &[f64], seed: u64) -> Sampled {
    let n_max = field.max_per_mm2() / per_item;
    // The closest two dots can come bounds the grid cell.
    let r_min = RADIUS_COEFF * MIN_SHRINK * MIN_FILL_CLEARANCE / n_max.sqrt();
    let targets: Vec<i64> = field.expected_counts().iter().map(|&e| (e / per_item).round() as i64).collect();
    let mut dots = Vec::new();
    let mut shrink = 1.0;
    for r in 0.. {
        round(field, per_item, shrink, r_min, &mut dots, seed, r);
        let counts = count_regions(field, dots.iter());
        let short = counts.iter().zip(&targets).any(|(&c, &t)| t - c > 2.max(t / 200));
        if !short || shrink <= MIN_SHRINK {
            break;
        }
        shrink = (shrink * SHRINK_STEP).max(MIN_SHRINK);
    }
    // Exact counts over the whole field.
    let (lo, hi) = field.bounds();
    let mut st = State::new(field, per_item, 1.0, (lo.x, hi.x + 1e-9), r_min);
    for d in dots {
        st.add(d);
    }
    let mut excess: Vec<i64> = st.counts().iter().zip(&targets).map(|(&c, &t)| c - t).collect();
    st.trim(&mut excess);
    let mut rng = Rng::new(seed, 100);
    for (r, &e) in excess.iter().enumerate() {
        if e < 0 {
            st.fill(r, -e, &mut rng);
        }
    }
    let last = (cumulative.len() - 1) as u8;
    let kept: Vec<Dot> = st.dots.iter().zip(&st.alive).filter(|(_, a)| **a).map(|(d, _)| *d).collect();
    let mut out = Sampled {
        points: kept.iter().map(|d| d.p).collect(),
        region: kept.iter().map(|d| d.region).collect(),
        pass: vec![last; kept.len()],
        ramp: kept.iter().map(|d| d.ramp).collect(),
    };
    crate::layering::assign_sessions(field, &mut out, per_item, cumulative, r_min, seed);
    out
}
