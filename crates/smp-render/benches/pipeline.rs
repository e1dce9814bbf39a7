//! Benchmark `pipeline`: what `smp design fit` and `smp preview --state healed` do to a
//! 12-megapixel client photo — decode, analyse, fit, sample the impressions, render the
//! healed preview, encode — against decoding and encoding the same JPEG alone (the
//! baseline of the ratio, in the same run). Target (issue 13): ≤ 1.5 s for the whole.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function

use std::hint::black_box;
use std::io::Cursor;

/// The allocator the `smp` binary uses, so the figures are the app's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};
use smp_color::pigments::PigmentLibrary;
use smp_design::{Design, Pattern};
use smp_dots::{Selection, impressions};
use smp_photo::analyze::{Seeds, analyze};
use smp_photo::decode::{PhotoLimits, decode_photo};
use smp_photo::fit::{FitOptions, fit_design};
use smp_render::preview::preview;
use smp_render::state::PreviewState;
use smp_synth::{SynthParams, SynthView, synth};

/// 3098 × 3872 px: 12.0 megapixels, a phone photo.
const WIDTH_PX: u32 = 3098;

fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(Cursor::new(&mut out), 90)
        .write_image(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn whole(bytes: &[u8], design: &Design) -> usize {
    let photo = decode_photo(bytes, PhotoLimits::default()).unwrap();
    let view = &design.views()[0];
    let analysis = analyze(&photo, view, design, &Seeds::default()).unwrap();
    let fitted = fit_design(design, &view.name, &photo, &analysis.labels, FitOptions::default()).unwrap();
    let imp = impressions::generate(&fitted.design);
    let healed = preview(
        &photo,
        &fitted.design,
        &fitted.design.views()[0],
        &imp,
        PreviewState::Healed,
        Selection::All,
        &PigmentLibrary::builtin(),
    )
    .unwrap();
    jpeg(&healed).len()
}

fn bench(c: &mut Criterion) {
    let head = synth(
        &SynthParams {
            pattern: Pattern::Norwood(5),
            view: SynthView::Top,
            skin_type: 3,
            hair_level: 2,
            scar: None,
            seed: 9,
            width_px: WIDTH_PX,
        },
        "head.jpg",
    )
    .unwrap();
    let bytes = jpeg(&head.image);
    let mut g = c.benchmark_group("pipeline_12mp");
    g.sample_size(10);
    g.bench_function("baseline: decode + encode JPEG", |b| {
        b.iter(|| jpeg(&decode_photo(black_box(&bytes), PhotoLimits::default()).unwrap()).len())
    });
    g.bench_function("decode + analyse + fit + healed preview + encode", |b| {
        b.iter(|| whole(black_box(&bytes), &head.design))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
