//! The plane-to-image map of the card: a homography from card mm to photo pixels, fitted
//! to the four marker centres.

use crate::analyze::lsq::solve;

/// A point and where it maps to.
pub type PointPair = ((f64, f64), (f64, f64));

/// Card mm → photo pixels: `x = (h0·X + h1·Y + h2) / (h6·X + h7·Y + 1)`, and `y` with
/// h3..h5 over the same denominator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography(pub [f64; 8]);

impl Homography {
    /// The homography taking each `from[i]` (mm) to `to[i]` (px); `None` when three of
    /// the points are in a line.
    pub fn from_points(from: &[(f64, f64); 4], to: &[(f64, f64); 4]) -> Option<Self> {
        let mut a = [[0f64; 8]; 8];
        let mut b = [0f64; 8];
        for i in 0..4 {
            let ((xm, ym), (xp, yp)) = (from[i], to[i]);
            a[2 * i] = [xm, ym, 1.0, 0.0, 0.0, 0.0, -xp * xm, -xp * ym];
            b[2 * i] = xp;
            a[2 * i + 1] = [0.0, 0.0, 0.0, xm, ym, 1.0, -yp * xm, -yp * ym];
            b[2 * i + 1] = yp;
        }
        let h = solve(a, b)?;
        h.iter().all(|v| v.is_finite()).then_some(Homography(h))
    }

    /// The homography taking each pair's first point to its second, by least squares
    /// over all of them (at least four, not all in a line).
    pub fn fit(pairs: &[PointPair]) -> Option<Self> {
        let mut a = [[0f64; 8]; 8];
        let mut b = [0f64; 8];
        for &((xm, ym), (xp, yp)) in pairs {
            let rows = [
                ([xm, ym, 1.0, 0.0, 0.0, 0.0, -xp * xm, -xp * ym], xp),
                ([0.0, 0.0, 0.0, xm, ym, 1.0, -yp * xm, -yp * ym], yp),
            ];
            for (r, t) in rows {
                for p in 0..8 {
                    for q in 0..8 {
                        a[p][q] += r[p] * r[q];
                    }
                    b[p] += r[p] * t;
                }
            }
        }
        let h = solve(a, b)?;
        h.iter().all(|v| v.is_finite()).then_some(Homography(h))
    }

    /// Pixel position of the card point `(x_mm, y_mm)`.
    pub fn apply(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let h = &self.0;
        let w = h[6] * x + h[7] * y + 1.0;
        ((h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w)
    }

    /// The local map's derivative at a card point: pixels per mm along the card's x and
    /// y axes, as the columns `[[dx/dX, dx/dY], [dy/dX, dy/dY]]`.
    pub fn jacobian(&self, p: (f64, f64)) -> [[f64; 2]; 2] {
        let h = &self.0;
        let w = h[6] * p.0 + h[7] * p.1 + 1.0;
        let (x, y) = self.apply(p);
        [
            [(h[0] - x * h[6]) / w, (h[1] - x * h[7]) / w],
            [(h[3] - y * h[6]) / w, (h[4] - y * h[7]) / w],
        ]
    }

    /// Pixels per mm in the card's plane at a card point, along the direction the
    /// camera does not foreshorten (the larger singular value of the local map): a card
    /// tilted away from the camera shrinks along one axis only.
    pub fn px_per_mm(&self, p: (f64, f64)) -> f64 {
        let j = self.jacobian(p);
        let t = j[0][0].powi(2) + j[0][1].powi(2) + j[1][0].powi(2) + j[1][1].powi(2);
        let d = j[0][0] * j[1][1] - j[0][1] * j[1][0];
        ((t + (t * t - 4.0 * d * d).max(0.0).sqrt()) / 2.0).sqrt()
    }

    /// The local area scale at a card point, px² per mm².
    pub fn area_scale(&self, p: (f64, f64)) -> f64 {
        let j = self.jacobian(p);
        (j[0][0] * j[1][1] - j[0][1] * j[1][0]).abs()
    }
}

/// The photo's pixels at the cell centres of an `n` × `n` lattice over the square of
/// half-side `half` round the plane point `centre`, mapped into `photo` by `hg`; points
/// that fall outside the photo are left out.
pub(crate) fn square_samples(photo: &image::RgbImage, hg: &Homography, centre: (f64, f64), half: f64, n: usize) -> Vec<[u8; 3]> {
    let t = |k: usize| half * (2.0 * (k as f64 + 0.5) / n as f64 - 1.0);
    let mut out = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let (x, y) = hg.apply((centre.0 + t(i), centre.1 + t(j)));
            if x >= 0.0 && y >= 0.0 && x < f64::from(photo.width()) && y < f64::from(photo.height()) {
                out.push(photo.get_pixel(x as u32, y as u32).0);
            }
        }
    }
    out
}

/// Each channel's median over `samples` (not empty).
pub(crate) fn median_rgb(samples: &[[u8; 3]]) -> [u8; 3] {
    std::array::from_fn(|c| {
        let mut v: Vec<u8> = samples.iter().map(|s| s[c]).collect();
        v.sort_unstable();
        v[v.len() / 2]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_a_tilted_card_and_reads_its_scale() {
        // A card at 5 px/mm, rotated 30° and tilted so its y axis shrinks to cos 30°.
        let (s, c) = (30f64.to_radians().sin(), 30f64.to_radians().cos());
        let tilt = 30f64.to_radians().cos();
        let to_px = |(x, y): (f64, f64)| {
            let (u, v) = (5.0 * x, 5.0 * y * tilt);
            (400.0 + c * u - s * v, 300.0 + s * u + c * v)
        };
        let from = [(8.5, 8.5), (76.5, 8.5), (8.5, 45.5), (76.5, 45.5)];
        let to = from.map(to_px);
        let h = Homography::from_points(&from, &to).unwrap();
        let (x, y) = h.apply((40.0, 20.0));
        let want = to_px((40.0, 20.0));
        assert!((x - want.0).abs() < 1e-6 && (y - want.1).abs() < 1e-6);
        assert!((h.px_per_mm((42.5, 27.0)) - 5.0).abs() < 1e-6, "{}", h.px_per_mm((42.5, 27.0)));
        assert!((h.area_scale((42.5, 27.0)) - 25.0 * tilt).abs() < 1e-6);
        let line = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)];
        assert!(Homography::from_points(&line, &to).is_none());
        // Least squares over more points finds the same map, and refuses a line.
        let grid: Vec<PointPair> = (0..6)
            .flat_map(|i| (0..4).map(move |j| (f64::from(i), f64::from(j))))
            .map(|p| (p, h.apply(p)))
            .collect();
        let g = Homography::fit(&grid).unwrap();
        for &(p, q) in &grid {
            let r = g.apply(p);
            assert!((r.0 - q.0).abs() < 1e-6 && (r.1 - q.1).abs() < 1e-6, "{r:?} against {q:?}");
        }
        let flat: Vec<PointPair> = (0..5).map(|i| ((f64::from(i), 0.0), (f64::from(i), 0.0))).collect();
        assert!(Homography::fit(&flat).is_none());
    }
}
