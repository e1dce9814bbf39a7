//! The grids a render samples besides its full-resolution stamps: the profile's wide
//! Gaussians, the fresh dots' redness and the healed dots' skirts, each splatted and
//! blurred before the pixel pass.

use smp_color::constants::FRESH_HALO_SIGMA_MM;

use super::*;

/// The blurred grids of one render.
pub(super) struct Layers {
    /// The profile's Gaussians 2 and 3.
    pub(super) fine: Grid,
    /// The profile's Gaussians 4 and 5.
    pub(super) coarse: Grid,
    /// The fresh dots' redness, in channel 0; `None` when no dot has a halo.
    pub(super) halo: Option<Grid>,
    /// The skirts' light absorbed on the way out and removed on the way in; `None`
    /// without skirts.
    pub(super) skirt: Option<(Grid, Grid)>,
}

impl Layers {
    /// The grids of `dots` on an `img_w` × `img_h` photo; `scale` is (px per mm, the
    /// camera's and the pixel's variance, px²).
    pub(super) fn new((img_w, img_h): (u32, u32), dots: &[RenderDot], split: &Split, scale: (f64, f64)) -> Self {
        let px_per_mm = scale.0;
        let mut tmp = Vec::new();
        // Cells as large as the grid's narrowest Gaussian allows (σ ≥ 0.9 cells), so the tent
        // of splat and read-back can still be taken out of the blur.
        let fine_f = ((split.sigma_mm[2] * px_per_mm / 0.9) as usize).max(1);
        let coarse_f = ((split.sigma_mm[4] * px_per_mm / 0.9) as usize).max(1);
        let mut fine = Grid::new(img_w, img_h, fine_f);
        let mut coarse = Grid::new(img_w, img_h, coarse_f);
        for d in dots {
            let m = mass(d);
            fine.splat(d.x, d.y, m);
            coarse.splat(d.x, d.y, m);
        }
        Layers {
            skirt: skirt_layers((img_w, img_h), dots, split, scale, &mut tmp),
            fine: blurred(&fine, split, [2, 3], scale, &mut tmp),
            coarse: blurred(&coarse, split, [4, 5], scale, &mut tmp),
            halo: halo_layer((img_w, img_h), dots, scale, &mut tmp),
        }
    }
}

/// The fresh dots' redness, blurred; `None` when no dot has a halo.
fn halo_layer((img_w, img_h): (u32, u32), dots: &[RenderDot], (px_per_mm, extra_var): (f64, f64), tmp: &mut Vec<f32>) -> Option<Grid> {
    if !dots.iter().any(|d| d.halo > 0.0) {
        return None;
    }
    let s = FRESH_HALO_SIGMA_MM * px_per_mm;
    let mut halo = Grid::new(img_w, img_h, ((s / 0.9) as usize).max(1));
    for d in dots.iter().filter(|d| d.halo > 0.0) {
        // Peak-normalised bump: mass = strength × 2πσ².
        let hm = d.halo * 2.0 * std::f64::consts::PI * s * s;
        halo.splat(d.x, d.y, [hm, 0.0, 0.0]);
    }
    let b = blur_channel(&halo, 0, (s.powi(2) + extra_var).sqrt(), tmp);
    Some(halo.with_planes([b, Vec::new(), Vec::new()]))
}

/// The skirts' two grids (see [`Layers::skirt`]), or `None` if no dot has a skirt.
fn skirt_layers(
    (img_w, img_h): (u32, u32),
    dots: &[RenderDot],
    split: &Split,
    (px_per_mm, extra_var): (f64, f64),
    tmp: &mut Vec<f32>,
) -> Option<(Grid, Grid)> {
    // Skirts, soft and wide, on their own grid: a Gaussian of each one's variance (the
    // disk's r²/4 and its soft rim's), one blur for all at their mass-weighted mean.
    let skirts: Vec<(&RenderDot, [f64; 3], f64)> = dots
        .iter()
        .filter_map(|d| {
            let (r, a, soft) = disks_of(d).next()?;
            (soft > 0.0).then(|| {
                (
                    d,
                    a.map(|v| v * std::f64::consts::PI * r * r * d.foreshorten),
                    r * r / 4.0 + soft * soft,
                )
            })
        })
        .collect();
    if skirts.is_empty() {
        return None;
    }
    let skirt_var = {
        let (m, mv) = skirts.iter().fold((0.0, 0.0), |(m, mv), (_, a, v)| (m + a[1], mv + a[1] * v));
        if m > 0.0 { mv / m } else { 0.0 }
    };
    let skirt_sigma = (skirt_var + extra_var).sqrt();
    // Cells of 0.7 σ: the splat and read-back tents stay small beside the blur.
    let mut skirt = Grid::new(img_w, img_h, ((skirt_sigma / 1.4) as usize).max(1));
    // The light a skirt removes on the way in, spread by the profile's two narrow
    // Gaussians (the wide ones are on the fine and coarse grids with all the rest).
    let mut skirt_in = Grid::new(img_w, img_h, skirt.f);
    for (d, a, _) in &skirts {
        skirt.splat(d.x, d.y, *a);
        let area = disk_area(d.diameter_px, d.foreshorten);
        skirt_in.splat(
            d.x,
            d.y,
            std::array::from_fn(|k| (split.w[k][0] + split.w[k][1]) * d.diffused[k] * area),
        );
    }
    let out = skirt.with_planes(std::array::from_fn(|k| blur_channel(&skirt, k, skirt_sigma, tmp)));
    let inward = skirt_in.with_planes(std::array::from_fn(|k| {
        let (w0, w1) = (split.w[k][0], split.w[k][1]);
        if w0 + w1 > 0.0 {
            let narrow = (w0 * split.sigma_mm[0].powi(2) + w1 * split.sigma_mm[1].powi(2)) / (w0 + w1) * px_per_mm * px_per_mm;
            blur_channel(&skirt_in, k, (skirt_var + narrow + extra_var).sqrt(), tmp)
        } else {
            vec![0.0; skirt_in.w * skirt_in.h]
        }
    }));
    Some((out, inward))
}
