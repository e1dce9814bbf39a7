//! Log in (with throttling and the optional TOTP step) and log out.

use std::net::SocketAddr;
use std::time::Instant;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use smp_store::{AuthSession, User, now_unix};

use crate::auth::csrf::LOGIN_CSRF_COOKIE;
use crate::auth::password::verify_password;
use crate::auth::throttle::MAX_FAILURES;
use crate::auth::{SESSION_COOKIE, cookie, set_cookie, token, totp};
use crate::pages::safe_next;
use crate::state::AppState;

/// The login page.
#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    csrf: String,
    next: String,
    error: String,
    totp: bool,
    /// The e-mail typed, kept when the clinic must be chosen.
    email: String,
    /// The clinics (id, name) whose account this e-mail and password open, when several do.
    clinics: Vec<(i64, String)>,
}

/// `?next=` of the login page.
#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// The pre-login CSRF token: the browser's, or a new one.
fn login_csrf(headers: &HeaderMap) -> String {
    cookie(headers, LOGIN_CSRF_COOKIE)
        .filter(|c| c.len() == 32)
        .unwrap_or_else(|| token::random_hex(16))
}

fn login_page(headers: &HeaderMap, state: &AppState, next: &str, error: &str, totp: bool, status: axum::http::StatusCode) -> Response {
    let page = LoginPage {
        csrf: login_csrf(headers),
        next: safe_next(next).to_string(),
        error: error.to_string(),
        totp,
        email: String::new(),
        clinics: Vec::new(),
    };
    respond(state, status, page)
}

/// The page, setting its CSRF token as the pre-login cookie.
fn respond(state: &AppState, status: axum::http::StatusCode, page: LoginPage) -> Response {
    (
        status,
        [(header::SET_COOKIE, set_cookie(state, LOGIN_CSRF_COOKIE, &page.csrf, 3600))],
        page,
    )
        .into_response()
}

/// GET /login
pub async fn show(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    login_page(&headers, &state, &q.next, "", false, axum::http::StatusCode::OK)
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
    /// The clinic chosen when the e-mail and password open accounts at several.
    #[serde(default)]
    clinic: String,
}

/// The client address used for throttling: the peer, or behind the trusted proxy the
/// proxy's own (rightmost) `X-Forwarded-For` entry.
pub(crate) fn client_addr(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if state.config.trust_forwarded_for
        && let Some(addr) = proxy_seen(headers)
    {
        return addr;
    }
    peer.ip().to_string()
}

/// The address the proxy saw: it appends it last, so entries to its left come from the
/// client and can be anything it likes.
fn proxy_seen(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .rfind(|v| !v.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_proxys_own_forwarded_entry_counts() {
        let mut h = HeaderMap::new();
        assert_eq!(proxy_seen(&h), None);
        // The client sent "1.2.3.4" itself; the proxy appended what it saw.
        h.insert("x-forwarded-for", "1.2.3.4, 203.0.113.9".parse().unwrap());
        assert_eq!(proxy_seen(&h).as_deref(), Some("203.0.113.9"));
        h.append("x-forwarded-for", "198.51.100.7".parse().unwrap());
        assert_eq!(proxy_seen(&h).as_deref(), Some("198.51.100.7"));
    }
}

/// POST /login
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let email = f.email.trim().to_lowercase();
    let addr = client_addr(&state, &headers, peer);
    let now = Instant::now();
    if let Err(wait) = state.throttle.check_login(&email, &addr, now) {
        let msg = if wait.as_secs() < 90 {
            format!("Too many failed logins. Try again in {} second(s).", wait.as_secs().max(1))
        } else {
            format!(
                "Too many failed logins. Try again in {} minute(s), or ask the clinic owner to reset your password.",
                wait.as_secs().div_ceil(60)
            )
        };
        return login_page(&headers, &state, &f.next, &msg, false, axum::http::StatusCode::TOO_MANY_REQUESTS);
    }
    // An e-mail is unique within a clinic only: the password picks the account, and
    // the clinic chosen narrows them when it opens several.
    let chosen: Option<i64> = f.clinic.trim().parse().ok();
    let accounts: Vec<User> = state
        .store
        .users_by_email(&email)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| chosen.is_none_or(|c| u.clinic_id.0 == c))
        .collect();
    if accounts.is_empty() {
        // Verify against a dummy hash, so timing doesn't tell which e-mails exist.
        verify_password(&f.password, dummy_hash());
    }
    let (mut opened, refused): (Vec<User>, Vec<User>) = accounts.into_iter().partition(|u| verify_password(&f.password, &u.password_hash));
    if opened.is_empty() {
        for u in &refused {
            if let Err(e) = crate::records::audit::security_event(&state, u.clinic_id, u.id, "login-failed").await {
                return e.as_html().into_response();
            }
        }
    }
    if opened.len() > 1 {
        return choose_clinic(&headers, &state, &f, &email, &opened).await;
    }
    let Some(user) = opened.pop() else {
        state.throttle.fail_login(&email, &addr, now);
        return login_page(
            &headers,
            &state,
            &f.next,
            "Wrong e-mail or password.",
            false,
            axum::http::StatusCode::UNAUTHORIZED,
        );
    };
    state.throttle.succeed_login(&email, &addr);
    let raw = token::random_hex(32);
    let created = now_unix();
    let session = AuthSession {
        token_hash: token::token_hash(&raw),
        user_id: user.id,
        clinic_id: user.clinic_id,
        csrf_token: token::random_hex(16),
        second_factor_pending: user.totp_secret.is_some(),
        created_at: created,
        expires_at: created + state.config.session_hours * 3600,
    };
    if let Err(e) = state.store.create_session(&session).await {
        return crate::error::AppError::from(e).as_html().into_response();
    }
    if let Err(e) = crate::records::audit::security_event(&state, user.clinic_id, user.id, "login").await {
        return e.as_html().into_response();
    }
    let cookie = set_cookie(&state, SESSION_COOKIE, &raw, state.config.session_hours * 3600);
    if session.second_factor_pending {
        let mut resp = login_page(&headers, &state, &f.next, "", true, axum::http::StatusCode::OK);
        resp.headers_mut()
            .append(header::SET_COOKIE, cookie.parse().expect("cookie header"));
        return resp;
    }
    ([(header::SET_COOKIE, cookie)], Redirect::to(safe_next(&f.next))).into_response()
}

/// The login page again, asking which clinic to enter: the e-mail and password open an
/// account at each of `opened` (the same person works at several clinics).
async fn choose_clinic(headers: &HeaderMap, state: &AppState, f: &LoginForm, email: &str, opened: &[User]) -> Response {
    let mut clinics = Vec::with_capacity(opened.len());
    for u in opened {
        match state.store.clinic(u.clinic_id).await {
            Ok(c) => clinics.push((c.id.0, c.name)),
            Err(e) => return crate::error::AppError::from(e).as_html().into_response(),
        }
    }
    let page = LoginPage {
        csrf: login_csrf(headers),
        next: safe_next(&f.next).to_string(),
        error: "You work at more than one clinic. Choose the clinic, then enter your password again.".into(),
        totp: false,
        email: email.to_string(),
        clinics,
    };
    respond(state, axum::http::StatusCode::OK, page)
}

/// An argon2 hash of a random password, verified against when the e-mail is unknown.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| crate::auth::password::hash_password(&token::random_hex(16)).expect("argon2 hashes"))
}

/// The TOTP form.
#[derive(Deserialize)]
pub struct TotpForm {
    code: String,
    #[serde(default)]
    next: String,
}

/// POST /login/totp
pub async fn submit_totp(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<TotpForm>) -> Response {
    let Some(raw) = cookie(&headers, SESSION_COOKIE) else {
        return Redirect::to("/login").into_response();
    };
    let hash = token::token_hash(&raw);
    let Some(session) = state.store.session(&hash, now_unix()).await.ok().flatten() else {
        return Redirect::to("/login").into_response();
    };
    let user = state.store.user(session.clinic_id, session.user_id).await.ok();
    let key = format!("totp:{}", session.user_id);
    if let Err(wait) = state.throttle.check(&[(&key, MAX_FAILURES)], Instant::now()) {
        let msg = format!("Too many wrong codes. Try again in {} minute(s).", wait.as_secs().div_ceil(60));
        return login_page(&headers, &state, &f.next, &msg, true, axum::http::StatusCode::TOO_MANY_REQUESTS);
    }
    let secs = now_unix().max(0) as u64;
    let accepted = user
        .and_then(|u| u.totp_secret)
        .and_then(|secret| totp::matched_step(&secret, &f.code, secs));
    match accepted {
        Some(step) if state.used_codes.accept(session.user_id.0, step) => {
            let _ = state.store.complete_second_factor(&hash).await;
            if let Err(e) = crate::records::audit::security_event(&state, session.clinic_id, session.user_id, "login-second-factor").await {
                return e.as_html().into_response();
            }
            Redirect::to(safe_next(&f.next)).into_response()
        }
        _ => {
            state.throttle.fail(&[&key], Instant::now());
            login_page(
                &headers,
                &state,
                &f.next,
                "That code is wrong, expired or already used; wait for the next one.",
                true,
                axum::http::StatusCode::UNAUTHORIZED,
            )
        }
    }
}

/// POST /logout
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(raw) = cookie(&headers, SESSION_COOKIE) {
        let _ = state.store.delete_session(&token::token_hash(&raw)).await;
    }
    (
        [(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", 0))],
        Redirect::to("/login"),
    )
        .into_response()
}
