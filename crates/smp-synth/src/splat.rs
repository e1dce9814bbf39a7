//! Anti-aliased marks smaller than a few pixels: elliptical dots (stubble tips, FUE
//! scars, foreshortened towards the head's edge) and thin streaks (hair shafts under the
//! skin), blended into a band of albedo with their true area.

use super::geom::P2;

/// The shape of a mark, in pixels (pixel `i` covers `[i, i + 1)`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mark {
    /// An ellipse with semi-axis `a` along the unit vector `radial` and `b` across it.
    Dot { c: P2, radial: P2, a: f64, b: f64 },
    /// A capsule from `p0` to `p1`, half-width `hw`.
    Streak { p0: P2, p1: P2, hw: f64 },
}

/// A mark with its colour (linear light) and opacity.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Splat {
    /// Shape.
    pub mark: Mark,
    /// Colour.
    pub colour: [f32; 3],
    /// Opacity at full coverage.
    pub opacity: f32,
}

impl Splat {
    /// Pixel rows the mark may touch, `(first, last)` (may lie outside the image).
    pub(crate) fn rows(&self) -> (i64, i64) {
        let (lo, hi) = match self.mark {
            Mark::Dot { c, b, .. } => (c.1 - b - 1.0, c.1 + b + 1.0),
            Mark::Streak { p0, p1, hw } => (p0.1.min(p1.1) - hw - 1.0, p0.1.max(p1.1) + hw + 1.0),
        };
        (lo.floor() as i64, hi.ceil() as i64)
    }
}

/// A band of albedo rows `y0..y0 + rows` of an image `width` pixels wide.
pub(crate) struct Band<'a> {
    /// First row.
    pub y0: usize,
    /// Width, pixels.
    pub width: usize,
    /// Albedo, row-major.
    pub albedo: &'a mut [[f32; 3]],
}

impl Band<'_> {
    fn put(&mut self, x: i64, y: i64, cover: f64, s: &Splat) {
        let rows = self.albedo.len() / self.width;
        if x < 0 || y < self.y0 as i64 || x >= self.width as i64 || y >= (self.y0 + rows) as i64 || cover <= 0.0 {
            return;
        }
        let k = (cover as f32 * s.opacity).min(1.0);
        let a = &mut self.albedo[(y as usize - self.y0) * self.width + x as usize];
        for c in 0..3 {
            a[c] += (s.colour[c] - a[c]) * k;
        }
    }

    /// Blend `s` into the band.
    pub(crate) fn draw(&mut self, s: &Splat) {
        match s.mark {
            Mark::Dot { c, a, b, .. } if b < 0.75 => {
                // Smaller than a pixel: spread its area bilinearly over four pixels.
                let area = std::f64::consts::PI * a * b;
                let (fx, fy) = (c.0 - 0.5, c.1 - 0.5);
                let (x0, y0) = (fx.floor(), fy.floor());
                let (tx, ty) = (fx - x0, fy - y0);
                let (x0, y0) = (x0 as i64, y0 as i64);
                self.put(x0, y0, area * (1.0 - tx) * (1.0 - ty), s);
                self.put(x0 + 1, y0, area * tx * (1.0 - ty), s);
                self.put(x0, y0 + 1, area * (1.0 - tx) * ty, s);
                self.put(x0 + 1, y0 + 1, area * tx * ty, s);
            }
            Mark::Dot { c, radial, a, b } => {
                // Coverage by 4 × 4 supersampling of each pixel.
                let (x0, x1) = ((c.0 - b).floor() as i64, (c.0 + b).ceil() as i64);
                let (y0, y1) = ((c.1 - b).floor() as i64, (c.1 + b).ceil() as i64);
                let (ia2, ib2) = (1.0 / (a * a), 1.0 / (b * b));
                for y in y0..y1 {
                    for x in x0..x1 {
                        let mut hits = 0u32;
                        for sy in 0..4 {
                            for sx in 0..4 {
                                let dx = x as f64 + (sx as f64 + 0.5) * 0.25 - c.0;
                                let dy = y as f64 + (sy as f64 + 0.5) * 0.25 - c.1;
                                let r = dx * radial.0 + dy * radial.1;
                                let t = -dx * radial.1 + dy * radial.0;
                                if r * r * ia2 + t * t * ib2 <= 1.0 {
                                    hits += 1;
                                }
                            }
                        }
                        self.put(x, y, f64::from(hits) / 16.0, s);
                    }
                }
            }
            Mark::Streak { p0, p1, hw } => {
                let (x0, x1) = (
                    (p0.0.min(p1.0) - hw - 1.0).floor() as i64,
                    (p0.0.max(p1.0) + hw + 1.0).ceil() as i64,
                );
                let (y0, y1) = (
                    (p0.1.min(p1.1) - hw - 1.0).floor() as i64,
                    (p0.1.max(p1.1) + hw + 1.0).ceil() as i64,
                );
                let (ex, ey) = (p1.0 - p0.0, p1.1 - p0.1);
                let len2 = (ex * ex + ey * ey).max(1e-12);
                for y in y0..y1 {
                    for x in x0..x1 {
                        let (wx, wy) = (x as f64 + 0.5 - p0.0, y as f64 + 0.5 - p0.1);
                        let t = ((wx * ex + wy * ey) / len2).clamp(0.0, 1.0);
                        let d = ((wx - ex * t).powi(2) + (wy - ey * t).powi(2)).sqrt();
                        // Thinner than a pixel: a tent across the line keeps its area.
                        let cover = if hw < 0.5 {
                            2.0 * hw * (1.0 - d).max(0.0)
                        } else {
                            (hw + 0.5 - d).clamp(0.0, 1.0)
                        };
                        self.put(x, y, cover, s);
                    }
                }
            }
        }
    }
}
