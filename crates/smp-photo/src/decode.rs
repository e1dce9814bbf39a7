//! Photo input: JPEG, PNG and WebP with explicit decode limits and EXIF orientation, and
//! errors by fault class (like image-rs) that say what is wrong and how to fix it.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, RgbImage};

/// Why a photo cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The system's reason.
        message: String,
    },
    /// Not a format SMP Studio reads.
    #[error("{0}")]
    Unsupported(String),
    /// Broken, truncated or lying file.
    #[error("{0}")]
    Decoding(String),
    /// Larger than the limits allow (also what a decompression bomb hits).
    #[error("{0}")]
    Limits(String),
}

/// Explicit decode limits: nothing larger is decoded, so a bomb or a lying header cannot
/// exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhotoLimits {
    /// Largest file, bytes.
    pub max_bytes: u64,
    /// Largest width or height, pixels.
    pub max_side_px: u32,
    /// Largest pixel count.
    pub max_pixels: u64,
    /// Largest decoded image, bytes (pixels × the file's bytes per pixel): a 16-bit or
    /// alpha image takes two to eight times an 8-bit RGB one of the same size.
    pub max_decoded_bytes: u64,
    /// Largest allocation the decoder may make, bytes.
    pub max_alloc_bytes: u64,
}

impl Default for PhotoLimits {
    /// 60 MB files, 16 000 px sides, 60 megapixels (phone and camera photos are 12–50),
    /// 180 MB decoded (60 megapixels of 8-bit RGB), 1 GB of decoder memory.
    fn default() -> Self {
        PhotoLimits {
            max_bytes: 60_000_000,
            max_side_px: 16_000,
            max_pixels: 60_000_000,
            max_decoded_bytes: 180_000_000,
            max_alloc_bytes: 1 << 30,
        }
    }
}

const HOW_TO_CONVERT: &str =
    "convert it to JPEG or PNG first (on an iPhone: Settings → Camera → Formats → Most Compatible, or share the photo as JPEG)";

/// Recognise HEIC/HEIF (an ISO-BMFF `ftyp` box with a HEIF brand), which no decoder in
/// the registries builds without native libraries.
fn is_heif(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && [&b"heic"[..], b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"].contains(&&bytes[8..12])
}

/// What a user is told about a file that ends early.
pub const TRUNCATED: &str = "the file is truncated (it ends early): re-export or re-upload it";

/// Whether the bytes of a JPEG, PNG or WebP end where their own structure says they do.
/// Decoders fill a cut JPEG with grey and return success; a preview on half a photo
/// would then look plausible and be wrong, so a missing end is refused up front.
fn is_complete(bytes: &[u8], format: ImageFormat) -> bool {
    match format {
        // Entropy-coded data escapes every 0xFF as FF 00 (or a restart marker FF D0–D7),
        // so FF D9 after the first start-of-scan can only be the end-of-image marker;
        // data some cameras append after it is allowed.
        ImageFormat::Jpeg => match bytes.windows(2).position(|w| w == [0xFF, 0xDA]) {
            Some(sos) => bytes[sos..].windows(2).any(|w| w == [0xFF, 0xD9]),
            None => false,
        },
        // The IEND chunk: its type and CRC close every PNG.
        ImageFormat::Png => bytes.windows(4).rposition(|w| w == b"IEND").is_some_and(|i| i + 8 <= bytes.len()),
        // The RIFF header states the file's length.
        ImageFormat::WebP => bytes.len() >= 12 && u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize + 8 <= bytes.len(),
        _ => true,
    }
}

fn classify(e: ImageError) -> PhotoError {
    match e {
        ImageError::Limits(l) => PhotoError::Limits(format!(
            "the photo is too large to decode safely ({l}); resize it to under 60 megapixels"
        )),
        ImageError::Unsupported(u) => PhotoError::Unsupported(format!("unsupported photo: {u}; save it as JPEG, PNG or WebP")),
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => PhotoError::Decoding(TRUNCATED.into()),
        ImageError::IoError(io) => PhotoError::Decoding(format!("the photo is unreadable ({io}); copy the original file again")),
        other => PhotoError::Decoding(format!(
            "the photo is damaged ({other}); copy the original file again or export it anew"
        )),
    }
}

/// Decode a photo from its bytes, upright (EXIF orientation applied), as 8-bit sRGB.
pub fn decode_photo(bytes: &[u8], limits: PhotoLimits) -> Result<RgbImage, PhotoError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(PhotoError::Limits(format!(
            "the photo file is {} MB, over the {} MB limit; export a smaller JPEG",
            bytes.len() / 1_000_000,
            limits.max_bytes / 1_000_000
        )));
    }
    if is_heif(bytes) {
        return Err(PhotoError::Unsupported(format!(
            "HEIC/HEIF photos are not supported; {HOW_TO_CONVERT}"
        )));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Decoding(e.to_string()))?;
    match reader.format() {
        Some(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => {
            if !is_complete(bytes, f) {
                return Err(PhotoError::Decoding(TRUNCATED.into()));
            }
        }
        Some(f) => {
            return Err(PhotoError::Unsupported(format!(
                "{f:?} photos are not supported; save it as JPEG, PNG or WebP"
            )));
        }
        None => {
            return Err(PhotoError::Unsupported(
                "this is not a JPEG, PNG or WebP photo (unknown file signature); check that the right file was chosen".into(),
            ));
        }
    }
    let mut l = image::Limits::default();
    l.max_image_width = Some(limits.max_side_px);
    l.max_image_height = Some(limits.max_side_px);
    l.max_alloc = Some(limits.max_alloc_bytes);
    reader.limits(l);
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(PhotoError::Limits(format!(
            "the photo claims {w}×{h} pixels, over the {} megapixel limit; resize it",
            limits.max_pixels / 1_000_000
        )));
    }
    let per_px = u64::from(decoder.color_type().bytes_per_pixel());
    let decoded = u64::from(w) * u64::from(h) * per_px;
    if decoded > limits.max_decoded_bytes {
        return Err(PhotoError::Limits(format!(
            "the photo is {w}×{h} pixels at {per_px} bytes each ({} MB once opened), over the {} MB limit; save it as an 8-bit JPEG or resize it",
            decoded / 1_000_000,
            limits.max_decoded_bytes / 1_000_000
        )));
    }
    let orientation = decoder.orientation().map_err(classify)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(classify)?;
    img.apply_orientation(orientation);
    Ok(img.into_rgb8())
}

/// The pixel count a photo's header claims (width × height), without decoding it; `None`
/// when the header cannot be read.
pub fn claimed_pixels(bytes: &[u8]) -> Option<u64> {
    let (w, h) = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    Some(u64::from(w) * u64::from(h))
}

/// Read and decode a photo file.
pub fn load_photo(path: &Path, limits: PhotoLimits) -> Result<RgbImage, PhotoError> {
    let meta = std::fs::metadata(path).map_err(|e| PhotoError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    if meta.len() > limits.max_bytes {
        return Err(PhotoError::Limits(format!(
            "{} is {} MB, over the {} MB limit; export a smaller JPEG",
            path.display(),
            meta.len() / 1_000_000,
            limits.max_bytes / 1_000_000
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| PhotoError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    decode_photo(&bytes, limits).map_err(|e| match e {
        PhotoError::Decoding(m) => PhotoError::Decoding(format!("{}: {m}", path.display())),
        PhotoError::Unsupported(m) => PhotoError::Unsupported(format!("{}: {m}", path.display())),
        PhotoError::Limits(m) => PhotoError::Limits(format!("{}: {m}", path.display())),
        io => io,
    })
}

/// A stored copy of an upload: the decoded pixels, upright, re-encoded with no metadata
/// (no EXIF camera, time or GPS, no orientation tag left to apply twice). JPEGs stay
/// JPEG at quality 95; PNG and WebP become lossless PNG. Returns the bytes and their
/// media type.
pub fn clean_copy(upright: &RgbImage, was_jpeg: bool) -> Result<(Vec<u8>, &'static str), ImageError> {
    let mut out = Vec::new();
    if was_jpeg {
        let bytes = crate::encode::jpeg(upright, 95).map_err(|e| {
            ImageError::Encoding(image::error::EncodingError::new(
                image::error::ImageFormatHint::Exact(ImageFormat::Jpeg),
                e,
            ))
        })?;
        Ok((bytes, "image/jpeg"))
    } else {
        upright.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)?;
        Ok((out, "image/png"))
    }
}
