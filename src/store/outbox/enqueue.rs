//! The clerk's side of the outbox: recording a document's signed PDF and "Nộp" — moving signed dossiers
//! to `queued` together with their submission jobs, one transaction for one dossier or a whole batch.

use super::{OutboxJob, idempotency_key, now_ms};
use crate::dossier::Status;
use crate::store::{Store, StoreError, utc_now};
use rusqlite::{OptionalExtension, Transaction, params};

impl Store {
    /// Records the assembled (signed) PDF of one document of a dossier. The blob must already be stored.
    pub fn attach_document_pdf(
        &mut self,
        code: &str,
        doc_code: &str,
        sha256: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| crate::store::sql_err(&path, e);
        let known: bool = tx
            .query_row("SELECT 1 FROM blobs WHERE sha256 = ?1", [sha256], |_| {
                Ok(true)
            })
            .optional()
            .map_err(sql)?
            .unwrap_or(false);
        if !known {
            return Err(StoreError::NotFound {
                what: "tệp PDF (blob)",
                key: sha256.to_owned(),
            });
        }
        let changed = tx
            .execute(
                "UPDATE dossier_documents SET pdf_sha256 = ?1
                 WHERE code = ?2 AND dossier_id = (SELECT id FROM dossiers WHERE code = ?3)",
                params![sha256, doc_code, code],
            )
            .map_err(sql)?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "thành phần hồ sơ",
                key: format!("{code}/{doc_code}"),
            });
        }
        crate::store::audit::append(
            &tx,
            actor,
            "dossier.document_pdf",
            &format!("dossier:{code}"),
            None,
            Some(&serde_json::json!({ "document": doc_code, "pdf_sha256": sha256 })),
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Moves a signed dossier to `queued` and inserts its submission job, in one transaction: either both
    /// happen or neither. Every document with a PDF is sent; a mandatory document without one refuses.
    pub fn enqueue_submission(&mut self, code: &str, actor: &str) -> Result<OutboxJob, StoreError> {
        let ids = self.enqueue_submissions(&[code], actor)?;
        self.outbox_job(ids[0])
    }

    /// As [`Store::enqueue_submission`] for several dossiers in one transaction (all or none): one commit
    /// instead of one per dossier when a clerk submits a batch. Returns the job ids in order.
    pub fn enqueue_submissions(
        &mut self,
        codes: &[&str],
        actor: &str,
    ) -> Result<Vec<i64>, StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| crate::store::sql_err(&path, e);
        let mut ids = Vec::with_capacity(codes.len());
        for code in codes {
            ids.push(enqueue_in(&tx, code, actor)?);
        }
        tx.commit().map_err(sql)?;
        Ok(ids)
    }
}

impl Store {
    /// Group commit (see [`super::committer`]): each request's enqueue runs inside its own savepoint of one
    /// IMMEDIATE transaction, so a refused dossier (wrong state, a PDF missing) is rolled back alone and
    /// fails only its caller, and one commit — one fsync of the WAL — makes every other request durable.
    /// The outer `Err` (the transaction could not begin or commit) concerns every request.
    pub(crate) fn enqueue_group(
        &mut self,
        requests: &[(&str, &str)],
    ) -> Result<Vec<Result<i64, StoreError>>, StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| crate::store::sql_err(&path, e);
        let mut results = Vec::with_capacity(requests.len());
        for (code, actor) in requests {
            tx.execute_batch("SAVEPOINT enqueue_one").map_err(sql)?;
            match enqueue_in(&tx, code, actor) {
                Ok(id) => {
                    tx.execute_batch("RELEASE enqueue_one").map_err(sql)?;
                    results.push(Ok(id));
                }
                Err(e) => {
                    tx.execute_batch("ROLLBACK TO enqueue_one; RELEASE enqueue_one")
                        .map_err(sql)?;
                    results.push(Err(e));
                }
            }
        }
        tx.commit().map_err(sql)?;
        Ok(results)
    }
}

/// One dossier's enqueue inside `tx` (IMMEDIATE, so the status read here cannot change before the commit).
fn enqueue_in(tx: &Transaction<'_>, code: &str, actor: &str) -> Result<i64, StoreError> {
    let path = tx.path().map(std::path::PathBuf::from).unwrap_or_default();
    let sql = |e| crate::store::sql_err(&path, e);
    let (dossier_id, from) = crate::store::dossiers::current_status(tx, code)?;
    from.transition(Status::Queued)?;
    let mut stmt = tx
        .prepare_cached(
            "SELECT code, mandatory, pdf_sha256 FROM dossier_documents WHERE dossier_id = ?1 ORDER BY ordinal",
        )
        .map_err(sql)?;
    let docs: Vec<(String, bool, Option<String>)> = stmt
        .query_map([&dossier_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(sql)?
        .collect::<Result<_, _>>()
        .map_err(sql)?;
    let missing = docs
        .iter()
        .find(|(_, mandatory, pdf)| *mandatory && pdf.is_none())
        .map(|(c, _, _)| c.clone())
        .or_else(|| {
            docs.iter()
                .all(|(_, _, pdf)| pdf.is_none())
                .then(|| "*".to_owned())
        });
    if let Some(document) = missing {
        return Err(StoreError::MissingDocumentPdf {
            dossier: code.to_owned(),
            document,
        });
    }
    let now = utc_now();
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO outbox_jobs (dossier_code, kind, state, next_attempt_at, idempotency_key,
                created_at, updated_at) VALUES (?1, 'submit', 'queued', ?2, ?3, ?4, ?4) RETURNING id",
        )
        .and_then(|mut stmt| {
            stmt.query_row(
                params![code, now_ms(), idempotency_key(&dossier_id), now],
                |r| r.get(0),
            )
        })
        .map_err(sql)?;
    let mut insert_file = tx
        .prepare_cached(
            "INSERT INTO outbox_files (job_id, ordinal, doc_code, file_name, sha256, size)
             SELECT ?1, ?2, ?3, ?4, sha256, size FROM blobs WHERE sha256 = ?5",
        )
        .map_err(sql)?;
    for (ordinal, (doc_code, _, sha)) in docs.iter().enumerate() {
        let Some(sha) = sha else { continue };
        insert_file
            .execute(params![
                id,
                ordinal as i64,
                doc_code,
                format!("{code}-{doc_code}.pdf"),
                sha
            ])
            .map_err(sql)?;
    }
    crate::store::dossiers::write_status(
        tx,
        code,
        from,
        Status::Queued,
        actor,
        &[("outbox_job", id.into())],
    )?;
    Ok(id)
}
