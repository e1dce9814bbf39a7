//! The JSON API under `/api/v1`: everything the pages do. Errors are
//! `{"error": message, "field": name?, "status": code}`.

pub mod chart;
pub mod clients;
pub mod color;
pub mod designs;
pub mod fit;
pub mod json;
pub mod openapi;
pub mod photos;
pub mod records;
pub mod views;

use axum::Json;
use axum::Router;
use axum::routing::{get, post};
use serde_json::json;

use crate::auth::{CurrentUser, allows, permission::Permission};
use crate::state::AppState;

/// GET /api/v1/me: the user, clinic, role permissions and the CSRF token to send as
/// `X-CSRF-Token` on every POST/PUT.
pub async fn me(me: CurrentUser) -> Json<serde_json::Value> {
    let perms: Vec<&str> = Permission::ALL
        .iter()
        .filter(|p| allows(me.user.role, **p))
        .map(|p| match p {
            Permission::ReadContacts => "read-contacts",
            Permission::EditContacts => "edit-contacts",
            Permission::ReadMedical => "read-medical",
            Permission::EditMedical => "edit-medical",
            Permission::ManageClinic => "manage-clinic",
        })
        .collect();
    Json(json!({
        "user": me.user,
        "clinic": me.clinic,
        "permissions": perms,
        "csrf_token": me.session.csrf_token,
    }))
}

/// The `/api/v1` routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/openapi.json", get(openapi::document))
        .route("/clients", get(clients::list).post(clients::create))
        .route("/clients/{id}", get(clients::get).put(clients::update))
        .route("/clients/{id}/photos", get(photos::list).post(photos::upload))
        .route("/clients/{id}/designs", get(designs::list).post(designs::create))
        .route("/photos/{id}", get(photos::get))
        .route("/photos/{id}/image", get(photos::image))
        .route("/designs/{id}", get(designs::get))
        .route("/designs/{id}/versions", get(designs::versions).post(designs::save))
        .route("/designs/{id}/versions/{v}", get(designs::version))
        .route("/designs/{id}/plan", get(designs::plan))
        .route("/designs/{id}/report.pdf", get(designs::report))
        // The dots are the editor's largest answer (a number per coordinate, 50k dots
        // near a megabyte); gzip makes them a third on a tablet's Wi-Fi. Only here: they
        // hold no secret, so compressing them reveals nothing (BREACH).
        .route(
            "/dots",
            post(designs::dots).layer(
                tower_http::compression::CompressionLayer::new()
                    .gzip(true)
                    .quality(tower_http::CompressionLevel::Fastest),
            ),
        )
        .route("/calibrate", post(designs::calibrate))
        .route("/chart", post(chart::chart))
        .route("/preview", post(designs::preview))
        .route("/fit", post(fit::fit))
        .route("/overlay", post(fit::overlay))
        .route("/pigments", get(color::pigments))
        .route("/color/match", post(color::match_pigment))
        .route("/lots", get(records::lots).post(records::add_lot))
        .route("/lots/{id}", get(records::lot))
        .route("/lots/{id}/recall", post(records::recall))
        .route("/lots/{id}/sessions", get(records::recall_search))
        .route("/clients/{id}/sessions", get(records::sessions).post(records::record_session))
        .route("/clients/{id}/adverse-events", get(records::events).post(records::record_event))
        .route("/clients/{id}/surveys", post(records::record_survey))
        .route("/outcomes", get(records::outcomes))
        .route("/clients/{id}/export.zip", get(crate::service::records::export))
        .route("/audit", get(records::audit_log))
}
