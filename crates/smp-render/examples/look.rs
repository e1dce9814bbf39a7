//! Write before | after previews of a synthetic head to look at:
//! `cargo run -p smp-render --example look -- norwood-5 top healed 800 /tmp/look.png`.

use smp_color::pigments::PigmentLibrary;
use smp_dots::{Selection, impressions};
use smp_render::label::side_by_side;
use smp_render::preview::preview;
use smp_render::state::PreviewState;
use smp_synth::{SynthParams, SynthView, synth};

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let get = |i: usize, d: &str| a.get(i).cloned().unwrap_or_else(|| d.to_string());
    let pattern = get(0, "norwood-5").parse().expect("pattern");
    let view: SynthView = get(1, "top").parse().expect("view");
    let state: PreviewState = get(2, "healed").parse().expect("state");
    let width: u32 = get(3, "800").parse().expect("width");
    let out = get(4, "/tmp/look.png");
    let params = SynthParams {
        pattern,
        view,
        skin_type: get(5, "2").parse().expect("skin"),
        hair_level: get(6, "2").parse().expect("hair"),
        scar: None,
        seed: 7,
        width_px: width,
    };
    let head = synth(&params, "photo.png").expect("synth");
    let imp = impressions::generate(&head.design);
    let v = head.design.view(view.as_str()).expect("view");
    let dots = smp_render::preview::render_dots(
        &head.image,
        &head.design,
        v,
        &imp,
        state,
        Selection::All,
        &PigmentLibrary::builtin(),
    )
    .expect("dots");
    let cam = smp_photo::camera::PhotoCamera::estimate(&head.image, smp_render::preview::dots_box(&dots), head.px_per_mm);
    eprintln!(
        "camera: blur σ {:.2} px, grain {:?}, skin chroma {:?}",
        cam.blur_sigma_px, cam.grain_sigma, cam.light.skin_chroma
    );
    let t = std::time::Instant::now();
    let after = preview(
        &head.image,
        &head.design,
        v,
        &imp,
        state,
        Selection::All,
        &PigmentLibrary::builtin(),
    )
    .expect("preview");
    eprintln!("{} px/mm, render {:?}", head.px_per_mm, t.elapsed());
    side_by_side(&head.image, &after, "BEFORE", &format!("AFTER {state}"))
        .save(&out)
        .expect("save");
    // An optional crop "X,Y,W,H" of both, enlarged ZOOM times (nearest pixel), side by side.
    if let Some(c) = a.get(7) {
        let n: Vec<u32> = c.split(',').map(|v| v.parse().expect("crop")).collect();
        let zoom: u32 = get(8, "3").parse().expect("zoom");
        let crop = |img: &image::RgbImage| {
            let c = image::imageops::crop_imm(img, n[0], n[1], n[2], n[3]).to_image();
            image::imageops::resize(&c, n[2] * zoom, n[3] * zoom, image::imageops::FilterType::Nearest)
        };
        side_by_side(&crop(&head.image), &crop(&after), "BEFORE", "AFTER")
            .save(out.replace(".png", "-crop.png"))
            .expect("save crop");
    }
}
