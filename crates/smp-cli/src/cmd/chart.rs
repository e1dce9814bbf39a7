//! `smp color chart`: find a ColorChecker colour chart in a view's photo (or read it at
//! four clicks) and store the colour correction it gives in the view.

use std::path::PathBuf;

use clap::Args;
use smp_design::Design;
use smp_photo::chart::{find_chart, read_chart, with_chart};

use crate::cmd::calibrate::numbers;
use crate::cmd::preview::{load_view_photo, pick_view};
use crate::error::CliError;
use crate::output::{progress, write_atomic};

/// Arguments of `smp color chart`.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// The design whose view's photo shows the chart (updated in place unless -o).
    design: PathBuf,
    /// The view (default: the design's only or first view).
    #[arg(long)]
    view: Option<String>,
    /// The centres of the chart's four corner patches, pixels "X,Y" ×4, in any order:
    /// dark skin (brown), bluish green, black and white (default: found by itself).
    #[arg(long, num_args = 4, value_names = ["X,Y", "X,Y", "X,Y", "X,Y"])]
    corners: Option<Vec<String>>,
    /// Write the design here instead of updating it in place.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
    /// Machine-readable result on stdout (see the README).
    #[arg(long)]
    json: bool,
}

/// Run `smp color chart`.
pub fn run(a: ChartArgs) -> Result<(), CliError> {
    let design = Design::load(&a.design)?;
    let view = pick_view(&design, a.view.as_deref())?;
    let name = view.name.clone();
    let points = match &a.corners {
        Some(corners) => {
            let mut points = [[0.0; 2]; 4];
            for (p, s) in points.iter_mut().zip(corners) {
                let v = numbers(s, 2, "--corners")?;
                *p = [v[0], v[1]];
            }
            Some(points)
        }
        None => None,
    };
    // The clicks are in the photo as stored: read it at the view's own size.
    let (photo, _) = load_view_photo(&a.design, view, None, a.quiet)?;
    if view.photo_size_px.is_some_and(|s| s != [photo.width(), photo.height()]) {
        return Err(CliError::BadInput(format!(
            "the photo of view {name:?} is no longer the size it was calibrated on: calibrate the view again, then read the chart"
        )));
    }
    let r = match points {
        Some(points) => {
            progress(a.quiet, "reading the colour chart at the points given…");
            read_chart(&photo, points).map_err(|e| CliError::BadInput(format!("--corners: {e}")))?
        }
        None => {
            progress(a.quiet, "looking for the colour chart…");
            find_chart(&photo).map_err(|e| CliError::BadInput(e.to_string()))?
        }
    };
    let updated = with_chart(&design, &name, r.record)?;
    let out = a.output.clone().unwrap_or_else(|| a.design.clone());
    write_atomic(&out, updated.to_json().as_bytes())?;
    progress(
        a.quiet,
        &format!(
            "colour chart read in view {name:?}: its patches fit to ΔE00 {:.1} on average ({:.1} at worst); colours read from this photo now go through it; wrote {}",
            r.record.residual_delta_e00,
            r.record.worst_delta_e00,
            out.display()
        ),
    );
    if a.json {
        let patches: Vec<serde_json::Value> = r
            .patches
            .iter()
            .map(|(name, c, de)| serde_json::json!({ "name": name, "centre_px": c, "delta_e00": de }))
            .collect();
        println!(
            "{}",
            serde_json::json!({
                "view": name,
                "chart": {
                    "located": if points.is_some() { "clicked" } else { "found" },
                    "corner_patches_px": r.record.corner_patches_px,
                    "white_balance": r.correction.white_balance(),
                    "residual_delta_e00": r.record.residual_delta_e00,
                    "worst_delta_e00": r.record.worst_delta_e00,
                    "patches": patches,
                }
            })
        );
    }
    Ok(())
}
