//! `smp color`: colour difference, skin tone, and pigment matching.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use smp_color::delta_e::delta_e00;
use smp_color::hair::{HairLevel, estimate_level};
use smp_color::pigments::{Match, PigmentError, PigmentLibrary, match_pigment};
use smp_color::skin;
use smp_design::draft::PigmentDraft;
use smp_design::{Design, RegionKind};
use smp_photo::card::colour::Reference;
use smp_photo::matching::{GivenColours, PhotoMatch, PhotoMatchError, match_json, match_on_photo};
use smp_report::format::{lab, roman};

use crate::error::CliError;
use crate::output::{write_atomic, write_out};

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
        after_help = "Examples:\n  smp color match --skin \"66,9,15\" --hair \"22,4,5\"\n  smp color match --skin \"38,10,16\" --hair \"18,1,1\" --json\n  smp color match --skin \"66,9,15\" --hair \"30,6,9\" --pigments my-pigments.json\n  smp color match client.json --view top\n  smp color match client.json --view top --write --json\n\nThe pigment library is JSON (format \"smp-pigments\", see the built-in one in\ncrates/smp-color/data/pigments.json); dilution 1:N is 1 part pigment to N parts water.\n\nWith a design, skin and hair are sampled from the view's photo over the treat and blend\nregions: with the view's mask (smp mask) scalp pixels give the skin and hair pixels the\nhair; without one, the lightest third gives the skin and the darkest tenth the hair.\n--skin or --hair replace a sampled colour, and so do colours the design stores (its\n\"colours\": measured by the clinic). The output adds the whole-area effect at the\ndesign's density next to the haired (blend) area's colour; --write stores the\nrecommended pigment and dilution in every treat and blend region, and --skin/--hair\nin the design's colours.\n\nMatch on stubble tips, not cut hair: pigment lies under skin, and so do the tips.\n  smp color match client.json --view top --stubble closeup.jpg --stubble-px-per-mm 30 --write\n(or give smp stubble's tip_lab as --hair)."
    )]
    Match(MatchArgs),
    /// Robust CIELAB colour of a photo region (median; highlights and shadows excluded).
    #[command(
        after_help = "Examples:\n  smp color analyze client.json --view top --region 400,300,120,80\n  smp color analyze --photo scalp.jpg --region 400,300,120,80\n  smp color analyze --photo scalp.jpg --region 400,300,120,80 --json\n  smp color analyze --photo scalp.jpg --region 400,300,120,80 --white 60,60,40,40\n\nThe region is x,y,width,height in pixels of the upright photo. Without --white colours\nare as the camera recorded them (assumed sRGB, D65); with a white or grey card marked\nby --white the photo is first balanced so the card is neutral. With a design, the region\nis read in the view's photo, through its calibration card (smp calibrate --card) if any."
    )]
    Analyze(AnalyzeArgs),
    /// Read a ColorChecker colour chart in a view's photo: its colours then correct every colour read from that photo.
    #[command(
        after_help = "Examples:\n  # the chart found by itself\n  smp color chart client.json --view top\n  # click the centres of the four corner patches (any order): dark skin, bluish green, black, white\n  smp color chart client.json --view top --corners 410,1220 1010,1230 1000,1610 405,1600\n  smp color chart client.json --view top --corners 410,1220 1010,1230 1000,1610 405,1600 --json\n\nHold a ColorChecker Classic (24 patches) flat beside the scalp, in the same light, and\nit is found by itself; if it is not, click the middle of its four corner patches\n(--corners). Its six greys fit the camera's white\nbalance, exposure and tone curve; its colours, skin tones among them, a colour matrix.\nThe view stores the correction; colours read from this photo (smp color analyze,\nsmp color match, the report) go through it instead of the calibration card's.\nThe design is written atomically: the old file stays if anything fails."
    )]
    Chart(crate::cmd::chart::ChartArgs),
}

/// Arguments of `smp color analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// A design: the region is read in its view's photo, through the view's calibration
    /// card when `smp calibrate --card` found one.
    design: Option<PathBuf>,
    /// The design's view (default: its only or first view).
    #[arg(long, requires = "design")]
    view: Option<String>,
    /// The photo (JPEG, PNG or WebP), for a quick check without a design.
    #[arg(long, required_unless_present = "design", conflicts_with = "design")]
    photo: Option<PathBuf>,
    /// Region "x,y,w,h" in pixels.
    #[arg(long)]
    region: String,
    /// A white or grey reference card in the photo, "x,y,w,h": the photo is balanced so
    /// the card is neutral before the region is measured.
    #[arg(long)]
    white: Option<String>,
    /// Machine-readable output: {"lab","pixels_used","pixels_excluded","white_gains","through_card","through_chart","warnings"}.
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
    /// A design file: sample skin and hair from its view's photo (relative to the design).
    design: Option<PathBuf>,
    /// The design's view to sample (needed when it has several).
    #[arg(long, requires = "design")]
    view: Option<String>,
    /// Store the recommended pigment and dilution in every treat and blend region of the
    /// design (the file is replaced atomically, never on error).
    #[arg(long, requires = "design")]
    write: bool,
    /// The client's skin (scalp) colour, "L,a,b" (sampled from the photo with a design).
    #[arg(long, allow_hyphen_values = true)]
    skin: Option<String>,
    /// The client's hair (or stubble-tip) colour to match, "L,a,b" (sampled with a design).
    #[arg(long, allow_hyphen_values = true)]
    hair: Option<String>,
    /// A close-up photo of the client's shaved native hair: match on the stubble tips
    /// found in it (as `smp stubble` finds them) instead of --hair.
    #[arg(long, conflicts_with = "hair", requires = "stubble_px_per_mm")]
    stubble: Option<PathBuf>,
    /// Scale of the --stubble close-up, pixels per mm (25 or more resolves the tips).
    #[arg(long, requires = "stubble")]
    stubble_px_per_mm: Option<f64>,
    /// A pigment library file (default: the built-in library).
    #[arg(long)]
    pigments: Option<PathBuf>,
    /// Machine-readable output:
    /// {"pigment","dilution","predicted_delta_e00","alternatives":[…],"warnings":[…]}, with
    /// a design also "skin_lab", "hair_lab" and "area_effect".
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
    match smp_color::srgb::lab_range_error(lab) {
        Some(why) => Err(bad(why)),
        None => Ok(lab),
    }
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
        ColorCmd::Chart(a) => crate::cmd::chart::run(a),
    }
}

/// Match on the view photo of the design at `path`; colours given on the command line
/// replace the sampled ones (and excuse their absence).
fn match_on_design(
    path: &Path,
    view_name: Option<&str>,
    given: GivenColours,
    library: &PigmentLibrary,
) -> Result<(Design, PhotoMatch), CliError> {
    let design = Design::load(path)?;
    let view = crate::cmd::preview::pick_view(&design, view_name)?;
    let (photo, view) = crate::cmd::preview::load_view_photo(path, view, None, true)?;
    let m = match_on_photo(&design, &view, &photo, given, library).map_err(|e| match e {
        PhotoMatchError::NotSkin { .. } => CliError::BadInput(e.to_string()),
        PhotoMatchError::NoSkin(_) => CliError::BadInput(format!("{e} (--skin)")),
        PhotoMatchError::NoHair(_) => CliError::BadInput(format!("{e} (--hair; smp mask marks hair)")),
        e => CliError::BadInput(format!("{}: {e}", path.display())),
    })?;
    Ok((design, m))
}

/// The median stubble-tip colour of a close-up, with the detector's warnings.
fn stubble_tips(photo: &Path, px_per_mm: f64) -> Result<([f64; 3], Vec<String>), CliError> {
    use smp_photo::decode::{PhotoLimits, load_photo};
    use smp_photo::stubble::{StubbleOptions, detect_stubble};

    if !(px_per_mm.is_finite() && px_per_mm > 0.0) {
        return Err(CliError::BadInput(format!(
            "--stubble-px-per-mm {px_per_mm} must be a positive number (measure it on a ruler in the close-up)"
        )));
    }
    let img = load_photo(photo, PhotoLimits::default()).map_err(|e| CliError::BadInput(e.to_string()))?;
    let r = detect_stubble(&img, &StubbleOptions::new(px_per_mm)).map_err(|e| CliError::BadInput(format!("{}: {e}", photo.display())))?;
    let tip = r.tip_lab.ok_or_else(|| {
        CliError::BadInput(format!(
            "no stubble tips found in {}: {}; give --hair instead",
            photo.display(),
            if r.warnings.is_empty() {
                "check the scale and the light".to_string()
            } else {
                r.warnings.join("; ")
            }
        ))
    })?;
    let warnings = r.warnings.into_iter().map(|w| format!("stubble close-up: {w}")).collect();
    Ok((tip, warnings))
}

fn run_match(a: MatchArgs) -> Result<(), CliError> {
    let (stubble_hair, stubble_warnings) = match (&a.stubble, a.stubble_px_per_mm) {
        (Some(p), Some(ppm)) => {
            let (tip, w) = stubble_tips(p, ppm)?;
            (Some(tip), w)
        }
        _ => (None, Vec::new()),
    };
    let given = GivenColours {
        skin_lab: a.skin.as_deref().map(|s| parse_lab("--skin", s)).transpose()?,
        hair_lab: a.hair.as_deref().map(|s| parse_lab("--hair", s)).transpose()?.or(stubble_hair),
    };
    let library = match &a.pigments {
        Some(p) => PigmentLibrary::load(p).map_err(|e| library_error(&a, e))?,
        None => PigmentLibrary::builtin(),
    };
    let Some(path) = &a.design else {
        return match_given(&a, given, &library, &stubble_warnings);
    };

    let (design, mut pm) = match_on_design(path, a.view.as_deref(), given, &library)?;
    pm.matched.warnings.extend(stubble_warnings);
    if a.write {
        store_match(path, &design, given, &pm.matched)?;
    }
    let text = if a.json {
        json_line(&pm.to_json(a.write))
    } else {
        let mut out = design_match_text(&pm);
        if a.write {
            out.push_str(&format!(
                "stored {} {} in the treat and blend regions of {}\n",
                pm.matched.pigment,
                dilution_label(pm.matched.dilution),
                path.display()
            ));
        }
        out
    };
    write_out(None, text.as_bytes())
}

/// A pigment library error as the CLI reports it: unreadable files are not the user's
/// input, anything else names the library file of `--pigments`.
fn library_error(a: &MatchArgs, e: PigmentError) -> CliError {
    match e {
        PigmentError::Io { .. } => CliError::Other(e.to_string()),
        _ => CliError::BadInput(match &a.pigments {
            Some(p) => format!("{}: {e}", p.display()),
            None => e.to_string(),
        }),
    }
}

/// `smp color match` without a design: on the colours given (both needed), with the
/// stubble close-up's warnings.
fn match_given(a: &MatchArgs, given: GivenColours, library: &PigmentLibrary, stubble_warnings: &[String]) -> Result<(), CliError> {
    let (Some(skin_lab), Some(hair_lab)) = (given.skin_lab, given.hair_lab) else {
        return Err(CliError::BadInput(
            "give --skin and --hair (or --stubble), or a design to sample them from: smp color match D --view NAME".into(),
        ));
    };
    let mut m = match match_pigment(skin_lab, hair_lab, library) {
        Err(PigmentError::Skin(e)) => return Err(CliError::BadInput(format!("--skin {skin_lab:?}: {e}"))),
        r => r.map_err(|e| library_error(a, e))?,
    };
    m.warnings.extend(stubble_warnings.iter().cloned());
    let tone = skin::classify(skin_lab).map_err(|e| CliError::BadInput(format!("--skin {skin_lab:?}: {e}")))?;
    let level = estimate_level(hair_lab);
    let text = if a.json {
        json_line(&match_json(&m, &tone, &level))
    } else {
        let mut out = match_text(&m, &tone, &level);
        for w in &m.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        out
    };
    write_out(None, text.as_bytes())
}

/// Store match `m` in every treat and blend region of the design at `path`, and the
/// colours `given` on the command line in its colours.
fn store_match(path: &Path, design: &Design, given: GivenColours, m: &Match) -> Result<(), CliError> {
    let mut draft = design.to_draft();
    // Colours measured on the command line are kept with the choice they led to.
    draft.colours.skin_lab = given.skin_lab.or(draft.colours.skin_lab);
    draft.colours.hair_lab = given.hair_lab.or(draft.colours.hair_lab);
    for r in draft
        .regions
        .iter_mut()
        .filter(|r| matches!(r.kind, RegionKind::Treat | RegionKind::Blend))
    {
        r.pigment = Some(PigmentDraft {
            name: m.pigment.clone(),
            dilution: m.dilution,
        });
    }
    let updated = Design::from_draft(draft).map_err(|e| {
        CliError::BadInput(format!(
            "{}: cannot store {} {} in the design (unchanged): {e}",
            path.display(),
            m.pigment,
            dilution_label(m.dilution)
        ))
    })?;
    write_atomic(path, updated.to_json().as_bytes())
}

/// A match on a design's photo, for people: the sampled colours, the recommendation, the
/// whole area's effect beside the haired area, and the warnings.
fn design_match_text(pm: &PhotoMatch) -> String {
    let m = &pm.matched;
    let sampled = match pm.corrected_by {
        Some(Reference::Card) => " (sampled through the calibration card)",
        Some(Reference::Chart) => " (sampled through the colour chart)",
        None => " (sampled; no calibration card or colour chart in the photo, so an estimate)",
    };
    let given_or_sampled = |g: bool| if g { " (measured)" } else { sampled };
    let mut out = format!(
        "view {:?}: skin {}{}; hair {}{}\n",
        pm.view,
        lab(pm.skin_lab),
        given_or_sampled(pm.skin_given),
        lab(pm.hair_lab),
        given_or_sampled(pm.hair_given)
    );
    out.push_str(&match_text(m, &pm.skin_tone, &pm.hair_level));
    out.push_str(&format!(
        "whole area at {:.0}/cm²: {}",
        pm.density_per_cm2,
        lab(pm.predicted_area_lab)
    ));
    match (pm.hair_area_lab, pm.area_delta_e00()) {
        (Some(h), Some(e)) => out.push_str(&format!("; the client's haired (blend) area: {} (ΔE00 {e:.2})\n", lab(h))),
        _ => out.push_str("; no blend region in the photo to compare with the haired area\n"),
    }
    for w in m.warnings.iter().chain(&pm.hair_sample_warnings) {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

/// The skin, hair, recommendation and alternatives lines of a match, for people.
fn match_text(m: &Match, tone: &skin::SkinTone, hair: &HairLevel) -> String {
    let mut out = format!(
        "skin: ITA {:.0}° ({}, Fitzpatrick {} estimate); hair: level {} ({}, estimate)\n",
        tone.ita_deg,
        tone.category,
        roman(tone.fitzpatrick),
        hair.level,
        hair.name
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
    out
}

fn run_analyze(a: AnalyzeArgs) -> Result<(), CliError> {
    use smp_photo::decode::{PhotoLimits, load_photo};
    use smp_photo::region_colour::{Balance, RegionError, TRIM_SHARE, parse_rect, region_colour};

    let bad_region = |why: String| {
        CliError::BadInput(format!(
            "--region {:?}: {why}; expected \"x,y,w,h\" in pixels, e.g. \"400,300,120,80\"",
            a.region
        ))
    };
    let region = parse_rect(&a.region).map_err(bad_region)?;
    let (photo, card) = match (&a.design, &a.photo) {
        (Some(d), _) => {
            let design = Design::load(d)?;
            let view = crate::cmd::preview::pick_view(&design, a.view.as_deref())?;
            let (photo, view) = crate::cmd::preview::load_view_photo(d, view, None, true)?;
            (photo, smp_photo::card::ColourCorrection::of_view(&view))
        }
        (None, Some(p)) => (
            load_photo(p, PhotoLimits::default()).map_err(crate::cmd::preview::photo_error)?,
            None,
        ),
        (None, None) => return Err(CliError::BadInput("give a design (and --view) or --photo".into())),
    };
    let white = a.white.as_deref().map(|spec| {
        parse_rect(spec).map_err(|why| {
            CliError::BadInput(format!(
                "--white {spec:?}: {why}; mark a white or grey card as \"x,y,w,h\" in pixels"
            ))
        })
    });
    let balance = match (card, white) {
        (Some(_), Some(_)) => {
            return Err(CliError::BadInput(
                "the view's calibration card or colour chart already balances the photo: leave out --white".into(),
            ));
        }
        (Some(k), None) => Balance::Corrected(k),
        (None, Some(r)) => Balance::WhiteCard(r?),
        (None, None) => Balance::AsRecorded,
    };
    let r = region_colour(&photo, region, balance).map_err(|e| match e {
        RegionError::Outside { .. } | RegionError::AllClipped => bad_region(e.to_string()),
        e => CliError::BadInput(format!("--white {:?}: {e}", a.white.as_deref().unwrap_or_default())),
    })?;
    let text = if a.json {
        json_line(&serde_json::json!({
            "lab": r.lab,
            "pixels_used": r.pixels_used,
            "pixels_excluded": r.pixels_excluded,
            "white_gains": r.white_gains,
            "through_card": r.corrected_by == Some(Reference::Card),
            "through_chart": r.corrected_by == Some(Reference::Chart),
            "warnings": r.warnings,
        }))
    } else {
        let mut out = format!(
            "L* {:.1}, a* {:.1}, b* {:.1}  (median of {} pixels; {} clipped or in the darkest/lightest {:.0} % left out)\n",
            r.lab[0],
            r.lab[1],
            r.lab[2],
            r.pixels_used,
            r.pixels_excluded,
            TRIM_SHARE * 100.0
        );
        match r.corrected_by {
            Some(Reference::Card) => out.push_str("measured through the view's calibration card\n"),
            Some(Reference::Chart) => out.push_str("measured through the view's colour chart\n"),
            None => {}
        }
        for w in &r.warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        out
    };
    write_out(None, text.as_bytes())
}
