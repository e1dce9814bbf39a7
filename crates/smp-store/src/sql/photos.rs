//! Photo records (the files live in the content-addressed file store) and marketing consent.

use async_trait::async_trait;
use sqlx::Row;

use super::*;
use crate::error::*;
use crate::model::*;
use crate::prelude::*;

/// Photo records (the files live in the content-addressed file store) and marketing consent.
#[async_trait]
pub trait PhotoStore: Send + Sync {
    /// Records an uploaded photo of a client of this clinic.
    async fn add_photo(&self, clinic: ClinicId, photo: &NewPhoto) -> StoreResult<Photo>;
    /// A photo of this clinic.
    async fn photo(&self, clinic: ClinicId, id: PhotoId) -> StoreResult<Photo>;
    /// This clinic's photo with this content hash, if it has one.
    async fn photo_by_hash(&self, clinic: ClinicId, sha256: &str) -> StoreResult<Option<Photo>>;
    /// A client's photos by view, then date.
    async fn list_photos(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<Photo>>;
    /// Sets a photo's marketing consent.
    async fn set_marketing_consent(&self, clinic: ClinicId, photo: PhotoId, consent: bool) -> StoreResult<()>;
    /// Photos whose clients consented to public use.
    async fn consented_photos(&self, clinic: ClinicId) -> StoreResult<Vec<Photo>>;
    /// Whether a photo has marketing consent.
    async fn has_marketing_consent(&self, clinic: ClinicId, photo: PhotoId) -> StoreResult<bool>;
    /// Whether any photo record (any clinic) still uses this content hash.
    async fn hash_in_use(&self, sha256: &str) -> StoreResult<bool>;
    /// Deletes a photo record, unless a design is drawn on it or the client allowed it to
    /// be shown publicly (`BadInput` says which). Returns its content hash, whose file the
    /// caller removes when no record uses it any more.
    async fn delete_photo(&self, clinic: ClinicId, id: PhotoId) -> StoreResult<String>;
}

#[async_trait]
impl PhotoStore for SqlStore {
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
        from_row(&row)
    }

    async fn photo(&self, clinic: ClinicId, id: PhotoId) -> StoreResult<Photo> {
        let sql = format!("SELECT {PHOTO_COLS} FROM photos WHERE clinic_id = $1 AND id = $2");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
        one(rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?, "photo")
    }

    async fn photo_by_hash(&self, clinic: ClinicId, sha256: &str) -> StoreResult<Option<Photo>> {
        let sql = format!("SELECT {PHOTO_COLS} FROM photos WHERE clinic_id = $1 AND sha256 = $2 ORDER BY id LIMIT 1");
        let row = sqlx::query(&sql).bind(clinic.0).bind(sha256).fetch_optional(&self.pool).await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn list_photos(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<Photo>> {
        let sql = format!("SELECT {PHOTO_COLS} FROM photos WHERE clinic_id = $1 AND client_id = $2 ORDER BY view, taken_on, id");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn set_marketing_consent(&self, clinic: ClinicId, photo: PhotoId, consent: bool) -> StoreResult<()> {
        let done = sqlx::query("UPDATE photos SET marketing_consent = $1 WHERE clinic_id = $2 AND id = $3")
            .bind(i64::from(consent))
            .bind(clinic.0)
            .bind(photo)
            .execute(&self.pool)
            .await?;
        touched(done, "photo")
    }

    async fn consented_photos(&self, clinic: ClinicId) -> StoreResult<Vec<Photo>> {
        let sql =
            format!("SELECT {PHOTO_COLS} FROM photos WHERE clinic_id = $1 AND marketing_consent = 1 ORDER BY client_id, taken_on, id");
        let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn has_marketing_consent(&self, clinic: ClinicId, photo: PhotoId) -> StoreResult<bool> {
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

    async fn hash_in_use(&self, sha256: &str) -> StoreResult<bool> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM photos WHERE sha256 = $1")
            .bind(sha256)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok(n > 0)
    }

    async fn delete_photo(&self, clinic: ClinicId, id: PhotoId) -> StoreResult<String> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT sha256, marketing_consent FROM photos WHERE clinic_id = $1 AND id = $2")
            .bind(clinic.0)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("photo"))?;
        let sha: String = row.try_get("sha256")?;
        let public: i64 = row.try_get("marketing_consent")?;
        if public != 0 {
            return Err(bad(
                "the client allowed this photo to be shown publicly: withdraw that first, then delete it".into(),
            ));
        }
        let drawn: i64 = sqlx::query("SELECT COUNT(*) AS n FROM designs WHERE clinic_id = $1 AND photo_id = $2")
            .bind(clinic.0)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if drawn > 0 {
            return Err(bad(format!(
                "{drawn} {} drawn on this photo: delete {} first",
                if drawn == 1 { "design is" } else { "designs are" },
                if drawn == 1 { "it" } else { "them" }
            )));
        }
        sqlx::query("DELETE FROM photos WHERE clinic_id = $1 AND id = $2")
            .bind(clinic.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(sha)
    }
}
