//! The audit log's hash chain: each entry's hash covers the previous entry's hash and
//! all of its own fields, so changing, removing or reordering any row breaks every
//! later hash. Entries name clients by id only (pseudonymous), never by personal data.

use crate::model::UserId;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::{ClientId, ClinicId};

/// The hash before a clinic's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    /// The clinic whose chain it is in.
    pub clinic_id: ClinicId,
    /// 1, 2, … per clinic.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// User id of who did it.
    pub actor: UserId,
    /// `create`, `change`, `read`, `export`, `erase`, `login`, …
    pub action: String,
    /// What kind of record (`client`, `photo`, `design`, `session`, …).
    pub entity: String,
    /// Its id.
    pub entity_id: i64,
    /// The client concerned, pseudonymously (`client:42`), or empty.
    pub subject: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// What to append.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    /// User id.
    pub actor: UserId,
    /// Action.
    pub action: &'a str,
    /// Entity kind.
    pub entity: &'a str,
    /// Entity id.
    pub entity_id: i64,
    /// Client id concerned, if any.
    pub client_id: Option<ClientId>,
}

impl<'a> AuditEvent<'a> {
    /// What `actor` did (`action`) to record `entity_id` of kind `entity`, about `client`.
    pub fn about_client(actor: UserId, action: &'a str, entity: &'a str, entity_id: impl Into<i64>, client: ClientId) -> AuditEvent<'a> {
        AuditEvent {
            actor,
            action,
            entity,
            entity_id: entity_id.into(),
            client_id: Some(client),
        }
    }

    /// The pseudonymous subject.
    pub fn subject(&self) -> String {
        self.client_id.map(|c| format!("client:{c}")).unwrap_or_default()
    }
}

/// The hash of an entry's fields after `prev_hash`.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    prev_hash: &str,
    clinic: ClinicId,
    seq: i64,
    at: i64,
    actor: UserId,
    action: &str,
    entity: &str,
    entity_id: i64,
    subject: &str,
) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different entries serialise alike.
    for field in [
        prev_hash,
        &clinic.0.to_string(),
        &seq.to_string(),
        &at.to_string(),
        &actor.to_string(),
        action,
        entity,
        &entity_id.to_string(),
        subject,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Where a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The first entry that doesn't verify.
    pub seq: i64,
    /// Why.
    pub reason: String,
}

/// Checks a clinic's entries, in `seq` order.
pub fn verify(entries: &[AuditEntry]) -> Result<(), ChainBreak> {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let want_seq = i as i64 + 1;
        if e.seq != want_seq {
            return Err(ChainBreak {
                seq: e.seq,
                reason: format!("entry {want_seq} is missing (found {})", e.seq),
            });
        }
        if e.prev_hash != prev {
            return Err(ChainBreak {
                seq: e.seq,
                reason: "its link to the previous entry is wrong".into(),
            });
        }
        let h = entry_hash(
            &e.prev_hash,
            e.clinic_id,
            e.seq,
            e.at,
            e.actor,
            &e.action,
            &e.entity,
            e.entity_id,
            &e.subject,
        );
        if h != e.hash {
            return Err(ChainBreak {
                seq: e.seq,
                reason: "its content was changed after it was written".into(),
            });
        }
        prev = e.hash.clone();
    }
    Ok(())
}
