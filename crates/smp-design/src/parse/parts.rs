//! The rules of the hairline, the sessions and the views.

use crate::constants::*;
use crate::geometry;
use crate::limits;
use std::collections::BTreeSet;

use super::*;

pub(super) fn check_hairline(v: &mut Checker, h: &HairlineDraft) -> Option<Hairline> {
    if h.points.len() > limits::MAX_POLYGON_POINTS {
        let (message, hint) = limits::too_many_points("hairline", h.points.len());
        v.invalid("hairline.points", message, hint);
        return None;
    }
    let mut ok = true;
    if h.points.len() < 2 {
        v.invalid(
            "hairline.points",
            format!("a hairline needs at least 2 points, found {}", h.points.len()),
            "draw the hairline from the left temple to the right temple",
        );
        ok = false;
    }
    for (i, p) in h.points.iter().enumerate() {
        ok &= v.point(&format!("hairline.points[{i}]"), *p);
    }
    if ok && let Some((i, j)) = geometry::polyline_self_intersection(&h.points) {
        v.invalid(
            "hairline.points",
            format!("the hairline crosses itself (segment {i} meets segment {j})"),
            "redraw the hairline as a single curve from temple to temple",
        );
        ok = false;
    }
    if ok && geometry::polyline_length_mm(&h.points) < 1.0 {
        v.invalid(
            "hairline.points",
            "the hairline has no length".into(),
            "draw the hairline from the left temple to the right temple",
        );
        ok = false;
    }
    ok &= v.range(
        "hairline.feather_mm",
        h.feather_mm.0,
        (0.0, true, MAX_FEATHER_MM),
        "feather",
        "give the transition width in millimetres, typically 5–10",
    );
    ok &= v.range(
        "hairline.irregularity",
        h.irregularity,
        (0.0, true, 1.0),
        "irregularity",
        "use 0 (smooth) to 1 (strongly irregular); 0.4–0.7 looks natural",
    );
    ok.then(|| {
        let mut points = h.points.clone();
        if points[0].x > points[points.len() - 1].x {
            points.reverse(); // always left temple → right temple, so the forehead side is known
        }
        Hairline {
            points,
            feather: h.feather_mm,
            irregularity: h.irregularity,
        }
    })
}

pub(super) fn check_sessions(v: &mut Checker, s: Option<&SessionsDraft>) -> Sessions {
    let Some(s) = s else {
        return Sessions {
            cumulative: DEFAULT_CUMULATIVE.to_vec(),
        };
    };
    let c = &s.cumulative;
    let hint = "list the cumulative share of dots after each session, rising to 1, e.g. [0.3, 0.7, 1.0]";
    if c.is_empty() || c.len() > MAX_SESSIONS {
        v.invalid(
            "sessions.cumulative",
            format!("{} sessions listed, expected 1 to {MAX_SESSIONS}", c.len()),
            hint,
        );
    } else {
        for (i, &f) in c.iter().enumerate() {
            let prev = if i == 0 { 0.0 } else { c[i - 1] };
            if !(f.is_finite() && f > prev && f <= 1.0) {
                v.invalid(
                    &format!("sessions.cumulative[{i}]"),
                    format!("{f} must be above {prev} and at most 1"),
                    hint,
                );
            }
        }
        if c.last().is_some_and(|&l| l != 1.0) {
            v.invalid(
                &format!("sessions.cumulative[{}]", c.len() - 1),
                "the last session must reach 1.0 (all dots)".into(),
                hint,
            );
        }
    }
    Sessions { cumulative: c.clone() }
}

pub(super) fn check_views(v: &mut Checker, views: &[crate::view::View]) {
    let mut names = BTreeSet::new();
    for (i, view) in views.iter().enumerate() {
        let p = format!("views[{i}]");
        if view.name.trim().is_empty() || !names.insert(view.name.as_str()) {
            v.invalid(
                &format!("{p}.name"),
                format!("view name {:?} is empty or used twice", view.name),
                "name each photo view once: top, front, left, right, back or crown",
            );
        }
        if view.file.trim().is_empty() {
            v.invalid(
                &format!("{p}.file"),
                "the view has no photo file".into(),
                "give the photo's path relative to the design file",
            );
        }
        let m = &view.mm_to_px;
        if !m.0.iter().all(|c| c.is_finite()) || m.det().abs() < 1e-9 {
            v.invalid(
                &format!("{p}.mm_to_px"),
                "the mm-to-pixel map is degenerate or not finite".into(),
                "calibrate the view again with two points a known distance apart",
            );
        }
        if let Some(h) = &view.head
            && !(h.radii_px.iter().all(|r| r.is_finite() && *r > 0.0) && h.center_px.iter().all(|c| c.is_finite()))
        {
            v.invalid(
                &format!("{p}.head"),
                "the head outline needs a finite centre and positive radii".into(),
                "outline the head again, or remove \"head\"",
            );
        }
        if let Some(a) = &view.analysis
            && let Some(problem) = a.problem()
        {
            v.invalid(
                &format!("{p}.analysis"),
                format!("the stored photo analysis is damaged: {problem}"),
                "analyse the photo again (smp photo analyze), or remove \"analysis\"",
            );
        }
        if let Some(mask) = &view.mask {
            for (j, e) in mask.edits.iter().enumerate() {
                if e.polygon_px.len() < 3 || !e.polygon_px.iter().flatten().all(|c| c.is_finite()) {
                    v.invalid(
                        &format!("{p}.mask.edits[{j}].polygon_px"),
                        "a mask edit needs at least 3 finite points".into(),
                        "paint the correction again",
                    );
                }
            }
        }
    }
}
