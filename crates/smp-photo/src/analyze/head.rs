//! The head's outline for a photo that has none (a newly uploaded photo, calibrated but
//! never given an outline): the cranium as an ellipse fitted to the top of the client's
//! silhouette. The top is the cranium in every standard view; lower down the ears, the
//! face and the neck join the silhouette, so the arc used stops where the silhouette
//! stops widening as an ellipse does (its row-to-row growth shrinks towards the widest
//! row; an ear makes it grow again).

use smp_design::HeadEllipse;

use crate::labels::{Label, LabelMap};

/// How far a row's half-width may stand out beyond the ellipse fitted to the rows above
/// it before the arc stops (an ear, a shoulder), cells: a cell's quantisation moves each
/// side by up to one.
const BREAK_CELLS: f64 = 1.5;
/// Rows fitted before the arc may stop.
const MIN_ARC_ROWS: usize = 8;
/// Plausible half-width or half-height of an adult cranium in any view, mm (head breadth
/// 15–16 cm and length 19–20 cm in anthropometric surveys such as ANSUR II, with room
/// for the hair and the view's slant).
const HALF_AXIS_MM: (f64, f64) = (55.0, 140.0);

/// The cranium's ellipse in the photo of `labels` at `px_per_mm`, or `None` when the
/// silhouette does not show one of a plausible size.
pub fn head_from_labels(labels: &LabelMap, px_per_mm: f64) -> Option<HeadEllipse> {
    let (w, h) = (labels.width as usize, labels.height as usize);
    let client = |x: usize, y: usize| Label::from_code(labels.labels[y * w + x]).is_some_and(|l| l != Label::Background);
    // Each row's extent, in cells.
    let extent = |y: usize| -> Option<(f64, f64)> {
        let l = (0..w).find(|&x| client(x, y))?;
        let r = (0..w).rev().find(|&x| client(x, y))?;
        Some((l as f64, r as f64 + 1.0))
    };
    let top = (0..h).find(|&y| extent(y).is_some_and(|(l, r)| r - l >= 3.0))?;
    // A head cut off by the photo's top edge (a close-up of the crown) shows no top arc.
    if top == 0 {
        return None;
    }
    // Rows (y, half-width, middle) down the arc while they follow one ellipse:
    // half-width² is a quadratic in y on an ellipse.
    let mut rows: Vec<(f64, f64, f64)> = Vec::new();
    for y in top..h {
        let Some((l, r)) = extent(y) else { break };
        let (yc, hw, mid) = (y as f64 + 0.5, (r - l) / 2.0, (l + r) / 2.0);
        if let Some(&(_, last_hw, _)) = rows.last()
            && hw < last_hw - 1.0
        {
            break;
        }
        if rows.len() >= MIN_ARC_ROWS
            && let Some(q) = quadratic(&rows)
            && hw > q.at(yc).max(0.0).sqrt() + BREAK_CELLS
        {
            break;
        }
        rows.push((yc, hw, mid));
    }
    if rows.len() < MIN_ARC_ROWS {
        return None;
    }
    let q = quadratic(&rows)?;
    // hw² = a + b·y + c·y², c < 0: centre −b/2c, rx² the peak, ry² = rx² / −c.
    if q.c >= 0.0 {
        return None;
    }
    let cy = -q.b / (2.0 * q.c);
    let rx2 = q.at(cy);
    if rx2 <= 0.0 {
        return None;
    }
    let (rx, ry) = (rx2.sqrt(), (rx2 / -q.c).sqrt());
    let mut mids: Vec<f64> = rows.iter().map(|r| r.2).collect();
    mids.sort_by(f64::total_cmp);
    let cx = mids[mids.len() / 2];
    let cell = f64::from(labels.cell_px);
    let e = HeadEllipse {
        center_px: [cx * cell, cy * cell],
        radii_px: [rx * cell, ry * cell],
    };
    let (lo, hi) = (HALF_AXIS_MM.0 * px_per_mm, HALF_AXIS_MM.1 * px_per_mm);
    let plausible = e.radii_px.iter().all(|r| (lo..=hi).contains(r)) && (0.6..=1.6).contains(&(e.radii_px[0] / e.radii_px[1]));
    plausible.then_some(e)
}

/// `a + b·y + c·y²`.
struct Quadratic {
    a: f64,
    b: f64,
    c: f64,
}

impl Quadratic {
    fn at(&self, y: f64) -> f64 {
        self.a + self.b * y + self.c * y * y
    }
}

/// The quadratic in y through the rows' squared half-widths, by least squares.
fn quadratic(rows: &[(f64, f64, f64)]) -> Option<Quadratic> {
    // y is centred on the rows' mean for a well-conditioned solve.
    let m = rows.iter().map(|r| r.0).sum::<f64>() / rows.len() as f64;
    let mut ata = [[0f64; 3]; 3];
    let mut atb = [0f64; 3];
    for &(y, hw, _) in rows {
        let t = y - m;
        let row = [1.0, t, t * t];
        for i in 0..3 {
            for j in 0..3 {
                ata[i][j] += row[i] * row[j];
            }
            atb[i] += row[i] * hw * hw;
        }
    }
    let [a, b, c] = crate::analyze::lsq::solve(ata, atb)?;
    // Back from t = y − m.
    Some(Quadratic {
        a: a - b * m + c * m * m,
        b: b - 2.0 * c * m,
        c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ellipse_is_read_back_from_its_top_half() {
        // A 60 × 80-cell ellipse centred at (50, 90) on 100 × 200 cells of 4 px, with an
        // ear sticking out near its widest row.
        let mut m = LabelMap::new(100, 200, 4);
        for y in 0..200u32 {
            for x in 0..100u32 {
                let (u, v) = ((f64::from(x) + 0.5 - 50.0) / 30.0, (f64::from(y) + 0.5 - 90.0) / 40.0);
                let ear = (82..100).contains(&y) && (12..88).contains(&x);
                if u * u + v * v <= 1.0 || ear {
                    m.set(x, y, Label::Haired, 1.0);
                }
            }
        }
        let e = head_from_labels(&m, 1.5).unwrap();
        assert!(
            (e.center_px[0] - 200.0).abs() < 6.0 && (e.center_px[1] - 360.0).abs() < 12.0,
            "{e:?}"
        );
        assert!(
            (e.radii_px[0] / 120.0 - 1.0).abs() < 0.05 && (e.radii_px[1] / 160.0 - 1.0).abs() < 0.1,
            "{e:?}"
        );
        // The same head cut off by the photo's top edge (its centre 20 cells down): the
        // rows below still follow an ellipse, but no outline is claimed.
        let mut cut = LabelMap::new(100, 200, 4);
        for y in 0..200u32 {
            for x in 0..100u32 {
                let (u, v) = ((f64::from(x) + 0.5 - 50.0) / 30.0, (f64::from(y) + 0.5 - 20.0) / 40.0);
                if u * u + v * v <= 1.0 {
                    cut.set(x, y, Label::Haired, 1.0);
                }
            }
        }
        assert_eq!(head_from_labels(&cut, 1.5), None);
        // Nor for the same shape on 1 px cells: 30 × 40 px at 1.5 px/mm is no head.
        let mut tiny = LabelMap::new(100, 200, 1);
        for y in 0..200u32 {
            for x in 0..100u32 {
                let (u, v) = ((f64::from(x) + 0.5 - 50.0) / 30.0, (f64::from(y) + 0.5 - 90.0) / 40.0);
                if u * u + v * v <= 1.0 {
                    tiny.set(x, y, Label::Haired, 1.0);
                }
            }
        }
        assert_eq!(head_from_labels(&tiny, 1.5), None);
    }
}
