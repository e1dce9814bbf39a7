//! Needle and pigment lots, recalls and patch tests of a lot.

use async_trait::async_trait;
use sqlx::Row;

use super::*;
use crate::consent::*;
use crate::error::*;
use crate::model::*;
use crate::prelude::*;
use crate::records::*;
use smp_records::{LotKind, PatchResult};

/// Needle and pigment lots, recalls and patch tests of a lot.
#[async_trait]
pub trait LotStore: Send + Sync {
    /// Registers a pigment or needle lot.
    async fn add_lot(&self, clinic: ClinicId, lot: &NewLot) -> StoreResult<Lot>;
    /// The clinic's lots, newest first.
    async fn list_lots(&self, clinic: ClinicId) -> StoreResult<Vec<Lot>>;
    /// A lot of this clinic.
    async fn lot(&self, clinic: ClinicId, id: LotId) -> StoreResult<Lot>;
    /// Marks a lot recalled: no session may use it from now on.
    async fn recall_lot(&self, clinic: ClinicId, id: LotId, reason: &str) -> StoreResult<Lot>;
    /// Records a patch test of a pigment lot (append-only: a result is a new row).
    async fn add_patch_test(&self, clinic: ClinicId, client: ClientId, lot: LotId, tested_on: &str, result: &str)
    -> StoreResult<PatchTest>;
    /// A client's patch tests, oldest first.
    async fn patch_tests(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<PatchTest>>;
    /// Every patch test of a lot, by date: a patch test puts the pigment in the skin, so
    /// a recall reaches these clients too.
    async fn patch_tests_with_lot(&self, clinic: ClinicId, lot: LotId) -> StoreResult<Vec<PatchTest>>;
}

#[async_trait]
impl LotStore for SqlStore {
    async fn add_lot(&self, clinic: ClinicId, l: &NewLot) -> StoreResult<Lot> {
        check_text("product", &l.product, SHORT_TEXT_CHARS).map_err(bad)?;
        check_text("lot_number", &l.lot_number, SHORT_TEXT_CHARS).map_err(bad)?;
        if l.product.trim().is_empty() || l.lot_number.trim().is_empty() {
            return Err(bad("a lot needs its product and lot number, as printed on the pack".into()));
        }
        check_date("expires_on", &l.expires_on).map_err(bad)?;
        let sql = format!(
            "INSERT INTO lots (clinic_id, kind, product, lot_number, expires_on, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {LOT_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(l.kind.as_str())
            .bind(l.product.trim())
            .bind(l.lot_number.trim())
            .bind(&l.expires_on)
            .bind(now_unix())
            .fetch_one(&self.pool)
            .await
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Duplicate {
                        field: "lot number",
                        value: l.lot_number.clone(),
                    }
                } else {
                    e.into()
                }
            })?;
        from_row(&row)
    }

    async fn list_lots(&self, clinic: ClinicId) -> StoreResult<Vec<Lot>> {
        let sql = format!("SELECT {LOT_COLS} FROM lots WHERE clinic_id = $1 ORDER BY id DESC");
        let rows = sqlx::query(&sql).bind(clinic.0).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn lot(&self, clinic: ClinicId, id: LotId) -> StoreResult<Lot> {
        let sql = format!("SELECT {LOT_COLS} FROM lots WHERE clinic_id = $1 AND id = $2");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(id).fetch_all(&self.pool).await?;
        one(rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?, "lot")
    }

    async fn recall_lot(&self, clinic: ClinicId, id: LotId, reason: &str) -> StoreResult<Lot> {
        check_text("reason", reason, NOTE_CHARS).map_err(bad)?;
        if reason.trim().is_empty() {
            return Err(bad("say why the lot is recalled (the manufacturer's notice)".into()));
        }
        let sql = format!(
            "UPDATE lots SET recalled_at = $1, recall_reason = $2 WHERE clinic_id = $3 AND id = $4 AND recalled_at IS NULL RETURNING {LOT_COLS}"
        );
        let rows = sqlx::query(&sql)
            .bind(now_unix())
            .bind(reason.trim())
            .bind(clinic.0)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        match rows.first() {
            Some(r) => from_row(r),
            None => {
                let lot = self.lot(clinic, id).await?;
                Err(bad(format!("lot {} is already recalled", lot.lot_number)))
            }
        }
    }

    async fn add_patch_test(
        &self,
        clinic: ClinicId,
        client: ClientId,
        lot: LotId,
        tested_on: &str,
        result: &str,
    ) -> StoreResult<PatchTest> {
        let result: PatchResult = result.parse().map_err(bad)?;
        check_date("tested_on", tested_on).map_err(bad)?;
        self.client(clinic, client).await?;
        let l = self.lot(clinic, lot).await?;
        if l.kind != LotKind::Pigment {
            return Err(bad(format!(
                "lot {} is a {} lot; patch tests are of pigment lots",
                l.lot_number, l.kind
            )));
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
        .bind(result.as_str())
        .bind(now_unix())
        .fetch_one(&self.pool)
        .await?;
        Ok(PatchTest {
            id: row.try_get("id")?,
            client_id: client,
            lot_id: lot,
            tested_on: tested_on.into(),
            result,
            created_at: row.try_get("created_at")?,
        })
    }

    async fn patch_tests(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<PatchTest>> {
        let rows = sqlx::query("SELECT id, client_id, lot_id, tested_on, result, created_at FROM patch_tests WHERE clinic_id = $1 AND client_id = $2 ORDER BY id")
            .bind(clinic.0)
            .bind(client)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    async fn patch_tests_with_lot(&self, clinic: ClinicId, lot: LotId) -> StoreResult<Vec<PatchTest>> {
        let rows = sqlx::query("SELECT id, client_id, lot_id, tested_on, result, created_at FROM patch_tests WHERE clinic_id = $1 AND lot_id = $2 ORDER BY tested_on, id")
            .bind(clinic.0)
            .bind(lot)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }
}
