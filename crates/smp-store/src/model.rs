//! The records the store keeps. Times are Unix seconds (UTC); ids are database ids.

use serde::{Deserialize, Serialize};

pub use smp_records::{
    AppointmentId, ClientId, ClinicId, ConsentDocumentId, DesignId, EventId, FollowUpId, LotId, PatchTestId, PhotoId, ScreeningId,
    SessionId, SignatureId, StoredFlag, SurveyId, UserId,
};

/// A clinic.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Clinic {
    /// Its id.
    pub id: ClinicId,
    /// Its unique name.
    pub name: String,
    /// Its time zone, an IANA name: appointment times are entered and shown in it.
    pub time_zone: String,
    /// Creation time, Unix seconds.
    pub created_at: i64,
}

/// The idle times a clinic may choose, minutes: from 5 (a shared tablet in a busy room)
/// to 8 hours (one practitioner's own laptop); 15 by default.
pub const IDLE_MINUTES_RANGE: (i64, i64) = (5, 480);

/// A user's role; what each may do is in the web crate's permission matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Everything, including users, settings and audit.
    Owner,
    /// Clients, photos, designs, sessions, records.
    Practitioner,
    /// Contact details and appointments only.
    FrontDesk,
}

impl Role {
    /// The stored and command-line spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Practitioner => "practitioner",
            Role::FrontDesk => "front-desk",
        }
    }

    /// Parses `owner`, `practitioner` or `front-desk`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "practitioner" => Some(Role::Practitioner),
            "front-desk" => Some(Role::FrontDesk),
            _ => None,
        }
    }
}

impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(s: String) -> Result<Role, String> {
        Role::parse(&s).ok_or_else(|| format!("stored role '{s}' is unknown"))
    }
}

/// A user of one clinic.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// The clinic it belongs to.
    pub clinic_id: ClinicId,
    /// Login e-mail (unique over all clinics, lower case).
    pub email: String,
    /// Role.
    #[sqlx(try_from = "String")]
    pub role: Role,
    /// Argon2 PHC string.
    #[serde(skip)]
    pub password_hash: String,
    /// Set after an owner-issued reset: the next login must choose a new password.
    #[sqlx(try_from = "StoredFlag")]
    pub must_change_password: bool,
    /// Base32 TOTP secret when the second factor is on.
    #[serde(skip)]
    pub totp_secret: Option<String>,
    /// Creation time, Unix seconds.
    pub created_at: i64,
}

/// A live login: the session with its user and clinic.
#[derive(Debug, Clone)]
pub struct Login {
    /// The session.
    pub session: AuthSession,
    /// Who is logged in.
    pub user: User,
    /// Their clinic.
    pub clinic: Clinic,
}

/// A login session (the cookie holds the token; the store only its hash).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuthSession {
    /// SHA-256 of the cookie token, hex.
    pub token_hash: String,
    /// The user.
    pub user_id: UserId,
    /// The user's clinic.
    pub clinic_id: ClinicId,
    /// The token forms and API calls must echo.
    pub csrf_token: String,
    /// Password accepted, TOTP code still due.
    #[sqlx(try_from = "StoredFlag")]
    pub second_factor_pending: bool,
    /// Creation time, Unix seconds.
    pub created_at: i64,
    /// Expiry, Unix seconds.
    pub expires_at: i64,
}

/// A client's contact details (what the front desk may see and edit).
#[derive(Debug, Clone, Default, Serialize, Deserialize, sqlx::FromRow)]
pub struct ClientFields {
    /// Full name (required).
    pub name: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Free notes (practitioners only).
    #[serde(default)]
    pub notes: String,
}

/// A client of a clinic.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Client {
    /// Its id.
    pub id: ClientId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// Contact details.
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub fields: ClientFields,
    /// Creation time, Unix seconds.
    pub created_at: i64,
}

/// The standard photo views of a consultation.
pub const PHOTO_VIEWS: [&str; 6] = ["top", "front", "left", "right", "back", "crown"];

/// A photo to record (its file is already in the photo store).
#[derive(Debug, Clone)]
pub struct NewPhoto {
    /// The client.
    pub client_id: ClientId,
    /// One of [`PHOTO_VIEWS`].
    pub view: String,
    /// Date taken, YYYY-MM-DD.
    pub taken_on: String,
    /// Content hash of the file (its name in the photo store).
    pub sha256: String,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub media_type: String,
    /// Width after EXIF orientation, px.
    pub width_px: i64,
    /// Height after EXIF orientation, px.
    pub height_px: i64,
}

/// A stored photo.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Photo {
    /// Its id.
    pub id: PhotoId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// The client.
    pub client_id: ClientId,
    /// View name.
    pub view: String,
    /// Date taken, YYYY-MM-DD.
    pub taken_on: String,
    /// Content hash.
    pub sha256: String,
    /// Media type.
    pub media_type: String,
    /// Width, px.
    pub width_px: i64,
    /// Height, px.
    pub height_px: i64,
    /// Upload time, Unix seconds.
    pub created_at: i64,
}

/// A design: a name and a chain of immutable versions.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DesignRecord {
    /// Its id.
    pub id: DesignId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// The client.
    pub client_id: ClientId,
    /// Name shown in lists.
    pub name: String,
    /// The photo the editor draws on.
    pub photo_id: Option<PhotoId>,
    /// Highest version number.
    pub latest_version: i64,
    /// Creation time, Unix seconds.
    pub created_at: i64,
}

/// One immutable version of a design.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DesignVersion {
    /// The design.
    pub design_id: DesignId,
    /// 1, 2, …
    pub version: i64,
    /// The design file (format v1), already validated by the caller.
    pub json: String,
    /// What changed, as typed by the user.
    pub note: String,
    /// Who saved it.
    pub created_by: UserId,
    /// Save time, Unix seconds.
    pub created_at: i64,
}

/// The current time, Unix seconds.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
