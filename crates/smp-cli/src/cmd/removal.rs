//! `smp removal`: a laser-removal estimate by the Kirby-Desai scale, with the published
//! SMP experience next to it.

use clap::Args;
use smp_plan::KirbyDesai;
use smp_plan::removal::{Amount, Colors, Layering, Location, Scarring};

use crate::cmd::plan::plan_error;
use crate::error::CliError;
use crate::output::write_out;

/// Arguments of `smp removal`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp removal --fitzpatrick 2 --location head-neck --colors black --amount minimal --scarring none --layering none\n  smp removal --fitzpatrick 4 --location head-neck --colors black --amount moderate --scarring minimal --layering none --json\n\nScale: Kirby, Desai & Desai 2009, J Clin Aesthet Dermatol 2(3):32–37. SMP's sessions are not\n\"layering\" (a tattoo covered by another): score SMP with --layering none."
)]
pub struct RemovalArgs {
    /// Fitzpatrick skin type 1–6 (I–VI).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=6))]
    fitzpatrick: u8,
    /// head-neck | upper-trunk | lower-trunk | proximal-extremity | distal-extremity.
    #[arg(long)]
    location: Location,
    /// black | black-red | black-red-other | multi.
    #[arg(long)]
    colors: Colors,
    /// Amount of ink: amateur | minimal | moderate | significant.
    #[arg(long)]
    amount: Amount,
    /// none | minimal | moderate | significant.
    #[arg(long)]
    scarring: Scarring,
    /// A tattoo covered by another: none | yes.
    #[arg(long)]
    layering: Layering,
    /// Machine-readable JSON.
    #[arg(long)]
    json: bool,
}

/// Run `smp removal`.
pub fn run(a: RemovalArgs) -> Result<(), CliError> {
    let k = KirbyDesai {
        fitzpatrick: a.fitzpatrick,
        location: a.location,
        colors: a.colors,
        amount: a.amount,
        scarring: a.scarring,
        layering: a.layering,
    };
    let e = k.estimate().map_err(plan_error)?;
    let text = if a.json {
        serde_json::to_string_pretty(&e).expect("estimate serialises") + "\n"
    } else {
        format!(
            "Kirby-Desai score {} (skin {} + location {} + colours {} + ink {} + scarring {} + layering {})\n\
             estimated laser sessions: {}–{} (score ± 2.5)\n\n{}\n",
            e.kirby_desai_score,
            k.fitzpatrick,
            k.location.points(),
            k.colors.points(),
            k.amount.points(),
            k.scarring.points(),
            k.layering.points(),
            e.sessions_min,
            e.sessions_max,
            e.smp_note
        )
    };
    write_out(None, text.as_bytes())
}
