//! Fuzzing the JSON and form extractors of the real server for a fixed time
//! (`SMP_FUZZ_SECONDS`, 20 s by default): valid request bodies, mutated (bytes flipped,
//! runs cut or repeated, boundary values, random bytes), sent to the API's write routes
//! and to the login and client forms. Every answer must be a 4xx with a message or a
//! success — never a 5xx — and the server must keep serving. Run by `scripts/fuzz.sh`.

mod common;
#[path = "../../smp-design/tests/support/mutate.rs"]
mod mutate;

use common::spawn_apps;
use mutate::{Rng, budget, mutate};
use smp_store::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "fuzzing runs for a fixed time: scripts/fuzz.sh"]
async fn the_extractors_answer_every_malformed_body_with_a_4xx() {
    let app = spawn_apps("fuzz").await.into_iter().next().expect("SQLite");
    app.user("Fuzz", "owner@fuzz.test", Role::Owner).await;
    let s = app.login("owner@fuzz.test").await;
    let r = s.post_json("/api/v1/clients", &serde_json::json!({"name": "Fuzz Client"})).await;
    let client = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let design = smp_design::Pattern::Norwood(3).template().unwrap().to_json();
    let r = s
        .post_json(
            &format!("/api/v1/clients/{client}/designs"),
            &serde_json::json!({"name": "D", "design": serde_json::from_str::<serde_json::Value>(&design).unwrap()}),
        )
        .await;
    let design_id = r.json::<serde_json::Value>().await.unwrap()["design_id"].as_i64().unwrap();
    let json_routes: Vec<(String, String)> = vec![
        (
            "/api/v1/clients".into(),
            r#"{"name":"Ann","email":"a@b.c","phone":"01","notes":"n"}"#.into(),
        ),
        (
            format!("/api/v1/clients/{client}"),
            r#"{"name":"Ann","email":"a@b.c","phone":"01","notes":"n"}"#.into(),
        ),
        ("/api/v1/dots".into(), format!(r#"{{"design":{design},"view":"top","upto":0}}"#)),
        (
            format!("/api/v1/designs/{design_id}/versions"),
            format!(r#"{{"base_version":1,"design":{design},"note":"x"}}"#),
        ),
        (
            "/api/v1/lots".into(),
            r#"{"kind":"needle","product":"RL1","lot_number":"N-1","expires_on":"2099-01-01"}"#.into(),
        ),
        (
            format!("/api/v1/clients/{client}/sessions"),
            r#"{"performed_on":"2026-01-10","design_session":1,"impressions":5,"needle_lot_id":1,"pigment_lot_id":2}"#.into(),
        ),
        (
            format!("/api/v1/clients/{client}/adverse-events"),
            r#"{"kind":"redness","severity":"mild","onset_on":"2026-01-11","action":"none"}"#.into(),
        ),
    ];
    let form_routes: Vec<(String, String)> = vec![
        ("/clients".into(), format!("_csrf={}&name=Ann&email=a%40b.c&phone=01", s.csrf)),
        (
            format!("/clients/{client}/screening"),
            format!("_csrf={}&allergies=no&medications=", s.csrf),
        ),
        (
            "/settings/prices".into(),
            format!(
                "_csrf={}&currency=EUR&basis=session&base_fee=0&price_min=1&price_max=2&touch_up_min=1&touch_up_max=2&rate_per_min=60&spacing_days=12",
                s.csrf
            ),
        ),
    ];
    let mut rng = Rng(0x5eed_0003);
    let start = std::time::Instant::now();
    let (mut cases, mut ok) = (0u64, 0u64);
    let mut by_status = std::collections::BTreeMap::<u16, u64>::new();
    while start.elapsed() < budget() {
        let json = rng.below(4) != 0;
        let (path, body) = if json {
            &json_routes[rng.below(json_routes.len())]
        } else {
            &form_routes[rng.below(form_routes.len())]
        };
        let input = mutate(&mut rng, body.as_bytes());
        let req = if path.ends_with(&format!("/clients/{client}")) && json {
            s.http.put(format!("{}{path}", s.base))
        } else {
            s.http.post(format!("{}{path}", s.base))
        };
        let kind = if json {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        let r = req
            .header("X-CSRF-Token", &s.csrf)
            .header("content-type", kind)
            .body(input.clone())
            .send()
            .await
            .expect("the server answers");
        let status = r.status();
        let text = r.text().await.unwrap_or_default();
        assert!(
            !status.is_server_error() || status.as_u16() == 503,
            "{status} from {path} for {:?}: {text}",
            String::from_utf8_lossy(&input)
        );
        if status.is_client_error() {
            assert!(!text.trim().is_empty(), "an empty {status} from {path}");
        } else {
            ok += 1;
        }
        *by_status.entry(status.as_u16()).or_default() += 1;
        cases += 1;
    }
    assert_eq!(s.get("/healthz").await.status(), 200, "the server still serves");
    println!(
        "web extractors: {cases} requests in {:.0} s, {ok} accepted, 0 server errors; by status {by_status:?}",
        start.elapsed().as_secs_f64()
    );
    assert!(cases > 50, "too few cases ran");
}
