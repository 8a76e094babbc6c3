//! Persistence of the submission outbox (issue 7): jobs, the files each job uploads, and what the portal
//! said about each submitted dossier.
//!
//! The outbox is what makes "press Nộp once" safe: a job is inserted in the same IMMEDIATE transaction that
//! moves the dossier to `queued`, and every step the worker takes (upload location, offsets, the exact JSON
//! body, acceptance) is written here before the network step that depends on it. The worker in
//! `crate::sync` holds no state of its own, so a killed process resumes from these rows.

use super::{Store, StoreError, utc_now};
use crate::dossier::Status;
use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};
use serde::Serialize;
use std::collections::HashMap;

pub(super) use super::portal_status::move_status;

/// Where a job is. `Accepted`, `Failed` and `Cancelled` are at rest; the others are live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Uploading,
    Submitting,
    Accepted,
    Failed,
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Uploading => "uploading",
            JobState::Submitting => "submitting",
            JobState::Accepted => "accepted",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<JobState> {
        [
            JobState::Queued,
            JobState::Uploading,
            JobState::Submitting,
            JobState::Accepted,
            JobState::Failed,
            JobState::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether the worker still has something to do.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            JobState::Queued | JobState::Uploading | JobState::Submitting
        )
    }
}

/// One file a job uploads (tus upload state as last acknowledged by the portal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxFile {
    pub doc_code: String,
    pub file_name: String,
    /// Hex SHA-256: the blob's name.
    pub sha256: String,
    pub size: u64,
    /// The tus upload's path (relative to the portal URL), once created.
    pub upload_url: Option<String>,
    pub offset: u64,
    pub complete: bool,
}

/// One outbox job with its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxJob {
    pub id: i64,
    pub dossier_code: String,
    pub kind: String,
    pub state: JobState,
    pub attempts: u32,
    /// Unix milliseconds before which the worker leaves the job alone.
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub idempotency_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submit_body: Option<String>,
    pub receipt: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub files: Vec<OutboxFile>,
}

impl OutboxJob {
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    pub fn sent_bytes(&self) -> u64 {
        self.files
            .iter()
            .map(|f| if f.complete { f.size } else { f.offset })
            .sum()
    }
}

/// Changes to a live job's scheduling fields, written in one statement.
#[derive(Debug, Clone, Default)]
pub struct JobUpdate {
    pub state: Option<JobState>,
    pub count_attempt: bool,
    pub next_attempt_at: Option<i64>,
    /// `Some(None)` clears the error.
    pub last_error: Option<Option<String>>,
}

/// The idempotency key of a dossier's submission: derived from its internal id, so every retry and every
/// restarted process sends the same key, and no other dossier can ever send it.
pub fn idempotency_key(dossier_id: &str) -> String {
    format!("motcua-submit-{dossier_id}")
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

const JOB_COLUMNS: &str = "id, dossier_code, kind, state, attempts, next_attempt_at, last_error, \
     idempotency_key, submit_body, receipt, created_at, updated_at";

fn job_from_row(r: &Row<'_>) -> rusqlite::Result<(OutboxJob, String)> {
    let state: String = r.get(3)?;
    Ok((
        OutboxJob {
            id: r.get(0)?,
            dossier_code: r.get(1)?,
            kind: r.get(2)?,
            state: JobState::Queued,
            attempts: r.get(4)?,
            next_attempt_at: r.get(5)?,
            last_error: r.get(6)?,
            idempotency_key: r.get(7)?,
            submit_body: r.get(8)?,
            receipt: r.get(9)?,
            created_at: r.get(10)?,
            updated_at: r.get(11)?,
            files: Vec::new(),
        },
        state,
    ))
}

fn file_from_row(r: &Row<'_>) -> rusqlite::Result<(i64, OutboxFile)> {
    Ok((
        r.get(0)?,
        OutboxFile {
            doc_code: r.get(1)?,
            file_name: r.get(2)?,
            sha256: r.get(3)?,
            size: r.get::<_, i64>(4)?.max(0) as u64,
            upload_url: r.get(5)?,
            offset: r.get::<_, i64>(6)?.max(0) as u64,
            complete: r.get(7)?,
        },
    ))
}

const FILE_COLUMNS: &str =
    "job_id, doc_code, file_name, sha256, size, upload_url, upload_offset, complete";

impl Store {
    /// Records the assembled (signed) PDF of one document of a dossier. The blob must already be stored.
    pub fn attach_document_pdf(
        &mut self,
        code: &str,
        doc_code: &str,
        sha256: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let path = self.db_path();
        let sql = |e| super::sql_err(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
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
        super::audit::append(
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
        let path = self.db_path();
        let sql = |e| super::sql_err(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let mut ids = Vec::with_capacity(codes.len());
        for code in codes {
            ids.push(enqueue_in(&tx, code, actor)?);
        }
        tx.commit().map_err(sql)?;
        Ok(ids)
    }

    /// Every job, oldest first, with its files.
    pub fn outbox_jobs(&self) -> Result<Vec<OutboxJob>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {JOB_COLUMNS} FROM outbox_jobs ORDER BY id"
            ))
            .map_err(|e| self.sql(e))?;
        let raw: Vec<(OutboxJob, String)> = stmt
            .query_map([], job_from_row)
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {FILE_COLUMNS} FROM outbox_files ORDER BY job_id, ordinal"
            ))
            .map_err(|e| self.sql(e))?;
        let mut files: HashMap<i64, Vec<OutboxFile>> = HashMap::new();
        let rows = stmt.query_map([], file_from_row).map_err(|e| self.sql(e))?;
        for row in rows {
            let (job, file) = row.map_err(|e| self.sql(e))?;
            files.entry(job).or_default().push(file);
        }
        raw.into_iter()
            .map(|(mut job, state)| {
                job.state = self.parse_state(job.id, &state)?;
                job.files = files.remove(&job.id).unwrap_or_default();
                Ok(job)
            })
            .collect()
    }

    fn parse_state(&self, id: i64, state: &str) -> Result<JobState, StoreError> {
        JobState::parse(state).ok_or_else(|| StoreError::BadRow {
            what: "việc gửi",
            key: id.to_string(),
            message: format!("state {state}"),
        })
    }

    /// One job with its files.
    pub fn outbox_job(&self, id: i64) -> Result<OutboxJob, StoreError> {
        let (mut job, state) = self
            .conn
            .query_row(
                &format!("SELECT {JOB_COLUMNS} FROM outbox_jobs WHERE id = ?1"),
                [id],
                job_from_row,
            )
            .optional()
            .map_err(|e| self.sql(e))?
            .ok_or_else(|| StoreError::NotFound {
                what: "việc gửi",
                key: id.to_string(),
            })?;
        job.state = self.parse_state(id, &state)?;
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {FILE_COLUMNS} FROM outbox_files WHERE job_id = ?1 ORDER BY ordinal"
            ))
            .map_err(|e| self.sql(e))?;
        job.files = stmt
            .query_map([id], file_from_row)
            .map_err(|e| self.sql(e))?
            .map(|r| r.map(|(_, f)| f))
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(job)
    }

    /// The oldest live job due at `now` that is not in `busy`, or `None`.
    pub fn next_due_job(&self, now: i64, busy: &[i64]) -> Result<Option<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id FROM outbox_jobs WHERE state IN ('queued','uploading','submitting')
                 AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2",
            )
            .map_err(|e| self.sql(e))?;
        let ids: Vec<i64> = stmt
            .query_map(params![now, busy.len() as i64 + 1], |r| r.get(0))
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(ids.into_iter().find(|id| !busy.contains(id)))
    }

    /// Counts of live jobs: (due now, waiting for a later attempt).
    pub fn live_jobs(&self, now: i64) -> Result<(i64, i64, Option<i64>), StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FILTER (WHERE next_attempt_at <= ?1),
                        COUNT(*) FILTER (WHERE next_attempt_at > ?1),
                        MIN(next_attempt_at) FILTER (WHERE next_attempt_at > ?1)
                 FROM outbox_jobs WHERE state IN ('queued','uploading','submitting')",
                [now],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.sql(e))
    }

    /// Updates a live job's state and scheduling. Does nothing to a job at rest (cancelled meanwhile).
    pub fn update_job(&self, id: i64, update: &JobUpdate) -> Result<(), StoreError> {
        let (set_error, error) = match &update.last_error {
            Some(e) => (true, e.clone()),
            None => (false, None),
        };
        self.conn
            .execute(
                "UPDATE outbox_jobs SET
                    state = COALESCE(?2, state),
                    attempts = attempts + ?3,
                    next_attempt_at = COALESCE(?4, next_attempt_at),
                    last_error = CASE WHEN ?5 THEN ?6 ELSE last_error END,
                    updated_at = ?7
                 WHERE id = ?1 AND state IN ('queued','uploading','submitting')",
                params![
                    id,
                    update.state.map(JobState::as_str),
                    update.count_attempt as i64,
                    update.next_attempt_at,
                    set_error,
                    error,
                    utc_now()
                ],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// Records a file's tus upload location (before any byte of it is sent), resetting its offset.
    pub fn set_file_upload(
        &self,
        job: i64,
        doc_code: &str,
        url: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE outbox_files SET upload_url = ?3, upload_offset = 0, complete = 0
                 WHERE job_id = ?1 AND doc_code = ?2",
                params![job, doc_code, url],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// Records the offset the portal acknowledged for a file.
    pub fn set_file_offset(
        &self,
        job: i64,
        doc_code: &str,
        offset: u64,
        complete: bool,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE outbox_files SET upload_offset = ?3, complete = ?4 WHERE job_id = ?1 AND doc_code = ?2",
                params![job, doc_code, offset as i64, complete],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// Fixes the JSON body of the submission and moves the job to `submitting`. Once set, the body is never
    /// changed, so every retry sends the same bytes under the same idempotency key.
    pub fn set_submit_body(&self, job: i64, body: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE outbox_jobs SET submit_body = COALESCE(submit_body, ?2), state = 'submitting',
                    updated_at = ?3 WHERE id = ?1 AND state IN ('queued','uploading','submitting')",
                params![job, body, utc_now()],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// The portal accepted the dossier: the job, the dossier's status (`queued` → `received`), the receipt
    /// and the audit entry change together.
    pub fn accept_job(
        &mut self,
        job: i64,
        receipt: &str,
        national_status: u8,
        revision: i64,
        actor: &str,
    ) -> Result<(), StoreError> {
        let path = self.db_path();
        let sql = |e| super::sql_err(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let code: String = tx
            .query_row(
                "SELECT dossier_code FROM outbox_jobs WHERE id = ?1",
                [job],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let now = utc_now();
        tx.execute(
            "UPDATE outbox_jobs SET state = 'accepted', receipt = ?2, last_error = NULL, updated_at = ?3
             WHERE id = ?1",
            params![job, receipt, now],
        )
        .map_err(sql)?;
        tx.execute(
            "INSERT INTO portal_dossiers (code, receipt, national_status, revision, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code) DO UPDATE SET receipt = ?2",
            params![code, receipt, national_status, revision, now],
        )
        .map_err(sql)?;
        // The status feed may have moved the dossier on already (a crash between the portal's answer and
        // this commit, then a poll): only a dossier still `queued` moves.
        let status: String = tx
            .query_row(
                "SELECT status FROM dossiers WHERE code = ?1",
                [&code],
                |r| r.get(0),
            )
            .map_err(sql)?;
        if status == Status::Queued.as_str() {
            move_status(&tx, &code, Status::Received, actor, Some(receipt))?;
        }
        tx.commit().map_err(sql)
    }

    /// Marks a live job failed with the portal's reason (no more automatic retries).
    pub fn fail_job(&mut self, job: i64, reason: &str, actor: &str) -> Result<(), StoreError> {
        self.finish_job(job, JobState::Failed, reason, actor)
    }

    fn finish_job(
        &mut self,
        job: i64,
        state: JobState,
        reason: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let path = self.db_path();
        let sql = |e| super::sql_err(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let changed = tx
            .execute(
                "UPDATE outbox_jobs SET state = ?2, last_error = ?3, updated_at = ?4
                 WHERE id = ?1 AND state IN ('queued','uploading','submitting')",
                params![job, state.as_str(), reason, utc_now()],
            )
            .map_err(sql)?;
        if changed > 0 {
            super::audit::append(
                &tx,
                actor,
                &format!("outbox.{}", state.as_str()),
                &format!("outbox:{job}"),
                None,
                Some(&serde_json::json!({ "reason": reason })),
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// Puts a failed job back in the queue, due now.
    pub fn retry_job(&mut self, job: i64, actor: &str) -> Result<OutboxJob, StoreError> {
        let current = self.outbox_job(job)?;
        if current.state != JobState::Failed {
            return Err(StoreError::JobState {
                job,
                state: current.state.as_str(),
                wanted: "failed",
            });
        }
        let path = self.db_path();
        let sql = |e| super::sql_err(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "UPDATE outbox_jobs SET state = 'queued', attempts = 0, next_attempt_at = ?2, last_error = NULL,
                updated_at = ?3 WHERE id = ?1 AND state = 'failed'",
            params![job, now_ms(), utc_now()],
        )
        .map_err(sql)?;
        super::audit::append(
            &tx,
            actor,
            "outbox.retry",
            &format!("outbox:{job}"),
            None,
            None,
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        self.outbox_job(job)
    }

    /// Cancels a job that has not reached the portal (no submission sent yet) and returns its dossier to
    /// `signed`. A job whose body may have been submitted cannot be cancelled: the portal may hold it.
    pub fn cancel_job(&mut self, job: i64, actor: &str) -> Result<OutboxJob, StoreError> {
        let current = self.outbox_job(job)?;
        let cancellable = matches!(current.state, JobState::Queued | JobState::Uploading)
            || (current.state == JobState::Failed && current.receipt.is_none());
        if !cancellable {
            return Err(StoreError::JobState {
                job,
                state: current.state.as_str(),
                wanted: "queued, uploading or failed",
            });
        }
        let path = self.db_path();
        let sql = |e| super::sql_err(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        tx.execute(
            "UPDATE outbox_jobs SET state = 'cancelled', updated_at = ?2 WHERE id = ?1",
            params![job, utc_now()],
        )
        .map_err(sql)?;
        move_status(&tx, &current.dossier_code, Status::Signed, actor, None)?;
        tx.commit().map_err(sql)?;
        self.outbox_job(job)
    }
}

/// One dossier's enqueue inside `tx` (IMMEDIATE, so the status read here cannot change before the commit).
fn enqueue_in(tx: &Transaction<'_>, code: &str, actor: &str) -> Result<i64, StoreError> {
    let path = tx.path().map(std::path::PathBuf::from).unwrap_or_default();
    let sql = |e| super::sql_err(&path, e);
    let (dossier_id, from) = super::dossiers::current_status(tx, code)?;
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
        .query_row(
            "INSERT INTO outbox_jobs (dossier_code, kind, state, next_attempt_at, idempotency_key,
                created_at, updated_at) VALUES (?1, 'submit', 'queued', ?2, ?3, ?4, ?4) RETURNING id",
            params![code, now_ms(), idempotency_key(&dossier_id), now],
            |r| r.get(0),
        )
        .map_err(sql)?;
    for (ordinal, (doc_code, _, sha)) in docs.iter().enumerate() {
        let Some(sha) = sha else { continue };
        tx.execute(
            "INSERT INTO outbox_files (job_id, ordinal, doc_code, file_name, sha256, size)
             SELECT ?1, ?2, ?3, ?4, sha256, size FROM blobs WHERE sha256 = ?5",
            params![
                id,
                ordinal as i64,
                doc_code,
                format!("{code}-{doc_code}.pdf"),
                sha
            ],
        )
        .map_err(sql)?;
    }
    super::dossiers::write_status(
        tx,
        code,
        from,
        Status::Queued,
        actor,
        &[("outbox_job", id.into())],
    )?;
    Ok(id)
}
