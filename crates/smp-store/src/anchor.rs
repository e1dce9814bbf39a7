//! Anchors each clinic's audit chain outside the database: after every append the chain's
//! head (its last seq and hash) is signed with an HMAC key kept in a file beside the data
//! (`DATA/audit.key`, mode 0600, made on first start) and written to
//! `DATA/audit-heads/<clinic>.json`. Whoever can rewrite the database alone can neither
//! cut the log's tail nor re-chain it unnoticed: the signed head no longer matches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::audit::{AuditEntry, ChainBreak};
use crate::model::ClinicId;

/// File name of the key in the data directory.
pub const KEY_FILE: &str = "audit.key";
/// Directory of the signed heads in the data directory.
pub const HEADS_DIR: &str = "audit-heads";

/// A clinic's signed head, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedHead {
    /// The clinic.
    pub clinic_id: i64,
    /// The last entry's seq when it was signed.
    pub seq: i64,
    /// That entry's hash.
    pub hash: String,
    /// HMAC-SHA256 over the three fields, hex.
    pub mac: String,
}

/// Why the anchor could not be used.
#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The key file is not a key.
    #[error("{0} is not an audit key (64 hex digits); restore it from the backup, or move it away to start a new anchor")]
    BadKey(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AnchorError + '_ {
    move |source| AnchorError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The signing key and where the heads live.
pub struct Anchor {
    key: [u8; 32],
    heads: PathBuf,
    /// Last seq written per clinic: concurrent appends must not write an older head last.
    written: Mutex<HashMap<i64, i64>>,
}

impl Anchor {
    /// The anchor of data directory `data`, its key read from `key_file` (default
    /// `DATA/audit.key`), created with a fresh random key (mode 0600) if it is missing.
    pub fn open(data: &Path, key_file: Option<&Path>) -> Result<Anchor, AnchorError> {
        Self::open_with(data, key_file, true).map(|a| a.expect("created when missing"))
    }

    /// The anchor of `data` if its key exists (checking never makes a new key).
    pub fn open_existing(data: &Path, key_file: Option<&Path>) -> Result<Option<Anchor>, AnchorError> {
        Self::open_with(data, key_file, false)
    }

    fn open_with(data: &Path, key_file: Option<&Path>, create: bool) -> Result<Option<Anchor>, AnchorError> {
        let key_path = key_file.map_or_else(|| data.join(KEY_FILE), Path::to_path_buf);
        let key = match std::fs::read_to_string(&key_path) {
            Ok(text) => parse_key(&text).ok_or_else(|| AnchorError::BadKey(key_path.display().to_string()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                getrandom::fill(&mut key).expect("the operating system's random source failed");
                if let Some(dir) = key_path.parent() {
                    std::fs::create_dir_all(dir).map_err(io(dir))?;
                }
                write_private(&key_path, hex::encode(key).as_bytes())?;
                key
            }
            Err(e) => return Err(io(&key_path)(e)),
        };
        let heads = data.join(HEADS_DIR);
        std::fs::create_dir_all(&heads).map_err(io(&heads))?;
        Ok(Some(Anchor {
            key,
            heads,
            written: Mutex::new(HashMap::new()),
        }))
    }

    fn mac(&self, clinic: i64, seq: i64, hash: &str) -> String {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        m.update(format!("smp-audit-head/1\n{clinic}\n{seq}\n{hash}").as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    fn head_path(&self, clinic: ClinicId) -> PathBuf {
        self.heads.join(format!("{}.json", clinic.0))
    }

    /// Signs `entry` as its clinic's new head (unless a later one was already signed).
    pub fn record(&self, entry: &AuditEntry) -> Result<(), AnchorError> {
        let clinic = entry.clinic_id.0;
        let mut written = self.written.lock().expect("audit anchor lock");
        if written.get(&clinic).is_some_and(|&s| s >= entry.seq) {
            return Ok(());
        }
        let head = SignedHead {
            clinic_id: clinic,
            seq: entry.seq,
            hash: entry.hash.clone(),
            mac: self.mac(clinic, entry.seq, &entry.hash),
        };
        let path = self.head_path(entry.clinic_id);
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, serde_json::to_vec(&head).expect("a head serialises")).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io(&path))?;
        written.insert(clinic, entry.seq);
        Ok(())
    }

    /// The clinic's signed head, if one was written.
    pub fn head(&self, clinic: ClinicId) -> Result<Option<SignedHead>, AnchorError> {
        let path = self.head_path(clinic);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path)(e)),
        }
    }

    /// Checks a clinic's chain (already verified link by link) against its signed head:
    /// the head must be genuine and its entry still in the chain, unchanged. Entries
    /// after it are fine (a crash between an append and its signing leaves those).
    pub fn check(&self, clinic: ClinicId, entries: &[AuditEntry]) -> Result<(), ChainBreak> {
        let head = match self.head(clinic) {
            Ok(Some(h)) => h,
            Ok(None) if entries.is_empty() => return Ok(()),
            Ok(None) => {
                return Err(ChainBreak {
                    seq: 0,
                    reason: "no signed head was found for this log (the audit-heads directory or this clinic's file is missing)".into(),
                });
            }
            Err(e) => {
                return Err(ChainBreak {
                    seq: 0,
                    reason: e.to_string(),
                });
            }
        };
        if head.clinic_id != clinic.0 || head.mac != self.mac(head.clinic_id, head.seq, &head.hash) {
            return Err(ChainBreak {
                seq: head.seq,
                reason: "the signed head does not verify with the audit key: it was altered, or the key is not this data's".into(),
            });
        }
        match entries.iter().find(|e| e.seq == head.seq) {
            None => Err(ChainBreak {
                seq: head.seq,
                reason: format!(
                    "the log ends at entry {} but entry {} was written and signed: its tail was removed",
                    entries.last().map_or(0, |e| e.seq),
                    head.seq
                ),
            }),
            Some(e) if e.hash != head.hash => Err(ChainBreak {
                seq: head.seq,
                reason: format!("entry {} is not the one signed: the log was rewritten and chained again", head.seq),
            }),
            Some(_) => Ok(()),
        }
    }

    /// The directory of the signed heads (a backup copies it).
    pub fn heads_dir(&self) -> &Path {
        &self.heads
    }
}

fn parse_key(text: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(text.trim()).ok()?;
    bytes.try_into().ok()
}

/// Writes a file only its owner can read.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), AnchorError> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io(path))?;
    f.write_all(bytes).map_err(io(path))?;
    f.sync_all().map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{GENESIS, entry_hash, verify};

    fn chain(clinic: ClinicId, actions: &[&str]) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        let mut out = Vec::new();
        for (i, a) in actions.iter().enumerate() {
            let seq = i as i64 + 1;
            let hash = entry_hash(&prev, clinic, seq, 1000 + seq, crate::UserId(1), a, "client", 7, "client:7");
            out.push(AuditEntry {
                clinic_id: clinic,
                seq,
                at: 1000 + seq,
                actor: crate::UserId(1),
                action: a.to_string(),
                entity: "client".into(),
                entity_id: 7,
                subject: "client:7".into(),
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        out
    }

    #[test]
    fn a_cut_rechained_or_forged_log_is_caught_by_its_signed_head() {
        let dir = crate::testing::scratch_dir("anchor");
        let clinic = ClinicId(3);
        let a = Anchor::open(&dir, None).unwrap();
        let log = chain(clinic, &["create", "read", "erase"]);
        for e in &log {
            a.record(e).unwrap();
        }
        assert_eq!(a.check(clinic, &log), Ok(()));
        // A later entry not yet signed (a crash between append and signing) is fine.
        let longer = chain(clinic, &["create", "read", "erase", "read"]);
        assert_eq!(a.check(clinic, &longer), Ok(()));
        // The tail cut: every link still verifies, the head does not.
        let cut = &log[..2];
        assert!(verify(cut).is_ok());
        assert!(a.check(clinic, cut).unwrap_err().reason.contains("tail was removed"));
        // The "erase" rewritten as a "read" and the chain recomputed.
        let rechained = chain(clinic, &["create", "read", "read"]);
        assert!(verify(&rechained).is_ok());
        assert!(a.check(clinic, &rechained).unwrap_err().reason.contains("rewritten"));
        // The head file edited to match the cut log: its MAC no longer holds.
        let path = dir.join(HEADS_DIR).join("3.json");
        let mut head: SignedHead = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        head.seq = 2;
        head.hash = cut[1].hash.clone();
        std::fs::write(&path, serde_json::to_vec(&head).unwrap()).unwrap();
        assert!(a.check(clinic, cut).unwrap_err().reason.contains("does not verify"));
        // Another key (a fresh data directory's) does not verify this data's heads.
        std::fs::remove_file(dir.join(KEY_FILE)).unwrap();
        let other = Anchor::open(&dir, None).unwrap();
        assert!(other.check(clinic, &log).unwrap_err().reason.contains("does not verify"));
        // Checking never creates a key.
        std::fs::remove_file(dir.join(KEY_FILE)).unwrap();
        assert!(Anchor::open_existing(&dir, None).unwrap().is_none());
        assert!(!dir.join(KEY_FILE).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
