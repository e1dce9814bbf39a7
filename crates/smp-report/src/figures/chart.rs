//! The session chart: impressions per session (bars) and the running total (line), as
//! SVG drawn by plotters.

use plotters::prelude::*;
use smp_plan::Plan;

use crate::error::ReportError;
use crate::world::FONT_FAMILY;

/// Chart size in SVG pixels; the page scales it to the column width.
const SIZE_PX: (u32, u32) = (560, 250);

const BAR: RGBColor = RGBColor(91, 107, 122);
const LINE: RGBColor = RGBColor(179, 38, 30);

/// The chart of `plan`'s sessions as SVG.
pub fn sessions_svg(plan: &Plan) -> Result<String, ReportError> {
    let mut svg = String::new();
    draw(plan, &mut svg).map_err(|e| ReportError::Chart(e.to_string()))?;
    Ok(svg)
}

fn draw(plan: &Plan, svg: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let n = plan.sessions.len();
    let total = plan.impressions.max(1) as f64;
    let root = SVGBackend::with_string(svg, SIZE_PX).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(0.5f64..n as f64 + 0.5, 0.0..total * 1.08)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| format!("session {}", x.round() as i64))
        .y_label_formatter(&|y| crate::format::count(y.max(0.0).round() as u64))
        .y_desc("impressions")
        .label_style((FONT_FAMILY, 18))
        .axis_desc_style((FONT_FAMILY, 18))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .y_labels(6)
        .draw()?;
    chart
        .draw_series(plan.sessions.iter().enumerate().map(|(i, s)| {
            let x = i as f64 + 1.0;
            Rectangle::new([(x - 0.3, 0.0), (x + 0.3, s.impressions as f64)], BAR.filled())
        }))?
        .label("impressions in the session")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAR.filled()));
    let cumulative: Vec<(f64, f64)> = plan
        .sessions
        .iter()
        .enumerate()
        .scan(0usize, |sum, (i, s)| {
            *sum += s.impressions;
            Some((i as f64 + 1.0, *sum as f64))
        })
        .collect();
    chart
        .draw_series(std::iter::once(PathElement::new(cumulative.clone(), LINE.stroke_width(3))))?
        .label("total so far")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], LINE.stroke_width(3)));
    chart.draw_series(cumulative.iter().map(|&p| Circle::new(p, 5, LINE.filled())))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT_FAMILY, 18))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(200, 200, 200))
        .draw()?;
    root.present()?;
    Ok(())
}
