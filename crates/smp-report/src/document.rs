//! The report as a typst document: the facts written out as a data literal in front of
//! the fixed layout (`report.typ`), compiled in memory to PDF.

use serde_json::{Value, json};
use smp_plan::constants::{SESSION_HOURS, SMP_REMOVAL_SESSIONS};
use smp_render::state::PreviewState;
use typst::foundations::Datetime;
use typst_layout::PagedDocument;

use crate::error::ReportError;
use crate::facts::{Facts, SkinTypeSource};
use crate::format::{count, lab, money, money_range, roman};
use crate::info::Info;
use crate::input::ReportInput;
use crate::literal;
use crate::previews::Picture;
use crate::world::{FONT_FAMILY, MemoryWorld};

/// The fixed layout; it reads everything from `data`.
const LAYOUT: &str = include_str!("report.typ");

/// Paths of the in-memory files the layout loads.
const HAIRLINE_SVG: &str = "/hairline.svg";
const CHART_SVG: &str = "/sessions.svg";
/// Previews get fixed names (before, then one per state, then the progress pair) so the
/// set of interned typst file ids stays bounded however many reports a server makes.
const PICTURE_FILES: [&str; 6] = ["/p0.jpg", "/p1.jpg", "/p2.jpg", "/p3.jpg", "/p4.jpg", "/p5.jpg"];

/// Where the progress pair starts in [`PICTURE_FILES`].
const PROGRESS_FILE: usize = 4;

fn hours(min: f64, max: f64) -> String {
    format!("{:.1}–{:.1} h", min / 60.0, max / 60.0)
}

/// The facts as the layout's data (every figure already formatted).
pub fn data(input: &ReportInput<'_>, f: &Facts, pictures: &[Picture], progress: Option<&[Picture; 2]>, info: &Info) -> Value {
    let pics: Vec<Value> = pictures
        .iter()
        .zip(&PICTURE_FILES[..PROGRESS_FILE])
        .map(|(pic, file)| json!({"label": pic.label, "file": file}))
        .collect();
    let progress = progress.zip(input.progress).map(|(pair, p)| {
        json!({
            "view": p.view,
            "pictures": pair.iter().zip(&PICTURE_FILES[PROGRESS_FILE..]).map(|(pic, file)| json!({"label": pic.label, "file": file})).collect::<Vec<_>>(),
            "lined_up": p.lined_up_by.words(),
        })
    });
    json!({
        "font": FONT_FAMILY,
        "client": input.client,
        "clinic": input.clinic,
        "date": input.date.to_string(),
        "design": input.design.name(),
        "view": input.photo.view,
        "pictures": pics,
        "progress": progress,
        "aged_label": PreviewState::Aged(crate::constants::AGED_YEARS).to_string(),
        "hairline": {
            "svg": HAIRLINE_SVG,
            "present": f.hairline.is_some(),
            "height": f.hairline.and_then(|h| h.height_mm).map(|v| format!("{v:.0} mm")),
            "width": f.hairline.map(|h| format!("{:.0} mm", h.width_mm)),
        },
        "plan": plan_data(&f.plan),
        "pigment": pigment_data(f),
        "quote": quote_data(&f.quote),
        "skin_type": {
            "roman": roman(f.fitzpatrick),
            "source": match f.skin_type_source {
                SkinTypeSource::Clinic => "entered by the clinic".to_string(),
                SkinTypeSource::Colour => format!("estimated from the skin colour (ITA {:.0}°); the clinic can correct it", f.skin_tone.ita_deg),
            },
        },
        "removal": removal_data(f),
        "info": serde_json::to_value(info).expect("info serialises"),
    })
}

/// The treatment plan: area, regions, sessions and their times, touch-ups.
fn plan_data(p: &smp_plan::Plan) -> Value {
    let (t_lo, t_hi) = p.total_minutes();
    let sessions: Vec<Value> = p
        .sessions
        .iter()
        .map(|s| {
            json!({
                "n": s.session,
                "date": s.date.map(|d| d.to_string()),
                "impressions": count(s.impressions as u64),
                "done": format!("{:.0} %", s.cumulative_fraction * 100.0),
                "time": hours(s.minutes_min, s.minutes_max),
            })
        })
        .collect();
    let regions: Vec<Value> = p
        .regions
        .iter()
        .map(|r| json!({"name": r.name, "kind": r.kind.as_str(), "area": format!("{:.1}", r.area_cm2)}))
        .collect();
    json!({
        "area": format!("{:.1}", p.area_cm2),
        "regions": regions,
        "impressions": count(p.impressions as u64),
        "sessions": sessions,
        "session_count": p.sessions.len(),
        "spacing": p.spacing_days,
        "rate": format!("{:.0}–{:.0}", p.rate_per_min.min, p.rate_per_min.max),
        "typical_rate": format!("{:.0}", p.rate_per_min.typical),
        "total_time": hours(t_lo, t_hi),
        "chair_hours": format!("{:.0}–{:.0} h", SESSION_HOURS.0, SESSION_HOURS.1),
        "chart": CHART_SVG,
        "touch_up_years": format!("{}–{}", p.touch_up_years[0], p.touch_up_years[1]),
        "touch_ups": p.touch_ups.iter().map(|t| json!({"years": t.years, "date": t.date.map(|d| d.to_string())})).collect::<Vec<_>>(),
        "dated": p.sessions.first().is_some_and(|s| s.date.is_some()),
        "advice": p.advice,
    })
}

/// The pigment matched, the colours it was matched to and where they came from, its
/// alternatives and the regions' own choices.
fn pigment_data(f: &Facts) -> Value {
    let m = &f.pigment;
    let alternatives: Vec<Value> = m
        .alternatives
        .iter()
        .map(|c| json!({"pigment": c.pigment, "dilution": format!("1:{}", c.dilution), "de": format!("{:.2}", c.predicted_delta_e00)}))
        .collect();
    let source = |given: bool| {
        if given {
            "measured by the clinic"
        } else if f.corrected_by == Some(smp_photo::card::colour::Reference::Chart) {
            "measured from the photo through the colour chart held in it"
        } else if f.corrected_by == Some(smp_photo::card::colour::Reference::Card) {
            "measured from the photo through the calibration card held in it"
        } else {
            "estimated from the photo (no calibration card in it, so the room's light colours it)"
        }
    };
    json!({
        "name": m.pigment,
        "dilution": format!("1:{}", m.dilution),
        "de": format!("{:.2}", m.predicted_delta_e00),
        "de_words": smp_color::delta_e::difference_in_words(m.predicted_delta_e00),
        "predicted": lab(m.predicted_lab),
        "hair": lab(f.hair_lab),
        "hair_source": source(f.given.1),
        "skin": lab(f.skin_lab),
        "skin_source": source(f.given.0),
        "ita": format!("{:.0}°", f.skin_tone.ita_deg),
        "tone": f.skin_tone.category.as_str(),
        "alternatives": alternatives,
        "warnings": m.warnings,
        "sample_warnings": f.hair_sample_warnings,
        "chosen": f.chosen.iter().map(|c| json!({
            "region": c.region,
            "pigment": c.pigment,
            "dilution": format!("1:{}", c.dilution),
            "predicted": lab(c.predicted_lab),
            "de": format!("{:.2}", c.delta_e00),
            "same": c.pigment == m.pigment && c.dilution == m.dilution,
        })).collect::<Vec<_>>(),
    })
}

/// The quote: its range, its lines and what drives it, and a touch-up's price.
fn quote_data(q: &smp_plan::Quote) -> Value {
    let lines: Vec<Value> = q
        .breakdown
        .iter()
        .map(|l| {
            json!({
                "item": l.item,
                "range": money_range(&q.currency, l.min, l.max),
                "included": l.included,
            })
        })
        .collect();
    json!({
        "min": money(&q.currency, q.min),
        "max": money(&q.currency, q.max),
        "lines": lines,
        "drivers": q.drivers,
        "touch_up": format!("{} – {}", money(&q.currency, q.touch_up.min), money(&q.currency, q.touch_up.max)),
    })
}

/// What removal would take: the Kirby–Desai score and its parts.
fn removal_data(f: &Facts) -> Value {
    let k = &f.kirby_desai;
    let score_parts = json!([
        ["Skin type (Fitzpatrick)", roman(k.fitzpatrick), k.fitzpatrick],
        ["Location", k.location.as_str(), k.location.points()],
        ["Colours", k.colors.as_str(), k.colors.points()],
        ["Amount of ink", k.amount.as_str(), k.amount.points()],
        ["Scarring", k.scarring.as_str(), k.scarring.points()],
        ["Layering", k.layering.as_str(), k.layering.points()],
    ]);
    json!({
        "score": f.removal.kirby_desai_score,
        "sessions": format!("{}–{}", f.removal.sessions_min, f.removal.sessions_max),
        "parts": score_parts,
        "smp_sessions": format!("{}–{}", SMP_REMOVAL_SESSIONS.0, SMP_REMOVAL_SESSIONS.1),
        "note": f.removal.smp_note,
    })
}

/// The main source: the data literal, then the layout.
pub fn source(data: &Value) -> String {
    format!("#let data = {}\n{LAYOUT}", literal::value(data))
}

/// Compile `source` with its images (the previews, then the progress pair if any) to
/// PDF bytes.
pub fn compile(
    source: String,
    pictures: &[&Picture],
    hairline_svg: String,
    chart_svg: String,
    date: smp_plan::CivilDate,
) -> Result<Vec<u8>, ReportError> {
    let mut files: Vec<(&str, Vec<u8>)> = vec![(HAIRLINE_SVG, hairline_svg.into_bytes()), (CHART_SVG, chart_svg.into_bytes())];
    files.extend(pictures.iter().zip(PICTURE_FILES).map(|(p, f)| (f, p.jpeg.clone())));
    typeset(source, files, date)
}

/// Typesets a source with its in-memory files to PDF bytes.
pub fn typeset(source: String, files: Vec<(&str, Vec<u8>)>, date: smp_plan::CivilDate) -> Result<Vec<u8>, ReportError> {
    let today = Datetime::from_ymd(date.year, date.month as u8, date.day as u8);
    let world = MemoryWorld::new(source, files, today);
    let doc: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errs| ReportError::Typeset(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .map_err(|errs| ReportError::Typeset(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))
}
