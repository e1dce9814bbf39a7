//! Clinical records: lots, sessions, adverse events, outcomes and the audit log.

pub mod audit;
pub mod gdpr;
pub mod stats;
pub mod summary;

pub use audit::audit;
