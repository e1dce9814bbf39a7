//! Tenant isolation of every API route, the permission matrix and the OpenAPI document.

use super::*;

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
        // … and their tabs: the desk's record has details and appointments only.
        for (tab, shown) in [
            ("tab-link-details", true),
            ("tab-link-appointments", true),
            ("tab-link-photos", false),
            ("tab-link-screening", false),
            ("tab-link-sessions", false),
            ("tab-link-aftercare", false),
        ] {
            assert_eq!(page.contains(tab), shown, "{b}: {tab} on the desk's client page");
        }
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
