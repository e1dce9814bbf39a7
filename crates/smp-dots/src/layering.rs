//! Sessions as nested, well-spread subsets of the final dots (Liu et al. 2025: ~30 %,
//! ~70 %, 100 %). Sessions 1..=k are a Poisson-disk subset at the radius of their own
//! cumulative density, so an early session already looks even; each region gets exactly
//! its share.

use crate::clinical::{LAYER_RADIUS_COEFF, LAYER_RADIUS_STEPS};
use crate::field::DensityField;
use crate::rng::Rng;
use crate::sampler::Sampled;
use crate::slots::SlotGrid;
use smp_design::PointMm;

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
    let (points, region) = (s.points.clone(), s.region.clone());
    let dots = Dots {
        points: &points,
        region: &region,
        lo,
        hi,
        r_min,
    };
    let mut count = vec![0i64; regions];
    let radius = |i: usize, frac: f64| -> f64 {
        let d = field.design().regions()[s.region[i] as usize].density.per_mm2() * f64::from(s.ramp[i]).max(1e-6);
        LAYER_RADIUS_COEFF / (d * frac / per_item).sqrt()
    };
    let sessions = cumulative.len();
    // With three or more sessions the last one is chosen before the one before it, from
    // what is left, so that it too is even on its own (the one before is what remains).
    let forward = if sessions >= 3 { sessions - 2 } else { sessions - 1 };
    for k in 0..forward {
        let frac = cumulative[k];
        let own_frac = frac - if k == 0 { 0.0 } else { cumulative[k - 1] };
        let target: Vec<i64> = total.iter().map(|&t| (t as f64 * frac).round() as i64).collect();
        let mut rng = Rng::new(seed, 300 + k as u64);
        for i in choose(
            &dots,
            &mut grid,
            &mut selected,
            &mut count,
            &target,
            &mut rng,
            &|i| (radius(i, frac), radius(i, own_frac)),
            None,
        ) {
            s.pass[i] = k as u8;
        }
    }
    if sessions >= 3 {
        let last = sessions - 1;
        let before = cumulative[last - 1];
        // Dots of the last session, counted up from those already chosen.
        let target: Vec<i64> = total
            .iter()
            .zip(&count)
            .map(|(&t, &c)| c + t - (t as f64 * before).round() as i64)
            .collect();
        let mut rng = Rng::new(seed, 300 + last as u64);
        let mut none = SlotGrid::new(lo, hi, r_min);
        // Taking the most crowded dots first breaks up close pairs, so the sessions
        // before it keep their spacing.
        let mut all = SlotGrid::new(lo, hi, r_min);
        for (i, &p) in points.iter().enumerate() {
            all.insert(p, i as u32);
        }
        let nn: Vec<f64> = (0..n)
            .map(|i| all.nearest2(points[i], 4.0 * radius(i, 1.0)) / radius(i, 1.0).powi(2))
            .collect();
        let chosen = choose(
            &dots,
            &mut none,
            &mut selected,
            &mut count,
            &target,
            &mut rng,
            &|i| (0.0, radius(i, 1.0 - before)),
            Some(&nn),
        );
        for i in chosen {
            s.pass[i] = last as u8;
        }
        for i in 0..n {
            if !selected[i] {
                s.pass[i] = (last - 1) as u8;
            }
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

/// The dots being layered and where their grids live.
struct Dots<'a> {
    points: &'a [PointMm],
    region: &'a [u16],
    lo: PointMm,
    hi: PointMm,
    r_min: f64,
}

/// Greedily choose unselected dots until every region reaches `target`: a dot is taken
/// when no dot of `grid` lies within the first radius of `radii(dot)` and no dot chosen
/// in this call within the second, each scaled by the factors of [`LAYER_RADIUS_STEPS`]
/// in turn (a factor 0 drops that test).
fn choose(
    d: &Dots,
    grid: &mut SlotGrid,
    selected: &mut [bool],
    count: &mut [i64],
    target: &[i64],
    rng: &mut Rng,
    radii: &dyn Fn(usize) -> (f64, f64),
    crowded_first: Option<&[f64]>,
) -> Vec<usize> {
    let mut own = SlotGrid::new(d.lo, d.hi, d.r_min);
    let mut order: Vec<usize> = (0..selected.len()).filter(|&i| !selected[i]).collect();
    rng.shuffle(&mut order);
    if let Some(nn) = crowded_first {
        order.sort_by(|&a, &b| nn[a].total_cmp(&nn[b]));
    }
    let mut added = Vec::new();
    for &(f_all, f_own) in &LAYER_RADIUS_STEPS {
        for &i in &order {
            let r = d.region[i] as usize;
            if selected[i] || count[r] >= target[r] {
                continue;
            }
            let p = d.points[i];
            let (r_all, r_own) = radii(i);
            if !((f_all > 0.0 && grid.occupied(p, r_all * f_all)) || (f_own > 0.0 && own.occupied(p, r_own * f_own))) {
                grid.insert(p, i as u32);
                own.insert(p, i as u32);
                selected[i] = true;
                count[r] += 1;
                added.push(i);
            }
        }
        if count.iter().zip(target).all(|(c, t)| c >= t) {
            break;
        }
    }
    added
}
