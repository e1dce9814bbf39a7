//! Soak (issue 14): 64 normal clients send a fixed 300 requests/s in all — design reads,
//! client lists, dot regenerations, saves, photo uploads — to the real server (`smp
//! serve`, a child process, on SQLite), first alone and then beside pathological
//! clients sending 50 000-vertex polygons, 60-megapixel PNGs and 10 MB fields. Prints
//! the normal clients' p50/p99 in both runs and their ratio (the bar: ≤ 2), the
//! answers the pathological requests got, and the server's peak memory (VmHWM; bar
//! 1.5 GB). Open loop: each request leaves at its scheduled time, so a slow server
//! shows as latency, not as fewer requests.
//!
//! `cargo bench -p smp-cli --bench soak` (30 s phases); `-- --quick` for 4 s phases.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use image::ImageEncoder;
use serde_json::{Value, json};
use smp_store::{ClientFields, Role};

#[path = "../tests/common/server.rs"]
mod server;

const CLIENTS: usize = 64;
const TOTAL_RPS: f64 = 300.0;
const PASSWORD: &str = "soak test password";

/// One normal client: its session, its client record, its design and that design's
/// latest version.
struct Normal {
    http: reqwest::Client,
    csrf: String,
    client: smp_store::ClientId,
    design: smp_store::DesignId,
    version: AtomicI64,
    body: Value,
}

/// A small photo upload, as a consultation's phone photo shrunk: a synthetic head, JPEG.
fn small_photo() -> Vec<u8> {
    let head = smp_synth::synth(
        &smp_synth::SynthParams {
            pattern: "norwood-4".parse().unwrap(),
            view: smp_synth::SynthView::Top,
            skin_type: 3,
            hair_level: 2,
            scar: None,
            seed: 9,
            width_px: 480,
        },
        "x.png",
    )
    .unwrap();
    smp_photo::encode::jpeg(&head.image, 85).unwrap()
}

/// A 60-megapixel PNG (7745 × 7745, 8-bit RGB: at the photo limits, so it is decoded).
fn huge_png() -> Vec<u8> {
    let side = 7745u32;
    let img = image::RgbImage::from_fn(side, side, |x, y| {
        image::Rgb([(x / 31) as u8, (y / 31) as u8, ((x + y) / 61) as u8])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Sub,
    )
    .write_image(img.as_raw(), side, side, image::ExtendedColorType::Rgb8)
    .unwrap();
    out
}

/// Kinds of normal request, in a cycle of [`KINDS`]: 26 design reads, 4 client lists, 1
/// dot regeneration, 1 save, 1 photo upload, 7 `me` (7.5 dot regenerations a second at
/// 300 requests/s: 40 % of what 2 cores sample for 64 editors of norwood-5 designs).
const KINDS: usize = 40;
/// Names of the kinds, for the failure count.
fn kind_name(k: usize) -> &'static str {
    match k {
        0..=25 => "design read",
        26..=29 => "client list",
        30 => "dots",
        31 => "save",
        32 => "upload",
        _ => "me",
    }
}

/// One normal request of kind `k` (see [`KINDS`]). Returns its status.
async fn normal_request(base: &str, n: &Normal, k: usize, photo: &[u8]) -> u16 {
    let r = match k {
        0..=25 => n.http.get(format!("{base}/api/v1/designs/{}/versions/1", n.design)).send().await,
        26..=29 => n.http.get(format!("{base}/api/v1/clients")).send().await,
        30 => {
            n.http
                .post(format!("{base}/api/v1/dots"))
                .header("X-CSRF-Token", &n.csrf)
                .json(&json!({"design": n.body, "view": "top"}))
                .send()
                .await
        }
        31 => {
            let base_version = n.version.load(Ordering::SeqCst);
            let r = n
                .http
                .post(format!("{base}/api/v1/designs/{}/versions", n.design))
                .header("X-CSRF-Token", &n.csrf)
                .json(&json!({"base_version": base_version, "design": n.body, "note": "soak"}))
                .send()
                .await;
            if let Ok(ok) = &r
                && ok.status().is_success()
            {
                n.version.fetch_add(1, Ordering::SeqCst);
            }
            r
        }
        32 => {
            let form = reqwest::multipart::Form::new()
                .text("view", "top")
                .text("taken_on", "2026-11-01")
                .part("file", reqwest::multipart::Part::bytes(photo.to_vec()).file_name("head.jpg"));
            n.http
                .post(format!("{base}/api/v1/clients/{}/photos", n.client))
                .header("X-CSRF-Token", &n.csrf)
                .multipart(form)
                .send()
                .await
        }
        _ => n.http.get(format!("{base}/api/v1/me")).send().await,
    };
    match r {
        Ok(r) => {
            let s = r.status().as_u16();
            let _ = r.bytes().await;
            s
        }
        Err(_) => 0,
    }
}

/// The normal clients' latencies over `secs` seconds at [`TOTAL_RPS`], and the requests
/// that did not succeed, counted by (kind, status).
async fn normal_load(
    base: &str,
    normals: &Arc<Vec<Normal>>,
    photo: &Arc<Vec<u8>>,
    secs: f64,
) -> (Vec<Duration>, BTreeMap<(&'static str, u16), usize>) {
    let start = Instant::now();
    let total = (secs * TOTAL_RPS) as usize;
    let mut tasks = Vec::with_capacity(total);
    for j in 0..total {
        let at = start + Duration::from_secs_f64(j as f64 / TOTAL_RPS);
        let (base, normals, photo) = (base.to_string(), normals.clone(), photo.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(at.into()).await;
            let t = Instant::now();
            // Client j % 64 sends kind (j + j / 64) % 40: kinds spread over time and
            // every client goes through every kind.
            let kind = (j + j / CLIENTS) % KINDS;
            let status = normal_request(&base, &normals[j % CLIENTS], kind, &photo).await;
            (kind_name(kind), status, t.elapsed())
        }));
    }
    let mut lat = Vec::with_capacity(total);
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut failed = BTreeMap::new();
    for t in tasks {
        let (kind, status, d) = t.await.unwrap();
        lat.push(d);
        by_kind.entry(kind).or_default().push(d);
        if !(200..300).contains(&status) {
            *failed.entry((kind, status)).or_insert(0) += 1;
        }
    }
    let per_kind: Vec<String> = by_kind
        .iter_mut()
        .map(|(k, v)| {
            v.sort();
            format!("{k} p99 {:.0} ms", pct(v, 0.99))
        })
        .collect();
    eprintln!("  by kind: {}", per_kind.join(", "));
    lat.sort();
    (lat, failed)
}

fn pct(sorted: &[Duration], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3
}

/// The server's peak resident memory so far, MB (Linux `VmHWM`).
fn peak_rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Pathological clients until `stop`: each kind in its own loop; returns
/// the statuses each kind was answered with.
async fn pathological(
    base: String,
    stop: Arc<AtomicBool>,
    design: Value,
    owner: (reqwest::Client, String),
    client: smp_store::ClientId,
) -> BTreeMap<String, Vec<u16>> {
    let huge = Arc::new(huge_png());
    eprintln!("pathological: 60 MP PNG of {:.1} MB ready", huge.len() as f64 / 1e6);
    let mut polygon = design.clone();
    let ring: Vec<Value> = (0..50_000)
        .map(|i| {
            let a = i as f64 / 50_000.0 * std::f64::consts::TAU;
            json!([80.0 * a.cos(), 200.0 + 100.0 * a.sin()])
        })
        .collect();
    polygon["regions"][0]["polygon"] = Value::Array(ring);
    // Bodies made once: the bench shares the server's cores, and an attacker's own
    // serialising costs the attacker, not the server.
    let polygon = Arc::new(serde_json::to_vec(&json!({"design": polygon, "view": "top"})).unwrap());
    let big_field = Arc::new(serde_json::to_vec(&json!({"name": "Big", "notes": "x".repeat(10 << 20)})).unwrap());
    let (http, csrf) = owner;
    let kinds: Vec<(&str, usize)> = vec![("50 000-vertex polygon", 2), ("60 MP PNG upload", 2), ("10 MB field", 1)];
    let mut tasks = Vec::new();
    for (kind, workers) in kinds {
        for _ in 0..workers {
            let (base, stop, http, csrf) = (base.clone(), stop.clone(), http.clone(), csrf.clone());
            let (polygon, huge, big_field) = (polygon.clone(), huge.clone(), big_field.clone());
            tasks.push(tokio::spawn(async move {
                let mut answers = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let r = match kind {
                        "50 000-vertex polygon" => {
                            http.post(format!("{base}/api/v1/dots"))
                                .header("X-CSRF-Token", &csrf)
                                .header("content-type", "application/json")
                                .body(polygon.as_ref().clone())
                                .send()
                                .await
                        }
                        "60 MP PNG upload" => {
                            let form = reqwest::multipart::Form::new()
                                .text("view", "top")
                                .text("taken_on", "2026-11-01")
                                .part("file", reqwest::multipart::Part::bytes(huge.to_vec()).file_name("huge.png"));
                            http.post(format!("{base}/api/v1/clients/{client}/photos"))
                                .header("X-CSRF-Token", &csrf)
                                .multipart(form)
                                .send()
                                .await
                        }
                        _ => {
                            http.post(format!("{base}/api/v1/clients"))
                                .header("X-CSRF-Token", &csrf)
                                .header("content-type", "application/json")
                                .body(big_field.as_ref().clone())
                                .send()
                                .await
                        }
                    };
                    let status = match r {
                        Ok(r) => {
                            let s = r.status().as_u16();
                            let _ = r.bytes().await;
                            s
                        }
                        Err(_) => 0,
                    };
                    answers.push(status);
                }
                (kind.to_string(), answers)
            }));
        }
    }
    let mut out: BTreeMap<String, Vec<u16>> = BTreeMap::new();
    for t in tasks {
        let (kind, answers) = t.await.unwrap();
        out.entry(kind).or_default().extend(answers);
    }
    out
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let secs = if quick { 4.0 } else { 30.0 };
    let dir = std::env::temp_dir().join(format!("smp-soak-{}", std::process::id()));
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let store = smp_store::open_sqlite(&data.join("smp.db")).await.unwrap();
    let clinic = store.create_clinic("Soak Clinic").await.unwrap();
    let hash = smp_auth::password::hash_password(PASSWORD).unwrap();
    let owner = store.create_user(clinic.id, "owner@soak.test", Role::Owner, &hash).await.unwrap();
    // A norwood-5 design calibrated on a photo, as the editor sends it.
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
    let design_json = head.design.to_json();
    let mut records = Vec::new();
    for i in 0..CLIENTS {
        let fields = ClientFields {
            name: format!("Soak Client {i}"),
            ..Default::default()
        };
        let c = store.create_client(clinic.id, &fields, owner.id).await.unwrap();
        // Each client's own design (its own seed): no two editors share a cached sampling.
        let mut d: Value = serde_json::from_str(&design_json).unwrap();
        d["seed"] = json!(1000 + i);
        let (rec, _) = store
            .create_design(clinic.id, c.id, "Soak design", None, &d.to_string(), owner.id)
            .await
            .unwrap();
        records.push((c.id, rec.id, d));
    }
    let spare = store
        .create_client(
            clinic.id,
            &ClientFields {
                name: "Pathological".into(),
                ..Default::default()
            },
            owner.id,
        )
        .await
        .unwrap()
        .id;
    let (mut child, base) = server::serve(&data, None);
    let pid = child.id();
    let mut normals = Vec::new();
    for (client, design, body) in records {
        let (http, csrf) = server::log_in(&base, "owner@soak.test", PASSWORD).await;
        normals.push(Normal {
            http,
            csrf,
            client,
            design,
            version: AtomicI64::new(1),
            body,
        });
    }
    let normals = Arc::new(normals);
    let photo = Arc::new(small_photo());
    eprintln!("soak: {CLIENTS} clients, {TOTAL_RPS} req/s in all, {secs} s per phase");
    let (alone, failed_alone) = normal_load(&base, &normals, &photo, secs).await;
    let rss_alone = peak_rss_mb(pid);
    let stop = Arc::new(AtomicBool::new(false));
    let owner_session = server::log_in(&base, "owner@soak.test", PASSWORD).await;
    let patho = tokio::spawn(pathological(
        base.clone(),
        stop.clone(),
        serde_json::from_str(&design_json).unwrap(),
        owner_session,
        spare,
    ));
    // Let the pathological clients start (the 60 MP PNG is made first).
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (beside, failed_beside) = normal_load(&base, &normals, &photo, secs).await;
    stop.store(true, Ordering::Relaxed);
    let answers = patho.await.unwrap();
    let rss = peak_rss_mb(pid);
    println!(
        "normal clients alone:              {:>6} req, p50 {:>7.1} ms, p99 {:>7.1} ms, not 2xx: {:?}",
        alone.len(),
        pct(&alone, 0.5),
        pct(&alone, 0.99),
        failed_alone
    );
    println!(
        "beside the pathological clients:   {:>6} req, p50 {:>7.1} ms, p99 {:>7.1} ms, not 2xx: {:?}",
        beside.len(),
        pct(&beside, 0.5),
        pct(&beside, 0.99),
        failed_beside
    );
    println!("p99 beside / alone = {:.2} (bar: 2)", pct(&beside, 0.99) / pct(&alone, 0.99));
    for (kind, a) in &answers {
        let mut by: BTreeMap<u16, usize> = BTreeMap::new();
        for s in a {
            *by.entry(*s).or_insert(0) += 1;
        }
        println!("pathological {kind}: {} sent, answers {by:?}", a.len());
    }
    println!("server peak RSS: {rss_alone:.0} MB after the normal run, {rss:.0} MB at the end (bar: 1536 MB)");
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
