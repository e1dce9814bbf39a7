//! The storage traits: one per area, each method on clinic data taking the clinic
//! first, so a query can't forget its tenant. [`Store`] is all of them together, the
//! one thing the web and the CLI hold (`Arc<dyn Store>`); bring the areas' traits into
//! scope with `use smp_store::prelude::*`.

use async_trait::async_trait;

use crate::error::StoreResult;
pub use crate::sql::appointments::AppointmentStore;
pub use crate::sql::audit_log::AuditStore;
pub use crate::sql::clients::ClientStore;
pub use crate::sql::clinics::ClinicStore;
pub use crate::sql::consents::ConsentStore;
pub use crate::sql::designs::DesignStore;
pub use crate::sql::logins::LoginStore;
pub use crate::sql::lots::LotStore;
pub use crate::sql::outcomes::OutcomeStore;
pub use crate::sql::photos::PhotoStore;
pub use crate::sql::treatments::TreatmentStore;
pub use crate::sql::users::UserStore;

/// Storage of everything: clinics, users, logins, clients, photos, designs, lots,
/// sessions, outcomes, consent, appointments and the audit log.
#[async_trait]
pub trait Store:
    ClinicStore
    + UserStore
    + LoginStore
    + ClientStore
    + PhotoStore
    + DesignStore
    + LotStore
    + TreatmentStore
    + OutcomeStore
    + ConsentStore
    + AppointmentStore
    + AuditStore
    + Send
    + Sync
    + 'static
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// A consistent copy of the database in `path` (SQLite `VACUUM INTO`); PostgreSQL
    /// says to use `pg_dump`.
    async fn backup_to(&self, path: &std::path::Path) -> StoreResult<()>;
}
