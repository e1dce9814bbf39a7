//! SMP Studio client report: the treatment plan, before/after previews, the hairline
//! drawing, the session chart, pigment, quote, schedule, aftercare, risks, removal,
//! alternatives and evidence as one A4 PDF. typst runs as a library in memory with its
//! embedded fonts: nothing is read from disk or fetched.

pub mod card;
pub mod constants;
pub mod document;
pub mod error;
pub mod facts;
pub mod figures;
pub mod format;
pub mod info;
pub mod input;
pub mod literal;
pub mod passport;
pub mod previews;
pub mod world;

pub use error::ReportError;
pub use facts::{Facts, SkinTypeSource};
pub use input::{ClientPhoto, ProgressPhotos, ReportInput};
pub use smp_photo::card::align::LinedUpBy;

/// A finished report: the PDF and the figures it states.
#[derive(Debug, Clone)]
pub struct Report {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// The figures in it.
    pub facts: Facts,
}

/// Steps of [`render_report_with_progress`], reported before each starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Sampling the design's impressions.
    Impressions,
    /// Plan, quote, colour match and removal estimate.
    Figures,
    /// Rendering the previews.
    Previews,
    /// Laying out and writing the PDF.
    Typeset,
}

/// The report of `input` as PDF bytes.
pub fn render_report(input: &ReportInput<'_>) -> Result<Vec<u8>, ReportError> {
    render_report_with_progress(input, |_| {}).map(|r| r.pdf)
}

/// The report of `input`, calling `progress` before each long step (for a CLI's
/// messages or a server's status).
pub fn render_report_with_progress(input: &ReportInput<'_>, mut progress: impl FnMut(Step)) -> Result<Report, ReportError> {
    let view = facts::view(input)?;
    // Refuse unknown region pigments before any slow step.
    smp_render::preview::region_inks(input.design, input.pigments)
        .map_err(|e| ReportError::BadInput(format!("design {:?}: {e}", input.design.name())))?;
    progress(Step::Impressions);
    let imp = smp_dots::generate(input.design);
    progress(Step::Figures);
    let facts = facts::facts(input, &imp)?;
    progress(Step::Previews);
    let pictures = previews::pictures(input.photo.image, input.design, view, &imp, input.pigments)?;
    let progress_pair = input.progress.as_ref().map(previews::progress_pictures).transpose()?;
    progress(Step::Typeset);
    let info = info::Info::builtin();
    let data = document::data(input, &facts, &pictures, progress_pair.as_ref(), &info);
    let source = document::source(&data);
    let hairline = figures::hairline::hairline_svg(input.design);
    let chart = figures::chart::sessions_svg(&facts.plan)?;
    let files: Vec<&previews::Picture> = pictures.iter().chain(progress_pair.iter().flatten()).collect();
    let pdf = document::compile(source, &files, hairline, chart, input.date)?;
    Ok(Report { pdf, facts })
}
