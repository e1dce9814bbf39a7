//! What wraps every request: security headers, the cache policy for medical pages, and
//! a request id with a tracing span (the id goes back in `x-request-id`, so a user's
//! report of an error can be found in the server's log).

use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderValue, Request, header};
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// The policy every page is served under: scripts and frames from the app only (no
/// inline script can run, so an injected one is inert), images also as data/blob URLs
/// (the editor's previews), no embedding in other sites' frames.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
                   connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The app with every request numbered and traced, and the security headers on every
/// response.
pub fn wrap(app: axum::Router) -> axum::Router {
    let set = |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    // The last layer added is the outermost: the id is set before the span opens.
    app.layer(set(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span_of)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(Counter::default()))
}

/// `no-store` on all but the static files and the public results page: medical pages
/// and photos must not stay in a shared tablet's cache after logout.
pub async fn no_store_unless_public(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let public = {
        let p = req.uri().path();
        p.starts_with("/static/") || p.starts_with("/public/")
    };
    let mut res = next.run(req).await;
    if !public {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Request ids: this process's requests numbered from 1.
#[derive(Debug, Clone, Default)]
pub struct Counter(std::sync::Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        HeaderValue::from_str(&n.to_string()).ok().map(RequestId::new)
    }
}

/// The span of one request: its id, method and path (never the query string, which
/// may carry a client's name from a search).
fn span_of<B>(req: &Request<B>) -> tracing::Span {
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", id, method = %req.method(), path = %req.uri().path())
}
