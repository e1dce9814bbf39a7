//! The preview at a consultation photo's scale (3–5 px/mm) on synthetic heads whose bald
//! areas are the template's treat regions: the healed treatment must read as the same
//! stubble as the native hair beside it (issue 13's Must-show: texture, specks, states
//! at photo scale, scar).

mod common;

use common::head::{Side, band_sd, design_of, head, laplacian_sd, lstar, mean_lab_where, render_state, sides, speck_share, unproject};
use smp_design::geometry::contains;
use smp_design::{Pattern, RegionKind};
use smp_render::state::PreviewState;
use smp_synth::SynthView;

/// Photo width, px: about 3–4 px/mm on the head, like a consultation photo.
const WIDTH_PX: u32 = 800;
/// The band either side of the treatment's edge compared, mm (issue 13).
const BAND_MM: (f64, f64) = (5.0, 15.0);
/// Largest difference of mean L* across the edge (issue 13).
const MAX_BAND_DELTA_L: f64 = 2.0;
/// Allowed ratio of fine texture (Laplacian SD) treated / native (issue 13).
const TEXTURE_RATIO: (f64, f64) = (0.67, 1.5);
/// The mottle's scales, mm: Gaussians of these σ bound the band compared.
const MOTTLE_MM: (f64, f64) = (0.5, 1.5);
/// Largest mottle of the treatment against full stubble in the same place.
const MAX_MOTTLE_RATIO: f64 = 1.3;
/// A speck: a pixel this many grey levels below its 5×5 median (issue 13) ...
const SPECK_LEVELS: f64 = 25.0;
/// ... and at most this share of treated pixels may be one.
const MAX_SPECK_SHARE: f64 = 0.03;

/// (pattern, view, skin type, hair level, seed): heads with native hair beside the
/// treatment in view. Not the front views yet: there the template's treatment floats
/// above a bald band (issue 13's "cap"), so it has no edge with the hair until the
/// design is fitted to the photo (norwood-3 front: 2.0 L* darker than its stubble, fine
/// texture 0.58 of the temples').
const HEADS: [(Pattern, SynthView, u8, u8, u64); 4] = [
    (Pattern::Norwood(5), SynthView::Top, 2, 2, 11),
    (Pattern::Norwood(6), SynthView::Top, 4, 1, 12),
    (Pattern::Norwood(4), SynthView::Top, 3, 3, 13),
    (Pattern::Norwood(6), SynthView::Left, 5, 1, 15),
];

#[test]
fn healed_treatment_matches_the_native_stubble_beside_it() {
    for (pattern, view, skin, hair, seed) in HEADS {
        let h = head(pattern, view, skin, hair, seed, WIDTH_PX);
        let out = render_state(&h, PreviewState::Healed);
        let s = sides(&h);
        let band = |side: Side| {
            let s = &s;
            move |i: usize| matches!(s[i], Some((sd, d)) if sd == side && d >= BAND_MM.0 && d <= BAND_MM.1)
        };
        let (lt, ln) = (
            mean_lab_where(&out, band(Side::Treated))[0],
            mean_lab_where(&out, band(Side::Native))[0],
        );
        let (tt, tn) = (laplacian_sd(&out, band(Side::Treated)), laplacian_sd(&out, band(Side::Native)));
        let before = laplacian_sd(&h.image, band(Side::Treated));
        let treated = |i: usize| matches!(s[i], Some((Side::Treated, _)));
        let specks = speck_share(&out, SPECK_LEVELS, treated);
        let what = format!(
            "{pattern} {view} skin {skin} hair {hair} ({:.1} px/mm): L* treated {lt:.1} native {ln:.1}; Laplacian SD treated {tt:.2} native {tn:.2} (bald before {before:.2}); specks {:.1} %",
            h.px_per_mm,
            specks * 100.0
        );
        eprintln!("{what}");
        // The synthetic light shades the two sides differently (the native band lies
        // further round the head): the same head with its full natural stubble (norwood-1,
        // same seed) measures that difference, which the treatment should reproduce, not
        // cancel.
        let full = head(Pattern::Norwood(1), view, skin, hair, seed, WIDTH_PX);
        let (ft, fnat) = (
            mean_lab_where(&full.image, band(Side::Treated))[0],
            mean_lab_where(&full.image, band(Side::Native))[0],
        );
        eprintln!("  full head of stubble: treated band L* {ft:.1}, native band {fnat:.1}");
        let shading = ft - fnat;
        assert!(
            ((lt - ln) - shading).abs() <= MAX_BAND_DELTA_L,
            "shading difference {shading:.1}: {what}"
        );
        assert!((lt - ft).abs() <= MAX_BAND_DELTA_L, "full stubble there {ft:.1}: {what}");

        // Mottle: the 0.5–1.5 mm band (between Gaussians of those σ) deep in the
        // treatment against the same pixels of the full head of stubble. Overlapping
        // dots, each a blob of about that size, drew patches a client sees at arm's
        // length where the native stubble is even.
        let deep = |i: usize| matches!(s[i], Some((Side::Treated, d)) if d >= BAND_MM.0);
        let scales = (MOTTLE_MM.0 * h.px_per_mm, MOTTLE_MM.1 * h.px_per_mm);
        let (mt, mf) = (band_sd(&out, scales, deep), band_sd(&full.image, scales, deep));
        eprintln!("  mottle {mt:.2} against full stubble {mf:.2}");
        assert!(mt <= MAX_MOTTLE_RATIO * mf, "mottle {mt:.2} against full stubble {mf:.2}: {what}");

        let ratio = tt / tn;
        eprintln!("  texture ratio {ratio:.2}");
        assert!(
            ratio >= TEXTURE_RATIO.0 && ratio <= TEXTURE_RATIO.1,
            "texture ratio {ratio:.2}: {what}"
        );
        assert!(specks <= MAX_SPECK_SHARE, "{what}");
    }
}

/// Mean L* over the treat regions (the mean linear colour's L*).
fn treated_l(h: &smp_synth::SynthHead, state: PreviewState) -> f64 {
    let out = render_state(h, state);
    let s = sides(h);
    mean_lab_where(&out, |i| matches!(s[i], Some((Side::Treated, _))))[0]
}

#[test]
fn states_differ_in_the_mean_colour_at_photo_scale() {
    let h = head(Pattern::Norwood(5), SynthView::Top, 2, 2, 21, WIDTH_PX);
    let (fresh, healed, aged) = (
        treated_l(&h, PreviewState::Fresh),
        treated_l(&h, PreviewState::Healed),
        treated_l(&h, PreviewState::Aged(5)),
    );
    eprintln!("treated L*: fresh {fresh:.1}, healed {healed:.1}, aged 5 years {aged:.1}");
    // Issue 13: healed ≥ 2 above fresh (smaller, lighter dots, no redness), aged ≥ 3
    // above healed (fading and spreading).
    assert!(healed - fresh >= 2.0, "healed {healed:.1} vs fresh {fresh:.1}");
    assert!(aged - healed >= 3.0, "aged {aged:.1} vs healed {healed:.1}");
}

#[test]
fn a_healed_fut_scar_treatment_hides_most_of_the_scar() {
    let h = head(Pattern::FutScar, SynthView::Back, 3, 2, 31, WIDTH_PX);
    let (_, v, _) = design_of(&h);
    let strip: Vec<_> = h
        .design
        .regions()
        .iter()
        .filter(|r| r.kind == RegionKind::Scar)
        .map(|r| r.polygon.clone())
        .collect();
    // The strip scar's centre line in the synthetic heads (smp-synth's scalp: 2.2–3.8 mm
    // wide about y = 322 − 22·(x/115)², |x| < 112, its centre wandering ±0.6 mm).
    let centre = |x: f64| 322.0 - 22.0 * (x / 115.0).powi(2);
    let (w, hgt) = h.image.dimensions();
    let mut class = vec![0u8; (w * hgt) as usize];
    for y in 0..hgt {
        for x in 0..w {
            if let Some(q) = unproject(v, f64::from(x) + 0.5, f64::from(y) + 0.5) {
                let off = (q.y - centre(q.x)).abs();
                if q.x.abs() < 90.0 {
                    if off < 0.4 && strip.iter().any(|p| contains(p, q)) {
                        class[(y * w + x) as usize] = 1; // scar
                    } else if (5.0..9.0).contains(&off) {
                        class[(y * w + x) as usize] = 2; // the hair around it
                    }
                }
            }
        }
    }
    let contrast = |img: &image::RgbImage| mean_lab_where(img, |i| class[i] == 1)[0] - mean_lab_where(img, |i| class[i] == 2)[0];
    let out = render_state(&h, PreviewState::Healed);
    let (before, after) = (contrast(&h.image), contrast(&out));
    eprintln!("FUT scar ΔL* to the hair around it: before {before:.1}, healed {after:.1}");
    assert!(before > 3.0, "the synthetic scar shows (ΔL* {before:.1})");
    assert!(
        after.abs() <= 0.3 * before,
        "the scar keeps {:.0} % of its contrast",
        100.0 * after.abs() / before
    );
    let _ = lstar;
}
