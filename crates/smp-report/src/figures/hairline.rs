//! The hairline drawing: the design's regions seen from above, the hairline curve, its
//! height above the glabella and its width in mm, and a scale bar. Design coordinates
//! are scalp-surface mm (x to the client's right, y towards the back), drawn 1:1 so the
//! figure's proportions are the scalp's.

use std::fmt::Write;

use smp_design::geometry::contains;
use smp_design::{Design, Hairline, PointMm, RegionKind};

use crate::world::FONT_FAMILY;

/// Measured hairline figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HairlineDims {
    /// The hairline's mid-frontal point: where it crosses the glabella's midline.
    pub mid_point: PointMm,
    /// Distance from the glabella landmark to the mid-frontal point, mm (`None` without
    /// a glabella landmark).
    pub height_mm: Option<f64>,
    /// Width of the hairline from its leftmost to its rightmost point, mm.
    pub width_mm: f64,
}

/// How far behind the mid-frontal point a treated area must reach for the design to
/// draw a new hairline, mm: the templates' frontal area starts 4 mm in front of it.
const NEW_HAIRLINE_REACH_MM: f64 = 5.0;

/// The design's hairline when the design draws one: a treated area reaches it. Every
/// template carries the canonical line (it keeps dots off the forehead), but a
/// female-pattern or scar design treats only behind it and leaves the client's own
/// hairline as it is, so it shows no "new hairline" to the client.
pub fn new_hairline(design: &Design) -> Option<&Hairline> {
    let h = design.hairline()?;
    let mid = mid_frontal(&h.points, design.glabella().map_or(0.0, |g| g.x))?;
    let behind = PointMm::new(mid.x, mid.y + NEW_HAIRLINE_REACH_MM);
    design
        .regions()
        .iter()
        .any(|r| r.kind == RegionKind::Treat && contains(&r.polygon, behind))
        .then_some(h)
}

/// Where a hairline crosses the midline at `mid_x`; a curve that never does (a one-sided
/// design) at its frontmost point.
fn mid_frontal(line: &[PointMm], mid_x: f64) -> Option<PointMm> {
    let crossing = line.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        let (lo, hi) = if a.x <= b.x { (a, b) } else { (b, a) };
        if lo.x <= mid_x && mid_x <= hi.x && hi.x > lo.x {
            let t = (mid_x - lo.x) / (hi.x - lo.x);
            Some(PointMm::new(mid_x, lo.y + t * (hi.y - lo.y)))
        } else {
            None
        }
    });
    crossing.or_else(|| line.iter().copied().min_by(|p, q| p.y.total_cmp(&q.y)))
}

/// The new hairline's figures, or `None` when the design draws none.
pub fn hairline_dims(design: &Design) -> Option<HairlineDims> {
    let line = &new_hairline(design)?.points;
    let glabella = design.glabella();
    let mid_point = mid_frontal(line, glabella.map_or(0.0, |g| g.x))?;
    let (min_x, max_x) = line.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.x), hi.max(p.x)));
    Some(HairlineDims {
        mid_point,
        height_mm: glabella.map(|g| g.dist(mid_point)),
        width_mm: max_x - min_x,
    })
}

/// Length of the scale bar, mm: a round figure about a fifth of the drawing's width.
fn scale_bar_mm(width_mm: f64) -> f64 {
    [10.0, 20.0, 50.0, 100.0]
        .into_iter()
        .rev()
        .find(|&l| l <= width_mm / 4.0)
        .unwrap_or(10.0)
}

fn fill(kind: RegionKind) -> (&'static str, &'static str) {
    match kind {
        RegionKind::Treat => ("#5b6b7a", "0.45"),
        RegionKind::Blend => ("#9fb0bf", "0.45"),
        _ => ("#ffffff", "1"),
    }
}

/// The drawing as SVG (units: mm).
pub fn hairline_svg(design: &Design) -> String {
    let dims = hairline_dims(design);
    let mut pts: Vec<PointMm> = design.regions().iter().flat_map(|r| r.polygon.iter().copied()).collect();
    let hairline = new_hairline(design);
    if let Some(h) = hairline {
        pts.extend(h.points.iter().copied());
    }
    if let Some(g) = design.glabella() {
        pts.push(g);
    }
    let (lo, hi) = smp_design::geometry::bounds(&pts);
    let span = (hi.x - lo.x).max(hi.y - lo.y).max(1.0);
    let font = span / 15.0;
    let margin = font * 3.0;
    let (x0, y0) = (lo.x - margin, lo.y - margin);
    let (w, h) = (hi.x - lo.x + 2.0 * margin, hi.y - lo.y + 2.0 * margin + font * 2.0);
    let mut svg = Svg {
        s: String::new(),
        font,
        stroke: span / 250.0,
    };
    let _ = write!(
        svg.s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:.2} {y0:.2} {w:.2} {h:.2}" width="{w:.1}mm" height="{h:.1}mm" font-family="{FONT_FAMILY}" font-size="{font:.2}">"#
    );
    let _ = write!(
        svg.s,
        r##"<rect x="{x0:.2}" y="{y0:.2}" width="{w:.2}" height="{h:.2}" fill="#ffffff"/>"##
    );
    svg.regions(design);
    if let Some(hl) = hairline {
        svg.hairline(hl);
    }
    if let Some(g) = design.glabella() {
        svg.glabella(g);
    }
    if let Some(d) = dims {
        svg.dims(design.glabella(), d, hairline);
    }
    svg.scale_bar((lo, hi), margin);
    svg.s.push_str("</svg>");
    svg.s
}

/// An SVG drawing being written, with its font size and line width, mm.
struct Svg {
    s: String,
    font: f64,
    stroke: f64,
}

impl Svg {
    /// The design's regions, named; exclusions drawn last so they cut holes visually, as
    /// they do in the plan.
    fn regions(&mut self, design: &Design) {
        let mut regions: Vec<_> = design.regions().iter().collect();
        regions.sort_by_key(|r| r.kind == RegionKind::Exclude);
        for r in regions {
            let (color, opacity) = fill(r.kind);
            let d: Vec<String> = r.polygon.iter().map(|p| format!("{:.2},{:.2}", p.x, p.y)).collect();
            let _ = write!(
                self.s,
                r##"<polygon points="{}" fill="{color}" fill-opacity="{opacity}" stroke="#33414d" stroke-width="{:.3}"/>"##,
                d.join(" "),
                self.stroke
            );
            let c = centroid(&r.polygon);
            let _ = write!(
                self.s,
                r##"<text x="{:.2}" y="{:.2}" text-anchor="middle" fill="#1d2731">{}</text>"##,
                c.x,
                c.y,
                xml(&r.name)
            );
        }
    }

    fn hairline(&mut self, hl: &Hairline) {
        let d: Vec<String> = hl.points.iter().map(|p| format!("{:.2},{:.2}", p.x, p.y)).collect();
        let _ = write!(
            self.s,
            r##"<polyline points="{}" fill="none" stroke="#b3261e" stroke-width="{:.3}"/>"##,
            d.join(" "),
            self.stroke * 3.0
        );
    }

    fn glabella(&mut self, g: PointMm) {
        let _ = write!(
            self.s,
            r##"<circle cx="{:.2}" cy="{:.2}" r="{:.2}" fill="#1d2731"/><text x="{:.2}" y="{:.2}" fill="#1d2731">glabella</text>"##,
            g.x,
            g.y,
            self.stroke * 4.0,
            g.x + self.font * 0.6,
            g.y - self.font * 0.4
        );
    }

    /// The hairline's height above the `glabella` and its width, each a dashed line
    /// with its figure.
    fn dims(&mut self, glabella: Option<PointMm>, d: HairlineDims, hairline: Option<&Hairline>) {
        let font = self.font;
        if let (Some(g), Some(hmm)) = (glabella, d.height_mm) {
            self.arrow(g, d.mid_point);
            let m = PointMm::new((g.x + d.mid_point.x) / 2.0, (g.y + d.mid_point.y) / 2.0);
            let _ = write!(
                self.s,
                r##"<text x="{:.2}" y="{:.2}" fill="#b3261e" font-weight="bold">{hmm:.0} mm</text>"##,
                m.x + font * 0.5,
                m.y
            );
        }
        if let Some(hl) = hairline {
            let (l, r) = hl.points.iter().fold((hl.points[0], hl.points[0]), |(l, r), &p| {
                (if p.x < l.x { p } else { l }, if p.x > r.x { p } else { r })
            });
            let y = l.y.max(r.y) + font * 1.5;
            self.arrow(PointMm::new(l.x, y), PointMm::new(r.x, y));
            let _ = write!(
                self.s,
                r##"<text x="{:.2}" y="{:.2}" text-anchor="middle" fill="#b3261e" font-weight="bold">{:.0} mm wide</text>"##,
                (l.x + r.x) / 2.0,
                y - font * 0.3,
                d.width_mm
            );
        }
    }

    /// A dashed measuring line from `a` to `b`.
    fn arrow(&mut self, a: PointMm, b: PointMm) {
        let stroke = self.stroke;
        let _ = write!(
            self.s,
            r##"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="#1d2731" stroke-width="{stroke:.3}" stroke-dasharray="{:.2} {:.2}"/>"##,
            a.x,
            a.y,
            b.x,
            b.y,
            stroke * 6.0,
            stroke * 3.0
        );
    }

    /// A scale bar under the drawing of the bounds `(lo, hi)`, `margin` mm below it.
    fn scale_bar(&mut self, (lo, hi): (PointMm, PointMm), margin: f64) {
        let font = self.font;
        let bar = scale_bar_mm(hi.x - lo.x);
        let (bx, by) = (lo.x, hi.y + margin * 0.6);
        let _ = write!(
            self.s,
            r##"<rect x="{bx:.2}" y="{by:.2}" width="{bar:.2}" height="{:.2}" fill="#1d2731"/><text x="{:.2}" y="{:.2}" fill="#1d2731">{bar:.0} mm</text>"##,
            font * 0.35,
            bx + bar + font * 0.5,
            by + font * 0.4
        );
    }
}

fn centroid(poly: &[PointMm]) -> PointMm {
    let n = poly.len().max(1) as f64;
    let (x, y) = poly.iter().fold((0.0, 0.0), |(x, y), p| (x + p.x, y + p.y));
    PointMm::new(x / n, y / n)
}

/// Text safe inside an SVG element.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use smp_design::Pattern;

    #[test]
    fn norwood_template_hairline_is_80_mm_above_the_glabella() {
        let d = Pattern::Norwood(5).template().unwrap();
        let dims = hairline_dims(&d).unwrap();
        assert!((dims.height_mm.unwrap() - 80.0).abs() < 1e-9);
        assert!((dims.width_mm - 120.0).abs() < 1e-9);
        assert!(hairline_svg(&d).contains("80 mm"));
    }
}
