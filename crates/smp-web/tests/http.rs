//! The real server on port 0, on SQLite and PostgreSQL: login, CSRF, throttling,
//! roles, tenant isolation of every API route, design versions and conflicts, uploads,
//! dots, previews, plan, OpenAPI.

mod common;

use common::{App, PASSWORD, login_csrf, spawn_apps, synth_photo};
use reqwest::StatusCode;
use serde_json::json;
use smp_store::Role;

/// Clinic A's client made ready for tattoo sessions (consent signed, screened), as the
/// store requires before one is recorded.
async fn ready(app: &App, client: i64) {
    let clinic = app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
    smp_store::testing::make_ready(app.store.as_ref(), clinic, client).await;
}

/// Clinic A with a client, photo and design made through the API; returns (A's owner
/// session, client id, photo id, design id, design JSON).
async fn clinic_a(app: &App) -> (common::Session, i64, i64, i64, serde_json::Value) {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_csrf_throttle_and_logout() {
    for app in spawn_apps("http-auth").await {
        let b = app.db.backend;
        app.user("Alpha", "owner@alpha.test", Role::Owner).await;
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        // Pages need a login; the API answers 401 JSON.
        let r = http.get(format!("{}/clients", app.base)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?next=/clients"));
        let r = http.get(format!("{}/api/v1/clients", app.base)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{b}");
        assert!(
            r.json::<serde_json::Value>().await.unwrap()["error"]
                .as_str()
                .unwrap()
                .contains("log in")
        );

        let r = http.get(format!("{}/login", app.base)).send().await.unwrap();
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(" | ");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        let csrf = login_csrf(&r);
        // A login without the form token is refused (login CSRF).
        let r = http
            .post(format!("{}/login", app.base))
            .form(&[("email", "owner@alpha.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{b}");
        // …and so is one without the login form's cookie, even with a token (a fresh
        // client, as another site's form would post).
        let bare = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = bare
            .post(format!("{}/login", app.base))
            .form(&[("_csrf", csrf.as_str()), ("email", "owner@alpha.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{b}: login CSRF without the cookie");
        // Every response carries the security headers; pages are never cached.
        let r = http.get(format!("{}/login", app.base)).send().await.unwrap();
        let h = r.headers();
        assert!(h["content-security-policy"].to_str().unwrap().contains("script-src 'self'"), "{b}");
        assert!(
            h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"),
            "{b}"
        );
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["cache-control"], "no-store", "{b}");
        for _ in 0..5 {
            let r = http
                .post(format!("{}/login", app.base))
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("email", "owner@alpha.test"),
                    ("password", "wrong password!"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{b}");
        }
        let r = http
            .post(format!("{}/login", app.base))
            .form(&[("_csrf", csrf.as_str()), ("email", "owner@alpha.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{b}: throttled even with the right password"
        );
        assert!(r.text().await.unwrap().contains("Too many failed logins"));

        app.user("Alpha", "p@alpha.test", Role::Practitioner).await;
        let s = app.login("p@alpha.test").await;
        let set_cookie = s.get("/api/v1/me").await;
        assert_eq!(set_cookie.status(), StatusCode::OK);
        // State-changing calls need the CSRF token.
        let r = s
            .http
            .post(format!("{}/api/v1/clients", s.base))
            .json(&json!({"name": "X"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{b}");
        let r = s
            .http
            .post(format!("{}/api/v1/clients", s.base))
            .header("X-CSRF-Token", "0".repeat(32))
            .json(&json!({"name": "X"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{b}");
        let r = s
            .http
            .post(format!("{}/clients", s.base))
            .form(&[("name", "Y")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{b}: form without _csrf");
        let r = s
            .http
            .post(format!("{}/clients", s.base))
            .form(&[("_csrf", s.csrf.as_str()), ("name", "Form Client")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        let r = s
            .http
            .post(format!("{}/logout", s.base))
            .form(&[("_csrf", s.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(s.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED, "{b}: logged out");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_route_is_tenant_isolated() {
    for app in spawn_apps("http-tenancy").await {
        let b = app.db.backend;
        let (a, client, photo, design, value) = clinic_a(&app).await;
        app.user("Zeta", "owner@zeta.test", Role::Owner).await;
        let z = app.login("owner@zeta.test").await;
        let lot: serde_json::Value = a
            .post_json(
                "/api/v1/lots",
                &json!({"kind": "pigment", "product": "Carbon 1:3", "lot_number": "A-1", "expires_on": "2099-01-01"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let lot = lot["id"].as_i64().unwrap();
        for op in smp_web::api::openapi::OPS.iter().filter(|o| o.path.contains('{')) {
            let id = match op.path.split('/').nth(1) {
                Some("clients") => client,
                Some("photos") => photo,
                Some("lots") => lot,
                _ => design,
            };
            let path = format!("/api/v1{}", op.path.replace("{id}", &id.to_string()).replace("{v}", "1"));
            let body = json!({"name": "hijack", "base_version": 1, "design": value, "reason": "x", "performed_on": "2026-11-01",
                "design_session": 1, "impressions": 1, "needle_lot_id": lot, "pigment_lot_id": lot, "kind": "redness", "severity": "mild",
                "onset_on": "2026-11-01", "satisfaction": 5, "would_recommend": true});
            let r = match op.method {
                "get" => z.get(&path).await,
                "put" => z.put_json(&path, &body).await,
                _ if op.body.starts_with("multipart") => z.upload(client, "top", synth_photo(200).0, "x.png").await,
                _ => z.post_json(&path, &body).await,
            };
            assert_eq!(
                r.status(),
                StatusCode::NOT_FOUND,
                "{b}: {} {path} must not reach clinic A's record",
                op.method
            );
            // The owner of A reaches the same route.
            if op.method == "get" {
                assert_eq!(a.get(&path).await.status(), StatusCode::OK, "{b}: {path} for its own clinic");
            }
        }
        // Pages too.
        for path in [
            format!("/clients/{client}"),
            format!("/designs/{design}/edit"),
            format!("/photos/{photo}/image"),
            format!("/designs/{design}/plan"),
        ] {
            assert_eq!(z.get(&path).await.status(), StatusCode::NOT_FOUND, "{b}: {path}");
            let r = a.get(&path).await;
            assert_eq!(r.status(), StatusCode::OK, "{b}: {path}");
            // Medical pages and photos stay out of a shared tablet's cache.
            assert_eq!(r.headers()["cache-control"], "no-store", "{b}: {path}");
        }
        // Writes to A's records from Z's session: all refused, nothing changed.
        for path in [
            format!("/clients/{client}/screening"),
            format!("/clients/{client}/consent"),
            format!("/clients/{client}/appointments"),
            format!("/photos/{photo}/marketing"),
            format!("/clients/{client}/sessions"),
            format!("/clients/{client}/surveys"),
        ] {
            let r = z
                .http
                .post(format!("{}{path}", z.base))
                .form(&[
                    ("_csrf", z.csrf.as_str()),
                    ("allergies", "x"),
                    ("consent", "yes"),
                    ("kind", "consultation"),
                    ("starts_at", "2099-01-01T10:00"),
                    ("minutes", "30"),
                    ("practitioner_id", "1"),
                    ("document_id", "1"),
                    ("text_sha256", "x"),
                    ("signer_name", "x"),
                    ("signature", "M1 1"),
                    ("satisfaction", "5"),
                    ("would_recommend", "yes"),
                ])
                .send()
                .await
                .unwrap();
            assert!(
                r.status() == StatusCode::NOT_FOUND || r.status() == StatusCode::UNPROCESSABLE_ENTITY,
                "{b}: POST {path} from another clinic: {}",
                r.status()
            );
        }
        assert!(
            app.store
                .list_appointments(app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id, "0")
                .await
                .unwrap()
                .is_empty(),
            "{b}"
        );
        // Lists are per clinic; a preview of A's photo hash from Z is refused.
        assert_eq!(
            z.get("/api/v1/clients").await.json::<Vec<serde_json::Value>>().await.unwrap().len(),
            0
        );
        let r = z
            .post_json(
                "/api/v1/preview",
                &json!({"design": value, "view": "top", "state": "healed", "max_width_px": 200}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{b}: another clinic's photo by hash");
        let r = z.post_json("/api/v1/color/match", &json!({"design": value, "view": "top"})).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{b}: matching on another clinic's photo");
        for path in ["/api/v1/fit", "/api/v1/overlay"] {
            let r = z.post_json(path, &json!({"design": value, "view": "top"})).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{b}: {path} on another clinic's photo");
        }
        let r = z.post_json("/api/v1/calibrate", &json!({"design": value, "view": "top", "photo_id": photo, "p1_px": [0,0], "p2_px": [10,0], "distance_mm": 5, "ref_px": [5,5]})).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{b}");
        // The audit of A's data is unchanged by Z's attempts.
        assert_eq!(
            a.get(&format!("/api/v1/designs/{design}/versions"))
                .await
                .json::<Vec<serde_json::Value>>()
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            a.get(&format!("/api/v1/clients/{client}"))
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap()["name"],
            "Ann Client"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_follow_the_permission_matrix() {
    for app in spawn_apps("http-roles").await {
        let b = app.db.backend;
        let (_owner, client, photo, design, value) = clinic_a(&app).await;
        app.user("Alpha", "desk@alpha.test", Role::FrontDesk).await;
        let desk = app.login("desk@alpha.test").await;
        let c: serde_json::Value = desk.get(&format!("/api/v1/clients/{client}")).await.json().await.unwrap();
        assert_eq!(c["name"], "Ann Client");
        assert_eq!(c["notes"], "", "{b}: front desk never sees medical notes");
        let r = desk
            .put_json(
                &format!("/api/v1/clients/{client}"),
                &json!({"name": "Ann Client", "phone": "0777", "notes": ""}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            _owner
                .get(&format!("/api/v1/clients/{client}"))
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap()["notes"],
            "allergic to nickel",
            "{b}: desk edit keeps notes"
        );
        for path in [
            format!("/api/v1/photos/{photo}"),
            format!("/api/v1/designs/{design}"),
            format!("/api/v1/clients/{client}/photos"),
            format!("/photos/{photo}/image"),
        ] {
            assert_eq!(desk.get(&path).await.status(), StatusCode::FORBIDDEN, "{b}: desk {path}");
        }
        let r = desk
            .post_json(
                &format!("/api/v1/designs/{design}/versions"),
                &json!({"base_version": 1, "design": value}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{b}: desk can't edit designs");
        assert_eq!(desk.get("/users").await.status(), StatusCode::FORBIDDEN);
        let page = desk.get(&format!("/clients/{client}")).await.text().await.unwrap();
        assert!(
            !page.contains("allergic") && !page.contains("Designs"),
            "{b}: client page hides medical parts from desk"
        );
        app.user("Alpha", "pr@alpha.test", Role::Practitioner).await;
        let pr = app.login("pr@alpha.test").await;
        assert_eq!(pr.get(&format!("/api/v1/designs/{design}")).await.status(), StatusCode::OK);
        assert_eq!(
            pr.get("/users").await.status(),
            StatusCode::FORBIDDEN,
            "{b}: only owners manage users"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_conflicts_uploads_dots_preview_plan() {
    for app in spawn_apps("http-design").await {
        let b = app.db.backend;
        let (s, client, _photo, design, value) = clinic_a(&app).await;
        let mut edited = value.clone();
        edited["regions"][0]["density_per_cm2"] = json!(60);
        let r = s
            .post_json(
                &format!("/api/v1/designs/{design}/versions"),
                &json!({"base_version": 1, "design": edited, "note": "lighter"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{b}");
        // A second tab still on version 1: conflict, and version 2 stays.
        let r = s
            .post_json(
                &format!("/api/v1/designs/{design}/versions"),
                &json!({"base_version": 1, "design": value}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "{b}");
        let e: serde_json::Value = r.json().await.unwrap();
        assert!(e["error"].as_str().unwrap().contains("latest is 2"), "{e}");
        let v2: serde_json::Value = s.get(&format!("/api/v1/designs/{design}/versions/2")).await.json().await.unwrap();
        assert_eq!(v2["design"]["regions"][0]["density_per_cm2"], 60.0);
        // Invalid designs: 422 naming the field.
        let mut bad = value.clone();
        bad["regions"][0]["density_per_cm2"] = json!(-5);
        let r = s
            .post_json(
                &format!("/api/v1/designs/{design}/versions"),
                &json!({"base_version": 2, "design": bad}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            r.json::<serde_json::Value>().await.unwrap()["field"],
            "regions[0].density_per_cm2",
            "{b}"
        );
        // Broken, fake and oversized uploads.
        let r = s.upload(client, "top", b"\x89PNG\r\n\x1a\n broken".to_vec(), "bad.png").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let r = s.upload(client, "top", b"GIF89a....".to_vec(), "x.gif").await;
        assert!(
            r.json::<serde_json::Value>().await.unwrap()["error"]
                .as_str()
                .unwrap()
                .contains("not a JPEG, PNG or WebP")
        );
        // A cut-off JPEG is refused, not stored with a grey half.
        let mut jpeg = Vec::new();
        image::RgbImage::from_pixel(64, 48, image::Rgb([200, 170, 150]))
            .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        let r = s.upload(client, "top", jpeg[..jpeg.len() - 40].to_vec(), "cut.jpg").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}: truncated JPEG");
        let e = r.json::<serde_json::Value>().await.unwrap();
        assert!(e["error"].as_str().unwrap().contains("truncated (it ends early)"), "{e}");
        // An oversized upload is refused on its declared length, before its body.
        let (status, text) = common::status_of_declared_upload(&s.base, &format!("/api/v1/clients/{client}/photos"), 4 << 20).await;
        assert_eq!(status, 413, "{b}: {text}");
        assert!(text.contains("photos may be 2 MB at most"), "{text}");
        let r = s.upload(client, "sideways", synth_photo(200).0, "x.png").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}: unknown view");
        assert_eq!(
            s.get(&format!("/api/v1/clients/{client}/photos"))
                .await
                .json::<Vec<serde_json::Value>>()
                .await
                .unwrap()
                .len(),
            1,
            "{b}: nothing half-stored"
        );
        // Live dots: the count is the engine's.
        let d: serde_json::Value = s
            .post_json("/api/v1/dots", &json!({"design": v2["design"], "view": "top", "upto": 1}))
            .await
            .json()
            .await
            .unwrap();
        let engine = smp_dots::generate(&smp_design::Design::parse(&v2["design"].to_string()).unwrap());
        let s1 = engine.dots.iter().filter(|i| i.session == 1).count();
        assert_eq!(d["count"].as_u64().unwrap() as usize, s1, "{b}");
        assert_eq!(d["total"].as_u64().unwrap() as usize, engine.dots.len());
        assert_eq!(d["px"].as_array().unwrap().len(), 2 * d["d_px"].as_array().unwrap().len());
        let r = s.post_json("/api/v1/dots", &json!({"design": v2["design"], "view": "front"})).await;
        assert!(
            r.json::<serde_json::Value>().await.unwrap()["error"]
                .as_str()
                .unwrap()
                .contains("no view 'front'")
        );
        // A 50 000-point outline is refused at once, naming the field (it once kept a
        // core busy for 16 s).
        let mut huge = v2["design"].clone();
        huge["regions"][0]["polygon"] = (0..50_000)
            .map(|i| {
                let a = f64::from(i) / 50_000.0 * std::f64::consts::TAU;
                json!([20.0 * a.cos(), 150.0 + 20.0 * a.sin()])
            })
            .collect();
        let r = s.post_json("/api/v1/dots", &json!({"design": huge, "view": "top"})).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let e: serde_json::Value = r.json().await.unwrap();
        assert_eq!(e["field"], "regions[0].polygon", "{b}: {e}");
        assert!(e["error"].as_str().unwrap().contains("at most 10000"), "{b}: {e}");
        // Preview: a PNG of the requested width.
        let r = s
            .post_json(
                "/api/v1/preview",
                &json!({"design": v2["design"], "view": "top", "state": "healed", "max_width_px": 240}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let img = image::load_from_memory(&r.bytes().await.unwrap()).unwrap();
        assert_eq!(img.width(), 240);
        let r = s
            .post_json(
                "/api/v1/preview",
                &json!({"design": v2["design"], "view": "top", "state": "aged:99"}),
            )
            .await;
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["field"], "state");
        // Pigments: the library, and a match on the photo with the CLI's answer.
        let lib: serde_json::Value = s.get("/api/v1/pigments").await.json().await.unwrap();
        assert_eq!(lib["pigments"][0]["name"], "carbon black", "{b}");
        assert_eq!(lib["dilutions_water_parts"], json!([0, 1, 2, 3, 4, 5, 6]));
        let (skin, hair) = ([68.0, 10.0, 16.0], [30.0, 3.0, 2.0]);
        let r = s
            .post_json(
                "/api/v1/color/match",
                &json!({"design": v2["design"], "view": "top", "skin_lab": skin, "hair_lab": hair}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let m: serde_json::Value = r.json().await.unwrap();
        let want = smp_color::pigments::match_pigment(skin, hair, &smp_color::pigments::PigmentLibrary::builtin()).unwrap();
        assert_eq!(m["pigment"], want.pigment.as_str(), "{b}");
        assert_eq!(m["dilution"], format!("1:{}", want.dilution));
        assert_eq!(m["skin_lab"], json!(skin));
        assert_eq!(m["written"], false);
        // Sampled from this small photo, the hair comes with the sampler's doubts.
        let m: serde_json::Value = s
            .post_json("/api/v1/color/match", &json!({"design": v2["design"], "view": "top"}))
            .await
            .json()
            .await
            .unwrap();
        assert!(
            m["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w.as_str().unwrap().contains("px/mm")),
            "{b}: {m}"
        );
        // Colours that are not colours, or skin that is not skin: 422 naming the field.
        for (body, field) in [
            (json!({"design": v2["design"], "view": "top", "skin_lab": [150, 0, 0]}), "skin_lab"),
            (json!({"design": v2["design"], "view": "top", "skin_lab": [60, 5, -4]}), "skin_lab"),
            (json!({"design": v2["design"], "view": "front"}), "view"),
        ] {
            let r = s.post_json("/api/v1/color/match", &body).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}: {body}");
            let e: serde_json::Value = r.json().await.unwrap();
            assert_eq!(e["field"], field, "{b}: {e}");
        }
        // Plan: impressions agree with the engine; the page shows them.
        let p: serde_json::Value = s.get(&format!("/api/v1/designs/{design}/plan")).await.json().await.unwrap();
        assert_eq!(p["impressions"].as_u64().unwrap() as usize, engine.dots.len(), "{b}");
        assert!(p["cost"]["max"].as_f64().unwrap() >= p["cost"]["min"].as_f64().unwrap());
        let page = s.get(&format!("/designs/{design}/plan")).await.text().await.unwrap();
        assert!(
            page.contains(&engine.dots.len().to_string()),
            "{b}: plan page shows the impressions"
        );
        // Compare and restore pages.
        assert_eq!(s.get(&format!("/designs/{design}/compare?a=1&b=2")).await.status(), StatusCode::OK);
        let r = s
            .http
            .post(format!("{}/designs/{design}/restore", s.base))
            .form(&[("_csrf", s.csrf.as_str()), ("version", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let v3: serde_json::Value = s.get(&format!("/api/v1/designs/{design}/versions/3")).await.json().await.unwrap();
        assert_eq!(v3["design"], value, "{b}: restore copies version 1");
        assert_eq!(v3["note"], "restored version 1");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_documents_every_route() {
    for app in spawn_apps("http-openapi").await {
        let http = reqwest::Client::new();
        let doc: serde_json::Value = http
            .get(format!("{}/api/v1/openapi.json", app.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        for op in smp_web::api::openapi::OPS {
            assert!(doc["paths"][op.path][op.method].is_object(), "{} {} documented", op.method, op.path);
            let url = format!("{}/api/v1{}", app.base, op.path.replace("{id}", "1").replace("{v}", "1"));
            let r = http.request(op.method.to_uppercase().parse().unwrap(), &url).send().await.unwrap();
            let want = if op.auth { StatusCode::UNAUTHORIZED } else { StatusCode::OK };
            assert_eq!(
                r.status(),
                want,
                "{} {} exists and needs a login: {}",
                op.method,
                op.path,
                app.db.backend
            );
        }
    }
}

/// A code of `secret` valid now.
fn totp_now(secret: &str) -> String {
    let key = smp_web::auth::totp::unbase32(secret).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    format!("{:06}", smp_web::auth::totp::hotp(&key, now / 30, 6))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owner_reset_password_change_and_totp() {
    for app in spawn_apps("http-account").await {
        let b = app.db.backend;
        app.user("Alpha", "owner@alpha.test", Role::Owner).await;
        app.user("Alpha", "p@alpha.test", Role::Practitioner).await;
        let owner = app.login("owner@alpha.test").await;
        let pr = app.login("p@alpha.test").await;
        let users = app
            .store
            .list_users(app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id)
            .await
            .unwrap();
        let pid = users.iter().find(|u| u.email == "p@alpha.test").unwrap().id;
        // Owner-issued reset: a temporary password; the user's sessions end.
        let page = owner
            .http
            .post(format!("{}/users/{pid}/reset", owner.base))
            .form(&[("_csrf", owner.csrf.as_str())])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let temp = page
            .split("id=\"temp-password\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string();
        assert_eq!(
            pr.get("/api/v1/me").await.status(),
            StatusCode::UNAUTHORIZED,
            "{b}: reset ends sessions"
        );
        // Log in with it: every page sends the user to change it first.
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let csrf = login_csrf(&http.get(format!("{}/login", app.base)).send().await.unwrap());
        let r = http
            .post(format!("{}/login", app.base))
            .form(&[("_csrf", csrf.as_str()), ("email", "p@alpha.test"), ("password", temp.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        let r = http.get(format!("{}/clients", app.base)).send().await.unwrap();
        assert_eq!(r.headers()["location"], "/account?must=1", "{b}");
        // The API is closed too (it once was open after a reset), except "who am I".
        let r = http.get(format!("{}/api/v1/clients", app.base)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{b}: API before the new password");
        assert!(r.text().await.unwrap().contains("set a new one"), "{b}");
        let me: serde_json::Value = http
            .get(format!("{}/api/v1/me", app.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = me["csrf_token"].as_str().unwrap().to_string();
        let r = http
            .post(format!("{}/account/password", app.base))
            .form(&[("_csrf", token.as_str()), ("current", temp.as_str()), ("new", "short")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}: policy");
        let r = http
            .post(format!("{}/account/password", app.base))
            .form(&[("_csrf", token.as_str()), ("current", temp.as_str()), ("new", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        let pr = app.login("p@alpha.test").await;
        assert_eq!(
            pr.get("/clients").await.status(),
            StatusCode::OK,
            "{b}: new password works, no more redirect"
        );

        // TOTP on: the login needs the code.
        let page = pr.get("/account").await.text().await.unwrap();
        let secret = page
            .split("id=\"totp-secret\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string();
        let r = pr
            .http
            .post(format!("{}/account/totp", pr.base))
            .form(&[
                ("_csrf", pr.csrf.as_str()),
                ("action", "on"),
                ("secret", secret.as_str()),
                ("code", "000000"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}: a wrong code doesn't turn it on");
        let code = totp_now(&secret);
        let r = pr
            .http
            .post(format!("{}/account/totp", pr.base))
            .form(&[
                ("_csrf", pr.csrf.as_str()),
                ("action", "on"),
                ("secret", secret.as_str()),
                ("code", code.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let csrf = login_csrf(&http.get(format!("{}/login", app.base)).send().await.unwrap());
        let r = http
            .post(format!("{}/login", app.base))
            .form(&[("_csrf", csrf.as_str()), ("email", "p@alpha.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert!(r.text().await.unwrap().contains("Authenticator code"), "{b}");
        assert_eq!(
            http.get(format!("{}/api/v1/me", app.base)).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{b}: half-logged-in"
        );
        let r = http
            .post(format!("{}/login/totp", app.base))
            .form(&[("_csrf", csrf.as_str()), ("code", "123456")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{b}");
        let code = totp_now(&secret);
        let r = http
            .post(format!("{}/login/totp", app.base))
            .form(&[("_csrf", csrf.as_str()), ("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            http.get(format!("{}/api/v1/me", app.base)).send().await.unwrap().status(),
            StatusCode::OK,
            "{b}"
        );
        // The same code does not work twice (someone who saw it over a shoulder).
        let other = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let csrf2 = login_csrf(&other.get(format!("{}/login", app.base)).send().await.unwrap());
        other
            .post(format!("{}/login", app.base))
            .form(&[("_csrf", csrf2.as_str()), ("email", "p@alpha.test"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let r = other
            .post(format!("{}/login/totp", app.base))
            .form(&[("_csrf", csrf2.as_str()), ("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{b}: a replayed code is refused");
        // Switching it off needs the password (or a fresh code), not just the session.
        let me: serde_json::Value = http
            .get(format!("{}/api/v1/me", app.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = me["csrf_token"].as_str().unwrap().to_string();
        let off = |password: &str| {
            vec![
                ("_csrf".to_string(), token.clone()),
                ("action".to_string(), "off".to_string()),
                ("password".to_string(), password.to_string()),
            ]
        };
        let r = http.post(format!("{}/account/totp", app.base)).form(&off("")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let r = http
            .post(format!("{}/account/totp", app.base))
            .form(&off("not my password"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let clinic = app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
        assert!(app.store.user(clinic, pid).await.unwrap().totp_secret.is_some(), "{b}: still on");
        let r = http
            .post(format!("{}/account/totp", app.base))
            .form(&off(PASSWORD))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        assert!(
            app.store.user(clinic, pid).await.unwrap().totp_secret.is_none(),
            "{b}: off with the password"
        );
        // An owner's reset (the phone was lost) clears the authenticator too.
        app.store.set_totp(clinic, pid, Some(&secret)).await.unwrap();
        owner
            .http
            .post(format!("{}/users/{pid}/reset", owner.base))
            .form(&[("_csrf", owner.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert!(
            app.store.user(clinic, pid).await.unwrap().totp_secret.is_none(),
            "{b}: reset clears it"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_lots_sessions_outcomes_audit_and_report() {
    for app in spawn_apps("http-records").await {
        let b = app.db.backend;
        let (s, client, _photo, design, _) = clinic_a(&app).await;
        let lot = |kind: &str, number: &str, expires: &str| json!({"kind": kind, "product": format!("{kind} x"), "lot_number": number, "expires_on": expires});
        let needle = s
            .post_json("/api/v1/lots", &lot("needle", "N-1", "2099-12-31"))
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let ink = s
            .post_json("/api/v1/lots", &lot("pigment", "P-1", "2099-12-31"))
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let expired = s
            .post_json("/api/v1/lots", &lot("pigment", "P-0", "2020-01-31"))
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let session = |pigment: i64| json!({"performed_on": "2026-11-20", "design_session": 1, "impressions": 4200, "needle_lot_id": needle, "pigment_lot_id": pigment, "design_id": design});
        // Without signed consent and a screening a session is refused, with the reasons;
        // nothing is recorded.
        let r = s.post_json(&format!("/api/v1/clients/{client}/sessions"), &session(ink)).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let e: serde_json::Value = r.json().await.unwrap();
        let msg = e["error"].as_str().unwrap();
        assert!(msg.contains("no consent text") && msg.contains("no screening"), "{b}: {msg}");
        assert_eq!(e["field"], "client_id", "{b}");
        ready(&app, client).await;
        let r = s.post_json(&format!("/api/v1/clients/{client}/sessions"), &session(expired)).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            r.json::<serde_json::Value>().await.unwrap()["error"]
                .as_str()
                .unwrap()
                .contains("expired on 2020-01-31")
        );
        let r = s.post_json(&format!("/api/v1/clients/{client}/sessions"), &session(ink)).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{b}");
        let r = s
            .post_json(&format!("/api/v1/lots/{ink}/recall"), &json!({"reason": "notice 7"}))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let r = s.post_json(&format!("/api/v1/clients/{client}/sessions"), &session(ink)).await;
        assert!(
            r.json::<serde_json::Value>().await.unwrap()["error"]
                .as_str()
                .unwrap()
                .contains("recalled"),
            "{b}"
        );
        let hits: Vec<serde_json::Value> = s.get(&format!("/api/v1/lots/{ink}/sessions")).await.json().await.unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0]["client_name"], "Ann Client", "{b}: recall search names the client");
        // A patch test puts the pigment in the skin: the recall reaches it too.
        let clinic_id = app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
        app.store
            .add_patch_test(clinic_id, client, ink, "2026-11-19", "negative")
            .await
            .unwrap();
        let all: Vec<serde_json::Value> = s.get(&format!("/api/v1/lots/{ink}/sessions")).await.json().await.unwrap();
        let vias: Vec<&str> = all.iter().map(|h| h["via"].as_str().unwrap()).collect();
        assert_eq!(vias, ["session", "patch_test"], "{b}");
        assert_eq!(all[1]["patch_test"]["tested_on"], "2026-11-19", "{b}");
        let page = s.get(&format!("/lots/{ink}/clients")).await.text().await.unwrap();
        assert!(
            page.contains("patch test (negative)") && page.contains("session, 4200 impressions"),
            "{b}"
        );
        let r = s
            .post_json(
                &format!("/api/v1/clients/{client}/adverse-events"),
                &json!({"kind": "redness", "severity": "mild", "onset_on": "2026-11-20", "session_id": hits[0]["session"]["id"]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{b}");
        // Surveys 5, 4, 5, 3, 5 (recommend 4 of 5): hand-computed mean 4.4, 95 % CI 3.2896–5.5104
        // (t = 2.776, se = 0.4); very satisfied 3/5; Wilson 95 % for 4/5 = 0.3755–0.9638.
        for (sat, rec) in [(5, true), (4, true), (5, true), (3, false), (5, true)] {
            let r = s
                .post_json(
                    &format!("/api/v1/clients/{client}/surveys"),
                    &json!({"satisfaction": sat, "would_recommend": rec}),
                )
                .await;
            assert_eq!(r.status(), StatusCode::CREATED);
        }
        let o: serde_json::Value = s.get("/api/v1/outcomes").await.json().await.unwrap();
        let clinic = &o["groups"][0];
        assert_eq!(clinic["n"], 5);
        assert!((clinic["satisfaction"]["mean"].as_f64().unwrap() - 4.4).abs() < 1e-9);
        assert!((clinic["satisfaction"]["lo"].as_f64().unwrap() - 3.2896).abs() < 1e-4, "{clinic}");
        assert!(
            (clinic["would_recommend"]["lo"].as_f64().unwrap() - 0.3755).abs() < 1e-4,
            "{clinic}"
        );
        assert!((clinic["would_recommend"]["hi"].as_f64().unwrap() - 0.9638).abs() < 1e-4);
        assert_eq!(clinic["very_satisfied"]["k"], 3);
        assert_eq!(clinic["adverse_events"], 1);
        assert!(o["published"].as_array().unwrap().len() >= 4);
        let page = s.get("/outcomes").await.text().await.unwrap();
        assert!(page.contains("<svg") && page.contains("4.40"), "{b}: outcomes page with chart");
        // Ink passport (PDF; its text read back with pdftotext when installed) and the
        // printable aftercare sheet with check-in dates.
        let r = s.get(&format!("/clients/{client}/ink-passport.pdf")).await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let pdf = r.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let path = app.db.dir.join("passport.pdf");
        std::fs::write(&path, &pdf).unwrap();
        match std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
            Ok(o) => {
                let text = String::from_utf8_lossy(&o.stdout);
                assert!(
                    text.contains("P-1") && text.contains("2026-11-20") && text.contains("Ann Client"),
                    "{b}: {text}"
                );
            }
            Err(e) => assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true needs pdftotext: {e}"),
        }
        std::fs::remove_file(&path).unwrap();
        let sid = hits[0]["session"]["id"].as_i64().unwrap();
        let sheet = s.get(&format!("/sessions/{client}/{sid}/aftercare")).await.text().await.unwrap();
        assert!(
            sheet.contains("Aftercare for Ann Client") && sheet.contains("2026-11-22") && sheet.contains("2026-12-18"),
            "{b}: check-ins at +2 and +28 days"
        );
        assert!(sheet.contains("mailto:?subject="), "{b}: e-mailable");
        // With an e-mail address on file, the link is addressed to the client.
        let r = s
            .put_json(
                &format!("/api/v1/clients/{client}"),
                &json!({"name": "Ann Client", "email": "ann@example.test", "notes": "allergic to nickel"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let sheet = s.get(&format!("/sessions/{client}/{sid}/aftercare")).await.text().await.unwrap();
        assert!(
            sheet.contains("mailto:ann%40example.test?subject=") && sheet.contains("E-mail this to the client"),
            "{b}: addressed to the client"
        );
        let clinic_id = app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
        let follow = app.store.list_follow_ups(clinic_id, Some(client)).await.unwrap();
        assert_eq!(follow.len(), 3, "{b}: three check-ins scheduled");
        let r = s
            .http
            .post(format!("{}/follow-ups/{}/done", s.base, follow[0].id))
            .form(&[("_csrf", s.csrf.as_str()), ("done_on", "2026-11-22"), ("note", "settling well")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        assert!(
            s.get(&format!("/clients/{client}"))
                .await
                .text()
                .await
                .unwrap()
                .contains("done 2026-11-22"),
            "{b}"
        );
        let again = s
            .http
            .post(format!("{}/follow-ups/{}/done", s.base, follow[0].id))
            .form(&[("_csrf", s.csrf.as_str()), ("done_on", "2026-11-23")])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_FOUND, "{b}: a check-in is closed once");
        // The report downloads as a PDF and is audited as an export.
        let r = s.get(&format!("/api/v1/designs/{design}/report.pdf")).await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
        // Reads of medical data are in the chain, which verifies.
        s.get(&format!("/clients/{client}")).await;
        let audit: serde_json::Value = s.get("/api/v1/audit").await.json().await.unwrap();
        assert_eq!(audit["verified"], true, "{b}");
        let entries = audit["entries"].as_array().unwrap();
        for (action, entity) in [
            ("create", "session"),
            ("recall", "lot"),
            ("export", "recall-search"),
            ("export", "report"),
            ("read", "client-record"),
        ] {
            assert!(
                entries.iter().any(|e| e["action"] == action && e["entity"] == entity),
                "{b}: audit has {action} {entity}"
            );
        }
        assert!(
            entries.iter().all(|e| !e.to_string().contains("Ann")),
            "{b}: no personal data in the audit log"
        );
        // The audit page: user names and UTC times, filtered by action and client, paged.
        let me: serde_json::Value = s.get("/api/v1/me").await.json().await.unwrap();
        let email = me["user"]["email"].as_str().unwrap().to_string();
        let page = s.get("/audit").await.text().await.unwrap();
        assert!(page.contains(&email) && page.contains("Times are UTC"), "{b}: names, not ids");
        let reads = s.get(&format!("/audit?action=read&client={client}")).await.text().await.unwrap();
        let want = entries
            .iter()
            .filter(|e| e["action"] == "read" && e["subject"] == format!("client:{client}"))
            .count();
        assert!(want > 0, "{b}");
        let rows = reads.matches("<tr><td>").count();
        assert_eq!(rows, want.min(100), "{b}: only this client's reads");
        assert!(
            reads.contains(&format!("{want} entries match")) || (want == 1 && reads.contains("1 entry matches")),
            "{b}"
        );
        let bad = s.get("/audit?from=yesterday").await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(bad.text().await.unwrap().contains("use YYYY-MM-DD"), "{b}");
        // Front desk: no records.
        app.user("Alpha", "desk@alpha.test", Role::FrontDesk).await;
        let desk = app.login("desk@alpha.test").await;
        for path in [
            "/api/v1/lots".to_string(),
            format!("/api/v1/clients/{client}/sessions"),
            "/api/v1/outcomes".into(),
            "/api/v1/audit".into(),
        ] {
            assert_eq!(desk.get(&path).await.status(), StatusCode::FORBIDDEN, "{b}: desk {path}");
        }
    }
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(files_under(&p)) } else { out.push(p) }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gdpr_export_and_erasure_leave_no_personal_data() {
    for app in spawn_apps("http-gdpr").await {
        let b = app.db.backend;
        let (s, client, photo, design, _) = clinic_a(&app).await;
        ready(&app, client).await;
        // A booking to be erased with the client (its calendar entry names them).
        let clinic_id = app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
        let me: serde_json::Value = s.get("/api/v1/me").await.json().await.unwrap();
        let consultation = |starts_at: &str, room: &str| smp_store::NewAppointment {
            client_id: client,
            practitioner_id: me["user"]["id"].as_i64().unwrap(),
            kind: "consultation".into(),
            starts_at: starts_at.into(),
            minutes: 30,
            room: room.into(),
        };
        app.store
            .book_appointment(clinic_id, &consultation("2099-05-04T09:00", "room 2, Zacharias"))
            .await
            .unwrap();
        // A cancelled booking is still held, so it is exported too.
        let cancelled = app
            .store
            .book_appointment(clinic_id, &consultation("2099-05-05T09:00", "room 3, cancelled"))
            .await
            .unwrap();
        app.store.cancel_appointment(clinic_id, cancelled.id).await.unwrap();
        // The same photo stored twice (once made the export fail: "Duplicate filename").
        let (png, _) = synth_photo(320);
        assert_eq!(s.upload(client, "top", png, "again.png").await.status(), StatusCode::CREATED, "{b}");

        let personal = [
            "Zacharias Uniquename",
            "zach@unique.test",
            "nickel allergy unique",
            "unique comment text",
            "hairline note unique",
        ];
        s.put_json(
            &format!("/api/v1/clients/{client}"),
            &json!({"name": personal[0], "email": personal[1], "phone": "07700 900123", "notes": personal[2]}),
        )
        .await;
        let needle = s
            .post_json(
                "/api/v1/lots",
                &json!({"kind": "needle", "product": "RL1", "lot_number": "N-9", "expires_on": "2099-01-01"}),
            )
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()["id"]
            .clone();
        let ink = s
            .post_json(
                "/api/v1/lots",
                &json!({"kind": "pigment", "product": "Carbon", "lot_number": "P-9", "expires_on": "2099-01-01"}),
            )
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()["id"]
            .clone();
        let r = s.post_json(&format!("/api/v1/clients/{client}/sessions"), &json!({"performed_on": "2026-11-20", "design_session": 1, "impressions": 10, "needle_lot_id": needle, "pigment_lot_id": ink, "notes": personal[4]})).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        s.post_json(
            &format!("/api/v1/clients/{client}/adverse-events"),
            &json!({"kind": "swelling", "severity": "mild", "onset_on": "2026-11-21", "action": personal[2]}),
        )
        .await;
        s.post_json(
            &format!("/api/v1/clients/{client}/surveys"),
            &json!({"satisfaction": 4, "would_recommend": true, "comment": personal[3]}),
        )
        .await;
        let hash = s
            .get(&format!("/api/v1/photos/{photo}"))
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()["sha256"]
            .as_str()
            .unwrap()
            .to_string();

        // Export: the whole record and the photo file.
        let r = s.get(&format!("/api/v1/clients/{client}/export.zip")).await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK"), "{b}: a zip");
        assert!(
            contains(&bytes, personal[0]) && contains(&bytes, personal[3]) && contains(&bytes, &format!("photos/{hash}.png")),
            "{b}"
        );
        // Art. 15/20: everything held, screening to bookings included.
        for held in [
            "\"screenings\"",
            "has_allergies",
            "\"patch_tests\"",
            "\"consent_signatures\"",
            "M0 0 L9 9 L20 4",
            "\"appointments\"",
            "room 2, Zacharias",
            "room 3, cancelled",
            "\"check_ins\"",
            "redness and swelling settling",
        ] {
            assert!(contains(&bytes, held), "{b}: the export lacks {held}");
        }

        // A wrong confirmation erases nothing.
        let r = s
            .http
            .post(format!("{}/clients/{client}/erase", s.base))
            .form(&[("_csrf", s.csrf.as_str()), ("confirm", "someone else")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            s.get(&format!("/api/v1/clients/{client}"))
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap()["name"],
            personal[0]
        );
        let r = s
            .http
            .post(format!("{}/clients/{client}/erase", s.base))
            .form(&[("_csrf", s.csrf.as_str()), ("confirm", personal[0])])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");

        let c: serde_json::Value = s.get(&format!("/api/v1/clients/{client}")).await.json().await.unwrap();
        assert_eq!(c["name"], format!("erased client {client}"));
        assert!(
            app.store
                .list_appointments(clinic_id, "0")
                .await
                .unwrap()
                .iter()
                .all(|a| a.client_id != client),
            "{b}: the erased client's bookings are gone"
        );
        assert_eq!(
            (c["email"].as_str(), c["phone"].as_str(), c["notes"].as_str()),
            (Some(""), Some(""), Some(""))
        );
        assert!(
            s.get(&format!("/api/v1/clients/{client}/photos"))
                .await
                .json::<Vec<serde_json::Value>>()
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            s.get(&format!("/api/v1/designs/{design}")).await.status(),
            StatusCode::NOT_FOUND,
            "{b}: designs erased"
        );
        // Kept, anonymised, for recalls.
        let hits: Vec<serde_json::Value> = s.get(&format!("/api/v1/lots/{ink}/sessions")).await.json().await.unwrap();
        assert_eq!(hits.len(), 1, "{b}: the recall search still finds the session");
        assert_eq!(hits[0]["session"]["notes"], "");
        let ev: Vec<serde_json::Value> = s
            .get(&format!("/api/v1/clients/{client}/adverse-events"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!((ev.len(), ev[0]["kind"].as_str()), (1, Some("swelling")));
        let audit: serde_json::Value = s.get("/api/v1/audit").await.json().await.unwrap();
        assert_eq!(audit["verified"], true);
        assert!(
            audit["entries"].as_array().unwrap().iter().any(|e| e["action"] == "erase"),
            "{b}: erasure audited"
        );

        // Nothing personal left on disk: the photo file is gone, and (SQLite) neither the
        // database file nor its WAL holds any of the personal strings.
        for f in files_under(&app.db.dir) {
            let data = std::fs::read(&f).unwrap();
            assert!(!f.to_string_lossy().contains(&hash), "{b}: photo file {} survived", f.display());
            for p in personal {
                assert!(!contains(&data, p), "{b}: '{p}' survives in {}", f.display());
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consent_screening_booking_calendar_and_public_page() {
    for app in spawn_apps("http-consent").await {
        let b = app.db.backend;
        let (s, client, photo, _, _) = clinic_a(&app).await;
        let form = |pairs: &[(&str, &str)]| {
            let mut v: Vec<(String, String)> = vec![("_csrf".into(), s.csrf.clone())];
            v.extend(pairs.iter().map(|(k, x)| (k.to_string(), x.to_string())));
            v
        };
        let post = |path: String, pairs: Vec<(String, String)>| {
            let http = s.http.clone();
            let url = format!("{}{path}", s.base);
            async move { http.post(url).form(&pairs).send().await.unwrap() }
        };
        let me: serde_json::Value = s.get("/api/v1/me").await.json().await.unwrap();
        let uid = me["user"]["id"].as_i64().unwrap().to_string();
        let book = |kind: &str| {
            // One practitioner can't be in two places: consultations the day before.
            form(&[
                ("kind", kind),
                (
                    "starts_at",
                    if kind == "session" {
                        "2099-03-02T10:30"
                    } else {
                        "2099-03-01T10:30"
                    },
                ),
                ("minutes", "180"),
                ("practitioner_id", &uid),
                ("room", "2"),
            ])
        };

        // No consent text, no screening: a session can't be booked; a consultation can.
        let r = post(format!("/clients/{client}/appointments"), book("session")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.text().await.unwrap().contains("no consent text"));
        assert_eq!(
            post(format!("/clients/{client}/appointments"), book("consultation")).await.status(),
            StatusCode::SEE_OTHER
        );

        // Consent v1 published and signed; screening with a recent transplant blocks.
        let v1 = "Version one: I agree to SMP and understand it is permanent until laser removal.";
        assert_eq!(
            post("/settings/consent".into(), form(&[("text", v1)])).await.status(),
            StatusCode::SEE_OTHER
        );
        let store = &app.store;
        let clinic = store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
        let doc1 = store.latest_consent(clinic).await.unwrap().unwrap();
        let sign = |doc: i64, sha: &str| {
            form(&[
                ("document_id", &doc.to_string()),
                ("text_sha256", sha),
                ("signer_name", "Ann Client"),
                ("signature", "M10 10 L40 30 L80 12"),
            ])
        };
        let r = post(format!("/clients/{client}/consent"), sign(doc1.id, &"0".repeat(64))).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: a hash that isn't the stored text"
        );
        let bad_sig = form(&[
            ("document_id", &doc1.id.to_string()),
            ("text_sha256", &doc1.sha256),
            ("signer_name", "Ann"),
            ("signature", "<script>"),
        ]);
        assert_eq!(
            post(format!("/clients/{client}/consent"), bad_sig).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            post(format!("/clients/{client}/consent"), sign(doc1.id, &doc1.sha256))
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        let recent = smp_plan::CivilDate::from_epoch_days(smp_store::now_unix() / 86_400 - 30).to_string();
        post(
            format!("/clients/{client}/screening"),
            form(&[("hair_transplant_on", &recent), ("allergies", "nickel")]),
        )
        .await;
        // Booked for next week, the session falls inside the wait; in 2099 it would not.
        let next_week = smp_plan::CivilDate::from_epoch_days(smp_store::now_unix() / 86_400 + 7).to_string();
        let mut soon = book("session");
        soon.iter_mut().find(|(k, _)| k == "starts_at").unwrap().1 = format!("{next_week}T10:30");
        let r = post(format!("/clients/{client}/appointments"), soon).await;
        let text = r.text().await.unwrap();
        assert!(text.contains("SMP over grafts usually waits"), "{b}: {text}");
        post(format!("/clients/{client}/screening"), form(&[("allergies", "nickel")])).await;
        assert_eq!(
            post(format!("/clients/{client}/appointments"), book("session")).await.status(),
            StatusCode::SEE_OTHER,
            "{b}"
        );
        let page = s.get(&format!("/clients/{client}")).await.text().await.unwrap();
        assert!(
            page.contains("patch test") && page.contains("Current version 1 is signed"),
            "{b}: warnings and consent state shown"
        );

        // Version 2: a new signature is needed before the next session.
        let v2 = "Version two: I agree to SMP, understand it is permanent, and accept touch-ups every few years.";
        post("/settings/consent".into(), form(&[("text", v2)])).await;
        let r = post(format!("/clients/{client}/appointments"), book("session")).await;
        assert!(
            r.text().await.unwrap().contains("has not signed the current consent (version 2)"),
            "{b}"
        );
        // The session booked under version 1 is flagged on the appointments list.
        let page = s.get("/appointments").await.text().await.unwrap();
        assert!(
            page.contains("Not ready for this session: the client has not signed the current consent (version 2)"),
            "{b}: {page}"
        );
        let doc2 = store.latest_consent(clinic).await.unwrap().unwrap();
        assert_eq!(doc2.version, 2);
        assert_eq!(
            post(format!("/clients/{client}/consent"), sign(doc2.id, &doc2.sha256))
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        let page = s.get("/appointments").await.text().await.unwrap();
        assert!(!page.contains("Not ready for this session"), "{b}: signed again, ready");
        let sigs = store.consent_signatures(clinic, client).await.unwrap();
        assert_eq!(sigs.len(), 2);
        assert_eq!(
            sigs[0].text_sha256,
            smp_store::files::sha256_hex(v1.as_bytes()),
            "{b}: the exact text signed is kept"
        );

        // A positive patch test blocks sessions; a pending one is a warning.
        let lot: serde_json::Value = s
            .post_json(
                "/api/v1/lots",
                &json!({"kind": "pigment", "product": "Carbon", "lot_number": "PT-1", "expires_on": "2099-01-01"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let lot_id = lot["id"].as_i64().unwrap().to_string();
        post(
            format!("/clients/{client}/patch-tests"),
            form(&[("lot_id", &lot_id), ("tested_on", "2026-11-01"), ("result", "pending")]),
        )
        .await;
        assert!(
            s.get(&format!("/clients/{client}"))
                .await
                .text()
                .await
                .unwrap()
                .contains("still pending"),
            "{b}"
        );
        post(
            format!("/clients/{client}/patch-tests"),
            form(&[("lot_id", &lot_id), ("tested_on", "2026-11-03"), ("result", "positive")]),
        )
        .await;
        let r = post(format!("/clients/{client}/appointments"), book("session")).await;
        assert!(r.text().await.unwrap().contains("positive patch test to Carbon PT-1"), "{b}");
        assert_eq!(
            store.patch_tests(clinic, client).await.unwrap().len(),
            2,
            "{b}: results are appended"
        );
        // A session long ago puts the client on the front desk's touch-up list, and the
        // plan's spacing proposes the next session date.
        let needle: serde_json::Value = s
            .post_json(
                "/api/v1/lots",
                &json!({"kind": "needle", "product": "RL1", "lot_number": "N-7", "expires_on": "2099-01-01"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let r = s.post_json(&format!("/api/v1/clients/{client}/sessions"), &json!({"performed_on": "2023-01-10", "design_session": 3, "impressions": 5, "needle_lot_id": needle["id"], "pigment_lot_id": lot["id"]})).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let page = s.get("/appointments").await.text().await.unwrap();
        assert!(
            page.contains("2026-01-10") && page.contains("Ann Client"),
            "{b}: touch-up due 3 years after 2023-01-10"
        );
        assert!(
            s.get(&format!("/clients/{client}"))
                .await
                .text()
                .await
                .unwrap()
                .contains("2023-01-22"),
            "{b}: next session 12 days later"
        );

        // The clinic's time zone: an unknown one is refused by name; a real one is shown
        // on the settings page, and the feed sends times as UTC instants (10:30 in New
        // York on 2 March 2099, standard time, is 15:30 UTC).
        let r = post("/settings/time-zone".into(), form(&[("time_zone", "Mars/Olympus")])).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.text().await.unwrap().contains("Mars/Olympus"), "{b}");
        let r = post("/settings/time-zone".into(), form(&[("time_zone", "America/New_York")])).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        let settings = s.get("/settings").await.text().await.unwrap();
        assert!(settings.contains("<strong>America/New_York</strong>"), "{b}");
        assert!(
            s.get("/appointments")
                .await
                .text()
                .await
                .unwrap()
                .contains("time zone, America/New_York"),
            "{b}: the list says which time it is in"
        );

        // Calendar feed at a secret URL, revocable; no cookie needed.
        let page = post("/appointments/feed".into(), form(&[])).await.text().await.unwrap();
        assert!(page.contains("id=\"copy-feed\""), "{b}: a copy button");
        let url = page
            .split("id=\"feed-url\" data-path=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let ics = reqwest::get(format!("{}{url}", app.base)).await.unwrap().text().await.unwrap();
        assert!(
            ics.contains("DTSTART:20990302T153000Z") && ics.contains("SUMMARY:session: Ann Client"),
            "{b}: {ics}"
        );
        post("/appointments/feed/revoke".into(), form(&[])).await;
        assert_eq!(
            reqwest::get(format!("{}{url}", app.base)).await.unwrap().status(),
            StatusCode::NOT_FOUND,
            "{b}: revoked"
        );

        // Yes/no first: "none known" under a "no" raises nothing (it once read as an allergy).
        post(
            format!("/clients/{client}/screening"),
            form(&[
                ("has_allergies", "no"),
                ("allergies", "none known"),
                ("has_skin_conditions", "no"),
                ("takes_medications", "no"),
                ("medications", "N/A"),
            ]),
        )
        .await;
        let page = s.get(&format!("/clients/{client}")).await.text().await.unwrap();
        assert!(
            !page.contains("Allergies reported") && !page.contains("Medications reported"),
            "{b}: no false alarms"
        );
        assert!(
            page.contains("name=\"has_allergies\" value=\"no\" required checked"),
            "{b}: the answer shown again"
        );

        // Public page: off → 404; on → only consented photos.
        let public = format!("{}/public/{}/results", app.base, clinic.0);
        assert_eq!(reqwest::get(&public).await.unwrap().status(), StatusCode::NOT_FOUND);
        post("/settings/public".into(), form(&[("on", "yes")])).await;
        let (png, _) = synth_photo(200);
        let second = s
            .upload(client, "front", png, "f.png")
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        post(format!("/photos/{second}/marketing"), form(&[("consent", "yes")])).await;
        let page = reqwest::get(&public).await.unwrap().text().await.unwrap();
        assert!(
            page.contains(&format!("/photos/{second}\"")) && !page.contains(&format!("/photos/{photo}\"")),
            "{b}: only the consented photo"
        );
        assert!(!page.contains("Ann Client"), "{b}: no names on the public page");
        // Too few answers and sessions to publish: the page says so instead of "1 session,
        // 1 adverse event".
        assert!(
            page.contains("once at least 10 clients have answered") && page.contains("from 10 sessions on"),
            "{b}: small samples are not published"
        );
        assert!(!page.contains("sessions and"), "{b}");
        assert_eq!(
            reqwest::get(format!("{}/public/{}/photos/{second}", app.base, clinic.0))
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            reqwest::get(format!("{}/public/{}/photos/{photo}", app.base, clinic.0))
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND,
            "{b}"
        );
        // Another clinic's id with this photo id: nothing.
        let zeta = store.create_clinic("Zeta").await.unwrap();
        store.set_public_results(zeta.id, true).await.unwrap();
        assert_eq!(
            reqwest::get(format!("{}/public/{}/photos/{second}", app.base, zeta.id.0))
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND,
            "{b}"
        );
        post(format!("/photos/{second}/marketing"), form(&[("consent", "no")])).await;
        assert_eq!(
            reqwest::get(format!("{}/public/{}/photos/{second}", app.base, clinic.0))
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND,
            "{b}: consent withdrawn"
        );

        // Appointments move under the booking rules, and cancel (issue 14).
        let booked = store.list_appointments(clinic, "0").await.unwrap();
        let session = booked.iter().find(|a| a.kind == "session").unwrap().clone();
        let consult = booked.iter().find(|a| a.kind == "consultation").unwrap().id;
        let page = s.get("/appointments").await.text().await.unwrap();
        assert!(
            page.contains("2 Mar 2099, 10:30") && !page.contains("2099-03-02T10:30 ("),
            "{b}: times as people write them"
        );
        assert!(page.contains("data-confirm=\"Cancel session"), "{b}: cancelling asks first");
        let moving = |id: i64, at: &str| {
            post(
                format!("/appointments/{id}/reschedule"),
                form(&[("starts_at", at), ("minutes", "60")]),
            )
        };
        let r = moving(consult, session.starts_at.as_str()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}: onto the session");
        assert_eq!(moving(consult, "2099-03-03T14:00").await.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(store.appointment(clinic, consult).await.unwrap().starts_at, "2099-03-03T14:00");
        // The session can't move while the positive patch test stands: the owner sees why.
        let r = moving(session.id, "2099-03-04T09:00").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.text().await.unwrap().contains("positive patch test"), "{b}");
        let r = post(format!("/appointments/{}/cancel", session.id), form(&[])).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        let left: Vec<i64> = store.list_appointments(clinic, "0").await.unwrap().iter().map(|a| a.id).collect();
        assert_eq!(left, [consult], "{b}: the cancelled one is gone");
    }
}

/// Px per mm of a view's map in a design JSON.
fn view_px_per_mm(design: &serde_json::Value) -> f64 {
    let m: Vec<f64> = design["views"][0]["mm_to_px"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    (m[0] * m[4] - m[1] * m[3]).abs().sqrt()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fit_to_photo_overlay_and_seeds() {
    for app in spawn_apps("http-fit").await {
        let b = app.db.backend;
        let (s, _, _, _, value) = clinic_a(&app).await;
        assert!(value["views"][0]["analysis"].is_null(), "{b}: a new design has no photo reading");
        // No reading to show before a fit; the message says what to do.
        let r = s.post_json("/api/v1/overlay", &json!({"design": value, "view": "top"})).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            r.json::<serde_json::Value>().await.unwrap()["error"]
                .as_str()
                .unwrap()
                .contains("Fit to photo")
        );
        let r = s.post_json("/api/v1/fit", &json!({"design": value, "view": "top"})).await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let f: serde_json::Value = r.json().await.unwrap();
        assert_eq!(f["analysed"], true, "{b}: no stored reading, so the photo is read");
        assert!(
            !f["design"]["views"][0]["analysis"].is_null(),
            "{b}: the reading is kept in the view"
        );
        // The endpoint gives what the library gives on the same photo and design.
        let (png, design) = synth_photo(320);
        let photo = image::load_from_memory(&png).unwrap().to_rgb8();
        let got = smp_photo::analyze::view_labels(&design, "top", &photo, &Default::default()).unwrap();
        let lib = smp_photo::fit::fit_design(&got.design, "top", &photo, &got.labels, Default::default()).unwrap();
        let treat: f64 = lib
            .regions
            .iter()
            .filter(|r| r.kind == smp_design::RegionKind::Treat)
            .map(|r| r.area_cm2)
            .sum();
        assert!(treat > 0.0, "a norwood-4 head has bald scalp to treat");
        assert_eq!(f["treated_cm2"].as_f64().unwrap(), (treat * 10.0).round() / 10.0, "{b}");
        let summary = f["summary"].as_str().unwrap();
        assert!(summary.starts_with(&format!("Bald area {treat:.0} cm² treated")), "{b}: {summary}");
        // The fitted design has other dots than the template.
        let dots = |d: serde_json::Value| {
            let s = &s;
            async move {
                s.post_json("/api/v1/dots", &json!({"design": d, "view": "top"}))
                    .await
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()["count"]
                    .as_u64()
                    .unwrap()
            }
        };
        assert_ne!(dots(value.clone()).await, dots(f["design"].clone()).await, "{b}");
        // A second fit reuses the stored reading and gives the same areas.
        let again: serde_json::Value = s
            .post_json("/api/v1/fit", &json!({"design": f["design"], "view": "top"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(again["analysed"], false, "{b}");
        assert_eq!(again["treated_cm2"], f["treated_cm2"], "{b}");
        // Marked points make it read the photo again, and they are kept with the reading.
        let seeded: serde_json::Value = s
            .post_json(
                "/api/v1/fit",
                &json!({"design": f["design"], "view": "top", "seeds": {"hair_px": [[20, 20]], "scalp_px": [[160, 150]]}}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(seeded["analysed"], true, "{b}: {seeded}");
        assert!(seeded["design"]["views"][0]["analysis"].to_string().contains("160"), "{b}");
        // The overlay: the photo's size, tinted (not the photo itself).
        let r = s.post_json("/api/v1/overlay", &json!({"design": f["design"], "view": "top"})).await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let img = image::load_from_memory(&r.bytes().await.unwrap()).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), photo.dimensions());
        assert_ne!(img, photo, "{b}");
        // Plain errors: an uncalibrated design, an implausible hairline.
        let mut bare = value.clone();
        bare["views"] = json!([]);
        let r = s.post_json("/api/v1/fit", &json!({"design": bare, "view": "top"})).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            r.json::<serde_json::Value>().await.unwrap()["error"]
                .as_str()
                .unwrap()
                .contains("calibrate")
        );
        let r = s
            .post_json("/api/v1/fit", &json!({"design": value, "view": "top", "hairline_mm": 150}))
            .await;
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["field"], "hairline_mm", "{b}");
        // Another clinic reaches neither A's photo nor its reading.
        app.user("Zeta", "owner@zeta.test", Role::Owner).await;
        let z = app.login("owner@zeta.test").await;
        for path in ["/api/v1/fit", "/api/v1/overlay"] {
            let r = z.post_json(path, &json!({"design": f["design"], "view": "top"})).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{b}: {path} from another clinic");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calibration_by_the_pupils() {
    for app in spawn_apps("http-pupils").await {
        let b = app.db.backend;
        let (s, client, _, _, _) = clinic_a(&app).await;
        let (png, head) = common::synth::head(smp_synth::SynthView::Front, 640);
        let r = s.upload(client, "front", png, "front.png").await;
        assert_eq!(r.status(), StatusCode::CREATED, "{b}");
        let photo_id = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
        let design: serde_json::Value = serde_json::from_str(&head.design.to_json()).unwrap();
        let truth = head.pupils_px.unwrap();
        // Clicks a few pixels off the true centres.
        let clicks = [[truth[0][0] + 3.0, truth[0][1] - 2.0], [truth[1][0] - 2.0, truth[1][1] + 3.0]];
        let true_d = (truth[0][0] - truth[1][0]).hypot(truth[0][1] - truth[1][1]);
        let body = |ipd: Option<f64>| {
            let mut v = json!({"design": design, "view": "front", "photo_id": photo_id, "pupils_px": clicks, "ref_px": [320, 200]});
            if let Some(d) = ipd {
                v["ipd_mm"] = json!(d);
            }
            v
        };
        let r: serde_json::Value = s
            .post_json("/api/v1/calibrate", &body(Some(head.ipd_mm)))
            .await
            .json()
            .await
            .unwrap();
        let ppm = view_px_per_mm(&r["design"]);
        assert!(
            (ppm / (true_d / head.ipd_mm) - 1.0).abs() < 0.02,
            "{b}: {ppm} px/mm from the measured IPD; {r}"
        );
        assert_eq!(r["pupils"]["assumed"], false);
        let r: serde_json::Value = s.post_json("/api/v1/calibrate", &body(None)).await.json().await.unwrap();
        assert_eq!(r["pupils"]["ipd_mm"], 63.0, "{b}");
        assert_eq!(r["pupils"]["assumed"], true);
        let note = r["pupils"]["note"].as_str().unwrap();
        assert!(note.contains("8 %") && note.contains("calibration card"), "{b}: {note}");
        // Clicks on the forehead find no pupil: a plain message, no coordinates.
        let mut far = body(None);
        far["pupils_px"] = json!([[200, 40], [440, 40]]);
        let r = s.post_json("/api/v1/calibrate", &far).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let e: serde_json::Value = r.json().await.unwrap();
        assert!(e["error"].as_str().unwrap().contains("pupil"), "{b}: {e}");
        // Neither a ruler nor pupils: says what to give.
        let r = s
            .post_json(
                "/api/v1/calibrate",
                &json!({"design": design, "view": "front", "photo_id": photo_id, "ref_px": [5, 5]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    }
}

/// Issue 14: every route that reads a client's medical data (API and pages) writes
/// exactly one audit entry per call, and security events are audited too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_medical_read_is_audited_once() {
    for app in spawn_apps("http-audit-reads").await {
        let b = app.db.backend;
        let (s, client, photo, design, design_json) = clinic_a(&app).await;
        let clinic = app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
        ready(&app, client).await;
        let count = || async { app.store.audit_log(clinic).await.unwrap().len() };
        let gets = [
            "/api/v1/clients".to_string(),
            format!("/api/v1/clients/{client}"),
            format!("/api/v1/clients/{client}/photos"),
            format!("/api/v1/clients/{client}/designs"),
            format!("/api/v1/photos/{photo}"),
            format!("/api/v1/photos/{photo}/image"),
            format!("/api/v1/designs/{design}"),
            format!("/api/v1/designs/{design}/versions"),
            format!("/api/v1/designs/{design}/versions/1"),
            format!("/api/v1/designs/{design}/plan"),
            format!("/api/v1/clients/{client}/sessions"),
            format!("/api/v1/clients/{client}/adverse-events"),
            format!("/clients/{client}"),
            format!("/photos/{photo}/image"),
            format!("/designs/{design}/edit"),
            format!("/designs/{design}/versions/1/preview.png"),
            format!("/designs/{design}/plan"),
            format!("/designs/{design}/report.pdf"),
            format!("/clients/{client}/export.zip"),
        ];
        for path in &gets {
            let before = count().await;
            let r = s.get(path).await;
            assert!(r.status().is_success(), "{b}: GET {path}: {}", r.status());
            assert_eq!(count().await - before, 1, "{b}: GET {path} writes one audit entry");
        }
        let posts = [
            (
                "/api/v1/preview",
                json!({"design": design_json, "view": "top", "state": "healed", "max_width_px": 300}),
            ),
            (
                "/api/v1/color/match",
                json!({"design": design_json, "view": "top", "skin_lab": [60.0, 12.0, 16.0], "hair_lab": [25.0, 3.0, 5.0]}),
            ),
        ];
        for (path, body) in &posts {
            let before = count().await;
            let r = s.post_json(path, body).await;
            assert!(r.status().is_success(), "{b}: POST {path}: {}", r.status());
            assert_eq!(count().await - before, 1, "{b}: POST {path} writes one audit entry");
        }
        // Security events: a login, a failed one, a user added, a reset.
        let before = app.store.audit_log(clinic).await.unwrap();
        app.user("Alpha", "p@alpha.test", Role::Practitioner).await;
        app.login("p@alpha.test").await;
        let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let csrf = login_csrf(&http.get(format!("{}/login", app.base)).send().await.unwrap());
        http.post(format!("{}/login", app.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("email", "p@alpha.test"),
                ("password", "not the password"),
            ])
            .send()
            .await
            .unwrap();
        let r = s
            .http
            .post(format!("{}/users", s.base))
            .form(&[("_csrf", s.csrf.as_str()), ("email", "new@alpha.test"), ("role", "front-desk")])
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{b}: {}", r.status());
        let after = app.store.audit_log(clinic).await.unwrap();
        let actions: Vec<&str> = after[before.len()..].iter().map(|e| e.action.as_str()).collect();
        for want in ["login", "login-failed", "create"] {
            assert!(actions.contains(&want), "{b}: {want} not in {actions:?}");
        }
    }
}

/// Issue 15: what a practitioner reads carries no command lines, file names or API
/// calls, counts agree with their nouns, and the browser's icon is found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_speak_the_users_words() {
    for app in spawn_apps("http-words").await {
        let b = app.db.backend;
        let (s, client, _photo, design, _) = clinic_a(&app).await;
        for path in [
            "/clients".to_string(),
            format!("/clients/{client}"),
            format!("/designs/{design}/edit"),
            format!("/designs/{design}/plan"),
            "/outcomes".into(),
            "/lots".into(),
            "/settings".into(),
            "/appointments".into(),
        ] {
            let page = s.get(&path).await.text().await.unwrap();
            for word in [
                "smp stubble",
                "smp mask",
                "smp calibrate",
                "domain.md",
                "seed article",
                "GET /api",
                "--hair",
                " 1 sessions",
                " 1 adverse events",
            ] {
                assert!(!page.contains(word), "{b}: {path} says {word:?}");
            }
        }
        // The owner sets the idle logout (issue 14): shown, stored, bounded.
        let clinic = app.store.clinic_by_name("Alpha").await.unwrap().unwrap().id;
        assert!(
            s.get("/settings").await.text().await.unwrap().contains("unused for 15 minutes"),
            "{b}"
        );
        let post = |m: &str| {
            s.http
                .post(format!("{}/settings/idle", s.base))
                .form(&[("_csrf", s.csrf.clone()), ("minutes", m.to_string())])
                .send()
        };
        assert_eq!(post("30").await.unwrap().status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(app.store.idle_minutes(clinic).await.unwrap(), 30, "{b}");
        assert_eq!(post("1").await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(app.store.idle_minutes(clinic).await.unwrap(), 30, "{b}");
        // A mistyped field is named, not its value (it once answered field "123").
        let r = s.post_json("/api/v1/clients", &json!({"name": 123})).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["field"], "name", "{b}");
        let r = s.get("/favicon.ico").await;
        assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT, "{b}");
        let r = s.get("/static/favicon.svg").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "image/svg+xml");
    }
}

/// Issue 14: a stored photo keeps no EXIF (camera, time, GPS): it is an upright, clean
/// copy, so a photo shared on the public page leaks nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_photos_carry_no_metadata() {
    for app in spawn_apps("http-exif").await {
        let b = app.db.backend;
        let (s, client, _, _, _) = clinic_a(&app).await;
        let img = image::RgbImage::from_fn(120, 80, |x, y| image::Rgb([(x * 2) as u8, (y * 3) as u8, 90]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&img)
            .unwrap();
        // An APP1 EXIF segment: orientation 6 (turn 90° clockwise) and a GPS-like text.
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&0x0112u16.to_le_bytes());
        tiff.extend_from_slice(&3u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&6u16.to_le_bytes());
        tiff.extend_from_slice(&[0, 0]);
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(b"GPS 51.5007N 0.1246W Pixel 7 Pro");
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut upload = jpeg[..2].to_vec();
        upload.extend_from_slice(&[0xFF, 0xE1]);
        upload.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        upload.extend_from_slice(&app1);
        upload.extend_from_slice(&jpeg[2..]);
        let r = s.upload(client, "front", upload, "phone.jpg").await;
        assert_eq!(r.status(), StatusCode::CREATED, "{b}");
        let p: serde_json::Value = r.json().await.unwrap();
        assert_eq!(
            (p["width_px"].as_i64(), p["height_px"].as_i64()),
            (Some(80), Some(120)),
            "{b}: upright"
        );
        let stored = s.get(&format!("/api/v1/photos/{}/image", p["id"])).await.bytes().await.unwrap();
        let has = |needle: &[u8]| stored.windows(needle.len()).any(|w| w == needle);
        assert!(!has(b"Exif") && !has(b"GPS") && !has(b"Pixel 7"), "{b}: metadata kept");
        let back = image::load_from_memory(&stored).unwrap();
        assert_eq!(
            (back.width(), back.height()),
            (80, 120),
            "{b}: stored upright, no tag left to apply twice"
        );
    }
}

/// Issue 15: a design no session was done from and a photo no design is drawn on can be
/// deleted (the page asks first); what a record depends on is refused in words, on a page
/// that leads back to the client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn designs_and_photos_delete_unless_a_record_needs_them() {
    for app in spawn_apps("http-delete").await {
        let b = app.db.backend;
        let (s, client, photo, design, _) = clinic_a(&app).await;
        let post = |path: String| {
            let (http, url, csrf) = (s.http.clone(), format!("{}{path}", s.base), s.csrf.clone());
            async move { http.post(url).form(&[("_csrf", csrf)]).send().await.unwrap() }
        };
        let page = s.get(&format!("/clients/{client}")).await.text().await.unwrap();
        assert!(
            page.contains(&format!("action=\"/designs/{design}/delete\"")) && page.contains("data-confirm=\"Delete the design D1"),
            "{b}: delete asks first"
        );
        // The photo carries a design: refused, with the way back.
        let r = post(format!("/photos/{photo}/delete")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let text = r.text().await.unwrap();
        assert!(
            text.contains("1 design is drawn on this photo: delete it first")
                && text.contains(&format!("href=\"/clients/{client}\" id=back")),
            "{b}: {text}"
        );
        // A design a session was done from stays.
        let r = s
            .post_json(
                &format!("/api/v1/clients/{client}/designs"),
                &json!({"name": "D2", "pattern": "norwood-3"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{b}");
        let design2 = r.json::<serde_json::Value>().await.unwrap()["design_id"].as_i64().unwrap();
        ready(&app, client).await;
        let lot = |kind: &str, n: &str| json!({"kind": kind, "product": format!("{kind} P"), "lot_number": n, "expires_on": "2099-01-01"});
        let pig: serde_json::Value = s.post_json("/api/v1/lots", &lot("pigment", "P-1")).await.json().await.unwrap();
        let needle: serde_json::Value = s.post_json("/api/v1/lots", &lot("needle", "N-1")).await.json().await.unwrap();
        let r = s
            .post_json(
                &format!("/api/v1/clients/{client}/sessions"),
                &json!({"performed_on": "2026-11-20", "design_id": design2, "design_session": 1, "impressions": 5, "needle_lot_id": needle["id"], "pigment_lot_id": pig["id"]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{b}: {}", r.text().await.unwrap());
        let r = post(format!("/designs/{design2}/delete")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.text().await.unwrap().contains("1 recorded session was done from it"), "{b}");
        // The design on the photo goes, then the photo; both are audited.
        assert_eq!(
            post(format!("/designs/{design}/delete")).await.status(),
            StatusCode::SEE_OTHER,
            "{b}"
        );
        assert_eq!(
            s.get(&format!("/api/v1/designs/{design}")).await.status(),
            StatusCode::NOT_FOUND,
            "{b}"
        );
        assert_eq!(post(format!("/photos/{photo}/delete")).await.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            s.get(&format!("/photos/{photo}/image")).await.status(),
            StatusCode::NOT_FOUND,
            "{b}"
        );
        let audit: serde_json::Value = s.get("/api/v1/audit").await.json().await.unwrap();
        let deleted = audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "delete")
            .count();
        assert_eq!(deleted, 2, "{b}");
        // Another clinic cannot delete A's records.
        app.user("Beta", "owner@beta.test", Role::Owner).await;
        let other = app.login("owner@beta.test").await;
        let r = other
            .http
            .post(format!("{}/designs/{design2}/delete", other.base))
            .form(&[("_csrf", other.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{b}");
    }
}
