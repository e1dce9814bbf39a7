//! The camera after the light: a lens point-spread function, sensor noise per channel
//! that grows with the signal (photon shot noise plus read noise, the blue and red
//! channels noisier after white balance), the tone curve to 8-bit sRGB and a JPEG round
//! trip at quality 85, as a phone or consultation camera delivers a photo.

use image::RgbImage;
use image::codecs::jpeg::JpegEncoder;
use rayon::prelude::*;

use super::color::encode;
use super::rng::{hash, mix, purpose};

/// JPEG quality of the delivered photo (a phone's default is 85–95; 85 is the lower,
/// blockier end).
pub(crate) const JPEG_QUALITY: u8 = 85;
/// Sensor, demosaicing and lens blur in pixels (Gaussian σ): a sharp phone photo's edge
/// spreads over ~1.5 px (FWHM), about σ 0.6 px.
const PSF_SENSOR_PX: f64 = 0.6;
/// Depth-of-field blur on the curved head, mm (Gaussian σ): it grows with the scale.
const PSF_DEFOCUS_MM: f64 = 0.04;
/// Photo-electrons at full scale after the ISO gain of an indoor photo (a small phone
/// pixel holds a few thousand at base ISO; indoors the gain leaves about a thousand).
const ELECTRONS_FULL_SCALE: f64 = 900.0;
/// Photo-electrons at full scale in a close-up: taken in good light at base ISO.
const CLOSEUP_ELECTRONS_FULL_SCALE: f64 = 3600.0;
/// Read noise, fraction of full scale.
const READ_NOISE: f64 = 0.0025;
/// Noise multipliers of the red, green and blue channels (white-balance gains on the
/// less sensitive channels amplify their noise).
const CHANNEL_NOISE: [f64; 3] = [1.15, 1.0, 1.35];

/// How the photo is taken.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Optics {
    /// Lens blur, Gaussian σ in pixels.
    pub psf_px: f64,
    /// Add sensor noise.
    pub noise: bool,
    /// Photo-electrons at full scale: more light, less noise.
    pub electrons: f64,
    /// Deliver as a JPEG round trip (else exact 8-bit sRGB).
    pub jpeg: bool,
}

impl Optics {
    /// The milder camera of the close-ups: sensor noise and JPEG as in
    /// [`Optics::photo`], but no lens blur. Stubble detection's contrast threshold is set
    /// for sharp tips: a 0.6 px blur takes the thinnest dark tips (0.08 mm, 2.4 px at
    /// 30 px/mm) below it and undercounts them by up to 25 %.
    pub(crate) fn closeup() -> Self {
        Optics {
            psf_px: 0.0,
            noise: true,
            electrons: CLOSEUP_ELECTRONS_FULL_SCALE,
            jpeg: true,
        }
    }

    /// The camera of a photo at `px_per_mm`.
    pub(crate) fn photo(px_per_mm: f64) -> Self {
        Optics {
            psf_px: PSF_SENSOR_PX.hypot(PSF_DEFOCUS_MM * px_per_mm),
            noise: true,
            electrons: ELECTRONS_FULL_SCALE,
            jpeg: true,
        }
    }
}

/// A near-normal deviate from 64 random bits: the sum of four 16-bit uniforms,
/// scaled to variance 1.
fn normal(h: u64) -> f64 {
    let s: f64 = (0..4).map(|k| ((h >> (16 * k)) & 0xFFFF) as f64 + 0.5).sum::<f64>() / 65536.0;
    (s - 2.0) * 3.0f64.sqrt()
}

/// Develop linear-light `pixels` (row-major, `w` × `h`) into the delivered photo.
pub(crate) fn develop(mut pixels: Vec<[f32; 3]>, w: usize, h: usize, optics: Optics, seed: u64) -> RgbImage {
    if optics.noise {
        pixels.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
            for (x, p) in row.iter_mut().enumerate() {
                let hsh = hash(seed, purpose::SENSOR, x as i64, y as i64);
                for c in 0..3 {
                    let s = f64::from(p[c]).max(0.0);
                    let sigma = CHANNEL_NOISE[c] * (s / optics.electrons + READ_NOISE * READ_NOISE).sqrt();
                    p[c] = (s + sigma * normal(mix(hsh ^ (c as u64 + 1) << 56))) as f32;
                }
            }
        });
    }
    if optics.psf_px > 0.05 {
        blur(&mut pixels, w, h, optics.psf_px);
    }
    let mut buf = vec![0u8; w * h * 3];
    buf.par_chunks_mut(w * 3).zip(pixels.par_chunks(w)).for_each(|(out, row)| {
        for (x, p) in row.iter().enumerate() {
            for c in 0..3 {
                out[3 * x + c] = encode(p[c], 0.0);
            }
        }
    });
    let img = RgbImage::from_raw(w as u32, h as u32, buf).expect("buffer matches the image size");
    if optics.jpeg { jpeg_round_trip(&img) } else { img }
}

/// The photo as a JPEG at [`JPEG_QUALITY`] would show it.
fn jpeg_round_trip(img: &RgbImage) -> RgbImage {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
        .encode_image(img)
        .expect("encoding an RGB image in memory cannot fail");
    image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
        .expect("our own JPEG decodes")
        .to_rgb8()
}

/// Separable Gaussian blur of σ `sigma` pixels, edges clamped.
fn blur(px: &mut [[f32; 3]], w: usize, h: usize, sigma: f64) {
    let r = (3.0 * sigma).ceil() as isize;
    let mut k: Vec<f32> = (-r..=r).map(|i| (-(i * i) as f64 / (2.0 * sigma * sigma)).exp() as f32).collect();
    let sum: f32 = k.iter().sum();
    k.iter_mut().for_each(|v| *v /= sum);
    let pass = |src: &[[f32; 3]], dst: &mut [[f32; 3]], horizontal: bool| {
        dst.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
            for (x, out) in row.iter_mut().enumerate() {
                let mut acc = [0.0f32; 3];
                for (t, &kv) in k.iter().enumerate() {
                    let o = t as isize - r;
                    let (sx, sy) = if horizontal {
                        ((x as isize + o).clamp(0, w as isize - 1) as usize, y)
                    } else {
                        (x, (y as isize + o).clamp(0, h as isize - 1) as usize)
                    };
                    let s = src[sy * w + sx];
                    for c in 0..3 {
                        acc[c] += kv * s[c];
                    }
                }
                *out = acc;
            }
        });
    };
    let mut tmp = vec![[0.0f32; 3]; w * h];
    pass(px, &mut tmp, true);
    pass(&tmp, px, false);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Noise grows with the signal, and blue is noisier than green.
    #[test]
    fn noise_is_signal_dependent_and_per_channel() {
        let (w, h) = (64, 64);
        let stats = |level: f32| {
            let img = develop(
                vec![[level; 3]; w * h],
                w,
                h,
                Optics {
                    psf_px: 0.0,
                    noise: true,
                    electrons: ELECTRONS_FULL_SCALE,
                    jpeg: false,
                },
                3,
            );
            let sd = |c: usize| {
                let v: Vec<f64> = img.pixels().map(|p| f64::from(p[c])).collect();
                let m = v.iter().sum::<f64>() / v.len() as f64;
                (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
            };
            ([sd(0), sd(1), sd(2)], img)
        };
        let (dark, _) = stats(0.02);
        let (bright, _) = stats(0.5);
        // In linear light the bright patch's noise is ~5× larger; the sRGB curve
        // compresses it, so in 8-bit levels it is still larger but by less.
        assert!(bright[1] > 0.5 && dark[1] > 0.5, "{dark:?} {bright:?}");
        assert!(bright[2] > bright[1] * 1.15, "blue {} vs green {}", bright[2], bright[1]);
        let (_, img) = stats(0.2);
        let blurred = develop(
            vec![[0.2; 3]; w * h],
            w,
            h,
            Optics {
                psf_px: 1.0,
                noise: true,
                electrons: ELECTRONS_FULL_SCALE,
                jpeg: true,
            },
            3,
        );
        let var = |im: &RgbImage| {
            let v: Vec<f64> = im.pixels().map(|p| f64::from(p[1])).collect();
            let m = v.iter().sum::<f64>() / v.len() as f64;
            v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64
        };
        assert!(var(&blurred) < 0.6 * var(&img), "the lens blur smooths the grain");
    }
}
