//! Writing the audit trail from handlers: every create, change, export and every read of
//! medical data. A request whose audit entry can't be written fails (nothing unaudited).

use smp_store::audit::AuditEvent;

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::state::AppState;

/// Appends `action` on `entity` `id` (about client `client`) by the current user.
pub async fn audit(state: &AppState, me: &CurrentUser, action: &str, entity: &str, id: i64, client: Option<i64>) -> AppResult<()> {
    let ev = AuditEvent {
        actor: me.user.id,
        action,
        entity,
        entity_id: id,
        client_id: client,
    };
    state.store.audit(me.clinic_id(), &ev).await?;
    Ok(())
}
