//! The identity types records share.

use serde::{Deserialize, Serialize};

/// A clinic: the tenant every other record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
pub struct ClinicId(pub i64);

/// A yes/no stored as 0 or 1 (BIGINT on both backends, which have no common boolean).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
pub struct StoredFlag(pub i64);

impl From<StoredFlag> for bool {
    fn from(f: StoredFlag) -> bool {
        f.0 != 0
    }
}
