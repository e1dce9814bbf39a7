//! The PDF states the plan's figures (checked with poppler's `pdftotext`), renders
//! (`pdftoppm`), and shows hostile client names verbatim without breaking.
//!
//! Without poppler-utils these tests fail when `CI=true` and skip loudly otherwise.

use std::process::Command;
use std::sync::OnceLock;

use smp_color::pigments::{PigmentLibrary, match_pigment};
use smp_design::Pattern;
use smp_photo::sample::sample_design;
use smp_plan::{CivilDate, KirbyDesai, Plan, PlanOptions, PriceList, RateRange};
use smp_report::format::{count, money};
use smp_report::{ClientPhoto, LinedUpBy, ProgressPhotos, ReportInput, render_report};
use smp_synth::{SynthHead, SynthParams, SynthView, synth};

/// Every character typst markup or code gives a meaning to, plus a would-be injection.
const HOSTILE_CLIENT: &str = r##"Jo "#*$ O'Brien_ [x] {y} <z> @ref \n // /* ` ~ #panic("boom") = heading"##;
const HOSTILE_CLINIC: &str = r##"Clinic #set text(red) *bold* $a^2$ \"##;

fn head() -> &'static SynthHead {
    static HEAD: OnceLock<SynthHead> = OnceLock::new();
    HEAD.get_or_init(|| {
        let params = SynthParams {
            pattern: Pattern::Norwood(5),
            view: SynthView::Top,
            skin_type: 2,
            hair_level: 2,
            scar: None,
            seed: 7,
            width_px: 400,
        };
        synth(&params, "head.png").expect("synthetic head")
    })
}

fn options() -> PlanOptions {
    PlanOptions {
        rate: RateRange::around(60.0).unwrap(),
        spacing_days: 12,
        start: Some(CivilDate::new(2026, 3, 2).unwrap()),
    }
}

/// The report of the synthetic head with hostile names, made once for all tests.
fn pdf() -> &'static [u8] {
    static PDF: OnceLock<Vec<u8>> = OnceLock::new();
    PDF.get_or_init(|| {
        let h = head();
        let prices = PriceList::uk_default();
        let pigments = PigmentLibrary::builtin();
        let opts = options();
        let input = ReportInput {
            design: &h.design,
            photo: ClientPhoto {
                view: "top",
                image: &h.image,
            },
            prices: &prices,
            pigments: &pigments,
            client: HOSTILE_CLIENT,
            clinic: HOSTILE_CLINIC,
            date: CivilDate::new(2026, 2, 20).unwrap(),
            plan: &opts,
            fitzpatrick: None,
            scarring: None,
            skin_lab: None,
            hair_lab: None,
            progress: None,
        };
        render_report(&input).expect("report")
    })
}

/// A report input for `h` seen in `view`, with plain names and nothing measured.
fn plain_input<'a>(
    h: &'a SynthHead,
    view: &'a str,
    prices: &'a PriceList,
    pigments: &'a PigmentLibrary,
    plan: &'a PlanOptions,
) -> ReportInput<'a> {
    ReportInput {
        design: &h.design,
        photo: ClientPhoto { view, image: &h.image },
        prices,
        pigments,
        client: "A",
        clinic: "B",
        date: CivilDate::new(2026, 2, 20).unwrap(),
        plan,
        fitzpatrick: None,
        scarring: None,
        skin_lab: None,
        hair_lab: None,
        progress: None,
    }
}

/// Whether poppler's `tool` runs; fails under CI, skips loudly otherwise.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{tool} is missing: install poppler-utils (apt-get install -y poppler-utils)");
        }
        eprintln!("\n!!! SKIPPED: {tool} is missing; install poppler-utils to run this test !!!\n");
    }
    ok
}

/// The PDF's text with runs of whitespace as single spaces.
fn text() -> String {
    text_of(pdf(), "report.pdf")
}

/// The text of `pdf` (written to a temporary file `name`) as [`text`] gives it.
fn text_of(pdf: &[u8], name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("smp-report-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    // -layout keeps table rows together, so a row reads as one line.
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Issue 15: the client reads no internal names, file names, command lines or flags.
#[test]
fn the_report_speaks_the_clients_words() {
    if !have("pdftotext") {
        return;
    }
    let t = text();
    for word in [
        "domain.md",
        "the seed",
        "The seed",
        "smp ",
        " --",
        ".json",
        "stubble tool",
        "Rust",
        "smp-",
    ] {
        assert!(!t.contains(word), "the report says {word:?}: …{}…", {
            let i = t.find(word).unwrap();
            &t[t.floor_char_boundary(i.saturating_sub(60))..t.ceil_char_boundary((i + 60).min(t.len()))]
        });
    }
}

#[test]
fn pdf_text_states_the_plans_figures() {
    if !have("pdftotext") {
        return;
    }
    let t = text();
    // The figures, computed here from the library stages, not from the report.
    let h = head();
    let imp = smp_dots::generate(&h.design);
    let plan = Plan::new(&h.design, &imp, &options()).unwrap();
    let quote = PriceList::uk_default().quote(&plan);
    let view = h.design.view("top").unwrap();
    let s = sample_design(&h.design, view, &h.image).unwrap();
    let m = match_pigment(s.skin_lab.unwrap(), s.hair_lab.unwrap(), &PigmentLibrary::builtin()).unwrap();
    let fitz = smp_color::skin::classify(s.skin_lab.unwrap()).unwrap().fitzpatrick;
    let kd = KirbyDesai {
        fitzpatrick: fitz,
        location: "head-neck".parse().unwrap(),
        colors: "black".parse().unwrap(),
        amount: "minimal".parse().unwrap(),
        scarring: "none".parse().unwrap(),
        layering: "none".parse().unwrap(),
    }
    .estimate()
    .unwrap();

    let expect = |what: &str, s: String| assert!(t.contains(&s), "the PDF lacks the {what} {s:?}:\n{t}");
    expect("area", format!("{:.1} cm²", plan.area_cm2));
    for (i, sess) in plan.sessions.iter().enumerate() {
        expect(
            "session's impressions",
            format!("Session {} {} ", i + 1, count(sess.impressions as u64)),
        );
    }
    expect(
        "quote",
        format!("{} – {}", money(&quote.currency, quote.min), money(&quote.currency, quote.max)),
    );
    // The match in words on the first page and in the text, the number in a footnote.
    expect("ΔE00", format!("ΔE00 {:.2}", m.predicted_delta_e00));
    expect(
        "the match in words",
        smp_color::delta_e::difference_in_words(m.predicted_delta_e00).to_string(),
    );
    // The hair was sampled from a head photo too coarse to resolve stubble tips: the
    // report says so, with the sampler's own words.
    assert!(!s.hair_warnings.is_empty());
    expect("trust note", "How far to trust the sampled hair colour".to_string());
    for w in &s.hair_warnings {
        expect("hair-sample warning", w.split_whitespace().take(8).collect::<Vec<_>>().join(" "));
    }
    expect("Kirby-Desai score", format!("Kirby-Desai score {}", kd.kirby_desai_score));
    expect(
        "removal sessions",
        format!("{}–{} laser sessions", kd.sessions_min, kd.sessions_max),
    );
    expect("first session date", "2026-03-02".into());
    for title in [
        "Aftercare",
        "Risks and how we minimise them",
        "Alternatives to SMP",
        "What the evidence says",
        "Agreement",
    ] {
        expect("section", title.into());
    }
}

#[test]
fn hostile_names_show_verbatim() {
    if !have("pdftotext") {
        return;
    }
    let t = text();
    assert!(t.contains(HOSTILE_CLIENT), "client name not verbatim in:\n{t}");
    assert!(t.contains(HOSTILE_CLINIC.trim_end()), "clinic name not verbatim in:\n{t}");
    assert!(!t.contains("boom\n") && !t.contains("panicked"), "markup ran");
}

#[test]
fn page_one_renders_to_png() {
    if !have("pdftoppm") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("smp-report-png-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.pdf");
    std::fs::write(&path, pdf()).unwrap();
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "50", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg(dir.join("page"))
        .output()
        .expect("pdftoppm runs");
    assert!(out.status.success(), "pdftoppm failed: {}", String::from_utf8_lossy(&out.stderr));
    let png = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("page"))
        .expect("a page PNG");
    let img = image::open(png.path()).expect("a PNG");
    // A4 at 50 dpi is 413 × 585 px.
    assert_eq!((img.width(), img.height()), (414, 585));
}

/// Scar camouflage counts the scar in the removal estimate (Kirby-Desai "scarring"),
/// unless the clinic says otherwise; SMP over normal scalp counts none.
#[test]
fn scar_designs_count_scarring_in_the_removal_estimate() {
    let params = SynthParams {
        pattern: Pattern::FutScar,
        view: SynthView::Back,
        skin_type: 2,
        hair_level: 2,
        scar: None,
        seed: 3,
        width_px: 240,
    };
    let scar = synth(&params, "back.png").expect("synthetic back view");
    let prices = PriceList::uk_default();
    let pigments = PigmentLibrary::builtin();
    let opts = options();
    let mut input = plain_input(&scar, "back", &prices, &pigments, &opts);
    input.fitzpatrick = Some(2);
    let imp = smp_dots::generate(&scar.design);
    let f = smp_report::facts::facts(&input, &imp).unwrap();
    assert_eq!(f.kirby_desai.scarring.as_str(), "minimal");
    input.scarring = Some("moderate".parse().unwrap());
    let f = smp_report::facts::facts(&input, &imp).unwrap();
    assert_eq!(f.kirby_desai.scarring.as_str(), "moderate");
    let h = head();
    input.design = &h.design;
    input.photo = ClientPhoto {
        view: "top",
        image: &h.image,
    };
    input.scarring = None;
    let f = smp_report::facts::facts(&input, &smp_dots::generate(&h.design)).unwrap();
    assert_eq!(f.kirby_desai.scarring.as_str(), "none");
    // A norwood design draws a new hairline; scar work leaves the client's own.
    assert!(f.hairline.is_some_and(|d| d.height_mm.is_some_and(|mm| (mm - 80.0).abs() < 1.0)));
    input.design = &scar.design;
    input.photo = ClientPhoto {
        view: "back",
        image: &scar.image,
    };
    let f = smp_report::facts::facts(&input, &imp).unwrap();
    assert!(f.hairline.is_none(), "a scar design draws no hairline");
}

/// Issue 15: female-pattern (and scar) designs draw no new hairline, so the report shows
/// the treatment area and says the client's own hairline stays.
#[test]
fn designs_that_keep_the_clients_hairline_get_no_hairline_page() {
    if !have("pdftotext") {
        return;
    }
    let params = SynthParams {
        pattern: Pattern::Ludwig(2),
        view: SynthView::Top,
        skin_type: 3,
        hair_level: 4,
        scar: None,
        seed: 5,
        width_px: 240,
    };
    let l = synth(&params, "top.png").expect("synthetic head");
    let (prices, pigments, opts) = (PriceList::uk_default(), PigmentLibrary::builtin(), options());
    let input = plain_input(&l, "top", &prices, &pigments, &opts);
    let t = text_of(&render_report(&input).expect("report"), "ludwig");
    assert!(!t.contains("Your hairline") && !t.contains("Hairline height"), "{t}");
    assert!(t.contains("Your treatment area") && t.contains("No new hairline is drawn"), "{t}");
    assert!(text().contains("Your hairline"), "a norwood design keeps its page");
}

#[test]
fn the_designs_chosen_pigments_are_listed_with_their_predicted_match() {
    if !have("pdftotext") {
        return;
    }
    let h = head();
    let mut draft = h.design.to_draft();
    draft.regions[0].pigment = Some(smp_design::draft::PigmentDraft {
        name: "carbon black".into(),
        dilution: 3,
    });
    let design = smp_design::Design::from_draft(draft).unwrap();
    let (skin, hair) = ([68.0, 10.0, 16.0], [30.0, 3.0, 2.0]);
    let (prices, pigments, opts) = (PriceList::uk_default(), PigmentLibrary::builtin(), options());
    let input = ReportInput {
        design: &design,
        photo: ClientPhoto {
            view: "top",
            image: &h.image,
        },
        prices: &prices,
        pigments: &pigments,
        client: "Chosen Pigment",
        clinic: "Clinic",
        date: CivilDate::new(2026, 2, 20).unwrap(),
        plan: &opts,
        fitzpatrick: None,
        scarring: None,
        skin_lab: Some(skin),
        hair_lab: Some(hair),
        progress: None,
    };
    let t = text_of(&render_report(&input).unwrap(), "chosen.pdf");
    // Predicted here from the colour library, not read from the report.
    let carbon = &pigments.get("carbon black").unwrap().pigment;
    let lab = smp_color::pigments::predict_healed_lab(skin, carbon, 3);
    let de = smp_color::delta_e::delta_e00(lab, hair);
    let row = format!(
        "{} carbon black 1:3 L* {:.1}, a* {:.1}, b* {:.1}",
        design.regions()[0].name,
        lab[0],
        lab[1],
        lab[2]
    );
    assert!(t.contains("Chosen in the design"), "{t}");
    assert!(t.contains(&row), "the PDF lacks the row {row:?}:\n{t}");
    assert!(t.contains(&format!("{de:.2}")), "the PDF lacks ΔE00 {de:.2}");
    // The clinic's own colours carry no sampling warning.
    assert!(!t.contains("How far to trust the sampled hair colour"));
}

/// Issue 15: a session that needs more needle time than a session lasts (norwood-7,
/// session 2: over 5 hours at the slow end of the rate) gets the advice to add one.
#[test]
fn a_session_too_long_for_one_sitting_gets_the_advice_to_add_one() {
    if !have("pdftotext") {
        return;
    }
    let params = SynthParams {
        pattern: Pattern::Norwood(7),
        view: SynthView::Top,
        skin_type: 3,
        hair_level: 2,
        scar: None,
        seed: 5,
        width_px: 240,
    };
    let h = synth(&params, "top.png").expect("synthetic head");
    let (prices, pigments, opts) = (PriceList::uk_default(), PigmentLibrary::builtin(), options());
    let plan = smp_plan::Plan::new(&h.design, &smp_dots::generate(&h.design), &opts).unwrap();
    assert!(!plan.advice.is_empty(), "norwood-7 has a session over 5 h: {:?}", plan.sessions);
    let t = text_of(
        &render_report(&plain_input(&h, "top", &prices, &pigments, &opts)).expect("report"),
        "norwood7",
    );
    assert!(t.contains("no session runs over"), "{t}");
}

/// The number of images `pdfimages -list` finds in `pdf`.
fn image_count(pdf: &[u8], name: &str) -> usize {
    let path = std::env::temp_dir().join(format!("smp-report-test-{}-{name}", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfimages").arg("-list").arg(&path).output().expect("pdfimages runs");
    assert!(out.status.success(), "pdfimages failed: {}", String::from_utf8_lossy(&out.stderr));
    // Two header lines, then one line per image.
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .count()
}

/// Issue 16: a progress pair adds a page section with both visits' photos, dated, and
/// says how they were lined up; without one the section is absent.
#[test]
fn progress_photos_from_two_visits_show_side_by_side() {
    if !have("pdftotext") || !have("pdfimages") {
        return;
    }
    let h = head();
    let (prices, pigments, opts) = (PriceList::uk_default(), PigmentLibrary::builtin(), options());
    let later = image::imageops::brighten(&h.image, 10);
    let mut input = plain_input(h, "top", &prices, &pigments, &opts);
    let without = render_report(&input).unwrap();
    input.progress = Some(ProgressPhotos {
        view: "top",
        earlier: &h.image,
        earlier_date: Some(CivilDate::new(2026, 3, 2).unwrap()),
        later: &later,
        later_date: Some(CivilDate::new(2026, 9, 10).unwrap()),
        lined_up_by: LinedUpBy::Card,
    });
    let with = render_report(&input).unwrap();
    let (t0, t1) = (text_of(&without, "without.pdf"), text_of(&with, "with.pdf"));
    assert!(
        !t0.contains("Your progress"),
        "a report without a second visit has a progress section"
    );
    for want in ["Your progress", "earlier: 2026-03-02", "later: 2026-09-10", LinedUpBy::Card.words()] {
        assert!(t1.contains(want), "the progress section lacks {want:?}:\n{t1}");
    }
    assert_eq!(image_count(&with, "with.pdf"), image_count(&without, "without.pdf") + 2);
}
