//! `smp color`: colour difference, skin tone, and pigment matching.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use smp_color::delta_e::delta_e00;
use smp_color::hair::estimate_level;
use smp_color::pigments::{PigmentError, PigmentLibrary, match_pigment};
use smp_color::skin;

use crate::error::CliError;
use crate::output::write_out;

/// Colour commands.
#[derive(Debug, Subcommand)]
pub enum ColorCmd {
    /// CIEDE2000 colour difference of two CIELAB colours.
    #[command(
        name = "delta-e",
        after_help = "Examples:\n  smp color delta-e \"50,2.6772,-79.7751\" \"50,0,-82.7485\"\n  smp color delta-e \"22,4,5\" \"25,3,6\" --json\n\nColours are CIELAB (D65) \"L,a,b\" with L* from 0 to 100.\nBelow ~1 is invisible, 2–3 is the usual limit of an acceptable match."
    )]
    DeltaE(DeltaEArgs),
    /// Skin tone: ITA°, its band and an estimated Fitzpatrick type.
    #[command(
        after_help = "Examples:\n  smp color skin \"66,9,15\"\n  smp color skin \"38,10,16\" --json\n\nBands (ITA°, Chardon et al. 1991): very-light > 55 ≥ light > 41 ≥ intermediate > 28 ≥ tan > 10 ≥ brown > −30 ≥ dark.\nThe Fitzpatrick type is an estimate from colour (Del Bino & Bernerd 2013): ask the client."
    )]
    Skin(SkinArgs),
    /// Recommend a pigment and dilution for the client's skin and hair, with predicted ΔE00.
    #[command(
        after_help = "Examples:\n  smp color match --skin \"66,9,15\" --hair \"22,4,5\"\n  smp color match --skin \"38,10,16\" --hair \"18,1,1\" --json\n  smp color match --skin \"66,9,15\" --hair \"30,6,9\" --pigments my-pigments.json\n\nThe pigment library is JSON (format \"smp-pigments\", see the built-in one in\ncrates/smp-color/data/pigments.json); dilution 1:N is 1 part pigment to N parts water."
    )]
    Match(MatchArgs),
    /// Robust CIELAB colour of a photo region (median; highlights and shadows excluded).
    #[command(
        after_help = "Examples:\n  smp color analyze --photo scalp.jpg --region 400,300,120,80\n  smp color analyze --photo scalp.jpg --region 400,300,120,80 --json\n\nThe region is x,y,width,height in pixels of the upright photo. Photos have no white\nreference here: colours are as the camera recorded them (assumed sRGB, D65)."
    )]
    Analyze(AnalyzeArgs),
}

/// Arguments of `smp color analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The photo (JPEG, PNG or WebP).
    #[arg(long)]
    photo: PathBuf,
    /// Region "x,y,w,h" in pixels.
    #[arg(long)]
    region: String,
    /// Machine-readable output: {"lab","pixels_used","pixels_excluded","warnings"}.
    #[arg(long)]
    json: bool,
}

/// Arguments of `smp color delta-e`.
#[derive(Debug, Args)]
pub struct DeltaEArgs {
    /// First colour, "L,a,b".
    #[arg(allow_hyphen_values = true)]
    first: String,
    /// Second colour, "L,a,b".
    #[arg(allow_hyphen_values = true)]
    second: String,
    /// Machine-readable output: {"delta_e00":…}.
    #[arg(long)]
    json: bool,
}

/// Arguments of `smp color skin`.
#[derive(Debug, Args)]
pub struct SkinArgs {
    /// Skin colour, "L,a,b".
    #[arg(allow_hyphen_values = true)]
    lab: String,
    /// Machine-readable output: {"ita_deg","category","fitzpatrick"}.
    #[arg(long)]
    json: bool,
}

/// Arguments of `smp color match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// The client's skin (scalp) colour, "L,a,b".
    #[arg(long, allow_hyphen_values = true)]
    skin: String,
    /// The client's hair (or stubble-tip) colour to match, "L,a,b".
    #[arg(long, allow_hyphen_values = true)]
    hair: String,
    /// A pigment library file (default: the built-in library).
    #[arg(long)]
    pigments: Option<PathBuf>,
    /// Machine-readable output:
    /// {"pigment","dilution","predicted_delta_e00","alternatives":[…],"warnings":[…]}.
    #[arg(long)]
    json: bool,
}

/// Parse a CIELAB colour "L,a,b" given as `what`, with L* in 0..=100.
pub fn parse_lab(what: &str, s: &str) -> Result<[f64; 3], CliError> {
    let bad = |why: String| CliError::BadInput(format!("{what} {s:?}: {why}; expected CIELAB \"L,a,b\", e.g. \"66,9,15\""));
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() != 3 {
        return Err(bad(format!("found {} number(s), need 3", parts.len())));
    }
    let mut lab = [0.0; 3];
    for (i, (p, name)) in parts.iter().zip(["L*", "a*", "b*"]).enumerate() {
        lab[i] = p
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(format!("{name} {p:?} is not a number")))?;
    }
    if !(0.0..=100.0).contains(&lab[0]) {
        return Err(bad(format!("L* {} is outside 0..100", lab[0])));
    }
    if lab[1].abs() > 128.0 || lab[2].abs() > 128.0 {
        return Err(bad("a* and b* must be within ±128".into()));
    }
    Ok(lab)
}

fn dilution_label(water_parts: u32) -> String {
    format!("1:{water_parts}")
}

fn json_line(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("json serialises") + "\n"
}

/// Run a colour subcommand.
pub fn run(cmd: ColorCmd) -> Result<(), CliError> {
    match cmd {
        ColorCmd::DeltaE(a) => {
            let x = parse_lab("first colour", &a.first)?;
            let y = parse_lab("second colour", &a.second)?;
            let d = delta_e00(x, y);
            let text = if a.json {
                json_line(&serde_json::json!({ "delta_e00": d }))
            } else {
                format!("ΔE00 {d:.4}\n")
            };
            write_out(None, text.as_bytes())
        }
        ColorCmd::Skin(a) => {
            let lab = parse_lab("skin colour", &a.lab)?;
            let t = skin::classify(lab).map_err(|e| CliError::BadInput(format!("skin colour {:?}: {e}", a.lab)))?;
            let text = if a.json {
                json_line(&serde_json::json!({
                    "ita_deg": t.ita_deg,
                    "category": t.category.as_str(),
                    "fitzpatrick": t.fitzpatrick,
                }))
            } else {
                format!(
                    "ITA {:.1}°: {}\nFitzpatrick type {} (estimate from colour only, Del Bino & Bernerd 2013; ask the client)\n",
                    t.ita_deg,
                    t.category,
                    roman(t.fitzpatrick)
                )
            };
            write_out(None, text.as_bytes())
        }
        ColorCmd::Match(a) => run_match(a),
        ColorCmd::Analyze(a) => run_analyze(a),
    }
}

fn roman(n: u8) -> &'static str {
    ["?", "I", "II", "III", "IV", "V", "VI"].get(usize::from(n)).copied().unwrap_or("?")
}

fn run_match(a: MatchArgs) -> Result<(), CliError> {
    let skin_lab = parse_lab("--skin", &a.skin)?;
    let hair_lab = parse_lab("--hair", &a.hair)?;
    let lib_err = |e: PigmentError| match e {
        PigmentError::Io { .. } => CliError::Other(e.to_string()),
        PigmentError::Skin(_) => CliError::BadInput(format!("--skin {:?}: {e}", a.skin)),
        _ => CliError::BadInput(match &a.pigments {
            Some(p) => format!("{}: {e}", p.display()),
            None => e.to_string(),
        }),
    };
    let library = match &a.pigments {
        Some(p) => PigmentLibrary::load(p).map_err(lib_err)?,
        None => PigmentLibrary::builtin(),
    };
    let m = match_pigment(skin_lab, hair_lab, &library).map_err(lib_err)?;
    let tone = skin::classify(skin_lab).map_err(|e| CliError::BadInput(format!("--skin {:?}: {e}", a.skin)))?;
    let level = estimate_level(hair_lab);
    let text = if a.json {
        let alternatives: Vec<_> = m
            .alternatives
            .iter()
            .map(|c| {
                serde_json::json!({
                    "pigment": c.pigment,
                    "dilution": dilution_label(c.dilution),
                    "predicted_lab": c.predicted_lab,
                    "predicted_delta_e00": c.predicted_delta_e00,
                })
            })
            .collect();
        json_line(&serde_json::json!({
            "pigment": m.pigment,
            "dilution": dilution_label(m.dilution),
            "predicted_lab": m.predicted_lab,
            "predicted_delta_e00": m.predicted_delta_e00,
            "alternatives": alternatives,
            "warnings": m.warnings,
            "skin": { "ita_deg": tone.ita_deg, "category": tone.category.as_str(), "fitzpatrick": tone.fitzpatrick },
            "hair_level": level.level,
        }))
    } else {
        let lab = |l: [f64; 3]| format!("L* {:.1}, a* {:.1}, b* {:.1}", l[0], l[1], l[2]);
        let mut out = format!(
            "skin: ITA {:.0}° ({}, Fitzpatrick {} estimate); hair: level {} ({}, estimate)\n",
            tone.ita_deg,
            tone.category,
            roman(tone.fitzpatrick),
            level.level,
            level.name
        );
        out.push_str(&format!(
            "recommended: {} {} — healed {} (ΔE00 {:.2} from the hair)\n",
            m.pigment,
            dilution_label(m.dilution),
            lab(m.predicted_lab),
            m.predicted_delta_e00
        ));
        for c in &m.alternatives {
            out.push_str(&format!(
                "  or {} {} — {} (ΔE00 {:.2})\n",
                c.pigment,
                dilution_label(c.dilution),
                lab(c.predicted_lab),
                c.predicted_delta_e00
            ));
        }
        for w in &m.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        out
    };
    write_out(None, text.as_bytes())
}

/// An 8-bit channel at or above this is clipped (a specular highlight or overexposure).
const CLIPPED_8BIT: u8 = 250;
/// Share of the region's darkest and lightest pixels (by L*) left out of the median:
/// deep shadows between hairs and specular sheen on skin are not the colour asked for.
const TRIM_SHARE: f64 = 0.10;
/// Warn of clipped highlights when more of the region than this is clipped.
const CLIPPED_WARN_SHARE: f64 = 0.02;
/// Warn "too dark" below this median L*: under-exposed colours are dominated by noise
/// and the camera's tone curve (darker than black hair, L* ≈ 15–20, domain.md).
const TOO_DARK_L: f64 = 12.0;
/// Warn of a colour cast when the photo's mean linear R, G, B differ by more than this
/// ratio (grey-world heuristic: a whole photo of a head and background averages near
/// neutral under neutral light; 1.6 leaves room for skin-dominated framing).
const CAST_RATIO: f64 = 1.6;

fn run_analyze(a: AnalyzeArgs) -> Result<(), CliError> {
    use smp_color::srgb::{linear_to_lab, rgb8_to_linear};
    use smp_render::photo::{PhotoLimits, load_photo};

    let bad_region = |why: String| {
        CliError::BadInput(format!(
            "--region {:?}: {why}; expected \"x,y,w,h\" in pixels, e.g. \"400,300,120,80\"",
            a.region
        ))
    };
    let nums: Vec<&str> = a.region.split(',').map(str::trim).collect();
    if nums.len() != 4 {
        return Err(bad_region(format!("found {} number(s), need 4", nums.len())));
    }
    let mut r = [0u32; 4];
    for (i, n) in nums.iter().enumerate() {
        r[i] = n
            .parse()
            .map_err(|_| bad_region(format!("{n:?} is not a whole number of pixels")))?;
    }
    let [x, y, w, h] = r;
    if w == 0 || h == 0 {
        return Err(bad_region("width and height must be at least 1".into()));
    }
    let photo = load_photo(&a.photo, PhotoLimits::default()).map_err(crate::cmd::preview::photo_error)?;
    let (pw, ph) = photo.dimensions();
    if u64::from(x) + u64::from(w) > u64::from(pw) || u64::from(y) + u64::from(h) > u64::from(ph) {
        return Err(bad_region(format!("it is outside the photo, which is {pw}×{ph} pixels")));
    }

    let mut labs = Vec::with_capacity((w * h) as usize);
    let mut clipped = 0usize;
    for yy in y..y + h {
        for xx in x..x + w {
            let p = photo.get_pixel(xx, yy).0;
            if p.iter().any(|&c| c >= CLIPPED_8BIT) {
                clipped += 1;
            } else {
                labs.push(linear_to_lab(rgb8_to_linear(p)));
            }
        }
    }
    let total = (w * h) as usize;
    if labs.is_empty() {
        return Err(bad_region(
            "every pixel in it is clipped white; choose a region of skin or hair, or retake the photo with less exposure".into(),
        ));
    }
    labs.sort_by(|p, q| p[0].total_cmp(&q[0]));
    let trim = (labs.len() as f64 * TRIM_SHARE).floor() as usize;
    let kept = &labs[trim..labs.len() - trim];
    let median = |i: usize| {
        let mut v: Vec<f64> = kept.iter().map(|l| l[i]).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
    };
    let lab = [median(0), median(1), median(2)];

    let mut warnings = Vec::new();
    let clipped_share = clipped as f64 / total as f64;
    if clipped_share > CLIPPED_WARN_SHARE {
        warnings.push(format!(
            "clipped highlights: {:.0} % of the region is blown out (left out); lower the exposure or avoid direct light",
            clipped_share * 100.0
        ));
    }
    if lab[0] < TOO_DARK_L {
        warnings.push(format!(
            "too dark: median L* {:.1} is below {TOO_DARK_L:.0}; the colour is unreliable — retake the photo in brighter, even light",
            lab[0]
        ));
    }
    let mut mean = [0.0f64; 3];
    for p in photo.pixels() {
        let l = rgb8_to_linear(p.0);
        for c in 0..3 {
            mean[c] += l[c];
        }
    }
    let (lo, hi) = mean.iter().fold((f64::MAX, 0.0f64), |(lo, hi), &m| (lo.min(m), hi.max(m)));
    if lo > 0.0 && hi / lo > CAST_RATIO {
        warnings.push(format!(
            "strong colour cast: the photo's average red/green/blue differ by {:.1}× (limit {CAST_RATIO}); use neutral light or white-balance the photo",
            hi / lo
        ));
    }

    let text = if a.json {
        json_line(&serde_json::json!({
            "lab": lab,
            "pixels_used": kept.len(),
            "pixels_excluded": total - kept.len(),
            "warnings": warnings,
        }))
    } else {
        let mut out = format!(
            "L* {:.1}, a* {:.1}, b* {:.1}  (median of {} pixels; {} clipped or in the darkest/lightest {:.0} % left out)\n",
            lab[0],
            lab[1],
            lab[2],
            kept.len(),
            total - kept.len(),
            TRIM_SHARE * 100.0
        );
        for w in &warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        out
    };
    write_out(None, text.as_bytes())
}
