//! `smp audit verify`: checks every clinic's hash-chained audit log.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cmd::server::{default_data, open_store, runtime, store_error};
use crate::error::CliError;

/// `smp audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Recompute every clinic's audit chain; exit 1 if any entry was changed, removed or reordered.
    Verify(VerifyArgs),
}

/// Arguments of `smp audit verify`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp audit verify --data ./data\n  smp audit verify --database-url postgres://smp@127.0.0.1/smp --json\n  smp audit verify --data ./restored --audit-key-file /secure/audit.key\n\nEach clinic's chain is recomputed link by link, and its last signed head (written by\nsmp serve after every entry, outside the database) must still be in it unchanged: a log\nwhose tail was deleted, or that was rewritten and chained again, is reported."
)]
pub struct VerifyArgs {
    /// Data directory (SQLite) when no --database-url is given.
    #[arg(long, default_value_os_t = default_data())]
    data: PathBuf,
    /// PostgreSQL URL.
    #[arg(long, env = "SMP_DATABASE_URL")]
    database_url: Option<String>,
    /// The audit log's signing key (default DATA/audit.key): the signed heads in
    /// DATA/audit-heads are checked with it, so a cut or re-chained log is found.
    #[arg(long)]
    audit_key_file: Option<PathBuf>,
    /// Machine-readable JSON.
    #[arg(long)]
    json: bool,
}

/// One clinic's result in `--json`.
#[derive(Serialize)]
struct ClinicResult {
    clinic: String,
    entries: usize,
    intact: bool,
    broken_at: Option<i64>,
    reason: Option<String>,
}

/// Run `smp audit …`.
pub fn run(c: AuditCmd) -> Result<(), CliError> {
    let AuditCmd::Verify(a) = c;
    if a.database_url.is_none() && !a.data.join(crate::cmd::server::DB_FILE).exists() {
        return Err(CliError::BadInput(format!(
            "{} has no database; is --data right?",
            a.data.display()
        )));
    }
    let results = runtime()?.block_on(async {
        let store = open_store(&a.data, a.database_url.as_deref()).await?;
        let anchor = smp_store::anchor::Anchor::open_existing(&a.data, a.audit_key_file.as_deref())
            .map_err(|e| CliError::BadInput(format!("the audit key: {e}")))?;
        let mut out = Vec::new();
        for clinic in store.list_clinics().await.map_err(store_error)? {
            let log = store.audit_log(clinic.id).await.map_err(store_error)?;
            let check = smp_store::audit::verify(&log).and_then(|()| match &anchor {
                Some(anchor) => anchor.check(clinic.id, &log),
                None if log.is_empty() => Ok(()),
                None => Err(smp_store::audit::ChainBreak {
                    seq: 0,
                    reason: format!(
                        "no audit key at {}: the signed heads cannot be checked (give --audit-key-file)",
                        a.audit_key_file
                            .clone()
                            .unwrap_or_else(|| a.data.join(smp_store::anchor::KEY_FILE))
                            .display()
                    ),
                }),
            });
            out.push(ClinicResult {
                clinic: clinic.name,
                entries: log.len(),
                intact: check.is_ok(),
                broken_at: check.as_ref().err().map(|b| b.seq),
                reason: check.err().map(|b| b.reason),
            });
        }
        Ok::<_, CliError>(out)
    })?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&results).expect("results serialise"));
    } else {
        for r in &results {
            match (&r.broken_at, &r.reason) {
                (Some(seq), Some(why)) => println!("{}: TAMPERED at entry {seq} of {}: {why}", r.clinic, r.entries),
                _ => println!("{}: intact ({} entries)", r.clinic, r.entries),
            }
        }
    }
    if results.iter().all(|r| r.intact) {
        Ok(())
    } else {
        Err(CliError::Other("the audit log was tampered with (see above)".into()))
    }
}
