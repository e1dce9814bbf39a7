//! `smp design template`, `smp design check` and `smp design fit`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use smp_design::{Design, Pattern, lint};

use crate::error::CliError;
use crate::output::write_out;

/// Design file commands.
#[derive(Debug, Subcommand)]
pub enum DesignCmd {
    /// Write a starter design for a hair-loss pattern.
    #[command(
        after_help = "Examples:\n  smp design template --pattern norwood-4 -o client.json\n  smp design template --pattern ludwig-2\n\nPatterns: norwood-2 … norwood-7, ludwig-1 … ludwig-3, fut-scar, fue-scars"
    )]
    Template(TemplateArgs),
    /// Validate a design and list clinical warnings (hairline, dot size, density, sessions).
    #[command(
        after_help = "Examples:\n  smp design check client.json\n  smp design check client.json --json\n\nExit code 0 when valid (warnings included), 2 when the design is invalid."
    )]
    Check(CheckArgs),
    /// Fit the regions, the hairline and the colours to the client's own head in a view's photo.
    Fit(crate::cmd::fit::FitArgs),
}

/// Arguments of `smp design template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Pattern name, e.g. norwood-4.
    #[arg(long)]
    pattern: String,
    /// Output file (stdout when absent).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Arguments of `smp design check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The design file.
    design: PathBuf,
    /// Machine-readable output: {"valid":true,"warnings":[{"code","path","message","hint"}]}.
    #[arg(long)]
    json: bool,
}

/// Run a design subcommand.
pub fn run(cmd: DesignCmd) -> Result<(), CliError> {
    match cmd {
        DesignCmd::Fit(a) => crate::cmd::fit::run(a),
        DesignCmd::Template(a) => {
            let pattern: Pattern = a.pattern.parse().map_err(CliError::BadInput)?;
            let design = pattern.template().map_err(CliError::BadInput)?;
            write_out(a.output.as_deref(), design.to_json().as_bytes())?;
            if let Some(p) = &a.output {
                eprintln!("wrote the {pattern} template to {}", p.display());
            }
            Ok(())
        }
        DesignCmd::Check(a) => {
            let design = match Design::load(&a.design) {
                Ok(d) => d,
                Err(e) if a.json && e.class() != smp_design::FaultClass::Io => {
                    let errors: Vec<_> = e
                        .errors
                        .iter()
                        .map(|f| serde_json::json!({"path": f.path, "message": f.message, "hint": f.hint}))
                        .collect();
                    println!("{}", serde_json::json!({"valid": false, "errors": errors, "warnings": []}));
                    return Err(CliError::BadInput(e.to_string()));
                }
                Err(e) => return Err(e.into()),
            };
            let warnings = lint::lint(&design);
            if a.json {
                println!("{}", serde_json::json!({"valid": true, "errors": [], "warnings": warnings}));
            } else if warnings.is_empty() {
                println!("{}: valid, no warnings", a.design.display());
            } else {
                println!("{}: valid, {} warning(s)", a.design.display(), warnings.len());
                for w in &warnings {
                    println!("  warning[{}] {}: {}\n    hint: {}", w.code, w.path, w.message, w.hint);
                }
            }
            Ok(())
        }
    }
}
