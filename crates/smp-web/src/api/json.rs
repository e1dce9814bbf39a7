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
                // serde names the field: "missing field `x`" / "x: invalid type".
                let text = e.body_text();
                err.field = text.split('`').nth(1).map(str::to_string);
                Err(err)
            }
        }
    }
}
