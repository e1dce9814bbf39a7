//! Benchmark `report`: the whole client report of a full-size design (a norwood-5
//! synthetic head photo at full resolution), against two baselines in the same run: the
//! plan computation alone (sampling + plan + quote) and typst compiling a one-line
//! document with the same in-memory world.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use smp_color::pigments::PigmentLibrary;
use smp_design::Pattern;
use smp_plan::{CivilDate, Plan, PlanOptions, PriceList, RateRange};
use smp_report::world::MemoryWorld;
use smp_report::{ClientPhoto, ReportInput, render_report};
use smp_synth::{SynthParams, SynthView, synth};

fn bench(c: &mut Criterion) {
    let params = SynthParams {
        pattern: Pattern::Norwood(5),
        view: SynthView::Top,
        skin_type: 2,
        hair_level: 2,
        scar: None,
        seed: 7,
        // `smp synth`'s default width: the full-size head used everywhere else.
        width_px: 1200,
    };
    let head = synth(&params, "head.png").unwrap();
    let prices = PriceList::uk_default();
    let pigments = PigmentLibrary::builtin();
    let opts = PlanOptions {
        rate: RateRange::around(60.0).unwrap(),
        spacing_days: 12,
        start: Some(CivilDate::new(2026, 3, 2).unwrap()),
    };
    let input = ReportInput {
        design: &head.design,
        photo: ClientPhoto {
            view: "top",
            image: &head.image,
        },
        prices: &prices,
        pigments: &pigments,
        client: "Sam Smith",
        clinic: "Scalp Studio",
        date: CivilDate::new(2026, 2, 20).unwrap(),
        plan: &opts,
        fitzpatrick: None,
        scarring: None,
        skin_lab: None,
        hair_lab: None,
        progress: None,
    };
    let pdf = render_report(&input).unwrap();
    eprintln!(
        "report bench: {}×{} photo, {} KB PDF",
        head.image.width(),
        head.image.height(),
        pdf.len() / 1024
    );
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.bench_function("full_report", |b| b.iter(|| black_box(render_report(&input).unwrap())));
    g.bench_function("baseline_plan_only", |b| {
        b.iter(|| {
            let imp = smp_dots::generate(&head.design);
            let plan = Plan::new(&head.design, &imp, &opts).unwrap();
            black_box(prices.quote(&plan))
        })
    });
    g.bench_function("baseline_typst_minimal", |b| {
        b.iter(|| {
            let world = MemoryWorld::new("Hello, world.".into(), Vec::new(), None);
            let doc: typst_layout::PagedDocument = typst::compile(&world).output.unwrap();
            black_box(typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
