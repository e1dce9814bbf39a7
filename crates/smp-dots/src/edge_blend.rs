//! Edge blending: past the open edges of a region (those not shared with another region)
//! dots continue with falling density into the surrounding hair, so a region's border
//! never shows as a line. The fade is a smoothstep over the region's `edge_blend` width,
//! its distance gently warped along the edge so the border wanders as natural ones do.

use smp_design::geometry::contains;
use smp_design::{Design, PointMm};

use crate::noise::ValueNoise;

/// Longest piece an edge is cut into when testing which side is open, mm.
const PIECE_MM: f64 = 2.0;
/// How far outside an edge its far side is tested, mm.
const PROBE_MM: f64 = 0.75;
/// Wavelength of the warp along the edge, mm: bays of about the size natural edges show.
const WARP_WAVELENGTH_MM: f64 = 15.0;
/// Warp amplitude as a share of the blend width.
const WARP_SHARE: f64 = 0.25;

/// One open piece of a region's edge.
#[derive(Debug, Clone, Copy)]
struct Piece {
    a: PointMm,
    b: PointMm,
    region: u16,
    width_mm: f64,
}

/// The open edges of a design's dotted regions and the fade past them.
#[derive(Debug, Clone)]
pub struct EdgeBlend {
    pieces: Vec<Piece>,
    warp: ValueNoise,
}

/// Distance from `p` to the segment `a`–`b`, mm.
fn segment_distance(a: PointMm, b: PointMm, p: PointMm) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    PointMm::new(a.x + t * dx, a.y + t * dy).dist(p)
}

fn smoothstep(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

impl EdgeBlend {
    /// The open edge pieces of every region of `design` with a non-zero blend. An edge
    /// piece is open when the point just past it lies in no other region.
    pub fn new(design: &Design) -> Self {
        let regions = design.regions();
        let mut pieces = Vec::new();
        for (i, r) in regions.iter().enumerate() {
            let width_mm = r.edge_blend.0;
            if !r.has_dots() || width_mm <= 0.0 {
                continue;
            }
            let n = r.polygon.len();
            for k in 0..n {
                let (a, b) = (r.polygon[k], r.polygon[(k + 1) % n]);
                let len = a.dist(b);
                if len <= 0.0 {
                    continue;
                }
                let steps = (len / PIECE_MM).ceil() as usize;
                let normal = ((b.y - a.y) / len, -(b.x - a.x) / len);
                for s in 0..steps {
                    let (t0, t1) = (s as f64 / steps as f64, (s + 1) as f64 / steps as f64);
                    let pa = PointMm::new(a.x + t0 * (b.x - a.x), a.y + t0 * (b.y - a.y));
                    let pb = PointMm::new(a.x + t1 * (b.x - a.x), a.y + t1 * (b.y - a.y));
                    let mid = PointMm::new((pa.x + pb.x) / 2.0, (pa.y + pb.y) / 2.0);
                    let mut probe = PointMm::new(mid.x + PROBE_MM * normal.0, mid.y + PROBE_MM * normal.1);
                    if contains(&r.polygon, probe) {
                        probe = PointMm::new(mid.x - PROBE_MM * normal.0, mid.y - PROBE_MM * normal.1);
                    }
                    let shared = regions.iter().enumerate().any(|(j, o)| j != i && contains(&o.polygon, probe));
                    if !shared {
                        pieces.push(Piece {
                            a: pa,
                            b: pb,
                            region: i as u16,
                            width_mm,
                        });
                    }
                }
            }
        }
        EdgeBlend {
            pieces,
            warp: ValueNoise::new(design.seed(), 21),
        }
    }

    /// Widest blend of any open edge, mm (0 without any).
    pub fn reach_mm(&self) -> f64 {
        self.pieces.iter().map(|p| p.width_mm).fold(0.0, f64::max)
    }

    /// Whether any region has an open, blended edge.
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// For a point outside every region: the region whose open edge is nearest (within
    /// its blend's reach) and its density multiplier there (in `(0, 1]`), or `None`
    /// beyond every blend.
    pub fn at(&self, p: PointMm) -> Option<(usize, f64)> {
        // The fade falls with distance, so the nearest piece decides; the warp depends on
        // the point only and is evaluated once.
        let mut nearest: Option<(f64, &Piece)> = None;
        for piece in &self.pieces {
            let d = segment_distance(piece.a, piece.b, p);
            if d < piece.width_mm * (1.0 + WARP_SHARE) && nearest.is_none_or(|(n, _)| d < n) {
                nearest = Some((d, piece));
            }
        }
        let (d, piece) = nearest?;
        let w = piece.width_mm;
        let warp = WARP_SHARE * w * self.warp.at2(p.x / WARP_WAVELENGTH_MM, p.y / WARP_WAVELENGTH_MM);
        let m = 1.0 - smoothstep((d + warp) / w);
        (m > 0.0).then_some((usize::from(piece.region), m))
    }

    /// The pieces near a box, for rasterising: indices of pieces whose reach touches
    /// `lo..hi`.
    pub fn near(&self, lo: PointMm, hi: PointMm) -> Self {
        let pieces = self
            .pieces
            .iter()
            .filter(|q| {
                let r = q.width_mm * (1.0 + WARP_SHARE);
                q.a.x.min(q.b.x) - r <= hi.x && q.a.x.max(q.b.x) + r >= lo.x && q.a.y.min(q.b.y) - r <= hi.y && q.a.y.max(q.b.y) + r >= lo.y
            })
            .copied()
            .collect();
        EdgeBlend { pieces, warp: self.warp }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smp_design::draft::{DesignDraft, RegionDraft};
    use smp_design::{Mm, PerCm2, RegionKind, Shade};

    fn rect(name: &str, x0: f64, y0: f64, x1: f64, y1: f64) -> RegionDraft {
        let poly = vec![
            PointMm::new(x0, y0),
            PointMm::new(x1, y0),
            PointMm::new(x1, y1),
            PointMm::new(x0, y1),
        ];
        RegionDraft::new(name, RegionKind::Treat, poly, PerCm2(80.0), Mm(0.25), Shade(0.8))
    }

    fn design(regions: Vec<RegionDraft>) -> Design {
        Design::from_draft(DesignDraft::with_regions("edges", 1, regions)).unwrap()
    }

    #[test]
    fn shared_edges_stay_closed_and_open_ones_fade_over_the_width() {
        // Two squares side by side share the edge at x = 20.
        let d = design(vec![rect("a", 0.0, 0.0, 20.0, 20.0), rect("b", 20.0, 0.0, 40.0, 20.0)]);
        let e = EdgeBlend::new(&d);
        assert!(!e.is_empty());
        assert_eq!(e.reach_mm(), 10.0);
        // No piece lies on the shared edge.
        assert!(e.pieces.iter().all(|p| !(p.a.x == 20.0 && p.b.x == 20.0)));
        // Past the left edge: region a, fading with distance, gone beyond 1.25 × width.
        let m: Vec<f64> = [0.5, 3.0, 6.0, 9.0]
            .iter()
            .map(|&d| {
                e.at(PointMm::new(-d, 10.0)).map_or(0.0, |(r, m)| {
                    assert_eq!(r, 0);
                    m
                })
            })
            .collect();
        assert!(m[0] > 0.9 && m.windows(2).all(|w| w[1] <= w[0]), "{m:?}");
        assert!(e.at(PointMm::new(-12.6, 10.0)).is_none());
        // Past the right edge: region b.
        assert_eq!(e.at(PointMm::new(41.0, 10.0)).map(|x| x.0), Some(1));
    }

    #[test]
    fn a_zero_width_is_a_hard_edge() {
        let mut r = rect("a", 0.0, 0.0, 20.0, 20.0);
        r.edge_blend_mm = Some(Mm(0.0));
        let e = EdgeBlend::new(&design(vec![r]));
        assert!(e.is_empty());
        assert!(e.at(PointMm::new(-1.0, 10.0)).is_none());
    }
}
