//! `smp photo analyze`: what the photo of a view shows (background, non-scalp skin,
//! bald, thinning or haired scalp, scar), the native coverage and the fringe; stored in
//! the view so blend dots go only where scalp shows.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use image::{Rgb, RgbImage};
use serde_json::json;
use smp_design::Design;
use smp_photo::analyze::{Analysis, LABEL_COLOURS, Seeds, analyze_into, draw_overlay, from_stored};
use smp_photo::decode::{PhotoLimits, load_photo};
use smp_photo::labels::Label;
use smp_render::label::draw_label;

use crate::cmd::calibrate::numbers;
use crate::cmd::preview::{photo_error, pick_view, view_photo_path, write_image};
use crate::error::CliError;
use crate::output::{progress, write_atomic};

/// `smp photo …` commands.
#[derive(Debug, Subcommand)]
pub enum PhotoCmd {
    /// Label what the photo shows (skin, bald, thinning, haired scalp, scar) and store it in the view.
    Analyze(AnalyzeArgs),
}

/// Arguments of `smp photo analyze`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp photo analyze client.json --view top -o top-labels.png\n  smp photo analyze client.json --view front --hair-px 640,410 --scalp-px 600,250 --json\n  smp photo analyze client.json --view top --reset-seeds\n\nThe labels are stored in the view (the design file is rewritten atomically) and from then on\nlimit blend regions to visible scalp, replacing the colour-sampled mask of `smp mask`\n(a hand-made mask's painted edits still win). Seed points (photo pixels) correct the\nanalysis as GrabCut does: they re-seed the hair and skin models and fix the label around\nthem; they are stored and reused by the next run (--reset-seeds drops them).\nAreas are photo areas through the view's scale (no correction for the head's curvature)."
)]
pub struct AnalyzeArgs {
    /// The design file.
    design: PathBuf,
    /// The view to analyse (needed when the design has several).
    #[arg(long)]
    view: Option<String>,
    /// The photo; defaults to the view's file.
    #[arg(long)]
    photo: Option<PathBuf>,
    /// A point on the client's hair, "X,Y" in photo pixels (repeatable).
    #[arg(long = "hair-px")]
    hair_px: Vec<String>,
    /// A point on bare scalp, "X,Y" in photo pixels (repeatable).
    #[arg(long = "scalp-px")]
    scalp_px: Vec<String>,
    /// Forget the seed points stored by earlier runs.
    #[arg(long)]
    reset_seeds: bool,
    /// Machine-readable result on stdout.
    #[arg(long)]
    json: bool,
    /// Write an overlay of the labels on the photo here (.png or .jpg).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Write the design with the analysis here instead of updating it in place.
    #[arg(long)]
    write_to: Option<PathBuf>,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Run a `smp photo` command.
pub fn run(c: PhotoCmd) -> Result<(), CliError> {
    match c {
        PhotoCmd::Analyze(a) => run_analyze(a),
    }
}

fn points(v: &[String], flag: &str, w: u32, h: u32) -> Result<Vec<[f64; 2]>, CliError> {
    v.iter()
        .map(|s| {
            let p = numbers(s, 2, flag)?;
            if !(0.0..f64::from(w)).contains(&p[0]) || !(0.0..f64::from(h)).contains(&p[1]) {
                return Err(CliError::BadInput(format!("{flag} {s} is outside the {w}×{h} photo")));
            }
            Ok([p[0], p[1]])
        })
        .collect()
}

/// Per label: photo area in cm² through the view's scale and mean native coverage.
fn label_figures(a: &Analysis, px_per_mm: f64) -> Vec<(Label, f64, f64)> {
    let m = &a.labels;
    let counts = m.pixel_counts();
    Label::ALL
        .iter()
        .map(|&l| {
            let (mut sum, mut n) = (0.0, 0usize);
            for (c, &code) in m.coverage.iter().zip(&m.labels) {
                if code == l.code() {
                    sum += f64::from(*c);
                    n += 1;
                }
            }
            let area_cm2 = counts[l.code() as usize] as f64 / (px_per_mm * px_per_mm) / 100.0;
            (l, area_cm2, if n > 0 { sum / n as f64 } else { 0.0 })
        })
        .collect()
}

/// What is said when a photo without a head outline got one from the client's outline.
pub(crate) fn found_outline(h: &smp_design::HeadEllipse) -> String {
    format!(
        "this photo had no head outline: the client's outline gives one centred at ({:.0}, {:.0}), {:.0} × {:.0} pixels, stored with the reading",
        h.center_px[0],
        h.center_px[1],
        2.0 * h.radii_px[0],
        2.0 * h.radii_px[1]
    )
}

/// The overlay with a legend in the top-left corner.
fn overlay_with_legend(photo: &RgbImage, a: &Analysis) -> RgbImage {
    let mut img = draw_overlay(photo, &a.labels, &a.outline_px, &a.fringe_px);
    let scale = (photo.width() / 400).clamp(1, 6);
    let row = 11 * scale;
    for (k, l) in Label::ALL.iter().enumerate() {
        let y = scale * 4 + k as u32 * row;
        let x = scale * 4;
        for py in y..(y + 8 * scale).min(img.height()) {
            for px in x..(x + 8 * scale).min(img.width()) {
                img.put_pixel(px, py, Rgb(LABEL_COLOURS[l.code() as usize]));
            }
        }
        draw_label(&mut img, x + 10 * scale, y, l.as_str(), scale);
    }
    img
}

fn run_analyze(a: AnalyzeArgs) -> Result<(), CliError> {
    if let Some(o) = &a.output {
        crate::output::check_writable(o)?;
    }
    let design = Design::load(&a.design)?;
    let view = pick_view(&design, a.view.as_deref())?;
    let photo_path = a.photo.clone().unwrap_or_else(|| view_photo_path(&a.design, view));
    let photo = load_photo(&photo_path, PhotoLimits::default()).map_err(photo_error)?;
    let (w, h) = (photo.width(), photo.height());
    let mut seeds = match (&view.analysis, a.reset_seeds) {
        (Some(s), false) => Seeds {
            hair_px: s.seeds.hair_px.clone(),
            scalp_px: s.seeds.scalp_px.clone(),
        },
        _ => Seeds::default(),
    };
    seeds.hair_px.extend(points(&a.hair_px, "--hair-px", w, h)?);
    seeds.scalp_px.extend(points(&a.scalp_px, "--scalp-px", w, h)?);
    let name = view.name.clone();
    let ppm = view.mm_to_px.px_per_mm();
    let had_head = view.head.is_some();
    let (result, updated) =
        analyze_into(&design, &name, &photo, &seeds).map_err(|e| CliError::BadInput(format!("{}: {e}", a.design.display())))?;
    // What is stored is what every later reader gets: check it reads back the same.
    let stored = updated
        .view(&name)
        .and_then(|v| v.analysis.clone())
        .ok_or_else(|| CliError::Other("the analysis was not stored; please report this".into()))?;
    let back = from_stored(&stored).map_err(|e| CliError::Other(e.to_string()))?;
    if back.labels != result.labels.labels {
        return Err(CliError::Other("the analysis did not survive storing; please report this".into()));
    }
    if !had_head && let Some(h) = updated.view(&name).and_then(|v| v.head.as_ref()) {
        progress(a.quiet, &found_outline(h));
    }
    let out = a.write_to.clone().unwrap_or_else(|| a.design.clone());
    write_atomic(&out, updated.to_json().as_bytes())?;
    if let Some(o) = &a.output {
        write_image(o, &overlay_with_legend(&photo, &result))?;
        progress(a.quiet, &format!("overlay written to {}", o.display()));
    }
    let figures = label_figures(&result, ppm);
    if a.json {
        let labels: Vec<_> = figures
            .iter()
            .map(|(l, area, cov)| json!({"label": l.as_str(), "code": l.code(), "area_cm2": round(*area, 2), "mean_coverage": round(*cov, 3)}))
            .collect();
        let r = |v: &[[f64; 2]]| v.iter().map(|p| [round(p[0], 1), round(p[1], 1)]).collect::<Vec<_>>();
        let doc = json!({
            "view": name,
            "photo_px": [w, h],
            "px_per_mm": round(ppm, 4),
            "cell_px": result.labels.cell_px,
            "labels": labels,
            "outline_px": r(&result.outline_px),
            "fringe_px": result.fringe_px.iter().map(|f| r(f)).collect::<Vec<_>>(),
            "seeds": {"hair_px": seeds.hair_px, "scalp_px": seeds.scalp_px},
            "design": out.display().to_string(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| CliError::Other(e.to_string()))?
        );
    } else {
        println!("view {name:?}: {w}×{h} px at {ppm:.2} px/mm, cells of {} px", result.labels.cell_px);
        println!("{:<11} {:>9} {:>14}", "label", "area cm²", "mean coverage");
        for (l, area, cov) in &figures {
            println!("{:<11} {:>9.1} {:>14.2}", l.as_str(), area, cov);
        }
        if result.fringe_px.is_empty() {
            println!("fringe: none (no bald scalp next to native hair)");
        }
        for (k, f) in result.fringe_px.iter().enumerate() {
            let pts: Vec<String> = f.iter().map(|p| format!("{:.0},{:.0}", p[0], p[1])).collect();
            println!("fringe {}: {}", k + 1, pts.join(" "));
        }
        progress(a.quiet, &format!("analysis stored in view {name:?} of {}", out.display()));
    }
    Ok(())
}

fn round(v: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (v * k).round() / k
}
