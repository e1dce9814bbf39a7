//! Guided capture: the standard views taken with the camera, each over an outline guide
//! and the previous visit's photo of the view, checked on the spot.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use smp_store::ClientId;
use smp_store::{Client, PHOTO_VIEWS};

use super::{Nav, html, today};
use crate::auth::{CurrentUser, Permission};
use crate::error::AppResult;
use crate::state::AppState;

/// What the practitioner is told for each view.
fn tip(view: &str) -> &'static str {
    match view {
        "front" => "Face the client straight on at eye level, the hairline and both temples in the frame.",
        "top" => "From above, the crown in the middle, the hairline at the top of the frame.",
        "left" | "right" => "From the side at ear level, the ear in the middle, the temple and the crown in the frame.",
        "back" => "From behind at eye level, the crown and the nape in the frame.",
        _ => "The crown from above and behind, filling the frame.",
    }
}

/// The capture page.
#[derive(Template, WebTemplate)]
#[template(path = "capture.html")]
pub struct CapturePage {
    nav: Nav,
    client: Client,
    today: String,
    /// Each standard view: its name, the URL of its latest photo (the ghost) or "", a tip,
    /// and whether it has been taken today.
    views: Vec<(&'static str, String, &'static str, bool)>,
}

/// GET /clients/{id}/capture
pub async fn show(State(state): State<AppState>, me: CurrentUser, Path(id): Path<ClientId>) -> AppResult<CapturePage> {
    me.require(Permission::EditMedical).map_err(|e| e.as_html())?;
    let clinic = me.clinic_id();
    let client = state.store.client(clinic, id).await.map_err(html)?;
    let photos = state.store.list_photos(clinic, id).await.map_err(html)?;
    let day = today(&me.clinic.time_zone);
    let this_visit = super::visits::visit_on(&photos, &day);
    let views = PHOTO_VIEWS
        .iter()
        .map(|v| {
            let last = photos
                .iter()
                .filter(|p| p.view == *v)
                .max_by(|a, b| a.taken_on.cmp(&b.taken_on).then(a.id.cmp(&b.id)));
            let done = this_visit.views.iter().any(|(w, p)| w == v && p.is_some());
            (*v, last.map_or(String::new(), |p| format!("/photos/{}/image", p.id)), tip(v), done)
        })
        .collect();
    Ok(CapturePage {
        nav: Nav::of(&me),
        client,
        today: day,
        views,
    })
}
