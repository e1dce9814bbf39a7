//! Smooth value noise from integer hashing and polynomials only (no transcendental
//! functions), so hairline irregularity is identical on every platform.

/// Noise over a line or the plane, in `[-1, 1]`, smooth at the scale of one lattice step.
#[derive(Debug, Clone, Copy)]
pub struct ValueNoise {
    seed: u64,
}

fn lattice(seed: u64, x: i64, y: i64) -> f64 {
    (crate::rng::lattice_hash(seed, x, y) >> 11) as f64 * (2.0 / (1u64 << 53) as f64) - 1.0
}

fn fade(t: f64) -> f64 {
    t * t * t * (t * (t * 6.0 - 15.0) + 10.0)
}

impl ValueNoise {
    /// Noise for one purpose of one design.
    pub fn new(seed: u64, purpose: u64) -> Self {
        ValueNoise {
            seed: crate::rng::lattice_hash(seed, purpose as i64, 0x5eed),
        }
    }

    /// One-dimensional noise at `t` lattice steps.
    pub fn at1(&self, t: f64) -> f64 {
        self.at2(t, 0.5)
    }

    /// Two-dimensional noise at `(x, y)` lattice steps.
    pub fn at2(&self, x: f64, y: f64) -> f64 {
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (fade(x - x0), fade(y - y0));
        let (ix, iy) = (x0 as i64, y0 as i64);
        let v00 = lattice(self.seed, ix, iy);
        let v10 = lattice(self.seed, ix + 1, iy);
        let v01 = lattice(self.seed, ix, iy + 1);
        let v11 = lattice(self.seed, ix + 1, iy + 1);
        let a = v00 + (v10 - v00) * fx;
        let b = v01 + (v11 - v01) * fx;
        a + (b - a) * fy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_bounded_continuous_and_seeded() {
        let n = ValueNoise::new(1, 0);
        let m = ValueNoise::new(2, 0);
        let mut differs = false;
        for i in 0..1000 {
            let t = i as f64 * 0.013;
            let v = n.at2(t, t * 0.7);
            assert!((-1.0..=1.0).contains(&v));
            assert!((n.at2(t + 1e-6, t * 0.7) - v).abs() < 1e-4, "continuous");
            differs |= v != m.at2(t, t * 0.7);
        }
        assert!(differs);
    }
}
