//! `smp synth`: a synthetic head photo and its calibrated starter design.

use std::path::PathBuf;

use clap::Args;
use smp_design::Pattern;
use smp_photo::labels::Label;
use smp_synth::card::CardShot;
use smp_synth::{HairLook, Scar, Shot, SynthParams, SynthView, synth_closeup, synth_shot};

use crate::cmd::preview::write_image;
use crate::error::CliError;
use crate::output::{progress, step, write_atomic};

/// Arguments of `smp synth`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp synth --pattern norwood-5 --view top --skin 2 --hair-level 2 --seed 7 -o head.png --design head.json\n  smp synth --pattern norwood-1 --view back --skin 5 --hair-level 1 --scar fut -o fut.png --design fut.json\n  smp synth --pattern norwood-3 --view front --skin 3 --hair-level 2 --grey 0.5 --stubble-mm 0.4 -o front.jpg --truth truth.png --json\n  smp preview head.json --state healed --side-by-side -o head-healed.png\n  smp synth --pattern norwood-1 --skin 3 --hair-level 2 --seed 4 --closeup 30 --width 600 -o stubble.png --json\n  smp stubble --photo stubble.png --px-per-mm 30 --json\n\nThe head is drawn at a stated scale with natural stubble, the pattern's bald area and\nscars; the design is the pattern's template with a calibrated view of the image.\nThe photo goes through a camera model (lens blur, sensor noise, JPEG at quality 85).\n--truth writes the true label of every pixel as an 8-bit grey PNG the size of the photo:\n0 background, 1 skin (face, forehead in front of the hairline, ears, neck), 2 bald\nscalp, 3 thinning scalp, 4 haired scalp, 5 scar. --json gives the true scale and, in\nfront views, the true pupil centres (for testing pupil calibration).\nWith --closeup N the image is instead a flat, square close-up (width × width pixels at\nN px/mm) of the same head's fully haired scalp, and --json gives the true number and\ndensity of the stubble tips in it (for testing `smp stubble`)."
)]
pub struct SynthArgs {
    /// norwood-1 … norwood-7, ludwig-1 … ludwig-3, fut-scar or fue-scars.
    #[arg(long)]
    pattern: String,
    /// top, front, left, right or back.
    #[arg(long, default_value = "top")]
    view: String,
    /// Fitzpatrick skin type 1–6.
    #[arg(long, default_value_t = 2)]
    skin: u8,
    /// Hair level 1 (black) – 10 (lightest blonde).
    #[arg(long, default_value_t = 2)]
    hair_level: u8,
    /// Add a donor scar: fut (strip) or fue (dots).
    #[arg(long)]
    scar: Option<String>,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of white hairs, 0 (none) – 1 (all white); 0.5 looks salt-and-pepper grey.
    #[arg(long, default_value_t = 0.0)]
    grey: f64,
    /// Stubble length above the skin, mm (0 = shaved with a razor; hair grows ~0.4 mm a day).
    #[arg(long, default_value_t = smp_synth::DEFAULT_STUBBLE_LENGTH_MM)]
    stubble_mm: f64,
    /// Image width, pixels.
    #[arg(long, default_value_t = 1200)]
    width: u32,
    /// Output image (.png or .jpg).
    #[arg(short, long)]
    output: PathBuf,
    /// Draw a close-up of haired scalp at this many px/mm instead of the head
    /// (width × width pixels; 20–40 resolves the tips).
    #[arg(long, value_name = "PX_PER_MM")]
    closeup: Option<f64>,
    /// Write the matching calibrated starter design here.
    #[arg(long)]
    design: Option<PathBuf>,
    /// Write the true label map here (.png, 8-bit grey codes 0–5, the photo's size).
    #[arg(long, value_name = "PNG")]
    truth: Option<PathBuf>,
    /// Hold the calibration card (`smp card`) beside the head, at the scalp's distance.
    #[arg(long)]
    card: bool,
    /// Tilt of the card away from the camera, degrees (with --card).
    #[arg(long, default_value_t = 0.0, requires = "card")]
    card_tilt_deg: f64,
    /// Turn of the card in the picture, degrees (with --card).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true, requires = "card")]
    card_rotation_deg: f64,
    /// Hold a ColorChecker colour chart (24 patches) beside the head, bottom right, at
    /// the scalp's distance.
    #[arg(long)]
    chart: bool,
    /// Colour of the light, "R,G,B" multipliers of a neutral light (e.g. 1.2,1,0.8 warm).
    #[arg(long, default_value = "1,1,1")]
    cast: String,
    /// Exposure, stops over the metered one (e.g. 1 or -1).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    exposure_ev: f64,
    /// Machine-readable facts about the head on stdout.
    #[arg(long)]
    json: bool,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Run `smp synth`.
pub fn run(a: SynthArgs) -> Result<(), CliError> {
    for out in std::iter::once(&a.output).chain(a.design.iter()).chain(a.truth.iter()) {
        crate::output::check_writable(out)?;
    }
    let pattern: Pattern = a.pattern.parse().map_err(CliError::BadInput)?;
    let view: SynthView = a.view.parse().map_err(CliError::BadInput)?;
    let scar = a.scar.as_deref().map(str::parse::<Scar>).transpose().map_err(CliError::BadInput)?;
    let params = SynthParams {
        pattern,
        view,
        skin_type: a.skin,
        hair_level: a.hair_level,
        scar,
        seed: a.seed,
        width_px: a.width,
    };
    if let Some(ppm) = a.closeup {
        return closeup(&a, &params, ppm);
    }
    if let Some(t) = &a.truth {
        check_truth_name(t)?;
    }
    let look = HairLook {
        grey_fraction: a.grey,
        stubble_length_mm: a.stubble_mm,
    };
    let drawing = step(a.quiet, &format!("drawing a {pattern} head, {} view…", a.view));
    // The design refers to the image by its path relative to the design file.
    let photo_file = match (&a.design, a.output.file_name()) {
        (Some(d), Some(name)) if d.parent() == a.output.parent() => PathBuf::from(name),
        _ => std::path::absolute(&a.output).unwrap_or_else(|_| a.output.clone()),
    };
    let c = crate::cmd::calibrate::numbers(&a.cast, 3, "--cast")?;
    if !(0.0..=60.0).contains(&a.card_tilt_deg) {
        return Err(CliError::BadInput(format!(
            "--card-tilt-deg {}: a card tilted that far cannot be read; give 0 (facing the camera) to 60",
            a.card_tilt_deg
        )));
    }
    let ppm = smp_synth::photo_px_per_mm(&params);
    let print = if a.card {
        Some(smp_report::card::card_print(2.0 * ppm).map_err(CliError::Other)?)
    } else {
        None
    };
    let shot = Shot {
        card: print.as_ref().map(|print| CardShot {
            rotation_deg: a.card_rotation_deg,
            tilt_deg: a.card_tilt_deg,
            ..CardShot::beside_head(print, params.width_px, ppm)
        }),
        cast: [c[0], c[1], c[2]],
        exposure_ev: a.exposure_ev,
        chart: a.chart.then(|| smp_synth::chart::ChartShot::beside_head(params.width_px, ppm)),
    };
    let head = synth_shot(&params, &look, &shot, &photo_file.to_string_lossy()).map_err(CliError::BadInput)?;
    drawing.done("drew the head");
    write_image(&a.output, &head.image)?;
    if let Some(d) = &a.design {
        write_atomic(d, head.design.to_json().as_bytes())?;
    }
    if let Some(t) = &a.truth {
        write_truth(t, &head)?;
    }
    if a.json {
        print_head_json(&head, ppm);
    }
    progress(
        a.quiet,
        &format!(
            "wrote {} ({}×{}, {:.1} px/mm){}",
            a.output.display(),
            head.image.width(),
            head.image.height(),
            head.px_per_mm,
            a.design.as_ref().map_or(String::new(), |d| format!(" and {}", d.display()))
        ),
    );
    Ok(())
}

/// Refuse a `--truth` file that is not a PNG.
fn check_truth_name(t: &std::path::Path) -> Result<(), CliError> {
    if !t
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
    {
        return Err(CliError::BadInput(format!(
            "--truth {}: use a .png file name (label codes must not go through lossy JPEG)",
            t.display()
        )));
    }
    Ok(())
}

/// Write the head's true label map to `t` as an 8-bit grey PNG.
fn write_truth(t: &std::path::Path, head: &smp_synth::SynthHead) -> Result<(), CliError> {
    let mut buf = std::io::Cursor::new(Vec::new());
    head.truth
        .to_gray()
        .write_to(&mut buf, image::ImageFormat::Png)
        .map_err(|e| CliError::Other(format!("cannot encode {}: {e}", t.display())))?;
    write_atomic(t, buf.get_ref())
}

/// The head's true figures on stdout (`--json`); `ppm` is the photo's scale, the card's
/// too.
fn print_head_json(head: &smp_synth::SynthHead, ppm: f64) {
    let counts = head.truth.pixel_counts();
    let label_px: serde_json::Map<String, serde_json::Value> = Label::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), counts[l.code() as usize].into()))
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "width_px": head.image.width(),
            "height_px": head.image.height(),
            "px_per_mm": head.px_per_mm,
            "pupils_px": head.pupils_px,
            "ipd_mm": head.ipd_mm,
            "psf_px": head.psf_px,
            "grey_fraction": head.look.grey_fraction,
            "stubble_length_mm": head.look.stubble_length_mm,
            "stubble_density_per_cm2": head.stubble_density_per_cm2,
            "stubble_diameter_mm": head.stubble_diameter_mm,
            "skin_rgb": head.skin_rgb,
            "hair_rgb": head.hair_rgb,
            "label_px": label_px,
            "card": head.card_corners_px.map(|c| serde_json::json!({ "corners_px": c, "px_per_mm": ppm })),
            "chart": head.chart_corner_patches_px.map(|c| serde_json::json!({ "corner_patches_px": c })),
        })
    );
}

/// `smp synth --closeup`: a close-up of haired scalp with its true tip count.
fn closeup(a: &SynthArgs, params: &SynthParams, ppm: f64) -> Result<(), CliError> {
    if a.grey != 0.0 || a.stubble_mm != smp_synth::DEFAULT_STUBBLE_LENGTH_MM {
        return Err(CliError::BadInput(
            "--grey and --stubble-mm go with a head photo: close-ups show dark stubble shaved flush".into(),
        ));
    }
    if a.design.is_some() || a.truth.is_some() {
        return Err(CliError::BadInput(
            "--design and --truth go with a head photo, not with --closeup (a close-up has no design view)".into(),
        ));
    }
    progress(
        a.quiet,
        &format!("drawing a {0}×{0} px close-up of haired scalp at {ppm} px/mm…", a.width),
    );
    let c = synth_closeup(params, ppm, (a.width, a.width)).map_err(CliError::BadInput)?;
    write_image(&a.output, &c.image)?;
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "width_px": c.image.width(),
                "height_px": c.image.height(),
                "px_per_mm": c.px_per_mm,
                "stubble_tips": c.tips,
                "area_cm2": c.area_cm2,
                "stubble_density_per_cm2": c.density_per_cm2,
                "stubble_diameter_mm": c.mean_diameter_mm,
                "psf_px": c.psf_px,
                "skin_rgb": c.skin_rgb,
                "hair_rgb": c.hair_rgb,
            })
        );
    }
    progress(
        a.quiet,
        &format!(
            "wrote {} ({} tips in {:.2} cm², {:.1} per cm²)",
            a.output.display(),
            c.tips,
            c.area_cm2,
            c.density_per_cm2
        ),
    );
    Ok(())
}
