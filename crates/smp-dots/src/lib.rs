//! SMP Studio dot engine: from a validated design to the exact impressions, session by
//! session — density field, blue-noise sampler, layering, follicular units, statistics,
//! needle path and exports.

pub mod rng;
pub mod noise;
