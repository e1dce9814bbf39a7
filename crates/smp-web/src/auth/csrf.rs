//! CSRF guard for every state-changing request: the token comes in the
//! `X-CSRF-Token` header (API, JS), the `_csrf` field of a urlencoded form, or the
//! `_csrf` query parameter of a multipart form; it must equal the session's token (or,
//! for the login form, the pre-login cookie's).

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{cookie, session_of, token};
use crate::error::AppError;
use crate::state::AppState;

/// Cookie holding the token of the login form (no session exists yet).
pub const LOGIN_CSRF_COOKIE: &str = "smp_login_csrf";
/// Largest urlencoded form read for its token.
const MAX_FORM_BYTES: usize = 1 << 20;

fn query_token(query: Option<&str>) -> Option<String> {
    form_field(query?, "_csrf")
}

/// The value of `name` in an `application/x-www-form-urlencoded` string.
pub fn form_field(body: &str, name: &str) -> Option<String> {
    body.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| crate::html::url_decode(v))
}

/// Middleware: refuses a state-changing request without the right token (403).
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let login = path == "/login" || path == "/login/totp";
    let expected = if path == "/login" || path == "/login/totp" && cookie(req.headers(), LOGIN_CSRF_COOKIE).is_some() {
        cookie(req.headers(), LOGIN_CSRF_COOKIE)
    } else {
        session_of(&state, req.headers()).await.map(|s| s.csrf_token)
    };
    let refuse = || {
        let mut e = AppError::new(
            StatusCode::FORBIDDEN,
            "missing or wrong CSRF token: reload the page and try again (API clients send X-CSRF-Token from GET /api/v1/me)",
        );
        e.field = Some("_csrf".into());
        if !path.starts_with("/api/") {
            e = e.as_html();
        }
        e.into_response()
    };
    let Some(expected) = expected else {
        // A login posted without the login form's cookie comes from another site (login
        // CSRF): refused. Anything else without a session: the handler answers 401 or
        // sends the user to the login page.
        return if login { refuse() } else { next.run(req).await };
    };
    if let Some(h) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if token::same(h, &expected) { next.run(req).await } else { refuse() };
    }
    let ctype = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if ctype.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "form too large (1 MB at most)").into_response();
        };
        let ok = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|b| form_field(b, "_csrf"))
            .is_some_and(|t| token::same(&t, &expected));
        if !ok {
            return refuse();
        }
        return next.run(Request::from_parts(parts, Body::from(bytes))).await;
    }
    if query_token(req.uri().query()).is_some_and(|t| token::same(&t, &expected)) {
        return next.run(req).await;
    }
    refuse()
}
