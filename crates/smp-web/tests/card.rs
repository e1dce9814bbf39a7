//! Calibration by the printed card through the web app: the card's PDF is served, a
//! photo with the card held beside the head calibrates the view (scale and colour), and
//! a photo without one is refused with the reason.

mod common;

use common::spawn_apps;
use reqwest::StatusCode;
use serde_json::json;
use smp_store::Role;
use smp_synth::card::CardShot;
use smp_synth::{HairLook, Shot, SynthParams, SynthView, photo_px_per_mm, synth_shot};

/// A top view 700 px wide with the card held beside the head under a cool cast, as PNG.
fn head_with_card(card: bool) -> (Vec<u8>, smp_synth::SynthHead) {
    let head = common::synth::top_with_card("norwood-5", 3, 21, 700, card.then_some([12.0, 15.0, 30.0]), [0.85, 1.0, 1.2], 0.3);
    let mut png = Vec::new();
    head.image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    (png, head)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_card_calibrates_a_view() {
    for app in spawn_apps("http-card").await {
        let b = app.db.backend;
        app.user("Alpha", "owner@alpha.test", Role::Owner).await;
        let s = app.login("owner@alpha.test").await;
        let r = s.get("/calibration-card.pdf?paper=a6").await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
        let r = s.post_json("/api/v1/clients", &json!({"name": "Cara Card"})).await;
        let client = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
        for card in [true, false] {
            let (png, head) = head_with_card(card);
            let r = s.upload(client, "top", png, "top.png").await;
            assert_eq!(r.status(), StatusCode::CREATED, "{b}");
            let photo_id = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
            let design: serde_json::Value = serde_json::from_str(&head.design.to_json()).unwrap();
            let body = json!({"design": design, "view": "top", "photo_id": photo_id, "card": true, "ref_px": [350, 200]});
            let r = s.post_json("/api/v1/calibrate", &body).await;
            if !card {
                assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
                let e: serde_json::Value = r.json().await.unwrap();
                assert_eq!(e["field"], "card", "{b}: {e}");
                assert!(e["error"].as_str().unwrap().contains("no calibration card was found"), "{b}: {e}");
                continue;
            }
            assert_eq!(r.status(), StatusCode::OK, "{b}");
            let j: serde_json::Value = r.json().await.unwrap();
            let ppm = j["card"]["px_per_mm"].as_f64().unwrap();
            assert!(
                (ppm / head.px_per_mm - 1.0).abs() < 0.02,
                "{b}: {ppm} px/mm against {}",
                head.px_per_mm
            );
            let view = &j["design"]["views"][0];
            assert_eq!(view["card"]["px_per_mm"], j["card"]["px_per_mm"], "{b}: the view keeps its card");
            assert_eq!(view["card"]["colour_curves"].as_array().unwrap().len(), 3);
            let m: Vec<f64> = view["mm_to_px"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            assert!(
                ((m[0] * m[4] - m[1] * m[3]).abs().sqrt() / ppm - 1.0).abs() < 1e-6,
                "{b}: the view's scale is the card's"
            );
        }
    }
}

/// The demo clients' pigment match from a top photo under a warm room light, sampled as
/// the camera recorded it and through the card held in the photo: the healed colour the
/// match predicts against each client's true stubble-tip colour. Prints the figures (the
/// closing note quotes them); asserts only that the card does not make it worse on the
/// whole.
#[test]
#[ignore = "figures for the notes: cargo test -p smp-web --test card demo -- --include-ignored --nocapture"]
fn demo_clients_matched_through_the_card() {
    use smp_color::delta_e::delta_e00;
    use smp_color::pigments::PigmentLibrary;
    use smp_color::srgb::{linear_to_lab, rgb8_to_linear};
    use smp_photo::matching::{GivenColours, match_on_photo};

    let library = PigmentLibrary::builtin();
    let (mut plain_sum, mut card_sum) = (0.0, 0.0);
    for (name, pattern, skin, hair) in smp_web::demo::CLIENTS {
        let params = SynthParams {
            pattern: pattern.parse().unwrap(),
            view: SynthView::Top,
            skin_type: *skin,
            hair_level: *hair,
            scar: None,
            seed: 3,
            width_px: 1200,
        };
        let ppm = photo_px_per_mm(&params);
        let print = smp_report::card::card_print(2.0 * ppm).unwrap();
        let shot = Shot {
            card: Some(CardShot {
                rotation_deg: 5.0,
                tilt_deg: 10.0,
                ..CardShot::beside_head(&print, params.width_px, ppm)
            }),
            cast: [1.15, 1.0, 0.8],
            exposure_ev: 0.0,
            chart: None,
        };
        let head = synth_shot(&params, &HairLook::default(), &shot, "photo.png").unwrap();
        let truth = linear_to_lab(rgb8_to_linear(head.hair_rgb));
        let view = head.design.views()[0].clone();
        let plain = match_on_photo(&head.design, &view, &head.image, GivenColours::default(), &library).unwrap();
        let mut with_card = view.clone();
        with_card.card = Some(smp_web::engine::find_card(&head.image).unwrap());
        let card = match_on_photo(&head.design, &with_card, &head.image, GivenColours::default(), &library).unwrap();
        // The floor: the match made with the true colours, as a close-up measures them.
        let given = GivenColours {
            skin_lab: Some(linear_to_lab(rgb8_to_linear(head.skin_rgb))),
            hair_lab: Some(truth),
        };
        let known = match_on_photo(&head.design, &view, &head.image, given, &library).unwrap();
        let (d_plain, d_card, d_known) = (
            delta_e00(plain.matched.predicted_lab, truth),
            delta_e00(card.matched.predicted_lab, truth),
            delta_e00(known.matched.predicted_lab, truth),
        );
        println!(
            "{name} ({pattern}, skin {skin}, hair {hair}): photo sampling {} 1:{} → ΔE00 {d_plain:.1} from the true tips; through the card {} 1:{} → {d_card:.1}; with the true colours {} 1:{} → {d_known:.1}",
            plain.matched.pigment,
            plain.matched.dilution,
            card.matched.pigment,
            card.matched.dilution,
            known.matched.pigment,
            known.matched.dilution
        );
        plain_sum += d_plain;
        card_sum += d_card;
    }
    assert!(
        card_sum <= plain_sum + 1.0,
        "through the card {card_sum:.1} against {plain_sum:.1} in all"
    );
}

/// Guided capture's upload (`check=1`): a blurred frame is refused with its message and
/// not kept; a sharp one with the card is kept with its checks and the card's scale; a
/// plain upload keeps a blurred photo but says so. The capture page shows the view's
/// last photo as the ghost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn captured_photos_are_checked_on_the_spot() {
    for app in spawn_apps("http-capture").await {
        let b = app.db.backend;
        app.user("Alpha", "owner@alpha.test", Role::Owner).await;
        let s = app.login("owner@alpha.test").await;
        let r = s.post_json("/api/v1/clients", &json!({"name": "Cami Capture"})).await;
        let client = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
        let (sharp, head) = head_with_card(true);
        let blurred = {
            let img = image::imageops::blur(&head.image, 5.0);
            let mut png = Vec::new();
            img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
            png
        };
        let send = |bytes: Vec<u8>, check: bool| {
            let mut form = reqwest::multipart::Form::new()
                .text("view", "top")
                .text("taken_on", "2026-12-07")
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name("top.png"));
            if check {
                form = form.text("check", "1");
            }
            s.http
                .post(format!("{}/api/v1/clients/{client}/photos", s.base))
                .header("X-CSRF-Token", &s.csrf)
                .multipart(form)
                .send()
        };
        let r = send(blurred.clone(), true).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let e: serde_json::Value = r.json().await.unwrap();
        assert!(
            e["error"].as_str().unwrap().contains("blurred") && e["error"].as_str().unwrap().contains("retake"),
            "{b}: {e}"
        );
        let listed: serde_json::Value = s.get(&format!("/api/v1/clients/{client}/photos")).await.json().await.unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 0, "{b}: the refused frame is not kept");
        let r = send(sharp, true).await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{b}");
        let kept: serde_json::Value = r.json().await.unwrap();
        let ppm = kept["card_px_per_mm"].as_f64().unwrap();
        assert!((ppm / head.px_per_mm - 1.0).abs() < 0.02, "{b}: {kept}");
        let checks = kept["checks"].as_array().unwrap();
        for name in ["sharpness", "exposure", "colour", "card"] {
            let c = checks
                .iter()
                .find(|c| c["check"] == name)
                .unwrap_or_else(|| panic!("{b}: no {name} check"));
            assert_eq!(c["ok"], true, "{b}: {c}");
        }
        let r = send(blurred, false).await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{b}: a plain upload keeps it");
        let soft: serde_json::Value = r.json().await.unwrap();
        let sharpness = soft["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "sharpness")
            .unwrap()
            .clone();
        assert_eq!(sharpness["ok"], false, "{b}: {sharpness}");
        // The capture page: the top view's ghost is its latest photo.
        let page = s.get(&format!("/clients/{client}/capture")).await.text().await.unwrap();
        assert!(
            page.contains(&format!("data-ghost=\"/photos/{}/image\"", soft["id"])),
            "{b}: the latest top photo as the ghost"
        );
        assert!(page.contains("calibration-card.pdf"), "{b}");
    }
}

/// Progress: two visits' top photos framed differently (the second nearer and off to one
/// side), each calibrated in a design; the later one comes back lined up with the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_lines_up_two_visits() {
    for app in spawn_apps("http-progress").await {
        let b = app.db.backend;
        app.user("Alpha", "owner@alpha.test", Role::Owner).await;
        let s = app.login("owner@alpha.test").await;
        let r = s.post_json("/api/v1/clients", &json!({"name": "Pat Progress"})).await;
        let client = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
        let (_, head) = head_with_card(false);
        let first = head.image.clone();
        // The second visit: 15 % nearer, 40 px to the right and 30 px down.
        let (k, dx, dy) = (1.15, 40.0, 30.0);
        let second = image::RgbImage::from_fn(first.width(), first.height(), |x, y| {
            let (sx, sy) = ((f64::from(x) - dx) / k, (f64::from(y) - dy) / k);
            if sx < 0.0 || sy < 0.0 || sx >= f64::from(first.width() - 1) || sy >= f64::from(first.height() - 1) {
                image::Rgb([0, 0, 0])
            } else {
                *first.get_pixel(sx as u32, sy as u32)
            }
        });
        let map = head.design.views()[0].mm_to_px.0;
        let second_map = [k * map[0], k * map[1], k * map[2] + dx, k * map[3], k * map[4], k * map[5] + dy];
        let (mut ids, mut designs) = (Vec::new(), Vec::new());
        for (img, date, m) in [(&first, "2026-09-01", map), (&second, "2026-12-01", second_map)] {
            let mut png = Vec::new();
            img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
            let form = reqwest::multipart::Form::new()
                .text("view", "top")
                .text("taken_on", date)
                .part("file", reqwest::multipart::Part::bytes(png).file_name("top.png"));
            let r = s
                .http
                .post(format!("{}/api/v1/clients/{client}/photos", s.base))
                .header("X-CSRF-Token", &s.csrf)
                .multipart(form)
                .send()
                .await
                .unwrap();
            let photo: serde_json::Value = r.json().await.unwrap();
            let mut design: serde_json::Value = serde_json::from_str(&head.design.to_json()).unwrap();
            design["views"][0]["file"] = json!(format!("sha256:{}", photo["sha256"].as_str().unwrap()));
            design["views"][0]["mm_to_px"] = json!(m);
            let r = s
                .post_json(
                    &format!("/api/v1/clients/{client}/designs"),
                    &json!({"name": format!("visit {date}"), "photo_id": photo["id"], "design": design}),
                )
                .await;
            assert_eq!(r.status(), StatusCode::CREATED, "{b}: {}", r.text().await.unwrap());
            designs.push(r.json::<serde_json::Value>().await.unwrap()["design_id"].as_i64().unwrap());
            ids.push(photo["id"].as_i64().unwrap());
        }
        // The report of the later design shows both visits, lined up by the head.
        let r = s.get(&format!("/api/v1/designs/{}/report.pdf", designs[1])).await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let path = std::env::temp_dir().join(format!("smp-progress-report-{b}-{}.pdf", std::process::id()));
        std::fs::write(&path, r.bytes().await.unwrap()).unwrap();
        match std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
            Ok(out) => {
                let text = String::from_utf8_lossy(&out.stdout)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                for want in [
                    "Your progress",
                    "earlier: 2026-09-01",
                    "later: 2026-12-01",
                    "Lined up by the head's calibration",
                ] {
                    assert!(text.contains(want), "{b}: the report lacks {want:?}");
                }
            }
            Err(e) => assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true needs pdftotext: {e}"),
        }
        let page = s.get(&format!("/clients/{client}/progress?view=top")).await.text().await.unwrap();
        assert!(page.contains("Lined up by the head"), "{b}: {page}");
        let r = s
            .get(&format!(
                "/clients/{client}/progress/aligned.png?view=top&a={}&b={}",
                ids[0], ids[1]
            ))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{b}");
        let aligned = image::load_from_memory(&r.bytes().await.unwrap()).unwrap().to_rgb8();
        // Mean difference from the first visit over the middle of the frame: small when
        // lined up, large for the second photo as taken.
        let diff = |img: &image::RgbImage| {
            let (w, h) = (first.width(), first.height());
            let (mut sum, mut n) = (0f64, 0f64);
            for y in h / 4..3 * h / 4 {
                for x in w / 4..3 * w / 4 {
                    let (p, q) = (first.get_pixel(x, y).0, img.get_pixel(x, y).0);
                    sum += (0..3).map(|c| (f64::from(p[c]) - f64::from(q[c])).abs()).sum::<f64>() / 3.0;
                    n += 1.0;
                }
            }
            sum / n
        };
        let (lined, raw) = (diff(&aligned), diff(&second));
        assert!(
            lined < 4.0 && raw > 3.0 * lined,
            "{b}: lined up {lined:.1} levels off, as taken {raw:.1}"
        );
        // One photo of a view: nothing to compare, and the page says how to get another.
        let page = s.get(&format!("/clients/{client}/progress?view=front")).await.text().await.unwrap();
        assert!(page.contains("needs two photos"), "{b}");
    }
}
