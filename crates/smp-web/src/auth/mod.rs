//! Login sessions, CSRF protection and roles.
//!
//! The session cookie holds a random token (the store keeps its SHA-256); it is
//! HttpOnly, SameSite=Strict and Secure when served over TLS. Every state-changing
//! request passes [`csrf::guard`], so no form or API call can be forged cross-site.

pub mod csrf;
pub mod large;
pub mod permission;
pub mod throttle;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use smp_store::{AuthSession, Clinic, ClinicId, User, now_unix};

use crate::error::AppError;
use crate::state::AppState;
pub use permission::{Permission, allows};
// Credentials live in their own crate (the CLI uses them without the web server).
pub use smp_auth::{password, token, totp};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "smp_session";

/// The value of cookie `name` in the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value with the app's flags.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_s: i64) -> String {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}")
}

/// The live session of a request, if any.
pub async fn session_of(state: &AppState, headers: &HeaderMap) -> Option<AuthSession> {
    let token = cookie(headers, SESSION_COOKIE)?;
    state.store.session(&token::token_hash(&token), now_unix()).await.ok().flatten()
}

/// The logged-in user of a request (extractor). Missing or half-finished logins are
/// sent to the login page (pages) or answered 401 (API).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user.
    pub user: User,
    /// Their clinic: the tenant of every query made for them.
    pub clinic: Clinic,
    /// The login session.
    pub session: AuthSession,
}

impl CurrentUser {
    /// The tenant.
    pub fn clinic_id(&self) -> ClinicId {
        self.clinic.id
    }

    /// `Ok` when the user's role has `perm`, else 403.
    pub fn require(&self, perm: Permission) -> Result<(), AppError> {
        if allows(self.user.role, perm) {
            Ok(())
        } else {
            Err(AppError::forbidden(perm.describe()))
        }
    }

    /// Whether the user's role has `perm`.
    pub fn can(&self, perm: Permission) -> bool {
        allows(self.user.role, perm)
    }
}

/// Why a request has no usable login.
pub enum AuthRejection {
    /// Page request: go to the login page.
    Login(String),
    /// Page request of a user who must set a new password first.
    ChangePassword,
    /// API request: 401.
    Api(&'static str),
    /// API request of a user who must set a new password first: 403.
    ApiChangePassword,
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::Login(next) => Redirect::to(&format!("/login?next={}", crate::html::url_encode(&next))).into_response(),
            AuthRejection::ChangePassword => Redirect::to("/account?must=1").into_response(),
            AuthRejection::Api(msg) => AppError::new(StatusCode::UNAUTHORIZED, msg).into_response(),
            AuthRejection::ApiChangePassword => AppError::new(
                StatusCode::FORBIDDEN,
                "your password was reset: set a new one on your account page (/account) before anything else",
            )
            .into_response(),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Nested routers see a stripped path; the original one tells API from pages.
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| parts.uri.path().to_string(), |u| u.path().to_string());
        let api = path.starts_with("/api/");
        let reject = |msg: &'static str| {
            if api {
                AuthRejection::Api(msg)
            } else {
                AuthRejection::Login(path.clone())
            }
        };
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or_else(|| reject("log in first (POST /login)"))?;
        let smp_store::Login { session, user, clinic } = state
            .store
            .login(&token::token_hash(&token), now_unix())
            .await
            .ok()
            .flatten()
            .ok_or_else(|| reject("log in first (POST /login)"))?;
        if session.second_factor_pending {
            return Err(reject("finish the login with your authenticator code"));
        }
        // After an owner's reset only the account page (and, for API clients, who they
        // are) is open until a new password is set.
        if user.must_change_password && !path.starts_with("/account") {
            if !api {
                return Err(AuthRejection::ChangePassword);
            }
            if path != "/api/v1/me" {
                return Err(AuthRejection::ApiChangePassword);
            }
        }
        Ok(CurrentUser { user, clinic, session })
    }
}
