//! The identity types records share.

use serde::{Deserialize, Serialize};

/// Database ids that cannot be mixed up: each record kind has its own type, written and
/// read as the bare number (JSON, URLs, forms and SQL alike).
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )*};
}

ids! {
    /// A clinic: the tenant every other record belongs to.
    ClinicId;
    /// A client of a clinic.
    ClientId;
    /// A stored photo.
    PhotoId;
    /// A design (its versions are numbered 1, 2, … within it).
    DesignId;
    /// A registered pigment or needle lot.
    LotId;
    /// A member of a clinic's staff (a login).
    UserId;
    /// A recorded tattoo session.
    SessionId;
    /// A booked appointment.
    AppointmentId;
    /// A version of a clinic's consent text.
    ConsentDocumentId;
    /// A client's signature of a consent text.
    SignatureId;
    /// A health screening on file.
    ScreeningId;
    /// A patch test of a pigment lot.
    PatchTestId;
    /// A recorded adverse event.
    EventId;
    /// An outcome survey.
    SurveyId;
    /// A follow-up check-in after a session.
    FollowUpId;
}

/// A yes/no stored as 0 or 1 (BIGINT on both backends, which have no common boolean).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
pub struct StoredFlag(pub i64);

impl From<StoredFlag> for bool {
    fn from(f: StoredFlag) -> bool {
        f.0 != 0
    }
}
