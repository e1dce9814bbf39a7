//! `smp plan`: area, sessions, needle time, dated schedule (ICS) and quote of a design.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use smp_design::Design;
use smp_plan::constants::{DEFAULT_RATE_PER_MIN, DEFAULT_SPACING_DAY, DEFAULT_SPACING_DAYS, SESSION_HOURS, SPACING_LIMITS_DAYS};
use smp_plan::{CivilDate, Plan, PlanError, PlanOptions, PriceList, Quote, RateRange, ics};

use crate::error::CliError;
use crate::output::{progress, write_atomic, write_out};

/// Arguments of `smp plan`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp plan client.json\n  smp plan client.json --start 2026-03-02 --ics sessions.ics\n  smp plan client.json --prices my-clinic.json --rate 70 --spacing-days 14 --json\n\nThe price list format is documented in crates/smp-plan/src/cost.rs; the default is\ncrates/smp-plan/data/prices-uk.json."
)]
pub struct PlanArgs {
    /// The design file.
    design: PathBuf,
    /// Clinic price list (JSON); the shipped UK list when absent.
    #[arg(long)]
    prices: Option<PathBuf>,
    /// Date of session 1, YYYY-MM-DD (without it the schedule is undated).
    #[arg(long, value_parser = parse_date)]
    start: Option<CivilDate>,
    /// Days between sessions, 7–30.
    #[arg(long, default_value_t = DEFAULT_SPACING_DAY)]
    spacing_days: u32,
    /// Typical needle rate, impressions per minute (derived default 60, range 40–80).
    #[arg(long, default_value_t = DEFAULT_RATE_PER_MIN)]
    rate: f64,
    /// Write the schedule as an iCalendar file (needs --start).
    #[arg(long)]
    ics: Option<PathBuf>,
    /// Machine-readable JSON.
    #[arg(long)]
    json: bool,
    /// Output file (stdout when absent).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

fn parse_date(s: &str) -> Result<CivilDate, String> {
    CivilDate::parse(s).map_err(|e| e.to_string())
}

/// A plan-stage error as a CLI error (bad input → exit 2, I/O → exit 1).
pub fn plan_error(e: PlanError) -> CliError {
    match e {
        PlanError::BadInput(m) => CliError::BadInput(m),
        e @ PlanError::Io { .. } => CliError::Other(e.to_string()),
    }
}

/// The JSON of `smp plan --json`.
#[derive(Serialize)]
struct PlanJson<'a> {
    #[serde(flatten)]
    plan: &'a Plan,
    cost: &'a Quote,
}

/// Run `smp plan`.
pub fn run(a: PlanArgs) -> Result<(), CliError> {
    // A missing folder or an unwritable file is said before any work.
    for out in a.output.iter().chain(a.ics.iter()) {
        crate::output::check_writable(out)?;
    }
    let design = Design::load(&a.design)?;
    let prices = match &a.prices {
        Some(p) => PriceList::load(p).map_err(plan_error)?,
        None => PriceList::uk_default(),
    };
    let opts = PlanOptions {
        rate: RateRange::around(a.rate).map_err(plan_error)?,
        spacing_days: a.spacing_days,
        start: a.start,
    };
    if a.ics.is_some() && a.start.is_none() {
        return Err(CliError::BadInput("--ics needs a start date: add --start YYYY-MM-DD".into()));
    }
    progress(a.quiet, &format!("sampling {}…", design.name()));
    let imp = smp_dots::generate(&design);
    let plan = Plan::new(&design, &imp, &opts).map_err(plan_error)?;
    let quote = prices.quote(&plan);
    if let Some(path) = &a.ics {
        let text = ics::calendar(&plan, design.name(), &ics::utc_stamp_now()).map_err(plan_error)?;
        write_atomic(path, text.as_bytes())?;
        progress(a.quiet, &format!("wrote the schedule to {}", path.display()));
    }
    let text = if a.json {
        serde_json::to_string_pretty(&PlanJson { plan: &plan, cost: &quote }).expect("plan serialises") + "\n"
    } else {
        human(&plan, &quote)
    };
    write_out(a.output.as_deref(), text.as_bytes())
}

fn human(p: &Plan, q: &Quote) -> String {
    let r = p.rate_per_min;
    let mut out = format!(
        "{}: {:.1} cm² treated, {} impressions in {} sessions, {} days apart (usual {}–{}, allowed {}–{})\n",
        p.design,
        p.area_cm2,
        p.impressions,
        p.sessions.len(),
        p.spacing_days,
        DEFAULT_SPACING_DAYS.0,
        DEFAULT_SPACING_DAYS.1,
        SPACING_LIMITS_DAYS.0,
        SPACING_LIMITS_DAYS.1
    );
    out.push_str("\nregion               kind     area cm²\n");
    for reg in &p.regions {
        out.push_str(&format!("{:<20} {:<8} {:>8.1}\n", reg.name, reg.kind.as_str(), reg.area_cm2));
    }
    out.push_str(&format!(
        "\nsession  date        impressions  needle h ({:.0}–{:.0}/min)   done\n",
        r.max, r.min
    ));
    for s in &p.sessions {
        out.push_str(&format!(
            "{:>7}  {:<10}  {:>11}  {:>9.1}–{:<9.1} {:>5.0} %\n",
            s.session,
            s.date.map_or("–".into(), |d| d.to_string()),
            s.impressions,
            s.minutes_min / 60.0,
            s.minutes_max / 60.0,
            s.cumulative_fraction * 100.0
        ));
    }
    let (lo, hi) = p.total_minutes();
    out.push_str(&format!(
        "total needle time {:.1}–{:.1} h (sessions usually take {:.0}–{:.0} h in the chair)\n",
        lo / 60.0,
        hi / 60.0,
        SESSION_HOURS.0,
        SESSION_HOURS.1
    ));
    let touch: Vec<String> = p
        .touch_ups
        .iter()
        .map(|t| t.date.map_or(format!("{} years", t.years), |d| format!("{} years ({d})", t.years)))
        .collect();
    out.push_str(&format!(
        "touch-ups every {}–{} years after the last session: {}\n",
        p.touch_up_years[0],
        p.touch_up_years[1],
        touch.join(", ")
    ));
    for a in &p.advice {
        out.push_str(&format!("advice: {a}\n"));
    }
    let money = |min: f64, max: f64| smp_plan::words::money_range(&q.currency, min, max);
    out.push_str(&format!("\nquote: {}\n", money(q.min, q.max)));
    for l in &q.breakdown {
        out.push_str(&format!(
            "  {:<70} {:>17}{}\n",
            l.item,
            money(l.min, l.max),
            if l.included { "" } else { " (not included)" }
        ));
    }
    out.push_str("what drives it:\n");
    for d in &q.drivers {
        out.push_str(&format!("  - {d}\n"));
    }
    out
}
