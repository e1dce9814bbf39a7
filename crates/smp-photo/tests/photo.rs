//! Photo input: formats, EXIF orientation, and the errors of bad files.

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage};
use smp_photo::decode::{PhotoError, PhotoLimits, decode_photo};

fn test_image() -> RgbImage {
    RgbImage::from_fn(40, 24, |x, y| Rgb([(x * 6) as u8, (y * 10) as u8, ((x + y) * 3) as u8]))
}

fn encode(img: &RgbImage, f: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, f).unwrap();
    out.into_inner()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

/// A JPEG with an EXIF APP1 segment whose orientation tag is `orientation`.
fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&1u16.to_le_bytes()); // one IFD entry
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn reads_jpeg_png_and_webp() {
    let img = test_image();
    for f in [ImageFormat::Png, ImageFormat::WebP] {
        let back = decode_photo(&encode(&img, f), PhotoLimits::default()).unwrap();
        assert_eq!(back, img, "{f:?} is lossless");
    }
    let jpeg = decode_photo(&encode(&img, ImageFormat::Jpeg), PhotoLimits::default()).unwrap();
    assert_eq!(jpeg.dimensions(), img.dimensions());
}

#[test]
fn exif_orientation_is_applied() {
    let jpeg = encode(&test_image(), ImageFormat::Jpeg);
    let plain = decode_photo(&jpeg, PhotoLimits::default()).unwrap();
    // Orientation 6: the camera was turned; the stored pixels must be rotated 90° clockwise.
    let rotated = decode_photo(&with_exif_orientation(&jpeg, 6), PhotoLimits::default()).unwrap();
    assert_eq!(rotated.dimensions(), (plain.height(), plain.width()));
    assert_eq!(rotated, image::imageops::rotate90(&plain));
}

#[test]
fn a_decompression_bomb_hits_the_limits() {
    // A tiny PNG whose header claims 100 000 × 100 000 pixels.
    let mut png = encode(&RgbImage::new(1, 1), ImageFormat::Png);
    let ihdr = 8; // after the signature: length(4) "IHDR"(4) data(13) crc(4)
    png[ihdr + 8..ihdr + 12].copy_from_slice(&100_000u32.to_be_bytes());
    png[ihdr + 12..ihdr + 16].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32(&png[ihdr + 4..ihdr + 21]);
    png[ihdr + 21..ihdr + 25].copy_from_slice(&crc.to_be_bytes());
    match decode_photo(&png, PhotoLimits::default()) {
        Err(PhotoError::Limits(m)) => assert!(m.contains("too large") || m.contains("megapixel"), "{m}"),
        other => panic!("expected a limits error, got {other:?}"),
    }
    // 16-bit colour counts 6 bytes a pixel: under the pixel limit, over the decoded one.
    let deep = image::ImageBuffer::<image::Rgb<u16>, _>::from_pixel(200, 100, image::Rgb([40_000, 20_000, 10_000]));
    let mut deep_png = Vec::new();
    image::DynamicImage::ImageRgb16(deep)
        .write_to(&mut std::io::Cursor::new(&mut deep_png), ImageFormat::Png)
        .unwrap();
    let tight = PhotoLimits {
        max_pixels: 20_000,
        max_decoded_bytes: 3 * 20_000,
        ..PhotoLimits::default()
    };
    match decode_photo(&deep_png, tight) {
        Err(PhotoError::Limits(m)) => assert!(m.contains("200×100 pixels at 6 bytes each"), "{m}"),
        other => panic!("expected the decoded-size limit, got {other:?}"),
    }
    // The same picture in 8-bit colour fits.
    let eight = encode(&RgbImage::from_pixel(200, 100, image::Rgb([156, 78, 39])), ImageFormat::Png);
    assert_eq!(decode_photo(&eight, tight).unwrap().dimensions(), (200, 100));
    // A file over the byte limit is refused before decoding.
    let small = PhotoLimits {
        max_bytes: 100,
        ..PhotoLimits::default()
    };
    assert!(matches!(
        decode_photo(&encode(&test_image(), ImageFormat::Png), small),
        Err(PhotoError::Limits(_))
    ));
}

#[test]
fn a_truncated_file_is_refused_never_decoded_with_a_grey_half() {
    // JPEG decoders fill a cut file with grey and succeed; every cut, even of the last
    // byte, must be refused with the same plain message.
    for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
        let whole = encode(&test_image(), format);
        assert!(decode_photo(&whole, PhotoLimits::default()).is_ok(), "{format:?} whole");
        for keep in [0.3, 0.6, 0.9, 0.99] {
            let cut = &whole[..(whole.len() as f64 * keep) as usize];
            match decode_photo(cut, PhotoLimits::default()) {
                Err(PhotoError::Decoding(m)) => assert!(m.contains("truncated") && m.contains("re-upload"), "{format:?} {keep}: {m}"),
                other => panic!("{format:?} cut to {keep}: expected a truncation error, got {other:?}"),
            }
        }
        for drop in [1, 2, 12] {
            let cut = &whole[..whole.len() - drop];
            assert!(
                matches!(decode_photo(cut, PhotoLimits::default()), Err(PhotoError::Decoding(ref m)) if m.contains("truncated")),
                "{format:?} without its last {drop} bytes"
            );
        }
    }
    // Bytes a camera appends after the JPEG's end marker are not a truncation.
    let mut trailing = encode(&test_image(), ImageFormat::Jpeg);
    trailing.extend_from_slice(b"camera maker notes after the image");
    assert!(decode_photo(&trailing, PhotoLimits::default()).is_ok());
}

#[test]
fn wrong_formats_are_unsupported_with_a_way_out() {
    let text = b"this is not a photo at all, just some text".to_vec();
    match decode_photo(&text, PhotoLimits::default()) {
        Err(PhotoError::Unsupported(m)) => assert!(m.contains("not a JPEG, PNG or WebP"), "{m}"),
        other => panic!("{other:?}"),
    }
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    match decode_photo(&heic, PhotoLimits::default()) {
        Err(PhotoError::Unsupported(m)) => assert!(m.contains("HEIC") && m.contains("convert"), "{m}"),
        other => panic!("{other:?}"),
    }
    let gif = b"GIF89a\x01\0\x01\0\0\0\0;".to_vec();
    match decode_photo(&gif, PhotoLimits::default()) {
        Err(PhotoError::Unsupported(m)) => assert!(m.contains("Gif") && m.contains("JPEG, PNG or WebP"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_exif_rotated_photo_previews_like_the_pre_rotated_one() {
    use smp_color::SkinOptics;
    use smp_render::render::{RenderDot, render};
    let skin = RgbImage::from_fn(60, 40, |x, y| Rgb([200 + (x % 7) as u8, 170 + (y % 5) as u8, 150]));
    let jpeg = encode(&skin, ImageFormat::Jpeg);
    let from_exif = decode_photo(&with_exif_orientation(&jpeg, 6), PhotoLimits::default()).unwrap();
    let pre_rotated = image::imageops::rotate90(&decode_photo(&jpeg, PhotoLimits::default()).unwrap());
    let dots: Vec<RenderDot> = (0..6)
        .map(|i| RenderDot {
            x: 8.0 + 4.0 * i as f64,
            y: 20.0 + 3.0 * i as f64,
            diameter_px: 2.0,
            foreshorten: 1.0,
            radial: (1.0, 0.0),
            absorbed: [0.8; 3],
            diffused: [0.8; 3],
            halo: 0.0,
            inner: None,
        })
        .collect();
    let a = render(&from_exif, &dots, 8.0, &SkinOptics::default());
    let b = render(&pre_rotated, &dots, 8.0, &SkinOptics::default());
    assert_eq!(a, b);
}
