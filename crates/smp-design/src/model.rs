//! The validated design: what every later stage reads. Built only by [`crate::parse`].

use std::collections::BTreeMap;

use crate::geometry;
use crate::units::{Cm2, Mm, PerCm2, PointMm};
use crate::view::View;

/// What a region asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    /// Full coverage (bald areas).
    Treat,
    /// Thinning under longer hair: dots only where scalp shows.
    Blend,
    /// Scar camouflage with its own density and shade.
    Scar,
    /// A hole kept free of dots (moles, areas to leave).
    Exclude,
}

impl RegionKind {
    /// All kinds in document order.
    pub const ALL: [RegionKind; 4] = [Self::Treat, Self::Blend, Self::Scar, Self::Exclude];

    /// Precedence where regions overlap: the higher wins (exclude cuts everything,
    /// a scar's own settings beat the surrounding area, blend refines treat).
    pub fn precedence(self) -> u8 {
        match self {
            Self::Treat => 0,
            Self::Blend => 1,
            Self::Scar => 2,
            Self::Exclude => 3,
        }
    }

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Treat => "treat",
            Self::Blend => "blend",
            Self::Scar => "scar",
            Self::Exclude => "exclude",
        }
    }
}

/// Relative darkness of a dot, 0 (skin) ..= 1 (darkest), used until a pigment is chosen.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Shade(pub f64);

/// A validated region. Exclude regions carry zero density, diameter and shade.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Region {
    /// Unique name within the design.
    pub name: String,
    /// What the region asks for.
    pub kind: RegionKind,
    /// Closed, simple polygon in design millimetres.
    pub polygon: Vec<PointMm>,
    /// Impressions per cm².
    pub density: PerCm2,
    /// Fresh dot (needle) diameter.
    pub dot_diameter: Mm,
    /// Relative darkness.
    pub shade: Shade,
    /// The chosen pigment and dilution; `None` uses carbon black at `shade`.
    pub pigment: Option<RegionPigment>,
    /// Width over which dots fade out past the region's open edges (0: a hard edge).
    pub edge_blend: Mm,
}

/// Most parts of water a region's dilution may have (1:6), the usual SMP range.
pub const MAX_DILUTION_WATER_PARTS: u32 = 6;

/// A region's validated pigment: a library name (checked against the library where one
/// is known, e.g. by the preview) and a dilution 1:`dilution`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPigment {
    /// Name in the pigment library, non-empty and trimmed.
    pub name: String,
    /// Parts of water per part of pigment, 0..=[`MAX_DILUTION_WATER_PARTS`].
    pub dilution: u32,
}

impl Region {
    /// Polygon area (before other regions cut into it).
    pub fn polygon_area(&self) -> Cm2 {
        Cm2::from_mm2(geometry::area_mm2(&self.polygon))
    }
    /// Whether dots are placed in this region.
    pub fn has_dots(&self) -> bool {
        self.kind != RegionKind::Exclude
    }

    /// The edge blend a region of `kind` gets when its file gives none: treat and blend
    /// regions fade into the surrounding hair, scars keep their edge (the scar itself must
    /// be covered), exclude regions have no dots.
    pub fn default_edge_blend(kind: RegionKind) -> Mm {
        match kind {
            RegionKind::Treat | RegionKind::Blend => Mm(crate::constants::DEFAULT_EDGE_BLEND_MM),
            RegionKind::Scar | RegionKind::Exclude => Mm(0.0),
        }
    }
}

/// A validated hairline: an open curve from the left temple to the right temple.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Hairline {
    /// Curve points, ordered so that x grows from the first to the last point.
    pub points: Vec<PointMm>,
    /// Width of the transition zone behind the curve.
    pub feather: Mm,
    /// 0 = smooth ramp, 1 = strong natural irregularity.
    pub irregularity: f64,
}

/// A validated session plan.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Sessions {
    /// Cumulative fraction of all dots after each session; strictly increasing, ends at 1.
    pub cumulative: Vec<f64>,
}

impl Sessions {
    /// Number of sessions.
    pub fn count(&self) -> usize {
        self.cumulative.len()
    }
}

/// Follicular-unit clustering settings.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Clusters {
    /// Whether impressions are grouped in units of 1–4.
    pub enabled: bool,
}

/// A validated design, the only input of the dot engine. Build it with
/// [`Design::parse`] or [`Design::from_draft`].
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub(crate) name: String,
    pub(crate) seed: u64,
    pub(crate) regions: Vec<Region>,
    pub(crate) hairline: Option<Hairline>,
    pub(crate) sessions: Sessions,
    pub(crate) clusters: Clusters,
    pub(crate) landmarks: BTreeMap<String, PointMm>,
    pub(crate) views: Vec<View>,
    pub(crate) colours: crate::draft::Colours,
}

impl Design {
    /// Display name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Seed of every random choice made for this design.
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// The client's measured skin and hair colours, where the clinic gave them.
    pub fn colours(&self) -> &crate::draft::Colours {
        &self.colours
    }
    /// Regions in document order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }
    /// The hairline, if the design has one.
    pub fn hairline(&self) -> Option<&Hairline> {
        self.hairline.as_ref()
    }
    /// The session plan.
    pub fn sessions(&self) -> &Sessions {
        &self.sessions
    }
    /// Follicular-unit settings.
    pub fn clusters(&self) -> Clusters {
        self.clusters
    }
    /// Named landmarks (e.g. `glabella`).
    pub fn landmarks(&self) -> &BTreeMap<String, PointMm> {
        &self.landmarks
    }
    /// Photo views.
    pub fn views(&self) -> &[View] {
        &self.views
    }
    /// The view called `name`.
    pub fn view(&self, name: &str) -> Option<&View> {
        self.views.iter().find(|v| v.name == name)
    }
    /// The glabella landmark, if set.
    pub fn glabella(&self) -> Option<PointMm> {
        self.landmarks.get("glabella").copied()
    }
}
