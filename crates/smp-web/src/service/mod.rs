//! What pages and the API both do, between the handlers and the domain crates and
//! store: handlers parse and format, this layer does the work. Pages and the API never
//! import each other.

pub mod dates;
pub mod designs;
pub mod impressions;
pub mod photos;
pub mod recent;
pub mod records;
pub mod visits;
pub mod work;
