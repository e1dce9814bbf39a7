//! Errors of the plan stage, grouped by fault class like the other crates.

/// A plan, quote or estimate that cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The caller's input (an option, a price list, a date) is wrong; the message says how to fix it.
    #[error("{0}")]
    BadInput(String),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}
