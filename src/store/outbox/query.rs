//! Reading the outbox: every job, one job, a page for the queue screen, counts for the header, and the
//! scheduling reads of the worker (the next due job, how many are waiting).

use super::{
    FILE_COLUMNS, JOB_COLUMNS, JobState, OutboxFile, OutboxJob, file_from_row, job_from_row, now_ms,
};
use crate::store::{Store, StoreError};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::collections::HashMap;

impl Store {
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
        let result_errors = self.result_errors()?;
        raw.into_iter()
            .map(|(mut job, state)| {
                job.state = self.parse_state(job.id, &state)?;
                job.files = files.remove(&job.id).unwrap_or_default();
                job.result_error = result_errors.get(&job.dossier_code).cloned();
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
            .prepare_cached(&format!(
                "SELECT {JOB_COLUMNS} FROM outbox_jobs WHERE id = ?1"
            ))
            .and_then(|mut stmt| stmt.query_row([id], job_from_row).optional())
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
        job.result_error = self.result_failure(&job.dossier_code)?.map(|(e, _)| e);
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
}

/// How many jobs are in each group, for the header's "waiting" count and the queue screen's tabs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct QueueCounts {
    /// Live jobs (queued, uploading, submitting): dossiers not yet on the portal.
    pub waiting: u64,
    /// Of the waiting jobs, those due now (not waiting for a backoff to pass).
    pub due: u64,
    pub failed: u64,
    pub accepted: u64,
    pub cancelled: u64,
}

/// One page of the queue screen: jobs that need attention first (live, oldest first — the order they
/// drain in — then failed), then those at rest, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueuePage {
    pub jobs: Vec<OutboxJob>,
    /// All jobs, whatever the page.
    pub total: u64,
    pub counts: QueueCounts,
}

impl Store {
    /// Counts by group (see [`QueueCounts`]); one pass over the state index.
    pub fn queue_counts(&self, now: i64) -> Result<QueueCounts, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FILTER (WHERE state IN ('queued','uploading','submitting')),
                        COUNT(*) FILTER (WHERE state IN ('queued','uploading','submitting')
                                         AND next_attempt_at <= ?1),
                        COUNT(*) FILTER (WHERE state = 'failed'),
                        COUNT(*) FILTER (WHERE state = 'accepted'),
                        COUNT(*) FILTER (WHERE state = 'cancelled')
                 FROM outbox_jobs",
                [now],
                |r| {
                    let n = |i| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                    Ok(QueueCounts {
                        waiting: n(0)?,
                        due: n(1)?,
                        failed: n(2)?,
                        accepted: n(3)?,
                        cancelled: n(4)?,
                    })
                },
            )
            .map_err(|e| self.sql(e))
    }

    /// A page of the queue (see [`QueuePage`]): `limit` jobs from `offset`, with their files.
    pub fn queue_page(&self, offset: u64, limit: u64) -> Result<QueuePage, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {JOB_COLUMNS} FROM outbox_jobs
                 ORDER BY CASE WHEN state IN ('queued','uploading','submitting') THEN 0
                               WHEN state = 'failed' THEN 1 ELSE 2 END,
                          CASE WHEN state IN ('queued','uploading','submitting') THEN id ELSE -id END
                 LIMIT ?1 OFFSET ?2"
            ))
            .map_err(|e| self.sql(e))?;
        let raw: Vec<(OutboxJob, String)> = stmt
            .query_map(
                params![
                    limit.min(i64::MAX as u64) as i64,
                    offset.min(i64::MAX as u64) as i64
                ],
                job_from_row,
            )
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        let mut files_stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {FILE_COLUMNS} FROM outbox_files WHERE job_id = ?1 ORDER BY ordinal"
            ))
            .map_err(|e| self.sql(e))?;
        let result_errors = self.result_errors()?;
        let mut jobs = Vec::with_capacity(raw.len());
        for (mut job, state) in raw {
            job.state = self.parse_state(job.id, &state)?;
            job.result_error = result_errors.get(&job.dossier_code).cloned();
            job.files = files_stmt
                .query_map([job.id], file_from_row)
                .map_err(|e| self.sql(e))?
                .map(|r| r.map(|(_, f)| f))
                .collect::<Result<_, _>>()
                .map_err(|e| self.sql(e))?;
            jobs.push(job);
        }
        let counts = self.queue_counts(now_ms())?;
        let total = counts.waiting + counts.failed + counts.accepted + counts.cancelled;
        Ok(QueuePage {
            jobs,
            total,
            counts,
        })
    }
}
