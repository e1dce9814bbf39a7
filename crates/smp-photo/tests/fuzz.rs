//! Fuzzing the photo decoders for a fixed time (`SMP_FUZZ_SECONDS`, 20 s by default):
//! small valid JPEG, PNG and WebP files, mutated (bits flipped, runs cut or repeated,
//! header fields set to boundary values such as huge sizes, tails cut). Decoding must
//! never panic: a broken file is refused with a reason. Run by `scripts/fuzz.sh`.

#[path = "../../smp-design/tests/support/mutate.rs"]
mod mutate;

use image::{ImageEncoder, RgbImage};
use mutate::{Rng, budget, mutate};
use smp_photo::decode::{PhotoLimits, decode_photo};

/// A small photo-like image: a gradient with texture.
fn picture() -> RgbImage {
    RgbImage::from_fn(48, 36, |x, y| image::Rgb([(x * 5) as u8, (y * 7) as u8, ((x * y) % 251) as u8]))
}

/// The picture as JPEG, PNG and WebP files.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let img = picture();
    let (w, h) = img.dimensions();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    let mut webp = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut webp)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    vec![("jpeg", jpeg), ("png", png), ("webp", webp)]
}

#[test]
#[ignore = "fuzzing runs for a fixed time: scripts/fuzz.sh"]
fn the_photo_decoders_never_panic() {
    let seeds = seeds();
    for (kind, bytes) in &seeds {
        decode_photo(bytes, PhotoLimits::default()).unwrap_or_else(|e| panic!("the {kind} seed must decode: {e}"));
    }
    let mut rng = Rng(0x5eed_0002);
    let start = std::time::Instant::now();
    let (mut cases, mut decoded) = (0u64, 0u64);
    let mut refused = std::collections::BTreeMap::<String, u64>::new();
    while start.elapsed() < budget() {
        let (kind, seed) = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, seed);
        match std::panic::catch_unwind(|| decode_photo(&input, PhotoLimits::default())) {
            Ok(Ok(_)) => decoded += 1,
            Ok(Err(e)) => {
                let msg = e.to_string();
                assert!(!msg.trim().is_empty(), "an empty reason for a broken {kind}");
                *refused
                    .entry(msg.split([':', '(']).next().unwrap_or("").trim().to_string())
                    .or_default() += 1;
            }
            Err(_) => {
                let path = std::env::temp_dir().join(format!("smp-fuzz-crash-{cases}.{kind}"));
                std::fs::write(&path, &input).unwrap();
                panic!("a decoder panicked on a mutated {kind} (case {cases}, saved as {})", path.display());
            }
        }
        cases += 1;
    }
    println!(
        "photo decoders: {cases} cases in {:.0} s, {decoded} decoded, {} refused, 0 panics",
        start.elapsed().as_secs_f64(),
        refused.values().sum::<u64>()
    );
    for (why, n) in refused.iter().filter(|(_, n)| **n * 100 >= cases) {
        println!("  {n:>8}  {why}");
    }
    assert!(cases > 100, "too few cases ran");
}
