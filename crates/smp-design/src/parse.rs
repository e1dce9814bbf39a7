//! From bytes to a trusted [`Design`]: JSON syntax, format and version, field types, then
//! every range and consistency rule, each failure located by its field path.

use std::collections::BTreeSet;

use crate::constants::*;
use crate::draft::*;
use crate::error::{DesignError, FaultClass, FieldError};
use crate::geometry;
use crate::limits;
use crate::model::*;
use crate::units::{Mm, PerCm2, PointMm};

/// A field the reader could not take, in words, with how to fix it: the nearest known
/// name for a misspelt field, and types as people say them ("a number", not "f64").
fn field_fault(serde_message: &str) -> (String, String) {
    if let Some(rest) = serde_message.strip_prefix("unknown field `")
        && let Some((name, tail)) = rest.split_once('`')
    {
        let known: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
        let nearest = known.iter().copied().min_by_key(|k| edit_distance(name, k));
        let fix = match nearest {
            Some(k) if edit_distance(name, k) <= 3 => format!("did you mean \"{k}\"? The fields here are: {}", known.join(", ")),
            _ if known.is_empty() => "remove it: this part of the design takes no fields".to_string(),
            _ => format!("remove it or use one of: {}", known.join(", ")),
        };
        return (format!("unknown field \"{name}\""), fix);
    }
    let mut m = serde_message.to_string();
    for (code, words) in [
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected a sequence", "expected a list in [ ]"),
        ("expected a map", "expected an object in { }"),
        ("expected a string", "expected text in quotes"),
        ("invalid type: string", "got the text"),
        ("invalid type: floating point", "got the number"),
        ("invalid type: integer", "got the number"),
        ("invalid type: map", "got an object"),
        ("invalid type: sequence", "got a list"),
        ("invalid type: null", "got null"),
        ("invalid type: boolean", "got"),
    ] {
        m = m.replace(code, words);
    }
    (
        m,
        "write numbers without quotes, text in quotes and points as [x, y] in mm".to_string(),
    )
}

/// Levenshtein distance between two field names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != b[j])).min(row[j] + 1).min(up + 1);
            diag = up;
        }
    }
    row[b.len()]
}

impl Design {
    /// Parse and validate a design file's text.
    pub fn parse(text: &str) -> Result<Design, DesignError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            DesignError::one(
                FaultClass::Syntax,
                "$",
                format!("not valid JSON at line {} column {}: {e}", e.line(), e.column()),
                "save the design as JSON (check for a missing comma, quote or bracket)",
            )
        })?;
        check_format_and_version(&value)?;
        let draft: DesignDraft = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let (problem, fix) = field_fault(&e.into_inner().to_string());
            DesignError::one(FaultClass::Syntax, if path == "." { "$" } else { &path }, problem, &fix)
        })?;
        Design::from_draft(draft)
    }

    /// Read and validate a design file.
    pub fn load(path: &std::path::Path) -> Result<Design, DesignError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            DesignError::one(
                FaultClass::Io,
                "$",
                format!("cannot read {}: {e}", path.display()),
                "check the path and that the file is readable UTF-8 text",
            )
        })?;
        Design::parse(&text)
    }

    /// Validate a draft; every problem is reported, not just the first.
    pub fn from_draft(d: DesignDraft) -> Result<Design, DesignError> {
        let mut v = Checker::default();
        if d.format != FORMAT {
            v.unsupported("format", format!("unknown format {:?}", d.format), "set \"format\": \"smp-design\"");
        }
        if d.version != VERSION {
            v.unsupported(
                "version",
                format!("version {} is not supported (this build reads version {VERSION})", d.version),
                "update SMP Studio, or save the design as version 1",
            );
        }
        if d.name.trim().is_empty() {
            v.invalid(
                "name",
                "the name is empty".into(),
                "give the design a name, e.g. the client's initials and date",
            );
        }
        let regions = check_regions(&mut v, &d.regions);
        let asked: f64 = regions
            .iter()
            .filter(|r| r.has_dots())
            .map(|r| r.polygon_area().0 * r.density.0)
            .sum();
        if asked > limits::MAX_IMPRESSIONS {
            v.invalid(
                "regions",
                format!(
                    "the regions ask for about {:.0} impressions; at most {:.0} are accepted",
                    asked,
                    limits::MAX_IMPRESSIONS
                ),
                "check the regions' sizes and densities: a full head is 30 000–50 000 impressions",
            );
        }
        let hairline = d.hairline.as_ref().and_then(|h| check_hairline(&mut v, h));
        let sessions = check_sessions(&mut v, d.sessions.as_ref());
        for (name, p) in &d.landmarks {
            v.point(&format!("landmarks.{name}"), *p);
        }
        check_views(&mut v, &d.views);
        for (field, lab) in [("colours.skin_lab", d.colours.skin_lab), ("colours.hair_lab", d.colours.hair_lab)] {
            if let Some(why) = lab.and_then(smp_color::srgb::lab_range_error) {
                v.invalid(
                    field,
                    why,
                    "give CIELAB as [L*, a*, b*]: L* from 0 (black) to 100 (white), a* and b* within ±128",
                );
            }
        }
        if !v.errors.is_empty() {
            return Err(DesignError { errors: v.errors });
        }
        Ok(Design {
            name: d.name,
            seed: d.seed,
            regions,
            hairline,
            sessions,
            clusters: Clusters {
                enabled: d.clusters.is_some_and(|c| c.enabled),
            },
            landmarks: d.landmarks,
            views: d.views,
            colours: d.colours,
        })
    }

    /// The design as a draft, e.g. to edit it or write it back.
    pub fn to_draft(&self) -> DesignDraft {
        DesignDraft {
            format: FORMAT.into(),
            version: VERSION,
            name: self.name.clone(),
            seed: self.seed,
            regions: self
                .regions
                .iter()
                .map(|r| {
                    let dots = r.has_dots();
                    RegionDraft {
                        name: r.name.clone(),
                        kind: r.kind,
                        polygon: r.polygon.clone(),
                        density_per_cm2: dots.then_some(r.density),
                        dot_diameter_mm: dots.then_some(r.dot_diameter),
                        shade: dots.then_some(r.shade),
                        pigment: r.pigment.as_ref().filter(|_| dots).map(|p| PigmentDraft {
                            name: p.name.clone(),
                            dilution: p.dilution,
                        }),
                        edge_blend_mm: (dots && r.edge_blend != Region::default_edge_blend(r.kind)).then_some(r.edge_blend),
                    }
                })
                .collect(),
            hairline: self.hairline.as_ref().map(|h| HairlineDraft {
                points: h.points.clone(),
                feather_mm: h.feather,
                irregularity: h.irregularity,
            }),
            sessions: Some(SessionsDraft {
                cumulative: self.sessions.cumulative.clone(),
            }),
            clusters: self.clusters.enabled.then_some(ClustersDraft { enabled: true }),
            landmarks: self.landmarks.clone(),
            views: self.views.clone(),
            colours: self.colours,
        }
    }

    /// The design as pretty-printed JSON (format v1).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.to_draft()).expect("a draft always serialises");
        s.push('\n');
        s
    }
}

fn check_format_and_version(value: &serde_json::Value) -> Result<(), DesignError> {
    let Some(obj) = value.as_object() else {
        return Err(DesignError::one(
            FaultClass::Syntax,
            "$",
            "the design is not a JSON object".into(),
            "start the file with {\"format\":\"smp-design\",\"version\":1, …}",
        ));
    };
    match obj.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        other => {
            return Err(DesignError::one(
                FaultClass::Unsupported,
                "format",
                match other {
                    Some(f) => format!("unknown format {f:?}, this is not an SMP Studio design"),
                    None => "the \"format\" field is missing or not a string".into(),
                },
                "set \"format\": \"smp-design\" (or open the file with the program that made it)",
            ));
        }
    }
    match obj.get("version").and_then(|v| v.as_u64()) {
        Some(1) => Ok(()),
        Some(n) if n > u64::from(VERSION) => Err(DesignError::one(
            FaultClass::Unsupported,
            "version",
            format!("the design is version {n}, newer than this build of SMP Studio reads (version {VERSION})"),
            "update SMP Studio to open it",
        )),
        _ => Err(DesignError::one(
            FaultClass::Syntax,
            "version",
            format!(
                "version must be the integer {VERSION}, found {}",
                obj.get("version").map_or("nothing".into(), |v| v.to_string())
            ),
            "set \"version\": 1",
        )),
    }
}

#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn push(&mut self, class: FaultClass, path: &str, message: String, hint: &str) {
        self.errors.push(FieldError {
            class,
            path: path.into(),
            message,
            hint: hint.into(),
        });
    }
    fn invalid(&mut self, path: &str, message: String, hint: &str) {
        self.push(FaultClass::Invalid, path, message, hint);
    }
    fn unsupported(&mut self, path: &str, message: String, hint: &str) {
        self.push(FaultClass::Unsupported, path, message, hint);
    }
    /// Finite and within the plausible scalp; returns whether it was.
    fn point(&mut self, path: &str, p: PointMm) -> bool {
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
    fn range(&mut self, path: &str, value: f64, (lo, lo_incl, hi): (f64, bool, f64), what: &str, hint: &str) -> bool {
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

fn check_polygon(v: &mut Checker, path: &str, poly: &[PointMm]) -> bool {
    // Before anything that grows with the number of points (the crossing check).
    if poly.len() > limits::MAX_POLYGON_POINTS {
        v.invalid(
            path,
            format!(
                "the outline has {} points; at most {} are accepted",
                poly.len(),
                limits::MAX_POLYGON_POINTS
            ),
            "simplify the outline (fewer corners keep the same shape)",
        );
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

fn check_regions(v: &mut Checker, drafts: &[RegionDraft]) -> Vec<Region> {
    if !drafts.iter().any(|r| r.kind != RegionKind::Exclude) {
        v.invalid(
            "regions",
            "the design has no treat, blend or scar region".into(),
            "add at least one region that receives dots",
        );
    }
    if drafts.len() > limits::MAX_REGIONS {
        v.invalid(
            "regions",
            format!(
                "the design has {} regions; at most {} are accepted",
                drafts.len(),
                limits::MAX_REGIONS
            ),
            "merge neighbouring regions with the same settings",
        );
        return Vec::new();
    }
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(drafts.len());
    for (i, r) in drafts.iter().enumerate() {
        let p = format!("regions[{i}]");
        if r.name.trim().is_empty() {
            v.invalid(
                &format!("{p}.name"),
                "the region has no name".into(),
                "name every region, e.g. \"crown\"",
            );
        } else if !names.insert(r.name.as_str()) {
            v.invalid(
                &format!("{p}.name"),
                format!("the name {:?} is used twice", r.name),
                "give each region its own name",
            );
        }
        check_polygon(v, &format!("{p}.polygon"), &r.polygon);
        let (density, diameter, shade) = if r.kind == RegionKind::Exclude {
            (PerCm2(0.0), Mm(0.0), Shade(0.0))
        } else {
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

fn check_pigment(v: &mut Checker, path: &str, pd: &PigmentDraft) -> Option<RegionPigment> {
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

fn required(v: &mut Checker, path: &str, value: Option<f64>, field: &str) -> f64 {
    value.unwrap_or_else(|| {
        v.invalid(
            path,
            format!("{field} is missing"),
            "treat, blend and scar regions need density_per_cm2, dot_diameter_mm and shade",
        );
        f64::NAN
    })
}

fn check_hairline(v: &mut Checker, h: &HairlineDraft) -> Option<Hairline> {
    if h.points.len() > limits::MAX_POLYGON_POINTS {
        v.invalid(
            "hairline.points",
            format!(
                "the hairline has {} points; at most {} are accepted",
                h.points.len(),
                limits::MAX_POLYGON_POINTS
            ),
            "simplify the hairline (fewer points keep the same shape)",
        );
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

fn check_sessions(v: &mut Checker, s: Option<&SessionsDraft>) -> Sessions {
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

fn check_views(v: &mut Checker, views: &[crate::view::View]) {
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
