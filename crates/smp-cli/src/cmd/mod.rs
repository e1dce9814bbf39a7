//! One module per subcommand.

pub mod audit;
pub mod backup;
pub mod calibrate;
pub mod card;
pub mod chart;
pub mod color;
pub mod design;
pub mod fit;
pub mod impressions;
pub mod mask;
pub mod path;
pub mod photo;
pub mod plan;
pub mod preview;
pub mod removal;
pub mod report;
pub mod serve;
pub mod server;
pub mod stubble;
pub mod synth;
pub mod user;

use smp_dots::Selection;

use crate::error::CliError;

/// `--session N` / `--upto N` as a selection, checked against the design's sessions.
pub fn selection(session: Option<u8>, upto: Option<u8>, sessions: usize) -> Result<Selection, CliError> {
    let check = |n: u8, flag: &str| {
        if n == 0 || usize::from(n) > sessions {
            Err(CliError::BadInput(format!(
                "{flag} {n} is out of range: the design has sessions 1 to {sessions}"
            )))
        } else {
            Ok(n)
        }
    };
    match (session, upto) {
        (Some(_), Some(_)) => Err(CliError::BadInput("give --session or --upto, not both".into())),
        (Some(n), None) => Ok(Selection::Session(check(n, "--session")?)),
        (None, Some(n)) => Ok(Selection::Upto(check(n, "--upto")?)),
        (None, None) => Ok(Selection::All),
    }
}

/// A short label of a selection for messages.
pub fn selection_label(sel: Selection) -> String {
    match sel {
        Selection::All => "all sessions".into(),
        Selection::Session(n) => format!("session {n}"),
        Selection::Upto(n) => format!("sessions 1–{n}"),
    }
}
