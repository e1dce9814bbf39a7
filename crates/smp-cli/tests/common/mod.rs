//! Helpers shared by the CLI's end-to-end tests.
#![allow(dead_code)] // each test file uses its own subset

pub mod server;

use std::path::PathBuf;
use std::process::{Command, Output};

/// Run the `smp` binary.
pub fn smp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smp")).args(args).output().expect("smp runs")
}

/// A fresh folder for one test.
pub fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smp-cli-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What the command printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
