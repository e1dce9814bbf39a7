//! `smp design fit`: the design fitted to the client's own head in one view's photo.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use smp_design::{Design, Mm};
use smp_photo::analyze::{Seeds, view_labels};
use smp_photo::fit::{FitOptions, Fitted, HAIRLINE_RANGE_MM, HairlineFit, fit_design};

use crate::cmd::preview::{load_view_photo, pick_view};
use crate::error::CliError;
use crate::output::{progress, write_atomic};

/// Arguments of `smp design fit`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp design fit client.json --view top\n  smp design fit client.json --view front --hairline-mm 85 -o fitted.json\n  smp design fit client.json --view top --json\n\nWithin the view's visible scalp the fit replaces the regions and the hairline with ones\nfitted to the photo: a treat region over the bald scalp reaching the native hair, blend\nregions over thinning hair (less density where more hair covers), the client's own hair\ninside the treated area and the skin around it kept free, a hairline at a clinically\nnormal height (80 mm above the glabella unless --hairline-mm) joined to the client's own\ntemporal points (none where the frontal hairline is intact), and the client's skin (and,\non a sharp enough photo, hair) colour. Other views' regions and scars are kept.\nThe view's stored photo analysis (smp photo analyze) is used; without one the photo is\nanalysed first and the analysis stored too. The design is rewritten atomically."
)]
pub struct FitArgs {
    /// The design file.
    design: PathBuf,
    /// The view to fit (needed when the design has several).
    #[arg(long)]
    view: Option<String>,
    /// Mid-frontal hairline height above the glabella, mm (60–110); the hairline may then
    /// come forward onto the forehead.
    #[arg(long = "hairline-mm")]
    hairline_mm: Option<f64>,
    /// Write the fitted design here instead of updating the design in place.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Machine-readable result on stdout.
    #[arg(long)]
    json: bool,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Run `smp design fit`.
pub fn run(a: FitArgs) -> Result<(), CliError> {
    if let Some(h) = a.hairline_mm
        && !(h.is_finite() && (HAIRLINE_RANGE_MM.0..=HAIRLINE_RANGE_MM.1).contains(&h))
    {
        return Err(CliError::BadInput(format!(
            "--hairline-mm {h} is outside {}–{} mm above the glabella (clinically 70–100, usually 80)",
            HAIRLINE_RANGE_MM.0, HAIRLINE_RANGE_MM.1
        )));
    }
    let design = Design::load(&a.design)?;
    let view = pick_view(&design, a.view.as_deref())?.clone();
    let (photo, fitted_view) = load_view_photo(&a.design, &view, None, a.quiet)?;
    if fitted_view != view {
        return Err(CliError::BadInput(format!(
            "the photo of view '{}' is not the size it was calibrated on; calibrate the view again on this photo before fitting",
            view.name
        )));
    }
    if view.analysis.is_none() {
        progress(a.quiet, "analysing the photo (no stored analysis in this view)…");
    }
    let got = view_labels(&design, &view.name, &photo, &Seeds::default())
        .map_err(|e| CliError::BadInput(format!("{}: {e}", a.design.display())))?;
    if view.head.is_none()
        && let Some(h) = got.design.view(&view.name).and_then(|v| v.head.as_ref())
    {
        progress(a.quiet, &crate::cmd::photo::found_outline(h));
    }
    let (labels, design) = (got.labels, got.design);
    progress(a.quiet, "fitting the regions and the hairline…");
    let opts = FitOptions {
        hairline_mm: a.hairline_mm.map(Mm),
    };
    let fitted = fit_design(&design, &view.name, &photo, &labels, opts).map_err(|e| CliError::BadInput(e.to_string()))?;
    let out = a.output.clone().unwrap_or_else(|| a.design.clone());
    write_atomic(&out, fitted.design.to_json().as_bytes())?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&fit_json(&view.name, &fitted, &out)).map_err(|e| CliError::Other(e.to_string()))?
        );
    } else {
        print_summary(&view.name, &fitted);
        progress(a.quiet, &format!("wrote {}", out.display()));
    }
    Ok(())
}

fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The stable JSON of a fit (README: `smp design fit --json`).
fn fit_json(view: &str, f: &Fitted, out: &std::path::Path) -> serde_json::Value {
    let regions: Vec<_> = f
        .regions
        .iter()
        .map(|r| json!({"name": r.name, "kind": r.kind.as_str(), "area_cm2": (r.area_cm2 * 100.0).round() / 100.0, "density_per_cm2": r1(r.density_per_cm2)}))
        .collect();
    let hairline = match &f.hairline {
        HairlineFit::Proposed { height_mm, temples_found } => json!({
            "decision": "proposed",
            "height_mm": r1(*height_mm),
            "temples_found": temples_found,
            "points_mm": f.design.hairline().map(|h| h.points.iter().map(|p| [r1(p.x), r1(p.y)]).collect::<Vec<_>>()),
        }),
        HairlineFit::Intact => json!({"decision": "intact"}),
        HairlineFit::NotSeen => json!({"decision": "not_seen"}),
    };
    json!({
        "view": view,
        "regions": regions,
        "replaced": f.replaced,
        "hairline": hairline,
        "colours": {
            "skin_lab": f.skin_lab.map(|l| l.map(r1)),
            "hair_lab": f.hair_lab.map(|l| l.map(r1)),
        },
        "pigment": f.pigment.as_ref().map(|m| json!({"name": m.pigment, "dilution": m.dilution, "predicted_delta_e00": r1(m.predicted_delta_e00)})),
        "warnings": f.warnings,
        "design": out.display().to_string(),
    })
}

fn print_summary(view: &str, f: &Fitted) {
    println!(
        "view {view:?}: replaced {}",
        if f.replaced.is_empty() {
            "no region".into()
        } else {
            f.replaced.join(", ")
        }
    );
    println!("{:<28} {:<8} {:>9} {:>12}", "region", "kind", "area cm²", "density/cm²");
    for r in &f.regions {
        let density = if r.density_per_cm2 > 0.0 {
            format!("{:.0}", r.density_per_cm2)
        } else {
            "none".into()
        };
        println!("{:<28} {:<8} {:>9.1} {:>12}", r.name, r.kind.as_str(), r.area_cm2, density);
    }
    match &f.hairline {
        HairlineFit::Proposed { height_mm, temples_found } => println!(
            "hairline: proposed at {height_mm:.0} mm above the glabella, to the client's temporal points ({})",
            match temples_found {
                [true, true] => "both found in the photo",
                [false, false] => "neither in the photo: the design's kept",
                _ => "one found in the photo",
            }
        ),
        HairlineFit::Intact => println!("hairline: the client's own frontal hairline is intact; no new one"),
        HairlineFit::NotSeen => println!("hairline: not in this view; the design's is kept"),
    }
    if let Some(l) = f.skin_lab {
        println!("scalp skin: L* {:.1}, a* {:.1}, b* {:.1}", l[0], l[1], l[2]);
    }
    if let Some(l) = f.hair_lab {
        println!("hair: L* {:.1}, a* {:.1}, b* {:.1}", l[0], l[1], l[2]);
    }
    if let Some(m) = &f.pigment {
        println!(
            "pigment: {} at 1:{} on the new regions (predicted healed colour {:.1} ΔE00 from the hair)",
            m.pigment, m.dilution, m.predicted_delta_e00
        );
    }
    for w in &f.warnings {
        println!("warning: {w}");
    }
}
