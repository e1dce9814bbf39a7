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

/// A synthetic top view of `pattern` (skin type `skin`, `width_px` wide) under a light of
/// colour `cast` and `exposure_ev` stops, with the printed calibration card beside the
/// head turned, tilted and tilted about the axes `card` gives in degrees
/// (`[rotation, tilt, tilt_axis]`), or without the card.
pub fn top_with_card(
    pattern: &str,
    skin: u8,
    seed: u64,
    width_px: u32,
    card: Option<[f64; 3]>,
    cast: [f64; 3],
    exposure_ev: f64,
) -> smp_synth::SynthHead {
    let params = smp_synth::SynthParams {
        pattern: pattern.parse().unwrap(),
        view: smp_synth::SynthView::Top,
        skin_type: skin,
        hair_level: 2,
        scar: None,
        seed,
        width_px,
    };
    let ppm = smp_synth::photo_px_per_mm(&params);
    let print = smp_report::card::card_print(2.0 * ppm).unwrap();
    let shot = smp_synth::Shot {
        card: card.map(|[rotation_deg, tilt_deg, tilt_axis_deg]| smp_synth::card::CardShot {
            rotation_deg,
            tilt_deg,
            tilt_axis_deg,
            ..smp_synth::card::CardShot::beside_head(&print, width_px, ppm)
        }),
        chart: None,
        cast,
        exposure_ev,
    };
    smp_synth::synth_shot(&params, &smp_synth::HairLook::default(), &shot, "photo.png").unwrap()
}
