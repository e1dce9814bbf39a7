//! Errors for design files, grouped by fault class like image-rs: each names the field
//! path, what is wrong and how to fix it.

use std::fmt;

/// The fault class of a design error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultClass {
    /// The bytes are not JSON, or a field has the wrong type.
    Syntax,
    /// The file parses but a value is out of range or inconsistent.
    Invalid,
    /// The file is of another format or a newer version than this build reads.
    Unsupported,
    /// The file could not be read or written.
    Io,
}

/// One problem in a design, located by its field path (e.g. `regions[2].density_per_cm2`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// Fault class.
    pub class: FaultClass,
    /// JSON path of the offending field, `$` for the whole document.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // "$" (the whole file) names no field: the message alone says what is wrong.
        if self.path == "$" {
            write!(f, "{} (fix: {})", self.message, self.hint)
        } else {
            write!(f, "{}: {} (fix: {})", self.path, self.message, self.hint)
        }
    }
}

/// All problems found in a design; never empty.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct DesignError {
    /// The problems, in document order.
    pub errors: Vec<FieldError>,
}

impl DesignError {
    /// A single-problem error.
    pub fn one(class: FaultClass, path: &str, message: String, hint: &str) -> Self {
        DesignError {
            errors: vec![FieldError {
                class,
                path: path.to_string(),
                message,
                hint: hint.to_string(),
            }],
        }
    }

    /// The fault class of the first problem (all share it in practice).
    pub fn class(&self) -> FaultClass {
        self.errors[0].class
    }
}

impl fmt::Display for DesignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        if n > 1 {
            write!(f, "{n} problems in the design: ")?;
        }
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}
