//! Sessions as nested, well-spread subsets of the final dots (Liu et al. 2025: ~30 %,
//! ~70 %, 100 %). Sessions 1..=k are a Poisson-disk subset at the radius of their own
//! cumulative density, so an early session already looks even; each region gets exactly
//! its share.

use crate::constants::{LAYER_RADIUS_COEFF, LAYER_RADIUS_STEPS};
use crate::field::DensityField;
use crate::rng::Rng;
use crate::sampler::Sampled;
use crate::slots::SlotGrid;
use smp_design::PointMm;

/// Set `s.pass` so that passes `0..=k` hold `cumulative[k]` of every region's dots.
pub fn assign_sessions(field: &DensityField, s: &mut Sampled, per_item: f64, cumulative: &[f64], r_min: f64, seed: u64) {
    let n = s.points.len();
    let mut total = vec![0i64; field.design().regions().len()];
    for &r in &s.region {
        total[r as usize] += 1;
    }
    let (lo, hi) = field.bounds();
    // Radius of each dot at full density; a share `frac` of it scales by 1/√frac.
    let full: Vec<f64> = (0..n)
        .map(|i| {
            let d = field.design().regions()[s.region[i] as usize].density.per_mm2() * f64::from(s.ramp[i]).max(1e-6);
            LAYER_RADIUS_COEFF / (d / per_item).sqrt()
        })
        .collect();
    let radius = |i: usize, frac: f64| -> f64 { full[i] / frac.sqrt() };
    let mut ch = Chooser {
        points: &s.points,
        region: &s.region,
        lo,
        hi,
        r_min,
        chosen: SlotGrid::new(lo, hi, r_min),
        selected: vec![false; n],
        count: vec![0; total.len()],
    };
    let mut pass = vec![0u8; n];
    let sessions = cumulative.len();
    // With three or more sessions the last one is chosen before the one before it, from
    // what is left, so that it too is even on its own (the one before is what remains).
    let forward = if sessions >= 3 { sessions - 2 } else { sessions - 1 };
    for k in 0..forward {
        let frac = cumulative[k];
        let own_frac = frac - if k == 0 { 0.0 } else { cumulative[k - 1] };
        let target: Vec<i64> = total.iter().map(|&t| (t as f64 * frac).round() as i64).collect();
        let mut rng = Rng::new(seed, 300 + k as u64);
        for i in ch.choose(&target, &mut rng, &|i| (Some(radius(i, frac)), radius(i, own_frac)), None) {
            pass[i] = k as u8;
        }
    }
    let last = sessions - 1;
    if sessions >= 3 {
        let before = cumulative[last - 1];
        // Dots of the last session, counted on top of those already chosen.
        let target: Vec<i64> = total
            .iter()
            .zip(&ch.count)
            .map(|(&t, &c)| c + t - (t as f64 * before).round() as i64)
            .collect();
        let mut rng = Rng::new(seed, 300 + last as u64);
        // Taking the most crowded dots first breaks up close pairs, so the sessions
        // before it keep their spacing.
        let mut all = SlotGrid::new(lo, hi, r_min);
        for (i, &p) in s.points.iter().enumerate() {
            all.insert(p, i as u32);
        }
        let crowding: Vec<f64> = (0..n)
            .map(|i| all.nearest2(s.points[i], 4.0 * radius(i, 1.0)) / radius(i, 1.0).powi(2))
            .collect();
        for i in ch.choose(&target, &mut rng, &|i| (None, radius(i, 1.0 - before)), Some(&crowding)) {
            pass[i] = last as u8;
        }
    }
    // What is left is the session before the last chosen one.
    let rest = if sessions >= 3 { last - 1 } else { last };
    for (p, &sel) in pass.iter_mut().zip(&ch.selected) {
        if !sel {
            *p = rest as u8;
        }
    }
    // Session order in the output: by pass, stable within a pass.
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by_key(|&i| pass[i]);
    s.points = idx.iter().map(|&i| s.points[i]).collect();
    s.region = idx.iter().map(|&i| s.region[i]).collect();
    s.ramp = idx.iter().map(|&i| s.ramp[i]).collect();
    s.pass = idx.iter().map(|&i| pass[i]).collect();
}

/// Greedy choice of well-spread subsets of the dots, remembering what is chosen.
struct Chooser<'a> {
    points: &'a [PointMm],
    region: &'a [u16],
    lo: PointMm,
    hi: PointMm,
    r_min: f64,
    /// Every dot chosen so far (the sessions so far, for forward choices).
    chosen: SlotGrid,
    selected: Vec<bool>,
    count: Vec<i64>,
}

impl Chooser<'_> {
    /// Choose unselected dots until every region reaches `target`. A dot is taken when no
    /// dot chosen so far lies within the first radius of `radii(dot)` (when given) and no
    /// dot of this call within the second, each scaled by the factors of
    /// [`LAYER_RADIUS_STEPS`] in turn (a factor 0 drops that test). Dots are tried in
    /// random order, or by ascending `first` when given.
    fn choose(&mut self, target: &[i64], rng: &mut Rng, radii: &dyn Fn(usize) -> (Option<f64>, f64), first: Option<&[f64]>) -> Vec<usize> {
        let mut own = SlotGrid::new(self.lo, self.hi, self.r_min);
        let mut order: Vec<usize> = (0..self.selected.len()).filter(|&i| !self.selected[i]).collect();
        rng.shuffle(&mut order);
        if let Some(key) = first {
            order.sort_by(|&a, &b| key[a].total_cmp(&key[b]));
        }
        let mut added = Vec::new();
        for &(f_all, f_own) in &LAYER_RADIUS_STEPS {
            order.retain(|&i| !self.selected[i] && self.count[self.region[i] as usize] < target[self.region[i] as usize]);
            for &i in &order {
                let r = self.region[i] as usize;
                if self.count[r] >= target[r] {
                    continue;
                }
                let p = self.points[i];
                let (r_all, r_own) = radii(i);
                let crowded_all = r_all.is_some_and(|ra| f_all > 0.0 && self.chosen.occupied(p, ra * f_all));
                if crowded_all || (f_own > 0.0 && own.occupied(p, r_own * f_own)) {
                    continue;
                }
                self.chosen.insert(p, i as u32);
                own.insert(p, i as u32);
                self.selected[i] = true;
                self.count[r] += 1;
                added.push(i);
            }
            if self.count.iter().zip(target).all(|(c, t)| c >= t) {
                break;
            }
        }
        added
    }
}
