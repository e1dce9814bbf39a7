//! SMP Studio dot engine: from a validated design to the exact impressions, session by
//! session — density field, blue-noise sampler, layering, follicular units, statistics,
//! needle path and exports.

pub mod rng;
pub mod noise;
pub mod clinical;
pub mod field;
pub mod hairline;
pub mod spatial;
pub mod sampler;
pub mod impressions;
pub mod units;

pub use impressions::{Impression, Impressions, Selection, generate};
pub mod stats;
pub mod slots;
pub mod layering;
