//! The OpenAPI 3.1 document of `/api/v1`, built from one table of the routes (which
//! the tests also walk, so every route is documented and every documented route exists).

use axum::Json;
use serde_json::{Value, json};

/// One documented operation: method, path, summary, request body, success status.
pub struct Op {
    /// HTTP method, lower case.
    pub method: &'static str,
    /// Path under `/api/v1`, `{id}` style parameters.
    pub path: &'static str,
    /// What it does.
    pub summary: &'static str,
    /// Request body description (JSON unless noted), or empty.
    pub body: &'static str,
    /// Success status.
    pub status: u16,
    /// Whether the route needs a login.
    pub auth: bool,
}

/// Every operation of the API.
pub const OPS: &[Op] = &[
    Op {
        method: "get",
        path: "/me",
        summary: "The logged-in user, clinic, permissions and CSRF token",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "get",
        path: "/openapi.json",
        summary: "This document",
        body: "",
        status: 200,
        auth: false,
    },
    Op {
        method: "get",
        path: "/clients",
        summary: "Clients of the clinic; ?q= searches name, e-mail, phone",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/clients",
        summary: "Create a client",
        body: "{name, email?, phone?, notes?}",
        status: 201,
        auth: true,
    },
    Op {
        method: "get",
        path: "/clients/{id}",
        summary: "A client (notes hidden from front desk)",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "put",
        path: "/clients/{id}",
        summary: "Replace a client's details",
        body: "{name, email?, phone?, notes?}",
        status: 200,
        auth: true,
    },
    Op {
        method: "get",
        path: "/clients/{id}/photos",
        summary: "A client's photos",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/clients/{id}/photos",
        summary: "Upload a photo; the answer adds its on-the-spot checks and the card's scale",
        body: "multipart/form-data: view (top|front|left|right|back|crown), taken_on (YYYY-MM-DD), file (JPEG/PNG/WebP), check? (1: refuse a blurred or badly exposed photo); CSRF token as ?_csrf= or X-CSRF-Token",
        status: 201,
        auth: true,
    },
    Op {
        method: "get",
        path: "/clients/{id}/designs",
        summary: "A client's designs",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/clients/{id}/designs",
        summary: "Create a design from a template or a design file",
        body: "{name, photo_id?, pattern? | design?}",
        status: 201,
        auth: true,
    },
    Op {
        method: "get",
        path: "/photos/{id}",
        summary: "Photo metadata",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "get",
        path: "/photos/{id}/image",
        summary: "The photo file",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "get",
        path: "/designs/{id}",
        summary: "A design's record (name, latest version)",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "get",
        path: "/designs/{id}/versions",
        summary: "All versions with their design JSON",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/designs/{id}/versions",
        summary: "Save a new version; 409 if someone saved after base_version",
        body: "{base_version, design, note?}",
        status: 201,
        auth: true,
    },
    Op {
        method: "get",
        path: "/designs/{id}/versions/{v}",
        summary: "One version",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "get",
        path: "/designs/{id}/plan",
        summary: "Plan and quote of the latest version (as smp plan --json)",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/dots",
        summary: "Dots of an unsaved design in a view's pixels, with lint",
        body: "{design, view, upto? (0 = all)}",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/calibrate",
        summary: "Calibrate a view from two points a known distance apart (or the two pupils, or the calibration card in the photo) and the glabella; a colour chart in the photo is found too, and its colours correct the view's",
        body: "{design, view, photo_id, ref_px, ref_mm?, and p1_px, p2_px, distance_mm (ruler or coin) or pupils_px: [[x,y],[x,y]], ipd_mm? (63 assumed) or card: true}",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/chart",
        summary: "Correct a view's colours through the ColorChecker colour chart in its photo, found by itself or at four clicks on its corner patches",
        body: "{design, view, corners_px?: [[x,y]×4] (any order)}",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/preview",
        summary: "Preview of an unsaved design (fresh, healed or aged:N) as PNG, or JPEG with format \"jpeg\"",
        body: "{design, view, state, upto?, max_width_px?, format?: png|jpeg}",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/fit",
        summary: "Fit an unsaved design to its view's photo: regions, hairline and colours, with a summary",
        body: "{design, view, seeds?: {hair_px: [[x,y]…], scalp_px: [[x,y]…]}, hairline_mm?}",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/overlay",
        summary: "PNG of the view's photo with its stored reading (bald, thinning, haired scalp, skin) tinted over it",
        body: "{design, view, max_width_px?}",
        status: 200,
        auth: true,
    },
    Op {
        method: "get",
        path: "/pigments",
        summary: "The pigment library: dilutions tried and each pigment's name, masstone (sRGB) and note",
        body: "",
        status: 200,
        auth: true,
    },
    Op {
        method: "post",
        path: "/color/match",
        summary: "Pigment and dilution for an unsaved design on its view's photo, as `smp color match D --view NAME --json`",
        body: "{design, view, skin_lab?: [L,a,b], hair_lab?: [L,a,b]}",
        status: 200,
        auth: true,
    },
];

/// GET /api/v1/openapi.json
pub async fn document() -> Json<Value> {
    let mut paths = serde_json::Map::new();
    for op in OPS {
        let entry = paths.entry(op.path).or_insert_with(|| json!({}));
        let params: Vec<Value> = op
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer"}}))
            .collect();
        let mut o = json!({
            "summary": op.summary,
            "parameters": params,
            "responses": {
                op.status.to_string(): {"description": "success"},
                "4XX": {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        if !op.body.is_empty() {
            o["requestBody"] = json!({"description": op.body, "required": true});
        }
        if op.auth {
            o["security"] = json!([{"session": []}]);
        }
        entry[op.method] = o;
    }
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "SMP Studio API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "smp_session",
                "description": "Log in with POST /login (form: email, password, _csrf = the smp_login_csrf cookie); send X-CSRF-Token (from GET /me) on POST/PUT."}},
            "schemas": {"Error": {"type": "object", "required": ["error", "status"], "properties": {
                "error": {"type": "string"}, "field": {"type": "string"}, "status": {"type": "integer"}}}}
        }
    }))
}
