//! The studio: one soft key light from the upper left (a little in front), a cool sky
//! fill, skin's warm sub-surface glow in the half-shadow, a glossy highlight, and the
//! dim backdrop with its vignette. Normalised so a patch facing the camera shows its
//! albedo exactly.

use std::sync::OnceLock;

use super::color::{Rgb, srgb_to_linear};
use super::geom::P2;

/// Direction towards the key light (x right, y down, z towards the camera), unit.
const KEY: [f64; 3] = [-0.450_428, -0.600_571, 0.660_628];
/// The key light's direction in the image plane (towards the light), unit.
pub(crate) const KEY_2D: P2 = (-0.6, -0.8);
/// Half-way vector between the key light and the camera.
const HALF: [f64; 3] = [-0.247_156, -0.329_545, 0.911_218];
const WRAP: f64 = 0.35;

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn raw_diffuse(n: [f64; 3]) -> Rgb {
    let w = ((dot(n, KEY) + WRAP) / (1.0 + WRAP)).max(0.0);
    // Light scattered in the dermis comes out reddish where the light grazes.
    let glow = w * (1.0 - w);
    let key = [w + 0.22 * glow, w, w - 0.08 * glow].map(|c| 0.85 * c);
    let sky = 0.30 * (0.75 - 0.25 * n[1]);
    [key[0] + sky * 0.96, key[1] + sky * 0.99, key[2] + sky * 1.06]
}

fn norm() -> Rgb {
    static N: OnceLock<Rgb> = OnceLock::new();
    *N.get_or_init(|| raw_diffuse([0.0, 0.0, 1.0]).map(|c| 1.0 / c))
}

/// Diffuse light reaching a surface with normal `n`, per channel (1 facing the camera).
pub(crate) fn diffuse(n: [f64; 3]) -> Rgb {
    let (d, k) = (raw_diffuse(n), norm());
    [d[0] * k[0], d[1] * k[1], d[2] * k[2]]
}

/// Specular highlight of strength `k` on a surface with normal `n`: a sharp lobe and a
/// broad sheen.
pub(crate) fn specular(n: [f64; 3], k: f64) -> f64 {
    let h = dot(n, HALF).max(0.0);
    let h2 = h * h;
    let h4 = h2 * h2;
    let h8 = h4 * h4;
    let h32 = h8 * h8 * h8 * h8;
    k * (h32 + 0.25 * h4 * h2)
}

/// The backdrop at image fractions `(fx, fy)`: a dim grey gradient, brighter behind the
/// subject, falling off to the corners.
pub(crate) fn backdrop(fx: f64, fy: f64) -> Rgb {
    let lin = |c: f64| srgb_to_linear(c / 255.0);
    let (top, bottom) = ([118.0, 118.0, 122.0].map(lin), [58.0, 58.0, 63.0].map(lin));
    let t = fy.clamp(0.0, 1.0).powf(0.8);
    let glow = (-2.0 * (((fx - 0.42) / 0.55).powi(2) + ((fy - 0.35) / 0.6).powi(2))).exp();
    let vignette = 1.0 - 0.6 * ((fx - 0.5).powi(2) + (fy - 0.5).powi(2));
    let k = (0.75 + 0.4 * glow) * vignette;
    [0, 1, 2].map(|c| (top[c] + (bottom[c] - top[c]) * t) * k)
}
