//! A client's photos of one view across visits, and the calibration that lines each up:
//! what the progress page and the report's progress section both read.

use smp_design::MmToPx;
use smp_store::{ClientId, PHOTO_VIEWS, Photo};

use crate::auth::CurrentUser;
use crate::engine::HASH_PREFIX;
use crate::error::AppResult;
use crate::service::designs::load_design;
use crate::state::AppState;

/// The client's photos of `view`, oldest first (same day: in upload order).
pub async fn photos_of_view(state: &AppState, me: &CurrentUser, client: ClientId, view: &str) -> AppResult<Vec<Photo>> {
    let mut of_view: Vec<Photo> = state
        .store
        .list_photos(me.clinic_id(), client)
        .await?
        .into_iter()
        .filter(|p| p.view == view)
        .collect();
    of_view.sort_by(|a, b| a.taken_on.cmp(&b.taken_on).then(a.id.cmp(&b.id)));
    Ok(of_view)
}

/// The view map of a photo: a design of the client whose view of that name holds it.
pub async fn view_map(state: &AppState, me: &CurrentUser, client: ClientId, photo: &Photo) -> AppResult<Option<MmToPx>> {
    let file = format!("{HASH_PREFIX}{}", photo.sha256);
    for d in state.store.list_designs(me.clinic_id(), client).await? {
        let (design, _) = load_design(state, me, d.id, d.latest_version).await?;
        if let Some(v) = design.views().iter().find(|v| v.name == photo.view && v.file == file) {
            return Ok(Some(v.mm_to_px));
        }
    }
    Ok(None)
}

/// Two photos of one view from different visits with each one's view map, earlier first.
pub struct VisitPair {
    /// The earlier photo and its view map, if a design calibrates it.
    pub earlier: (Photo, Option<MmToPx>),
    /// The later photo and its view map.
    pub later: (Photo, Option<MmToPx>),
}

/// The view's first and latest photos when they were taken on different days, for the
/// report's progress section.
pub async fn first_and_latest(state: &AppState, me: &CurrentUser, client: ClientId, view: &str) -> AppResult<Option<VisitPair>> {
    if !PHOTO_VIEWS.contains(&view) {
        return Ok(None);
    }
    let of_view = photos_of_view(state, me, client, view).await?;
    let (Some(first), Some(last)) = (of_view.first(), of_view.last()) else {
        return Ok(None);
    };
    if first.taken_on == last.taken_on {
        return Ok(None);
    }
    let (a, b) = (first.clone(), last.clone());
    let maps = (view_map(state, me, client, &a).await?, view_map(state, me, client, &b).await?);
    Ok(Some(VisitPair {
        earlier: (a, maps.0),
        later: (b, maps.1),
    }))
}
