//! `smp synth`: a synthetic head photo and its calibrated starter design.

use std::path::PathBuf;

use clap::Args;
use smp_design::Pattern;
use smp_render::synth::{Scar, SynthParams, SynthView, synth};

use crate::cmd::preview::write_image;
use crate::error::CliError;
use crate::output::{progress, write_atomic};

/// Arguments of `smp synth`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp synth --pattern norwood-5 --view top --skin 2 --hair-level 2 --seed 7 -o head.png --design head.json\n  smp synth --pattern norwood-1 --view back --skin 5 --hair-level 1 --scar fut -o fut.png --design fut.json\n  smp preview head.json --state healed --side-by-side -o head-healed.png\n\nThe head is drawn at a stated scale with natural stubble, the pattern's bald area and\nscars; the design is the pattern's template with a calibrated view of the image."
)]
pub struct SynthArgs {
    /// norwood-1 … norwood-7, ludwig-1 … ludwig-3.
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
    /// Image width, pixels.
    #[arg(long, default_value_t = 1200)]
    width: u32,
    /// Output image (.png or .jpg).
    #[arg(short, long)]
    output: PathBuf,
    /// Write the matching calibrated starter design here.
    #[arg(long)]
    design: Option<PathBuf>,
    /// Machine-readable facts about the head on stdout.
    #[arg(long)]
    json: bool,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Run `smp synth`.
pub fn run(a: SynthArgs) -> Result<(), CliError> {
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
    progress(a.quiet, &format!("drawing a {pattern} head, {} view…", a.view));
    // The design refers to the image by its path relative to the design file.
    let photo_file = match (&a.design, a.output.file_name()) {
        (Some(d), Some(name)) if d.parent() == a.output.parent() => PathBuf::from(name),
        _ => std::path::absolute(&a.output).unwrap_or_else(|_| a.output.clone()),
    };
    let head = synth(&params, &photo_file.to_string_lossy()).map_err(CliError::BadInput)?;
    write_image(&a.output, &head.image)?;
    if let Some(d) = &a.design {
        write_atomic(d, head.design.to_json().as_bytes())?;
    }
    if a.json {
        println!(
            "{}",
            serde_json::json!({
                "width_px": head.image.width(),
                "height_px": head.image.height(),
                "px_per_mm": head.px_per_mm,
                "stubble_density_per_cm2": head.stubble_density_per_cm2,
                "stubble_diameter_mm": head.stubble_diameter_mm,
                "skin_rgb": head.skin_rgb,
                "hair_rgb": head.hair_rgb,
            })
        );
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
