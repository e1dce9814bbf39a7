//! `smp calibrate`: derive a photo view from two points a known distance apart (a ruler,
//! a coin, or the pupils of a front photo) or from the calibration card in the photo,
//! and one point whose design position is known, and store it in the design.

use std::path::PathBuf;

use clap::Args;
use smp_design::{Design, HeadEllipse, PointMm, View};
use smp_photo::constants::{ASSUMED_IPD_ERROR, MEAN_IPD_MM};
use smp_photo::decode::{PhotoLimits, load_photo};
use smp_photo::pupils::refine_pupils;
use smp_photo::view::{Calibration, calibrate, preset_rotation_deg};

use crate::cmd::preview::photo_error;
use crate::error::CliError;
use crate::output::{progress, write_atomic};

/// Arguments of `smp calibrate`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  # a 10p coin (24.5 mm) from (812,1460) to (910,1462); the glabella at (1500,2900)\n  smp calibrate client.json --view front --photo front.jpg --p1 812,1460 --p2 910,1462 \\\n      --distance-mm 24.5 --ref-px 1500,2900 --ref-mm 0,0\n  # a ruler on a top photo; the mid-frontal hairline point (0,80) at (2010,640)\n  smp calibrate client.json --view top --photo top.jpg --p1 100,200 --p2 580,200 \\\n      --distance-mm 50 --ref-px 2010,640 --ref-mm 0,80 --head 2000,1500,1400,1600\n  # the pupils of a front photo (each click moves to the dark pupil nearby); the glabella at (600,560)\n  smp calibrate client.json --view front --photo front.jpg --pupils 462,737 738,737 --ref-px 600,560\n  # the same with the client's measured interpupillary distance\n  smp calibrate client.json --view front --photo front.jpg --pupils 462,737 738,737 --ipd-mm 66 --ref-px 600,560\n  # the printed calibration card (smp card) held beside the scalp: found by itself\n  smp calibrate client.json --view top --photo top.jpg --card --ref-px 2010,640 --ref-mm 0,80\n  # a new photo of a calibrated view: its reference point and rotation are kept\n  smp calibrate client.json --view top --photo top-2.jpg --card --json\n\nWith --card the card gives the scale (in its plane, so hold it flat beside the area,\nat the scalp's distance) and the colour correction used when colours are read from\nthis photo; when no card is found the command says why and exits with status 2.\nA ColorChecker colour chart in the photo is found too, and colours read from this photo\ngo through it (smp color chart reads one that is not found, from four clicks).\nWith --pupils the scale assumes the mean adult interpupillary distance (63 mm) unless\n--ipd-mm gives the client's own: people differ by about ±8 %, and so may the scale.\nThe view is stored in the design (written atomically; the old file stays if anything\nfails). Rotation defaults by view name: top/back/crown 0°, front 180°, left -90°, right 90°."
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
    #[arg(long, required_unless_present_any = ["pupils", "card"], conflicts_with_all = ["pupils", "card"])]
    p1: Option<String>,
    /// Second end, pixels "X,Y".
    #[arg(long, required_unless_present_any = ["pupils", "card"], conflicts_with_all = ["pupils", "card"])]
    p2: Option<String>,
    /// Distance between them, millimetres.
    #[arg(long, required_unless_present_any = ["pupils", "card"], conflicts_with_all = ["pupils", "card"])]
    distance_mm: Option<f64>,
    /// Front views: the centres of the two pupils, pixels "X,Y X,Y" (instead of
    /// --p1/--p2/--distance-mm); each is moved to the dark pupil within a few mm.
    #[arg(long, num_args = 2, value_names = ["X,Y", "X,Y"], conflicts_with = "card")]
    pupils: Option<Vec<String>>,
    /// Find the calibration card (`smp card`) in the photo: the scale comes from it and
    /// colours read from this photo are corrected through its grey patches.
    #[arg(long)]
    card: bool,
    /// The client's measured interpupillary distance, mm (with --pupils; default: the
    /// adult mean, 63 mm).
    #[arg(long, requires = "pupils")]
    ipd_mm: Option<f64>,
    /// A pixel whose design position is known, "X,Y" (with --card on a calibrated view,
    /// the view's own is kept unless given).
    #[arg(long)]
    ref_px: Option<String>,
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
    /// Machine-readable result on stdout (see the README).
    #[arg(long)]
    json: bool,
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
    if !smp_photo::view::STANDARD_VIEWS.contains(&a.view.as_str()) {
        return Err(CliError::BadInput(format!(
            "--view {:?} is not a view the app knows; use one of {}",
            a.view,
            smp_photo::view::STANDARD_VIEWS.join(", ")
        )));
    }
    let design = Design::load(&a.design)?;
    let photo = load_photo(&a.photo, PhotoLimits::default()).map_err(photo_error)?;
    let old = design.view(&a.view);
    let rotation_deg = a
        .rotation_deg
        .or_else(|| a.card.then(|| old.map(|v| rotation_of(&v.mm_to_px))).flatten())
        .unwrap_or_else(|| preset_rotation_deg(&a.view));
    let given_ref_mm = match &a.ref_mm {
        Some(s) => {
            let (x, y) = pair(s, "--ref-mm")?;
            Some(PointMm::new(x, y))
        }
        None => None,
    };
    let fit = Fit {
        design: &design,
        size: (f64::from(photo.width()), f64::from(photo.height())),
        rotation_deg,
        ref_mm: given_ref_mm,
    };
    let (map, card, note) = if a.card {
        let (map, record) = card_map(&a, &photo, &fit)?;
        (map, Some(record), String::new())
    } else {
        let (map, note) = point_map(&a, &photo, &fit)?;
        (map, None, note)
    };
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
    let mut updated = with_view(&a, &design, &photo, (map, head, card))?;
    // A colour chart held in the photo is found with the calibration, as in the editor.
    let mut chart = None;
    if updated.view(&a.view).is_some_and(|v| v.chart.is_none()) {
        progress(a.quiet, "looking for a colour chart…");
        if let Ok(r) = smp_photo::chart::find_chart(&photo) {
            progress(
                a.quiet,
                &format!(
                    "colour chart found: its patches fit to ΔE00 {:.1}; colours read from this photo go through it",
                    r.record.residual_delta_e00
                ),
            );
            updated = smp_photo::chart::with_chart(&updated, &a.view, r.record)?;
            chart = Some(r.record);
        }
    }
    let out = a.output.clone().unwrap_or_else(|| a.design.clone());
    write_atomic(&out, updated.to_json().as_bytes())?;
    if !note.is_empty() {
        progress(a.quiet, &note);
    }
    progress(
        a.quiet,
        &format!("view {:?}: {:.2} px/mm; wrote {}", a.view, map.px_per_mm(), out.display()),
    );
    if a.json {
        print_json(&a.view, &map, card.as_ref(), chart.as_ref());
    }
    Ok(())
}

/// What a view's map is fitted with besides the arguments.
struct Fit<'a> {
    design: &'a Design,
    /// The photo's size, px.
    size: (f64, f64),
    rotation_deg: f64,
    /// The design position of the reference pixel, when given.
    ref_mm: Option<PointMm>,
}

/// The map from the card found in `photo` (`--card`), and the card as the view stores it.
fn card_map(a: &CalibrateArgs, photo: &image::RgbImage, fit: &Fit) -> Result<(smp_design::MmToPx, smp_design::CardRecord), CliError> {
    let (w, h) = fit.size;
    let record = find_card_in(photo, a.json)?;
    progress(
        a.quiet,
        &format!(
            "card found: {:.2} px/mm in its plane; grey patches fit to ΔE00 {:.1}",
            record.px_per_mm, record.residual_delta_e00
        ),
    );
    // Keep the view's own reference point unless one is given.
    let (ref_mm, ref_px) = match (&a.ref_px, fit.design.view(&a.view)) {
        (Some(s), _) => {
            let ref_px = pair(s, "--ref-px")?;
            inside("--ref-px", ref_px, (w, h))?;
            (fit.ref_mm.map_or_else(|| glabella(fit.design), Ok)?, ref_px)
        }
        (None, Some(v)) => {
            let ref_mm = match fit.ref_mm.or_else(|| fit.design.glabella()) {
                Some(p) => p,
                None => v
                    .mm_to_px
                    .invert(w / 2.0, h / 2.0)
                    .ok_or_else(|| CliError::BadInput(format!("view {:?} has no usable map: give --ref-px", a.view)))?,
            };
            (ref_mm, v.mm_to_px.apply(ref_mm))
        }
        (None, None) => {
            return Err(CliError::BadInput(format!(
                "view {:?} is new: give --ref-px (a pixel whose design position is known, the glabella unless --ref-mm)",
                a.view
            )));
        }
    };
    let t = fit.rotation_deg.to_radians();
    let map = smp_design::MmToPx::from_similarity(ref_mm, ref_px, record.px_per_mm, (t.cos(), t.sin()));
    Ok((map, record))
}

/// The map from two points a known distance apart (`--p1`, `--p2`, `--distance-mm`) or
/// the pupils (`--pupils`), and what to tell the user about its scale.
fn point_map(a: &CalibrateArgs, photo: &image::RgbImage, fit: &Fit) -> Result<(smp_design::MmToPx, String), CliError> {
    let (w, h) = fit.size;
    let ref_px = pair(
        a.ref_px
            .as_deref()
            .ok_or_else(|| CliError::BadInput("give --ref-px: a pixel whose design position is known".into()))?,
        "--ref-px",
    )?;
    inside("--ref-px", ref_px, (w, h))?;
    let Scale { p1, p2, distance_mm, note } = match &a.pupils {
        Some(clicks) => pupil_scale(a, clicks, photo)?,
        None => {
            let (p1, p2) = (
                pair(a.p1.as_deref().unwrap_or_default(), "--p1")?,
                pair(a.p2.as_deref().unwrap_or_default(), "--p2")?,
            );
            inside("--p1", p1, (w, h))?;
            inside("--p2", p2, (w, h))?;
            let distance_mm = a
                .distance_mm
                .ok_or_else(|| CliError::BadInput("give --distance-mm with --p1 and --p2".into()))?;
            Scale {
                p1,
                p2,
                distance_mm,
                note: String::new(),
            }
        }
    };
    let ref_mm = fit.ref_mm.map_or_else(|| glabella(fit.design), Ok)?;
    let map = calibrate(&Calibration {
        p1_px: p1,
        p2_px: p2,
        distance_mm,
        ref_px,
        ref_mm,
        rotation_deg: fit.rotation_deg,
    })
    .map_err(|e| CliError::BadInput(e.to_string()))?;
    Ok((map, note))
}

/// `design` with view `a.view` of `photo` set to `map`, `head` and `card`; the view's
/// mask stays, and its analysis and card too while the photo is the same file.
fn with_view(
    a: &CalibrateArgs,
    design: &Design,
    photo: &image::RgbImage,
    (map, head, card): (smp_design::MmToPx, Option<HeadEllipse>, Option<smp_design::CardRecord>),
) -> Result<Design, CliError> {
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
        // A card found in this photo still corrects its colours after a recalibration.
        card: card.or_else(|| {
            design
                .view(&a.view)
                .filter(|v| v.file == file.to_string_lossy())
                .and_then(|v| v.card)
        }),
        // So does a colour chart read in it.
        chart: design
            .view(&a.view)
            .filter(|v| v.file == file.to_string_lossy())
            .and_then(|v| v.chart),
    });
    Ok(Design::from_draft(draft)?)
}

/// The result on stdout for `--json`: the view's scale and the card and colour chart
/// found, if any.
fn print_json(view: &str, map: &smp_design::MmToPx, card: Option<&smp_design::CardRecord>, chart: Option<&smp_design::ChartRecord>) {
    let card_json = card.map(|c| {
        serde_json::json!({
            "found": true,
            "corners_px": c.corners_px,
            "white_balance": smp_photo::card::ColourCorrection::from_record(c).white_balance(),
            "residual_delta_e00": c.residual_delta_e00,
        })
    });
    let mut out = serde_json::json!({ "view": view, "px_per_mm": map.px_per_mm() });
    if let Some(c) = card_json {
        out["card"] = c;
    }
    if let Some(c) = chart {
        out["chart"] = serde_json::json!({
            "corner_patches_px": c.corner_patches_px,
            "residual_delta_e00": c.residual_delta_e00,
            "worst_delta_e00": c.worst_delta_e00,
        });
    }
    println!("{out}");
}

/// The design's glabella, the default reference point.
fn glabella(design: &Design) -> Result<PointMm, CliError> {
    design
        .glabella()
        .ok_or_else(|| CliError::BadInput("give --ref-mm: the design has no glabella landmark".into()))
}

/// The rotation of a view's map, degrees (as `--rotation-deg` gives it).
fn rotation_of(m: &smp_design::MmToPx) -> f64 {
    m.0[3].atan2(m.0[0]).to_degrees()
}

/// The card in `photo` as the view stores it; when it cannot be used, the reason (also
/// as JSON on stdout with `json`).
fn find_card_in(photo: &image::RgbImage, json: bool) -> Result<smp_design::CardRecord, CliError> {
    smp_photo::card::card_record(photo).map_err(|e| {
        if json {
            println!("{}", serde_json::json!({ "card": { "found": false, "reason": e.to_string() } }));
        }
        CliError::BadInput(e.to_string())
    })
}

/// Refuse a pixel outside a `w` × `h` photo, naming the option it came from.
fn inside(name: &str, (x, y): (f64, f64), (w, h): (f64, f64)) -> Result<(), CliError> {
    if (0.0..w).contains(&x) && (0.0..h).contains(&y) {
        Ok(())
    } else {
        Err(CliError::BadInput(format!("{name} {x},{y} is outside the {w}×{h} photo")))
    }
}

/// Two pixels a known distance apart, and what to tell the user about them.
struct Scale {
    p1: (f64, f64),
    p2: (f64, f64),
    distance_mm: f64,
    note: String,
}

/// The scale's two ends from pupil clicks, refined to the pupils, with the distance
/// between them (the given or the mean IPD) and a note on its error.
fn pupil_scale(a: &CalibrateArgs, clicks: &[String], photo: &image::RgbImage) -> Result<Scale, CliError> {
    let size = (f64::from(photo.width()), f64::from(photo.height()));
    if a.view != "front" {
        return Err(CliError::BadInput(format!(
            "--pupils needs the front view (the eyes facing the camera), not {:?}; use --p1/--p2/--distance-mm with a ruler or coin",
            a.view
        )));
    }
    let c1 = pair(&clicks[0], "--pupils (first)")?;
    let c2 = pair(&clicks[1], "--pupils (second)")?;
    inside("--pupils", c1, size)?;
    inside("--pupils", c2, size)?;
    let ipd = match a.ipd_mm {
        Some(v) if !(v.is_finite() && (40.0..=85.0).contains(&v)) => {
            return Err(CliError::BadInput(format!(
                "--ipd-mm {v} is not an adult interpupillary distance (about 54–74 mm); give it in mm"
            )));
        }
        Some(v) => v,
        None => MEAN_IPD_MM,
    };
    let p = refine_pupils(photo, [c1, c2]).map_err(CliError::BadInput)?;
    let moved = |c: (f64, f64), q: (f64, f64)| (c.0 - q.0).hypot(c.1 - q.1);
    let (q1, q2) = (p[0].centre_px, p[1].centre_px);
    let mut note = format!(
        "pupils at {:.1},{:.1} and {:.1},{:.1} (moved {:.1} and {:.1} px from the clicks)",
        q1.0,
        q1.1,
        q2.0,
        q2.1,
        moved(c1, q1),
        moved(c2, q2)
    );
    if a.ipd_mm.is_some() {
        note.push_str(&format!("; the client's interpupillary distance, {ipd} mm"));
    } else {
        note.push_str(&format!(
            "; assumed the adult mean interpupillary distance, {MEAN_IPD_MM} mm: people differ by about ±{:.0} %, and so may this scale. Measure the client's (--ipd-mm) or put a calibration card or ruler in the photo for a better one",
            100.0 * ASSUMED_IPD_ERROR
        ));
    }
    Ok(Scale {
        p1: q1,
        p2: q2,
        distance_mm: ipd,
        note,
    })
}
