//! Writing results: to stdout, or to a file replaced atomically (written beside it, then
//! renamed) so an interrupted run never leaves a half-written file.

use std::io::Write;
use std::path::Path;

use crate::error::CliError;

/// Write `bytes` to `path`, or to stdout when `path` is `None` or `-`.
pub fn write_out(path: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    match path {
        None => write_stdout(bytes),
        Some(p) if p.as_os_str() == "-" => write_stdout(bytes),
        Some(p) => write_atomic(p, bytes),
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|_| out.flush())
        .map_err(|e| CliError::Other(format!("cannot write to stdout: {e}")))
}

/// The folder `path` is written in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Replace `path` with `bytes` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = folder_of(path);
    let name = path
        .file_name()
        .ok_or_else(|| CliError::BadInput(format!("{} is not a file name", path.display())))?;
    let tmp = dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(CliError::Other(format!(
            "cannot write {}: {e} (check the folder exists and is writable)",
            path.display()
        )));
    }
    Ok(())
}

/// Refuse an output path that cannot be written before any slow work starts: its folder
/// must exist and take a new file (tried with an empty one), and the path must not be a
/// folder. `-` (stdout) always passes.
pub fn check_writable(path: &Path) -> Result<(), CliError> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    if path.is_dir() {
        return Err(CliError::BadInput(format!(
            "{} is a folder; give a file name to write, e.g. {}",
            path.display(),
            path.join("out.png").display()
        )));
    }
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Err(CliError::BadInput(format!(
            "cannot write {}: the folder {} does not exist; create it first",
            path.display(),
            dir.display()
        )));
    }
    let probe = dir.join(format!(".smp-write-check-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(CliError::BadInput(format!(
            "cannot write {}: {e}; choose a folder you can write to",
            path.display()
        ))),
    }
}

/// A progress line on stderr, so stdout stays clean for data.
pub fn progress(quiet: bool, msg: &str) {
    if !quiet {
        eprintln!("{msg}");
    }
}

/// A step of long work shown on stderr: in a terminal a spinner with the time so far,
/// replaced by a line with the time taken when it is done; elsewhere (a log, a pipe)
/// one plain line when it starts. Nothing under `-q`.
pub struct Step {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
}

/// Starts a step: `msg` says what is being done ("drawing the head…").
pub fn step(quiet: bool, msg: &str) -> Step {
    let started = std::time::Instant::now();
    if quiet {
        return Step { bar: None, started };
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln!("{msg}");
        return Step { bar: None, started };
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a valid template"));
    bar.set_message(msg.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Step { bar: Some(bar), started }
}

impl Step {
    /// Ends the step with `msg` and the time it took (in a terminal).
    pub fn done(self, msg: &str) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
            eprintln!("{msg} ({:.1} s)", self.started.elapsed().as_secs_f64());
        }
    }
}
