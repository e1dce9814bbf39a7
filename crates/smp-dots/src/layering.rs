//! Sessions as nested, well-spread subsets of the final dots (Liu et al. 2025: ~30 %,
//! ~70 %, 100 %). Sessions 1..=k are a Poisson-disk subset at the radius of their own
//! cumulative density, so an early session already looks even; each region gets exactly
//! its share.

use crate::clinical::{LAYER_RADIUS_COEFF, LAYER_RADIUS_STEPS};
use crate::field::DensityField;
use crate::rng::Rng;
use crate::sampler::Sampled;
use crate::slots::SlotGrid;

/// Set `s.pass` so that passes `0..=k` hold `cumulative[k]` of every region's dots.
pub fn assign_sessions(field: &DensityField, s: &mut Sampled, per_item: f64, cumulative: &[f64], r_min: f64, seed: u64) {
    let n = s.points.len();
    let regions = field.design().regions().len();
    let mut total = vec![0i64; regions];
    for &r in &s.region {
        total[r as usize] += 1;
    }
    let (lo, hi) = field.bounds();
    let mut grid = SlotGrid::new(lo, hi, r_min);
    let mut selected = vec![false; n];
    let mut count = vec![0i64; regions];
    let radius = |i: usize, frac: f64| {
        let d = field.design().regions()[s.region[i] as usize].density.per_mm2() * f64::from(s.ramp[i]).max(1e-6);
        LAYER_RADIUS_COEFF / (d * frac / per_item).sqrt()
    };
    for (k, &frac) in cumulative.iter().enumerate().take(cumulative.len() - 1) {
        let mut rng = Rng::new(seed, 300 + k as u64);
        let target: Vec<i64> = total.iter().map(|&t| (t as f64 * frac).round() as i64).collect();
        let mut order: Vec<usize> = (0..n).filter(|&i| !selected[i]).collect();
        rng.shuffle(&mut order);
        // Greedy Poisson-disk subsets at this prefix's radius, then at smaller ones, until
        // every region holds exactly its share.
        let mut added = Vec::new();
        for &factor in &LAYER_RADIUS_STEPS {
            for &i in &order {
                let r = s.region[i] as usize;
                if !selected[i] && count[r] < target[r] && (factor == 0.0 || !grid.occupied(s.points[i], factor * radius(i, frac))) {
                    grid.insert(s.points[i], i as u32);
                    selected[i] = true;
                    count[r] += 1;
                    added.push(i);
                }
            }
            if count.iter().zip(&target).all(|(c, t)| c >= t) {
                break;
            }
        }
        for i in added {
            s.pass[i] = k as u8;
        }
    }
    // Session order in the output: by pass, stable within a pass.
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by_key(|&i| s.pass[i]);
    s.points = idx.iter().map(|&i| s.points[i]).collect();
    s.region = idx.iter().map(|&i| s.region[i]).collect();
    s.pass = idx.iter().map(|&i| s.pass[i]).collect();
    s.ramp = idx.iter().map(|&i| s.ramp[i]).collect();
}
