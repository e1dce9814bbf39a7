//! Load on loopback: 64 concurrent logged-in clients against the real server, on
//! SQLite and (with SMP_TEST_POSTGRES_URL) PostgreSQL. Three request kinds: `GET
//! /api/v1/me` (no audit entry: the baseline), an audited design read (GET a version;
//! each read appends an audit entry, group-committed) and a dot regeneration (POST
//! /api/v1/dots, what the editor sends after every edit). Prints requests/s and p50/p99
//! latency, the audited read's throughput as a ratio of the baseline's, and checks the
//! audit chain after the run. A bounded loop: each client sends a fixed number of
//! requests.

use std::sync::Arc;
use std::time::{Duration, Instant};

use smp_store::testing::{open, test_databases};
use smp_store::{ClientFields, FileStore, Role};
use smp_web::{AppConfig, AppState};

const CLIENTS: usize = 64;

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

type MakeRequest = Arc<dyn Fn(&reqwest::Client, &str) -> reqwest::RequestBuilder + Send + Sync>;

/// Every session sends `per_client` requests made by `make`, all sessions at once.
async fn run(label: &str, per_client: usize, make: MakeRequest, sessions: &[(reqwest::Client, String)]) -> f64 {
    let start = Instant::now();
    let tasks: Vec<_> = sessions
        .iter()
        .cloned()
        .map(|(c, csrf)| {
            let make = make.clone();
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    let t = Instant::now();
                    let r = make(&c, &csrf).send().await.expect("request");
                    assert!(r.status().is_success(), "{}", r.status());
                    r.bytes().await.expect("body");
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let secs = start.elapsed().as_secs_f64();
    all.sort();
    let rps = all.len() as f64 / secs;
    println!(
        "{label:<34} {:>6} req in {secs:>6.2} s = {rps:>8.1} req/s   p50 {:>7.1} ms   p99 {:>7.1} ms",
        all.len(),
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3
    );
    rps
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `--quick`: a smoke run with few requests.
    let quick = std::env::args().any(|a| a == "--quick");
    for db in test_databases("bench-load").await {
        let store = open(&db).await;
        let clinic = store.create_clinic("Load").await.unwrap();
        let hash = smp_web::auth::password::hash_password("load test password").unwrap();
        store
            .create_user(clinic.id, "load@bench.test", Role::Practitioner, &hash)
            .await
            .unwrap();
        let client = store
            .create_client(
                clinic.id,
                &ClientFields {
                    name: "L".into(),
                    ..Default::default()
                },
                smp_store::UserId(0),
            )
            .await
            .unwrap();
        // A full norwood-5 design with a calibrated view, as the editor sends it.
        let head = smp_synth::synth(
            &smp_synth::SynthParams {
                pattern: "norwood-5".parse().unwrap(),
                view: smp_synth::SynthView::Top,
                skin_type: 2,
                hair_level: 2,
                scar: None,
                seed: 1,
                width_px: 400,
            },
            "x.png",
        )
        .unwrap();
        let json = head.design.to_json();
        let (d, _) = store
            .create_design(clinic.id, client.id, "D", None, &json, smp_store::UserId(1))
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(smp_web::serve(
            listener,
            AppState::new(store.clone(), FileStore::new(db.dir.join("photos")), AppConfig::default()),
        ));

        let mut sessions = Vec::new();
        for _ in 0..CLIENTS {
            let c = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let r = c.get(format!("{base}/login")).send().await.unwrap();
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
            let form = [
                ("_csrf", token.as_str()),
                ("email", "load@bench.test"),
                ("password", "load test password"),
            ];
            c.post(format!("{base}/login")).form(&form).send().await.unwrap();
            let me: serde_json::Value = c.get(format!("{base}/api/v1/me")).send().await.unwrap().json().await.unwrap();
            let csrf = me["csrf_token"].as_str().unwrap().to_string();
            sessions.push((c, csrf));
        }
        let url = format!("{base}/api/v1/designs/{}/versions/1", d.id);
        let reads = if quick { 5 } else { 150 };
        let me_url = format!("{base}/api/v1/me");
        let me_rps = run(
            &format!("{}: GET /api/v1/me (unaudited)", db.backend),
            reads,
            Arc::new(move |c, _| c.get(&me_url)),
            &sessions,
        )
        .await;
        let read_rps = run(
            &format!("{}: design read (audited)", db.backend),
            reads,
            Arc::new(move |c, _| c.get(&url)),
            &sessions,
        )
        .await;
        println!(
            "{}: audited design read / unaudited baseline = {:.3}",
            db.backend,
            read_rps / me_rps
        );
        let log = store.audit_log(clinic.id).await.unwrap();
        smp_store::audit::verify(&log).unwrap_or_else(|b| panic!("{}: the audit chain broke at {}: {}", db.backend, b.seq, b.reason));
        println!("{}: audit chain of {} entries verifies", db.backend, log.len());
        let body = serde_json::json!({"design": serde_json::from_str::<serde_json::Value>(&json).unwrap(), "view": "top", "upto": 0});
        let dots_url = format!("{base}/api/v1/dots");
        let regen = if quick { 1 } else { 4 };
        // Each editor's own design (a seed of its own): the server keeps a design's
        // impressions for its next request, so 64 copies of one design would measure
        // that memory, not the sampling.
        let make: MakeRequest = Arc::new(move |c, csrf| {
            let mut own = body.clone();
            own["design"]["seed"] = serde_json::json!(csrf.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))));
            c.post(&dots_url).header("X-CSRF-Token", csrf).json(&own)
        });
        // One editor alone: the latency a practitioner sees after an edit.
        run(
            &format!("{}: dot regeneration, 1 editor", db.backend),
            if quick { 2 } else { 20 },
            make.clone(),
            &sessions[..1],
        )
        .await;
        let dots_rps = run(&format!("{}: dot regeneration (norwood-5)", db.backend), regen, make, &sessions).await;
        println!(
            "{}: dot regeneration / design read throughput = {:.4}",
            db.backend,
            dots_rps / read_rps
        );
    }
}
