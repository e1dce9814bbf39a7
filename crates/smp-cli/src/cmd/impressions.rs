//! `smp impressions`: the impressions of a design as CSV, JSON or SVG, or their figures.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use smp_design::Design;
use smp_dots::field::DensityField;
use smp_dots::{export, impressions, stats};

use crate::cmd::{selection, selection_label};
use crate::error::CliError;
use crate::output::{progress, write_out};

/// Output formats of `smp impressions`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// x_mm,y_mm,diameter_mm,shade,session,unit,region.
    Csv,
    /// {"format":"smp-impressions","version":1,…}.
    Json,
    /// True-scale stencil (print at 100 %).
    Svg,
}

/// Arguments of `smp impressions`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp impressions client.json -o dots.csv\n  smp impressions client.json --session 1 --format svg -o session1.svg\n  smp impressions client.json --upto 2 --format json\n  smp impressions client.json --stats --json"
)]
pub struct ImpressionsArgs {
    /// The design file.
    design: PathBuf,
    /// Only this session (1-based).
    #[arg(long)]
    session: Option<u8>,
    /// Sessions 1 to N.
    #[arg(long)]
    upto: Option<u8>,
    /// Output format (csv unless the output file ends in .json or .svg).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Output file (stdout when absent).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Print figures (counts, ρ, spacing, per region and session) instead of dots.
    #[arg(long)]
    stats: bool,
    /// With --stats: machine-readable JSON.
    #[arg(long)]
    json: bool,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Run `smp impressions`.
pub fn run(a: ImpressionsArgs) -> Result<(), CliError> {
    // A missing folder or an unwritable file is said before any work.
    for out in a.output.iter() {
        crate::output::check_writable(out)?;
    }
    let design = Design::load(&a.design)?;
    let sel = selection(a.session, a.upto, design.sessions().count())?;
    progress(
        a.quiet,
        &format!(
            "sampling {} ({} regions, {} sessions)…",
            design.name(),
            design.regions().len(),
            design.sessions().count()
        ),
    );
    let t = std::time::Instant::now();
    let field = DensityField::new(&design);
    let imp = impressions::generate_in(&field);
    progress(
        a.quiet,
        &format!("{} impressions in {:.0} ms", imp.dots.len(), t.elapsed().as_secs_f64() * 1e3),
    );
    if a.stats {
        let s = stats::stats(&field, &imp);
        let text = if a.json {
            serde_json::to_string_pretty(&s).expect("stats serialise") + "\n"
        } else {
            human_stats(&s)
        };
        return write_out(a.output.as_deref(), text.as_bytes());
    }
    if a.json {
        return Err(CliError::BadInput(
            "--json goes with --stats; for the dots use --format json".into(),
        ));
    }
    let format = a
        .format
        .unwrap_or_else(|| match a.output.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()) {
            Some("json") => Format::Json,
            Some("svg") => Format::Svg,
            _ => Format::Csv,
        });
    let dots = imp.select(sel);
    let text = match format {
        Format::Csv => export::csv(&design, dots),
        Format::Json => export::json(&design, dots),
        Format::Svg => export::svg(&design, dots),
    };
    write_out(a.output.as_deref(), text.as_bytes())?;
    if let Some(p) = &a.output {
        progress(
            a.quiet,
            &format!(
                "wrote {} ({}) to {}",
                selection_label(sel),
                format!("{format:?}").to_lowercase(),
                p.display()
            ),
        );
    }
    Ok(())
}

fn human_stats(s: &stats::Stats) -> String {
    let fmt = |v: Option<f64>| v.map_or("–".into(), |v| format!("{v:.3}"));
    let mut out = format!(
        "{} impressions, ρ {}, closest pair {} mm\n",
        s.count,
        fmt(s.rho),
        fmt(s.min_spacing_mm)
    );
    out.push_str("region               kind     area cm²  /cm²   expected   count   ρ\n");
    for r in &s.regions {
        out.push_str(&format!(
            "{:<20} {:<8} {:>8.1} {:>5.0} {:>10.1} {:>7}   {}\n",
            r.name,
            r.kind.as_str(),
            r.area_cm2,
            r.target_density_per_cm2,
            r.expected_count,
            r.count,
            fmt(r.rho)
        ));
    }
    for x in &s.sessions {
        out.push_str(&format!(
            "session {}: {} impressions, {:.1} % cumulative\n",
            x.session,
            x.count,
            x.cumulative_fraction * 100.0
        ));
    }
    out
}
