//! Benchmark `sampler`: a 50 000-impression full-head design (hairline, three regions,
//! three sessions) from design to impressions, and the `fast_poisson` crate on the same
//! area at the radius that gives the same count, as the baseline of the ratio.
#![allow(missing_docs)] // criterion_group! generates an undocumented public function

use std::hint::black_box;

/// The allocator the `smp` binary uses (see smp-cli's main.rs), so the figures are the
/// app's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use smp_design::{Design, Pattern, PerCm2};
use smp_dots::field::DensityField;

/// Norwood 7 full head (top, crown, fringe) with densities raised to ~50 000 impressions.
pub fn full_head_50k() -> Design {
    let mut draft = Pattern::Norwood(7).template().unwrap().to_draft();
    for (r, d) in draft.regions.iter_mut().zip([113.0, 107.0, 107.0]) {
        r.density_per_cm2 = Some(PerCm2(d));
    }
    Design::from_draft(draft).unwrap()
}

fn fast_poisson_count(side: f64, radius: f64) -> usize {
    fast_poisson::Poisson2D::new()
        .with_dimensions([side, side], radius)
        .with_seed(7)
        .generate()
        .len()
}

fn bench(c: &mut Criterion) {
    let design = full_head_50k();
    let field = DensityField::new(&design);
    let imp = smp_dots::impressions::generate_in(&field);
    let count = imp.dots.len();
    let area_mm2: f64 = field.areas().iter().map(|a| a.mm2()).sum();
    let side = area_mm2.sqrt();
    // Radius for fast_poisson that yields the same count on a square of the same area.
    let (mut lo, mut hi) = (0.3, 2.0);
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        if fast_poisson_count(side, mid) > count {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let radius = (lo + hi) / 2.0;
    eprintln!(
        "sampler bench: {count} impressions over {:.0} cm²; fast_poisson radius {radius:.4} mm gives {}",
        area_mm2 / 100.0,
        fast_poisson_count(side, radius)
    );
    let mut g = c.benchmark_group("sampler");
    g.sample_size(20);
    g.bench_function("smp_full_head_50k", |b| {
        b.iter(|| smp_dots::generate(black_box(&design)).dots.len())
    });
    g.bench_function("smp_field_only", |b| {
        b.iter(|| DensityField::new(black_box(&design)).expected_counts().len())
    });
    g.bench_function("fast_poisson_same_count", |b| {
        b.iter(|| fast_poisson_count(black_box(side), black_box(radius)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
