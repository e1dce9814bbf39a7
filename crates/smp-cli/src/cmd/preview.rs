//! `smp preview`: the design on the client's photo, fresh, healed or aged.

use std::path::{Path, PathBuf};

use clap::Args;
use image::RgbImage;
use smp_color::pigments::PigmentLibrary;
use smp_design::{Design, View};
use smp_dots::impressions;
use smp_photo::decode::{PhotoError, PhotoLimits, load_photo};
use smp_render::label::side_by_side;
use smp_render::preview::preview_onto;
use smp_render::state::PreviewState;

use crate::cmd::{selection, selection_label};
use crate::error::CliError;
use crate::output::{progress, write_atomic};

/// Arguments of `smp preview`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp preview client.json --view top --state healed -o healed.png\n  smp preview client.json --photo top.jpg --state fresh --session 1 -o s1-fresh.png\n  smp preview client.json --view top --state aged:5 --side-by-side -o aged5.jpg\n  smp preview client.json --state healed --crop 400,300,600,400 -o hairline-closeup.png\n\nThe view (from `smp calibrate` or `smp synth`) maps the design onto the photo;\n--photo replaces the view's photo file (the design's only view is used without --view)."
)]
pub struct PreviewArgs {
    /// The design file.
    design: PathBuf,
    /// The photo; defaults to the view's file.
    #[arg(long)]
    photo: Option<PathBuf>,
    /// The calibrated view of the design to use (needed when it has several).
    #[arg(long)]
    view: Option<String>,
    /// fresh, healed, or aged:N (N years, 1–30).
    #[arg(long, default_value = "healed")]
    state: String,
    /// Only this session.
    #[arg(long)]
    session: Option<u8>,
    /// Sessions 1 to N.
    #[arg(long)]
    upto: Option<u8>,
    /// Before | after, labelled.
    #[arg(long)]
    side_by_side: bool,
    /// Only this part of the picture, "X,Y,W,H" in photo pixels (e.g. a close-up of the
    /// hairline).
    #[arg(long)]
    crop: Option<String>,
    /// Output image (.png or .jpg).
    #[arg(short, long)]
    output: PathBuf,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Map photo errors to exit codes: I/O is 1, everything about the file's content is 2.
pub fn photo_error(e: PhotoError) -> CliError {
    match e {
        PhotoError::Io { .. } => CliError::Other(e.to_string()),
        _ => CliError::BadInput(e.to_string()),
    }
}

/// The photo of `view` (`photo` replaces the view's file), decoded upright, with the view
/// fitted to its size: as it is, scaled (saying so) when the photo is a resized copy, or
/// refused when its shape differs.
pub fn load_view_photo(design_path: &Path, view: &View, photo: Option<&Path>, quiet: bool) -> Result<(RgbImage, View), CliError> {
    let path = photo.map_or_else(|| view_photo_path(design_path, view), Path::to_path_buf);
    progress(quiet, &format!("decoding {}…", path.display()));
    let img = load_photo(&path, PhotoLimits::default()).map_err(photo_error)?;
    let (fitted, note) = smp_photo::view::view_for_photo(view, img.width(), img.height())
        .map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?;
    if let Some(note) = note {
        progress(quiet, &note);
    }
    Ok((img, fitted))
}

/// The view to use: the named one, or the only one.
pub fn pick_view<'d>(design: &'d Design, name: Option<&str>) -> Result<&'d View, CliError> {
    let names = || design.views().iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(", ");
    match name {
        Some(n) => design.view(n).ok_or_else(|| {
            CliError::BadInput(format!(
                "the design has no view {n:?} (it has: {}); calibrate it with `smp calibrate`",
                if design.views().is_empty() { "none".into() } else { names() }
            ))
        }),
        None => match design.views() {
            [only] => Ok(only),
            [] => Err(CliError::BadInput(
                "the design has no calibrated photo view; run `smp calibrate` (or make a head with `smp synth`) first".into(),
            )),
            _ => Err(CliError::BadInput(format!(
                "the design has several views ({}); choose one with --view",
                names()
            ))),
        },
    }
}

/// The view's photo path, relative to the design file.
pub fn view_photo_path(design_path: &Path, view: &View) -> PathBuf {
    design_path.parent().unwrap_or(Path::new(".")).join(&view.file)
}

/// Run `smp preview`.
pub fn run(a: PreviewArgs) -> Result<(), CliError> {
    crate::output::check_writable(&a.output)?;
    let design = Design::load(&a.design)?;
    let state: PreviewState = a.state.parse().map_err(CliError::BadInput)?;
    let sel = selection(a.session, a.upto, design.sessions().count())?;
    let view = pick_view(&design, a.view.as_deref())?;
    // Refuse unknown region pigments before the slow photo decode.
    let library = PigmentLibrary::builtin();
    smp_render::preview::region_inks(&design, &library).map_err(|e| CliError::BadInput(format!("{}: {e}", a.design.display())))?;
    // The impressions depend on the design alone: sampled while the photo decodes.
    let (loaded, imp) = rayon::join(
        || load_view_photo(&a.design, view, a.photo.as_deref(), a.quiet),
        || impressions::generate(&design),
    );
    let (photo, view) = loaded?;
    let view = &view;
    progress(
        a.quiet,
        &format!(
            "{}×{} photo, {:.1} px/mm, {} impressions",
            photo.width(),
            photo.height(),
            view.mm_to_px.px_per_mm(),
            smp_plan::words::count(imp.dots.len() as u64)
        ),
    );
    progress(
        a.quiet,
        &format!("rendering {} of {} ({state})…", selection_label(sel), design.name()),
    );
    let t = std::time::Instant::now();
    // Region pigments name the built-in library; an unknown name is refused, not
    // silently drawn in carbon.
    // The original is kept only for the side-by-side; else the preview draws on it.
    let before = a.side_by_side.then(|| photo.clone());
    let (width, height) = photo.dimensions();
    let after = preview_onto(photo, &design, view, &imp, state, sel, &library)
        .map_err(|e| CliError::BadInput(format!("{}: {e}", a.design.display())))?;
    progress(a.quiet, &format!("rendered in {:.0} ms", t.elapsed().as_secs_f64() * 1e3));
    let label = match sel {
        smp_dots::Selection::All => format!("AFTER - {}", state.to_string().to_uppercase()),
        s => format!(
            "AFTER - {} - {}",
            state.to_string().to_uppercase(),
            selection_label(s).to_uppercase()
        ),
    };
    let (before, after) = match &a.crop {
        Some(c) => {
            let v = crate::cmd::calibrate::numbers(c, 4, "--crop")?;
            let fits = v.iter().all(|&n| n >= 0.0)
                && v[2] >= 1.0
                && v[3] >= 1.0
                && v[0] + v[2] <= f64::from(width)
                && v[1] + v[3] <= f64::from(height);
            if !fits {
                return Err(CliError::BadInput(format!("--crop {c} is not inside the {width}×{height} photo")));
            }
            let (x, y, w, h) = (v[0] as u32, v[1] as u32, v[2] as u32, v[3] as u32);
            let crop = |img: &RgbImage| image::imageops::crop_imm(img, x, y, w, h).to_image();
            (before.as_ref().map(crop), crop(&after))
        }
        None => (before, after),
    };
    let out = match &before {
        Some(photo) => side_by_side(photo, &after, "BEFORE", &label),
        None => after,
    };
    write_image(&a.output, &out)?;
    progress(a.quiet, &format!("wrote {}", a.output.display()));
    Ok(())
}

/// Quality of JPEG previews: high enough that the encoding does not smear the dots.
const JPEG_QUALITY: u8 = 90;

/// Encode an image by the output's extension and write it atomically.
pub fn write_image(path: &Path, img: &image::RgbImage) -> Result<(), CliError> {
    let format = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("png") => image::ImageFormat::Png,
        Some("jpg" | "jpeg") => image::ImageFormat::Jpeg,
        _ => return Err(CliError::BadInput(format!("{}: use a .png or .jpg file name", path.display()))),
    };
    let bytes = if format == image::ImageFormat::Jpeg {
        smp_photo::encode::jpeg(img, JPEG_QUALITY).map_err(|e| CliError::BadInput(format!("{}: {e}", path.display())))?
    } else {
        let mut buf = std::io::Cursor::new(Vec::new());
        img.write_to(&mut buf, format)
            .map_err(|e| CliError::Other(format!("cannot encode {}: {e}", path.display())))?;
        buf.into_inner()
    };
    write_atomic(path, &bytes)
}
