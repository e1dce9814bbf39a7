//! `smp card`: the printable calibration card.

use std::path::PathBuf;

use clap::Args;
use smp_report::card::{Paper, card_pdf};

use crate::error::CliError;
use crate::output::{check_writable, progress, write_atomic};

/// Arguments of `smp card`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp card -o card.pdf\n  smp card --paper letter -o card-letter.pdf\n  smp card --paper a6 -o card-a6.pdf\n\nThe card is 85 × 54 mm (a bank card) on page 1 of the sheet; --paper chooses only the\nsheet. Print it at 100 % (\"actual size\", never \"fit to page\"), then measure the black bar\non the card: it must be 50 mm. Hold it flat beside the area you photograph, in the same\nlight, and give the photo to `smp calibrate … --card`: it finds the card by itself, takes\nthe scale from it and corrects colours through its grey patches."
)]
pub struct CardArgs {
    /// The PDF to write.
    #[arg(short, long)]
    output: PathBuf,
    /// The sheet: a4, letter or a6.
    #[arg(long, default_value = "a4")]
    paper: String,
    /// No progress messages.
    #[arg(short, long)]
    quiet: bool,
}

/// Run `smp card`.
pub fn run(a: CardArgs) -> Result<(), CliError> {
    let paper: Paper = a.paper.parse().map_err(|e| CliError::BadInput(format!("--paper: {e}")))?;
    check_writable(&a.output)?;
    write_atomic(&a.output, &card_pdf(paper))?;
    progress(
        a.quiet,
        &format!(
            "wrote {} ({} sheet): print it at 100 % and check the bar on the card is 50 mm",
            a.output.display(),
            paper.as_str()
        ),
    );
    Ok(())
}
