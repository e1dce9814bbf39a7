//! `smp user add`: clinics and users from the command line (scripts, tests, first owner).

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use smp_store::Role;

use crate::cmd::server::{default_data, open_store, runtime, store_error};
use crate::error::CliError;

/// `smp user …`
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user (and their clinic, when it doesn't exist yet).
    Add(AddArgs),
}

/// Arguments of `smp user add`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  echo 'a long passphrase' | smp user add --clinic 'Scalp Studio' --email owner@scalp.example --role owner --password-stdin\n  smp user add --database-url postgres://smp@127.0.0.1/smp --clinic 'Scalp Studio' --email desk@scalp.example --role front-desk --password-stdin < pw.txt"
)]
pub struct AddArgs {
    /// Data directory (SQLite) when no --database-url is given.
    #[arg(long, default_value_os_t = default_data())]
    data: PathBuf,
    /// PostgreSQL URL.
    #[arg(long, env = "SMP_DATABASE_URL")]
    database_url: Option<String>,
    /// Clinic name (created when new).
    #[arg(long)]
    clinic: String,
    /// Login e-mail.
    #[arg(long)]
    email: String,
    /// owner, practitioner or front-desk.
    #[arg(long, value_parser = parse_role)]
    role: Role,
    /// Read the password from the first line of standard input.
    #[arg(long, required = true)]
    password_stdin: bool,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role {s:?}; use owner, practitioner or front-desk"))
}

/// Run `smp user …`.
pub fn run(c: UserCmd) -> Result<(), CliError> {
    let UserCmd::Add(a) = c;
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| CliError::Other(format!("reading the password: {e}")))?;
    let password = password.trim_end_matches(['\n', '\r']);
    smp_auth::password::check_policy(password).map_err(CliError::BadInput)?;
    let hash = smp_auth::password::hash_password(password).map_err(CliError::Other)?;
    runtime()?.block_on(async move {
        std::fs::create_dir_all(&a.data).map_err(|e| CliError::Other(format!("{}: {e}", a.data.display())))?;
        let store = open_store(&a.data, a.database_url.as_deref()).await?;
        let clinic = match store.clinic_by_name(&a.clinic).await.map_err(store_error)? {
            Some(c) => c,
            None => {
                let c = store.create_clinic(&a.clinic).await.map_err(store_error)?;
                eprintln!("created clinic '{}'", c.name);
                c
            }
        };
        let user = store.create_user(clinic.id, &a.email, a.role, &hash).await.map_err(store_error)?;
        eprintln!("added {} as {} of '{}'", user.email, user.role.as_str(), clinic.name);
        Ok(())
    })
}
