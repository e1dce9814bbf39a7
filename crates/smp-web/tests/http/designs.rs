//! Designs and photos: versions and conflicts, uploads, dots, previews, the plan, fitting, pupils, stored photos and deletion.

use super::*;

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
        let e = r.json::<serde_json::Value>().await.unwrap();
        assert_eq!(e["field"], "regions[0].density_per_cm2", "{b}");
        // Each problem by field, its message without the path (the editor puts it beside the input).
        bad["regions"][0]["dot_diameter_mm"] = json!(7);
        let e: serde_json::Value = s
            .post_json("/api/v1/dots", &json!({"design": bad, "view": "top"}))
            .await
            .json()
            .await
            .unwrap();
        let problems = e["problems"].as_array().unwrap_or_else(|| panic!("{b}: {e}"));
        let fields: Vec<&str> = problems.iter().map(|p| p["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["regions[0].density_per_cm2", "regions[0].dot_diameter_mm"], "{b}: {e}");
        for p in problems {
            let m = p["message"].as_str().unwrap();
            assert!(!m.contains("regions[") && m.len() > 20, "{b}: {m}");
        }
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
        // Asked for gzip (as browsers do), the dots come compressed and decode to the same
        // answer; pages, which carry the form tokens, never come compressed (BREACH).
        let r = s
            .http
            .post(format!("{}/api/v1/dots", s.base))
            .header("X-CSRF-Token", &s.csrf)
            .header("Accept-Encoding", "gzip")
            .json(&json!({"design": v2["design"], "view": "top", "upto": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.headers().get("content-encoding").map(|v| v.to_str().unwrap()),
            Some("gzip"),
            "{b}"
        );
        let packed = r.bytes().await.unwrap();
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&packed[..]), &mut plain).unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(&plain).unwrap(), d, "{b}");
        assert!(
            packed.len() * 2 < plain.len(),
            "{b}: gzip {} of {} bytes",
            packed.len(),
            plain.len()
        );
        let page = s
            .http
            .get(format!("{}/clients", s.base))
            .header("Accept-Encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert!(page.headers().get("content-encoding").is_none(), "{b}: a page came compressed");
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
        // Sent in a loop, such megabyte bodies are slowed per login: a burst (the one
        // above was its first), then each held for its turn, one every two seconds, and
        // past four seconds of backlog refused with 429 after a pause of its own.
        for _ in 0..3 {
            let r = s.post_json("/api/v1/dots", &json!({"design": huge, "view": "top"})).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        }
        let body = json!({"design": huge, "view": "top"});
        let timed = || async {
            let t = std::time::Instant::now();
            let r = s.post_json("/api/v1/dots", &body).await;
            (r.status(), t.elapsed().as_secs_f64())
        };
        let (a, c, d) = tokio::join!(timed(), timed(), timed());
        let mut answers = [a, c, d];
        answers.sort_by(|x, y| x.1.total_cmp(&y.1));
        let mut sorted: Vec<StatusCode> = answers.iter().map(|a| a.0).collect();
        sorted.sort();
        assert_eq!(
            sorted,
            [
                StatusCode::UNPROCESSABLE_ENTITY,
                StatusCode::UNPROCESSABLE_ENTITY,
                StatusCode::TOO_MANY_REQUESTS
            ],
            "{b}: {answers:?}"
        );
        // None was answered before its turn. The turns come every 2 s, less what the burst
        // itself took (tokens refill meanwhile): the first held one waits 1–2 s, the second
        // 3–4 s; the refusal comes after its fixed 4 s pause.
        assert!(
            answers[0].1 >= 1.0 && answers[1].1 >= 3.0 && answers[2].1 >= 3.9,
            "{b}: {answers:?}"
        );
        // A form or JSON body over 4 MB is refused on its headers.
        let (status, text) = common::status_of_declared_body(&s.base, "/api/v1/clients", 5 << 20, "application/json").await;
        assert_eq!(status, 413, "{b}: {text}");
        assert!(text.contains("forms and designs may be 4 MB"), "{b}: {text}");
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
            page.contains(&smp_plan::words::count(engine.dots.len() as u64)),
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
        assert!(!summary.contains("outline was found"), "{b}: the view had its outline: {summary}");
        // As a new upload, without a head outline: the fit finds one and says so.
        let mut headless = value.clone();
        headless["views"][0].as_object_mut().unwrap().remove("head");
        let r = s.post_json("/api/v1/fit", &json!({"design": headless, "view": "top"})).await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let g: serde_json::Value = r.json().await.unwrap();
        let found = &g["design"]["views"][0]["head"];
        let want = &value["views"][0]["head"];
        let near = |k: &str, i: usize| (found[k][i].as_f64().unwrap() / want[k][i].as_f64().unwrap() - 1.0).abs() < 0.15;
        assert!(
            near("center_px", 0) && near("center_px", 1) && near("radii_px", 0) && near("radii_px", 1),
            "{b}: found {found}, true {want}"
        );
        assert!(
            g["summary"].as_str().unwrap().contains("outline was found from the photo"),
            "{b}: {}",
            g["summary"]
        );
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
        // Dots that land off the head or off the photo are warned about; a fitted
        // design's are not. Laid flat (no head outline), a region far wider than the
        // head spills onto the backdrop and past the photo's edges.
        let lint_codes = |d: serde_json::Value| {
            let s = &s;
            async move {
                let j: serde_json::Value = s
                    .post_json("/api/v1/dots", &json!({"design": d, "view": "top"}))
                    .await
                    .json()
                    .await
                    .unwrap();
                j["lint"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| (w["code"].as_str().unwrap().to_string(), w["message"].as_str().unwrap().to_string()))
                    .collect::<Vec<_>>()
            }
        };
        let fitted = lint_codes(f["design"].clone()).await;
        assert!(!fitted.iter().any(|(c, _)| c.starts_with("dots-off")), "{b}: {fitted:?}");
        let mut spill = f["design"].clone();
        spill["views"][0]["head"] = serde_json::Value::Null;
        spill["regions"].as_array_mut().unwrap().push(json!({
            "name": "everywhere", "kind": "treat", "density_per_cm2": 20, "dot_diameter_mm": 0.25, "shade": 0.8,
            "polygon": [[-220.0, -150.0], [220.0, -150.0], [220.0, 420.0], [-220.0, 420.0]]
        }));
        let warned = lint_codes(spill).await;
        for code in ["dots-off-head", "dots-off-photo"] {
            let w = warned
                .iter()
                .find(|(c, _)| c == code)
                .unwrap_or_else(|| panic!("{b}: no {code} in {warned:?}"));
            assert!(w.1.contains(" dots fall "), "{b}: {}", w.1);
        }
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

/// The owner sets the clinic's own prices, rate and spacing in Settings; the plan page
/// quotes with them and dates the sessions from a chosen first day. Wrong values are
/// refused with what was wrong.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clinic_prices_and_a_dated_plan() {
    for app in spawn_apps("http-prices").await {
        let b = app.db.backend;
        let (s, _, _, design, _) = clinic_a(&app).await;
        let prices = |min: &str, max: &str| {
            vec![
                ("_csrf", s.csrf.clone()),
                ("currency", "eur".into()),
                ("basis", "session".into()),
                ("base_fee", "0".into()),
                ("price_min", min.into()),
                ("price_max", max.into()),
                ("touch_up_min", "100".into()),
                ("touch_up_max", "150".into()),
                ("rate_per_min", "50".into()),
                ("spacing_days", "14".into()),
            ]
        };
        let post = |form: Vec<(&'static str, String)>| s.http.post(format!("{}/settings/prices", s.base)).form(&form).send();
        let r = post(prices("500", "100")).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.text().await.unwrap().contains("price"), "{b}: says which value is wrong");
        let r = post(prices("300", "400")).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{b}");
        let settings = s.get("/settings").await.text().await.unwrap();
        assert!(settings.contains("in EUR") && settings.contains("value=\"14\""), "{b}");

        let page = s
            .get(&format!("/designs/{design}/plan?start=2027-01-04"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("3 sessions × €300.00–€400.00 per session") && page.contains("<th>€900 – €1,200</th>"),
            "{b}: per session, in the clinic's currency: {page}"
        );
        assert!(
            page.contains("2027-01-04") && page.contains("2027-01-18"),
            "{b}: sessions 14 days apart from the start"
        );
        assert!(page.contains("sessions 14 days apart"), "{b}");
        let r = s.get(&format!("/designs/{design}/plan?start=2027-02-31")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(r.text().await.unwrap().contains("first session"), "{b}");
    }
}
