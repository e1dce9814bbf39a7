//! Appointments: booking, moving and cancelling under the booking rules.

use async_trait::async_trait;
use sqlx::Any;

use super::*;
use crate::consent::*;
use crate::error::*;
use crate::model::*;

/// Appointments: booking, moving and cancelling under the booking rules.
#[async_trait]
pub trait AppointmentStore: Send + Sync {
    /// Books an appointment.
    async fn book_appointment(&self, clinic: ClinicId, a: &NewAppointment) -> StoreResult<Appointment>;
    /// Appointments starting on or after `from` (YYYY-MM-DD), by start.
    async fn list_appointments(&self, clinic: ClinicId, from: &str) -> StoreResult<Vec<Appointment>>;
    /// One booked (not cancelled) appointment.
    async fn appointment(&self, clinic: ClinicId, id: AppointmentId) -> StoreResult<Appointment>;
    /// Booked appointments starting from `from` up to (not including) `until`.
    async fn appointments_between(&self, clinic: ClinicId, from: &str, until: &str) -> StoreResult<Vec<Appointment>>;
    /// Every appointment of a client, cancelled ones included (the export holds all).
    async fn client_appointments(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<Appointment>>;
    /// Cancels a booked appointment (it leaves the lists and calendar feeds).
    async fn cancel_appointment(&self, clinic: ClinicId, id: AppointmentId) -> StoreResult<()>;
    /// Moves a booked appointment, under the same rules as a new booking.
    async fn reschedule_appointment(&self, clinic: ClinicId, id: AppointmentId, starts_at: &str, minutes: i64) -> StoreResult<Appointment>;
}

#[async_trait]
impl AppointmentStore for SqlStore {
    async fn book_appointment(&self, clinic: ClinicId, a: &NewAppointment) -> StoreResult<Appointment> {
        // Two desks booking the same slot at once must not both pass the check
        // before either inserts: the check and the insert run under the clinic's
        // booking lock (this process's mutex, then the clinic row's write lock,
        // which another process's booking waits for until this one commits).
        let _serial = self.booking_lock.lock().await;
        let mut tx = self.begin_write().await?;
        Self::lock_bookings(&mut tx, clinic).await?;
        crate::booking::check_booking(self, clinic, a, None).await?;
        let sql = format!(
            "INSERT INTO appointments (clinic_id, client_id, practitioner_id, kind, starts_at, minutes, room, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {APPOINTMENT_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(a.client_id)
            .bind(a.practitioner_id)
            .bind(a.kind.as_str())
            .bind(&a.starts_at)
            .bind(a.minutes)
            .bind(a.room.trim())
            .bind(now_unix())
            .fetch_one(&mut *tx)
            .await?;
        let booked = from_row(&row)?;
        tx.commit().await?;
        Ok(booked)
    }

    async fn list_appointments(&self, clinic: ClinicId, from: &str) -> StoreResult<Vec<Appointment>> {
        // Past every valid start (hours stop at 23), in any collation: no bound.
        self.appointments_between(clinic, from, "9999-12-31T24:00").await
    }

    async fn appointment(&self, clinic: ClinicId, id: AppointmentId) -> StoreResult<Appointment> {
        let sql = format!("SELECT {APPOINTMENT_COLS} FROM appointments WHERE clinic_id = $1 AND id = $2 AND cancelled_at IS NULL");
        let row = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(from_row).transpose()?.ok_or(StoreError::NotFound("appointment"))
    }

    async fn appointments_between(&self, clinic: ClinicId, from: &str, until: &str) -> StoreResult<Vec<Appointment>> {
        let sql = format!(
            "SELECT {APPOINTMENT_COLS} FROM appointments WHERE clinic_id = $1 AND starts_at >= $2 AND starts_at < $3 AND cancelled_at IS NULL ORDER BY starts_at, id"
        );
        let rows = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(from)
            .bind(until)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    async fn client_appointments(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<Appointment>> {
        let sql = format!("SELECT {APPOINTMENT_COLS} FROM appointments WHERE clinic_id = $1 AND client_id = $2 ORDER BY starts_at, id");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn cancel_appointment(&self, clinic: ClinicId, id: AppointmentId) -> StoreResult<()> {
        let done = sqlx::query("UPDATE appointments SET cancelled_at = $1 WHERE clinic_id = $2 AND id = $3 AND cancelled_at IS NULL")
            .bind(now_unix())
            .bind(clinic.0)
            .bind(id)
            .execute(&self.pool)
            .await?;
        touched(done, "appointment")
    }

    async fn reschedule_appointment(&self, clinic: ClinicId, id: AppointmentId, starts_at: &str, minutes: i64) -> StoreResult<Appointment> {
        let old = self.appointment(clinic, id).await?;
        let moved = NewAppointment {
            client_id: old.client_id,
            practitioner_id: old.practitioner_id,
            kind: old.kind,
            starts_at: starts_at.to_string(),
            minutes,
            room: old.room.clone(),
        };
        let _serial = self.booking_lock.lock().await;
        let mut tx = self.begin_write().await?;
        Self::lock_bookings(&mut tx, clinic).await?;
        crate::booking::check_booking(self, clinic, &moved, Some(id)).await?;
        let sql = format!(
            "UPDATE appointments SET starts_at = $1, minutes = $2 WHERE clinic_id = $3 AND id = $4 AND cancelled_at IS NULL RETURNING {APPOINTMENT_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(starts_at)
            .bind(minutes)
            .bind(clinic.0)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let moved = row.as_ref().map(from_row).transpose()?.ok_or(StoreError::NotFound("appointment"))?;
        tx.commit().await?;
        Ok(moved)
    }
}

impl SqlStore {
    /// Takes the clinic's booking lock inside `tx`: a write to the clinic's row,
    /// which another transaction's write (a booking in another process) waits
    /// for until `tx` ends. On SQLite the write takes the database's write lock;
    /// reads from other connections go on (WAL).
    pub(crate) async fn lock_bookings(tx: &mut sqlx::Transaction<'_, Any>, clinic: ClinicId) -> StoreResult<()> {
        sqlx::query("UPDATE clinics SET id = id WHERE id = $1")
            .bind(clinic.0)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }
}
