//! The real server for end-to-end tests and benchmarks: `smp serve` as a child process,
//! and a logged-in HTTP client of it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Starts `smp serve` on a free port with the data directory `data` (and the database at
/// `database_url`, else the data directory's SQLite file); returns the child and its
/// base URL.
pub fn serve(data: &std::path::Path, database_url: Option<&str>) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_smp"));
    cmd.args(["serve", "--no-demo", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("SMP_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(url) = database_url {
        cmd.args(["--database-url", url]);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("smp serve stopped before it listened").unwrap();
        if let Some(rest) = line.split("open http://").nth(1) {
            break format!("http://{}", rest.split('/').next().unwrap());
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

/// A client logged in as `email` with `password`, and its CSRF token.
pub async fn log_in(base: &str, email: &str, password: &str) -> (reqwest::Client, String) {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap();
    let r = http.get(format!("{base}/login")).send().await.unwrap();
    let token = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("smp_login_csrf="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let form = [("_csrf", token.as_str()), ("email", email), ("password", password)];
    http.post(format!("{base}/login")).form(&form).send().await.unwrap();
    let me: serde_json::Value = http.get(format!("{base}/api/v1/me")).send().await.unwrap().json().await.unwrap();
    (http, me["csrf_token"].as_str().expect("logged in").to_string())
}
