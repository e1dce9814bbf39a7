//! `smp mask`: store a hand-made skin/hair mask in a view (hair and skin colours, and
//! painted edits kept from the file). The photo analysis (`smp photo analyze`) is the
//! usual way to limit `blend` regions to visible scalp; a mask's edits win over it.

use std::path::PathBuf;

use clap::Args;
use smp_design::{Design, Mask, PointMm, RegionKind};
use smp_photo::mask::sample_mask;
use smp_photo::view::project;

use crate::cmd::calibrate::numbers;
use crate::cmd::preview::{load_view_photo, pick_view};
use crate::error::CliError;
use crate::output::{progress, write_atomic};

/// Arguments of `smp mask`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp mask client.json --view top --hair 52,44,40 --skin 214,176,150\n  smp mask client.json --view top\n\nA hand-made mask: prefer `smp photo analyze`, whose labels replace the colour rule below.\nWith a stored analysis, only the mask's painted corrections (the view's \"mask\".\"edits\",\nsee docs/design-format.md, kept by this command) still count, and they win over it.\nWithout --hair/--skin the colours are sampled from the photo where the blend regions\nfall: hair from the darkest tenth, skin from the lightest third."
)]
pub struct MaskArgs {
    /// The design file.
    design: PathBuf,
    /// The view to mask.
    #[arg(long)]
    view: Option<String>,
    /// The photo; defaults to the view's file.
    #[arg(long)]
    photo: Option<PathBuf>,
    /// Hair colour "R,G,B" (sRGB 0–255) instead of sampling.
    #[arg(long)]
    hair: Option<String>,
    /// Skin colour "R,G,B" instead of sampling.
    #[arg(long)]
    skin: Option<String>,
    /// Write here instead of updating the design in place.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

fn rgb(s: &str, what: &str) -> Result<[u8; 3], CliError> {
    let v = numbers(s, 3, what)?;
    if v.iter().any(|c| !(0.0..=255.0).contains(c)) {
        return Err(CliError::BadInput(format!("{what}: components must be 0–255, got {s:?}")));
    }
    Ok([v[0] as u8, v[1] as u8, v[2] as u8])
}

/// Run `smp mask`.
pub fn run(a: MaskArgs) -> Result<(), CliError> {
    let design = Design::load(&a.design)?;
    let view = pick_view(&design, a.view.as_deref())?;
    // Only checks the photo's size: the mask stores colours, and its edits stay in the
    // pixels of the photo the view was calibrated on.
    let (photo, _) = load_view_photo(&a.design, view, a.photo.as_deref(), true)?;
    let edits = view.mask.as_ref().map(|m| m.edits.clone()).unwrap_or_default();
    let mask = match (&a.hair, &a.skin) {
        (Some(h), Some(s)) => Mask {
            hair_rgb: rgb(h, "--hair")?,
            skin_rgb: rgb(s, "--skin")?,
            edits,
        },
        (None, None) => {
            // Sample every millimetre inside the blend regions.
            let mut points = Vec::new();
            for r in design.regions().iter().filter(|r| r.kind == RegionKind::Blend) {
                let (lo, hi) = smp_design::geometry::bounds(&r.polygon);
                let mut y = lo.y;
                while y <= hi.y {
                    let mut x = lo.x;
                    while x <= hi.x {
                        let p = PointMm::new(x, y);
                        if smp_design::geometry::contains(&r.polygon, p)
                            && let Some(q) = project(view, p)
                        {
                            points.push((q.x, q.y));
                        }
                        x += 1.0;
                    }
                    y += 1.0;
                }
            }
            let mut m = sample_mask(&photo, points.into_iter()).ok_or_else(|| {
                CliError::BadInput("too few blend-region pixels in the photo to sample colours; give --hair and --skin".into())
            })?;
            m.edits = edits;
            m
        }
        _ => return Err(CliError::BadInput("give both --hair and --skin, or neither to sample them".into())),
    };
    progress(
        a.quiet,
        &format!("view {:?}: hair {:?}, skin {:?}", view.name, mask.hair_rgb, mask.skin_rgb),
    );
    let name = view.name.clone();
    let mut draft = design.to_draft();
    for v in &mut draft.views {
        if v.name == name {
            v.mask = Some(mask.clone());
        }
    }
    let updated = Design::from_draft(draft)?;
    let out = a.output.clone().unwrap_or_else(|| a.design.clone());
    write_atomic(&out, updated.to_json().as_bytes())?;
    progress(a.quiet, &format!("wrote {}", out.display()));
    Ok(())
}
