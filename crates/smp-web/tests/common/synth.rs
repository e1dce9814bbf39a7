//! Synthetic heads for the fit and calibration tests, with their truth.

/// A synthetic norwood-4 head seen from `view`, `width_px` wide, as a PNG, with its truth.
pub fn head(view: smp_synth::SynthView, width_px: u32) -> (Vec<u8>, smp_synth::SynthHead) {
    let head = smp_synth::synth(
        &smp_synth::SynthParams {
            pattern: "norwood-4".parse().unwrap(),
            view,
            skin_type: 2,
            hair_level: 2,
            scar: None,
            seed: 5,
            width_px,
        },
        "photo.png",
    )
    .unwrap();
    let mut png = Vec::new();
    head.image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    (png, head)
}
