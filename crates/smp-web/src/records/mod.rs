//! Clinical records in the web app: writing the audit trail, and the export and erasure of a client (the rules and statistics are in the records domain crate, smp-records).

pub mod audit;
pub mod gdpr;

pub use audit::audit;
