//! Plane geometry for drawing: smooth steps, polygons with signed distance and its
//! gradient, corner-cutting for soft outlines, distance to open curves, and 2-D affine
//! frames.

/// A point or vector in the plane.
pub(crate) type P2 = (f64, f64);

/// Hermite step from 0 at `e0` to 1 at `e1` (exactly 0 and 1 outside).
pub(crate) fn smoothstep(e0: f64, e1: f64, x: f64) -> f64 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// A closed polygon with its bounding box.
#[derive(Debug, Clone)]
pub(crate) struct Poly {
    /// Per edge: start point, direction (to the next point), 1 / squared length.
    edges: Vec<[f64; 5]>,
    lo: P2,
    hi: P2,
}

impl Poly {
    /// The polygon through `pts` (closed implicitly).
    pub(crate) fn new(pts: Vec<P2>) -> Self {
        let lo = pts.iter().fold((f64::INFINITY, f64::INFINITY), |a, p| (a.0.min(p.0), a.1.min(p.1)));
        let hi = pts
            .iter()
            .fold((f64::NEG_INFINITY, f64::NEG_INFINITY), |a, p| (a.0.max(p.0), a.1.max(p.1)));
        let n = pts.len();
        let edges = (0..n)
            .map(|i| {
                let (a, b) = (pts[i], pts[(i + 1) % n]);
                let (ex, ey) = (b.0 - a.0, b.1 - a.1);
                [a.0, a.1, ex, ey, 1.0 / (ex * ex + ey * ey).max(1e-18)]
            })
            .collect();
        Poly { edges, lo, hi }
    }

    /// Bounding box `(min, max)`.
    pub(crate) fn bounds(&self) -> (P2, P2) {
        (self.lo, self.hi)
    }

    /// Signed distance to the outline (negative inside) and its gradient. Points more
    /// than `far` outside the bounding box get the distance to the box, a lower bound.
    pub(crate) fn sdf(&self, (x, y): P2, far: f64) -> (f64, P2) {
        let dx = (self.lo.0 - x).max(x - self.hi.0).max(0.0);
        let dy = (self.lo.1 - y).max(y - self.hi.1).max(0.0);
        if dx.max(dy) > far {
            let d = (dx * dx + dy * dy).sqrt();
            let gx = if x < self.lo.0 { -dx } else { dx };
            let gy = if y < self.lo.1 { -dy } else { dy };
            return (d, (gx / d, gy / d));
        }
        let mut best = f64::INFINITY;
        let mut grad = (1.0, 0.0);
        let mut inside = false;
        for &[ax, ay, ex, ey, inv] in &self.edges {
            let (wx, wy) = (x - ax, y - ay);
            let t = ((wx * ex + wy * ey) * inv).clamp(0.0, 1.0);
            let (bx, by) = (wx - ex * t, wy - ey * t);
            let d2 = bx * bx + by * by;
            if d2 < best {
                best = d2;
                grad = (bx, by);
            }
            let by_ = ay + ey;
            if (ay > y) != (by_ > y) && ((wx * ey < wy * ex) == (ey > 0.0)) {
                inside = !inside;
            }
        }
        let d = best.sqrt();
        let s = if inside { -1.0 } else { 1.0 };
        let g = if d > 1e-12 { (s * grad.0 / d, s * grad.1 / d) } else { (1.0, 0.0) };
        (s * d, g)
    }
}

/// A polygon with its distance sampled on a coarse grid, to skip exact distances
/// far from the outline.
#[derive(Debug, Clone)]
pub(crate) struct CoarseSdf<'a> {
    poly: &'a Poly,
    x0: f64,
    y0: f64,
    step: f64,
    nx: usize,
    ny: usize,
    vals: Vec<f64>,
}

impl<'a> CoarseSdf<'a> {
    /// Sample `poly` every `step` mm over the box `(lo, hi)`.
    pub(crate) fn new(poly: &'a Poly, (lo, hi): (P2, P2), step: f64) -> Self {
        let nx = ((hi.0 - lo.0) / step).ceil() as usize + 1;
        let ny = ((hi.1 - lo.1) / step).ceil() as usize + 1;
        let vals = (0..nx * ny)
            .map(|k| poly.sdf((lo.0 + (k % nx) as f64 * step, lo.1 + (k / nx) as f64 * step), 1e9).0)
            .collect();
        CoarseSdf {
            poly,
            x0: lo.0,
            y0: lo.1,
            step,
            nx,
            ny,
            vals,
        }
    }

    /// The signed distance where it is within `limit` mm of zero; beyond, a value on the
    /// same side and also beyond `limit` (the distance is 1-Lipschitz).
    pub(crate) fn sdf(&self, (x, y): P2, limit: f64) -> f64 {
        let i = ((x - self.x0) / self.step).round();
        let j = ((y - self.y0) / self.step).round();
        if i >= 0.0 && j >= 0.0 && (i as usize) < self.nx && (j as usize) < self.ny {
            let c = self.vals[j as usize * self.nx + i as usize];
            let (dx, dy) = (x - (self.x0 + i * self.step), y - (self.y0 + j * self.step));
            if c.abs() > limit + dx.hypot(dy) {
                return c;
            }
        }
        self.poly.sdf((x, y), 1e9).0
    }
}

/// Chaikin corner cutting of a closed outline, `rounds` times: a soft, organic curve.
pub(crate) fn chaikin_closed(pts: &[P2], rounds: usize) -> Vec<P2> {
    let mut cur = pts.to_vec();
    for _ in 0..rounds {
        let n = cur.len();
        let mut next = Vec::with_capacity(2 * n);
        for i in 0..n {
            let (a, b) = (cur[i], cur[(i + 1) % n]);
            next.push((0.75 * a.0 + 0.25 * b.0, 0.75 * a.1 + 0.25 * b.1));
            next.push((0.25 * a.0 + 0.75 * b.0, 0.25 * a.1 + 0.75 * b.1));
        }
        cur = next;
    }
    cur
}

/// Chaikin corner cutting of an open polyline, `rounds` times, keeping its end points.
pub(crate) fn chaikin_open(pts: &[P2], rounds: usize) -> Vec<P2> {
    let mut cur = pts.to_vec();
    for _ in 0..rounds {
        let n = cur.len();
        if n < 3 {
            break;
        }
        let mut next = Vec::with_capacity(2 * n);
        next.push(cur[0]);
        for i in 0..n - 1 {
            let (a, b) = (cur[i], cur[i + 1]);
            if i > 0 {
                next.push((0.75 * a.0 + 0.25 * b.0, 0.75 * a.1 + 0.25 * b.1));
            }
            if i + 1 < n - 1 {
                next.push((0.25 * a.0 + 0.75 * b.0, 0.25 * a.1 + 0.75 * b.1));
            }
        }
        next.push(cur[n - 1]);
        cur = next;
    }
    cur
}

/// Distance from `p` to an open polyline and the arc-length fraction (0..=1) of the
/// closest point.
pub(crate) fn polyline_distance(line: &[P2], p: P2) -> (f64, f64) {
    let (mut best, mut best_at, mut acc) = (f64::INFINITY, 0.0, 0.0);
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (ex, ey) = (b.0 - a.0, b.1 - a.1);
        let len2 = (ex * ex + ey * ey).max(1e-18);
        let t = (((p.0 - a.0) * ex + (p.1 - a.1) * ey) / len2).clamp(0.0, 1.0);
        let (dx, dy) = (p.0 - a.0 - ex * t, p.1 - a.1 - ey * t);
        let d2 = dx * dx + dy * dy;
        let len = len2.sqrt();
        if d2 < best {
            (best, best_at) = (d2, acc + t * len);
        }
        acc += len;
    }
    (best.sqrt(), if acc > 0.0 { best_at / acc } else { 0.0 })
}

/// A 2-D affine frame: `o + ex·x + ey·y`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// Origin.
    pub o: P2,
    /// Image of the local x unit vector.
    pub ex: P2,
    /// Image of the local y unit vector.
    pub ey: P2,
}

impl Frame {
    /// Local point to the plane.
    pub(crate) fn apply(&self, (x, y): P2) -> P2 {
        (self.o.0 + self.ex.0 * x + self.ey.0 * y, self.o.1 + self.ex.1 * x + self.ey.1 * y)
    }

    /// Plane point to local coordinates.
    pub(crate) fn local(&self, (x, y): P2) -> P2 {
        let det = self.ex.0 * self.ey.1 - self.ey.0 * self.ex.1;
        let (u, v) = (x - self.o.0, y - self.o.1);
        ((self.ey.1 * u - self.ey.0 * v) / det, (self.ex.0 * v - self.ex.1 * u) / det)
    }

    /// Mean scale (plane units per local unit).
    pub(crate) fn scale(&self) -> f64 {
        (self.ex.0 * self.ey.1 - self.ey.0 * self.ex.1).abs().sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_sdf_and_containment() {
        let sq = Poly::new(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]);
        let (d, g) = sq.sdf((5.0, 2.0), 100.0);
        assert!((d + 2.0).abs() < 1e-12 && (g.1 + 1.0).abs() < 1e-12, "{d} {g:?}");
        assert!((sq.sdf((13.0, 5.0), 100.0).0 - 3.0).abs() < 1e-12);
        assert!(sq.sdf((1.0, 1.0), 100.0).0 < 0.0 && sq.sdf((-1.0, 1.0), 100.0).0 > 0.0);
        let f = Frame {
            o: (1.0, 2.0),
            ex: (0.0, 2.0),
            ey: (-3.0, 0.0),
        };
        let l = f.local(f.apply((0.3, -0.7)));
        assert!((l.0 - 0.3).abs() < 1e-12 && (l.1 + 0.7).abs() < 1e-12);
    }
}
