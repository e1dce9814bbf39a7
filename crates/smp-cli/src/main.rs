//! `smp`, the SMP Studio command line: designs, impressions, previews, plans and the clinic web app.

/// mimalloc keeps freed memory for reuse instead of returning it to the kernel at once:
/// previews allocate and free tens of megabytes per render, and the system allocator's
/// map/unmap churn cost a third of an interactive render (measured: 45 → 30 ms).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cmd;
mod error;
mod output;

use clap::{Parser, Subcommand};

/// SMP Studio: design, preview and plan scalp micropigmentation.
#[derive(Debug, Parser)]
#[command(
    name = "smp",
    version,
    about,
    after_help = "Examples:\n  smp design template --pattern norwood-5 -o client.json\n  smp design check client.json\n  smp impressions client.json --stats\n  smp impressions client.json --session 1 -o session1.svg\n  smp path client.json --session 1 -o session1.gcode\n  smp synth --pattern norwood-5 --view top --seed 7 -o head.png --design head.json\n  smp preview head.json --state healed --side-by-side -o head-healed.png\n  smp calibrate client.json --view top --photo top.jpg --p1 100,200 --p2 580,200 --distance-mm 50 --ref-px 2010,640 --ref-mm 0,80\n  smp photo analyze client.json --view top -o top-labels.png\n  smp color match --skin 66,9,15 --hair 22,4,5 --json\n  smp stubble --photo closeup.jpg --px-per-mm 30 --json\n  smp plan client.json --start 2026-03-02 --ics sessions.ics\n  smp removal --fitzpatrick 2 --location head-neck --colors black --amount minimal --scarring none --layering none\n  smp report head.json --view top --client \"Sam Smith\" --clinic \"Scalp Studio\" --start 2026-03-02 -o report.pdf\n  smp serve\n  smp backup --data ./data -o backup.tar"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Design files: starter templates and clinical checks.
    #[command(subcommand)]
    Design(cmd::design::DesignCmd),
    /// The impressions of a design (CSV, JSON, SVG stencil) or their figures.
    Impressions(cmd::impressions::ImpressionsArgs),
    /// A short working order of a session's impressions (G-code or CSV).
    Path(cmd::path::PathArgs),
    /// The design on the client's photo: fresh, healed or aged.
    Preview(cmd::preview::PreviewArgs),
    /// Map a photo view onto the design: from the calibration card, or two points a known distance apart.
    Calibrate(cmd::calibrate::CalibrateArgs),
    /// The printable calibration card (PDF) to hold beside the scalp in photos.
    Card(cmd::card::CardArgs),
    /// Store a hand-made skin/hair mask in a view (the photo analysis replaces the sampled one).
    Mask(cmd::mask::MaskArgs),
    /// Photo analysis: label skin, bald, thinning and haired scalp in a view's photo.
    #[command(subcommand)]
    Photo(cmd::photo::PhotoCmd),
    /// A synthetic head photo with a matching calibrated starter design.
    Synth(cmd::synth::SynthArgs),
    /// Count the client's stubble tips in a close-up: density per cm², size, colour.
    Stubble(cmd::stubble::StubbleArgs),
    /// Colour: ΔE00, skin tone (ITA°), and pigment/dilution matching.
    #[command(subcommand)]
    Color(cmd::color::ColorCmd),
    /// Treatment plan: area, sessions, needle time, dated schedule (ICS) and quote.
    Plan(cmd::plan::PlanArgs),
    /// Laser-removal estimate (Kirby-Desai scale) next to the published SMP experience.
    Removal(cmd::removal::RemovalArgs),
    /// The client's PDF report: previews, hairline, plan, pigment, quote, aftercare, risks.
    Report(cmd::report::ReportArgs),
    /// The clinic web app (SQLite in ./data, or PostgreSQL).
    Serve(cmd::serve::ServeArgs),
    /// Clinics and users of the web app.
    #[command(subcommand)]
    User(cmd::user::UserCmd),
    /// The clinic's audit log: verify its hash chain.
    #[command(subcommand)]
    Audit(cmd::audit::AuditCmd),
    /// A consistent backup of the SQLite database and photos (safe while serving).
    Backup(cmd::backup::BackupArgs),
    /// Restore a backup made by `smp backup` into an empty data directory.
    Restore(cmd::backup::RestoreArgs),
}

/// Exit status of a process whose reader went away (128 + SIGPIPE, as a shell reports it).
const BROKEN_PIPE_EXIT: i32 = 141;

/// A reader that stops early (`smp photo analyze … | head`) closes the pipe, and the
/// standard library's printing then panics; that is the reader's choice, not an error to
/// report with a backtrace, so the process just ends as a shell tool would.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let p = info.payload();
        let msg = p
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| p.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(BROKEN_PIPE_EXIT);
        }
        default(info);
    }));
}

fn main() {
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Design(c) => cmd::design::run(c),
        Command::Impressions(a) => cmd::impressions::run(a),
        Command::Path(a) => cmd::path::run(a),
        Command::Preview(a) => cmd::preview::run(a),
        Command::Calibrate(a) => cmd::calibrate::run(a),
        Command::Card(a) => cmd::card::run(a),
        Command::Mask(a) => cmd::mask::run(a),
        Command::Photo(c) => cmd::photo::run(c),
        Command::Synth(a) => cmd::synth::run(a),
        Command::Stubble(a) => cmd::stubble::run(a),
        Command::Color(c) => cmd::color::run(c),
        Command::Plan(a) => cmd::plan::run(a),
        Command::Removal(a) => cmd::removal::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::User(c) => cmd::user::run(c),
        Command::Audit(c) => cmd::audit::run(c),
        Command::Backup(a) => cmd::backup::backup(a),
        Command::Restore(a) => cmd::backup::restore(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
