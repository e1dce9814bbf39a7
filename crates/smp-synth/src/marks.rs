//! Stubble and scar dots as marks in one photo: every hair projected through the view
//! (tip ellipse foreshortened towards the head's edge, the shaft under the skin as a
//! faint streak behind it), FUE scars as pale dots.

use smp_design::PointMm;

use super::camera::Camera;
use super::color::{Palette, Rgb, mix};
use super::splat::{Mark, Splat};
use super::stubble::{Hair, Stubble};

/// Length of the shaft seen under the skin behind a stubble tip, mm.
const SHAFT_MM: f64 = 0.7;
/// Half-width of that shaft, mm.
const SHAFT_HALF_WIDTH_MM: f64 = 0.04;

fn f32s(c: Rgb) -> [f32; 3] {
    c.map(|v| v as f32)
}

/// The marks of `stubble` as seen by `cam`, in drawing order.
pub(crate) fn splats(cam: &Camera, stubble: &Stubble, palette: &Palette) -> Vec<Splat> {
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
                    colour: f32s(palette.tail),
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
            colour: if hair.vellus { vellus } else { f32s(palette.tip) },
            opacity: if hair.vellus { (0.35 * hair.tone) as f32 } else { hair.tone as f32 },
        });
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
pub(crate) fn flat_splats(hairs: &[Hair], origin: PointMm, ppm: f64, palette: &Palette) -> Vec<Splat> {
    let px = |p: PointMm| ((p.x - origin.x) * ppm, (p.y - origin.y) * ppm);
    let mut out = Vec::with_capacity(hairs.len() * 2);
    for hair in hairs {
        let tip = px(hair.p);
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
            colour: f32s(palette.tail),
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
            colour: f32s(palette.tip),
            opacity: hair.tone as f32,
        });
    }
    out
}
