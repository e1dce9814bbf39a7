//! Plane geometry on the design surface: polygon area, containment, self-intersection,
//! and signed distance to an open curve.

use crate::units::PointMm;

/// Signed area of a polygon in mm² (positive when counter-clockwise), by the shoelace
/// formula. The polygon is implicitly closed.
pub fn signed_area_mm2(poly: &[PointMm]) -> f64 {
    let n = poly.len();
    let mut s = 0.0;
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + 1) % n]);
        s += a.x * b.y - b.x * a.y;
    }
    s / 2.0
}

/// Unsigned polygon area in mm².
pub fn area_mm2(poly: &[PointMm]) -> f64 {
    signed_area_mm2(poly).abs()
}

/// Whether `p` lies inside the closed polygon (even-odd rule; points exactly on an edge
/// may go either way, which is harmless for sampling).
pub fn contains(poly: &[PointMm], p: PointMm) -> bool {
    let n = poly.len();
    let mut inside = false;
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (poly[i], poly[j]);
        if (a.y > p.y) != (b.y > p.y) {
            let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
            if p.x < x {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

/// Axis-aligned bounding box `(min, max)` of a set of points.
pub fn bounds(points: &[PointMm]) -> (PointMm, PointMm) {
    let mut lo = PointMm::new(f64::INFINITY, f64::INFINITY);
    let mut hi = PointMm::new(f64::NEG_INFINITY, f64::NEG_INFINITY);
    for p in points {
        lo.x = lo.x.min(p.x);
        lo.y = lo.y.min(p.y);
        hi.x = hi.x.max(p.x);
        hi.y = hi.y.max(p.y);
    }
    (lo, hi)
}

fn cross(o: PointMm, a: PointMm, b: PointMm) -> f64 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

fn on_segment(a: PointMm, b: PointMm, p: PointMm) -> bool {
    p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y)
}

/// Whether closed segments `ab` and `cd` touch or cross.
pub fn segments_intersect(a: PointMm, b: PointMm, c: PointMm, d: PointMm) -> bool {
    let (d1, d2) = (cross(c, d, a), cross(c, d, b));
    let (d3, d4) = (cross(a, b, c), cross(a, b, d));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0)) {
        return true;
    }
    (d1 == 0.0 && on_segment(c, d, a))
        || (d2 == 0.0 && on_segment(c, d, b))
        || (d3 == 0.0 && on_segment(a, b, c))
        || (d4 == 0.0 && on_segment(a, b, d))
}

/// The first pair of non-adjacent edges `(i, j)` of a closed polygon that intersect, if
/// any; edge `i` runs from vertex `i` to vertex `i + 1`.
pub fn self_intersection(poly: &[PointMm]) -> Option<(usize, usize)> {
    let n = poly.len();
    for i in 0..n {
        let (a, b) = (poly[i], poly[(i + 1) % n]);
        for j in i + 2..n {
            if i == 0 && j == n - 1 {
                continue; // edges sharing vertex 0
            }
            let (c, d) = (poly[j], poly[(j + 1) % n]);
            if segments_intersect(a, b, c, d) {
                return Some((i, j));
            }
        }
    }
    None
}

/// The first pair of non-adjacent segments `(i, j)` of an open polyline that intersect.
pub fn polyline_self_intersection(line: &[PointMm]) -> Option<(usize, usize)> {
    let n = line.len();
    for i in 0..n.saturating_sub(1) {
        for j in i + 2..n - 1 {
            if segments_intersect(line[i], line[i + 1], line[j], line[j + 1]) {
                return Some((i, j));
            }
        }
    }
    None
}

/// Closest point on segment `ab` to `p`, as the parameter `t` in 0..=1.
pub fn segment_param(a: PointMm, b: PointMm, p: PointMm) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return 0.0;
    }
    (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
}

/// Where a point lies relative to an open curve: distance, side and arc length of the
/// closest point along the curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurveProjection {
    /// Distance to the curve, millimetres.
    pub dist_mm: f64,
    /// Positive on the left of the direction of travel, negative on the right.
    pub side: f64,
    /// Arc length from the start of the curve to the closest point, millimetres.
    pub arc_mm: f64,
}

/// Project `p` on the open polyline `line` (at least two points). Beyond the end points the
/// side is taken from the end segment's extended line, so the curve splits the plane.
pub fn project_on_polyline(line: &[PointMm], p: PointMm) -> CurveProjection {
    let mut best = CurveProjection {
        dist_mm: f64::INFINITY,
        side: 0.0,
        arc_mm: 0.0,
    };
    let mut arc = 0.0;
    let last = line.len() - 2;
    for i in 0..=last {
        let (a, b) = (line[i], line[i + 1]);
        let seg = a.dist(b);
        let t = segment_param(a, b, p);
        let q = PointMm::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
        let d = q.dist(p);
        if d < best.dist_mm {
            best = CurveProjection {
                dist_mm: d,
                side: cross(a, b, p).signum(),
                arc_mm: arc + t * seg,
            };
        }
        arc += seg;
    }
    best
}

/// Total length of an open polyline in millimetres.
pub fn polyline_length_mm(line: &[PointMm]) -> f64 {
    line.windows(2).map(|w| w[0].dist(w[1])).sum()
}

/// X coordinates where the horizontal line at `y` crosses the polygon's edges, sorted;
/// consecutive pairs bound the inside (even-odd), matching [`contains`].
pub fn row_crossings(poly: &[PointMm], y: f64, out: &mut Vec<f64>) {
    out.clear();
    let n = poly.len();
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (poly[i], poly[j]);
        if (a.y > y) != (b.y > y) {
            out.push(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
        }
        j = i;
    }
    out.sort_by(f64::total_cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(s: f64) -> Vec<PointMm> {
        vec![
            PointMm::new(0.0, 0.0),
            PointMm::new(s, 0.0),
            PointMm::new(s, s),
            PointMm::new(0.0, s),
        ]
    }

    #[test]
    fn square_area_and_containment() {
        let sq = square(100.0);
        assert_eq!(area_mm2(&sq), 10_000.0);
        assert!(contains(&sq, PointMm::new(50.0, 50.0)));
        assert!(!contains(&sq, PointMm::new(150.0, 50.0)));
        assert!(self_intersection(&sq).is_none());
    }

    #[test]
    fn bow_tie_self_intersects() {
        let bow = vec![
            PointMm::new(0.0, 0.0),
            PointMm::new(10.0, 10.0),
            PointMm::new(10.0, 0.0),
            PointMm::new(0.0, 10.0),
        ];
        assert_eq!(self_intersection(&bow), Some((0, 2)));
    }

    #[test]
    fn projection_side_and_arc() {
        let line = vec![PointMm::new(-10.0, 0.0), PointMm::new(10.0, 0.0)];
        let front = project_on_polyline(&line, PointMm::new(0.0, -3.0));
        let back = project_on_polyline(&line, PointMm::new(5.0, 4.0));
        assert_eq!(front.dist_mm, 3.0);
        assert!(front.side < 0.0 && back.side > 0.0);
        assert_eq!(back.arc_mm, 15.0);
        // Beyond the end the extended line still decides the side.
        assert!(project_on_polyline(&line, PointMm::new(20.0, 1.0)).side > 0.0);
    }
}
