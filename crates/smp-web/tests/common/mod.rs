//! Test harness: the real server on port 0 over a fresh database (SQLite, and
//! PostgreSQL when `SMP_TEST_POSTGRES_URL` is set; required with `CI=true`).
#![allow(dead_code)]

pub mod synth;

use std::sync::Arc;

use reqwest::{Client, StatusCode};
use smp_store::testing::{TestDb, open, test_databases};
use smp_store::{ClinicId, FileStore, Role, Store};
use smp_web::{AppConfig, AppState};

/// A running app.
pub struct App {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub db: TestDb,
}

/// Starts the app on every backend.
pub async fn spawn_apps(tag: &str) -> Vec<App> {
    let mut apps = Vec::new();
    for db in test_databases(tag).await {
        let store = open(&db).await;
        let files = FileStore::new(db.dir.join("photos"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = AppConfig {
            max_upload_bytes: 2 << 20,
            ..AppConfig::default()
        };
        let anchor = smp_store::anchor::Anchor::open(&db.dir, None).unwrap();
        let state = AppState::with_anchor(store.clone(), files, config, Some(anchor));
        tokio::spawn(smp_web::serve(listener, state));
        apps.push(App { base, store, db });
    }
    apps
}

/// The password every test user gets.
pub const PASSWORD: &str = "test password 123";

impl App {
    /// Creates a clinic (if new) and a user in it.
    pub async fn user(&self, clinic: &str, email: &str, role: Role) -> ClinicId {
        let c = match self.store.clinic_by_name(clinic).await.unwrap() {
            Some(c) => c,
            None => self.store.create_clinic(clinic).await.unwrap(),
        };
        let hash = smp_web::auth::password::hash_password(PASSWORD).unwrap();
        self.store.create_user(c.id, email, role, &hash).await.unwrap();
        c.id
    }

    /// A logged-in HTTP client and its CSRF token.
    pub async fn login(&self, email: &str) -> Session {
        // No pooled connections: the server may answer an upload early (404, 413) without
        // reading its body and close the connection, which a reused one would trip on.
        let http = Client::builder()
            .cookie_store(true)
            .pool_max_idle_per_host(0)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = http.get(format!("{}/login", self.base)).send().await.unwrap();
        let csrf = login_csrf(&r);
        let r = http
            .post(format!("{}/login", self.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("email", email),
                ("password", PASSWORD),
                ("next", "/clients"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{} login of {email}", self.db.backend);
        let me: serde_json::Value = http
            .get(format!("{}/api/v1/me", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Session {
            http,
            csrf: me["csrf_token"].as_str().unwrap().to_string(),
            base: self.base.clone(),
        }
    }
}

/// The pre-login CSRF cookie from a GET /login response.
pub fn login_csrf(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("smp_login_csrf="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("login page sets its CSRF cookie")
}

/// A logged-in client.
pub struct Session {
    pub http: Client,
    pub csrf: String,
    pub base: String,
}

impl Session {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).send().await.unwrap()
    }
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("X-CSRF-Token", &self.csrf)
            .json(body)
            .send()
            .await
            .unwrap()
    }
    pub async fn put_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .put(format!("{}{path}", self.base))
            .header("X-CSRF-Token", &self.csrf)
            .json(body)
            .send()
            .await
            .unwrap()
    }
    pub async fn upload(&self, client: i64, view: &str, bytes: Vec<u8>, name: &str) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .text("view", view.to_string())
            .text("taken_on", "2026-11-01")
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        self.http
            .post(format!("{}/api/v1/clients/{client}/photos", self.base))
            .header("X-CSRF-Token", &self.csrf)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

/// The status of a POST to `path` that declares a body of `len` bytes and sends none of
/// it: an oversized upload must be refused on its headers, before any body arrives.
pub async fn status_of_declared_upload(base: &str, path: &str, len: usize) -> (u16, String) {
    status_of_declared_body(base, path, len, "multipart/form-data; boundary=x").await
}

/// As [`status_of_declared_upload`], for a body of `content_type`.
pub async fn status_of_declared_body(base: &str, path: &str, len: usize, content_type: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(10), s.read_to_end(&mut out))
        .await
        .expect("the server answers without waiting for the body")
        .unwrap();
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text)
}

/// A small synthetic top-view head photo (PNG) and its calibrated design.
pub fn synth_photo(width_px: u32) -> (Vec<u8>, smp_design::Design) {
    let (png, head) = synth::head(smp_synth::SynthView::Top, width_px);
    (png, head.design)
}
