//! Region pigments in the preview: the chosen pigment and dilution replace carbon × shade.

use image::{Rgb, RgbImage};
use smp_color::pigments::PigmentLibrary;
use smp_color::srgb::{linear_to_lab, rgb8_to_linear};
use smp_design::Design;
use smp_dots::{Selection, impressions};
use smp_render::preview::{preview, region_inks};
use smp_render::state::PreviewState;

mod common;

use common::{mean_lab, square_design};

/// A 20 mm square treat region at 90 per cm² seen flat at 10 px/mm on a plain light-skin photo.
fn design(pigment: Option<(&str, u32)>) -> Design {
    square_design(20.0, 10.0, (150.0, 150.0), 90.0, pigment)
}

/// The mean CIELAB (of the mean linear colour) of the healed region's inner 16 mm.
fn healed_area_lab(pigment: Option<(&str, u32)>) -> [f64; 3] {
    let photo = RgbImage::from_pixel(300, 300, Rgb([224, 186, 160]));
    let d = design(pigment);
    let imp = impressions::generate(&d);
    let out = preview(
        &photo,
        &d,
        &d.views()[0],
        &imp,
        PreviewState::Healed,
        Selection::All,
        &PigmentLibrary::builtin(),
    )
    .unwrap();
    mean_lab(&out, (70, 230), (70, 230))
}

#[test]
fn diluted_pigment_renders_lighter_than_undiluted() {
    let neat = healed_area_lab(Some(("carbon black", 0)));
    let diluted = healed_area_lab(Some(("carbon black", 4)));
    // The area averages dots and the skin between them, so compare how much each darkens
    // the bare skin: 1:4 carries a fifth of the pigment.
    let skin = linear_to_lab(rgb8_to_linear([224, 186, 160]));
    let (dn, dd) = (skin[0] - neat[0], skin[0] - diluted[0]);
    assert!(dd > 0.0 && dd < 0.7 * dn, "darkening 1:4 {dd:.3} vs 1:0 {dn:.3}");
    // Without a pigment the region keeps carbon × shade: between 1:0 and 1:4 at shade 0.85.
    let shade = healed_area_lab(None);
    assert!(shade[0] > neat[0] && shade[0] < diluted[0], "{shade:?} {neat:?} {diluted:?}");
}

#[test]
fn brown_pigment_renders_warmer_than_carbon() {
    let carbon = healed_area_lab(Some(("carbon black", 1)));
    let brown = healed_area_lab(Some(("dark brown", 1)));
    assert!(
        brown[2] > carbon[2] + 0.05,
        "brown b* {:.3} vs carbon b* {:.3}",
        brown[2],
        carbon[2]
    );
    // And warmer relative to how much each darkens, which is the hue shift itself.
    let skin = linear_to_lab(rgb8_to_linear([224, 186, 160]));
    let tilt = |lab: [f64; 3]| (lab[2] - skin[2]) / (skin[0] - lab[0]);
    assert!(
        tilt(brown) > tilt(carbon),
        "b* per L* brown {:.3} vs carbon {:.3}",
        tilt(brown),
        tilt(carbon)
    );
}

#[test]
fn unknown_pigment_names_list_the_library() {
    let d = design(Some(("unobtainium", 2)));
    let lib = PigmentLibrary::builtin();
    let e = region_inks(&d, &lib).unwrap_err().to_string();
    assert!(
        e.contains("\"patch\"") && e.contains("unobtainium") && e.contains("carbon black, soft black"),
        "{e}"
    );
    let photo = RgbImage::from_pixel(300, 300, Rgb([224, 186, 160]));
    let imp = impressions::generate(&d);
    assert!(preview(&photo, &d, &d.views()[0], &imp, PreviewState::Healed, Selection::All, &lib).is_err());
}
