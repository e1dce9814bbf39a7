//! Time the phases of a healed preview on a synthetic head's photo:
//! `cargo run --release -p smp-render --example phases -- design.json photo.jpg`.

use std::time::Instant;

use smp_color::SkinOptics;
use smp_color::pigments::PigmentLibrary;
use smp_design::Design;
use smp_dots::Selection;
use smp_photo::camera::PhotoCamera;
use smp_photo::decode::{PhotoLimits, decode_photo};
use smp_render::preview::{dots_box, render_dots};
use smp_render::render::render_in;
use smp_render::state::PreviewState;

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let design = Design::parse(&std::fs::read_to_string(&a[0]).expect("design")).expect("parse");
    let bytes = std::fs::read(&a[1]).expect("photo");
    let t = Instant::now();
    let photo = decode_photo(&bytes, PhotoLimits::default()).expect("decode");
    eprintln!("decode {:?}", t.elapsed());
    let t = Instant::now();
    let imp = smp_dots::generate(&design);
    eprintln!("impressions {:?} ({})", t.elapsed(), imp.dots.len());
    let v = &design.views()[0];
    let t = Instant::now();
    let dots = render_dots(
        &photo,
        &design,
        v,
        &imp,
        PreviewState::Healed,
        Selection::All,
        &PigmentLibrary::builtin(),
    )
    .expect("dots");
    eprintln!("render dots {:?}", t.elapsed());
    let ppm = v.mm_to_px.px_per_mm();
    let t = Instant::now();
    let cam = PhotoCamera::estimate(&photo, dots_box(&dots), ppm);
    eprintln!("camera {:?}: blur {:.2}", t.elapsed(), cam.blur_sigma_px);
    let t = Instant::now();
    let out = render_in(&photo, &dots, ppm, &SkinOptics::default(), &cam, 1);
    eprintln!("render {:?}", t.elapsed());
    let t = Instant::now();
    let _ = render_in(&photo, &dots, ppm, &SkinOptics::default(), &PhotoCamera::ideal(), 1);
    eprintln!("render, ideal camera {:?}", t.elapsed());
    let mut c2 = cam.clone();
    c2.grain_sigma = [0.0; 3];
    let t = Instant::now();
    let _ = render_in(&photo, &dots, ppm, &SkinOptics::default(), &c2, 1);
    eprintln!("render, no grain {:?}", t.elapsed());
    let mut c3 = cam.clone();
    c3.light = smp_photo::camera::Light::none();
    let t = Instant::now();
    let _ = render_in(&photo, &dots, ppm, &SkinOptics::default(), &c3, 1);
    eprintln!("render, no light {:?}", t.elapsed());
    let t = Instant::now();
    let mut buf = std::io::Cursor::new(Vec::new());
    out.write_to(&mut buf, image::ImageFormat::Jpeg).expect("encode");
    eprintln!("encode {:?}", t.elapsed());
}
