//! Users of a clinic: accounts, passwords and second factors.

use async_trait::async_trait;

use super::*;
use crate::error::*;
use crate::model::*;

/// Users of a clinic: accounts, passwords and second factors.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Creates a user (e-mail lower-cased, unique over all clinics).
    async fn create_user(&self, clinic: ClinicId, email: &str, role: Role, password_hash: &str) -> StoreResult<User>;
    /// The users with a login e-mail, in every clinic, oldest first (login only: an
    /// e-mail is unique within a clinic, so one person may work at several).
    async fn users_by_email(&self, email: &str) -> StoreResult<Vec<User>>;
    /// A user of this clinic.
    async fn user(&self, clinic: ClinicId, id: UserId) -> StoreResult<User>;
    /// The clinic's users.
    async fn list_users(&self, clinic: ClinicId) -> StoreResult<Vec<User>>;
    /// Sets a user's password hash and whether it must be changed at next login.
    async fn set_password(&self, clinic: ClinicId, user: UserId, password_hash: &str, must_change: bool) -> StoreResult<()>;
    /// Turns the TOTP second factor on (Some secret) or off.
    async fn set_totp(&self, clinic: ClinicId, user: UserId, secret: Option<&str>) -> StoreResult<()>;
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, clinic: ClinicId, email: &str, role: Role, password_hash: &str) -> StoreResult<User> {
        let email = email.trim().to_lowercase();
        if !email.contains('@') || email.len() < 3 {
            return Err(StoreError::BadInput(format!("'{email}' is not an e-mail address")));
        }
        let sql = format!(
            "INSERT INTO users (clinic_id, email, role, password_hash, must_change_password, created_at) \
             VALUES ($1, $2, $3, $4, 0, $5) RETURNING {USER_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(&email)
            .bind(role.as_str())
            .bind(password_hash)
            .bind(now_unix())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Duplicate {
                        field: "e-mail",
                        value: email.clone(),
                    }
                } else {
                    e.into()
                }
            })?;
        from_row(&row)
    }

    async fn users_by_email(&self, email: &str) -> StoreResult<Vec<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE email = $1 ORDER BY id");
        let rows = sqlx::query(&sql).bind(email.trim().to_lowercase()).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn user(&self, clinic: ClinicId, id: UserId) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE clinic_id = $1 AND id = $2");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
        one(rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?, "user")
    }

    async fn list_users(&self, clinic: ClinicId) -> StoreResult<Vec<User>> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE clinic_id = $1 ORDER BY email");
        let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn set_password(&self, clinic: ClinicId, user: UserId, password_hash: &str, must_change: bool) -> StoreResult<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE clinic_id = $3 AND id = $4")
            .bind(password_hash)
            .bind(i64::from(must_change))
            .bind(clinic.0)
            .bind(user)
            .execute(&self.pool)
            .await?;
        touched(done, "user")
    }

    async fn set_totp(&self, clinic: ClinicId, user: UserId, secret: Option<&str>) -> StoreResult<()> {
        let done = sqlx::query("UPDATE users SET totp_secret = $1 WHERE clinic_id = $2 AND id = $3")
            .bind(secret)
            .bind(clinic.0)
            .bind(user)
            .execute(&self.pool)
            .await?;
        touched(done, "user")
    }
}
