//! Figures drawn for the report: the hairline drawing and the session chart (SVG).

pub mod chart;
pub mod hairline;
