//! Smooth gradient noise and fractal sums: skin texture, natural irregularity of hair
//! edges and scars. Directions come from a fixed table, so values are bit-identical on
//! every platform.

use super::rng::mix;

const D: f64 = std::f64::consts::FRAC_1_SQRT_2;
const DIRS: [(f64, f64); 8] = [(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0), (D, D), (-D, D), (D, -D), (-D, -D)];

/// A seeded 2-D gradient noise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Noise {
    seed: u64,
}

fn fade(t: f64) -> f64 {
    t * t * t * (t * (t * 6.0 - 15.0) + 10.0)
}

impl Noise {
    /// The noise for `purpose` under `seed`.
    pub(crate) fn new(seed: u64, purpose: u64) -> Self {
        Noise {
            seed: mix(seed ^ mix(purpose.wrapping_add(0x5EED))),
        }
    }

    /// Gradient noise at `(x, y)`, roughly in `[-1, 1]`, features about one unit across.
    pub(crate) fn at(&self, x: f64, y: f64) -> f64 {
        let (xf, yf) = (x.floor(), y.floor());
        let (i, j) = (xf as i64, yf as i64);
        let (fx, fy) = (x - xf, y - yf);
        let g = |di: i64, dj: i64| {
            let h = smp_dots::rng::lattice_hash(self.seed, i + di, j + dj);
            let (gx, gy) = DIRS[(h >> 61) as usize];
            gx * (fx - di as f64) + gy * (fy - dj as f64)
        };
        let (u, v) = (fade(fx), fade(fy));
        let a = g(0, 0) + (g(1, 0) - g(0, 0)) * u;
        let b = g(0, 1) + (g(1, 1) - g(0, 1)) * u;
        (a + (b - a) * v) * 1.4
    }

    /// Fractal sum of `octaves` octaves with features of about `scale` (units of x, y),
    /// roughly in `[-1, 1]`.
    pub(crate) fn fbm(&self, x: f64, y: f64, scale: f64, octaves: u32) -> f64 {
        let (mut sum, mut amp, mut norm, mut f) = (0.0, 1.0, 0.0, 1.0 / scale);
        for o in 0..octaves {
            let shift = o as f64 * 17.31;
            sum += amp * self.at(x * f + shift, y * f - shift * 0.73);
            norm += amp;
            amp *= 0.5;
            f *= 2.03;
        }
        sum / norm
    }
}
