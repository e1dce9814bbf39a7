//! Photo (and report) files under the data directory, named by their SHA-256, so the
//! same upload is stored once and a record can never point at changed content.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{StoreError, StoreResult};

/// A content-addressed file store rooted at a directory.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl FileStore {
    /// A store under `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path_of(&self, hash: &str) -> StoreResult<PathBuf> {
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::BadInput(format!("'{hash}' is not a SHA-256 content hash")));
        }
        Ok(self.root.join(&hash[..2]).join(hash))
    }

    /// Stores `bytes` and returns their hash; writing is atomic (temp file + rename).
    pub fn put(&self, bytes: &[u8]) -> StoreResult<String> {
        let hash = sha256_hex(bytes);
        let path = self.path_of(&hash)?;
        if path.exists() {
            return Ok(hash);
        }
        let io = |source, p: &Path| StoreError::Io {
            path: p.display().to_string(),
            source,
        };
        let dir = path.parent().expect("hash path has a parent");
        std::fs::create_dir_all(dir).map_err(|e| io(e, dir))?;
        // A name of its own per write: two uploads of the same photo at once once shared
        // one temporary file, and the second rename failed.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".{hash}.{}.{n}.tmp", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(|e| io(e, &tmp))?;
        if let Err(e) = std::fs::rename(&tmp, &path) {
            let _ = std::fs::remove_file(&tmp);
            // Someone else stored the same bytes first: the content is the same.
            if !path.exists() {
                return Err(io(e, &path));
            }
        }
        Ok(hash)
    }

    /// Deletes the file stored under `hash` (erasure); a missing file is not an error.
    pub fn remove(&self, hash: &str) -> StoreResult<()> {
        let path = self.path_of(hash)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(StoreError::Io {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// The bytes stored under `hash`.
    pub fn get(&self, hash: &str) -> StoreResult<Vec<u8>> {
        let path = self.path_of(hash)?;
        std::fs::read(&path).map_err(|source| StoreError::Io {
            path: path.display().to_string(),
            source,
        })
    }
}
