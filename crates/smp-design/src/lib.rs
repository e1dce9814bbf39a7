//! SMP Studio design format v1: the validated [`Design`] every later stage reads, its
//! on-disk [`DesignDraft`], field-path errors, templates and lint.
//!
//! Coordinates are millimetres on the scalp surface laid flat: x to the client's right,
//! y towards the back of the head.

pub mod analysis;
pub mod area;
pub mod constants;
pub mod draft;
pub mod error;
pub mod geometry;
pub mod limits;
pub mod lint;
pub mod model;
mod parse;
pub mod template;
pub mod units;
pub mod view;

pub use analysis::{AnalysisSeeds, ViewAnalysis};
pub use draft::DesignDraft;
pub use error::{DesignError, FaultClass, FieldError};
pub use model::{Clusters, Design, Hairline, MAX_DILUTION_WATER_PARTS, Region, RegionKind, RegionPigment, Sessions, Shade};
pub use template::Pattern;
pub use units::{Cm2, Mm, PerCm2, PointMm};
pub use view::{CardRecord, ChartRecord, HeadEllipse, Mask, MaskEdit, MaskKind, MmToPx, View};
