//! Benchmark `render`: the healed preview of a 12-megapixel photo with ~50 000
//! impressions (decode and encode measured separately), the interactive 1600 px preview,
//! and `image::imageops::blur` at the skin profile's equivalent σ on the same photo as
//! the baseline of the ratio.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function

use std::hint::black_box;

/// The allocator the `smp` binary uses (see smp-cli's main.rs), so the figures are the
/// app's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::io::Cursor;

use criterion::{Criterion, criterion_group, criterion_main};
use image::{ImageFormat, Rgb, RgbImage};
use smp_color::SkinOptics;
use smp_color::pigments::PigmentLibrary;
use smp_design::{Design, MmToPx, Pattern, PerCm2, PointMm, View};
use smp_dots::Selection;
use smp_photo::camera::PhotoCamera;
use smp_photo::decode::{PhotoLimits, decode_photo};
use smp_render::preview::{dots_box, render_dots};
use smp_render::render::{render, render_in};
use smp_render::state::PreviewState;

/// Norwood 7 full head with densities raised to ~50 000 impressions.
fn full_head() -> Design {
    let mut draft = Pattern::Norwood(7).template().unwrap().to_draft();
    for (r, d) in draft.regions.iter_mut().zip([113.0, 107.0, 107.0]) {
        r.density_per_cm2 = Some(PerCm2(d));
    }
    Design::from_draft(draft).unwrap()
}

/// A skin-toned photo with grain and shading, `w`×`h`.
fn photo(w: u32, h: u32) -> RgbImage {
    let mut s = 11u64;
    RgbImage::from_fn(w, h, |x, y| {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let n = ((s >> 40) % 9) as f64 - 4.0;
        let (u, v) = (x as f64 / w as f64 - 0.5, y as f64 / h as f64 - 0.5);
        let shade = 1.0 - 0.5 * (u * u + v * v);
        Rgb([(214.0 * shade + n) as u8, (176.0 * shade + n) as u8, (150.0 * shade + n) as u8])
    })
}

fn view(px_per_mm: f64, w: u32, h: u32) -> View {
    View {
        name: "top".into(),
        file: "bench.jpg".into(),
        mm_to_px: MmToPx::from_similarity(
            PointMm::new(0.0, 210.0),
            (f64::from(w) / 2.0, f64::from(h) / 2.0),
            px_per_mm,
            (1.0, 0.0),
        ),
        head: None,
        mask: None,
        photo_size_px: Some([w, h]),
        analysis: None,
        card: None,
        chart: None,
    }
}

fn bench(c: &mut Criterion) {
    let design = full_head();
    let imp = smp_dots::generate(&design);
    let (w, h) = (4000, 3000);
    let big = photo(w, h);
    let mut jpeg = Cursor::new(Vec::new());
    big.write_to(&mut jpeg, ImageFormat::Jpeg).unwrap();
    let jpeg = jpeg.into_inner();
    let big_view = view(10.5, w, h);
    let library = PigmentLibrary::builtin();
    let dots = render_dots(&big, &design, &big_view, &imp, PreviewState::Healed, Selection::All, &library).unwrap();
    let small = image::imageops::resize(&big, 1600, 1200, image::imageops::FilterType::Triangle);
    let small_view = view(10.5 * 1600.0 / 4000.0, 1600, 1200);
    let small_dots = render_dots(&small, &design, &small_view, &imp, PreviewState::Healed, Selection::All, &library).unwrap();
    let optics = SkinOptics::default();
    // The red channel's RMS diffusion radius as one Gaussian: Σ w·v.
    let sigma_mm = (0..6)
        .map(|i| optics.weights[0][i] * optics.sigma_mm[i].powi(2))
        .sum::<f64>()
        .sqrt();
    eprintln!(
        "render bench: {} pigment disks from {} impressions on a {w}×{h} photo at 10.5 px/mm; interactive 1600×1200 with {}; blur σ = {:.2} mm = {:.1} px",
        dots.len(),
        imp.dots.len(),
        small_dots.len(),
        sigma_mm,
        sigma_mm * 10.5
    );
    let mut g = c.benchmark_group("render");
    g.sample_size(10);
    g.bench_function("decode_jpeg_12mp", |b| {
        b.iter(|| decode_photo(black_box(&jpeg), PhotoLimits::default()).unwrap().width())
    });
    // Baseline of the same run: what any tool pays to read and write the photo.
    g.bench_function("baseline_decode_encode_jpeg_12mp", |b| {
        b.iter(|| {
            let img = decode_photo(black_box(&jpeg), PhotoLimits::default()).unwrap();
            let mut buf = Cursor::new(Vec::new());
            img.write_to(&mut buf, ImageFormat::Jpeg).unwrap();
            buf.into_inner().len()
        })
    });
    // The preview as `smp preview` makes it: the camera read off the photo, then the
    // render through it.
    g.bench_function("healed_preview_12mp_with_camera", |b| {
        b.iter(|| {
            let cam = PhotoCamera::estimate(black_box(&big), dots_box(&dots), 10.5);
            render_in(black_box(&big), black_box(&dots), 10.5, &optics, &cam, 42).width()
        })
    });
    g.bench_function("camera_estimate_12mp", |b| {
        b.iter(|| PhotoCamera::estimate(black_box(&big), dots_box(&dots), 10.5).blur_sigma_px)
    });
    g.bench_function("healed_12mp_50k", |b| {
        b.iter(|| render(black_box(&big), black_box(&dots), 10.5, &optics).width())
    });
    g.bench_function("interactive_1600px", |b| {
        b.iter(|| render(black_box(&small), black_box(&small_dots), 10.5 * 0.4, &optics).width())
    });
    let out = render(&big, &dots, 10.5, &optics);
    g.bench_function("encode_png_12mp", |b| {
        b.iter(|| {
            let mut buf = Cursor::new(Vec::new());
            black_box(&out).write_to(&mut buf, ImageFormat::Png).unwrap();
            buf.into_inner().len()
        })
    });
    g.bench_function("encode_jpeg_12mp", |b| {
        b.iter(|| {
            let mut buf = Cursor::new(Vec::new());
            black_box(&out).write_to(&mut buf, ImageFormat::Jpeg).unwrap();
            buf.into_inner().len()
        })
    });
    g.bench_function("baseline_imageops_blur_12mp", |b| {
        b.iter(|| image::imageops::blur(black_box(&big), (sigma_mm * 10.5) as f32).width())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
