//! The user's own account: password change and the TOTP second factor.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::password::{check_policy, hash_password, verify_password};
use crate::auth::{CurrentUser, totp};
use crate::error::AppError;
use crate::pages::Nav;
use crate::state::AppState;

/// The account page.
#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    nav: Nav,
    role: &'static str,
    must: bool,
    error: String,
    totp_on: bool,
    new_secret: String,
    totp_uri: String,
}

fn page(me: &CurrentUser, error: &str) -> AccountPage {
    let secret = totp::new_secret();
    AccountPage {
        nav: Nav::of(me),
        role: me.user.role.as_str(),
        must: me.user.must_change_password,
        error: error.into(),
        totp_on: me.user.totp_secret.is_some(),
        totp_uri: totp::uri(&secret, &me.user.email),
        new_secret: secret,
    }
}

/// `?must=1`
#[derive(Deserialize)]
pub struct Must {}

/// GET /account
pub async fn show(me: CurrentUser, Query(_m): Query<Must>) -> AccountPage {
    page(&me, "")
}

/// The password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
}

/// POST /account/password: every other session of the user ends.
pub async fn change_password(State(state): State<AppState>, me: CurrentUser, Form(f): Form<PasswordForm>) -> Response {
    if !verify_password(&f.current, &me.user.password_hash) {
        return (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            page(&me, "The current password is wrong."),
        )
            .into_response();
    }
    if let Err(msg) = check_policy(&f.new) {
        return (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page(&me, &msg)).into_response();
    }
    let result = async {
        let hash = hash_password(&f.new).map_err(|m| AppError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, m))?;
        state.store.set_password(me.clinic_id(), me.user.id, &hash, false).await?;
        crate::records::audit(&state, &me, "change", "password", me.user.id, None).await?;
        state.store.delete_user_sessions(me.clinic_id(), me.user.id).await?;
        Ok::<(), AppError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/login?next=/clients").into_response(),
        Err(e) => e.as_html().into_response(),
    }
}

/// The TOTP form.
#[derive(Deserialize)]
pub struct TotpForm {
    action: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

/// POST /account/totp: on (with a code proving the app has the secret) or off.
pub async fn set_totp(State(state): State<AppState>, me: CurrentUser, Form(f): Form<TotpForm>) -> Response {
    let secs = smp_store::now_unix().max(0) as u64;
    let secret = match f.action.as_str() {
        // Turning the second factor off needs the password or a fresh code: a session
        // left open on a shared tablet must not be enough.
        "off" => {
            let by_code = me
                .user
                .totp_secret
                .as_deref()
                .and_then(|s| totp::matched_step(s, &f.code, secs))
                .is_some_and(|step| state.used_codes.accept(me.user.id.0, step));
            let by_password = !f.password.is_empty() && crate::auth::password::verify_password(&f.password, &me.user.password_hash);
            if !(by_code || by_password) {
                return (
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    page(&me, "To turn the authenticator off, give your password or a current code."),
                )
                    .into_response();
            }
            None
        }
        _ if totp::verify(&f.secret, &f.code, secs) => Some(f.secret.as_str()),
        _ => {
            return (
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    &me,
                    "That code does not match the secret; check the phone's clock and try the current code.",
                ),
            )
                .into_response();
        }
    };
    let action = if secret.is_some() { "totp-on" } else { "totp-off" };
    let done = async {
        state.store.set_totp(me.clinic_id(), me.user.id, secret).await?;
        crate::records::audit(&state, &me, action, "user", me.user.id, None).await
    };
    match done.await {
        Ok(()) => Redirect::to("/account").into_response(),
        Err(e) => e.as_html().into_response(),
    }
}
