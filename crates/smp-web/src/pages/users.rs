//! Owner pages: the clinic's users, adding users and owner-issued password resets.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use serde::Deserialize;
use smp_store::{Role, User};

use crate::auth::password::hash_password;
use crate::auth::{CurrentUser, Permission, token};
use crate::error::{AppError, AppResult};
use crate::pages::Nav;
use crate::pages::html;
use crate::state::AppState;

/// The users page.
#[derive(Template, WebTemplate)]
#[template(path = "users.html")]
pub struct UsersPage {
    nav: Nav,
    users: Vec<User>,
    issued: String,
    issued_for: String,
}

async fn page(state: &AppState, me: &CurrentUser, issued: String, issued_for: String) -> AppResult<UsersPage> {
    let users = state
        .store
        .list_users(me.clinic_id())
        .await
        .map_err(|e| AppError::from(e).as_html())?;
    Ok(UsersPage {
        nav: Nav::of(me),
        users,
        issued,
        issued_for,
    })
}

/// GET /users
pub async fn list(State(state): State<AppState>, me: CurrentUser) -> AppResult<UsersPage> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    page(&state, &me, String::new(), String::new()).await
}

/// The add-user form.
#[derive(Deserialize)]
pub struct AddForm {
    email: String,
    role: String,
}

fn temporary_password() -> String {
    token::random_hex(8)
}

fn hash(p: &str) -> AppResult<String> {
    hash_password(p).map_err(|m| AppError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, m).as_html())
}

/// POST /users: a new user with a temporary password they must change.
pub async fn add(State(state): State<AppState>, me: CurrentUser, Form(f): Form<AddForm>) -> AppResult<UsersPage> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    let role = Role::parse(&f.role).ok_or_else(|| AppError::field("role", "role must be owner, practitioner or front-desk").as_html())?;
    let temp = temporary_password();
    let user = state
        .store
        .create_user(me.clinic_id(), &f.email, role, &hash(&temp)?)
        .await
        .map_err(|e| AppError::from(e).as_html())?;
    state
        .store
        .set_password(me.clinic_id(), user.id, &hash(&temp)?, true)
        .await
        .map_err(|e| AppError::from(e).as_html())?;
    crate::records::audit(&state, &me, "create", "user", user.id, None)
        .await
        .map_err(|e| e.as_html())?;
    page(&state, &me, temp, user.email).await
}

/// POST /users/{id}/reset: a temporary password, all sessions of the user ended.
pub async fn reset(State(state): State<AppState>, me: CurrentUser, Path(id): Path<smp_store::UserId>) -> AppResult<UsersPage> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    let user = state.store.user(me.clinic_id(), id).await.map_err(html)?;
    let temp = temporary_password();
    state
        .store
        .set_password(me.clinic_id(), id, &hash(&temp)?, true)
        .await
        .map_err(html)?;
    // A reset is for a user who lost access: the lost phone's authenticator goes too.
    state.store.set_totp(me.clinic_id(), id, None).await.map_err(html)?;
    state.store.delete_user_sessions(me.clinic_id(), id).await.map_err(html)?;
    crate::records::audit(&state, &me, "reset", "user", id, None)
        .await
        .map_err(|e| e.as_html())?;
    page(&state, &me, temp, user.email).await
}
