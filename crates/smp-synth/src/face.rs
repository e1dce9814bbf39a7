//! The face for the front and side photos: its outline, relief (brow ridge, eye
//! sockets, nose, cheekbones, lips, chin) and colour marks (eyebrows, open eyes in
//! front, closed lids in profile, lips, nostrils), in image mm. Soft shapes, no
//! outlines drawn.

use super::color::{Palette, Rgb, mix, mul, scale};
use super::eye::Eye;
use super::geom::{P2, Poly, chaikin_closed, polyline_distance, smoothstep};
use super::noise::Noise;
use super::rng::{SplitMix, hash, purpose};
use super::surface::Bump;

/// How a mark changes the skin.
#[derive(Debug, Clone, Copy)]
enum Ink {
    /// Paint over with this colour.
    Paint(Rgb),
    /// Multiply the skin by this.
    Multiply(Rgb),
}

/// One colour mark.
#[derive(Debug, Clone)]
enum Stroke {
    /// Hair along a curve (eyebrows, lashes): width from start to end, strand direction.
    Hairs { line: Vec<P2>, width: P2, slant: P2 },
    /// A soft line (lid, crease, mouth).
    Line { line: Vec<P2>, width: f64 },
    /// A soft ellipse (lips, nostrils, cheeks), `soft` the share of the radius that fades.
    Blob { c: P2, r: P2, soft: f64 },
}

/// The colour marks of a face.
#[derive(Debug, Clone)]
pub(crate) struct Face {
    strokes: Vec<(Stroke, Ink, f64, (P2, P2))>,
    noise: Noise,
    /// Open eyes (front view), left of the image first.
    pub eyes: Vec<Eye>,
    lash: Rgb,
}

/// A quadratic Bézier from `a` to `b` pulled towards `c`, `n` + 1 points.
fn quad(a: P2, c: P2, b: P2, n: usize) -> Vec<P2> {
    (0..=n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let (p, q, r) = ((1.0 - t) * (1.0 - t), 2.0 * t * (1.0 - t), t * t);
            (p * a.0 + q * c.0 + r * b.0, p * a.1 + q * c.1 + r * b.1)
        })
        .collect()
}

fn bump(c: P2, s: P2, amp: f64) -> Bump {
    Bump { c, s, rot: 0.0, amp }
}

impl Face {
    fn new(seed: u64) -> Self {
        Face {
            strokes: Vec::new(),
            noise: Noise::new(seed, purpose::FEATURES),
            eyes: Vec::new(),
            lash: [0.0; 3],
        }
    }

    fn add(&mut self, s: Stroke, ink: Ink, strength: f64) {
        let pad = 6.0;
        let pts: Vec<P2> = match &s {
            Stroke::Hairs { line, .. } | Stroke::Line { line, .. } => line.clone(),
            Stroke::Blob { c, r, .. } => vec![(c.0 - r.0, c.1 - r.1), (c.0 + r.0, c.1 + r.1)],
        };
        let lo = pts
            .iter()
            .fold((f64::INFINITY, f64::INFINITY), |a, p| (a.0.min(p.0 - pad), a.1.min(p.1 - pad)));
        let hi = pts.iter().fold((f64::NEG_INFINITY, f64::NEG_INFINITY), |a, p| {
            (a.0.max(p.0 + pad), a.1.max(p.1 + pad))
        });
        self.strokes.push((s, ink, strength, (lo, hi)));
    }

    /// Share of the skin's sheen at `p`: none on the eyes, whose wet cornea reflects
    /// the light only as the sharp catchlight drawn in them.
    pub(crate) fn sheen(&self, p: P2) -> f64 {
        self.eyes.iter().filter(|e| e.near(p)).fold(1.0, |k, e| k * (1.0 - e.opening(p)))
    }

    /// Skin colour at image mm `p` with the face's marks.
    pub(crate) fn albedo(&self, p: P2, mut alb: Rgb) -> Rgb {
        for e in &self.eyes {
            if e.near(p) {
                alb = e.albedo(p, alb, self.lash);
            }
        }
        for (s, ink, strength, (lo, hi)) in &self.strokes {
            if p.0 < lo.0 || p.0 > hi.0 || p.1 < lo.1 || p.1 > hi.1 {
                continue;
            }
            let m = match s {
                Stroke::Hairs { line, width, slant } => {
                    let (d, t) = polyline_distance(line, p);
                    let hw = 0.5 * (width.0 + (width.1 - width.0) * t);
                    let core = 1.0 - smoothstep(0.45 * hw, hw, d);
                    if core <= 0.0 {
                        continue;
                    }
                    let along = p.0 * slant.0 + p.1 * slant.1;
                    let across = -p.0 * slant.1 + p.1 * slant.0;
                    let strands = (0.45 + 0.9 * self.noise.at(along / 2.2, across / 0.3)).clamp(0.0, 1.0);
                    core * (0.55 + 0.45 * strands)
                }
                Stroke::Line { line, width } => 1.0 - smoothstep(0.25 * width, *width, polyline_distance(line, p).0),
                Stroke::Blob { c, r, soft } => {
                    let q = ((p.0 - c.0) / r.0).hypot((p.1 - c.1) / r.1);
                    1.0 - smoothstep(1.0 - soft, 1.0, q)
                }
            } * strength;
            alb = match ink {
                Ink::Paint(c) => mix(alb, *c, m),
                Ink::Multiply(k) => mix(alb, mul(alb, *k), m),
            };
        }
        alb
    }

    /// A soft ellipse at full strength.
    fn blob(&mut self, c: P2, r: P2, soft: f64, ink: Ink) {
        self.add(Stroke::Blob { c, r, soft }, ink, 1.0);
    }

    /// The face seen from the front with the glabella at image `v = vg` mm below the
    /// head centre, pupils `ipd_mm` apart: outline (to be merged with the cranium),
    /// relief and marks (with the open eyes).
    pub(crate) fn front(vg: f64, ipd_mm: f64, skin_type: u8, palette: &Palette, seed: u64) -> (Poly, Vec<Bump>, Face) {
        let eye_x = ipd_mm / 2.0;
        let eye_v = vg + 17.0;
        let mut f = Face::new(seed);
        f.front_marks(vg, eye_x, palette);
        for s in [-1.0f64, 1.0] {
            // The same draws for both eyes: one iris colour, one pupil size.
            let mut r = SplitMix::new(hash(seed, purpose::FEATURES, 1, 0));
            f.eyes.push(Eye::new(
                (s * eye_x, eye_v),
                s,
                skin_type,
                &mut r,
                Noise::new(seed, purpose::FEATURES + 10),
            ));
        }
        (front_outline(vg), front_bumps(vg, eye_x, eye_v), f)
    }

    /// The marks of a front view with the glabella at `vg` and the pupils at `±eye_x`:
    /// eyebrows, lid shadows, nostrils, cheeks and lips.
    fn front_marks(&mut self, vg: f64, eye_x: f64, palette: &Palette) {
        let hair = palette.hair;
        let brow = scale(hair, 0.8);
        let lash = scale(hair, 0.55);
        let lip = Ink::Multiply([0.9, 0.66, 0.66]);
        for s in [-1.0f64, 1.0] {
            self.add(
                Stroke::Hairs {
                    line: quad((s * 11.0, vg + 1.0), (s * 30.0, vg - 10.0), (s * 55.0, vg - 1.5), 12),
                    width: (8.0, 2.5),
                    slant: (s * 0.86, -0.5),
                },
                Ink::Paint(brow),
                0.9,
            );
            self.blob((s * eye_x, vg + 25.5), (13.0, 4.0), 0.9, Ink::Multiply([0.93, 0.9, 0.94]));
            self.blob((s * 6.5, vg + 49.5), (4.4, 1.8), 0.8, Ink::Multiply([0.45, 0.36, 0.36]));
            self.blob((s * 40.0, vg + 46.0), (18.0, 14.0), 1.0, Ink::Multiply([1.03, 0.94, 0.94]));
        }
        self.blob((0.0, vg + 62.5), (23.0, 3.8), 0.45, lip);
        self.blob((0.0, vg + 68.8), (20.0, 4.4), 0.45, lip);
        self.add(
            Stroke::Line {
                line: quad((-23.0, vg + 66.8), (0.0, vg + 64.6), (23.0, vg + 66.8), 12),
                width: 1.1,
            },
            Ink::Multiply([0.45, 0.36, 0.36]),
            0.8,
        );
        self.lash = lash;
    }

    /// The face in profile for the left view (face towards the image's left edge);
    /// `mirror` −1 turns it for the right view.
    pub(crate) fn side(mirror: f64, palette: &Palette, seed: u64) -> (Poly, Vec<Bump>, Face) {
        let m = |(u, v): P2| (mirror * u, v);
        let outline = Poly::new(chaikin_closed(&PROFILE, 2).into_iter().map(m).collect());
        let bumps = SIDE_BUMPS
            .iter()
            .map(|&(c, s, rot, amp)| Bump {
                c: m(c),
                s,
                rot: rot * mirror,
                amp,
            })
            .collect();
        let mut f = Face::new(seed);
        f.side_marks(mirror, palette);
        (outline, bumps, f)
    }

    /// The marks of a profile turned by `mirror`: eyebrow, closed lid with its crease
    /// and lashes, lips, nostril and cheek.
    fn side_marks(&mut self, mirror: f64, palette: &Palette) {
        let m = |(u, v): P2| (mirror * u, v);
        let (skin, hair) = (palette.skin, palette.hair);
        let ml = |v: Vec<P2>| v.into_iter().map(m).collect::<Vec<_>>();
        self.add(
            Stroke::Hairs {
                line: ml(quad((-101.0, 19.0), (-90.0, 14.0), (-74.0, 19.5), 10)),
                width: (6.0, 2.5),
                slant: (mirror * 0.9, -0.44),
            },
            Ink::Paint(mix(scale(hair, 0.85), skin, 0.1)),
            0.9,
        );
        self.add(
            Stroke::Line {
                line: ml(quad((-95.0, 28.5), (-88.0, 26.5), (-80.0, 29.0), 8)),
                width: 1.3,
            },
            Ink::Multiply([0.78, 0.74, 0.74]),
            0.6,
        );
        self.add(
            Stroke::Line {
                line: ml(quad((-96.0, 34.0), (-89.0, 37.0), (-80.0, 34.0), 8)),
                width: 0.8,
            },
            Ink::Multiply([0.4, 0.36, 0.36]),
            0.8,
        );
        self.add(
            Stroke::Hairs {
                line: ml(quad((-97.0, 35.5), (-91.0, 37.5), (-84.0, 36.0), 8)),
                width: (2.2, 1.5),
                slant: (-mirror * 0.8, 0.6),
            },
            Ink::Paint(scale(hair, 0.55)),
            0.85,
        );
        self.blob(m((-103.0, 85.0)), (5.5, 9.0), 0.5, Ink::Multiply([0.93, 0.72, 0.72]));
        self.blob(m((-110.0, 66.5)), (4.0, 1.8), 0.6, Ink::Multiply([0.35, 0.28, 0.28]));
        self.blob(m((-72.0, 58.0)), (16.0, 12.0), 1.0, Ink::Multiply([1.03, 0.94, 0.94]));
    }
}

/// The outline of a front view's face with the glabella at `vg`, merged with the cranium.
fn front_outline(vg: f64) -> Poly {
    let chin = vg + 111.0;
    let half = |v: f64| (78.0 - 0.08 * v) * (1.0 - (v / chin).clamp(0.0, 1.0).powf(2.6)).powf(1.0 / 2.6);
    let mut right: Vec<P2> = (0..=60)
        .map(|i| 5.0 + (chin - 5.0) * i as f64 / 60.0)
        .map(|v| (half(v), v))
        .collect();
    let left: Vec<P2> = right.iter().rev().skip(1).map(|&(u, v)| (-u, v)).collect();
    right.extend(left);
    Poly::new(right)
}

/// The relief of a front view with the glabella at `vg` and the eyes at `(±eye_x, eye_v)`.
fn front_bumps(vg: f64, eye_x: f64, eye_v: f64) -> Vec<Bump> {
    let mut bumps = vec![
        bump((0.0, vg - 4.0), (8.0, 6.0), 1.5),    // glabella
        bump((0.0, vg + 24.0), (6.0, 17.0), 9.0),  // nose bridge
        bump((0.0, vg + 44.0), (8.0, 7.0), 8.0),   // nose tip
        bump((0.0, vg + 51.0), (10.0, 3.0), -2.5), // under the nose
        bump((0.0, vg + 60.0), (14.0, 4.0), 2.0),  // upper lip
        bump((0.0, vg + 69.0), (13.0, 3.5), 2.5),  // lower lip
        bump((0.0, vg + 76.0), (12.0, 3.0), -2.0), // under the lip
        bump((0.0, vg + 94.0), (17.0, 10.0), 5.0), // chin
    ];
    for s in [-1.0, 1.0] {
        bumps.extend([
            bump((s * 27.0, vg - 3.0), (16.0, 5.0), 3.5),    // brow ridge
            bump((s * eye_x, vg + 14.0), (13.0, 9.0), -8.0), // eye socket
            bump((s * eye_x, eye_v), (10.0, 6.0), 3.0),      // eyeball and lids
            bump((s * 12.0, vg + 44.0), (6.0, 5.0), 4.0),    // nostril wing
            bump((s * 45.0, vg + 30.0), (16.0, 12.0), 5.0),  // cheekbone
            bump((s * 42.0, vg + 58.0), (12.0, 10.0), -2.5), // cheek hollow
            bump((s * 62.0, vg - 15.0), (10.0, 16.0), -3.0), // temple
        ]);
    }
    bumps
}

/// The profile of the left view's face, image mm.
const PROFILE: [P2; 29] = [
    (-60.0, -25.0),
    (-90.0, -12.0),
    (-97.0, 0.0),
    (-100.0, 10.0),
    (-102.5, 18.0),
    (-99.0, 26.0),
    (-102.0, 33.0),
    (-110.0, 44.0),
    (-118.0, 55.0),
    (-124.0, 61.5),
    (-121.0, 67.5),
    (-109.0, 71.0),
    (-108.5, 77.0),
    (-104.5, 83.0),
    (-107.0, 89.0),
    (-103.5, 96.0),
    (-99.5, 101.0),
    (-104.0, 111.0),
    (-102.0, 121.0),
    (-95.0, 130.0),
    (-80.0, 135.0),
    (-60.0, 136.0),
    (-40.0, 134.0),
    (-20.0, 123.0),
    (-8.0, 104.0),
    (-2.0, 85.0),
    (0.0, 55.0),
    (-10.0, 20.0),
    (-40.0, -20.0),
];

/// The relief of the left view's profile: centre, size, rotation and height of each bump.
const SIDE_BUMPS: [(P2, P2, f64, f64); 10] = [
    ((-86.0, 32.0), (9.0, 7.0), 0.0, -4.0),    // eye socket
    ((-90.0, 33.0), (5.0, 4.0), 0.0, 2.5),     // closed lid
    ((-68.0, 50.0), (16.0, 9.0), 0.0, 5.0),    // cheekbone
    ((-93.0, 20.0), (10.0, 4.0), 0.0, 3.0),    // brow ridge
    ((-70.0, 8.0), (12.0, 14.0), 0.0, -3.0),   // temple
    ((-92.0, 74.0), (5.0, 10.0), 0.4, -2.0),   // nasolabial fold
    ((-45.0, 114.0), (30.0, 5.0), -0.35, 2.5), // jaw line
    ((-94.0, 111.0), (8.0, 8.0), 0.0, 2.0),    // chin
    ((-100.0, 85.0), (5.0, 8.0), 0.0, 2.0),    // lips
    ((-8.0, 102.0), (8.0, 8.0), 0.0, 2.0),     // jaw angle
];
