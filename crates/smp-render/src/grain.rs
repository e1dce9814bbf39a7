//! The photo's grain, added where pigment darkens the photo: darkening scales the grain
//! already in the picture down with the light, so the same grain is topped up to keep
//! the treated skin as grainy as the rest of the photo.

/// sRGB levels are `lin^(1/2.4)`-like: darkening the light by `m` scales the grain in
/// levels by about `m^(1/2.4)`, so the variance to add is `σ²·(1 − m^(2/2.4))`
/// (`2/2.4 = 5/6`).
#[cfg(test)]
const GRAIN_EXPONENT: f32 = 2.0 / 2.4;

/// Standard deviation to add, sRGB levels, where a pixel's light is scaled by `m`, for
/// a photo grain of `sigma` levels.
pub fn top_up(sigma: f32, m: f32) -> f32 {
    if m >= 1.0 || sigma <= 0.0 {
        0.0
    } else {
        // Read from a table: it runs for every channel of every treated pixel, where
        // cbrt and two square roots took a twentieth of a 12 MP preview.
        let t = top_up_table();
        let u = m.max(0.0) * TOP_UP_STEPS as f32;
        let i = (u as usize).min(TOP_UP_STEPS - 1);
        let f = u - i as f32;
        sigma * (t[i] + (t[i + 1] - t[i]) * f)
    }
}

/// Steps of the top-up table over m in 0..1.
const TOP_UP_STEPS: usize = 4096;

/// `√(1 − m^(5/6))` at m = i / [`TOP_UP_STEPS`].
fn top_up_table() -> &'static [f32; TOP_UP_STEPS + 1] {
    static T: std::sync::OnceLock<[f32; TOP_UP_STEPS + 1]> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        std::array::from_fn(|i| {
            let m = i as f64 / TOP_UP_STEPS as f64;
            (1.0 - m.sqrt() * m.cbrt()).max(0.0).sqrt() as f32
        })
    })
}

/// Three standard normal-like values (sums of five uniform bytes, Irwin–Hall) fixed by
/// the seed and the pixel, so a preview is the same every time.
pub fn normal3(seed: u64, x: usize, y: usize) -> [f32; 3] {
    use smp_dots::rng::mix64 as mix;
    let h = mix(seed ^ mix((x as u64) << 32 | y as u64));
    let (a, b) = (h.to_le_bytes(), mix(h).to_le_bytes());
    let bytes: [u8; 16] = std::array::from_fn(|i| if i < 8 { a[i] } else { b[i - 8] });
    // Five uniforms on 0..=255 have mean 637.5 and variance 5·(256² − 1)/12.
    let sd = (5.0f32 * (65536.0 - 1.0) / 12.0).sqrt();
    std::array::from_fn(|k| (bytes[5 * k..5 * k + 5].iter().map(|&b| f32::from(b)).sum::<f32>() - 637.5) / sd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grain_is_unit_normal_and_tops_up_what_darkening_takes() {
        let n = 20_000;
        let (mut s, mut s2) = (0.0f64, 0.0f64);
        for i in 0..n {
            let v = normal3(3, i % 200, i / 200);
            for x in v {
                s += f64::from(x);
                s2 += f64::from(x * x);
            }
        }
        let m = s / (3 * n) as f64;
        let var = s2 / (3 * n) as f64 - m * m;
        assert!(m.abs() < 0.02 && (var - 1.0).abs() < 0.03, "mean {m} var {var}");
        assert_eq!(top_up(4.0, 1.0), 0.0);
        assert!((top_up(4.0, 0.0) - 4.0).abs() < 1e-6);
        // Darkened grain plus the top-up gives the photo's grain back.
        for m in [0.3f32, 0.01, 0.5123, 0.9, 0.99, 0.9999] {
            let kept = 4.0 * m.powf(GRAIN_EXPONENT / 2.0);
            let back = (kept * kept + top_up(4.0, m).powi(2)).sqrt();
            assert!((back - 4.0).abs() < 0.02, "m {m}: {back}");
        }
    }
}
