//! The colour chart found by itself in synthetic head photos: turned, tilted, under
//! colour casts and a stop either way, through the camera's blur and noise and JPEG at
//! quality 70; its correction then takes the cast out.

use image::RgbImage;
use smp_design::Pattern;
use smp_photo::chart::find_chart;
use smp_synth::chart::ChartShot;
use smp_synth::{HairLook, Shot, SynthParams, SynthView, photo_px_per_mm, synth_shot};

fn jpeg70(img: &RgbImage) -> RgbImage {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 70)
        .encode_image(img)
        .unwrap();
    image::load_from_memory(&bytes).unwrap().to_rgb8()
}

#[test]
fn the_chart_is_found_and_corrects_the_light_in_synthetic_heads() {
    let cases = [
        // (width px, turn °, tilt °, tilt axis °, cast, exposure EV)
        (700, 0.0, 0.0, 0.0, [1.0, 1.0, 1.0], 0.0),
        (900, 12.0, 25.0, 30.0, [1.3, 1.0, 0.7], -1.0),
        (1100, 185.0, 15.0, 100.0, [0.8, 1.0, 1.25], 0.7),
        (800, -70.0, 30.0, 0.0, [1.15, 1.0, 0.85], 1.0),
        (1000, 95.0, 10.0, 60.0, [0.9, 1.0, 1.1], -0.5),
    ];
    for (k, &(width_px, turn, tilt, axis, cast, ev)) in cases.iter().enumerate() {
        let params = SynthParams {
            pattern: Pattern::Norwood(5),
            view: [SynthView::Top, SynthView::Front, SynthView::Back][k % 3],
            skin_type: 1 + (k % 6) as u8,
            hair_level: 2,
            scar: None,
            seed: 800 + k as u64,
            width_px,
        };
        let ppm = photo_px_per_mm(&params);
        let chart = ChartShot {
            rotation_deg: turn,
            tilt_deg: tilt,
            tilt_axis_deg: axis,
            ..ChartShot::beside_head(width_px, ppm)
        };
        let shot = Shot {
            card: None,
            chart: Some(chart),
            cast,
            exposure_ev: ev,
        };
        let head = synth_shot(&params, &HairLook::default(), &shot, "head.jpg").unwrap();
        let photo = jpeg70(&head.image);
        let r = find_chart(&photo).unwrap_or_else(|e| panic!("case {k}: {e}"));
        let truth = head.chart_corner_patches_px.unwrap();
        for (got, want) in r.record.corner_patches_px.iter().zip(truth) {
            let d = (got[0] - want[0]).hypot(got[1] - want[1]);
            assert!(d < 2.0, "case {k}: a corner patch {d:.1} px from where it is ({got:?}, {want:?})");
        }
        // Each patch, corrected, against its published colour: on average within ΔE00 1,
        // none beyond 2 (the light's cast, exposure, noise and JPEG all taken out).
        assert!(
            r.record.residual_delta_e00 < 1.0 && r.record.worst_delta_e00 < 2.0,
            "case {k}: {:?}",
            r.record
        );
        println!(
            "case {k}: mean ΔE00 {:.2}, worst {:.2}",
            r.record.residual_delta_e00, r.record.worst_delta_e00
        );
    }
}
