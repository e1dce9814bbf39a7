//! `smp backup` and `smp restore`: a consistent online copy of the SQLite database
//! (VACUUM INTO, while the server runs) and the photo store, in one tar file.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::cmd::server::{DB_FILE, PHOTOS_DIR, default_data, runtime, store_error};
use crate::error::CliError;
use crate::output::progress;

/// Arguments of `smp backup`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp backup --data ./data -o smp-2026-11-27.tar\n  smp restore smp-2026-11-27.tar --data ./data-restored\n\nSafe while `smp serve` runs. PostgreSQL: back up the database with\n`pg_dump -Fc URL -f smp.dump` (restore: `pg_restore -d URL smp.dump`) and the photos with\nthis command's tar or any file copy of DATA/photos.\n\nThe archive holds the audit log's signed heads (DATA/audit-heads), not its key: keep\nDATA/audit.key apart, and give it to `smp audit verify --audit-key-file` after a restore."
)]
pub struct BackupArgs {
    /// Data directory to back up.
    #[arg(long, default_value_os_t = default_data())]
    data: PathBuf,
    /// The backup file (.tar); must not exist.
    #[arg(short, long)]
    output: PathBuf,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Arguments of `smp restore`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp restore smp-2026-11-27.tar --data ./data\n\nThe data directory must not hold a database yet (move the old one aside first)."
)]
pub struct RestoreArgs {
    /// The backup file made by `smp backup`.
    backup: PathBuf,
    /// Data directory to restore into.
    #[arg(long, default_value_os_t = default_data())]
    data: PathBuf,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

fn io(path: &Path, e: impl std::fmt::Display) -> CliError {
    CliError::Other(format!("{}: {e}", path.display()))
}

/// Run `smp backup`.
pub fn backup(a: BackupArgs) -> Result<(), CliError> {
    let db = a.data.join(DB_FILE);
    if !db.exists() {
        return Err(CliError::BadInput(format!(
            "{} has no database ({DB_FILE}); is --data right?",
            a.data.display()
        )));
    }
    if a.output.exists() {
        return Err(CliError::BadInput(format!(
            "{} exists; choose a new backup file name",
            a.output.display()
        )));
    }
    let tmp_dir = a.output.with_extension("backup-tmp");
    std::fs::create_dir_all(&tmp_dir).map_err(|e| io(&tmp_dir, e))?;
    let snapshot = tmp_dir.join(DB_FILE);
    let _ = std::fs::remove_file(&snapshot);
    // The signed audit heads, copied before the snapshot so none is newer than the log
    // it will be checked against after a restore.
    let heads = a.data.join(smp_store::anchor::HEADS_DIR);
    let heads_copy = tmp_dir.join(smp_store::anchor::HEADS_DIR);
    if heads.is_dir() {
        std::fs::create_dir_all(&heads_copy).map_err(|e| io(&heads_copy, e))?;
        for f in std::fs::read_dir(&heads).map_err(|e| io(&heads, e))?.flatten() {
            if f.path().extension().is_some_and(|x| x == "json") {
                std::fs::copy(f.path(), heads_copy.join(f.file_name())).map_err(|e| io(&f.path(), e))?;
            }
        }
    }
    progress(a.quiet, "snapshotting the database…");
    runtime()?.block_on(async {
        let store = smp_store::open_sqlite(&db).await.map_err(store_error)?;
        store.backup_to(&snapshot).await.map_err(store_error)
    })?;
    progress(a.quiet, "writing the archive…");
    let partial = a.output.with_extension("tar.partial");
    let result = (|| -> std::io::Result<()> {
        let mut tar = tar::Builder::new(std::fs::File::create(&partial)?);
        tar.append_path_with_name(&snapshot, DB_FILE)?;
        let photos = a.data.join(PHOTOS_DIR);
        if photos.is_dir() {
            tar.append_dir_all(PHOTOS_DIR, &photos)?;
        }
        if heads_copy.is_dir() {
            tar.append_dir_all(smp_store::anchor::HEADS_DIR, &heads_copy)?;
        }
        tar.into_inner()?.sync_all()
    })();
    let _ = std::fs::remove_dir_all(&tmp_dir);
    result.map_err(|e| io(&partial, e))?;
    std::fs::rename(&partial, &a.output).map_err(|e| io(&a.output, e))?;
    progress(a.quiet, &format!("backup written to {}", a.output.display()));
    Ok(())
}

/// Run `smp restore`.
pub fn restore(a: RestoreArgs) -> Result<(), CliError> {
    if a.data.join(DB_FILE).exists() {
        return Err(CliError::BadInput(format!(
            "{} already holds a database; restore into an empty directory (move the old one aside first)",
            a.data.display()
        )));
    }
    let file = std::fs::File::open(&a.backup).map_err(|e| io(&a.backup, e))?;
    std::fs::create_dir_all(&a.data).map_err(|e| io(&a.data, e))?;
    progress(a.quiet, "unpacking…");
    let mut archive = tar::Archive::new(file);
    // unpack() refuses paths that leave the directory.
    archive
        .unpack(&a.data)
        .map_err(|e| CliError::BadInput(format!("{} is not a readable smp backup: {e}", a.backup.display())))?;
    if !a.data.join(DB_FILE).exists() {
        return Err(CliError::BadInput(format!(
            "{} holds no {DB_FILE}: not an smp backup",
            a.backup.display()
        )));
    }
    runtime()?.block_on(async {
        let store = smp_store::open_sqlite(&a.data.join(DB_FILE)).await.map_err(store_error)?;
        let n = store.clinic_count().await.map_err(store_error)?;
        progress(a.quiet, &format!("restored {n} clinic(s) into {}", a.data.display()));
        Ok(())
    })
}
