//! Design builders shared by the dot-engine tests.
#![allow(dead_code)]

use smp_design::draft::*;
use smp_design::{Design, Mm, PerCm2, PointMm, RegionKind, Shade};

/// A region draft with dots.
pub fn region(name: &str, kind: RegionKind, polygon: Vec<PointMm>, density: f64) -> RegionDraft {
    RegionDraft::new(name, kind, polygon, PerCm2(density), Mm(0.25), Shade(0.8))
}

/// An axis-aligned rectangle.
pub fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<PointMm> {
    vec![
        PointMm::new(x0, y0),
        PointMm::new(x1, y0),
        PointMm::new(x1, y1),
        PointMm::new(x0, y1),
    ]
}

/// A convex polygon approximating an ellipse.
pub fn ellipse(cx: f64, cy: f64, rx: f64, ry: f64, n: usize) -> Vec<PointMm> {
    (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            PointMm::new(cx + rx * a.cos(), cy + ry * a.sin())
        })
        .collect()
}

/// A design from regions.
pub fn design(seed: u64, regions: Vec<RegionDraft>, cumulative: Vec<f64>, clusters: bool, hairline: Option<HairlineDraft>) -> Design {
    Design::from_draft(DesignDraft {
        hairline,
        sessions: Some(SessionsDraft { cumulative }),
        clusters: clusters.then_some(ClustersDraft { enabled: true }),
        ..DesignDraft::with_regions("test", seed, regions)
    })
    .expect("test design is valid")
}
