//! Benchmark the photo analysis of a 12-megapixel synthetic head (norwood-5, top view,
//! camera noise and JPEG), against decoding the same JPEG as the baseline measured in
//! the same run. The budget for analysis, fit and healed render together is
//! 1.5 s; the analysis's share is meant to stay under ~0.4 s.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, criterion_group, criterion_main};
use image::ImageFormat;
use smp_design::Pattern;
use smp_photo::analyze::{Seeds, analyze};
use smp_photo::decode::{PhotoLimits, decode_photo};
use smp_synth::{SynthParams, SynthView, synth};

/// 3098 × 3873 pixels: 12.0 megapixels.
const WIDTH_PX: u32 = 3098;

fn bench(c: &mut Criterion) {
    let head = synth(
        &SynthParams {
            pattern: Pattern::Norwood(5),
            view: SynthView::Top,
            skin_type: 3,
            hair_level: 3,
            scar: None,
            seed: 7,
            width_px: WIDTH_PX,
        },
        "bench.jpg",
    )
    .expect("a valid synthetic head");
    let mut jpeg = Vec::new();
    head.image
        .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
        .expect("JPEG encodes");
    let photo = decode_photo(&jpeg, PhotoLimits::default()).expect("JPEG decodes");
    let view = &head.design.views()[0];
    let mut g = c.benchmark_group("analyze_12mp");
    g.sample_size(10);
    g.bench_function("baseline_decode_jpeg", |b| {
        b.iter(|| decode_photo(black_box(&jpeg), PhotoLimits::default()).unwrap())
    });
    g.bench_function("analyze", |b| {
        b.iter(|| analyze(black_box(&photo), view, &head.design, &Seeds::default()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
