//! From bytes to a trusted [`Design`]: JSON syntax, format and version, field types, then
//! every range and consistency rule, each failure located by its field path.

use crate::draft::*;
use crate::error::{DesignError, FaultClass};
use crate::limits;
use crate::model::*;

mod parts;
mod regions;

use parts::*;
use regions::*;

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
            use std::io::ErrorKind;
            let (why, fix) = match e.kind() {
                ErrorKind::NotFound => ("there is no such file", "check the file name and folder"),
                ErrorKind::PermissionDenied => ("you are not allowed to read it", "check the file's permissions"),
                ErrorKind::InvalidData => (
                    "it is not text (a design is a JSON text file)",
                    "open the design file, not an image or PDF",
                ),
                ErrorKind::IsADirectory => ("it is a folder", "give the design file inside it"),
                _ => ("it could not be read", "check the path and that the file is readable"),
            };
            DesignError::one(FaultClass::Io, "$", format!("cannot read {}: {why}", path.display()), fix)
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
