//! The clinic's hash-chained audit log.

use async_trait::async_trait;
use sqlx::{Any, Row};

use super::*;
use crate::audit::*;
use crate::error::*;
use crate::model::*;

/// The clinic's hash-chained audit log.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends to the clinic's audit chain (appends are serialised: the chain never forks).
    async fn audit(&self, clinic: ClinicId, event: &AuditEvent<'_>) -> StoreResult<AuditEntry>;
    /// The clinic's audit chain in order.
    async fn audit_log(&self, clinic: ClinicId) -> StoreResult<Vec<AuditEntry>>;
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn audit(&self, clinic: ClinicId, ev: &AuditEvent<'_>) -> StoreResult<AuditEntry> {
        // Group commit: the entry joins the queue; whoever holds the audit lock next
        // writes every queued entry in one transaction (one disk flush for all) and
        // answers each. Most callers find their entry already written when the lock
        // comes to them.
        let (done, mut written) = tokio::sync::oneshot::channel();
        self.audit_queue
            .lock()
            .expect("audit queue")
            .push(QueuedAudit::new(clinic, ev, done));
        let serial = self.audit_lock.clone().lock_owned().await;
        if let Ok(r) = written.try_recv() {
            return r;
        }
        let batch = std::mem::take(&mut *self.audit_queue.lock().expect("audit queue"));
        // A task of its own, holding the lock: a caller that goes away (a closed
        // connection) does not cancel the others' entries half-way.
        let store = self.clone();
        tokio::spawn(async move {
            store.commit_audit_batch(batch).await;
            drop(serial);
        });
        written
            .await
            .unwrap_or_else(|_| Err(not_written("the server is stopping; try again")))
    }

    async fn audit_log(&self, clinic: ClinicId) -> StoreResult<Vec<AuditEntry>> {
        let sql = format!("SELECT {AUDIT_COLS} FROM audit_log WHERE clinic_id = $1 ORDER BY seq");
        let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }
}

impl SqlStore {
    /// Begins a write that carries its own audit entry: this process's audit lock (so
    /// the chain stays in order with the group commits) and a write transaction.
    pub(crate) async fn begin_audited(&self) -> StoreResult<(tokio::sync::OwnedMutexGuard<()>, sqlx::Transaction<'static, Any>)> {
        let serial = self.audit_lock.clone().lock_owned().await;
        Ok((serial, self.begin_write().await?))
    }

    /// Appends `ev` inside the write's transaction and commits both: the record and its
    /// entry stand or fall together.
    pub(crate) async fn commit_with_entry(
        mut tx: sqlx::Transaction<'_, Any>,
        clinic: ClinicId,
        ev: &AuditEvent<'_>,
    ) -> StoreResult<AuditEntry> {
        let entry = Self::append_audit_in(&mut tx, clinic, ev).await?.ok_or_else(|| {
            bad("another server process was writing the audit log at the same moment; nothing was saved — try again".into())
        })?;
        tx.commit().await?;
        Ok(entry)
    }
}

/// An audit entry waiting for the next group commit.
#[derive(Debug)]
pub(crate) struct QueuedAudit {
    clinic: ClinicId,
    actor: UserId,
    action: String,
    entity: String,
    entity_id: i64,
    client_id: Option<ClientId>,
    done: tokio::sync::oneshot::Sender<StoreResult<AuditEntry>>,
}

impl QueuedAudit {
    fn new(clinic: ClinicId, ev: &AuditEvent<'_>, done: tokio::sync::oneshot::Sender<StoreResult<AuditEntry>>) -> QueuedAudit {
        QueuedAudit {
            clinic,
            actor: ev.actor,
            action: ev.action.to_string(),
            entity: ev.entity.to_string(),
            entity_id: ev.entity_id,
            client_id: ev.client_id,
            done,
        }
    }

    fn event(&self) -> AuditEvent<'_> {
        AuditEvent {
            actor: self.actor,
            action: &self.action,
            entity: &self.entity,
            entity_id: self.entity_id,
            client_id: self.client_id,
        }
    }
}

/// The error every entry of a failed batch gets (a database error: a 500, nothing saved).
fn not_written(why: &str) -> StoreError {
    sqlx::Error::Protocol(format!("the audit entry was not written: {why}")).into()
}

impl SqlStore {
    /// Writes `batch` in queue order in one transaction and answers each entry. The
    /// (clinic, seq) key serialises appends across processes: when another process took
    /// a seq first, the whole batch is rolled back and written again after it.
    async fn commit_audit_batch(&self, batch: Vec<QueuedAudit>) {
        let mut outcome = Err(bad("the audit log is too busy to append; try again".into()));
        for _ in 0..50 {
            match self.try_audit_batch(&batch).await {
                Ok(None) => continue,
                Ok(Some(entries)) => outcome = Ok(entries),
                Err(e) => outcome = Err(e),
            }
            break;
        }
        match outcome {
            Ok(entries) => {
                for (q, e) in batch.into_iter().zip(entries) {
                    let _ = q.done.send(Ok(e));
                }
            }
            Err(e) => {
                let why = e.to_string();
                for q in batch {
                    let _ = q.done.send(Err(not_written(&why)));
                }
            }
        }
    }

    /// One attempt at a batch: `None` when another writer took a seq first. Each
    /// clinic's head is read once and the entries are chained in memory, then written
    /// with multi-row inserts: a batch costs a few round trips, not two per entry.
    async fn try_audit_batch(&self, batch: &[QueuedAudit]) -> StoreResult<Option<Vec<AuditEntry>>> {
        let mut tx = self.begin_write().await?;
        let mut heads: std::collections::HashMap<ClinicId, (i64, String)> = std::collections::HashMap::new();
        let mut entries = Vec::with_capacity(batch.len());
        let at = now_unix();
        for q in batch {
            let head = match heads.remove(&q.clinic) {
                Some(h) => h,
                None => Self::audit_head(&mut tx, q.clinic).await?,
            };
            let entry = chained(head, q.clinic, at, &q.event());
            heads.insert(q.clinic, (entry.seq, entry.hash.clone()));
            entries.push(entry);
        }
        if !Self::insert_entries(&mut tx, &entries).await? {
            return Ok(None);
        }
        tx.commit().await?;
        Ok(Some(entries))
    }

    /// Writes chained entries inside `tx`, 500 rows a statement (10 values a row; both
    /// backends take thousands of parameters a statement). `false` when another writer
    /// took one of their seqs first (the key refused it).
    async fn insert_entries(tx: &mut sqlx::Transaction<'_, Any>, entries: &[AuditEntry]) -> StoreResult<bool> {
        for chunk in entries.chunks(500) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let p: Vec<String> = (1..=10).map(|c| format!("${}", i * 10 + c)).collect();
                    format!("({})", p.join(", "))
                })
                .collect();
            let sql = format!("INSERT INTO audit_log ({AUDIT_COLS}) VALUES {}", rows.join(", "));
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q
                    .bind(e.clinic_id.0)
                    .bind(e.seq)
                    .bind(e.at)
                    .bind(e.actor)
                    .bind(&e.action)
                    .bind(&e.entity)
                    .bind(e.entity_id)
                    .bind(&e.subject)
                    .bind(&e.prev_hash)
                    .bind(&e.hash);
            }
            match q.execute(&mut **tx).await {
                Ok(_) => {}
                Err(e) if is_unique_violation(&e) => return Ok(false),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(true)
    }

    /// The clinic's last audit entry's seq and hash (0 and the genesis hash when empty).
    async fn audit_head(tx: &mut sqlx::Transaction<'_, Any>, clinic: ClinicId) -> StoreResult<(i64, String)> {
        let last = sqlx::query("SELECT seq, hash FROM audit_log WHERE clinic_id = $1 ORDER BY seq DESC LIMIT 1")
            .bind(clinic.0)
            .fetch_optional(&mut **tx)
            .await?;
        Ok(match &last {
            Some(r) => (r.try_get::<i64, _>("seq")?, r.try_get::<String, _>("hash")?),
            None => (0, GENESIS.to_string()),
        })
    }

    /// Appends to the clinic's audit chain inside `tx`; the caller holds
    /// `audit_lock`, so no other append of this process interleaves.
    /// `None` when another writer took the next seq first (the key refused it):
    /// the transaction is then spoilt, and the caller starts a new one.
    pub(crate) async fn append_audit_in(
        tx: &mut sqlx::Transaction<'_, Any>,
        clinic: ClinicId,
        ev: &AuditEvent<'_>,
    ) -> StoreResult<Option<AuditEntry>> {
        let head = Self::audit_head(tx, clinic).await?;
        let entry = chained(head, clinic, now_unix(), ev);
        Ok(Self::insert_entries(tx, std::slice::from_ref(&entry)).await?.then_some(entry))
    }
}

/// The entry `ev` makes after the clinic's head (its last seq and hash) at time `at`.
fn chained((last_seq, prev_hash): (i64, String), clinic: ClinicId, at: i64, ev: &AuditEvent<'_>) -> AuditEntry {
    let (seq, subject) = (last_seq + 1, ev.subject());
    let hash = entry_hash(&prev_hash, clinic, seq, at, ev.actor, ev.action, ev.entity, ev.entity_id, &subject);
    AuditEntry {
        clinic_id: clinic,
        seq,
        at,
        actor: ev.actor,
        action: ev.action.to_string(),
        entity: ev.entity.to_string(),
        entity_id: ev.entity_id,
        subject,
        prev_hash,
        hash,
    }
}
