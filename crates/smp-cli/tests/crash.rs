//! Crash safety: the real server (`smp serve`, a child process) is killed with SIGKILL
//! in the middle of a burst of writes, 20 times, on SQLite and PostgreSQL. After each
//! kill every acknowledged write is in the database with its audit entry (and a
//! session with all its check-ins), and `smp audit verify` finds the chain intact.
//! At the end, cutting the log's tail or re-chaining an entry is reported.

mod common;

use common::server::serve;

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use smp_store::testing::{make_ready, open, test_databases};
use smp_store::{ClientFields, NewLot, Role, Store};

const ROUNDS: u64 = 20;
const WRITERS: usize = 12;
const PASSWORD: &str = "crash test password";

/// What the server acknowledged (2xx) before it died.
#[derive(Default)]
struct Acked {
    clients: Vec<smp_store::ClientId>,
    sessions: Vec<i64>,
    versions: Vec<i64>,
}

/// The clinic the writes go to: an owner, two lots, a client ready for sessions and a
/// design.
struct Setup {
    clinic: smp_store::ClinicId,
    client: smp_store::ClientId,
    design: smp_store::DesignId,
    needle: smp_store::LotId,
    pigment: smp_store::LotId,
}

async fn set_up(store: &dyn Store) -> Setup {
    let clinic = store.create_clinic("Crash Clinic").await.unwrap();
    let hash = smp_auth::password::hash_password(PASSWORD).unwrap();
    let owner = store.create_user(clinic.id, "owner@crash.test", Role::Owner, &hash).await.unwrap();
    let lot = |kind: &str| NewLot {
        kind: kind.parse().unwrap(),
        product: format!("{kind} product"),
        lot_number: format!("{kind}-1"),
        expires_on: "2099-01-01".into(),
    };
    let needle = store.add_lot(clinic.id, &lot("needle")).await.unwrap().id;
    let pigment = store.add_lot(clinic.id, &lot("pigment")).await.unwrap().id;
    let fields = ClientFields {
        name: "Ready Client".into(),
        ..Default::default()
    };
    let client = store.create_client(clinic.id, &fields, owner.id).await.unwrap().id;
    make_ready(store, clinic.id, client).await;
    let (design, _) = store
        .create_design(clinic.id, client, "D", None, &starter_json(), owner.id)
        .await
        .unwrap();
    Setup {
        clinic: clinic.id,
        client,
        design: design.id,
        needle,
        pigment,
    }
}

/// One writer: clients, sessions and design versions in turn until the server dies.
async fn write_until_dead(base: String, http: reqwest::Client, csrf: String, s: Arc<Setup>, acked: Arc<Mutex<Acked>>, writer: usize) {
    for n in 0usize.. {
        let post = |path: String, body: Value| http.post(format!("{base}{path}")).header("X-CSRF-Token", &csrf).json(&body).send();
        let r = match n % 3 {
            0 => post("/api/v1/clients".into(), json!({"name": format!("W{writer} C{n}")})).await,
            1 => {
                let body = json!({"performed_on": "2026-01-10", "design_session": 1, "impressions": 100,
                    "needle_lot_id": s.needle, "pigment_lot_id": s.pigment});
                post(format!("/api/v1/clients/{}/sessions", s.client), body).await
            }
            _ => {
                let latest: Value = match http.get(format!("{base}/api/v1/designs/{}/versions", s.design)).send().await {
                    Ok(r) => match r.json().await {
                        Ok(v) => v,
                        Err(_) => return,
                    },
                    Err(_) => return,
                };
                let base_version = latest.as_array().map_or(1, |v| v.len() as i64);
                let design = starter_design();
                post(
                    format!("/api/v1/designs/{}/versions", s.design),
                    json!({"base_version": base_version, "design": design, "note": format!("w{writer} n{n}")}),
                )
                .await
            }
        };
        let Ok(r) = r else { return };
        if !r.status().is_success() {
            // A stale design save (409) is expected between writers; anything else
            // while the server lives is a failure.
            assert!(
                r.status().as_u16() == 409 || r.status().is_server_error(),
                "write refused: {}",
                r.status()
            );
            continue;
        }
        let Ok(v) = r.json::<Value>().await else { return };
        let mut a = acked.lock().unwrap();
        match n % 3 {
            0 => a.clients.push(smp_store::ClientId(v["id"].as_i64().unwrap())),
            1 => a.sessions.push(v["id"].as_i64().unwrap()),
            _ => a.versions.push(v["version"].as_i64().unwrap()),
        }
    }
}

/// A small valid design: the norwood-3 template, no photo.
fn starter_design() -> Value {
    serde_json::from_str(&starter_json()).unwrap()
}

fn starter_json() -> String {
    smp_design::Pattern::Norwood(3).template().unwrap().to_json()
}

/// Checks the database after a kill: every acknowledged write is there with its audit
/// entry, sessions with their three check-ins.
async fn check_after_kill(store: &dyn Store, s: &Setup, acked: &Acked, backend: &str, round: u64) {
    let log = store.audit_log(s.clinic).await.unwrap();
    smp_store::audit::verify(&log).unwrap_or_else(|e| panic!("{backend} round {round}: chain broke at {}: {}", e.seq, e.reason));
    let has = |action: &str, entity: &str, id: i64| log.iter().any(|e| e.action == action && e.entity == entity && e.entity_id == id);
    for &c in &acked.clients {
        store
            .client(s.clinic, c)
            .await
            .unwrap_or_else(|e| panic!("{backend} round {round}: acknowledged client {c} lost: {e}"));
        assert!(
            has("create", "client", c.0),
            "{backend} round {round}: client {c} has no audit entry"
        );
    }
    // Every client in the database has its entry, acknowledged or not.
    for c in store.list_clients(s.clinic, "").await.unwrap() {
        assert!(
            has("create", "client", c.id.0),
            "{backend} round {round}: client {} has no audit entry",
            c.id
        );
    }
    let sessions = store.list_sessions(s.clinic, s.client).await.unwrap();
    let follow_ups = store.list_follow_ups(s.clinic, Some(s.client)).await.unwrap();
    for &id in &acked.sessions {
        assert!(
            sessions.iter().any(|x| x.id == smp_store::SessionId(id)),
            "{backend} round {round}: acknowledged session {id} lost"
        );
    }
    for x in &sessions {
        let n = follow_ups.iter().filter(|f| f.session_id == x.id).count();
        assert_eq!(n, 3, "{backend} round {round}: session {} has {n} of its 3 check-ins", x.id);
        assert!(
            has("create", "session", x.id.0),
            "{backend} round {round}: session {} has no audit entry",
            x.id
        );
    }
    let versions = store.list_versions(s.clinic, s.design).await.unwrap();
    for &v in &acked.versions {
        assert!(
            versions.iter().any(|x| x.version == v),
            "{backend} round {round}: acknowledged version {v} lost"
        );
    }
    for v in versions.iter().filter(|v| v.version > 1) {
        assert!(
            log.iter().filter(|e| e.action == "change" && e.entity == "design").count() >= (v.version - 1) as usize,
            "{backend} round {round}: version {} has no audit entry",
            v.version
        );
    }
}

fn audit_verify(data: &std::path::Path, database_url: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_smp"));
    cmd.args(["audit", "verify", "--data"]).arg(data);
    if let Some(url) = database_url {
        cmd.args(["--database-url", url]);
    }
    cmd.output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_burst_loses_no_acknowledged_write() {
    for db in test_databases("crash").await {
        let backend = db.backend;
        let data = db.dir.join("data");
        std::fs::create_dir_all(&data).unwrap();
        // SQLite: the server's own file in its data directory.
        let (url, store) = if backend == "sqlite" {
            (None, smp_store::open_sqlite(&data.join("smp.db")).await.unwrap())
        } else {
            (Some(db.url.clone()), open(&db).await)
        };
        let setup = Arc::new(set_up(store.as_ref()).await);
        let mut total = Acked::default();
        for round in 0..ROUNDS {
            let (mut child, base) = serve(&data, url.as_deref());
            let acked = Arc::new(Mutex::new(Acked::default()));
            let mut tasks = Vec::new();
            for w in 0..WRITERS {
                let (http, csrf) = common::server::log_in(&base, "owner@crash.test", PASSWORD).await;
                tasks.push(tokio::spawn(write_until_dead(
                    base.clone(),
                    http,
                    csrf,
                    setup.clone(),
                    acked.clone(),
                    w,
                )));
            }
            // Kill at a different moment each round, 150–600 ms into the burst.
            tokio::time::sleep(Duration::from_millis(150 + (round * 97) % 450)).await;
            child.kill().unwrap();
            child.wait().unwrap();
            for t in tasks {
                t.await.unwrap();
            }
            let acked = std::mem::take(&mut *acked.lock().unwrap());
            total.clients.extend(&acked.clients);
            total.sessions.extend(&acked.sessions);
            total.versions.extend(&acked.versions);
            check_after_kill(store.as_ref(), &setup, &total, backend, round).await;
            let out = audit_verify(&data, url.as_deref());
            assert!(
                out.status.success(),
                "{backend} round {round}: smp audit verify: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(
            total.clients.len() >= ROUNDS as usize && !total.sessions.is_empty() && !total.versions.is_empty(),
            "{backend}: the bursts wrote too little to test ({} clients, {} sessions, {} versions)",
            total.clients.len(),
            total.sessions.len(),
            total.versions.len()
        );
        println!(
            "{backend}: {ROUNDS} kills, {} clients, {} sessions, {} design versions acknowledged and found",
            total.clients.len(),
            total.sessions.len(),
            total.versions.len()
        );
        if backend == "sqlite" {
            // The server is gone; close this process's connections too, so the whole
            // database is in its file.
            drop(store);
            tamper_is_reported(&data).await;
        }
    }
}

/// An audit row's chained fields: clinic, seq, at, actor, action, entity, entity id, subject.
type EntryRow = (i64, i64, i64, i64, String, String, i64, String);

/// Cutting the log's last 50 entries, or rewriting one entry and re-chaining the rest,
/// is reported by `smp audit verify` (the signed head outside the database).
async fn tamper_is_reported(data: &std::path::Path) {
    use sqlx::Connection;
    let db = data.join("smp.db");
    let copy = data.join("smp.db.orig");
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.display())).await.unwrap();
    // Everything into the main file, so a copy of it is the whole database.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await.unwrap();
    std::fs::copy(&db, &copy).unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 50 FROM audit_log)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let out = audit_verify(data, None);
    assert!(!out.status.success(), "a cut tail must be reported");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("TAMPERED") && text.contains("tail was removed"), "{text}");
    std::fs::copy(&copy, &db).unwrap();
    assert!(audit_verify(data, None).status.success(), "the original verifies again");

    // Rewrite one entry's action and re-chain everything after it: every link holds, but
    // the signed head no longer matches its entry.
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.display())).await.unwrap();
    let rows: Vec<EntryRow> =
        sqlx::query_as("SELECT clinic_id, seq, at, actor, action, entity, entity_id, subject FROM audit_log ORDER BY seq")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let k = rows.len() / 2;
    let mut prev: String = sqlx::query_scalar("SELECT prev_hash FROM audit_log WHERE seq = $1")
        .bind(rows[k].1)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    for (i, (clinic, seq, at, actor, action, entity, entity_id, subject)) in rows.iter().enumerate().skip(k) {
        let action = if i == k { "erase" } else { action.as_str() };
        let hash = smp_store::audit::entry_hash(
            &prev,
            smp_store::ClinicId(*clinic),
            *seq,
            *at,
            smp_store::UserId(*actor),
            action,
            entity,
            *entity_id,
            subject,
        );
        sqlx::query("UPDATE audit_log SET action = $1, prev_hash = $2, hash = $3 WHERE clinic_id = $4 AND seq = $5")
            .bind(action)
            .bind(&prev)
            .bind(&hash)
            .bind(clinic)
            .bind(seq)
            .execute(&mut conn)
            .await
            .unwrap();
        prev = hash;
    }
    conn.close().await.unwrap();
    let log = smp_store::open_sqlite(&db).await.unwrap();
    let clinic = log.list_clinics().await.unwrap()[0].id;
    smp_store::audit::verify(&log.audit_log(clinic).await.unwrap()).expect("the re-chained links themselves hold");
    let out = audit_verify(data, None);
    assert!(!out.status.success(), "a re-chained log must be reported against its signed head");
    std::fs::copy(&copy, &db).unwrap();
}
