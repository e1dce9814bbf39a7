//! The field checker and the rules of regions: polygons, densities, pigments.

use crate::constants::*;
use crate::error::{FaultClass, FieldError};
use crate::geometry;
use crate::limits;
use crate::model::*;
use crate::units::{Mm, PerCm2, PointMm};
use std::collections::BTreeSet;

use super::*;

#[derive(Default)]
pub(super) struct Checker {
    pub(super) errors: Vec<FieldError>,
}

impl Checker {
    pub(super) fn push(&mut self, class: FaultClass, path: &str, message: String, hint: &str) {
        self.errors.push(FieldError {
            class,
            path: path.into(),
            message,
            hint: hint.into(),
        });
    }
    pub(super) fn invalid(&mut self, path: &str, message: String, hint: &str) {
        self.push(FaultClass::Invalid, path, message, hint);
    }
    pub(super) fn unsupported(&mut self, path: &str, message: String, hint: &str) {
        self.push(FaultClass::Unsupported, path, message, hint);
    }
    /// Finite and within the plausible scalp; returns whether it was.
    pub(super) fn point(&mut self, path: &str, p: PointMm) -> bool {
        if !(p.x.is_finite() && p.y.is_finite()) || p.x.abs() > MAX_COORD_MM || p.y.abs() > MAX_COORD_MM {
            self.invalid(
                path,
                format!("point [{}, {}] is more than {MAX_COORD_MM} mm from the centre", p.x, p.y),
                "coordinates are millimetres on the scalp laid flat; convert pixels or cm to mm",
            );
            return false;
        }
        true
    }
    /// `bounds` is (low, low inclusive, high inclusive).
    pub(super) fn range(&mut self, path: &str, value: f64, (lo, lo_incl, hi): (f64, bool, f64), what: &str, hint: &str) -> bool {
        let ok_lo = if lo_incl { value >= lo } else { value > lo };
        if !(value.is_finite() && ok_lo && value <= hi) {
            let shown = if value.is_finite() {
                format!("{value}")
            } else {
                "not a number".to_string()
            };
            let range = if lo_incl {
                format!("from {lo} to {hi}")
            } else {
                format!("more than {lo} and at most {hi}")
            };
            self.invalid(path, format!("{what} is {shown}; it must be {range}"), hint);
            return false;
        }
        true
    }
}

pub(super) fn check_polygon(v: &mut Checker, path: &str, poly: &[PointMm]) -> bool {
    // Before anything that grows with the number of points (the crossing check).
    if poly.len() > limits::MAX_POLYGON_POINTS {
        let (message, hint) = limits::too_many_points("outline", poly.len());
        v.invalid(path, message, hint);
        return false;
    }
    if poly.len() < 3 {
        v.invalid(
            path,
            format!("a polygon needs at least 3 points, found {}", poly.len()),
            "draw the region with 3 or more corners",
        );
        return false;
    }
    let mut ok = true;
    for (i, p) in poly.iter().enumerate() {
        ok &= v.point(&format!("{path}[{i}]"), *p);
    }
    if !ok {
        return false;
    }
    for i in 0..poly.len() {
        let j = (i + 1) % poly.len();
        if poly[i] == poly[j] {
            v.invalid(
                &format!("{path}[{j}]"),
                format!("point {j} repeats point {i}"),
                "remove the duplicate point",
            );
            return false;
        }
    }
    if let Some((i, j)) = geometry::self_intersection(poly) {
        v.invalid(
            path,
            format!(
                "the polygon crosses itself (edge {i}–{} meets edge {j}–{})",
                i + 1,
                (j + 1) % poly.len()
            ),
            "redraw the outline so that it does not cross itself, or split it into two regions",
        );
        return false;
    }
    if geometry::area_mm2(poly) < 1.0 {
        v.invalid(
            path,
            "the polygon has no area (under 1 mm²)".into(),
            "draw a region at least a few millimetres across",
        );
        return false;
    }
    true
}

pub(super) fn check_regions(v: &mut Checker, drafts: &[RegionDraft]) -> Vec<Region> {
    if !drafts.iter().any(|r| r.kind != RegionKind::Exclude) {
        v.invalid(
            "regions",
            "the design has no treat, blend or scar region".into(),
            "add at least one region that receives dots",
        );
    }
    if drafts.len() > limits::MAX_REGIONS {
        let (message, hint) = limits::too_many_regions(drafts.len());
        v.invalid("regions", message, hint);
        return Vec::new();
    }
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(drafts.len());
    for (i, r) in drafts.iter().enumerate() {
        let p = format!("regions[{i}]");
        check_name(v, &p, &r.name, &mut names);
        check_polygon(v, &format!("{p}.polygon"), &r.polygon);
        let (density, diameter, shade) = if r.kind == RegionKind::Exclude {
            (PerCm2(0.0), Mm(0.0), Shade(0.0))
        } else {
            check_dots(v, &p, r)
        };
        // Exclude regions get no dots, so a pigment there is ignored like their shade.
        let pigment = match &r.pigment {
            Some(pd) if r.kind != RegionKind::Exclude => check_pigment(v, &format!("{p}.pigment"), pd),
            _ => None,
        };
        let edge_blend = match r.edge_blend_mm {
            Some(Mm(w)) if r.kind != RegionKind::Exclude => {
                v.range(
                    &format!("{p}.edge_blend_mm"),
                    w,
                    (0.0, true, MAX_EDGE_BLEND_MM),
                    "edge blend",
                    "give the fade into the surrounding hair in millimetres, typically 5–15 (0 for a hard edge)",
                );
                Mm(w)
            }
            _ => Region::default_edge_blend(r.kind),
        };
        out.push(Region {
            name: r.name.clone(),
            kind: r.kind,
            polygon: r.polygon.clone(),
            density,
            dot_diameter: diameter,
            shade,
            pigment,
            edge_blend,
        });
    }
    out
}

/// Check the name of region `p`: present, and not one of the `names` seen before (to
/// which it is added).
fn check_name<'a>(v: &mut Checker, p: &str, name: &'a str, names: &mut BTreeSet<&'a str>) {
    if name.trim().is_empty() {
        v.invalid(
            &format!("{p}.name"),
            "the region has no name".into(),
            "name every region, e.g. \"crown\"",
        );
    } else if !names.insert(name) {
        v.invalid(
            &format!("{p}.name"),
            format!("the name {name:?} is used twice"),
            "give each region its own name",
        );
    }
}

/// The density, dot diameter and shade of region `p`, which lays dots: each required
/// and in range.
fn check_dots(v: &mut Checker, p: &str, r: &RegionDraft) -> (PerCm2, Mm, Shade) {
    let density = required(
        v,
        &format!("{p}.density_per_cm2"),
        r.density_per_cm2.map(|d| d.0),
        "density_per_cm2",
    );
    let diameter = required(
        v,
        &format!("{p}.dot_diameter_mm"),
        r.dot_diameter_mm.map(|d| d.0),
        "dot_diameter_mm",
    );
    let shade = required(v, &format!("{p}.shade"), r.shade.map(|s| s.0), "shade");
    v.range(
        &format!("{p}.density_per_cm2"),
        density,
        (0.0, false, MAX_DENSITY_PER_CM2),
        "density",
        "use impressions per cm², typically 60–100 (not per mm², not per inch²)",
    );
    v.range(
        &format!("{p}.dot_diameter_mm"),
        diameter,
        (0.0, false, MAX_DOT_DIAMETER_MM),
        "dot diameter",
        "give the needle diameter in millimetres, typically 0.20–0.30",
    );
    v.range(
        &format!("{p}.shade"),
        shade,
        (0.0, true, 1.0),
        "shade",
        "use a relative darkness between 0 (skin) and 1 (darkest)",
    );
    (PerCm2(density), Mm(diameter), Shade(shade))
}

pub(super) fn check_pigment(v: &mut Checker, path: &str, pd: &PigmentDraft) -> Option<RegionPigment> {
    let name = pd.name.trim();
    let mut ok = true;
    if name.is_empty() {
        v.invalid(
            &format!("{path}.name"),
            "the pigment has no name".into(),
            "name a pigment of the library, e.g. \"carbon black\" (smp color match lists them)",
        );
        ok = false;
    }
    if pd.dilution > MAX_DILUTION_WATER_PARTS {
        v.invalid(
            &format!("{path}.dilution"),
            format!("dilution 1:{} is more water than 1:{MAX_DILUTION_WATER_PARTS}", pd.dilution),
            "give the parts of water per part of pigment (1:N), a whole number from 0 to 6",
        );
        ok = false;
    }
    ok.then(|| RegionPigment {
        name: name.to_string(),
        dilution: pd.dilution,
    })
}

pub(super) fn required(v: &mut Checker, path: &str, value: Option<f64>, field: &str) -> f64 {
    value.unwrap_or_else(|| {
        v.invalid(
            path,
            format!("{field} is missing"),
            "treat, blend and scar regions need density_per_cm2, dot_diameter_mm and shade",
        );
        f64::NAN
    })
}
