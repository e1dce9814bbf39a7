//! SMP Studio's clinic web app: server-rendered pages, the JSON API under `/api/v1`,
//! login with roles, and every query scoped to the user's clinic.

pub mod api;
pub mod auth;
pub mod demo;
pub mod engine;
pub mod error;
pub mod fitting;
pub mod html;
mod layers;
pub mod pages;
mod placement;
pub mod pupils;
pub mod records;
pub mod service;
pub mod state;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};

pub use state::{AppConfig, AppState};

/// Static files served from the binary (no CDN, no build step).
async fn static_file(axum::extract::Path(name): axum::extract::Path<String>) -> axum::response::Response {
    let (body, kind) = match name.as_str() {
        "app.css" => (include_str!("../static/app.css"), "text/css; charset=utf-8"),
        "editor.js" => (include_str!("../static/editor.js"), "text/javascript; charset=utf-8"),
        "signature.js" => (include_str!("../static/signature.js"), "text/javascript; charset=utf-8"),
        "aftercare.js" => (include_str!("../static/aftercare.js"), "text/javascript; charset=utf-8"),
        "confirm.js" => (include_str!("../static/confirm.js"), "text/javascript; charset=utf-8"),
        "copy.js" => (include_str!("../static/copy.js"), "text/javascript; charset=utf-8"),
        "capture.js" => (include_str!("../static/capture.js"), "text/javascript; charset=utf-8"),
        "tabs.js" => (include_str!("../static/tabs.js"), "text/javascript; charset=utf-8"),
        "favicon.svg" => (include_str!("../static/favicon.svg"), "image/svg+xml"),
        _ => return error::AppError::not_found("file").into_response(),
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-cache")], body).into_response()
}

/// Largest body of a request that is not a photo upload (a form or JSON), bytes: a
/// design at the vertex and region limits of real use is well under 1 MB.
const FORM_LIMIT_BYTES: u64 = 4 << 20;

/// Refuse a request whose declared body exceeds `limit` bytes (a photo of `photo_limit`
/// and its form) before reading any of it:
/// the client learns at once (413) instead of uploading megabytes to be cut off, and the
/// answer cannot race the rest of the upload. Bodies without a length are cut off at the
/// limit as they stream in. Large bodies, refused or not, are paced per login
/// (`auth::large`).
async fn refuse_oversized(
    (limit, photo_limit, state): (usize, usize, AppState),
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/"));
    // Every large body, refused or not, takes its login's turn (see auth::large): a
    // client repeating an oversized request is answered at the trickle's pace.
    let admission = match declared {
        Some(n) if n >= auth::large::LARGE_BODY_BYTES => {
            let login = auth::cookie(req.headers(), auth::SESSION_COOKIE).unwrap_or_default();
            Some(state.large_requests.admit(&login, multipart, std::time::Instant::now()))
        }
        _ => None,
    };
    if let Some(a) = admission {
        let pause = a.pause_secs();
        if pause > 0.0 {
            tokio::time::sleep(std::time::Duration::from_secs_f64(pause)).await;
        }
    }
    match declared {
        // Forms and JSON carry words and designs, never photos: a 10 MB field is refused
        // on its headers instead of being read and parsed.
        Some(n) if !multipart && n > FORM_LIMIT_BYTES => error::AppError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the request is {:.1} MB; forms and designs may be {} MB at most (photos go in a photo upload)",
                n as f64 / 1e6,
                FORM_LIMIT_BYTES >> 20
            ),
        )
        .into_response(),
        Some(n) if n > limit as u64 => error::AppError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the upload is {:.1} MB; photos may be {:.0} MB at most",
                n as f64 / 1e6,
                photo_limit as f64 / 1e6
            ),
        )
        .into_response(),
        _ => match admission {
            Some(auth::large::Admission::Refused(wait)) => {
                // Read (and drop) the body unparsed, so the client hears the answer
                // instead of a connection cut mid-send.
                let _ = axum::body::to_bytes(req.into_body(), limit).await;
                error::AppError::new(
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "too many large {} in a row; wait {:.0} second(s) and send it again",
                        if multipart { "uploads" } else { "requests" },
                        (wait - auth::large::MAX_PACE_SECS).ceil().max(1.0)
                    ),
                )
                .into_response()
            }
            _ => next.run(req).await,
        },
    }
}

/// The whole app.
pub fn router(state: AppState) -> Router {
    let photo_limit = state.config.max_upload_bytes;
    let upload_limit = photo_limit + (1 << 20);
    let app = Router::new()
        .route("/", get(|| async { Redirect::to("/clients") }))
        .route("/login", get(pages::login::show).post(pages::login::submit))
        .route("/login/totp", post(pages::login::submit_totp))
        .route("/logout", post(pages::login::logout))
        .route("/account", get(pages::account::show))
        .route("/account/password", post(pages::account::change_password))
        .route("/account/totp", post(pages::account::set_totp))
        .route("/users", get(pages::users::list).post(pages::users::add))
        .route("/users/{id}/reset", post(pages::users::reset))
        .route("/clients", get(pages::clients::list).post(pages::clients::create))
        .route("/clients/{id}", get(pages::clients::show).post(pages::clients::update))
        .route("/clients/{id}/photos", post(pages::clients::upload))
        .route("/clients/{id}/capture", get(pages::capture::show))
        .route("/clients/{id}/progress", get(pages::progress::show))
        .route("/clients/{id}/progress/aligned.png", get(pages::progress::aligned))
        .route("/clients/{id}/designs", post(pages::designs::create))
        .route("/photos/{id}/image", get(api::photos::image))
        .route("/designs/{id}/edit", get(pages::designs::editor))
        .route("/designs/{id}/versions", get(pages::designs::versions))
        .route("/designs/{id}/versions/{v}/preview.png", get(pages::designs::version_preview))
        .route("/designs/{id}/restore", post(pages::designs::restore))
        .route("/designs/{id}/compare", get(pages::designs::compare))
        .route("/designs/{id}/plan", get(pages::designs::plan))
        .route("/designs/{id}/report.pdf", get(api::designs::report))
        .route("/lots", get(pages::records::lots).post(pages::records::add_lot))
        .route("/lots/{id}/recall", post(pages::records::recall))
        .route("/lots/{id}/clients", get(pages::records::recall_search))
        .route("/clients/{id}/sessions", post(pages::records::record_session))
        .route("/clients/{id}/adverse-events", post(pages::records::record_event))
        .route("/clients/{id}/surveys", post(pages::records::record_survey))
        .route("/outcomes", get(pages::records::outcomes))
        .route("/follow-ups/{id}/done", post(pages::records::follow_up_done))
        .route("/clients/{id}/export.zip", get(service::records::export))
        .route("/clients/{id}/erase", post(pages::records::erase))
        .route("/clients/{id}/ink-passport.pdf", get(pages::records::ink_passport))
        .route("/sessions/{client}/{session}/aftercare", get(pages::records::aftercare))
        .route("/audit", get(pages::audit_log::audit_page))
        .route("/clients/{id}/screening", post(pages::consent::screening))
        .route("/clients/{id}/consent", post(pages::consent::sign))
        .route("/clients/{id}/patch-tests", post(pages::consent::patch_test))
        .route("/clients/{id}/appointments", post(pages::consent::book))
        .route("/photos/{id}/marketing", post(pages::consent::marketing))
        .route("/photos/{id}/delete", post(pages::consent::delete_photo))
        .route("/designs/{id}/delete", post(pages::consent::delete_design))
        .route("/settings", get(pages::clinic::settings))
        .route("/settings/consent", post(pages::clinic::publish_consent))
        .route("/settings/public", post(pages::clinic::set_public))
        .route("/settings/time-zone", post(pages::clinic::set_time_zone))
        .route("/settings/prices", post(pages::clinic::set_prices))
        .route("/settings/idle", post(pages::clinic::set_idle))
        .route("/appointments", get(pages::clinic::appointments))
        .route("/appointments/feed", post(pages::clinic::new_feed))
        .route("/appointments/{id}/reschedule", post(pages::clinic::reschedule))
        .route("/appointments/{id}/cancel", post(pages::clinic::cancel))
        .route("/appointments/feed/revoke", post(pages::clinic::revoke_feeds))
        .route("/calendar/{file}", get(pages::clinic::feed))
        .route("/public/{clinic}/results", get(pages::clinic::public_results))
        .route("/public/{clinic}/photos/{id}", get(pages::clinic::public_photo))
        .route("/calibration-card.pdf", get(calibration_card))
        .route("/static/{name}", get(static_file))
        // Browsers ask for it whatever the page says.
        .route("/favicon.ico", get(|| async { Redirect::permanent("/static/favicon.svg") }))
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api/v1", api::routes())
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::csrf::guard))
        .layer(DefaultBodyLimit::max(upload_limit))
        .layer(axum::middleware::from_fn({
            let state = state.clone();
            move |req, next| refuse_oversized((upload_limit, photo_limit, state.clone()), req, next)
        }))
        .layer(axum::middleware::from_fn(layers::no_store_unless_public))
        .with_state(state);
    layers::wrap(app)
}

/// Serves the app on a bound listener until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>()).await
}

/// GET /calibration-card.pdf: the printable calibration card (A4; `?paper=letter|a6`).
async fn calibration_card(
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let paper = q
        .get("paper")
        .and_then(|p| p.parse::<smp_report::card::Paper>().ok())
        .unwrap_or(smp_report::card::Paper::A4);
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf"),
            (axum::http::header::CONTENT_DISPOSITION, "inline; filename=\"calibration-card.pdf\""),
        ],
        smp_report::card::card_pdf(paper),
    )
        .into_response()
}
