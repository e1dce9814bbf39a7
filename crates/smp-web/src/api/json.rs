//! A JSON body extractor whose rejections (malformed JSON, a missing or mistyped field,
//! wrong content type) answer in the API's error format, naming what to fix.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// `Json<T>` with API-style errors.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => {
                let status = match &e {
                    JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    JsonRejection::JsonSyntaxError(_) => StatusCode::BAD_REQUEST,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                let mut err = AppError::new(status, format!("{}; see /api/v1/openapi.json for the body", e.body_text()));
                err.field = field_of(&e.body_text());
                Err(err)
            }
        }
    }
}

/// The field a serde rejection is about, as a path (`regions[0].density_per_cm2`):
/// axum puts the path before the message ("name: invalid type: integer `123` …"), and a
/// missing or unknown field names itself in backticks; a quoted value is never taken for
/// the field.
fn field_of(text: &str) -> Option<String> {
    let rest = text.split_once("target type: ").map_or(text, |(_, r)| r);
    let (path, message) = match rest.split_once(": ") {
        Some((p, m)) if !p.is_empty() && !p.contains(' ') => (Some(p), m),
        _ => (None, rest),
    };
    let named = ["missing field `", "unknown field `"]
        .iter()
        .find_map(|k| message.split_once(k).and_then(|(_, r)| r.split('`').next()));
    match (path, named) {
        (Some(p), Some(f)) if p != "." => Some(format!("{p}.{f}")),
        (_, Some(f)) => Some(f.to_string()),
        (Some(p), None) => Some(p.to_string()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn the_field_is_named_never_the_value() {
        let t = "Failed to deserialize the JSON body into the target type: name: invalid type: integer `123`, expected a string at line 1 column 11";
        assert_eq!(field_of(t).as_deref(), Some("name"));
        let t = "Failed to deserialize the JSON body into the target type: missing field `name` at line 1 column 2";
        assert_eq!(field_of(t).as_deref(), Some("name"));
        let t = "Failed to deserialize the JSON body into the target type: regions[0]: missing field `kind` at line 1 column 40";
        assert_eq!(field_of(t).as_deref(), Some("regions[0].kind"));
        assert_eq!(field_of("expected value at line 1 column 1"), None);
    }
}
