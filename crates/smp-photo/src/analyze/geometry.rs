//! Where each cell lies on the head, and the two anatomical rules that separate
//! non-scalp skin from bald scalp: the frontal hairline line (a bald head shows no
//! boundary between forehead and scalp, so the forehead ends there) and the permanent
//! fringe at the sides and back (bare skin there is ear or neck, not bald scalp).

use smp_design::{Design, PointMm, View};

use super::constants::{LOSS_ZONE_CENTRE_MM, LOSS_ZONE_RADII_MM, TEMPORAL_TO_SIDEBURN_MM};

/// The design point seen at pixel (`x`, `y`): the inverse of [`crate::view::project`];
/// `None` off the head's visible hemisphere (or for a degenerate map).
pub fn unproject(view: &View, x: f64, y: f64) -> Option<PointMm> {
    let Some(h) = &view.head else {
        return view.mm_to_px.invert(x, y);
    };
    let (du, dv) = (x - h.center_px[0], y - h.center_px[1]);
    let q = ((du / h.radii_px[0]).powi(2) + (dv / h.radii_px[1]).powi(2)).sqrt();
    if q >= 1.0 {
        return None;
    }
    let k = if q < 1e-9 { 1.0 } else { q.asin() / q };
    view.mm_to_px.invert(h.center_px[0] + du * k, h.center_px[1] + dv * k)
}

/// The line where the forehead's skin ends, left to right, design mm: the shared rule
/// ([`crate::labels::frontal_line_mm`]: the design's hairline, else 80 mm above the
/// glabella joined to the temporal points), continued at each end down the temple to the
/// sideburn, so the bare temple in front of the side hair is forehead too.
pub fn frontal_line(design: &Design) -> Vec<PointMm> {
    let core = crate::labels::frontal_line_mm(design);
    let (first, last) = (core[0], core[core.len() - 1]);
    let mut line: Vec<PointMm> = TEMPORAL_TO_SIDEBURN_MM
        .iter()
        .rev()
        .map(|&(dx, dy)| PointMm::new(first.x - dx, first.y + dy))
        .collect();
    line.extend(core);
    line.extend(
        TEMPORAL_TO_SIDEBURN_MM
            .iter()
            .map(|&(dx, dy)| PointMm::new(last.x + dx, last.y + dy)),
    );
    line
}

/// The line's y at `x` (linear between its points), `None` beyond its ends.
pub fn line_y_at(line: &[PointMm], x: f64) -> Option<f64> {
    line.windows(2).find_map(|s| {
        let (a, b) = (s[0], s[1]);
        let (lo, hi) = if a.x <= b.x { (a, b) } else { (b, a) };
        (x >= lo.x && x <= hi.x).then(|| {
            if hi.x == lo.x {
                lo.y.min(hi.y)
            } else {
                lo.y + (hi.y - lo.y) * (x - lo.x) / (hi.x - lo.x)
            }
        })
    })
}

/// Whether `p` lies in front of the frontal line (on the forehead or temple).
pub fn in_front_of_line(line: &[PointMm], p: PointMm) -> bool {
    line_y_at(line, p.x).is_some_and(|y| p.y < y)
}

/// Whether `p` lies where androgenetic loss can reach; outside it (the sides below the
/// fringe, around the ears, the nape and neck) the scalp keeps its hair, so bare skin
/// there is not bald scalp.
pub fn in_loss_zone(p: PointMm) -> bool {
    let (cx, cy) = LOSS_ZONE_CENTRE_MM;
    let (rx, ry) = LOSS_ZONE_RADII_MM;
    ((p.x - cx) / rx).powi(2) + ((p.y - cy) / ry).powi(2) < 1.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::project;
    use smp_design::{HeadEllipse, MmToPx, Pattern};

    #[test]
    fn unproject_inverts_project_and_the_line_bounds_the_forehead() {
        let view = View {
            name: "top".into(),
            file: "x.png".into(),
            mm_to_px: MmToPx::from_similarity(PointMm::new(0.0, 190.0), (500.0, 600.0), 4.0, (1.0, 0.0)),
            head: Some(HeadEllipse {
                center_px: [500.0, 600.0],
                radii_px: [312.0, 400.0],
            }),
            mask: None,
            analysis: None,
            photo_size_px: None,
            card: None,
            chart: None,
        };
        for p in [PointMm::new(0.0, 190.0), PointMm::new(40.0, 120.0), PointMm::new(-70.0, 260.0)] {
            let q = project(&view, p).unwrap();
            let back = unproject(&view, q.x, q.y).unwrap();
            assert!((back.x - p.x).abs() < 1e-6 && (back.y - p.y).abs() < 1e-6, "{p:?} {back:?}");
        }
        assert!(unproject(&view, 5.0, 5.0).is_none());
        let d = Pattern::Norwood(3).template().unwrap();
        let line = frontal_line(&d);
        assert!(in_front_of_line(&line, PointMm::new(0.0, 60.0)));
        assert!(!in_front_of_line(&line, PointMm::new(0.0, 100.0)));
        assert!(in_front_of_line(&line, PointMm::new(80.0, 120.0)), "temple skin");
        assert!(in_loss_zone(PointMm::new(0.0, 200.0)) && !in_loss_zone(PointMm::new(150.0, 205.0)));
    }
}
