//! An open eye seen from the front: the almond between the lids, white sclera shaded
//! under the upper lid, an iris with radial fibres and a darker limbal ring, a dark
//! pupil with the key light's catchlight, and the lash line. Sizes from anthropometry:
//! palpebral fissure ~28 mm wide and ~10 mm high, iris ~11.7 mm across, pupil 3–5 mm
//! in indoor light (Farkas 1994; Wyatt 1995).

use super::color::{Rgb, lab_to_linear, mix, mul};
use super::geom::smoothstep;
use super::noise::Noise;
use super::rng::SplitMix;

/// Half the palpebral fissure's width, mm.
const HALF_WIDTH_MM: f64 = 14.0;
/// Upper lid margin above the pupil centre, mm (it covers the iris's top ~1 mm).
const UPPER_MM: f64 = 4.9;
/// Lower lid margin below the pupil centre, mm (at the iris's lower edge).
const LOWER_MM: f64 = 5.6;
/// Iris radius, mm.
const IRIS_R_MM: f64 = 5.85;
/// Catchlight: offset from the pupil centre towards the key light (upper left) and
/// radius, mm.
const CATCHLIGHT: ((f64, f64), f64) = ((-1.1, -1.2), 0.45);

/// Iris colours, CIELAB: dark brown, brown, hazel, green, blue, grey-blue.
const IRIS_LAB: [[f64; 3]; 6] = [
    [24.0, 7.0, 12.0],
    [32.0, 11.0, 20.0],
    [42.0, 8.0, 26.0],
    [48.0, -10.0, 20.0],
    [52.0, -4.0, -20.0],
    [55.0, -2.0, -8.0],
];

/// One open eye, image mm.
#[derive(Debug, Clone)]
pub(crate) struct Eye {
    /// Pupil centre.
    pub pupil: (f64, f64),
    /// Pupil radius, mm.
    pub pupil_r: f64,
    iris: Rgb,
    /// −1 for the eye on the image's left, +1 on its right (the inner corner faces 0).
    side: f64,
    noise: Noise,
}

impl Eye {
    /// An eye centred on `pupil`; the iris colour and pupil size drawn from `r`, the
    /// iris darker for darker skin types (1..=6).
    pub(crate) fn new(pupil: (f64, f64), side: f64, skin_type: u8, r: &mut SplitMix, noise: Noise) -> Self {
        // Light skin: any colour; darker skin: mostly brown.
        let n = match skin_type {
            1..=3 => IRIS_LAB.len(),
            4 => 3,
            _ => 2,
        };
        let k = (r.f64() * n as f64) as usize;
        Eye {
            pupil,
            pupil_r: r.range(1.5, 2.4),
            iris: lab_to_linear(IRIS_LAB[k.min(n - 1)]),
            side,
            noise,
        }
    }

    /// Whether `p` may be touched by the eye (a bounding box with margin).
    pub(crate) fn near(&self, p: (f64, f64)) -> bool {
        (p.0 - self.pupil.0).abs() < HALF_WIDTH_MM + 3.0 && (p.1 - self.pupil.1).abs() < 10.0
    }

    /// The lid margins (upper, lower) at image `u`, and the opening's fraction across.
    fn lids(&self, u: f64) -> (f64, f64, f64) {
        let t = ((u - self.pupil.0) / HALF_WIDTH_MM).clamp(-1.0, 1.0);
        // The inner corner (towards the nose) sits a little lower than the outer one.
        let tilt = -0.8 * t * self.side;
        let open = (1.0 - t * t).max(0.0);
        let up = self.pupil.1 + tilt - UPPER_MM * open.powf(0.7);
        let lo = self.pupil.1 + tilt + LOWER_MM * open.powf(0.9) - 1.2 * t * t;
        (up, lo, t)
    }

    /// How much of `p` lies between the lids, 0..=1.
    pub(crate) fn opening(&self, p: (f64, f64)) -> f64 {
        let (up, lo, t) = self.lids(p.0);
        if t.abs() >= 1.0 {
            return 0.0;
        }
        smoothstep(-0.12, 0.12, (p.1 - up).min(lo - p.1))
    }

    /// Skin albedo `alb` at image mm `p` with the eye painted in.
    pub(crate) fn albedo(&self, p: (f64, f64), alb: Rgb, lash: Rgb) -> Rgb {
        let (up, lo, t) = self.lids(p.0);
        // Lash line and lid shadow along the upper margin; a faint lower margin.
        let d_up = (p.1 - up).abs();
        let mut out = alb;
        let open = self.opening(p);
        if open > 0.0 {
            out = mix(out, self.globe(p, up), open);
        }
        let edge = 1.0 - smoothstep(0.0, 0.5 + 0.6 * (1.0 - t * t), d_up);
        if edge > 0.0 && t.abs() < 1.05 && p.1 <= up + 0.4 {
            let strands = (0.6 + 0.4 * self.noise.at(p.0 / 0.35, 0.0)).clamp(0.0, 1.0);
            out = mix(out, lash, edge * (0.5 + 0.45 * strands) * (1.0 - 0.6 * t.abs()));
        }
        let d_lo = (p.1 - lo).abs();
        if t.abs() < 1.0 && d_lo < 0.6 {
            out = mix(out, mul(out, [0.72, 0.66, 0.66]), (1.0 - d_lo / 0.6) * 0.5);
        }
        // The lid crease above.
        let crease = (p.1 - (up - 3.2 - 1.5 * (1.0 - t * t))).abs();
        if crease < 0.8 && t.abs() < 0.9 {
            out = mix(out, mul(out, [0.8, 0.76, 0.76]), (1.0 - crease / 0.8) * 0.45);
        }
        out
    }

    /// The eyeball between the lids at `p`; `up` is the upper lid margin there.
    fn globe(&self, p: (f64, f64), up: f64) -> Rgb {
        let (dx, dy) = (p.0 - self.pupil.0, p.1 - self.pupil.1);
        let r = dx.hypot(dy);
        // Sclera: off-white, pinker towards the corners, shadowed by the upper lid.
        let corner = smoothstep(0.55, 1.0, (dx / HALF_WIDTH_MM).abs());
        let sclera = mix(lab_to_linear([84.0, 1.5, 5.0]), lab_to_linear([70.0, 12.0, 12.0]), corner);
        let shadow = 1.0 - 0.45 * (1.0 - smoothstep(0.0, 2.2, p.1 - up));
        let mut c = sclera.map(|v| v * shadow);
        if r < IRIS_R_MM + 0.2 {
            let a = dy.atan2(dx);
            let fibres = 1.0 + 0.22 * self.noise.at(a * 9.0, r * 0.8);
            let limbal = 1.0 - 0.45 * smoothstep(0.72, 1.0, r / IRIS_R_MM);
            let collarette = 1.0 + 0.15 * (1.0 - smoothstep(0.0, 1.2, (r - 2.0 * self.pupil_r).abs()));
            let iris = self.iris.map(|v| v * fibres * limbal * collarette * shadow);
            c = mix(c, iris, 1.0 - smoothstep(IRIS_R_MM - 0.2, IRIS_R_MM + 0.2, r));
            let pupil = lab_to_linear([4.0, 0.0, 0.0]);
            c = mix(c, pupil, 1.0 - smoothstep(self.pupil_r - 0.12, self.pupil_r + 0.12, r));
            let ((ox, oy), cr) = CATCHLIGHT;
            let glint = (dx - ox).hypot(dy - oy);
            c = mix(c, [0.92, 0.92, 0.95], 1.0 - smoothstep(cr * 0.6, cr, glint));
        }
        c
    }
}
