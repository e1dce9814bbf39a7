//! What every handler shares: the store, photo files, throttle, caches and settings.

use std::ops::Deref;
use std::sync::Arc;

use image::RgbImage;
use smp_store::{FileStore, Store};

use crate::auth::throttle::Throttle;

/// Server settings.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Mark cookies `Secure` (TLS here or at a reverse proxy).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Login session lifetime, hours.
    pub session_hours: i64,
    /// Largest photo upload, bytes (by default the photo limit the CLI uses too).
    pub max_upload_bytes: usize,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            secure_cookies: false,
            trust_forwarded_for: false,
            session_hours: 12,
            max_upload_bytes: smp_photo::decode::PhotoLimits::default().max_bytes as usize,
        }
    }
}

/// Shared state, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The shared parts.
pub struct Inner {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Photo files by content hash.
    pub files: FileStore,
    /// Failed-login counters.
    pub throttle: Throttle,
    /// Large bodies per login (see `auth::large`).
    pub large_requests: crate::auth::large::LargeRequests,
    /// Signs each clinic's audit head outside the database, when the server has a data
    /// directory (`smp serve` always does).
    pub anchor: Option<smp_store::anchor::Anchor>,
    /// Authenticator codes already used (each works once).
    pub used_codes: crate::auth::totp::UsedCodes,
    /// Settings.
    pub config: AppConfig,
    /// The bounded pool requests' CPU work runs on.
    pub workers: crate::service::work::Workers,
    /// Recently decoded photos (hash → pixels): the editor asks for many previews of one photo.
    photos: crate::service::recent::RecentCache<RgbImage>,
    /// The impressions of the last few designs (dots, then a preview of the same design).
    pub impressions: crate::service::impressions::ImpressionCache,
}

/// Photos kept decoded.
const PHOTO_CACHE_ENTRIES: usize = 6;
/// Bytes of decoded photos kept at most: six 12 MP photos (36 MB each), or one
/// 60-megapixel photo (180 MB) and a few small ones, so a few huge uploads cannot hold a
/// gigabyte between them.
const PHOTO_CACHE_BYTES: usize = 400 << 20;

impl AppState {
    /// State over a store and a photo directory.
    pub fn new(store: Arc<dyn Store>, files: FileStore, config: AppConfig) -> AppState {
        Self::with_anchor(store, files, config, None)
    }

    /// State whose audit heads are signed by `anchor`.
    pub fn with_anchor(store: Arc<dyn Store>, files: FileStore, config: AppConfig, anchor: Option<smp_store::anchor::Anchor>) -> AppState {
        AppState(Arc::new(Inner {
            store,
            files,
            anchor,
            throttle: Throttle::default(),
            large_requests: Default::default(),
            used_codes: Default::default(),
            config,
            workers: crate::service::work::Workers::for_this_machine(),
            photos: crate::service::recent::RecentCache::new(PHOTO_CACHE_ENTRIES, PHOTO_CACHE_BYTES, |i| i.as_raw().len()),
            impressions: Default::default(),
        }))
    }

    /// A decoded photo from the cache.
    pub fn cached_photo(&self, hash: &str) -> Option<Arc<RgbImage>> {
        self.photos.get(hash)
    }

    /// Drops a photo from the cache (erasure).
    pub fn forget_photo(&self, hash: &str) {
        self.photos.forget(hash);
    }

    /// Keeps a decoded photo, evicting the least recently used, within
    /// [`PHOTO_CACHE_ENTRIES`] photos and [`PHOTO_CACHE_BYTES`]; one over half the
    /// byte budget is not kept.
    pub fn cache_photo(&self, hash: &str, img: Arc<RgbImage>) {
        self.photos.put(hash, img);
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
