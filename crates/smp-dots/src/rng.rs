//! The one source of randomness: a ChaCha8 stream per purpose, derived from the design's
//! seed, so the same seed gives the same dots on every platform; and the one seeded
//! hash (SplitMix64's finaliser) for values fixed by a position rather than drawn in
//! order: noise lattices, per-pixel grain, the synthetic heads.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// SplitMix64's finaliser: a strong, portable 64-bit mix.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The hash of a seed and an integer lattice point.
pub fn lattice_hash(seed: u64, x: i64, y: i64) -> u64 {
    mix64(seed ^ (x as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (y as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
}

/// A seeded, portable random stream.
pub struct Rng(ChaCha8Rng);

impl Rng {
    /// The stream for `purpose` under `seed`; different purposes never share numbers.
    pub fn new(seed: u64, purpose: u64) -> Self {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..16].copy_from_slice(&purpose.to_le_bytes());
        key[16..24].copy_from_slice(b"smp-dots");
        Rng(ChaCha8Rng::from_seed(key))
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn f64(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// Uniform integer in `0..n` (n > 0), by rejection so there is no modulo bias.
    pub fn below(&mut self, n: u32) -> u32 {
        let zone = u32::MAX - u32::MAX % n;
        loop {
            let v = self.0.next_u32();
            if v < zone {
                return v % n;
            }
        }
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u32 + 1) as usize;
            v.swap(i, j);
        }
    }

    /// A uniformly random unit vector, by rejection (no trigonometry, so it is
    /// bit-identical everywhere).
    pub fn unit_vector(&mut self) -> (f64, f64) {
        loop {
            let (x, y) = (self.range(-1.0, 1.0), self.range(-1.0, 1.0));
            let r2 = x * x + y * y;
            if r2 > 1e-4 && r2 <= 1.0 {
                let r = r2.sqrt();
                return (x / r, y / r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<f64> = (0..4)
            .map({
                let mut r = Rng::new(7, 1);
                move |_| r.f64()
            })
            .collect();
        let b: Vec<f64> = (0..4)
            .map({
                let mut r = Rng::new(7, 1);
                move |_| r.f64()
            })
            .collect();
        let c: Vec<f64> = (0..4)
            .map({
                let mut r = Rng::new(7, 2);
                move |_| r.f64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.iter().all(|v| (0.0..1.0).contains(v)));
    }

    #[test]
    fn first_value_is_pinned() {
        // Pins the stream across platforms and dependency updates: a change here changes
        // every design's dots.
        let mut r = Rng::new(42, 0);
        let v = r.f64();
        assert_eq!(format!("{v:.12}"), PINNED_FIRST);
    }
    const PINNED_FIRST: &str = "0.306206616470";
}
