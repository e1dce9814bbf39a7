//! What the API answers with, apart from the store's rows: the store may change its
//! columns while the JSON keeps its field names and shapes (additions only), so API
//! clients keep working. Each shape is built from its row in one place.

use serde::Serialize;
use smp_store::audit::AuditEntry;
use smp_store::{Client, ClientId, ClinicId, DesignId, DesignRecord, Photo, PhotoId, UserId};

use crate::auth::{CurrentUser, Permission};

/// A client as the API shows it.
#[derive(Debug, Serialize)]
pub struct ClientJson {
    /// Its id.
    pub id: ClientId,
    /// Its clinic.
    pub clinic_id: ClinicId,
    /// Full name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Free notes: empty for those who may not read them (the front desk).
    pub notes: String,
    /// Creation time, Unix seconds.
    pub created_at: i64,
}

impl ClientJson {
    /// `c` as `me`'s role may see it.
    pub fn seen_by(c: Client, me: &CurrentUser) -> Self {
        let f = c.fields;
        ClientJson {
            id: c.id,
            clinic_id: c.clinic_id,
            name: f.name,
            email: f.email,
            phone: f.phone,
            notes: if me.can(Permission::ReadMedical) { f.notes } else { String::new() },
            created_at: c.created_at,
        }
    }
}

/// A stored photo as the API shows it.
#[derive(Debug, Serialize)]
pub struct PhotoJson {
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

impl From<Photo> for PhotoJson {
    fn from(p: Photo) -> Self {
        PhotoJson {
            id: p.id,
            clinic_id: p.clinic_id,
            client_id: p.client_id,
            view: p.view,
            taken_on: p.taken_on,
            sha256: p.sha256,
            media_type: p.media_type,
            width_px: p.width_px,
            height_px: p.height_px,
            created_at: p.created_at,
        }
    }
}

/// A photo just stored, as the API answers its upload.
#[derive(Debug, Serialize)]
pub struct UploadedJson {
    /// The stored photo.
    #[serde(flatten)]
    pub photo: PhotoJson,
    /// Sharpness, exposure, colour and card checks, each with its message.
    pub checks: Vec<smp_photo::checks::Check>,
    /// The calibration card's scale in the photo, px/mm, when it is in it.
    pub card_px_per_mm: Option<f64>,
}

impl From<crate::service::photos::Uploaded> for UploadedJson {
    fn from(u: crate::service::photos::Uploaded) -> Self {
        UploadedJson {
            photo: u.photo.into(),
            checks: u.checks,
            card_px_per_mm: u.card_px_per_mm,
        }
    }
}

/// A design (its versions apart) as the API shows it.
#[derive(Debug, Serialize)]
pub struct DesignJson {
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

impl From<DesignRecord> for DesignJson {
    fn from(d: DesignRecord) -> Self {
        DesignJson {
            id: d.id,
            clinic_id: d.clinic_id,
            client_id: d.client_id,
            name: d.name,
            photo_id: d.photo_id,
            latest_version: d.latest_version,
            created_at: d.created_at,
        }
    }
}

/// An audit entry as the API shows it.
#[derive(Debug, Serialize)]
pub struct AuditEntryJson {
    /// The clinic whose chain it is in.
    pub clinic_id: ClinicId,
    /// 1, 2, … per clinic.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// Who did it.
    pub actor: UserId,
    /// `create`, `change`, `read`, `export`, `erase`, `login`, …
    pub action: String,
    /// What kind of record.
    pub entity: String,
    /// Its id.
    pub entity_id: i64,
    /// The client concerned, pseudonymously (`client:42`), or empty.
    pub subject: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl From<AuditEntry> for AuditEntryJson {
    fn from(e: AuditEntry) -> Self {
        AuditEntryJson {
            clinic_id: e.clinic_id,
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            subject: e.subject,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}
