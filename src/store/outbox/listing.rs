//! Listing the whole outbox cheaply (`motcua queue list`, issue 7: "listing the queue stays under 50 ms at
//! 10,000 jobs"): one row per job with its file count and byte totals, and why its result could not be
//! downloaded, read in three sequential scans and no per-job query.
//!
//! [`Store::outbox_jobs`] materialises every file of every job (names, hashes, upload URLs: four strings per
//! file) and the stored JSON body of each submission; a listing needs none of that. Here the files are
//! summed by SQLite over migration 6's covering index `outbox_files_totals` (job id, size, offset,
//! complete), so the table's text columns are never read, and the two ordered results are merged by job id.

use super::JobState;
use crate::store::{Store, StoreError};
use serde::Serialize;
use std::collections::HashMap;

/// One job as the queue listing shows it: no file details, no submission body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobSummary {
    pub id: i64,
    pub dossier_code: String,
    pub state: JobState,
    pub attempts: u32,
    /// Unix milliseconds before which the worker leaves the job alone.
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub receipt: Option<String>,
    pub files: u32,
    pub bytes_total: u64,
    /// Bytes the portal acknowledged (a complete file counts whole).
    pub bytes_sent: u64,
    pub created_at: String,
    pub updated_at: String,
    /// Why the dossier's result PDF could not be downloaded yet (it is tried again at every poll).
    pub result_error: Option<String>,
}

impl Store {
    /// Every job, oldest first, summarised (see [`JobSummary`]).
    pub fn outbox_summaries(&self) -> Result<Vec<JobSummary>, StoreError> {
        let mut totals = self
            .conn
            .prepare_cached(
                "SELECT job_id, COUNT(*), SUM(size),
                        SUM(CASE WHEN complete THEN size ELSE upload_offset END)
                 FROM outbox_files INDEXED BY outbox_files_totals GROUP BY job_id ORDER BY job_id",
            )
            .map_err(|e| self.sql(e))?;
        let mut totals = totals
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, i64>(2)?.max(0) as u64,
                    r.get::<_, i64>(3)?.max(0) as u64,
                ))
            })
            .map_err(|e| self.sql(e))?
            .peekable();
        let result_errors = self.result_errors()?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, dossier_code, state, attempts, next_attempt_at, last_error, receipt,
                        created_at, updated_at
                 FROM outbox_jobs ORDER BY id",
            )
            .map_err(|e| self.sql(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql(e))?;
        let mut jobs = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.sql(e))? {
            let id: i64 = r.get(0).map_err(|e| self.sql(e))?;
            let dossier_code: String = r.get(1).map_err(|e| self.sql(e))?;
            let state = r
                .get_ref(2)
                .ok()
                .and_then(|v| v.as_str().ok())
                .and_then(JobState::parse)
                .ok_or_else(|| StoreError::BadRow {
                    what: "việc gửi",
                    key: id.to_string(),
                    message: "state".into(),
                })?;
            // Both scans are ordered by job id: skip totals of ids the job scan has passed (none exist
            // while the foreign key holds), take this job's if it is next.
            while totals
                .next_if(|t| matches!(t, Ok((j, ..)) if *j < id))
                .is_some()
            {}
            let (files, bytes_total, bytes_sent) =
                match totals.next_if(|t| matches!(t, Ok((j, ..)) if *j == id)) {
                    Some(t) => {
                        let (_, n, total, sent) = t.map_err(|e| self.sql(e))?;
                        (n, total, sent)
                    }
                    None => (0, 0, 0),
                };
            let sql = |e| self.sql(e);
            jobs.push(JobSummary {
                result_error: result_errors.get(&dossier_code).cloned(),
                id,
                dossier_code,
                state,
                attempts: r.get(3).map_err(sql)?,
                next_attempt_at: r.get(4).map_err(sql)?,
                last_error: r.get(5).map_err(sql)?,
                receipt: r.get(6).map_err(sql)?,
                files,
                bytes_total,
                bytes_sent,
                created_at: r.get(7).map_err(sql)?,
                updated_at: r.get(8).map_err(sql)?,
            });
        }
        if let Some(Err(e)) = totals.next() {
            return Err(self.sql(e));
        }
        Ok(jobs)
    }

    /// Dossier code → why its result download failed, for the dossiers whose last attempt failed (few).
    pub(crate) fn result_errors(&self) -> Result<HashMap<String, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT code, result_error FROM portal_dossiers
                 WHERE result_error IS NOT NULL AND result_sha256 IS NULL",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))
    }
}
