//! The camera readings recover a known blur, grain and highlight.

use image::{Rgb, RgbImage};
use smp_photo::camera::{PhotoCamera, PxBox, blur_sigma_px, grain_sigma};

/// Skin-coloured rectangles on a dark background, blurred by `sigma` px, plus grain of
/// `noise` levels (a seeded generator).
fn scene(sigma: f64, noise: f64) -> RgbImage {
    let (w, h) = (400u32, 300u32);
    let sharp = |x: f64, y: f64| -> [f64; 3] {
        let inside =
            (60.0..340.0).contains(&x) && (50.0..250.0).contains(&y) && !((150.0..250.0).contains(&x) && (120.0..180.0).contains(&y));
        if inside { [210.0, 170.0, 150.0] } else { [50.0, 50.0, 60.0] }
    };
    let r = (3.0 * sigma).ceil() as i32 + 1;
    let mut s = 99u64;
    let mut next = move || {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    RgbImage::from_fn(w, h, |x, y| {
        let mut acc = [0.0; 3];
        let mut wsum = 0.0;
        // Each pixel integrates its area (2×2 samples) through the Gaussian blur.
        for dy in -r..=r {
            for dx in -r..=r {
                let g = if sigma > 0.0 {
                    (-((dx * dx + dy * dy) as f64) / (2.0 * sigma * sigma)).exp()
                } else if dx == 0 && dy == 0 {
                    1.0
                } else {
                    0.0
                };
                if g < 1e-6 {
                    continue;
                }
                for sy in 0..2 {
                    for sx in 0..2 {
                        let v = sharp(
                            f64::from(x) + f64::from(dx) + (f64::from(sx) + 0.5) / 2.0,
                            f64::from(y) + f64::from(dy) + (f64::from(sy) + 0.5) / 2.0,
                        );
                        (0..3).for_each(|k| acc[k] += g * v[k]);
                        wsum += g;
                    }
                }
            }
        }
        let n = noise * ((0..4).map(|_| next()).sum::<f64>() - 2.0) * 3f64.sqrt();
        Rgb(acc.map(|a| (a / wsum + n).round().clamp(0.0, 255.0) as u8))
    })
}

#[test]
fn blur_and_grain_are_read_back() {
    for sigma in [1.0, 1.6] {
        let img = scene(sigma, 2.0);
        let est = blur_sigma_px(&img).expect("edges found");
        assert!((est - sigma).abs() <= 0.3 * sigma, "blur {sigma}: read {est:.2}");
        let g = grain_sigma(
            &img,
            PxBox {
                x0: 70,
                y0: 60,
                x1: 140,
                y1: 240,
            },
        );
        for (k, v) in g.iter().enumerate() {
            assert!((v - 2.0).abs() <= 0.5, "blur {sigma} channel {k}: grain read {v:.2}");
        }
    }
}

#[test]
fn a_highlight_is_white_light_above_the_shading() {
    let mut img = scene(1.0, 1.0);
    for y in 200..215 {
        for x in 280..300 {
            img.put_pixel(x, y, Rgb([245, 225, 215]));
        }
    }
    let cam = PhotoCamera::estimate(
        &img,
        PxBox {
            x0: 60,
            y0: 50,
            x1: 340,
            y1: 250,
        },
        4.0,
    );
    let lin = |p: [u8; 3]| p.map(|v| smp_color::srgb::to_linear(f64::from(v) / 255.0) as f32);
    let spot = cam.light.specular(lin([245, 225, 215]), 290.0, 207.0);
    let skin = cam.light.specular(lin(img.get_pixel(100, 100).0), 100.0, 100.0);
    assert!(spot > 0.05, "highlight {spot}");
    assert_eq!(skin, 0.0);
}
