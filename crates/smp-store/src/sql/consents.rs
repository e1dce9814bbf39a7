//! Consent texts, signatures and screenings.

use async_trait::async_trait;
use sqlx::Row;

use super::*;
use crate::audit::AuditEvent;
use crate::consent::*;
use crate::error::*;
use crate::model::*;
use crate::prelude::*;
use crate::records::*;

/// Consent texts, signatures and screenings.
#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// Publishes a new version of the clinic's consent text.
    async fn publish_consent(&self, clinic: ClinicId, text: &str) -> StoreResult<ConsentDocument>;
    /// The current consent version.
    async fn latest_consent(&self, clinic: ClinicId) -> StoreResult<Option<ConsentDocument>>;
    /// Records a signature; refused when `text_sha256` isn't the document's (the text
    /// changed since it was shown).
    async fn sign_consent(
        &self,
        clinic: ClinicId,
        client: ClientId,
        signature: &NewSignature<'_>,
        by: UserId,
    ) -> StoreResult<ConsentSignature>;
    /// A client's signatures, oldest first.
    async fn consent_signatures(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<ConsentSignature>>;
    /// Records screening answers (append-only; the latest counts).
    async fn add_screening(&self, clinic: ClinicId, client: ClientId, answers: &ScreeningAnswers, by: UserId) -> StoreResult<Screening>;
    /// The latest screening of a client.
    async fn latest_screening(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Option<Screening>>;
    /// Every screening of a client, oldest first.
    async fn screenings(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<Screening>>;
}

#[async_trait]
impl ConsentStore for SqlStore {
    async fn publish_consent(&self, clinic: ClinicId, text: &str) -> StoreResult<ConsentDocument> {
        check_text("text", text, CONSENT_TEXT_CHARS).map_err(bad)?;
        if text.trim().len() < 20 {
            return Err(bad(
                "the consent text is empty or too short; write out what the client agrees to".into()
            ));
        }
        let sha = crate::files::sha256_hex(text.as_bytes());
        for _ in 0..10 {
            let next: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM consent_documents WHERE clinic_id = $1")
                .bind(clinic.0)
                .fetch_one(&self.pool)
                .await?
                .try_get("v")?;
            let sql = format!(
                "INSERT INTO consent_documents (clinic_id, version, text, sha256, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {CONSENT_COLS}"
            );
            match sqlx::query(&sql)
                .bind(clinic.0)
                .bind(next)
                .bind(text)
                .bind(&sha)
                .bind(now_unix())
                .fetch_one(&self.pool)
                .await
            {
                Ok(row) => return from_row(&row),
                Err(e) if is_unique_violation(&e) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(bad("another consent version is being published; try again".into()))
    }

    async fn latest_consent(&self, clinic: ClinicId) -> StoreResult<Option<ConsentDocument>> {
        let sql = format!("SELECT {CONSENT_COLS} FROM consent_documents WHERE clinic_id = $1 ORDER BY version DESC LIMIT 1");
        let row = sqlx::query(&sql).bind(clinic.0).fetch_optional(&self.pool).await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn sign_consent(
        &self,
        clinic: ClinicId,
        client: ClientId,
        signature: &NewSignature<'_>,
        by: UserId,
    ) -> StoreResult<ConsentSignature> {
        let NewSignature {
            document_id: document,
            text_sha256,
            signer_name: signer,
            signature_svg,
        } = *signature;
        check_text("signer_name", signer, SHORT_TEXT_CHARS).map_err(bad)?;
        check_text("signature", signature_svg, 200_000).map_err(bad)?;
        self.client(clinic, client).await?;
        let sql = format!("SELECT {CONSENT_COLS} FROM consent_documents WHERE clinic_id = $1 AND id = $2");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(document).fetch_all(&self.pool).await?;
        let doc: ConsentDocument = one(rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?, "consent document")?;
        if doc.sha256 != text_sha256 {
            return Err(bad(
                "the consent text signed is not the stored text of that version; reload, read it and sign again".into(),
            ));
        }
        if signer.trim().is_empty() {
            return Err(bad("the signer's name is missing".into()));
        }
        let valid_path = !signature_svg.trim().is_empty()
            && signature_svg.len() < 200_000
            && signature_svg.chars().all(|c| c.is_ascii_digit() || " .,-MLml".contains(c));
        if !valid_path {
            return Err(bad(
                "draw the signature in the box (it arrives as SVG path data: M/L commands and numbers only)".into(),
            ));
        }
        let (_serial, mut tx) = self.begin_audited().await?;
        let sql = format!(
            "INSERT INTO consent_signatures (clinic_id, client_id, document_id, text_sha256, signer_name, signature_svg, signed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {SIGNATURE_COLS}"
        );
        let row = sqlx::query(&sql)
            .bind(clinic.0)
            .bind(client)
            .bind(document)
            .bind(text_sha256)
            .bind(signer.trim())
            .bind(signature_svg)
            .bind(now_unix())
            .fetch_one(&mut *tx)
            .await?;
        let rec: ConsentSignature = from_row(&row)?;
        let ev = AuditEvent::about_client(by, "create", "consent-signature", rec.id, client);
        Self::commit_with_entry(tx, clinic, &ev).await?;
        Ok(rec)
    }

    async fn consent_signatures(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<ConsentSignature>> {
        let sql = format!("SELECT {SIGNATURE_COLS} FROM consent_signatures WHERE clinic_id = $1 AND client_id = $2 ORDER BY id");
        let rows = sqlx::query(&sql).bind(clinic.0).bind(client).fetch_all(&self.pool).await?;
        rows.iter().map(from_row).collect()
    }

    async fn add_screening(&self, clinic: ClinicId, client: ClientId, answers: &ScreeningAnswers, by: UserId) -> StoreResult<Screening> {
        for (field, text) in [
            ("allergies", &answers.allergies),
            ("skin_conditions", &answers.skin_conditions),
            ("medications", &answers.medications),
            ("hair_transplant_on", &answers.hair_transplant_on),
        ] {
            check_text(field, text, NOTE_CHARS).map_err(bad)?;
        }
        self.client(clinic, client).await?;
        if !answers.hair_transplant_on.is_empty() {
            check_date("hair_transplant_on", &answers.hair_transplant_on).map_err(bad)?;
        }
        let json = serde_json::to_string(answers).map_err(|e| bad(e.to_string()))?;
        let (_serial, mut tx) = self.begin_audited().await?;
        let row = sqlx::query(
            "INSERT INTO screenings (clinic_id, client_id, answers, created_at) VALUES ($1, $2, $3, $4) RETURNING id, created_at",
        )
        .bind(clinic.0)
        .bind(client)
        .bind(&json)
        .bind(now_unix())
        .fetch_one(&mut *tx)
        .await?;
        let rec = Screening {
            id: row.try_get("id")?,
            client_id: client,
            answers: answers.clone(),
            created_at: row.try_get("created_at")?,
        };
        let ev = AuditEvent::about_client(by, "create", "screening", rec.id, client);
        Self::commit_with_entry(tx, clinic, &ev).await?;
        Ok(rec)
    }

    async fn latest_screening(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Option<Screening>> {
        Ok(self.screenings(clinic, client).await?.pop())
    }

    async fn screenings(&self, clinic: ClinicId, client: ClientId) -> StoreResult<Vec<Screening>> {
        let rows = sqlx::query("SELECT id, answers, created_at FROM screenings WHERE clinic_id = $1 AND client_id = $2 ORDER BY id")
            .bind(clinic.0)
            .bind(client)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let text: String = r.try_get("answers")?;
                let answers = serde_json::from_str(&text).map_err(|e| bad(format!("stored screening is unreadable: {e}")))?;
                Ok(Screening {
                    id: r.try_get("id")?,
                    client_id: client,
                    answers,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
