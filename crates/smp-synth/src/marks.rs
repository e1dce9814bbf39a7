//! Stubble and scar dots as marks in one photo: every hair projected through the view
//! (tip ellipse foreshortened towards the head's edge, the shaft under the skin as a
//! faint streak behind it, the stubble above the skin as a short stroke along the
//! growth direction; white hairs in their share), FUE scars as pale dots.

use smp_design::PointMm;

use super::camera::Camera;
use super::color::{Palette, Rgb, mix};
use super::rng::{hash, purpose, unit};
use super::splat::{Mark, Splat};
use super::stubble::{Hair, Stubble};

/// Length of the shaft seen under the skin behind a stubble tip, mm.
const SHAFT_MM: f64 = 0.7;
/// Half-width of that shaft, mm.
const SHAFT_HALF_WIDTH_MM: f64 = 0.04;
/// Cosine of the angle at which scalp hair leaves the skin (~45°): the share of the
/// stubble's length seen from straight above.
const EXIT_COS: f64 = std::f64::consts::FRAC_1_SQRT_2;

/// How the stubble looks beyond its colour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Look {
    /// Share of white hairs, 0..=1.
    pub grey_fraction: f64,
    /// Stubble length above the skin, mm.
    pub stubble_length_mm: f64,
    /// Seed (which hairs are white).
    pub seed: u64,
}

impl Look {
    /// Whether the hair leaving the skin at `p` is white.
    fn white(&self, p: PointMm) -> bool {
        self.grey_fraction > 0.0 && unit(hash(self.seed, purpose::GREY, p.x.to_bits() as i64, p.y.to_bits() as i64)) < self.grey_fraction
    }

    /// Tip, shaft-under-skin and hair colours of the hair at `p`.
    fn colours(&self, p: PointMm, palette: &Palette) -> ([f32; 3], [f32; 3], [f32; 3]) {
        if self.white(p) {
            (f32s(palette.white_tip), f32s(palette.white_tail), f32s(palette.white))
        } else {
            (f32s(palette.tip), f32s(palette.tail), f32s(palette.hair))
        }
    }

    /// Where the stubble above the skin ends, design mm.
    fn above(&self, hair: &Hair) -> Option<PointMm> {
        if self.stubble_length_mm <= 0.0 {
            return None;
        }
        let n = hair.dir.0.hypot(hair.dir.1).max(1e-9);
        let l = self.stubble_length_mm * EXIT_COS;
        Some(PointMm::new(hair.p.x + hair.dir.0 / n * l, hair.p.y + hair.dir.1 / n * l))
    }
}

fn f32s(c: Rgb) -> [f32; 3] {
    c.map(|v| v as f32)
}

/// The marks of `stubble` as seen by `cam`, in drawing order.
pub(crate) fn splats(cam: &Camera, stubble: &Stubble, palette: &Palette, look: &Look) -> Vec<Splat> {
    let (w, h) = (f64::from(cam.width), f64::from(cam.height));
    let ppm = cam.ppm;
    let visible = |x: f64, y: f64| x > -4.0 && y > -4.0 && x < w + 4.0 && y < h + 4.0;
    let mut out = Vec::with_capacity(stubble.hairs.len() * 2);
    let vellus = f32s(mix(palette.skin, palette.hair, 0.45));
    for hair in &stubble.hairs {
        let Some(tip) = cam.project(hair.p) else { continue };
        if !visible(tip.x, tip.y) {
            continue;
        }
        let f = tip.foreshorten.max(0.05);
        let r = 0.5 * hair.d * ppm;
        let (tip_c, tail_c, hair_c) = look.colours(hair.p, palette);
        if !hair.vellus {
            let n = hair.dir.0.hypot(hair.dir.1).max(1e-9);
            let end = PointMm::new(hair.p.x - hair.dir.0 / n * SHAFT_MM, hair.p.y - hair.dir.1 / n * SHAFT_MM);
            if let Some(e) = cam.project(end) {
                out.push(Splat {
                    mark: Mark::Streak {
                        p0: (tip.x, tip.y),
                        p1: (e.x, e.y),
                        hw: SHAFT_HALF_WIDTH_MM * ppm,
                    },
                    colour: tail_c,
                    opacity: (0.5 * hair.tone) as f32,
                });
            }
        }
        out.push(Splat {
            mark: Mark::Dot {
                c: (tip.x, tip.y),
                radial: tip.radial,
                a: r * f,
                b: r,
            },
            colour: if hair.vellus { vellus } else { tip_c },
            opacity: if hair.vellus { (0.35 * hair.tone) as f32 } else { hair.tone as f32 },
        });
        if !hair.vellus
            && let Some(e) = look.above(hair).and_then(|q| cam.project(q))
        {
            out.push(Splat {
                mark: Mark::Streak {
                    p0: (tip.x, tip.y),
                    p1: (e.x, e.y),
                    hw: r,
                },
                colour: hair_c,
                opacity: hair.tone as f32,
            });
        }
    }
    for s in &stubble.scar_dots {
        let Some(c) = cam.project(s.p) else { continue };
        if !visible(c.x, c.y) {
            continue;
        }
        let f = c.foreshorten.max(0.05);
        let r = 0.5 * s.d * ppm;
        for (k, opacity) in [(1.35, 0.25f32), (1.0, 0.8)] {
            out.push(Splat {
                mark: Mark::Dot {
                    c: (c.x, c.y),
                    radial: c.radial,
                    a: k * r * f,
                    b: k * r,
                },
                colour: f32s(palette.scar),
                opacity,
            });
        }
    }
    out
}

/// The marks of stubble `hairs` in a flat close-up facing the camera: design mm
/// `origin` at pixel (0, 0), `ppm` pixels per mm, x and y along the image axes. Same
/// tips and shafts as [`splats`], without foreshortening.
pub(crate) fn flat_splats(hairs: &[Hair], origin: PointMm, ppm: f64, palette: &Palette, look: &Look) -> Vec<Splat> {
    let px = |p: PointMm| ((p.x - origin.x) * ppm, (p.y - origin.y) * ppm);
    let mut out = Vec::with_capacity(hairs.len() * 2);
    for hair in hairs {
        let tip = px(hair.p);
        let (tip_c, tail_c, hair_c) = look.colours(hair.p, palette);
        let n = hair.dir.0.hypot(hair.dir.1).max(1e-9);
        let end = px(PointMm::new(
            hair.p.x - hair.dir.0 / n * SHAFT_MM,
            hair.p.y - hair.dir.1 / n * SHAFT_MM,
        ));
        out.push(Splat {
            mark: Mark::Streak {
                p0: tip,
                p1: end,
                hw: SHAFT_HALF_WIDTH_MM * ppm,
            },
            colour: tail_c,
            opacity: (0.5 * hair.tone) as f32,
        });
        let r = 0.5 * hair.d * ppm;
        out.push(Splat {
            mark: Mark::Dot {
                c: tip,
                radial: (1.0, 0.0),
                a: r,
                b: r,
            },
            colour: tip_c,
            opacity: hair.tone as f32,
        });
        if let Some(e) = look.above(hair) {
            out.push(Splat {
                mark: Mark::Streak { p0: tip, p1: px(e), hw: r },
                colour: hair_c,
                opacity: hair.tone as f32,
            });
        }
    }
    out
}
