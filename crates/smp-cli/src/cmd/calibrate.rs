//! `smp calibrate`: derive a photo view from two points a known distance apart and one
//! point whose design position is known, and store it in the design.

use std::path::PathBuf;

use clap::Args;
use smp_design::{Design, HeadEllipse, PointMm, View};
use smp_photo::decode::{PhotoLimits, load_photo};
use smp_photo::view::{Calibration, calibrate, preset_rotation_deg};

use crate::cmd::preview::photo_error;
use crate::error::CliError;
use crate::output::{progress, write_atomic};

/// Arguments of `smp calibrate`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # a 10p coin (24.5 mm) from (812,1460) to (910,1462); the glabella at (1500,2900)\n  smp calibrate client.json --view front --photo front.jpg --p1 812,1460 --p2 910,1462 \\\n      --distance-mm 24.5 --ref-px 1500,2900 --ref-mm 0,0\n  # a ruler on a top photo; the mid-frontal hairline point (0,80) at (2010,640)\n  smp calibrate client.json --view top --photo top.jpg --p1 100,200 --p2 580,200 \\\n      --distance-mm 50 --ref-px 2010,640 --ref-mm 0,80 --head 2000,1500,1400,1600\n\nThe view is stored in the design (written atomically; the old file stays if anything\nfails). Rotation defaults by view name: top/back/crown 0°, front 180°, left -90°, right 90°."
)]
pub struct CalibrateArgs {
    /// The design file to add the view to.
    design: PathBuf,
    /// View name: top, front, left, right, back, crown.
    #[arg(long)]
    view: String,
    /// The photo of this view.
    #[arg(long)]
    photo: PathBuf,
    /// First end of the known distance, pixels "X,Y".
    #[arg(long)]
    p1: String,
    /// Second end, pixels "X,Y".
    #[arg(long)]
    p2: String,
    /// Distance between them, millimetres.
    #[arg(long)]
    distance_mm: f64,
    /// A pixel whose design position is known, "X,Y".
    #[arg(long)]
    ref_px: String,
    /// Its design position in mm "X,Y" (default: the glabella landmark).
    #[arg(long)]
    ref_mm: Option<String>,
    /// Rotation of the design axes in the photo, degrees (default by view name).
    #[arg(long, allow_hyphen_values = true)]
    rotation_deg: Option<f64>,
    /// Head outline "CX,CY,RX,RY" in pixels, for foreshortening near the edge.
    #[arg(long)]
    head: Option<String>,
    /// Write the calibrated design here instead of updating it in place.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Parse "a,b,…" into exactly `n` numbers.
pub fn numbers(s: &str, n: usize, what: &str) -> Result<Vec<f64>, CliError> {
    let v: Result<Vec<f64>, _> = s.split(',').map(|t| t.trim().parse::<f64>()).collect();
    match v {
        Ok(v) if v.len() == n && v.iter().all(|x| x.is_finite()) => Ok(v),
        _ => Err(CliError::BadInput(format!(
            "{what}: expected {n} comma-separated numbers, got {s:?}"
        ))),
    }
}

fn pair(s: &str, what: &str) -> Result<(f64, f64), CliError> {
    let v = numbers(s, 2, what)?;
    Ok((v[0], v[1]))
}

/// Run `smp calibrate`.
pub fn run(a: CalibrateArgs) -> Result<(), CliError> {
    let design = Design::load(&a.design)?;
    let photo = load_photo(&a.photo, PhotoLimits::default()).map_err(photo_error)?;
    let (w, h) = (f64::from(photo.width()), f64::from(photo.height()));
    let (p1, p2, ref_px) = (pair(&a.p1, "--p1")?, pair(&a.p2, "--p2")?, pair(&a.ref_px, "--ref-px")?);
    for (name, (x, y)) in [("--p1", p1), ("--p2", p2), ("--ref-px", ref_px)] {
        if !(0.0..w).contains(&x) || !(0.0..h).contains(&y) {
            return Err(CliError::BadInput(format!("{name} {x},{y} is outside the {w}×{h} photo")));
        }
    }
    let ref_mm = match &a.ref_mm {
        Some(s) => {
            let (x, y) = pair(s, "--ref-mm")?;
            PointMm::new(x, y)
        }
        None => design
            .glabella()
            .ok_or_else(|| CliError::BadInput("give --ref-mm: the design has no glabella landmark".into()))?,
    };
    let map = calibrate(&Calibration {
        p1_px: p1,
        p2_px: p2,
        distance_mm: a.distance_mm,
        ref_px,
        ref_mm,
        rotation_deg: a.rotation_deg.unwrap_or_else(|| preset_rotation_deg(&a.view)),
    })
    .map_err(|e| CliError::BadInput(e.to_string()))?;
    let head = match &a.head {
        Some(s) => {
            let v = numbers(s, 4, "--head")?;
            Some(HeadEllipse {
                center_px: [v[0], v[1]],
                radii_px: [v[2], v[3]],
            })
        }
        None => None,
    };
    let base = a.design.parent().filter(|p| !p.as_os_str().is_empty()).map(|p| p.to_path_buf());
    let file = match (&base, a.photo.canonicalize(), base.as_ref().and_then(|b| b.canonicalize().ok())) {
        (Some(_), Ok(photo_abs), Some(base_abs)) => photo_abs.strip_prefix(&base_abs).map(|p| p.to_path_buf()).unwrap_or(photo_abs),
        _ => a.photo.clone(),
    };
    let mut draft = design.to_draft();
    draft.views.retain(|v| v.name != a.view);
    draft.views.push(View {
        name: a.view.clone(),
        file: file.to_string_lossy().into_owned(),
        mm_to_px: map,
        head,
        mask: design.view(&a.view).and_then(|v| v.mask.clone()),
        photo_size_px: Some([photo.width(), photo.height()]),
        // The analysis holds pixels of one photo: it survives recalibrating that photo only.
        analysis: design
            .view(&a.view)
            .filter(|v| v.file == file.to_string_lossy())
            .and_then(|v| v.analysis.clone()),
    });
    let updated = Design::from_draft(draft)?;
    let out = a.output.clone().unwrap_or_else(|| a.design.clone());
    write_atomic(&out, updated.to_json().as_bytes())?;
    progress(
        a.quiet,
        &format!("view {:?}: {:.2} px/mm; wrote {}", a.view, map.px_per_mm(), out.display()),
    );
    Ok(())
}
