//! `smp report`: the client's PDF report of a design.

use std::path::PathBuf;

use clap::Args;
use image::RgbImage;
use smp_color::pigments::PigmentLibrary;
use smp_design::Design;
use smp_design::View;
use smp_plan::constants::{DEFAULT_RATE_PER_MIN, DEFAULT_SPACING_DAY};
use smp_plan::{CivilDate, PlanOptions, PriceList, RateRange};
use smp_report::{ClientPhoto, LinedUpBy, ProgressPhotos, ReportError, ReportInput, Step};

use crate::cmd::color::parse_lab;
use crate::cmd::plan::plan_error;
use crate::cmd::preview::{load_view_photo, photo_error, pick_view};
use crate::error::CliError;
use crate::output::{Step as Phase, progress, step, write_atomic};
use smp_photo::decode::{PhotoLimits, load_photo};

/// Arguments of `smp report`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp report client.json --view top --client \"Sam Smith\" --clinic \"Scalp Studio London\" -o report.pdf\n  smp report client.json --photo top.jpg --start 2026-03-02 --prices my-clinic.json -o report.pdf\n  smp report client.json --view top --fitzpatrick 3 --hair 22,4,5 -o report.pdf\n  smp report client.json --view top --earlier-view top-march --earlier-date 2026-03-02 -o report.pdf\n\nThe report states the plan (smp plan), the pigment match (smp color match) and the removal\nestimate (smp removal) of the design; the previews are rendered on the view's photo.\n--photo replaces the view's photo file (the design's only view is used without --view)."
)]
pub struct ReportArgs {
    /// The design file.
    design: PathBuf,
    /// The client's photo; defaults to the view's file.
    #[arg(long)]
    photo: Option<PathBuf>,
    /// The calibrated view of the design to use (needed when it has several).
    #[arg(long)]
    view: Option<String>,
    /// Clinic price list (JSON); the shipped UK list when absent.
    #[arg(long)]
    prices: Option<PathBuf>,
    /// The client's name as printed.
    #[arg(long, default_value = "Client")]
    client: String,
    /// The clinic's name as printed.
    #[arg(long, default_value = "SMP clinic")]
    clinic: String,
    /// Date of session 1, YYYY-MM-DD (without it the schedule is undated).
    #[arg(long, value_parser = parse_date)]
    start: Option<CivilDate>,
    /// Date printed on the report, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_parser = parse_date)]
    date: Option<CivilDate>,
    /// The client's Fitzpatrick skin type 1–6 (default: estimated from the photo).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=6))]
    fitzpatrick: Option<u8>,
    /// Scarring at the treated site for the removal estimate: none, minimal, moderate or
    /// significant (default: minimal when the design has scar regions, else none).
    #[arg(long, value_parser = parse_scarring)]
    scarring: Option<smp_plan::removal::Scarring>,
    /// Skin colour "L,a,b" measured by the clinic (default: sampled from the photo).
    #[arg(long, allow_hyphen_values = true)]
    skin: Option<String>,
    /// Hair colour "L,a,b" measured by the clinic (default: sampled from the photo).
    #[arg(long, allow_hyphen_values = true)]
    hair: Option<String>,
    /// Days between sessions, 7–30.
    #[arg(long, default_value_t = DEFAULT_SPACING_DAY)]
    spacing_days: u32,
    /// Typical needle rate, impressions per minute (derived default 60, range 40–80).
    #[arg(long, default_value_t = DEFAULT_RATE_PER_MIN)]
    rate: f64,
    /// A photo of the same view from an earlier visit: the report shows the two side by
    /// side, the later one lined up with it.
    #[arg(long)]
    earlier_photo: Option<PathBuf>,
    /// The design's view calibrated on the earlier photo (then the head itself lines up;
    /// without it, the card held in both photos does). Its own photo file is used when
    /// --earlier-photo is not given.
    #[arg(long)]
    earlier_view: Option<String>,
    /// Day the earlier photo was taken, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    earlier_date: Option<CivilDate>,
    /// Day this visit's photo was taken, YYYY-MM-DD (default: the report's date).
    #[arg(long, value_parser = parse_date)]
    photo_date: Option<CivilDate>,
    /// Output PDF file.
    #[arg(short, long)]
    output: PathBuf,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

fn parse_date(s: &str) -> Result<CivilDate, String> {
    CivilDate::parse(s).map_err(|e| e.to_string())
}

/// Today's date (UTC) from the system clock.
fn today() -> CivilDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    CivilDate::from_epoch_days((secs / 86_400) as i64)
}

fn report_error(e: ReportError) -> CliError {
    if e.is_bad_input() {
        CliError::BadInput(e.to_string())
    } else {
        CliError::Other(e.to_string())
    }
}

/// Run `smp report`.
pub fn run(a: ReportArgs) -> Result<(), CliError> {
    crate::output::check_writable(&a.output)?;
    let design = Design::load(&a.design)?;
    let view = pick_view(&design, a.view.as_deref())?;
    let prices = match &a.prices {
        Some(p) => PriceList::load(p).map_err(plan_error)?,
        None => PriceList::uk_default(),
    };
    let plan = PlanOptions {
        rate: RateRange::around(a.rate).map_err(plan_error)?,
        spacing_days: a.spacing_days,
        start: a.start,
    };
    let skin_lab = a.skin.as_deref().map(|s| parse_lab("--skin", s)).transpose()?;
    let hair_lab = a.hair.as_deref().map(|s| parse_lab("--hair", s)).transpose()?;
    let (image, view) = load_view_photo(&a.design, view, a.photo.as_deref(), a.quiet)?;
    let view = &view;
    let pigments = PigmentLibrary::builtin();
    let earlier = earlier_photo(&a, &design, view, &image)?;
    let date = a.date.unwrap_or_else(today);
    let visits = earlier.as_ref().map(|e| ProgressPhotos {
        view: &view.name,
        earlier: &e.earlier,
        earlier_date: a.earlier_date,
        later: &e.later,
        later_date: Some(a.photo_date.unwrap_or(date)),
        lined_up_by: e.by,
    });
    let input = ReportInput {
        design: &design,
        photo: ClientPhoto {
            view: &view.name,
            image: &image,
        },
        prices: &prices,
        pigments: &pigments,
        client: &a.client,
        clinic: &a.clinic,
        date,
        plan: &plan,
        fitzpatrick: a.fitzpatrick,
        scarring: a.scarring,
        skin_lab,
        hair_lab,
        progress: visits,
    };
    let t = std::time::Instant::now();
    let report = render_with_progress(&input, &a)?;
    write_atomic(&a.output, &report.pdf)?;
    progress(
        a.quiet,
        &format!(
            "wrote {} ({} KB) in {:.1} s",
            a.output.display(),
            report.pdf.len() / 1024,
            t.elapsed().as_secs_f64()
        ),
    );
    Ok(())
}

/// The report, each step said as it starts and ends (quiet under `-q`).
fn render_with_progress(input: &ReportInput, a: &ReportArgs) -> Result<smp_report::Report, CliError> {
    let mut phase: Option<(Phase, &'static str)> = None;
    let report = smp_report::render_report_with_progress(input, |s| {
        let (msg, done) = match s {
            Step::Impressions => (
                format!("sampling the impressions of {}…", input.design.name()),
                "sampled the impressions",
            ),
            Step::Figures => (
                "computing the plan, quote, pigment match and removal estimate…".into(),
                "computed the figures",
            ),
            Step::Previews => ("rendering the previews (fresh, healed, aged)…".into(), "rendered the previews"),
            Step::Typeset => ("laying out the PDF…".into(), "laid out the PDF"),
        };
        if let Some((p, said)) = phase.take() {
            p.done(said);
        }
        phase = Some((step(a.quiet, &msg), done));
    })
    .map_err(|e| match report_error(e) {
        CliError::BadInput(m) => CliError::BadInput(format!("{}: {m}", a.design.display())),
        other => other,
    })?;
    if let Some((p, said)) = phase.take() {
        p.done(said);
    }
    Ok(report)
}

/// The earlier visit's photo as taken and this visit's redrawn in its frame.
struct EarlierVisit {
    earlier: RgbImage,
    later: RgbImage,
    by: LinedUpBy,
}

/// The earlier visit's photo (`--earlier-photo`, else `--earlier-view`'s file) and this
/// one lined up with it, when either option is given.
fn earlier_photo(a: &ReportArgs, design: &Design, view: &View, image: &RgbImage) -> Result<Option<EarlierVisit>, CliError> {
    let earlier_view = a.earlier_view.as_deref().map(|n| pick_view(design, Some(n))).transpose()?;
    let (earlier, earlier_map) = match (&a.earlier_photo, earlier_view) {
        (None, None) => return Ok(None),
        (photo, Some(v)) => {
            let (img, fitted) = load_view_photo(&a.design, v, photo.as_deref(), a.quiet)?;
            (img, Some(fitted.mm_to_px))
        }
        (Some(path), None) => {
            progress(a.quiet, &format!("decoding {}…", path.display()));
            (load_photo(path, PhotoLimits::default()).map_err(photo_error)?, None)
        }
    };
    progress(a.quiet, "lining up this visit's photo with the earlier one…");
    let (later, by) = smp_photo::card::align::line_up(&earlier, earlier_map.as_ref(), image, Some(&view.mm_to_px));
    progress(a.quiet, by.words());
    Ok(Some(EarlierVisit { earlier, later, by }))
}

fn parse_scarring(s: &str) -> Result<smp_plan::removal::Scarring, String> {
    s.parse()
}
