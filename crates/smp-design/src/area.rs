//! Effective region areas: each polygon minus the parts that higher-precedence regions
//! (exclude holes, scars over treat, …) take from it. Exact up to a 0.05 mm scanline.

use crate::geometry::{bounds, row_crossings};
use crate::model::Design;
use crate::units::Cm2;

/// Scanline step for area integration, mm. Edges are intersected exactly per row, so
/// the only error is at polygon corners (of order step² per corner).
const ROW_STEP_MM: f64 = 0.05;

/// Region indices ordered from the highest precedence to the lowest; among equals the
/// later region in the file wins.
pub fn precedence_order(design: &Design) -> Vec<usize> {
    let mut order: Vec<usize> = (0..design.regions().len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(design.regions()[i].kind.precedence()), std::cmp::Reverse(i)));
    order
}

/// Subtract the sorted, disjoint intervals `cut` from the sorted, disjoint `spans`.
fn subtract(spans: &[(f64, f64)], cut: &[(f64, f64)], out: &mut Vec<(f64, f64)>) {
    out.clear();
    for &(mut a, b) in spans {
        for &(c0, c1) in cut {
            if c1 <= a || c0 >= b {
                continue;
            }
            if c0 > a {
                out.push((a, c0));
            }
            a = a.max(c1);
            if a >= b {
                break;
            }
        }
        if a < b {
            out.push((a, b));
        }
    }
}

/// Merge `add` into the sorted, disjoint `acc`.
fn union(acc: &mut Vec<(f64, f64)>, add: &[(f64, f64)]) {
    acc.extend_from_slice(add);
    acc.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(acc.len());
    for &(a, b) in acc.iter() {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    *acc = merged;
}

/// The area each region actually covers, in the order of `design.regions()`.
pub fn effective_areas(design: &Design) -> Vec<Cm2> {
    let regions = design.regions();
    let order = precedence_order(design);
    let all: Vec<_> = regions.iter().flat_map(|r| r.polygon.iter().copied()).collect();
    let (lo, hi) = bounds(&all);
    let rows = ((hi.y - lo.y) / ROW_STEP_MM).ceil() as usize;
    let mut mm2 = vec![0.0; regions.len()];
    let (mut xs, mut spans, mut own, mut taken) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for row in 0..rows {
        let y = lo.y + (row as f64 + 0.5) * ROW_STEP_MM;
        taken.clear();
        for &i in &order {
            row_crossings(&regions[i].polygon, y, &mut xs);
            spans.clear();
            spans.extend(xs.chunks_exact(2).map(|c| (c[0], c[1])));
            subtract(&spans, &taken, &mut own);
            mm2[i] += own.iter().map(|(a, b)| b - a).sum::<f64>() * ROW_STEP_MM;
            union(&mut taken, &spans);
        }
    }
    mm2.into_iter().map(Cm2::from_mm2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Shade;
    use crate::draft::*;
    use crate::model::RegionKind;
    use crate::units::{Mm, PerCm2, PointMm};

    fn rect(name: &str, kind: RegionKind, x0: f64, y0: f64, x1: f64, y1: f64) -> RegionDraft {
        RegionDraft {
            name: name.into(),
            kind,
            polygon: vec![
                PointMm::new(x0, y0),
                PointMm::new(x1, y0),
                PointMm::new(x1, y1),
                PointMm::new(x0, y1),
            ],
            density_per_cm2: Some(PerCm2(80.0)),
            dot_diameter_mm: Some(Mm(0.25)),
            shade: Some(Shade(0.8)),
            pigment: None,
            edge_blend_mm: None,
        }
    }

    #[test]
    fn square_is_100_cm2_and_holes_are_cut() {
        let draft = DesignDraft::with_regions(
            "t",
            1,
            vec![
                rect("top", RegionKind::Treat, 0.0, 0.0, 100.0, 100.0),
                rect("scar", RegionKind::Scar, 90.0, 10.0, 130.0, 20.0),
                rect("mole", RegionKind::Exclude, 10.0, 10.0, 20.0, 30.0),
            ],
        );
        let d = Design::from_draft(draft).unwrap();
        let a = effective_areas(&d);
        assert!((a[0].0 - (100.0 - 1.0 - 2.0)).abs() < 1e-6, "{:?}", a);
        assert!((a[1].0 - 4.0).abs() < 1e-6, "{:?}", a);
        assert!((a[2].0 - 2.0).abs() < 1e-6, "{:?}", a);
    }
}
