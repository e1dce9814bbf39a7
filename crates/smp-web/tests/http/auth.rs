//! Logging in: CSRF, throttling, logout, owner resets, password changes and TOTP.

use super::*;

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

/// Issue 14: adding a user tells an owner nothing about other clinics, and one person
/// may work at two clinics under one e-mail; the password (and, when both match, the
/// clinic they choose) decides which they enter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_used_elsewhere_gives_no_signal_and_logs_into_the_right_clinic() {
    for app in spawn_apps("http-email-per-clinic").await {
        let b = app.db.backend;
        let alpha = app.user("Alpha", "owner@alpha.test", Role::Owner).await;
        let zeta = app.user("Zeta", "owner@zeta.test", Role::Owner).await;
        app.user("Zeta", "sam@elsewhere.test", Role::Practitioner).await;
        let owner = app.login("owner@alpha.test").await;
        let add = |email: &'static str| {
            let owner = &owner;
            async move {
                let r = owner
                    .http
                    .post(format!("{}/users", owner.base))
                    .form(&[("_csrf", owner.csrf.as_str()), ("email", email), ("role", "practitioner")])
                    .send()
                    .await
                    .unwrap();
                (r.status(), r.text().await.unwrap())
            }
        };
        // An e-mail Zeta uses and one nobody uses: the same answer.
        let (s1, used) = add("sam@elsewhere.test").await;
        let (s2, fresh) = add("kim@nowhere.test").await;
        assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK), "{b}");
        for page in [&used, &fresh] {
            assert!(page.contains("Temporary password for"), "{b}: {page}");
            assert!(!page.contains("taken") && !page.contains("Zeta"), "{b}");
        }
        // Within its own clinic a repeat is refused, as the owner can see the list anyway.
        let (s3, again) = add("sam@elsewhere.test").await;
        assert_eq!(s3, StatusCode::CONFLICT, "{b}: {again}");
        assert!(again.contains("already taken"), "{b}");

        // Alpha's Sam gets the test password; each password opens its own clinic.
        let sam = app.store.users_by_email("sam@elsewhere.test").await.unwrap();
        assert_eq!(sam.len(), 2, "{b}");
        let alpha_sam = sam.iter().find(|u| u.clinic_id == alpha).unwrap();
        let zeta_sam = sam.iter().find(|u| u.clinic_id == zeta).unwrap();
        let other = smp_web::auth::password::hash_password("alpha's own password").unwrap();
        app.store.set_password(alpha, alpha_sam.id, &other, false).await.unwrap();
        let log_in = |password: &'static str, clinic: Option<String>| {
            let base = app.base.clone();
            async move {
                let http = reqwest::Client::builder()
                    .cookie_store(true)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap();
                let r = http.get(format!("{base}/login")).send().await.unwrap();
                let csrf = login_csrf(&r);
                let mut form = vec![
                    ("_csrf", csrf),
                    ("email", "sam@elsewhere.test".to_string()),
                    ("password", password.to_string()),
                ];
                form.extend(clinic.map(|c| ("clinic", c)));
                let r = http.post(format!("{base}/login")).form(&form).send().await.unwrap();
                let status = r.status();
                let body = r.text().await.unwrap();
                let me = if status == StatusCode::SEE_OTHER {
                    let v: serde_json::Value = http.get(format!("{base}/api/v1/me")).send().await.unwrap().json().await.unwrap();
                    Some(v["clinic"]["id"].as_i64().unwrap())
                } else {
                    None
                };
                (status, body, me)
            }
        };
        let (s, _, me) = log_in(PASSWORD, None).await;
        assert_eq!((s, me), (StatusCode::SEE_OTHER, Some(zeta.0)), "{b}: Zeta's password opens Zeta");
        let (s, _, me) = log_in("alpha's own password", None).await;
        assert_eq!((s, me), (StatusCode::SEE_OTHER, Some(alpha.0)), "{b}: Alpha's password opens Alpha");
        let (s, body, _) = log_in("neither", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
        assert!(body.contains("Wrong e-mail or password"), "{b}");

        // The same password at both: the page asks which clinic, naming only those two.
        app.store
            .set_password(
                alpha,
                alpha_sam.id,
                &smp_web::auth::password::hash_password(PASSWORD).unwrap(),
                false,
            )
            .await
            .unwrap();
        let (s, body, me) = log_in(PASSWORD, None).await;
        assert_eq!((s, me), (StatusCode::OK, None), "{b}");
        assert!(
            body.contains("more than one clinic") && body.contains("Alpha") && body.contains("Zeta"),
            "{b}: {body}"
        );
        assert!(body.contains("value=\"sam@elsewhere.test\""), "{b}: the e-mail is kept");
        let (s, _, me) = log_in(PASSWORD, Some(alpha.0.to_string())).await;
        assert_eq!((s, me), (StatusCode::SEE_OTHER, Some(alpha.0)), "{b}: the chosen clinic");
        // A clinic where the password does not open an account is no way in.
        app.store.set_password(zeta, zeta_sam.id, &other, false).await.unwrap();
        let (s, _, _) = log_in(PASSWORD, Some(zeta.0.to_string())).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
    }
}
