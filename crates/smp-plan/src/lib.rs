//! SMP Studio treatment plan: from a design and its impressions to the treated area,
//! the sessions with their needle time, a dated schedule (ICS), a cost quote from a
//! clinic's price list, and a laser-removal estimate (Kirby-Desai).

pub mod constants;
pub mod cost;
pub mod date;
pub mod error;
pub mod ics;
pub mod plan;
pub mod removal;
pub mod settings;
pub mod words;

pub use cost::{PriceList, Quote};
pub use date::CivilDate;
pub use error::PlanError;
pub use plan::{Plan, PlanOptions, RateRange};
pub use removal::{KirbyDesai, RemovalEstimate};
pub use settings::PlanSettings;
