//! Writers for impressions: CSV, JSON, true-scale SVG stencil, and the needle path as
//! CSV or G-code. Column names and JSON fields are a stable interface (README).

use std::fmt::Write;

use serde::Serialize;
use smp_design::{Design, PointMm, RegionKind};

use crate::impressions::Impression;

/// Header of the impressions CSV.
pub const CSV_HEADER: &str = "x_mm,y_mm,diameter_mm,shade,session,unit,region";

fn csv_row(out: &mut String, d: &Impression, design: &Design) {
    let name = &design.regions()[d.region as usize].name;
    let _ = write!(
        out,
        "{:.3},{:.3},{:.3},{:.3},{},{},{}",
        d.x_mm,
        d.y_mm,
        d.diameter_mm,
        d.shade,
        d.session,
        d.unit,
        csv_field(name)
    );
}

/// Quote a CSV field when it holds a separator, quote or newline (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Impressions as CSV with [`CSV_HEADER`]; `region` is the region's name.
pub fn csv<'a>(design: &Design, dots: impl IntoIterator<Item = &'a Impression>) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for d in dots {
        csv_row(&mut out, d, design);
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct JsonDot<'a> {
    x_mm: f64,
    y_mm: f64,
    diameter_mm: f64,
    shade: f64,
    session: u8,
    unit: u32,
    region: &'a str,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    format: &'static str,
    version: u32,
    design: &'a str,
    count: usize,
    impressions: Vec<JsonDot<'a>>,
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Impressions as the `smp-impressions` JSON document (version 1).
pub fn json<'a>(design: &'a Design, dots: impl IntoIterator<Item = &'a Impression>) -> String {
    let impressions: Vec<JsonDot> = dots
        .into_iter()
        .map(|d| JsonDot {
            x_mm: round3(d.x_mm),
            y_mm: round3(d.y_mm),
            diameter_mm: round3(d.diameter_mm),
            shade: round3(d.shade),
            session: d.session,
            unit: d.unit,
            region: &design.regions()[d.region as usize].name,
        })
        .collect();
    let doc = JsonDoc {
        format: "smp-impressions",
        version: 1,
        design: design.name(),
        count: impressions.len(),
        impressions,
    };
    let mut s = serde_json::to_string(&doc).expect("plain data serialises");
    s.push('\n');
    s
}

/// Session colours of the stencil (colour-blind-safe Okabe–Ito order).
pub const SESSION_COLOURS: [&str; 6] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A true-scale SVG (width and height in mm, 1 user unit = 1 mm) of the impressions,
/// region outlines and hairline, sessions in distinct colours: printed at 100 % it is a
/// 1:1 stencil.
pub fn svg<'a>(design: &Design, dots: impl IntoIterator<Item = &'a Impression>) -> String {
    let dots: Vec<&Impression> = dots.into_iter().collect();
    let mut pts: Vec<PointMm> = design.regions().iter().flat_map(|r| r.polygon.iter().copied()).collect();
    if let Some(h) = design.hairline() {
        pts.extend(h.points.iter().copied());
    }
    let (lo, hi) = smp_design::geometry::bounds(&pts);
    let margin = 10.0;
    let (x0, y0) = (lo.x - margin, lo.y - margin);
    let (w, h) = (hi.x - lo.x + 2.0 * margin, hi.y - lo.y + 2.0 * margin + 10.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.1}mm" height="{h:.1}mm" viewBox="{x0:.2} {y0:.2} {w:.2} {h:.2}">"#
    );
    let _ = writeln!(
        s,
        "<title>{} — {} impressions, 1:1 scale</title>",
        escape_xml(design.name()),
        dots.len()
    );
    let _ = writeln!(s, r#"<rect x="{x0:.2}" y="{y0:.2}" width="{w:.2}" height="{h:.2}" fill="white"/>"#);
    for r in design.regions() {
        let stroke = match r.kind {
            RegionKind::Exclude => "#C00000",
            RegionKind::Scar => "#7F3FBF",
            RegionKind::Blend => "#999999",
            RegionKind::Treat => "#444444",
        };
        let points: Vec<String> = r.polygon.iter().map(|p| format!("{:.2},{:.2}", p.x, p.y)).collect();
        let _ = writeln!(
            s,
            r#"<polygon points="{}" fill="none" stroke="{stroke}" stroke-width="0.3" stroke-dasharray="{}"><title>{} ({})</title></polygon>"#,
            points.join(" "),
            if r.kind == RegionKind::Exclude { "1 1" } else { "none" },
            escape_xml(&r.name),
            r.kind.as_str()
        );
    }
    if let Some(hl) = design.hairline() {
        let points: Vec<String> = hl.points.iter().map(|p| format!("{:.2},{:.2}", p.x, p.y)).collect();
        let _ = writeln!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#C05000" stroke-width="0.4" stroke-dasharray="2 1"><title>hairline</title></polyline>"##,
            points.join(" ")
        );
    }
    for d in &dots {
        let colour = SESSION_COLOURS[usize::from(d.session.saturating_sub(1)) % SESSION_COLOURS.len()];
        let _ = writeln!(
            s,
            r#"<circle cx="{:.3}" cy="{:.3}" r="{:.3}" fill="{colour}"/>"#,
            d.x_mm,
            d.y_mm,
            d.diameter_mm / 2.0
        );
    }
    // A 10 mm scale bar to check the print scale.
    let (bx, by) = (x0 + 5.0, y0 + h - 6.0);
    let _ = writeln!(
        s,
        r#"<line x1="{bx:.2}" y1="{by:.2}" x2="{:.2}" y2="{by:.2}" stroke="black" stroke-width="0.5"/><text x="{bx:.2}" y="{:.2}" font-size="3" font-family="sans-serif">10 mm</text>"#,
        bx + 10.0,
        by - 1.5
    );
    s.push_str("</svg>\n");
    s
}

/// The needle path as CSV: the impressions in working order with the travel to each.
pub fn path_csv(design: &Design, dots: &[&Impression], order: &[usize]) -> String {
    let mut out = format!("order,{CSV_HEADER},travel_mm\n");
    let mut prev: Option<PointMm> = None;
    for (k, &i) in order.iter().enumerate() {
        let d = dots[i];
        let travel = prev.map_or(0.0, |p| p.dist(d.pos()));
        let _ = write!(out, "{},", k + 1);
        csv_row(&mut out, d, design);
        let _ = writeln!(out, ",{travel:.3}");
        prev = Some(d.pos());
    }
    out
}

/// Height the needle lifts to between impressions, mm (G-code).
pub const GCODE_LIFT_MM: f64 = 1.0;

/// The needle path as G-code (mm, absolute): lift, travel, touch down per impression.
/// Depth is set on the device; Z0 is the skin surface.
pub fn gcode(design: &Design, dots: &[&Impression], order: &[usize], session_label: &str) -> String {
    let mut out = String::new();
    let length = crate::path::path_length_mm(&dots.iter().map(|d| d.pos()).collect::<Vec<_>>(), order);
    let _ = writeln!(
        out,
        "; SMP Studio needle path: design {:?}, {session_label}, {} impressions",
        design.name(),
        order.len()
    );
    let _ = writeln!(
        out,
        "; design coordinates in mm (X to the client's right, Y towards the back); travel {length:.1} mm"
    );
    let _ = writeln!(out, "; Z0 = skin surface, needle depth is set on the device");
    out.push_str("G21\nG90\n");
    let _ = writeln!(out, "G0 Z{GCODE_LIFT_MM:.3}");
    for &i in order {
        let d = dots[i];
        let _ = writeln!(out, "G0 X{:.3} Y{:.3}", d.x_mm, d.y_mm);
        let _ = writeln!(out, "G1 Z0.000 F600 ; d={:.2} shade={:.2} unit={}", d.diameter_mm, d.shade, d.unit);
        let _ = writeln!(out, "G0 Z{GCODE_LIFT_MM:.3}");
    }
    out.push_str("M2\n");
    out
}
