//! Photos as pages and the API both use them: an upload checked and stored, a stored
//! photo decoded (kept in a small cache).

use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult};
use crate::service::work::{HEAVY_PHOTO_PIXELS, blocking, blocking_heavy};
use crate::state::AppState;
use axum::extract::Multipart;
use axum::http::StatusCode;
use image::RgbImage;
use smp_photo::decode::{PhotoLimits, clean_copy, decode_photo};
use smp_store::ClientId;
use smp_store::{NewPhoto, Photo};
use std::sync::Arc;

/// A decoded upload, its clean copy and media type, and its checks.
type Checked = (RgbImage, Vec<u8>, &'static str, Vec<smp_photo::checks::Check>, Option<f64>);

/// A stored upload with what the on-the-spot checks found.
#[derive(Debug)]
pub struct Uploaded {
    /// The stored photo.
    pub photo: Photo,
    /// Sharpness, exposure, colour and card checks, each with its message.
    pub checks: Vec<smp_photo::checks::Check>,
    /// The calibration card's scale in the photo, px/mm, when it is in it.
    pub card_px_per_mm: Option<f64>,
}

/// Reads the multipart upload (`view`, `taken_on`, `file`), checks and stores it.
pub async fn store_upload(state: &AppState, me: &CurrentUser, client: ClientId, mut mp: Multipart) -> AppResult<Uploaded> {
    me.require(Permission::EditMedical)?;
    state.store.client(me.clinic_id(), client).await?;
    let (mut view, mut taken_on, mut bytes, mut strict) =
        (String::from("top"), crate::service::dates::today(&me.clinic.time_zone), None, false);
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::new(
            e.status(),
            format!("the upload was cut off or malformed ({}); try again", e.body_text()),
        )
    };
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "view" => view = field.text().await.map_err(bad)?.trim().to_string(),
            "taken_on" => taken_on = field.text().await.map_err(bad)?.trim().to_string(),
            "file" => bytes = Some(field.bytes().await.map_err(bad)?),
            // Guided capture: a photo failing the on-the-spot checks is not kept.
            "check" => strict = field.text().await.map_err(bad)?.trim() == "1",
            _ => {}
        }
    }
    let bytes = bytes
        .filter(|b| !b.is_empty())
        .ok_or_else(|| AppError::field("file", "no photo file in the upload; choose a JPEG, PNG or WebP"))?;
    smp_plan::CivilDate::parse(&taken_on).map_err(|e| AppError::field("taken_on", e.to_string()))?;
    let kind = media_type(&bytes).ok_or_else(|| {
        AppError::field(
            "file",
            "the file is not a JPEG, PNG or WebP photo (an iPhone's HEIC photo: export it as JPEG, or set the camera to \"Most Compatible\")",
        )
    })?;
    let data = bytes.clone();
    let was_jpeg = kind == "image/jpeg";
    // A huge photo takes seconds to decode and store: never on the last free worker.
    let heavy = smp_photo::decode::claimed_pixels(&bytes).is_some_and(|n| n > HEAVY_PHOTO_PIXELS);
    // Stored as a clean copy: upright, with no EXIF (camera, time, GPS) to leak from a
    // shared photo; the original upload is not kept.
    let job = move || -> AppResult<Checked> {
        let img = decode_photo(&data, PhotoLimits::default()).map_err(|e| AppError::field("file", e.to_string()))?;
        let (checks, card) = smp_photo::checks::check_photo(&img);
        if strict && let Some(bad) = checks.iter().find(|c| c.retake && !c.ok) {
            return Err(AppError::field("file", bad.message.clone()));
        }
        let (clean, kind) =
            clean_copy(&img, was_jpeg).map_err(|e| AppError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("storing the photo: {e}")))?;
        Ok((img, clean, kind, checks, card))
    };
    let (img, clean, kind, checks, card_px_per_mm) = if heavy {
        blocking_heavy(state, job).await
    } else {
        blocking(state, job).await
    }?;
    let hash = state.files.put(&clean)?;
    let photo = NewPhoto {
        client_id: client,
        view,
        taken_on,
        sha256: hash.clone(),
        media_type: kind.into(),
        width_px: i64::from(img.width()),
        height_px: i64::from(img.height()),
    };
    let stored = state.store.add_photo(me.clinic_id(), &photo).await?;
    crate::records::audit(state, me, "create", "photo", stored.id, Some(client)).await?;
    state.cache_photo(&hash, Arc::new(img));
    Ok(Uploaded {
        photo: stored,
        checks,
        card_px_per_mm,
    })
}

/// The decoded photo with this content hash (cached).
pub async fn decoded(state: &AppState, hash: &str) -> AppResult<Arc<RgbImage>> {
    if let Some(img) = state.cached_photo(hash) {
        return Ok(img);
    }
    let files = state.files.clone();
    let h = hash.to_string();
    let img = blocking(state, move || -> AppResult<RgbImage> {
        let bytes = files.get(&h)?;
        decode_photo(&bytes, PhotoLimits::default()).map_err(|e| AppError::field("photo", e.to_string()))
    })
    .await?;
    let img = Arc::new(img);
    state.cache_photo(hash, img.clone());
    Ok(img)
}

fn media_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some("image/jpeg"),
        [0x89, b'P', b'N', b'G', ..] => Some("image/png"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}
