//! Follicular units: impressions grouped 1–4 per unit with the natural distribution, the
//! unit centres being the blue-noise set.

use smp_design::PointMm;

use crate::constants::UNIT_SIZE_SHARES;
use crate::rng::Rng;

/// Unit sizes (1..=4) for `units` units holding exactly `impressions` impressions
/// (clamped to what `units` can hold), as close to the natural shares as that allows,
/// in random order.
pub fn unit_sizes(units: usize, impressions: usize, rng: &mut Rng) -> Vec<u8> {
    if units == 0 {
        return Vec::new();
    }
    let impressions = impressions.clamp(units, 4 * units);
    let mut count = UNIT_SIZE_SHARES.map(|s| (s * units as f64).round() as i64);
    count[1] += units as i64 - count.iter().sum::<i64>();
    if count[1] < 0 {
        count[0] += count[1];
        count[1] = 0;
    }
    let mut sum: i64 = count.iter().enumerate().map(|(i, c)| (i as i64 + 1) * c).sum();
    // Move single units up or down one size at a time, from the size that is most
    // over-represented against the natural shares, until the sum is exact.
    while sum != impressions as i64 {
        let up = sum < impressions as i64;
        let candidates = if up { 0..3 } else { 1..4 };
        let from = candidates
            .filter(|&s| count[s] > 0)
            .max_by(|&a, &b| {
                let over = |s: usize| count[s] as f64 - UNIT_SIZE_SHARES[s] * units as f64;
                over(a).total_cmp(&over(b))
            })
            .expect("a movable unit exists while the target is reachable");
        let to = if up { from + 1 } else { from - 1 };
        count[from] -= 1;
        count[to] += 1;
        sum += if up { 1 } else { -1 };
    }
    let mut sizes: Vec<u8> = count
        .iter()
        .enumerate()
        .flat_map(|(i, &c)| std::iter::repeat_n(i as u8 + 1, c as usize))
        .collect();
    rng.shuffle(&mut sizes);
    sizes
}

const SIN60: f64 = 0.866_025_403_784_438_6;

/// Offsets of the dots of a unit of `size` around its centre, for a random rotation
/// `(ux, uy)`, with neighbouring dots exactly `gap_mm` apart (centre to centre).
pub fn unit_offsets(size: u8, gap_mm: f64, (ux, uy): (f64, f64)) -> Vec<PointMm> {
    let rot = |x: f64, y: f64, r: f64| PointMm::new(r * (x * ux - y * uy), r * (x * uy + y * ux));
    match size {
        1 => vec![PointMm::new(0.0, 0.0)],
        2 => {
            let r = gap_mm / 2.0;
            vec![rot(1.0, 0.0, r), rot(-1.0, 0.0, r)]
        }
        3 => {
            let r = gap_mm / 3f64.sqrt();
            vec![rot(1.0, 0.0, r), rot(-0.5, SIN60, r), rot(-0.5, -SIN60, r)]
        }
        _ => {
            let r = gap_mm / 2f64.sqrt();
            vec![rot(1.0, 0.0, r), rot(0.0, 1.0, r), rot(-1.0, 0.0, r), rot(0.0, -1.0, r)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_hit_the_sum_and_the_shares() {
        let mut rng = Rng::new(1, 1);
        let s = unit_sizes(1000, 2200, &mut rng);
        assert_eq!(s.len(), 1000);
        assert_eq!(s.iter().map(|&v| usize::from(v)).sum::<usize>(), 2200);
        let share = |k| s.iter().filter(|&&v| v == k).count() as f64 / 1000.0;
        for (k, want) in [(1, 0.20), (2, 0.45), (3, 0.30), (4, 0.05)] {
            assert!((share(k) - want).abs() < 0.01, "size {k}: {}", share(k));
        }
        assert_eq!(unit_sizes(3, 100, &mut rng), vec![4, 4, 4]);
        assert_eq!(unit_sizes(5, 1, &mut rng), vec![1; 5]);
    }

    #[test]
    fn offsets_keep_the_gap() {
        for size in 1..=4u8 {
            let o = unit_offsets(size, 0.35, (0.6, 0.8));
            assert_eq!(o.len(), usize::from(size));
            for i in 0..o.len() {
                for j in i + 1..o.len() {
                    assert!(o[i].dist(o[j]) >= 0.35 - 1e-12, "size {size}");
                }
            }
        }
    }
}
