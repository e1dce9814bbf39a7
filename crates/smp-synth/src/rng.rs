//! Deterministic randomness for the synthetic head: a SplitMix64 stream and integer
//! hashes, so every choice follows from the seed and never from thread scheduling.

// The one seeded hash of the project (SplitMix64's finaliser).
pub(crate) use smp_dots::rng::mix64 as mix;

/// Hash of a seed, a purpose tag and an integer lattice position.
pub(crate) fn hash(seed: u64, purpose: u64, i: i64, j: i64) -> u64 {
    let a = mix(seed ^ purpose.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let b = mix(a ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    mix(b ^ (j as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
}

/// A uniform number in `[0, 1)` from the top 53 bits of a hash.
pub(crate) fn unit(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A SplitMix64 stream.
pub(crate) struct SplitMix(u64);

impl SplitMix {
    /// The stream starting at `state`.
    pub(crate) fn new(state: u64) -> Self {
        SplitMix(state)
    }

    /// Next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn f64(&mut self) -> f64 {
        unit(self.next_u64())
    }

    /// Uniform in `[lo, hi)`.
    pub(crate) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// Index drawn with the given cumulative probabilities (the last entry must be 1).
    pub(crate) fn pick(&mut self, cumulative: &[f64]) -> usize {
        let x = self.f64();
        cumulative.iter().position(|&c| x < c).unwrap_or(cumulative.len() - 1)
    }
}

/// Purpose tags, so different uses of one seed never share numbers.
pub(crate) mod purpose {
    pub(crate) const UNITS: u64 = 1;
    pub(crate) const LAYOUT: u64 = 2;
    pub(crate) const SKIN: u64 = 3;
    pub(crate) const PORES: u64 = 4;
    pub(crate) const EDGES: u64 = 5;
    pub(crate) const SCAR: u64 = 6;
    pub(crate) const SENSOR: u64 = 7;
    pub(crate) const FEATURES: u64 = 8;
    pub(crate) const GREY: u64 = 9;
}
