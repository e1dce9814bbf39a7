//! The CLI's error: a one-line message and an exit code (2 bad input, 1 anything else).

use smp_design::{DesignError, FaultClass};

/// A failed command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The user's input (a file, an option) is wrong: exit code 2.
    #[error("{0}")]
    BadInput(String),
    /// Anything else (I/O): exit code 1.
    #[error("{0}")]
    Other(String),
}

impl CliError {
    /// Process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::BadInput(_) => 2,
            CliError::Other(_) => 1,
        }
    }
}

impl From<DesignError> for CliError {
    fn from(e: DesignError) -> Self {
        match e.class() {
            FaultClass::Io => CliError::Other(e.to_string()),
            _ => CliError::BadInput(e.to_string()),
        }
    }
}
