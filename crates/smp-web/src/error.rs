//! One error type for pages and API: a status, a message that says what to fix, and
//! the field it is about. API routes answer JSON; pages answer a small HTML page.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use smp_store::StoreError;

/// An error answered to the browser or API client.
#[derive(Debug)]
pub struct AppError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong and how to fix it.
    pub message: String,
    /// The input field it is about, when one is.
    pub field: Option<String>,
    /// Answer as HTML (pages) instead of JSON (API).
    pub html: bool,
    /// Where the error page leads back to (the page the user came from), when known.
    pub back: Option<String>,
    /// Every problem of a refused design, by field: the editor shows each beside its input.
    pub problems: Vec<Problem>,
}

/// One problem of a refused design: its field path and what is wrong, in words.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// The field's path in the design, e.g. `regions[0].density_per_cm2`.
    pub field: String,
    /// What is wrong and how to fix it, without the path.
    pub message: String,
}

/// The JSON body of an API error.
#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    status: u16,
    #[serde(skip_serializing_if = "<[Problem]>::is_empty")]
    problems: &'a [Problem],
}

impl AppError {
    /// An error with a status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> AppError {
        AppError {
            status,
            message: message.into(),
            field: None,
            html: false,
            back: None,
            problems: Vec::new(),
        }
    }
    /// 400/422 about one input field.
    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: message.into(),
            field: Some(field.into()),
            html: false,
            back: None,
            problems: Vec::new(),
        }
    }
    /// 404 (also what another clinic's record gives, so ids reveal nothing).
    pub fn not_found(what: &str) -> AppError {
        AppError::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }
    /// 403 for a role without the permission.
    pub fn forbidden(what: &str) -> AppError {
        AppError::new(StatusCode::FORBIDDEN, format!("your role may not {what}; ask the clinic owner"))
    }
    /// The same error, answered as an HTML page.
    pub fn as_html(mut self) -> AppError {
        self.html = true;
        self
    }

    /// The same error, its page leading back to `path` (a path on this site).
    pub fn back_to(mut self, path: &str) -> AppError {
        if path.starts_with('/') && !path.starts_with("//") {
            self.back = Some(path.to_string());
        }
        self
    }

    /// The error page's heading, in words.
    fn heading(&self) -> &'static str {
        match self.status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::UNAUTHORIZED => "Please sign in",
            StatusCode::CONFLICT => "Changed meanwhile",
            StatusCode::PAYLOAD_TOO_LARGE => "Too large",
            StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
            s if s.is_client_error() => "That can't be done",
            _ => "Something went wrong",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let status = match &e {
            StoreError::NotFound(_) => StatusCode::NOT_FOUND,
            StoreError::Duplicate { .. } => StatusCode::CONFLICT,
            StoreError::Conflict { .. } => StatusCode::CONFLICT,
            StoreError::BadInput(_) | StoreError::NotReady(_) => StatusCode::UNPROCESSABLE_ENTITY,
            StoreError::Unsupported(_) => StatusCode::NOT_IMPLEMENTED,
            StoreError::Database(_) | StoreError::Io { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let field = match &e {
            StoreError::Duplicate { field, .. } => Some(field.to_string()),
            StoreError::Conflict { .. } => Some("base_version".into()),
            StoreError::NotReady(_) => Some("client_id".into()),
            _ => None,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %e, "store error");
        }
        // The server's paths and database details stay in its log.
        let message = match &e {
            StoreError::Io { .. } => "the photo store could not be read or written; try again, and if it persists ask the administrator (the server's log has the details)".to_string(),
            StoreError::Database(_) => "the database could not be reached or refused the change; nothing was saved — try again".to_string(),
            _ => e.to_string(),
        };
        AppError {
            status,
            message,
            field,
            html: false,
            back: None,
            problems: Vec::new(),
        }
    }
}

impl From<smp_design::DesignError> for AppError {
    fn from(e: smp_design::DesignError) -> AppError {
        let field = e.errors.first().map(|f| f.path.clone());
        let problems = e
            .errors
            .iter()
            .map(|f| Problem {
                field: f.path.clone(),
                message: format!("{}; {}", f.message, f.hint),
            })
            .collect();
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: e.to_string(),
            field,
            html: false,
            back: None,
            problems,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if self.html {
            let back = match &self.back {
                Some(path) => format!("<a href=\"{}\" id=back>Back to where you were</a> · ", crate::html::escape(path)),
                None => String::new(),
            };
            let body = format!(
                "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content='width=device-width'><title>{heading}</title><link rel=stylesheet href=/static/app.css><link rel=icon href=/static/favicon.svg type=image/svg+xml></head><body><main class=narrow><h1>{heading}</h1><p class=error>{msg}</p><p>{back}<a href=/clients>Clients</a></p></main></body></html>",
                heading = self.heading(),
                msg = crate::html::escape(&self.message)
            );
            (self.status, Html(body)).into_response()
        } else {
            let body = ErrorBody {
                error: &self.message,
                field: self.field.as_deref(),
                status: self.status.as_u16(),
                problems: &self.problems,
            };
            (self.status, Json(body)).into_response()
        }
    }
}

/// Result of a handler.
pub type AppResult<T> = Result<T, AppError>;
