//! Errors of the report stage, grouped by fault class like the other crates.

use smp_plan::PlanError;

/// A report that cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The caller's input (design, view, colours, skin type, price list) is wrong; the
    /// message says how to fix it.
    #[error("{0}")]
    BadInput(String),
    /// The plan or quote could not be computed.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A preview image could not be encoded.
    #[error("cannot encode the {what} preview as PNG: {message}")]
    Encode {
        /// Which preview.
        what: String,
        /// The encoder's message.
        message: String,
    },
    /// The session chart could not be drawn.
    #[error("cannot draw the session chart: {0}")]
    Chart(String),
    /// typst rejected the generated document: a bug in this crate, not in the input.
    #[error("typst could not lay out the report (a bug in smp-report, please report it): {0}")]
    Typeset(String),
}

impl ReportError {
    /// Whether the input, not the program, is at fault (CLI exit code 2, HTTP 4xx).
    pub fn is_bad_input(&self) -> bool {
        match self {
            ReportError::BadInput(_) => true,
            ReportError::Plan(e) => matches!(e, PlanError::BadInput(_)),
            _ => false,
        }
    }
}
