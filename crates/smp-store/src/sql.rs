//! The one SQL implementation of [`crate::Store`], expanded for each backend: the
//! queries are written once (`$n` placeholders, portable types: BIGINT, TEXT) and the
//! macro instantiates them for SQLite and PostgreSQL, so both stores run the same SQL.

/// Expands the store type `$store` over the sqlx database `$db`.
macro_rules! sql_store {
    ($store:ident, $db:ty, $backend:literal) => {
        use async_trait::async_trait;
        use sqlx::{Pool, Row};

        use $crate::error::{StoreError, StoreResult, is_unique_violation};
        use $crate::model::*;
        use $crate::store::Store;

        type DbRow = <$db as sqlx::Database>::Row;

        /// The store on this backend.
        #[derive(Debug, Clone)]
        pub struct $store {
            pub(crate) pool: Pool<$db>,
        }

        const USER_COLS: &str =
            "id, clinic_id, email, role, password_hash, must_change_password, totp_secret, created_at";
        const CLIENT_COLS: &str = "id, clinic_id, name, email, phone, notes, created_at";
        const PHOTO_COLS: &str =
            "id, clinic_id, client_id, view, taken_on, sha256, media_type, width_px, height_px, created_at";
        const DESIGN_COLS: &str = "id, clinic_id, client_id, name, photo_id, latest_version, created_at";
        const VERSION_COLS: &str = "design_id, version, json, note, created_by, created_at";

        fn clinic_row(r: &DbRow) -> StoreResult<Clinic> {
            Ok(Clinic { id: ClinicId(r.try_get("id")?), name: r.try_get("name")?, created_at: r.try_get("created_at")? })
        }

        fn user_row(r: &DbRow) -> StoreResult<User> {
            let role: String = r.try_get("role")?;
            Ok(User {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                email: r.try_get("email")?,
                role: Role::parse(&role)
                    .ok_or_else(|| StoreError::BadInput(format!("stored role '{role}' is unknown")))?,
                password_hash: r.try_get("password_hash")?,
                must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
                totp_secret: r.try_get("totp_secret")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn session_row(r: &DbRow) -> StoreResult<AuthSession> {
            Ok(AuthSession {
                token_hash: r.try_get("token_hash")?,
                user_id: r.try_get("user_id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                csrf_token: r.try_get("csrf_token")?,
                second_factor_pending: r.try_get::<i64, _>("second_factor_pending")? != 0,
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        }

        fn client_row(r: &DbRow) -> StoreResult<Client> {
            Ok(Client {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                fields: ClientFields {
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                    phone: r.try_get("phone")?,
                    notes: r.try_get("notes")?,
                },
                created_at: r.try_get("created_at")?,
            })
        }

        fn photo_row(r: &DbRow) -> StoreResult<Photo> {
            Ok(Photo {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                client_id: r.try_get("client_id")?,
                view: r.try_get("view")?,
                taken_on: r.try_get("taken_on")?,
                sha256: r.try_get("sha256")?,
                media_type: r.try_get("media_type")?,
                width_px: r.try_get("width_px")?,
                height_px: r.try_get("height_px")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn design_row(r: &DbRow) -> StoreResult<DesignRecord> {
            Ok(DesignRecord {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                client_id: r.try_get("client_id")?,
                name: r.try_get("name")?,
                photo_id: r.try_get("photo_id")?,
                latest_version: r.try_get("latest_version")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn version_row(r: &DbRow) -> StoreResult<DesignVersion> {
            Ok(DesignVersion {
                design_id: r.try_get("design_id")?,
                version: r.try_get("version")?,
                json: r.try_get("json")?,
                note: r.try_get("note")?,
                created_by: r.try_get("created_by")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn one<T>(rows: Vec<T>, what: &'static str) -> StoreResult<T> {
            rows.into_iter().next().ok_or(StoreError::NotFound(what))
        }

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn create_clinic(&self, name: &str) -> StoreResult<Clinic> {
                let name = name.trim();
                if name.is_empty() {
                    return Err(StoreError::BadInput("clinic name is empty; give the clinic a name".into()));
                }
                let row = sqlx::query("INSERT INTO clinics (name, created_at) VALUES ($1, $2) RETURNING id, name, created_at")
                    .bind(name)
                    .bind(now_unix())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| {
                        if is_unique_violation(&e) {
                            StoreError::Duplicate { field: "clinic name", value: name.to_string() }
                        } else {
                            e.into()
                        }
                    })?;
                clinic_row(&row)
            }

            async fn clinic_by_name(&self, name: &str) -> StoreResult<Option<Clinic>> {
                let row = sqlx::query("SELECT id, name, created_at FROM clinics WHERE name = $1")
                    .bind(name.trim())
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(clinic_row).transpose()
            }

            async fn clinic(&self, id: ClinicId) -> StoreResult<Clinic> {
                let rows = sqlx::query("SELECT id, name, created_at FROM clinics WHERE id = $1")
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await?;
                one(rows.iter().map(clinic_row).collect::<StoreResult<Vec<_>>>()?, "clinic")
            }

            async fn clinic_count(&self) -> StoreResult<i64> {
                Ok(sqlx::query("SELECT COUNT(*) AS n FROM clinics").fetch_one(&self.pool).await?.try_get("n")?)
            }

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
                            StoreError::Duplicate { field: "e-mail", value: email.clone() }
                        } else {
                            e.into()
                        }
                    })?;
                user_row(&row)
            }

            async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
                let sql = format!("SELECT {USER_COLS} FROM users WHERE email = $1");
                let row = sqlx::query(&sql).bind(email.trim().to_lowercase()).fetch_optional(&self.pool).await?;
                row.as_ref().map(user_row).transpose()
            }

            async fn user(&self, clinic: ClinicId, id: i64) -> StoreResult<User> {
                let sql = format!("SELECT {USER_COLS} FROM users WHERE clinic_id = $1 AND id = $2");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
                one(rows.iter().map(user_row).collect::<StoreResult<Vec<_>>>()?, "user")
            }

            async fn list_users(&self, clinic: ClinicId) -> StoreResult<Vec<User>> {
                let sql = format!("SELECT {USER_COLS} FROM users WHERE clinic_id = $1 ORDER BY email");
                let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
                rows.iter().map(user_row).collect()
            }

            async fn set_password(&self, clinic: ClinicId, user: i64, password_hash: &str, must_change: bool) -> StoreResult<()> {
                let done = sqlx::query(
                    "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE clinic_id = $3 AND id = $4",
                )
                .bind(password_hash)
                .bind(i64::from(must_change))
                .bind(clinic.0)
                .bind(user)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound("user")) } else { Ok(()) }
            }

            async fn set_totp(&self, clinic: ClinicId, user: i64, secret: Option<&str>) -> StoreResult<()> {
                let done = sqlx::query("UPDATE users SET totp_secret = $1 WHERE clinic_id = $2 AND id = $3")
                    .bind(secret)
                    .bind(clinic.0)
                    .bind(user)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound("user")) } else { Ok(()) }
            }

            async fn create_session(&self, s: &AuthSession) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO auth_sessions (token_hash, user_id, clinic_id, csrf_token, second_factor_pending, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
                let row = sqlx::query(
                    "SELECT token_hash, user_id, clinic_id, csrf_token, second_factor_pending, created_at, expires_at \
                     FROM auth_sessions WHERE token_hash = $1 AND expires_at > $2",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(session_row).transpose()
            }

            async fn complete_second_factor(&self, token_hash: &str) -> StoreResult<()> {
                sqlx::query("UPDATE auth_sessions SET second_factor_pending = 0 WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                Ok(())
            }

            async fn delete_user_sessions(&self, clinic: ClinicId, user: i64) -> StoreResult<()> {
                sqlx::query("DELETE FROM auth_sessions WHERE clinic_id = $1 AND user_id = $2")
                    .bind(clinic.0)
                    .bind(user)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn create_client(&self, clinic: ClinicId, f: &ClientFields) -> StoreResult<Client> {
                check_client(f)?;
                let sql = format!(
                    "INSERT INTO clients (clinic_id, name, email, phone, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {CLIENT_COLS}"
                );
                let row = sqlx::query(&sql)
                    .bind(clinic.0)
                    .bind(f.name.trim())
                    .bind(f.email.trim())
                    .bind(f.phone.trim())
                    .bind(&f.notes)
                    .bind(now_unix())
                    .fetch_one(&self.pool)
                    .await?;
                client_row(&row)
            }

            async fn client(&self, clinic: ClinicId, id: i64) -> StoreResult<Client> {
                let sql = format!("SELECT {CLIENT_COLS} FROM clients WHERE clinic_id = $1 AND id = $2");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
                one(rows.iter().map(client_row).collect::<StoreResult<Vec<_>>>()?, "client")
            }

            async fn list_clients(&self, clinic: ClinicId, search: &str) -> StoreResult<Vec<Client>> {
                let pattern = format!("%{}%", search.trim().to_lowercase().replace(['%', '_'], ""));
                let sql = format!(
                    "SELECT {CLIENT_COLS} FROM clients WHERE clinic_id = $1 AND \
                     (LOWER(name) LIKE $2 OR LOWER(email) LIKE $2 OR phone LIKE $2) ORDER BY LOWER(name), id"
                );
                let rows = sqlx::query(&sql).bind(clinic.0).bind(pattern).fetch_all(&self.pool).await?;
                rows.iter().map(client_row).collect()
            }

            async fn update_client(&self, clinic: ClinicId, id: i64, f: &ClientFields) -> StoreResult<Client> {
                check_client(f)?;
                let sql = format!(
                    "UPDATE clients SET name = $1, email = $2, phone = $3, notes = $4 WHERE clinic_id = $5 AND id = $6 RETURNING {CLIENT_COLS}"
                );
                let rows = sqlx::query(&sql)
                    .bind(f.name.trim())
                    .bind(f.email.trim())
                    .bind(f.phone.trim())
                    .bind(&f.notes)
                    .bind(clinic.0)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                one(rows.iter().map(client_row).collect::<StoreResult<Vec<_>>>()?, "client")
            }

            async fn add_photo(&self, clinic: ClinicId, p: &NewPhoto) -> StoreResult<Photo> {
                if !PHOTO_VIEWS.contains(&p.view.as_str()) {
                    return Err(StoreError::BadInput(format!(
                        "photo view '{}' is unknown; use one of {}",
                        p.view,
                        PHOTO_VIEWS.join(", ")
                    )));
                }
                // The client must be this clinic's: a foreign id is "not found".
                self.client(clinic, p.client_id).await?;
                let sql = format!(
                    "INSERT INTO photos (clinic_id, client_id, view, taken_on, sha256, media_type, width_px, height_px, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {PHOTO_COLS}"
                );
                let row = sqlx::query(&sql)
                    .bind(clinic.0)
                    .bind(p.client_id)
                    .bind(&p.view)
                    .bind(&p.taken_on)
                    .bind(&p.sha256)
                    .bind(&p.media_type)
                    .bind(p.width_px)
                    .bind(p.height_px)
                    .bind(now_unix())
                    .fetch_one(&self.pool)
                    .await?;
                photo_row(&row)
            }

            async fn photo(&self, clinic: ClinicId, id: i64) -> StoreResult<Photo> {
                let sql = format!("SELECT {PHOTO_COLS} FROM photos WHERE clinic_id = $1 AND id = $2");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
                one(rows.iter().map(photo_row).collect::<StoreResult<Vec<_>>>()?, "photo")
            }

            async fn photo_by_hash(&self, clinic: ClinicId, sha256: &str) -> StoreResult<Option<Photo>> {
                let sql = format!("SELECT {PHOTO_COLS} FROM photos WHERE clinic_id = $1 AND sha256 = $2 ORDER BY id LIMIT 1");
                let row = sqlx::query(&sql).bind(clinic.0).bind(sha256).fetch_optional(&self.pool).await?;
                row.as_ref().map(photo_row).transpose()
            }

            async fn list_photos(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<Photo>> {
                let sql = format!(
                    "SELECT {PHOTO_COLS} FROM photos WHERE clinic_id = $1 AND client_id = $2 ORDER BY view, taken_on, id"
                );
                let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
                rows.iter().map(photo_row).collect()
            }

            async fn create_design(
                &self,
                clinic: ClinicId,
                client: i64,
                name: &str,
                photo: Option<i64>,
                json: &str,
                user: i64,
            ) -> StoreResult<(DesignRecord, DesignVersion)> {
                if name.trim().is_empty() {
                    return Err(StoreError::BadInput("design name is empty; give it a name".into()));
                }
                self.client(clinic, client).await?;
                if let Some(p) = photo {
                    self.photo(clinic, p).await?;
                }
                let now = now_unix();
                let mut tx = self.pool.begin().await?;
                let sql = format!(
                    "INSERT INTO designs (clinic_id, client_id, name, photo_id, latest_version, created_at) \
                     VALUES ($1, $2, $3, $4, 1, $5) RETURNING {DESIGN_COLS}"
                );
                let row = sqlx::query(&sql)
                    .bind(clinic.0)
                    .bind(client)
                    .bind(name.trim())
                    .bind(photo)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let design = design_row(&row)?;
                let sql = format!(
                    "INSERT INTO design_versions (design_id, clinic_id, version, json, note, created_by, created_at) \
                     VALUES ($1, $2, 1, $3, 'created', $4, $5) RETURNING {VERSION_COLS}"
                );
                let row = sqlx::query(&sql)
                    .bind(design.id)
                    .bind(clinic.0)
                    .bind(json)
                    .bind(user)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let version = version_row(&row)?;
                tx.commit().await?;
                Ok((design, version))
            }

            async fn design(&self, clinic: ClinicId, id: i64) -> StoreResult<DesignRecord> {
                let sql = format!("SELECT {DESIGN_COLS} FROM designs WHERE clinic_id = $1 AND id = $2");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
                one(rows.iter().map(design_row).collect::<StoreResult<Vec<_>>>()?, "design")
            }

            async fn list_designs(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<DesignRecord>> {
                let sql = format!("SELECT {DESIGN_COLS} FROM designs WHERE clinic_id = $1 AND client_id = $2 ORDER BY id");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
                rows.iter().map(design_row).collect()
            }

            async fn design_version(&self, clinic: ClinicId, design: i64, version: i64) -> StoreResult<DesignVersion> {
                let sql = format!(
                    "SELECT {VERSION_COLS} FROM design_versions WHERE clinic_id = $1 AND design_id = $2 AND version = $3"
                );
                let rows = sqlx::query(&sql).bind(clinic.0).bind(design).bind(version).fetch_all(&self.pool).await?;
                one(rows.iter().map(version_row).collect::<StoreResult<Vec<_>>>()?, "design version")
            }

            async fn list_versions(&self, clinic: ClinicId, design: i64) -> StoreResult<Vec<DesignVersion>> {
                let sql = format!(
                    "SELECT {VERSION_COLS} FROM design_versions WHERE clinic_id = $1 AND design_id = $2 ORDER BY version"
                );
                let rows = sqlx::query(&sql).bind(clinic.0).bind(design).fetch_all(&self.pool).await?;
                rows.iter().map(version_row).collect()
            }

            async fn save_version(
                &self,
                clinic: ClinicId,
                design: i64,
                base_version: i64,
                json: &str,
                note: &str,
                user: i64,
            ) -> StoreResult<DesignVersion> {
                let mut tx = self.pool.begin().await?;
                // The conditional update is the lock: of two saves from the same base,
                // exactly one moves latest_version on; the other changes no row.
                let moved = sqlx::query(
                    "UPDATE designs SET latest_version = $1 WHERE clinic_id = $2 AND id = $3 AND latest_version = $4",
                )
                .bind(base_version + 1)
                .bind(clinic.0)
                .bind(design)
                .bind(base_version)
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() == 0 {
                    drop(tx);
                    let current = self.design(clinic, design).await?;
                    return Err(StoreError::Conflict { design_id: design, base_version, latest_version: current.latest_version });
                }
                let sql = format!(
                    "INSERT INTO design_versions (design_id, clinic_id, version, json, note, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {VERSION_COLS}"
                );
                let row = sqlx::query(&sql)
                    .bind(design)
                    .bind(clinic.0)
                    .bind(base_version + 1)
                    .bind(json)
                    .bind(note)
                    .bind(user)
                    .bind(now_unix())
                    .fetch_one(&mut *tx)
                    .await?;
                let version = version_row(&row)?;
                tx.commit().await?;
                Ok(version)
            }

            async fn backup_to(&self, path: &std::path::Path) -> StoreResult<()> {
                self.backup_impl(path).await
            }
        }

        fn check_client(f: &ClientFields) -> StoreResult<()> {
            if f.name.trim().is_empty() {
                return Err(StoreError::BadInput("client name is empty; enter the client's name".into()));
            }
            if f.name.len() > 200 || f.email.len() > 200 || f.phone.len() > 50 || f.notes.len() > 20_000 {
                return Err(StoreError::BadInput(
                    "client details too long (name/e-mail ≤ 200, phone ≤ 50, notes ≤ 20 000 characters)".into(),
                ));
            }
            Ok(())
        }
    };
}

pub(crate) use sql_store;
