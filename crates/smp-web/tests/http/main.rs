//! The real server on port 0, on SQLite and PostgreSQL: login, CSRF, throttling,
//! roles, tenant isolation of every API route, design versions and conflicts, uploads,
//! dots, previews, plan, OpenAPI.

mod auth;
#[path = "../common/mod.rs"]
mod common;
mod designs;
mod pages;
mod records;
mod tenancy;

pub(crate) use common::{App, PASSWORD, login_csrf, spawn_apps, synth_photo};
pub(crate) use reqwest::StatusCode;
pub(crate) use serde_json::json;
pub(crate) use smp_store::Role;

/// Clinic A's client made ready for tattoo sessions (consent signed, screened), as the
/// store requires before one is recorded.
pub(crate) async fn ready(app: &App, client: i64) {
    let clinic = app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
    smp_store::testing::make_ready(app.store.as_ref(), clinic, smp_store::ClientId(client)).await;
}

/// Clinic A with a client, photo and design made through the API; returns (A's owner
/// session, client id, photo id, design id, design JSON).
pub(crate) async fn clinic_a(app: &App) -> (common::Session, i64, i64, i64, serde_json::Value) {
    app.user("Alpha", "owner@alpha.test", Role::Owner).await;
    let s = app.login("owner@alpha.test").await;
    let r = s
        .post_json("/api/v1/clients", &json!({"name": "Ann Client", "notes": "allergic to nickel"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let client = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let (png, design) = synth_photo(320);
    let r = s.upload(client, "top", png, "top.png").await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    let photo: serde_json::Value = r.json().await.unwrap();
    let (photo_id, hash) = (photo["id"].as_i64().unwrap(), photo["sha256"].as_str().unwrap().to_string());
    let mut value: serde_json::Value = serde_json::from_str(&design.to_json()).unwrap();
    value["views"][0]["file"] = json!(format!("sha256:{hash}"));
    let r = s
        .post_json(
            &format!("/api/v1/clients/{client}/designs"),
            &json!({"name": "D1", "photo_id": photo_id, "design": value}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: serde_json::Value = r.json().await.unwrap();
    (s, client, photo_id, v["design_id"].as_i64().unwrap(), v["design"].clone())
}
