//! The one SQL implementation of [`crate::Store`], expanded for each backend: the
//! queries are written once (`$n` placeholders, portable types: BIGINT, TEXT) and the
//! macro instantiates them for SQLite and PostgreSQL, so both stores run the same SQL.

/// Expands the store type `$store` over the sqlx database `$db`.
macro_rules! sql_store {
    ($store:ident, $db:ty, $backend:literal) => {
        use async_trait::async_trait;
        use sqlx::{Pool, Row};

        use $crate::error::{StoreError, StoreResult, is_unique_violation};
        use $crate::audit::{AuditEntry, AuditEvent, GENESIS, entry_hash};
        use $crate::model::*;
        use $crate::records::*;
        use $crate::consent::*;
        use $crate::store::Store;

        type DbRow = <$db as sqlx::Database>::Row;

        /// The store on this backend.
        #[derive(Debug, Clone)]
        pub struct $store {
            pub(crate) pool: Pool<$db>,
            /// Serialises this process's audit appends (the key retry covers other processes).
            pub(crate) audit_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
            /// Serialises this process's bookings (the clinic row's lock covers other
            /// processes), so a check and its insert are never split by another booking.
            pub(crate) booking_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
        }

        const USER_COLS: &str =
            "id, clinic_id, email, role, password_hash, must_change_password, totp_secret, created_at";
        const CLIENT_COLS: &str = "id, clinic_id, name, email, phone, notes, created_at";
        const PHOTO_COLS: &str =
            "id, clinic_id, client_id, view, taken_on, sha256, media_type, width_px, height_px, created_at";
        const DESIGN_COLS: &str = "id, clinic_id, client_id, name, photo_id, latest_version, created_at";
        const VERSION_COLS: &str = "design_id, version, json, note, created_by, created_at";
        const LOT_COLS: &str = "id, clinic_id, kind, product, lot_number, expires_on, recalled_at, recall_reason, created_at";
        const SESSION_COLS: &str = "id, clinic_id, client_id, performed_on, practitioner_id, design_id, design_session, regions, impressions, needle_lot_id, pigment_lot_id, dilution, notes, created_at";
        const EVENT_COLS: &str = "id, clinic_id, client_id, session_id, kind, severity, onset_on, resolved_on, action, practitioner_id, created_at";
        const SURVEY_COLS: &str = "id, clinic_id, client_id, practitioner_id, satisfaction, would_recommend, comment, created_at";
        const AUDIT_COLS: &str = "clinic_id, seq, at, actor, action, entity, entity_id, subject, prev_hash, hash";

        fn lot_row(r: &DbRow) -> StoreResult<Lot> {
            Ok(Lot {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                kind: r.try_get("kind")?,
                product: r.try_get("product")?,
                lot_number: r.try_get("lot_number")?,
                expires_on: r.try_get("expires_on")?,
                recalled_at: r.try_get("recalled_at")?,
                recall_reason: r.try_get("recall_reason")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn tsession_row(r: &DbRow) -> StoreResult<TreatmentSession> {
            Ok(TreatmentSession {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                client_id: r.try_get("client_id")?,
                performed_on: r.try_get("performed_on")?,
                practitioner_id: r.try_get("practitioner_id")?,
                design_id: r.try_get("design_id")?,
                design_session: r.try_get("design_session")?,
                regions: r.try_get("regions")?,
                impressions: r.try_get("impressions")?,
                needle_lot_id: r.try_get("needle_lot_id")?,
                pigment_lot_id: r.try_get("pigment_lot_id")?,
                dilution: r.try_get("dilution")?,
                notes: r.try_get("notes")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn event_row(r: &DbRow) -> StoreResult<AdverseEvent> {
            Ok(AdverseEvent {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                client_id: r.try_get("client_id")?,
                session_id: r.try_get("session_id")?,
                kind: r.try_get("kind")?,
                severity: r.try_get("severity")?,
                onset_on: r.try_get("onset_on")?,
                resolved_on: r.try_get("resolved_on")?,
                action: r.try_get("action")?,
                practitioner_id: r.try_get("practitioner_id")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn survey_row(r: &DbRow) -> StoreResult<Survey> {
            Ok(Survey {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                client_id: r.try_get("client_id")?,
                practitioner_id: r.try_get("practitioner_id")?,
                satisfaction: r.try_get("satisfaction")?,
                would_recommend: r.try_get::<i64, _>("would_recommend")? != 0,
                comment: r.try_get("comment")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn audit_row(r: &DbRow) -> StoreResult<AuditEntry> {
            Ok(AuditEntry {
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                seq: r.try_get("seq")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                subject: r.try_get("subject")?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
            })
        }

        fn patch_test_row(r: &DbRow) -> StoreResult<PatchTest> {
            Ok(PatchTest {
                id: r.try_get("id")?,
                client_id: r.try_get("client_id")?,
                lot_id: r.try_get("lot_id")?,
                tested_on: r.try_get("tested_on")?,
                result: r.try_get("result")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn consent_row(r: &DbRow) -> StoreResult<ConsentDocument> {
            Ok(ConsentDocument {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                version: r.try_get("version")?,
                text: r.try_get("text")?,
                sha256: r.try_get("sha256")?,
                created_at: r.try_get("created_at")?,
            })
        }

        fn signature_row(r: &DbRow) -> StoreResult<ConsentSignature> {
            Ok(ConsentSignature {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                client_id: r.try_get("client_id")?,
                document_id: r.try_get("document_id")?,
                text_sha256: r.try_get("text_sha256")?,
                signer_name: r.try_get("signer_name")?,
                signature_svg: r.try_get("signature_svg")?,
                signed_at: r.try_get("signed_at")?,
            })
        }

        fn appointment_row(r: &DbRow) -> StoreResult<Appointment> {
            Ok(Appointment {
                id: r.try_get("id")?,
                clinic_id: ClinicId(r.try_get("clinic_id")?),
                client_id: r.try_get("client_id")?,
                practitioner_id: r.try_get("practitioner_id")?,
                kind: r.try_get("kind")?,
                starts_at: r.try_get("starts_at")?,
                minutes: r.try_get("minutes")?,
                room: r.try_get("room")?,
                created_at: r.try_get("created_at")?,
                cancelled_at: r.try_get("cancelled_at")?,
            })
        }

        const CONSENT_COLS: &str = "id, clinic_id, version, text, sha256, created_at";
        const SIGNATURE_COLS: &str = "id, clinic_id, client_id, document_id, text_sha256, signer_name, signature_svg, signed_at";
        const APPOINTMENT_COLS: &str = "id, clinic_id, client_id, practitioner_id, kind, starts_at, minutes, room, created_at, cancelled_at";

        const FOLLOW_COLS: &str = "id, client_id, session_id, due_on, what, done_on, note";

        fn follow_row(r: &DbRow) -> StoreResult<FollowUp> {
            Ok(FollowUp {
                id: r.try_get("id")?,
                client_id: r.try_get("client_id")?,
                session_id: r.try_get("session_id")?,
                due_on: r.try_get("due_on")?,
                what: r.try_get("what")?,
                done_on: r.try_get("done_on")?,
                note: r.try_get("note")?,
            })
        }

        fn bad(msg: String) -> StoreError {
            StoreError::BadInput(msg)
        }

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

        impl $store {
            /// The rules a session must meet before it is written (lots, dates, a ready client).
            async fn check_session(&self, clinic: ClinicId, s: &NewTreatmentSession) -> StoreResult<()> {
                check_text("regions", &s.regions, SHORT_TEXT_CHARS).map_err(bad)?;
                check_text("dilution", &s.dilution, SHORT_TEXT_CHARS).map_err(bad)?;
                check_text("notes", &s.notes, NOTE_CHARS).map_err(bad)?;
                check_date("performed_on", &s.performed_on).map_err(bad)?;
                if s.impressions < 0 || s.design_session < 1 {
                    return Err(bad("impressions must be ≥ 0 and the design session ≥ 1".into()));
                }
                self.client(clinic, s.client_id).await?;
                if let Some(d) = s.design_id {
                    let design = self.design(clinic, d).await?;
                    if design.client_id != s.client_id {
                        return Err(bad(format!("design {d} belongs to another client")));
                    }
                }
                for (id, kind) in [(s.needle_lot_id, "needle"), (s.pigment_lot_id, "pigment")] {
                    let lot = self.lot(clinic, id).await?;
                    if lot.kind != kind {
                        return Err(bad(format!("lot {} is a {} lot, not a {kind} lot", lot.lot_number, lot.kind)));
                    }
                    if lot.recalled_at.is_some() {
                        return Err(bad(format!(
                            "{kind} lot {} ({}) is recalled ({}); do not use it — take a lot that is not recalled",
                            lot.lot_number, lot.product, lot.recall_reason
                        )));
                    }
                    // ISO dates compare as text.
                    if lot.expires_on.as_str() < s.performed_on.as_str() {
                        return Err(bad(format!(
                            "{kind} lot {} ({}) expired on {}, before the session date {}; use an in-date lot",
                            lot.lot_number, lot.product, lot.expires_on, s.performed_on
                        )));
                    }
                }
                let on: jiff::civil::Date = s.performed_on.parse().map_err(|_| bad(format!("performed_on '{}' is not a date; use YYYY-MM-DD", s.performed_on)))?;
                let blockers = $crate::readiness::session_blockers(self, clinic, s.client_id, on).await?;
                if !blockers.is_empty() {
                    return Err(StoreError::NotReady(blockers));
                }
                Ok(())
            }

            /// Writes a checked session inside `tx`.
            async fn insert_session(tx: &mut sqlx::Transaction<'_, $db>, clinic: ClinicId, s: &NewTreatmentSession) -> StoreResult<TreatmentSession> {
                let sql = format!(
                    "INSERT INTO treatment_sessions (clinic_id, client_id, performed_on, practitioner_id, design_id, design_session, regions, impressions, \
                     needle_lot_id, pigment_lot_id, dilution, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {SESSION_COLS}"
                );
                let row = sqlx::query(&sql)
                    .bind(clinic.0)
                    .bind(s.client_id)
                    .bind(&s.performed_on)
                    .bind(s.practitioner_id)
                    .bind(s.design_id)
                    .bind(s.design_session)
                    .bind(s.regions.trim())
                    .bind(s.impressions)
                    .bind(s.needle_lot_id)
                    .bind(s.pigment_lot_id)
                    .bind(s.dilution.trim())
                    .bind(&s.notes)
                    .bind(now_unix())
                    .fetch_one(&mut **tx)
                    .await?;
                tsession_row(&row)
            }

            /// Takes the clinic's booking lock inside `tx`: a write to the clinic's row,
            /// which another transaction's write (a booking in another process) waits
            /// for until `tx` ends. On SQLite the write takes the database's write lock;
            /// reads from other connections go on (WAL).
            async fn lock_bookings(tx: &mut sqlx::Transaction<'_, $db>, clinic: ClinicId) -> StoreResult<()> {
                sqlx::query("UPDATE clinics SET id = id WHERE id = $1").bind(clinic.0).execute(&mut **tx).await?;
                Ok(())
            }

            /// Appends to the clinic's audit chain inside `tx`; the caller holds
            /// `audit_lock`, so no other append of this process interleaves.
            /// `None` when another writer took the next seq first (the key refused it):
            /// the transaction is then spoilt, and the caller starts a new one.
            async fn append_audit_in(tx: &mut sqlx::Transaction<'_, $db>, clinic: ClinicId, ev: &AuditEvent<'_>) -> StoreResult<Option<AuditEntry>> {
                let subject = ev.subject();
                let last = sqlx::query("SELECT seq, hash FROM audit_log WHERE clinic_id = $1 ORDER BY seq DESC LIMIT 1")
                    .bind(clinic.0)
                    .fetch_optional(&mut **tx)
                    .await?;
                let (seq, prev) = match &last {
                    Some(r) => (r.try_get::<i64, _>("seq")? + 1, r.try_get::<String, _>("hash")?),
                    None => (1, GENESIS.to_string()),
                };
                let at = now_unix();
                let hash = entry_hash(&prev, clinic, seq, at, ev.actor, ev.action, ev.entity, ev.entity_id, &subject);
                let sql = format!("INSERT INTO audit_log ({AUDIT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {AUDIT_COLS}");
                let res = sqlx::query(&sql)
                    .bind(clinic.0)
                    .bind(seq)
                    .bind(at)
                    .bind(ev.actor)
                    .bind(ev.action)
                    .bind(ev.entity)
                    .bind(ev.entity_id)
                    .bind(&subject)
                    .bind(&prev)
                    .bind(&hash)
                    .fetch_one(&mut **tx)
                    .await;
                match res {
                    Ok(row) => audit_row(&row).map(Some),
                    Err(e) if is_unique_violation(&e) => Ok(None),
                    Err(e) => Err(e.into()),
                }
            }
        }

        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn create_clinic(&self, name: &str) -> StoreResult<Clinic> {
                check_text("name", name, SHORT_TEXT_CHARS).map_err(StoreError::BadInput)?;
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
                let last_seen: i64 = row.try_get("last_seen")?;
                // Written at most every 30 s: a page's many requests cost one update.
                if now - last_seen >= 30 {
                    sqlx::query("UPDATE auth_sessions SET last_seen = $1 WHERE token_hash = $2").bind(now).bind(token_hash).execute(&self.pool).await?;
                }
                session_row(&row).map(Some)
            }

            async fn set_idle_minutes(&self, clinic: ClinicId, minutes: i64) -> StoreResult<()> {
                if !(IDLE_MINUTES_RANGE.0..=IDLE_MINUTES_RANGE.1).contains(&minutes) {
                    return Err(bad(format!(
                        "{minutes} minutes is not an idle time the app accepts; choose {} to {} minutes",
                        IDLE_MINUTES_RANGE.0, IDLE_MINUTES_RANGE.1
                    )));
                }
                sqlx::query("UPDATE clinics SET idle_minutes = $1 WHERE id = $2").bind(minutes).bind(clinic.0).execute(&self.pool).await?;
                Ok(())
            }

            async fn idle_minutes(&self, clinic: ClinicId) -> StoreResult<i64> {
                let row = sqlx::query("SELECT idle_minutes FROM clinics WHERE id = $1").bind(clinic.0).fetch_optional(&self.pool).await?;
                match row {
                    Some(r) => Ok(r.try_get("idle_minutes")?),
                    None => Err(StoreError::NotFound("clinic")),
                }
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
                check_text("name", name, SHORT_TEXT_CHARS).map_err(StoreError::BadInput)?;
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
                check_text("note", note, NOTE_CHARS).map_err(StoreError::BadInput)?;
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

            async fn add_lot(&self, clinic: ClinicId, l: &NewLot) -> StoreResult<Lot> {
                check_text("product", &l.product, SHORT_TEXT_CHARS).map_err(bad)?;
                check_text("lot_number", &l.lot_number, SHORT_TEXT_CHARS).map_err(bad)?;
                if !LOT_KINDS.contains(&l.kind.as_str()) {
                    return Err(bad(format!("lot kind '{}' is unknown; use pigment or needle", l.kind)));
                }
                if l.product.trim().is_empty() || l.lot_number.trim().is_empty() {
                    return Err(bad("a lot needs its product and lot number, as printed on the pack".into()));
                }
                check_date("expires_on", &l.expires_on).map_err(bad)?;
                let sql = format!(
                    "INSERT INTO lots (clinic_id, kind, product, lot_number, expires_on, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {LOT_COLS}"
                );
                let row = sqlx::query(&sql)
                    .bind(clinic.0)
                    .bind(&l.kind)
                    .bind(l.product.trim())
                    .bind(l.lot_number.trim())
                    .bind(&l.expires_on)
                    .bind(now_unix())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| {
                        if is_unique_violation(&e) {
                            StoreError::Duplicate { field: "lot number", value: l.lot_number.clone() }
                        } else {
                            e.into()
                        }
                    })?;
                lot_row(&row)
            }

            async fn list_lots(&self, clinic: ClinicId) -> StoreResult<Vec<Lot>> {
                let sql = format!("SELECT {LOT_COLS} FROM lots WHERE clinic_id = $1 ORDER BY id DESC");
                let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
                rows.iter().map(lot_row).collect()
            }

            async fn lot(&self, clinic: ClinicId, id: i64) -> StoreResult<Lot> {
                let sql = format!("SELECT {LOT_COLS} FROM lots WHERE clinic_id = $1 AND id = $2");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
                one(rows.iter().map(lot_row).collect::<StoreResult<Vec<_>>>()?, "lot")
            }

            async fn recall_lot(&self, clinic: ClinicId, id: i64, reason: &str) -> StoreResult<Lot> {
                check_text("reason", reason, NOTE_CHARS).map_err(bad)?;
                if reason.trim().is_empty() {
                    return Err(bad("say why the lot is recalled (the manufacturer's notice)".into()));
                }
                let sql = format!(
                    "UPDATE lots SET recalled_at = $1, recall_reason = $2 WHERE clinic_id = $3 AND id = $4 AND recalled_at IS NULL RETURNING {LOT_COLS}"
                );
                let rows = sqlx::query(&sql).bind(now_unix()).bind(reason.trim()).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
                match rows.first() {
                    Some(r) => lot_row(r),
                    None => {
                        let lot = self.lot(clinic, id).await?;
                        Err(bad(format!("lot {} is already recalled", lot.lot_number)))
                    }
                }
            }

            async fn record_session(&self, clinic: ClinicId, s: &NewTreatmentSession) -> StoreResult<TreatmentSession> {
                self.check_session(clinic, s).await?;
                let mut tx = self.pool.begin().await?;
                let rec = Self::insert_session(&mut tx, clinic, s).await?;
                tx.commit().await?;
                Ok(rec)
            }

            async fn record_session_audited(
                &self,
                clinic: ClinicId,
                s: &NewTreatmentSession,
                check_ins: &[(i64, &str)],
                actor: i64,
            ) -> StoreResult<(TreatmentSession, AuditEntry)> {
                self.check_session(clinic, s).await?;
                let on: jiff::civil::Date = s.performed_on.parse().map_err(|_| bad(format!("performed_on '{}' is not a date; use YYYY-MM-DD", s.performed_on)))?;
                // The session, its check-ins and its audit entry stand or fall together: a
                // crash mid-way once left a session with 1 of its 3 check-ins.
                let _serial = self.audit_lock.lock().await;
                let mut tx = self.pool.begin().await?;
                let rec = Self::insert_session(&mut tx, clinic, s).await?;
                for (days, what) in check_ins {
                    let due = on.saturating_add(jiff::Span::new().days(*days)).to_string();
                    sqlx::query("INSERT INTO follow_ups (clinic_id, client_id, session_id, due_on, what, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(clinic.0)
                        .bind(s.client_id)
                        .bind(rec.id)
                        .bind(&due)
                        .bind(*what)
                        .bind(now_unix())
                        .execute(&mut *tx)
                        .await?;
                }
                let ev = AuditEvent { actor, action: "create", entity: "session", entity_id: rec.id, client_id: Some(s.client_id) };
                let entry = Self::append_audit_in(&mut tx, clinic, &ev)
                    .await?
                    .ok_or_else(|| bad("the audit log is busy (another server wrote to it); nothing was saved — try again".into()))?;
                tx.commit().await?;
                Ok((rec, entry))
            }

            async fn list_sessions(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<TreatmentSession>> {
                let sql = format!("SELECT {SESSION_COLS} FROM treatment_sessions WHERE clinic_id = $1 AND client_id = $2 ORDER BY performed_on, id");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
                rows.iter().map(tsession_row).collect()
            }

            async fn sessions_with_lot(&self, clinic: ClinicId, lot: i64) -> StoreResult<Vec<TreatmentSession>> {
                let sql = format!(
                    "SELECT {SESSION_COLS} FROM treatment_sessions WHERE clinic_id = $1 AND (needle_lot_id = $2 OR pigment_lot_id = $2) ORDER BY performed_on, id"
                );
                let rows = sqlx::query(&sql).bind(clinic.0).bind(lot).fetch_all(&self.pool).await?;
                rows.iter().map(tsession_row).collect()
            }

            async fn all_sessions(&self, clinic: ClinicId) -> StoreResult<Vec<TreatmentSession>> {
                let sql = format!("SELECT {SESSION_COLS} FROM treatment_sessions WHERE clinic_id = $1 ORDER BY performed_on, id");
                let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
                rows.iter().map(tsession_row).collect()
            }

            async fn add_adverse_event(&self, clinic: ClinicId, e: &NewAdverseEvent) -> StoreResult<AdverseEvent> {
                check_text("action", &e.action, NOTE_CHARS).map_err(bad)?;
                if !EVENT_KINDS.contains(&e.kind.as_str()) {
                    return Err(bad(format!("event kind '{}' is unknown; use one of {}", e.kind, EVENT_KINDS.join(", "))));
                }
                if !SEVERITIES.contains(&e.severity.as_str()) {
                    return Err(bad(format!("severity '{}' is unknown; use mild, moderate or severe", e.severity)));
                }
                check_date("onset_on", &e.onset_on).map_err(bad)?;
                if let Some(r) = &e.resolved_on {
                    check_date("resolved_on", r).map_err(bad)?;
                    if r.as_str() < e.onset_on.as_str() {
                        return Err(bad(format!("resolved_on {r} is before the onset {}", e.onset_on)));
                    }
                }
                self.client(clinic, e.client_id).await?;
                if let Some(sid) = e.session_id {
                    let ok = self.list_sessions(clinic, e.client_id).await?.iter().any(|s| s.id == sid);
                    if !ok {
                        return Err(StoreError::NotFound("session"));
                    }
                }
                let sql = format!(
                    "INSERT INTO adverse_events (clinic_id, client_id, session_id, kind, severity, onset_on, resolved_on, action, practitioner_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {EVENT_COLS}"
                );
                let row = sqlx::query(&sql)
                    .bind(clinic.0)
                    .bind(e.client_id)
                    .bind(e.session_id)
                    .bind(&e.kind)
                    .bind(&e.severity)
                    .bind(&e.onset_on)
                    .bind(&e.resolved_on)
                    .bind(&e.action)
                    .bind(e.practitioner_id)
                    .bind(now_unix())
                    .fetch_one(&self.pool)
                    .await?;
                event_row(&row)
            }

            async fn list_adverse_events(&self, clinic: ClinicId, client: Option<i64>) -> StoreResult<Vec<AdverseEvent>> {
                let sql = format!(
                    "SELECT {EVENT_COLS} FROM adverse_events WHERE clinic_id = $1 AND ($2 < 0 OR client_id = $2) ORDER BY onset_on, id"
                );
                let rows = sqlx::query(&sql).bind(clinic.0).bind(client.unwrap_or(-1)).fetch_all(&self.pool).await?;
                rows.iter().map(event_row).collect()
            }

            async fn add_survey(&self, clinic: ClinicId, s: &NewSurvey) -> StoreResult<Survey> {
                check_text("comment", &s.comment, NOTE_CHARS).map_err(bad)?;
                if !(1..=5).contains(&s.satisfaction) {
                    return Err(bad(format!("satisfaction {} is out of range: 1 (very dissatisfied) to 5 (very satisfied)", s.satisfaction)));
                }
                if s.comment.len() > 5000 {
                    return Err(bad("the comment is over 5000 characters".into()));
                }
                self.client(clinic, s.client_id).await?;
                self.user(clinic, s.practitioner_id).await?;
                let sql = format!(
                    "INSERT INTO outcome_surveys (clinic_id, client_id, practitioner_id, satisfaction, would_recommend, comment, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {SURVEY_COLS}"
                );
                let row = sqlx::query(&sql)
                    .bind(clinic.0)
                    .bind(s.client_id)
                    .bind(s.practitioner_id)
                    .bind(s.satisfaction)
                    .bind(i64::from(s.would_recommend))
                    .bind(&s.comment)
                    .bind(now_unix())
                    .fetch_one(&self.pool)
                    .await?;
                survey_row(&row)
            }

            async fn list_surveys(&self, clinic: ClinicId) -> StoreResult<Vec<Survey>> {
                let sql = format!("SELECT {SURVEY_COLS} FROM outcome_surveys WHERE clinic_id = $1 ORDER BY id");
                let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
                rows.iter().map(survey_row).collect()
            }

            async fn audit(&self, clinic: ClinicId, ev: &AuditEvent<'_>) -> StoreResult<AuditEntry> {
                let _serial = self.audit_lock.lock().await;
                // The (clinic, seq) key serialises appends: of two writers that read the same
                // last entry, one insert fails and that writer re-reads and retries.
                for _ in 0..50 {
                    let mut tx = self.pool.begin().await?;
                    if let Some(entry) = Self::append_audit_in(&mut tx, clinic, ev).await? {
                        tx.commit().await?;
                        return Ok(entry);
                    }
                }
                Err(bad("the audit log is too busy to append; try again".into()))
            }

            async fn audit_log(&self, clinic: ClinicId) -> StoreResult<Vec<AuditEntry>> {
                let sql = format!("SELECT {AUDIT_COLS} FROM audit_log WHERE clinic_id = $1 ORDER BY seq");
                let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
                rows.iter().map(audit_row).collect()
            }

            async fn list_clinics(&self) -> StoreResult<Vec<Clinic>> {
                let rows = sqlx::query("SELECT id, name, created_at FROM clinics ORDER BY id").fetch_all(&self.pool).await?;
                rows.iter().map(clinic_row).collect()
            }

            async fn publish_consent(&self, clinic: ClinicId, text: &str) -> StoreResult<ConsentDocument> {
                check_text("text", text, CONSENT_TEXT_CHARS).map_err(bad)?;
                if text.trim().len() < 20 {
                    return Err(bad("the consent text is empty or too short; write out what the client agrees to".into()));
                }
                let sha = $crate::files::sha256_hex(text.as_bytes());
                for _ in 0..10 {
                    let next: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM consent_documents WHERE clinic_id = $1")
                        .bind(clinic.0)
                        .fetch_one(&self.pool)
                        .await?
                        .try_get("v")?;
                    let sql = format!("INSERT INTO consent_documents (clinic_id, version, text, sha256, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {CONSENT_COLS}");
                    match sqlx::query(&sql).bind(clinic.0).bind(next).bind(text).bind(&sha).bind(now_unix()).fetch_one(&self.pool).await {
                        Ok(row) => return consent_row(&row),
                        Err(e) if is_unique_violation(&e) => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
                Err(bad("another consent version is being published; try again".into()))
            }

            async fn latest_consent(&self, clinic: ClinicId) -> StoreResult<Option<ConsentDocument>> {
                let sql = format!("SELECT {CONSENT_COLS} FROM consent_documents WHERE clinic_id = $1 ORDER BY version DESC LIMIT 1");
                let row = sqlx::query(&sql).bind(clinic.0).fetch_optional(&self.pool).await?;
                row.as_ref().map(consent_row).transpose()
            }

            async fn sign_consent(&self, clinic: ClinicId, client: i64, document: i64, text_sha256: &str, signer: &str, signature_svg: &str) -> StoreResult<ConsentSignature> {
                check_text("signer_name", signer, SHORT_TEXT_CHARS).map_err(bad)?;
                check_text("signature", signature_svg, 200_000).map_err(bad)?;
                self.client(clinic, client).await?;
                let sql = format!("SELECT {CONSENT_COLS} FROM consent_documents WHERE clinic_id = $1 AND id = $2");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(document).fetch_all(&self.pool).await?;
                let doc = one(rows.iter().map(consent_row).collect::<StoreResult<Vec<_>>>()?, "consent document")?;
                if doc.sha256 != text_sha256 {
                    return Err(bad("the consent text signed is not the stored text of that version; reload, read it and sign again".into()));
                }
                if signer.trim().is_empty() {
                    return Err(bad("the signer's name is missing".into()));
                }
                let valid_path = !signature_svg.trim().is_empty()
                    && signature_svg.len() < 200_000
                    && signature_svg.chars().all(|c| c.is_ascii_digit() || " .,-MLml".contains(c));
                if !valid_path {
                    return Err(bad("draw the signature in the box (it arrives as SVG path data: M/L commands and numbers only)".into()));
                }
                let sql = format!(
                    "INSERT INTO consent_signatures (clinic_id, client_id, document_id, text_sha256, signer_name, signature_svg, signed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {SIGNATURE_COLS}"
                );
                let row = sqlx::query(&sql).bind(clinic.0).bind(client).bind(document).bind(text_sha256).bind(signer.trim()).bind(signature_svg).bind(now_unix()).fetch_one(&self.pool).await?;
                signature_row(&row)
            }

            async fn consent_signatures(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<ConsentSignature>> {
                let sql = format!("SELECT {SIGNATURE_COLS} FROM consent_signatures WHERE clinic_id = $1 AND client_id = $2 ORDER BY id");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
                rows.iter().map(signature_row).collect()
            }

            async fn add_screening(&self, clinic: ClinicId, client: i64, answers: &ScreeningAnswers) -> StoreResult<Screening> {
                for (field, text) in [("allergies", &answers.allergies), ("skin_conditions", &answers.skin_conditions), ("medications", &answers.medications), ("hair_transplant_on", &answers.hair_transplant_on)] {
                    check_text(field, text, NOTE_CHARS).map_err(bad)?;
                }
                self.client(clinic, client).await?;
                if !answers.hair_transplant_on.is_empty() {
                    check_date("hair_transplant_on", &answers.hair_transplant_on).map_err(bad)?;
                }
                let json = serde_json::to_string(answers).map_err(|e| bad(e.to_string()))?;
                let row = sqlx::query("INSERT INTO screenings (clinic_id, client_id, answers, created_at) VALUES ($1, $2, $3, $4) RETURNING id, created_at")
                    .bind(clinic.0)
                    .bind(client)
                    .bind(&json)
                    .bind(now_unix())
                    .fetch_one(&self.pool)
                    .await?;
                Ok(Screening { id: row.try_get("id")?, client_id: client, answers: answers.clone(), created_at: row.try_get("created_at")? })
            }

            async fn latest_screening(&self, clinic: ClinicId, client: i64) -> StoreResult<Option<Screening>> {
                Ok(self.screenings(clinic, client).await?.pop())
            }

            async fn screenings(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<Screening>> {
                let rows = sqlx::query("SELECT id, answers, created_at FROM screenings WHERE clinic_id = $1 AND client_id = $2 ORDER BY id")
                    .bind(clinic.0)
                    .bind(client)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|r| {
                        let text: String = r.try_get("answers")?;
                        let answers = serde_json::from_str(&text).map_err(|e| bad(format!("stored screening is unreadable: {e}")))?;
                        Ok(Screening { id: r.try_get("id")?, client_id: client, answers, created_at: r.try_get("created_at")? })
                    })
                    .collect()
            }

            async fn book_appointment(&self, clinic: ClinicId, a: &NewAppointment) -> StoreResult<Appointment> {
                // Two desks booking the same slot at once must not both pass the check
                // before either inserts: the check and the insert run under the clinic's
                // booking lock (this process's mutex, then the clinic row's write lock,
                // which another process's booking waits for until this one commits).
                let _serial = self.booking_lock.lock().await;
                let mut tx = self.pool.begin().await?;
                Self::lock_bookings(&mut tx, clinic).await?;
                $crate::booking::check_booking(self, clinic, a, None).await?;
                let sql = format!(
                    "INSERT INTO appointments (clinic_id, client_id, practitioner_id, kind, starts_at, minutes, room, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {APPOINTMENT_COLS}"
                );
                let row = sqlx::query(&sql).bind(clinic.0).bind(a.client_id).bind(a.practitioner_id).bind(&a.kind).bind(&a.starts_at).bind(a.minutes).bind(a.room.trim()).bind(now_unix()).fetch_one(&mut *tx).await?;
                let booked = appointment_row(&row)?;
                tx.commit().await?;
                Ok(booked)
            }

            async fn list_appointments(&self, clinic: ClinicId, from: &str) -> StoreResult<Vec<Appointment>> {
                // Past every valid start (hours stop at 23), in any collation: no bound.
                self.appointments_between(clinic, from, "9999-12-31T24:00").await
            }

            async fn appointment(&self, clinic: ClinicId, id: i64) -> StoreResult<Appointment> {
                let sql = format!("SELECT {APPOINTMENT_COLS} FROM appointments WHERE clinic_id = $1 AND id = $2 AND cancelled_at IS NULL");
                let row = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_optional(&self.pool).await?;
                row.as_ref().map(appointment_row).transpose()?.ok_or(StoreError::NotFound("appointment"))
            }

            async fn appointments_between(&self, clinic: ClinicId, from: &str, until: &str) -> StoreResult<Vec<Appointment>> {
                let sql = format!("SELECT {APPOINTMENT_COLS} FROM appointments WHERE clinic_id = $1 AND starts_at >= $2 AND starts_at < $3 AND cancelled_at IS NULL ORDER BY starts_at, id");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(from).bind(until).fetch_all(&self.pool).await?;
                rows.iter().map(appointment_row).collect()
            }

            async fn client_appointments(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<Appointment>> {
                let sql = format!("SELECT {APPOINTMENT_COLS} FROM appointments WHERE clinic_id = $1 AND client_id = $2 ORDER BY starts_at, id");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
                rows.iter().map(appointment_row).collect()
            }

            async fn cancel_appointment(&self, clinic: ClinicId, id: i64) -> StoreResult<()> {
                let done = sqlx::query("UPDATE appointments SET cancelled_at = $1 WHERE clinic_id = $2 AND id = $3 AND cancelled_at IS NULL")
                    .bind(now_unix())
                    .bind(clinic.0)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound("appointment")) } else { Ok(()) }
            }

            async fn reschedule_appointment(&self, clinic: ClinicId, id: i64, starts_at: &str, minutes: i64) -> StoreResult<Appointment> {
                let old = self.appointment(clinic, id).await?;
                let moved = NewAppointment {
                    client_id: old.client_id,
                    practitioner_id: old.practitioner_id,
                    kind: old.kind.clone(),
                    starts_at: starts_at.to_string(),
                    minutes,
                    room: old.room.clone(),
                };
                let _serial = self.booking_lock.lock().await;
                let mut tx = self.pool.begin().await?;
                Self::lock_bookings(&mut tx, clinic).await?;
                $crate::booking::check_booking(self, clinic, &moved, Some(id)).await?;
                let sql = format!("UPDATE appointments SET starts_at = $1, minutes = $2 WHERE clinic_id = $3 AND id = $4 AND cancelled_at IS NULL RETURNING {APPOINTMENT_COLS}");
                let row = sqlx::query(&sql).bind(starts_at).bind(minutes).bind(clinic.0).bind(id).fetch_optional(&mut *tx).await?;
                let moved = row.as_ref().map(appointment_row).transpose()?.ok_or(StoreError::NotFound("appointment"))?;
                tx.commit().await?;
                Ok(moved)
            }

            async fn add_calendar_token(&self, clinic: ClinicId, user: i64, token_hash: &str) -> StoreResult<()> {
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

            async fn revoke_calendar_tokens(&self, clinic: ClinicId, user: i64) -> StoreResult<()> {
                sqlx::query("UPDATE calendar_tokens SET revoked_at = $1 WHERE clinic_id = $2 AND user_id = $3 AND revoked_at IS NULL")
                    .bind(now_unix())
                    .bind(clinic.0)
                    .bind(user)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn calendar_token(&self, token_hash: &str) -> StoreResult<Option<(ClinicId, i64)>> {
                let row = sqlx::query("SELECT clinic_id, user_id FROM calendar_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    Some(r) => Ok(Some((ClinicId(r.try_get("clinic_id")?), r.try_get("user_id")?))),
                    None => Ok(None),
                }
            }

            async fn set_marketing_consent(&self, clinic: ClinicId, photo: i64, consent: bool) -> StoreResult<()> {
                let done = sqlx::query("UPDATE photos SET marketing_consent = $1 WHERE clinic_id = $2 AND id = $3")
                    .bind(i64::from(consent))
                    .bind(clinic.0)
                    .bind(photo)
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound("photo")) } else { Ok(()) }
            }

            async fn consented_photos(&self, clinic: ClinicId) -> StoreResult<Vec<Photo>> {
                let sql = format!("SELECT {PHOTO_COLS} FROM photos WHERE clinic_id = $1 AND marketing_consent = 1 ORDER BY client_id, taken_on, id");
                let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
                rows.iter().map(photo_row).collect()
            }

            async fn has_marketing_consent(&self, clinic: ClinicId, photo: i64) -> StoreResult<bool> {
                let row = sqlx::query("SELECT marketing_consent FROM photos WHERE clinic_id = $1 AND id = $2")
                    .bind(clinic.0)
                    .bind(photo)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(match row {
                    Some(r) => r.try_get::<i64, _>("marketing_consent")? == 1,
                    None => false,
                })
            }

            async fn set_public_results(&self, clinic: ClinicId, on: bool) -> StoreResult<()> {
                sqlx::query("UPDATE clinics SET public_results = $1 WHERE id = $2").bind(i64::from(on)).bind(clinic.0).execute(&self.pool).await?;
                Ok(())
            }

            async fn public_results(&self, clinic: ClinicId) -> StoreResult<bool> {
                let row = sqlx::query("SELECT public_results FROM clinics WHERE id = $1").bind(clinic.0).fetch_optional(&self.pool).await?;
                Ok(match row {
                    Some(r) => r.try_get::<i64, _>("public_results")? == 1,
                    None => false,
                })
            }

            async fn add_patch_test(&self, clinic: ClinicId, client: i64, lot: i64, tested_on: &str, result: &str) -> StoreResult<PatchTest> {
                if !PATCH_RESULTS.contains(&result) {
                    return Err(bad(format!("patch-test result '{result}' is unknown; use pending, negative or positive")));
                }
                check_date("tested_on", tested_on).map_err(bad)?;
                self.client(clinic, client).await?;
                let l = self.lot(clinic, lot).await?;
                if l.kind != "pigment" {
                    return Err(bad(format!("lot {} is a {} lot; patch tests are of pigment lots", l.lot_number, l.kind)));
                }
                // ISO dates compare as text.
                if l.expires_on.as_str() < tested_on {
                    return Err(bad(format!(
                        "pigment lot {} ({}) expired on {}, before the test date {tested_on}; test with an in-date lot",
                        l.lot_number, l.product, l.expires_on
                    )));
                }
                let row = sqlx::query(
                    "INSERT INTO patch_tests (clinic_id, client_id, lot_id, tested_on, result, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at",
                )
                .bind(clinic.0)
                .bind(client)
                .bind(lot)
                .bind(tested_on)
                .bind(result)
                .bind(now_unix())
                .fetch_one(&self.pool)
                .await?;
                Ok(PatchTest { id: row.try_get("id")?, client_id: client, lot_id: lot, tested_on: tested_on.into(), result: result.into(), created_at: row.try_get("created_at")? })
            }

            async fn patch_tests(&self, clinic: ClinicId, client: i64) -> StoreResult<Vec<PatchTest>> {
                let rows = sqlx::query("SELECT id, client_id, lot_id, tested_on, result, created_at FROM patch_tests WHERE clinic_id = $1 AND client_id = $2 ORDER BY id")
                    .bind(clinic.0)
                    .bind(client)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(patch_test_row).collect()
            }

            async fn patch_tests_with_lot(&self, clinic: ClinicId, lot: i64) -> StoreResult<Vec<PatchTest>> {
                let rows = sqlx::query("SELECT id, client_id, lot_id, tested_on, result, created_at FROM patch_tests WHERE clinic_id = $1 AND lot_id = $2 ORDER BY tested_on, id")
                    .bind(clinic.0)
                    .bind(lot)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(patch_test_row).collect()
            }

            async fn add_follow_up(&self, clinic: ClinicId, session: i64, due_on: &str, what: &str) -> StoreResult<FollowUp> {
                check_date("due_on", due_on).map_err(bad)?;
                let client: i64 = sqlx::query("SELECT client_id FROM treatment_sessions WHERE clinic_id = $1 AND id = $2")
                    .bind(clinic.0)
                    .bind(session)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound("session"))?
                    .try_get("client_id")?;
                let sql = format!(
                    "INSERT INTO follow_ups (clinic_id, client_id, session_id, due_on, what, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {FOLLOW_COLS}"
                );
                let row = sqlx::query(&sql).bind(clinic.0).bind(client).bind(session).bind(due_on).bind(what).bind(now_unix()).fetch_one(&self.pool).await?;
                follow_row(&row)
            }

            async fn complete_follow_up(&self, clinic: ClinicId, id: i64, done_on: &str, note: &str) -> StoreResult<FollowUp> {
                check_text("note", note, NOTE_CHARS).map_err(bad)?;
                check_date("done_on", done_on).map_err(bad)?;
                let sql = format!("UPDATE follow_ups SET done_on = $1, note = $2 WHERE clinic_id = $3 AND id = $4 AND done_on IS NULL RETURNING {FOLLOW_COLS}");
                let rows = sqlx::query(&sql).bind(done_on).bind(note).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
                match rows.first() {
                    Some(r) => follow_row(r),
                    None => Err(StoreError::NotFound("open check-in")),
                }
            }

            async fn list_follow_ups(&self, clinic: ClinicId, client: Option<i64>) -> StoreResult<Vec<FollowUp>> {
                let sql = format!("SELECT {FOLLOW_COLS} FROM follow_ups WHERE clinic_id = $1 AND ($2 < 0 OR client_id = $2) ORDER BY due_on, id");
                let rows = sqlx::query(&sql).bind(clinic.0).bind(client.unwrap_or(-1)).fetch_all(&self.pool).await?;
                rows.iter().map(follow_row).collect()
            }

            async fn erase_client(&self, clinic: ClinicId, id: i64) -> StoreResult<Vec<String>> {
                self.client(clinic, id).await?;
                let photos = self.list_photos(clinic, id).await?;
                let mut tx = self.pool.begin().await?;
                for (sql, what) in [
                    ("DELETE FROM design_versions WHERE clinic_id = $1 AND design_id IN (SELECT id FROM designs WHERE clinic_id = $1 AND client_id = $2)", "design versions"),
                    ("DELETE FROM designs WHERE clinic_id = $1 AND client_id = $2", "designs"),
                    ("UPDATE treatment_sessions SET notes = '', regions = '', design_id = NULL WHERE clinic_id = $1 AND client_id = $2", "sessions"),
                    ("UPDATE adverse_events SET action = '' WHERE clinic_id = $1 AND client_id = $2", "adverse events"),
                    ("UPDATE outcome_surveys SET comment = '' WHERE clinic_id = $1 AND client_id = $2", "surveys"),
                    ("DELETE FROM photos WHERE clinic_id = $1 AND client_id = $2", "photos"),
                    ("UPDATE consent_signatures SET signer_name = '', signature_svg = '' WHERE clinic_id = $1 AND client_id = $2", "consent signatures"),
                    ("DELETE FROM screenings WHERE clinic_id = $1 AND client_id = $2", "screenings"),
                    ("UPDATE follow_ups SET note = '' WHERE clinic_id = $1 AND client_id = $2", "check-ins"),
                    // Bookings hold the client's name in calendar feeds and a room note; no
                    // recall needs them.
                    ("DELETE FROM appointments WHERE clinic_id = $1 AND client_id = $2", "appointments"),
                ] {
                    sqlx::query(sql).bind(clinic.0).bind(id).execute(&mut *tx).await.map_err(|e| {
                        StoreError::BadInput(format!("erasing the client's {what} failed, nothing was erased: {e}"))
                    })?;
                }
                sqlx::query("UPDATE clients SET name = $1, email = '', phone = '', notes = '' WHERE clinic_id = $2 AND id = $3")
                    .bind(format!("erased client {id}"))
                    .bind(clinic.0)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                self.scrub().await?;
                Ok(photos.into_iter().map(|p| p.sha256).collect())
            }

            async fn hash_in_use(&self, sha256: &str) -> StoreResult<bool> {
                let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM photos WHERE sha256 = $1").bind(sha256).fetch_one(&self.pool).await?.try_get("n")?;
                Ok(n > 0)
            }

            async fn delete_design(&self, clinic: ClinicId, id: i64) -> StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                // The check and the delete in one transaction: a session recorded from the
                // design meanwhile makes the delete fail on its reference, not orphan it.
                let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM designs WHERE clinic_id = $1 AND id = $2").bind(clinic.0).bind(id).fetch_one(&mut *tx).await?.try_get("n")?;
                if n == 0 {
                    return Err(StoreError::NotFound("design"));
                }
                let used: i64 = sqlx::query("SELECT COUNT(*) AS n FROM treatment_sessions WHERE clinic_id = $1 AND design_id = $2").bind(clinic.0).bind(id).fetch_one(&mut *tx).await?.try_get("n")?;
                if used > 0 {
                    return Err(bad(format!(
                        "this design is kept: {used} recorded {} done from it, and the treatment record must show what was done",
                        if used == 1 { "session was" } else { "sessions were" }
                    )));
                }
                sqlx::query("DELETE FROM design_versions WHERE clinic_id = $1 AND design_id = $2").bind(clinic.0).bind(id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM designs WHERE clinic_id = $1 AND id = $2").bind(clinic.0).bind(id).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn delete_photo(&self, clinic: ClinicId, id: i64) -> StoreResult<String> {
                let mut tx = self.pool.begin().await?;
                let row = sqlx::query("SELECT sha256, marketing_consent FROM photos WHERE clinic_id = $1 AND id = $2").bind(clinic.0).bind(id).fetch_optional(&mut *tx).await?.ok_or(StoreError::NotFound("photo"))?;
                let sha: String = row.try_get("sha256")?;
                let public: i64 = row.try_get("marketing_consent")?;
                if public != 0 {
                    return Err(bad("the client allowed this photo to be shown publicly: withdraw that first, then delete it".into()));
                }
                let drawn: i64 = sqlx::query("SELECT COUNT(*) AS n FROM designs WHERE clinic_id = $1 AND photo_id = $2").bind(clinic.0).bind(id).fetch_one(&mut *tx).await?.try_get("n")?;
                if drawn > 0 {
                    return Err(bad(format!(
                        "{drawn} {} drawn on this photo: delete {} first",
                        if drawn == 1 { "design is" } else { "designs are" },
                        if drawn == 1 { "it" } else { "them" }
                    )));
                }
                sqlx::query("DELETE FROM photos WHERE clinic_id = $1 AND id = $2").bind(clinic.0).bind(id).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(sha)
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
