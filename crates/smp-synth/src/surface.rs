//! Smooth body surfaces as height fields over the image plane. A part's outline is a
//! union of ellipses and polygons; its height is the larger (smoothly) of the analytic
//! ellipsoids and an "inflated" outline: the outline's mask blurred at a few scales,
//! which rounds every edge without creases. Gaussian bumps add features (brow ridge,
//! nose, cheekbones). Outline distance and height are baked on a grid once per photo, so
//! a pixel costs a few lookups.

use rayon::prelude::*;

use super::geom::{P2, Poly};

/// One building block of an outline, in image mm.
#[derive(Debug, Clone)]
pub(crate) enum Prim {
    /// Half an ellipsoid: outline centre `c`, radii `r`, height `depth` at the centre.
    Ellipsoid { c: P2, r: P2, depth: f64 },
    /// A polygon outline; its height comes from inflation only.
    Outline(Poly),
}

/// A Gaussian bump (negative `amp`: a hollow), axes rotated by `rot` radians.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bump {
    /// Centre.
    pub c: P2,
    /// Standard deviations along the rotated axes.
    pub s: P2,
    /// Rotation, radians.
    pub rot: f64,
    /// Height, mm.
    pub amp: f64,
}

/// Height, its gradient and the signed distance to the outline at a point.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Surf {
    /// Signed distance to the outline, mm (negative inside).
    pub sdf: f64,
    /// Height towards the camera, mm.
    pub z: f64,
    /// Height gradient.
    pub g: P2,
}

impl Surf {
    /// Unit surface normal (x right, y down, z towards the camera).
    pub(crate) fn normal(&self) -> [f64; 3] {
        let (x, y) = (-self.g.0, -self.g.1);
        let n = (x * x + y * y + 1.0).sqrt();
        [x / n, y / n, 1.0 / n]
    }
}

/// A body part before baking.
#[derive(Debug, Clone)]
pub(crate) struct Surface {
    prims: Vec<Prim>,
    bumps: Vec<Bump>,
    /// Inflation: (blur standard deviation, height) pairs, mm.
    inflate: Vec<P2>,
}

fn prim_sdf(p: &Prim, (u, v): P2) -> f64 {
    match p {
        Prim::Ellipsoid { c, r, .. } => {
            let (dx, dy) = (u - c.0, v - c.1);
            let f = (dx / r.0).powi(2) + (dy / r.1).powi(2) - 1.0;
            let (fx, fy) = (2.0 * dx / (r.0 * r.0), 2.0 * dy / (r.1 * r.1));
            f / (fx * fx + fy * fy).sqrt().max(1e-9)
        }
        Prim::Outline(poly) => poly.sdf((u, v), 60.0).0,
    }
}

fn ellipsoid_z(p: &Prim, (u, v): P2) -> f64 {
    match p {
        Prim::Ellipsoid { c, r, depth } => {
            let q = ((u - c.0) / r.0).powi(2) + ((v - c.1) / r.1).powi(2);
            depth * (1.0 - q).max(0.0).sqrt()
        }
        Prim::Outline(_) => 0.0,
    }
}

impl Surface {
    /// A part outlined by `prims`, inflated at the given (blur, height) scales, mm.
    pub(crate) fn new(prims: Vec<Prim>, inflate: &[P2]) -> Self {
        Surface {
            prims,
            bumps: Vec::new(),
            inflate: inflate.to_vec(),
        }
    }

    /// The same with bumps.
    pub(crate) fn with_bumps(mut self, bumps: Vec<Bump>) -> Self {
        self.bumps = bumps;
        self
    }

    fn bounds(&self) -> (P2, P2) {
        let mut lo = (f64::INFINITY, f64::INFINITY);
        let mut hi = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for p in &self.prims {
            let (a, b) = match p {
                Prim::Ellipsoid { c, r, .. } => ((c.0 - r.0, c.1 - r.1), (c.0 + r.0, c.1 + r.1)),
                Prim::Outline(poly) => poly.bounds(),
            };
            lo = (lo.0.min(a.0), lo.1.min(a.1));
            hi = (hi.0.max(b.0), hi.1.max(b.1));
        }
        (lo, hi)
    }

    /// Bake on a grid of `step` mm, clipped to `clip` (image mm box) plus a margin.
    pub(crate) fn bake(&self, clip: (P2, P2), step: f64) -> Relief {
        let (lo, hi) = self.bounds();
        let pad = 12.0;
        let x0 = (lo.0 - pad).max(clip.0.0 - pad);
        let y0 = (lo.1 - pad).max(clip.0.1 - pad);
        let x1 = (hi.0 + pad).min(clip.1.0 + pad).max(x0 + step);
        let y1 = (hi.1 + pad).min(clip.1.1 + pad).max(y0 + step);
        let nx = ((x1 - x0) / step).ceil() as usize + 1;
        let ny = ((y1 - y0) / step).ceil() as usize + 1;
        let at = |i: usize, j: usize| (x0 + i as f64 * step, y0 + j as f64 * step);
        // Per node: outline distance, mask, ellipsoid height.
        let mut base = vec![[0.0f32; 3]; nx * ny];
        base.par_chunks_mut(nx).enumerate().for_each(|(j, row)| {
            for (i, node) in row.iter_mut().enumerate() {
                let p = at(i, j);
                let d = self.prims.iter().map(|q| prim_sdf(q, p)).fold(f64::INFINITY, f64::min);
                let z = self.prims.iter().map(|q| ellipsoid_z(q, p)).fold(0.0, f64::max);
                *node = [d as f32, (0.5 - d / step).clamp(0.0, 1.0) as f32, z as f32];
            }
        });
        let sdf: Vec<f32> = base.iter().map(|n| n[0]).collect();
        let mask: Vec<f32> = base.iter().map(|n| n[1]).collect();
        let mut z: Vec<f32> = base.iter().map(|n| n[2]).collect();
        // The finest scale rolls the edge over (vertical at the outline); coarser ones
        // add a smooth dome.
        let mut inflated = vec![0.0f32; nx * ny];
        for (k, &(sigma, height)) in self.inflate.iter().enumerate() {
            let g = blur(&mask, nx, ny, sigma / step);
            for (v, g) in inflated.iter_mut().zip(&g) {
                *v += height as f32 * if k == 0 { (2.0 * g - 1.0).max(0.0).sqrt() } else { *g };
            }
        }
        // Smooth union of the ellipsoids and the inflated outline: the root of the sum of
        // squares has no crease where they cross.
        for (a, b) in z.iter_mut().zip(&inflated) {
            *a = (*a * *a + *b * *b).sqrt();
        }
        let mut nodes = vec![[0.0f32; 4]; nx * ny];
        for j in 0..ny {
            for i in 0..nx {
                let k = j * nx + i;
                let (il, ir) = (i.saturating_sub(1), (i + 1).min(nx - 1));
                let (jl, jr) = (j.saturating_sub(1), (j + 1).min(ny - 1));
                let gx = (z[j * nx + ir] - z[j * nx + il]) / ((ir - il).max(1) as f32 * step as f32);
                let gy = (z[jr * nx + i] - z[jl * nx + i]) / ((jr - jl).max(1) as f32 * step as f32);
                // Steepest tilt ~72°: the limb darkens without a black rim.
                let g = (gx * gx + gy * gy).sqrt();
                let k3 = if g > 3.0 { 3.0 / g } else { 1.0 };
                nodes[k] = [sdf[k], z[k], gx * k3, gy * k3];
            }
        }
        Relief {
            x0,
            y0,
            step,
            nx,
            ny,
            nodes,
            bumps: self.bumps.clone(),
        }
    }
}

/// Gaussian blur (three box passes each way) of a grid with zero outside, `sigma` in
/// grid steps.
fn blur(src: &[f32], nx: usize, ny: usize, sigma: f64) -> Vec<f32> {
    let r = (((12.0 * sigma * sigma / 3.0 + 1.0).sqrt() - 1.0) / 2.0).round().max(1.0) as usize;
    let mut a = src.to_vec();
    let mut tmp = vec![0.0f32; nx.max(ny)];
    for _ in 0..3 {
        for j in 0..ny {
            box_line(&mut a[j * nx..(j + 1) * nx], r, &mut tmp);
        }
        let mut col = vec![0.0f32; ny];
        for i in 0..nx {
            for j in 0..ny {
                col[j] = a[j * nx + i];
            }
            box_line(&mut col, r, &mut tmp);
            for j in 0..ny {
                a[j * nx + i] = col[j];
            }
        }
    }
    a
}

/// Box filter of radius `r` along one line, in place; values beyond the ends repeat
/// the end values (parts cut by the picture's edge continue).
fn box_line(line: &mut [f32], r: usize, tmp: &mut [f32]) {
    let n = line.len();
    let at = |i: isize| line[i.clamp(0, n as isize - 1) as usize];
    let norm = 1.0 / (2 * r + 1) as f32;
    let r = r as isize;
    let mut acc: f32 = (-r..=r).map(at).sum();
    for (i, t) in tmp.iter_mut().enumerate().take(n) {
        *t = acc * norm;
        let i = i as isize;
        acc += at(i + r + 1) - at(i - r);
    }
    line.copy_from_slice(&tmp[..n]);
}

/// A baked body part.
#[derive(Debug, Clone)]
pub(crate) struct Relief {
    x0: f64,
    y0: f64,
    step: f64,
    nx: usize,
    ny: usize,
    /// Per node: outline distance, height, height gradient x and y.
    nodes: Vec<[f32; 4]>,
    bumps: Vec<Bump>,
}

impl Relief {
    fn lookup(&self, (u, v): P2) -> Option<[f64; 4]> {
        let fx = (u - self.x0) / self.step;
        let fy = (v - self.y0) / self.step;
        if !(fx >= 0.0 && fy >= 0.0 && fx < (self.nx - 1) as f64 && fy < (self.ny - 1) as f64) {
            return None;
        }
        let (i, j) = (fx as usize, fy as usize);
        let (tx, ty) = ((fx - i as f64) as f32, (fy - j as f64) as f32);
        let k = j * self.nx + i;
        let (a, b, c, d) = (
            self.nodes[k],
            self.nodes[k + 1],
            self.nodes[k + self.nx],
            self.nodes[k + self.nx + 1],
        );
        Some([0, 1, 2, 3].map(|m| {
            let top = a[m] + (b[m] - a[m]) * tx;
            let bottom = c[m] + (d[m] - c[m]) * tx;
            f64::from(top + (bottom - top) * ty)
        }))
    }

    /// Outline distance beyond the grid: that of the nearest edge node plus the way there.
    fn outside(&self, (u, v): P2) -> f64 {
        let x1 = self.x0 + (self.nx - 1) as f64 * self.step;
        let y1 = self.y0 + (self.ny - 1) as f64 * self.step;
        let (cu, cv) = (u.clamp(self.x0, x1 - 1e-9), v.clamp(self.y0, y1 - 1e-9));
        let edge = self.lookup((cu, cv)).map_or(0.0, |n| n[0]);
        edge + (u - cu).hypot(v - cv)
    }

    /// Signed distance to the outline, mm.
    pub(crate) fn sdf(&self, p: P2) -> f64 {
        self.lookup(p).map_or_else(|| self.outside(p), |n| n[0])
    }

    /// Height, gradient and outline distance at `p`.
    pub(crate) fn eval(&self, p: P2) -> Surf {
        let Some([sdf, z, gx, gy]) = self.lookup(p) else {
            return Surf {
                sdf: self.outside(p),
                ..Surf::default()
            };
        };
        let mut s = Surf { sdf, z, g: (gx, gy) };
        if s.sdf < 0.0 {
            for b in &self.bumps {
                let (dx, dy) = (p.0 - b.c.0, p.1 - b.c.1);
                let reach = 4.0 * b.s.0.max(b.s.1);
                if dx.abs() > reach || dy.abs() > reach {
                    continue;
                }
                let (c, sn) = (b.rot.cos(), b.rot.sin());
                let (x, y) = (c * dx + sn * dy, -sn * dx + c * dy);
                let e = b.amp * (-0.5 * ((x / b.s.0).powi(2) + (y / b.s.1).powi(2))).exp();
                let (ex, ey) = (-e * x / (b.s.0 * b.s.0), -e * y / (b.s.1 * b.s.1));
                s.z += e;
                s.g.0 += ex * c - ey * sn;
                s.g.1 += ex * sn + ey * c;
            }
        }
        s
    }
}
