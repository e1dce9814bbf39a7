use super::*;

#[test]
fn a_darker_haired_band_is_found_under_strong_shading() {
    // Cells over the unit disc, lit from the upper left; hair (25 % darker and
    // cooler) on the right third, the anatomy's prior on its far edge.
    let (mut lin, mut bas, mut prior, mut truth) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for y in 0..40 {
        for x in 0..40 {
            let (u, v) = (x as f32 / 20.0 - 1.0, y as f32 / 20.0 - 1.0);
            if u * u + v * v >= 0.95 {
                continue;
            }
            let nz = (1.0 - u * u - v * v).sqrt();
            let light = (0.2 - 0.4 * u - 0.3 * v + 0.5 * nz).max(0.02) + 0.1;
            let haired = u > 0.3;
            let alb = if haired { [0.45, 0.33, 0.3] } else { [0.6, 0.42, 0.36] };
            lin.push(alb.map(|a| a * light));
            bas.push(basis(u, v));
            prior.push(if u > 0.8 { Prior::LeanHair } else { Prior::Free });
            truth.push(haired);
        }
    }
    let texture: Vec<f32> = truth.iter().map(|&h| if h { 1.0 } else { 0.7 }).collect();
    let input = HairInput {
        linear: &lin,
        basis: &bas,
        prior: &prior,
        texture: &texture,
        bare_texture: None,
    };
    let m = fit_hair(&input).unwrap();
    assert!(m.separated, "{m:?}");
    let wrong = (0..lin.len())
        .filter(|&i| (m.coverage(&lin[i], &bas[i], texture[i]) > 0.5) != truth[i])
        .count();
    assert!(wrong * 20 < lin.len(), "{wrong} of {} cells wrong: {m:?}", lin.len());
}
