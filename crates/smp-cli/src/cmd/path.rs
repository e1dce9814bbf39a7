//! `smp path`: the impressions of a session in a short working order, as G-code or CSV.

use std::path::PathBuf;

use clap::Args;
use smp_design::Design;
use smp_dots::{export, impressions, path};

use crate::cmd::{selection, selection_label};
use crate::error::CliError;
use crate::output::{progress, step, write_out};

/// Arguments of `smp path`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp path client.json --session 1 -o session1.gcode\n  smp path client.json --session 2 -o session2.csv\n\nThe order is a nearest-neighbour path improved by 2-opt and Or-opt; its length is\nprinted next to the minimum-spanning-tree length, a lower bound for any path."
)]
pub struct PathArgs {
    /// The design file.
    design: PathBuf,
    /// The session to plan (1-based).
    #[arg(long)]
    session: Option<u8>,
    /// Sessions 1 to N in one path.
    #[arg(long)]
    upto: Option<u8>,
    /// Output file: .gcode (or .nc) for G-code, .csv for CSV.
    #[arg(short, long)]
    output: PathBuf,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Run `smp path`.
pub fn run(a: PathArgs) -> Result<(), CliError> {
    // A missing folder or an unwritable file is said before any work.
    crate::output::check_writable(&a.output)?;
    let design = Design::load(&a.design)?;
    if a.session.is_none() && a.upto.is_none() {
        return Err(CliError::BadInput(
            "choose the session to plan with --session N (or --upto N)".into(),
        ));
    }
    let sel = selection(a.session, a.upto, design.sessions().count())?;
    let ext = a.output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let gcode = match ext.as_deref() {
        Some("gcode" | "nc" | "ngc") => true,
        Some("csv") => false,
        _ => {
            return Err(CliError::BadInput(format!(
                "{}: use a .gcode or .csv file name",
                a.output.display()
            )));
        }
    };
    let sampling = step(a.quiet, &format!("sampling {}…", design.name()));
    let imp = impressions::generate(&design);
    sampling.done(&format!("sampled {} impressions", imp.dots.len()));
    let dots: Vec<_> = imp.select(sel).collect();
    let points: Vec<_> = dots.iter().map(|d| d.pos()).collect();
    let ordering = step(
        a.quiet,
        &format!("ordering {} impressions of {}…", dots.len(), selection_label(sel)),
    );
    let order = path::plan_path(&points);
    ordering.done("ordered the path");
    let length = path::path_length_mm(&points, &order);
    let mst = path::mst_length_mm(&points);
    let text = if gcode {
        export::gcode(&design, &dots, &order, &selection_label(sel))
    } else {
        export::path_csv(&design, &dots, &order)
    };
    write_out(Some(&a.output), text.as_bytes())?;
    let ratio = if mst > 0.0 { length / mst } else { 1.0 };
    progress(
        a.quiet,
        &format!(
            "wrote {} impressions to {}: travel {:.0} mm, {:.3} × the spanning-tree bound ({:.0} mm)",
            dots.len(),
            a.output.display(),
            length,
            ratio,
            mst
        ),
    );
    Ok(())
}
