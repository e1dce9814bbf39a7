//! `smp stubble`: count the client's own stubble tips in a close-up photo.

use std::path::PathBuf;

use clap::Args;
use smp_photo::decode::{PhotoLimits, load_photo};
use smp_photo::stubble::{StubbleOptions, detect_stubble};

use crate::error::CliError;
use crate::output::progress;

/// Arguments of `smp stubble`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp stubble --photo closeup.jpg --px-per-mm 30\n  smp stubble --photo closeup.jpg --px-per-mm 30 --region 200,150,800,600 --json\n  smp synth --pattern norwood-1 --closeup 30 --width 600 -o stubble.png --json\n\nTake the close-up square on to freshly shaved (1–2 days) native hair, in even light, with\na ruler in the picture to measure the scale: 25 px/mm or more resolves 0.08 mm tips.\nTips are found as dark blobs (Laplacian of Gaussian, 0.05–0.2 mm) at least 0.36 darker\nthan the skin around them. Blonde or grey stubble on light skin is too faint to count:\nthe result then carries a warning instead of a density to copy."
)]
pub struct StubbleArgs {
    /// The close-up photo (JPEG, PNG or WebP).
    #[arg(long)]
    photo: PathBuf,
    /// Scale of the skin in the photo, pixels per mm.
    #[arg(long)]
    px_per_mm: f64,
    /// Count only in this rectangle of the photo: x,y,w,h in pixels.
    #[arg(long)]
    region: Option<String>,
    /// Machine-readable result on stdout.
    #[arg(long)]
    json: bool,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// `x,y,w,h` in whole pixels.
fn parse_region(s: &str) -> Result<[u32; 4], CliError> {
    let bad = || CliError::BadInput(format!("--region {s:?}: give x,y,w,h in whole pixels, e.g. 200,150,800,600"));
    let v: Vec<u32> = s
        .split(',')
        .map(|p| p.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    <[u32; 4]>::try_from(v).map_err(|_| bad())
}

/// Run `smp stubble`.
pub fn run(a: StubbleArgs) -> Result<(), CliError> {
    if !(a.px_per_mm.is_finite() && a.px_per_mm > 0.0) {
        return Err(CliError::BadInput(format!(
            "--px-per-mm {} must be a positive number (measure it on a ruler in the photo)",
            a.px_per_mm
        )));
    }
    let region = a.region.as_deref().map(parse_region).transpose()?;
    // A missing, damaged or oversized photo is the user's input to fix: exit 2.
    let img = load_photo(&a.photo, PhotoLimits::default()).map_err(|e| CliError::BadInput(e.to_string()))?;
    progress(a.quiet, &format!("looking for stubble tips in {}…", a.photo.display()));
    let mut opts = StubbleOptions::new(a.px_per_mm);
    opts.region = region;
    let r = detect_stubble(&img, &opts).map_err(CliError::BadInput)?;
    let round = |v: f64, k: f64| (v * k).round() / k;
    let lab = |l: [f64; 3]| l.map(|c| round(c, 100.0));
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "count": r.count,
                "area_cm2": round(r.area_cm2, 1e4),
                "density_per_cm2": round(r.density_per_cm2, 100.0),
                "mean_diameter_mm": round(r.mean_diameter_mm, 1e4),
                "tip_lab": r.tip_lab.map(lab),
                "skin_lab": lab(r.skin_lab),
                "warnings": r.warnings,
            })
        );
    } else {
        println!("tips          {}", r.count);
        println!("area          {:.3} cm²", r.area_cm2);
        println!("density       {:.1} per cm²", r.density_per_cm2);
        println!("mean diameter {:.3} mm", r.mean_diameter_mm);
        match r.tip_lab {
            Some(t) => println!("tip colour    L* {:.1} a* {:.1} b* {:.1}", t[0], t[1], t[2]),
            None => println!("tip colour    –"),
        }
        let s = r.skin_lab;
        println!("skin colour   L* {:.1} a* {:.1} b* {:.1}", s[0], s[1], s[2]);
        for w in &r.warnings {
            println!("warning: {w}");
        }
    }
    Ok(())
}
