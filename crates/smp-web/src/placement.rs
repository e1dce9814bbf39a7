//! Warnings about where a design's dots land in its photo: off the picture, or off the
//! client's head onto the background (a template laid on a photo it was not fitted to).

use smp_design::View;
use smp_photo::analyze::from_stored;
use smp_photo::labels::Label;

use crate::engine::LintJson;

/// Share of the drawn dots off the head or the photo from which the editor warns: a
/// few at a feathered edge are noise, a crown spilling onto the backdrop is not.
const WARN_SHARE: f64 = 0.005;

/// Warnings for dots drawn at photo pixels `px` (flat `[x0, y0, x1, y1, …]`) in `view`:
/// outside the photo (when its size is known) and on the background (when the photo has
/// been read by "Fit to photo").
pub fn placement_lint(view: &View, px: &[f32]) -> Vec<LintJson> {
    let n = px.len() / 2;
    if n == 0 {
        return Vec::new();
    }
    let labels = view.analysis.as_ref().and_then(|a| from_stored(a).ok());
    let (mut off_photo, mut off_head) = (0usize, 0usize);
    for p in px.chunks_exact(2) {
        let (x, y) = (f64::from(p[0]), f64::from(p[1]));
        if let Some([w, h]) = view.photo_size_px
            && !(x >= 0.0 && y >= 0.0 && x < f64::from(w) && y < f64::from(h))
        {
            off_photo += 1;
        } else if labels.as_ref().is_some_and(|l| l.at_px(x, y) == Label::Background) {
            off_head += 1;
        }
    }
    let total = smp_plan::words::count(n as u64);
    let mut out = Vec::new();
    // Without an outline the design lies flat on the photo: nothing keeps the crown on
    // the head, and nothing can tell that it left it.
    if view.head.is_none() && labels.is_none() {
        out.push(LintJson {
            code: "no-head-outline",
            path: "views".into(),
            message: "This photo has no head outline, so the dots lie flat on it and can spill off the head. Draw the outline with Head outline, or use Fit to photo.".into(),
        });
    }
    out.extend(
        [
            (
                off_photo,
                "dots-off-photo",
                "outside the photo. Move or shrink the regions, or check the calibration.",
            ),
            (
                off_head,
                "dots-off-head",
                "off the client's head, on the background. Fit the design to the photo, or move the regions inside the head.",
            ),
        ]
        .into_iter()
        .filter(|(k, _, _)| *k as f64 / n as f64 >= WARN_SHARE)
        .map(|(k, code, where_)| LintJson {
            code,
            path: "regions".into(),
            message: format!("{} of the {total} dots fall {where_}", smp_plan::words::count(k as u64)),
        }),
    );
    out
}
