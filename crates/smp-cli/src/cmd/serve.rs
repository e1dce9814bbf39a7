//! `smp serve`: the clinic web app.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use smp_web::{AppConfig, AppState};

use crate::cmd::server::{default_data, file_store, open_store, redact, runtime, store_error};
use crate::error::CliError;

/// Arguments of `smp serve`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  smp serve                                   # SQLite in ./data, demo clinic on first start\n  smp serve --addr 0.0.0.0:8080               # reachable from tablets on the clinic network\n  smp serve --database-url postgres://smp:secret@127.0.0.1/smp\n  smp serve --behind-https-proxy              # nginx/caddy terminates TLS in front\n\nOn a new database a demo clinic is created; its logins are printed and kept in\nDATA/demo-login.txt. The log (one line per request, with the id the response carries
in x-request-id) goes to stderr; SMP_LOG=warn quietens it. Behind a reverse proxy, the proxy must set X-Forwarded-For (the\nonly header trusted, and only with --behind-https-proxy) and serve HTTPS."
)]
pub struct ServeArgs {
    /// Address to listen on (127.0.0.1 keeps it on this computer).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Data directory: SQLite database (without --database-url) and photos.
    #[arg(long, default_value_os_t = default_data())]
    data: PathBuf,
    /// PostgreSQL URL (postgres://user:password@host:port/db) instead of SQLite.
    #[arg(long, env = "SMP_DATABASE_URL")]
    database_url: Option<String>,
    /// TLS is terminated by a reverse proxy: cookies get `Secure`, and the client address
    /// for login throttling is read from X-Forwarded-For.
    #[arg(long)]
    behind_https_proxy: bool,
    /// Width of the demo clinic's synthetic photos, px.
    #[arg(long, default_value_t = 1200, value_parser = clap::value_parser!(u32).range(200..=4000))]
    demo_photo_width: u32,
    /// Don't create the demo clinic on a new database.
    #[arg(long)]
    no_demo: bool,
    /// The audit log's signing key (default DATA/audit.key, made on first start, mode
    /// 0600): keep a copy apart from the database backups.
    #[arg(long)]
    audit_key_file: Option<PathBuf>,
}

/// Sends the server's log (one line per request with its id, status and time; errors
/// with their cause) to stderr, at the level `SMP_LOG` names (error, warn, info, debug,
/// trace; info by default).
fn start_log() {
    let level = std::env::var("SMP_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing_subscriber::filter::LevelFilter>().ok())
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Run `smp serve`.
pub fn run(a: ServeArgs) -> Result<(), CliError> {
    start_log();
    runtime()?.block_on(async move {
        std::fs::create_dir_all(&a.data).map_err(|e| CliError::Other(format!("{}: {e}", a.data.display())))?;
        let store = open_store(&a.data, a.database_url.as_deref()).await?;
        let files = file_store(&a.data);
        let where_ = match &a.database_url {
            Some(u) => format!("PostgreSQL {}", redact(u)),
            None => format!("SQLite {}", a.data.join(crate::cmd::server::DB_FILE).display()),
        };
        eprintln!("database: {where_} (schema v{})", smp_store::SCHEMA_VERSION);
        if !a.no_demo && store.clinic_count().await.map_err(store_error)? == 0 {
            eprintln!("new database: creating the demo clinic (synthetic clients and photos)…");
        }
        let seeded = if a.no_demo {
            None
        } else {
            smp_web::demo::seed_if_empty(store.as_ref(), &files, &a.data, a.demo_photo_width)
                .await
                .map_err(store_error)?
        };
        let listener = tokio::net::TcpListener::bind(a.addr).await.map_err(|e| {
            CliError::Other(format!(
                "cannot listen on {}: {e} (is another smp serve running? try --addr 127.0.0.1:8081)",
                a.addr
            ))
        })?;
        let addr = listener.local_addr().map_err(|e| CliError::Other(e.to_string()))?;
        let config = AppConfig {
            secure_cookies: a.behind_https_proxy,
            trust_forwarded_for: a.behind_https_proxy,
            ..AppConfig::default()
        };
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        eprintln!(
            "SMP Studio is running: open http://{host}:{}/ in a browser (Ctrl-C stops it)",
            addr.port()
        );
        match seeded.or_else(|| smp_web::demo::saved_logins(&a.data)) {
            Some(logins) => eprintln!("{logins}"),
            None => eprintln!(
                "log in with a user made by: smp user add --data {} --clinic NAME --email E --role owner --password-stdin",
                a.data.display()
            ),
        }
        let anchor = smp_store::anchor::Anchor::open(&a.data, a.audit_key_file.as_deref())
            .map_err(|e| CliError::Other(format!("the audit log's signing key: {e}")))?;
        smp_web::serve(listener, AppState::with_anchor(store, files, config, Some(anchor)))
            .await
            .map_err(|e| CliError::Other(format!("server stopped: {e}")))
    })
}
