//! Progress: the same view from two visits side by side and under a slider, the later
//! photo lined up with the earlier one by the head's calibration (each photo's view in
//! a design), else by the card held in both.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use smp_store::{Client, PHOTO_VIEWS, Photo};
use smp_store::{ClientId, PhotoId};

use super::{Nav, html};
use crate::auth::{CurrentUser, Permission};
use crate::engine::png;
use crate::error::{AppError, AppResult};
use crate::service::photos::decoded;
use crate::service::visits::{photos_of_view, view_map};
use crate::service::work::blocking;
use crate::state::AppState;

/// `?view=&a=&b=`: the view and the two photos (default: its two latest).
#[derive(Deserialize, Default)]
pub struct ProgressQuery {
    view: Option<String>,
    a: Option<PhotoId>,
    b: Option<PhotoId>,
}

/// The progress page.
#[derive(Template, WebTemplate)]
#[template(path = "progress.html")]
pub struct ProgressPage {
    nav: Nav,
    client: Client,
    view: String,
    views: [&'static str; 6],
    /// The view's photos: id and date.
    photos: Vec<(PhotoId, String)>,
    /// The earlier and later photo, when the view has two.
    pair: Option<(Photo, Photo)>,
    /// How the later photo is lined up, in words.
    aligned_by: String,
}

/// The two photos the query names (same client, same view), earlier first.
async fn pair_of(
    state: &AppState,
    me: &CurrentUser,
    client: ClientId,
    q: &ProgressQuery,
) -> AppResult<(String, Vec<Photo>, Option<(Photo, Photo)>)> {
    let view = q.view.clone().unwrap_or_else(|| "top".into());
    if !PHOTO_VIEWS.contains(&view.as_str()) {
        return Err(AppError::field(
            "view",
            format!("{view:?} is not a standard view; use one of {}", PHOTO_VIEWS.join(", ")),
        ));
    }
    let of_view = photos_of_view(state, me, client, &view).await?;
    let pick = |id: Option<PhotoId>, fallback: Option<&Photo>| -> AppResult<Option<Photo>> {
        match id {
            Some(id) => of_view
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .map(Some)
                .ok_or_else(|| AppError::field("photo", format!("photo {id} is not a {view} photo of this client"))),
            None => Ok(fallback.cloned()),
        }
    };
    let n = of_view.len();
    let a = pick(q.a, n.checked_sub(2).map(|i| &of_view[i]))?;
    let b = pick(q.b, n.checked_sub(1).map(|i| &of_view[i]))?;
    let pair = match (a, b) {
        (Some(a), Some(b)) if a.id != b.id => Some(if (a.taken_on.as_str(), a.id) <= (b.taken_on.as_str(), b.id) {
            (a, b)
        } else {
            (b, a)
        }),
        _ => None,
    };
    Ok((view, of_view, pair))
}

/// GET /clients/{id}/progress
pub async fn show(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ClientId>,
    Query(q): Query<ProgressQuery>,
) -> AppResult<ProgressPage> {
    me.require(Permission::ReadMedical).map_err(|e| e.as_html())?;
    let client = state.store.client(me.clinic_id(), id).await.map_err(html)?;
    let (view, of_view, pair) = pair_of(&state, &me, id, &q).await.map_err(|e| e.as_html())?;
    let aligned_by = match &pair {
        None => String::new(),
        Some((a, b)) => {
            let maps = (view_map(&state, &me, id, a).await?, view_map(&state, &me, id, b).await?);
            if maps.0.is_some() && maps.1.is_some() {
                "Lined up by the head's calibration in both photos.".into()
            } else {
                "Lined up by the calibration card when it is in both photos (hold it in the same place each visit); calibrate both photos in a design to line up the head itself.".into()
            }
        }
    };
    crate::records::audit(&state, &me, "read", "photos", id, Some(id)).await?;
    Ok(ProgressPage {
        nav: Nav::of(&me),
        client,
        view,
        views: PHOTO_VIEWS,
        photos: of_view.iter().map(|p| (p.id, p.taken_on.clone())).collect(),
        pair,
        aligned_by,
    })
}

/// GET /clients/{id}/progress/aligned.png?view=&a=&b=: the later photo in the earlier
/// one's frame (as it is when neither the calibration nor a card can line it up).
pub async fn aligned(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ClientId>,
    Query(q): Query<ProgressQuery>,
) -> AppResult<Response> {
    me.require(Permission::ReadMedical)?;
    let (_, _, pair) = pair_of(&state, &me, id, &q).await?;
    let (a, b) = pair.ok_or_else(|| AppError::field("photo", "choose two different photos of the view"))?;
    let maps = (view_map(&state, &me, id, &a).await?, view_map(&state, &me, id, &b).await?);
    let (ia, ib) = (decoded(&state, &a.sha256).await?, decoded(&state, &b.sha256).await?);
    crate::records::audit(&state, &me, "read", "photo", b.id, Some(id)).await?;
    let bytes = blocking(&state, move || {
        let (out, _) = smp_photo::card::align::line_up(&ia, maps.0.as_ref(), &ib, maps.1.as_ref());
        png(&out)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")], bytes).into_response())
}
