//! SMP Studio dot engine: from a validated design to the exact impressions, session by
//! session — density field, blue-noise sampler, layering, follicular units, statistics,
//! needle path and exports.

pub mod constants;
pub mod edge_blend;
pub mod field;
pub mod follicular_units;
pub mod hairline;
pub mod impressions;
pub mod noise;
pub mod rng;
pub mod sampler;
pub mod spatial;

pub use impressions::{Impression, Impressions, Selection, generate};
pub mod export;
pub mod layering;
pub mod path;
pub mod slots;
pub mod stats;
