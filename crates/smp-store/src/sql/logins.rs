//! Login sessions and calendar-feed tokens.

use async_trait::async_trait;
use sqlx::Row;

use super::*;
use crate::error::*;
use crate::model::*;
use crate::prelude::*;

/// Login sessions and calendar-feed tokens.
#[async_trait]
pub trait LoginStore: Send + Sync {
    /// Records a login session.
    async fn create_session(&self, session: &AuthSession) -> StoreResult<()>;
    /// A live (unexpired) session by token hash.
    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<AuthSession>>;
    /// A live session with its user and clinic, read together (one query on every
    /// logged-in request instead of three).
    async fn login(&self, token_hash: &str, now: i64) -> StoreResult<Option<Login>>;
    /// Marks the second factor of a session as done.
    async fn complete_second_factor(&self, token_hash: &str) -> StoreResult<()>;
    /// Ends a session (logout).
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Ends all of a user's sessions (password change or reset).
    async fn delete_user_sessions(&self, clinic: ClinicId, user: UserId) -> StoreResult<()>;
    /// Stores a calendar-feed token (hash) for a user.
    async fn add_calendar_token(&self, clinic: ClinicId, user: UserId, token_hash: &str) -> StoreResult<()>;
    /// Revokes all of a user's calendar tokens.
    async fn revoke_calendar_tokens(&self, clinic: ClinicId, user: UserId) -> StoreResult<()>;
    /// The clinic and user of a live calendar token.
    async fn calendar_token(&self, token_hash: &str) -> StoreResult<Option<(ClinicId, UserId)>>;
}

#[async_trait]
impl LoginStore for SqlStore {
    async fn create_session(&self, s: &AuthSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO auth_sessions (token_hash, user_id, clinic_id, csrf_token, second_factor_pending, created_at, expires_at, last_seen) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $6)",
        )
        .bind(&s.token_hash)
        .bind(s.user_id)
        .bind(s.clinic_id.0)
        .bind(&s.csrf_token)
        .bind(i64::from(s.second_factor_pending))
        .bind(s.created_at)
        .bind(s.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<AuthSession>> {
        // Unused for longer than the clinic's idle time: logged out.
        let row = sqlx::query(
            "SELECT s.token_hash, s.user_id, s.clinic_id, s.csrf_token, s.second_factor_pending, s.created_at, s.expires_at, s.last_seen \
             FROM auth_sessions s JOIN clinics c ON c.id = s.clinic_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen + c.idle_minutes * 60 > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        self.touch_session(token_hash, row.try_get("last_seen")?, now).await?;
        from_row(&row).map(Some)
    }

    async fn login(&self, token_hash: &str, now: i64) -> StoreResult<Option<Login>> {
        let row = sqlx::query(
            "SELECT s.token_hash, s.user_id, s.clinic_id, s.csrf_token, s.second_factor_pending, s.created_at, s.expires_at, s.last_seen, \
             u.email, u.role, u.password_hash, u.must_change_password, u.totp_secret, u.created_at AS user_created_at, \
             c.name AS clinic_name, c.time_zone AS clinic_time_zone, c.created_at AS clinic_created_at \
             FROM auth_sessions s JOIN clinics c ON c.id = s.clinic_id JOIN users u ON u.id = s.user_id AND u.clinic_id = s.clinic_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen + c.idle_minutes * 60 > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        self.touch_session(token_hash, r.try_get("last_seen")?, now).await?;
        let session: AuthSession = from_row(&r)?;
        let role: String = r.try_get("role")?;
        let user = User {
            id: session.user_id,
            clinic_id: session.clinic_id,
            email: r.try_get("email")?,
            role: Role::try_from(role).map_err(bad)?,
            password_hash: r.try_get("password_hash")?,
            must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
            totp_secret: r.try_get("totp_secret")?,
            created_at: r.try_get("user_created_at")?,
        };
        let clinic = Clinic {
            id: session.clinic_id,
            name: r.try_get("clinic_name")?,
            time_zone: r.try_get("clinic_time_zone")?,
            created_at: r.try_get("clinic_created_at")?,
        };
        Ok(Some(Login { session, user, clinic }))
    }

    async fn complete_second_factor(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE auth_sessions SET second_factor_pending = 0 WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_user_sessions(&self, clinic: ClinicId, user: UserId) -> StoreResult<()> {
        sqlx::query("DELETE FROM auth_sessions WHERE clinic_id = $1 AND user_id = $2")
            .bind(clinic.0)
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn add_calendar_token(&self, clinic: ClinicId, user: UserId, token_hash: &str) -> StoreResult<()> {
        self.user(clinic, user).await?;
        sqlx::query("INSERT INTO calendar_tokens (token_hash, clinic_id, user_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(clinic.0)
            .bind(user)
            .bind(now_unix())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn revoke_calendar_tokens(&self, clinic: ClinicId, user: UserId) -> StoreResult<()> {
        sqlx::query("UPDATE calendar_tokens SET revoked_at = $1 WHERE clinic_id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(now_unix())
            .bind(clinic.0)
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn calendar_token(&self, token_hash: &str) -> StoreResult<Option<(ClinicId, UserId)>> {
        let row = sqlx::query("SELECT clinic_id, user_id FROM calendar_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some((ClinicId(r.try_get("clinic_id")?), r.try_get("user_id")?))),
            None => Ok(None),
        }
    }
}

impl SqlStore {
    /// Records that a session was used; written at most every 30 s, so a page's many
    /// requests cost one update.
    async fn touch_session(&self, token_hash: &str, last_seen: i64, now: i64) -> StoreResult<()> {
        if now - last_seen >= 30 {
            sqlx::query("UPDATE auth_sessions SET last_seen = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}
