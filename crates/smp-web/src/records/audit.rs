//! Writing the audit trail from handlers: every create, change, export and every read of
//! medical data. A request whose audit entry can't be written fails (nothing unaudited).

use smp_store::ClientId;
use smp_store::UserId;
use smp_store::audit::AuditEvent;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Appends `action` on `entity` `id` (about client `client`) by the current user.
pub async fn audit(
    state: &AppState,
    me: &CurrentUser,
    action: &str,
    entity: &str,
    id: impl Into<i64>,
    client: Option<ClientId>,
) -> AppResult<()> {
    let ev = AuditEvent {
        actor: me.user.id,
        action,
        entity,
        entity_id: id.into(),
        client_id: client,
    };
    let entry = state.store.audit(me.clinic_id(), &ev).await?;
    sign_head(state, &entry)
}

/// Signs the clinic's new audit head outside the database.
pub fn sign_head(state: &AppState, entry: &smp_store::audit::AuditEntry) -> AppResult<()> {
    if let Some(a) = &state.anchor {
        a.record(entry)
            .map_err(|e| AppError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, format!("signing the audit log: {e}")))?;
    }
    Ok(())
}

/// Records a security event of `user` in `clinic` (a login, a failed one, a password or
/// authenticator change), where no logged-in [`CurrentUser`] exists yet.
pub async fn security_event(state: &AppState, clinic: smp_store::ClinicId, user: UserId, action: &str) -> AppResult<()> {
    let ev = AuditEvent {
        actor: user,
        action,
        entity: "user",
        entity_id: user.0,
        client_id: None,
    };
    let entry = state.store.audit(clinic, &ev).await?;
    sign_head(state, &entry)
}
