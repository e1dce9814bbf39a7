//! The pages in the users' words.

use super::*;

/// Issue 15: what a practitioner reads carries no command lines, file names or API
/// calls, counts agree with their nouns, and the browser's icon is found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_speak_the_users_words() {
    for app in spawn_apps("http-words").await {
        let b = app.db.backend;
        let (s, client, photo, design, _) = clinic_a(&app).await;
        // The photos are shown as a set per visit: today's top photo ticked, the
        // other standard views marked missing.
        let page = s.get(&format!("/clients/{client}")).await.text().await.unwrap();
        let visits = &page[page.find("id=\"visits\"").expect("the visits table")..];
        let row = &visits[visits.find("<tbody>").unwrap()..visits.find("</tbody>").unwrap()];
        assert!(
            row.contains(&format!("href=\"/photos/{photo}/image\" title=\"top photo of")),
            "{b}: {row}"
        );
        assert_eq!(row.matches("no ").count(), 5, "{b}: five views missing: {row}");
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
