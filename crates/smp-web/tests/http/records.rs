//! Clinical records: lots, sessions, outcomes, the audit log, GDPR export and erasure, consent, screening, bookings, calendar feeds and the public page.

use super::*;

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
            .add_patch_test(
                clinic_id,
                smp_store::ClientId(client),
                smp_store::LotId(ink),
                "2026-11-19",
                "negative",
            )
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
        let follow = app
            .store
            .list_follow_ups(clinic_id, Some(smp_store::ClientId(client)))
            .await
            .unwrap();
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
            client_id: smp_store::ClientId(client),
            practitioner_id: smp_store::UserId(me["user"]["id"].as_i64().unwrap()),
            kind: smp_store::AppointmentKind::Consultation,
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
                .all(|a| a.client_id != smp_store::ClientId(client)),
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
        let sign = |doc: smp_store::ConsentDocumentId, sha: &str| {
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
        let sigs = store.consent_signatures(clinic, smp_store::ClientId(client)).await.unwrap();
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
            store.patch_tests(clinic, smp_store::ClientId(client)).await.unwrap().len(),
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
        let moving = |id: smp_store::AppointmentId, at: &str| {
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
        let left: Vec<smp_store::AppointmentId> = store.list_appointments(clinic, "0").await.unwrap().iter().map(|a| a.id).collect();
        assert_eq!(left, [consult], "{b}: the cancelled one is gone");
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
