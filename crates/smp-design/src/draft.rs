//! The design file as written on disk (format v1): plain serde types with optional fields.
//! A draft is untrusted; [`crate::Design::from_draft`] checks it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{RegionKind, Shade};
use crate::units::{Mm, PerCm2, PointMm};
use crate::view::View;

/// The `format` value of every design file.
pub const FORMAT: &str = "smp-design";
/// The newest design format version this build reads and writes.
pub const VERSION: u32 = 1;

/// A design file before validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignDraft {
    /// Always `smp-design`.
    pub format: String,
    /// Format version, 1.
    pub version: u32,
    /// Display name.
    pub name: String,
    /// Seed of every random choice.
    #[serde(default)]
    pub seed: u64,
    /// Regions; later ones win where regions of the same kind overlap.
    pub regions: Vec<RegionDraft>,
    /// Optional designed hairline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hairline: Option<HairlineDraft>,
    /// Session plan; three sessions (30/70/100 %) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions: Option<SessionsDraft>,
    /// Follicular-unit clustering; off when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clusters: Option<ClustersDraft>,
    /// Named points, e.g. `glabella`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub landmarks: BTreeMap<String, PointMm>,
    /// Photo views: how the design maps onto each consultation photo.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
    /// The client's skin and hair colours as the clinic measured them, used by pigment
    /// matching and the report instead of sampling the photo.
    #[serde(default, skip_serializing_if = "Colours::is_empty")]
    pub colours: Colours,
}

impl DesignDraft {
    /// A draft of the current format with `regions` and nothing else: no hairline, the
    /// default sessions, no clusters, landmarks, views or colours.
    pub fn with_regions(name: &str, seed: u64, regions: Vec<RegionDraft>) -> Self {
        DesignDraft {
            format: FORMAT.into(),
            version: VERSION,
            name: name.into(),
            seed,
            regions,
            hairline: None,
            sessions: None,
            clusters: None,
            landmarks: BTreeMap::new(),
            views: Vec::new(),
            colours: Colours::default(),
        }
    }
}

/// Measured colours (CIELAB, D65) of a client: each replaces the photo's sample.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colours {
    /// Scalp skin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skin_lab: Option<[f64; 3]>,
    /// Hair, or better its shaved stubble tips (`smp stubble`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hair_lab: Option<[f64; 3]>,
}

impl Colours {
    /// Whether neither colour is given.
    pub fn is_empty(&self) -> bool {
        self.skin_lab.is_none() && self.hair_lab.is_none()
    }
}

/// A region before validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionDraft {
    /// Unique name.
    pub name: String,
    /// Region kind.
    pub kind: RegionKind,
    /// Closed polygon, millimetres.
    pub polygon: Vec<PointMm>,
    /// Impressions per cm² (not used by `exclude`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub density_per_cm2: Option<PerCm2>,
    /// Fresh dot diameter, mm (not used by `exclude`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dot_diameter_mm: Option<Mm>,
    /// Relative darkness 0..1 (not used by `exclude`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shade: Option<Shade>,
    /// The chosen pigment and dilution (not used by `exclude`); `shade` with carbon
    /// black when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pigment: Option<PigmentDraft>,
    /// Width, mm, over which dots fade out past the region's open edges (those not shared
    /// with another region) into the surrounding hair; 0 for a hard edge. Absent: 10 mm
    /// for treat and blend, 0 for scar (not used by `exclude`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_blend_mm: Option<Mm>,
}

/// A region's pigment before validation: a pigment library name and its dilution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PigmentDraft {
    /// Name in the pigment library, e.g. `carbon black`.
    pub name: String,
    /// Parts of water per part of pigment (1:N), 0..=6.
    pub dilution: u32,
}

impl RegionDraft {
    /// A region; `exclude` regions drop the dot fields, which they do not use.
    pub fn new(name: &str, kind: RegionKind, polygon: Vec<PointMm>, density: PerCm2, dot_diameter: Mm, shade: Shade) -> Self {
        let dots = kind != RegionKind::Exclude;
        RegionDraft {
            name: name.into(),
            kind,
            polygon,
            density_per_cm2: dots.then_some(density),
            dot_diameter_mm: dots.then_some(dot_diameter),
            shade: dots.then_some(shade),
            pigment: None,
            edge_blend_mm: None,
        }
    }
}

/// A hairline before validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HairlineDraft {
    /// Open curve, left temple to right temple, millimetres.
    pub points: Vec<PointMm>,
    /// Transition width, mm.
    pub feather_mm: Mm,
    /// 0..1.
    pub irregularity: f64,
}

/// Sessions before validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionsDraft {
    /// Cumulative fraction of dots after each session.
    pub cumulative: Vec<f64>,
}

/// Clustering before validation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClustersDraft {
    /// Group impressions into follicular units of 1–4.
    pub enabled: bool,
}
