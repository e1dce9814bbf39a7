//! Photo sets per visit: a client's photos grouped by the day they were taken, each
//! visit showing which of the standard views it has, so before, healed and touch-up
//! sets can be seen to line up (and a missing view is seen before the client leaves).

use smp_store::{PHOTO_VIEWS, Photo, PhotoId};

/// One visit's photos: its date and, per standard view in [`PHOTO_VIEWS`] order, the
/// latest photo of that view taken that day.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// The day, YYYY-MM-DD.
    pub on: String,
    /// Per standard view, its photo that day.
    pub views: Vec<(&'static str, Option<PhotoId>)>,
}

impl Visit {
    /// The standard views this visit lacks.
    pub fn missing(&self) -> Vec<&'static str> {
        self.views.iter().filter(|(_, p)| p.is_none()).map(|(v, _)| *v).collect()
    }
}

/// The visits of `photos`, latest first.
pub fn visits(photos: &[Photo]) -> Vec<Visit> {
    let mut days: Vec<&str> = photos.iter().map(|p| p.taken_on.as_str()).collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    days.into_iter().map(|day| visit_on(photos, day)).collect()
}

/// The visit on `day` (all views missing when no photo was taken that day).
pub fn visit_on(photos: &[Photo], day: &str) -> Visit {
    let views = PHOTO_VIEWS
        .iter()
        .map(|v| {
            let latest = photos.iter().filter(|p| p.taken_on == day && p.view == *v).max_by_key(|p| p.id);
            (*v, latest.map(|p| p.id))
        })
        .collect();
    Visit {
        on: day.to_string(),
        views,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(id: i64, view: &str, on: &str) -> Photo {
        Photo {
            id: PhotoId(id),
            clinic_id: smp_store::ClinicId(1),
            client_id: smp_store::ClientId(1),
            view: view.into(),
            taken_on: on.into(),
            sha256: String::new(),
            media_type: "image/png".into(),
            width_px: 10,
            height_px: 10,
            created_at: 0,
        }
    }

    #[test]
    fn photos_group_by_day_with_the_latest_of_each_view() {
        let photos = [
            photo(1, "top", "2026-01-10"),
            photo(2, "front", "2026-01-10"),
            photo(3, "top", "2026-03-02"),
            photo(4, "top", "2026-03-02"),
        ];
        let v = visits(&photos);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].on, "2026-03-02", "latest first");
        assert_eq!(v[0].views[0], ("top", Some(PhotoId(4))), "the retake counts");
        assert_eq!(v[0].missing(), ["front", "left", "right", "back", "crown"]);
        assert_eq!(v[1].missing(), ["left", "right", "back", "crown"]);
        assert_eq!(visit_on(&photos, "2026-05-05").missing().len(), 6);
    }
}
