//! What the worker writes as a job advances, each before the network step that depends on it: the job's
//! state and schedule, each file's tus upload location and acknowledged offset, and the fixed JSON body.

use super::{JobState, JobUpdate};
use crate::store::{Store, StoreError, utc_now};
use rusqlite::params;

impl Store {
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
}

impl Store {
    /// Makes every live job that waits for a later attempt due now; returns how many. Called when the
    /// portal is reachable again after being offline: the backoff was waiting for the network, and the
    /// clerk should not wait minutes more for it to run out.
    pub fn make_waiting_jobs_due(&self, now: i64) -> Result<usize, StoreError> {
        self.conn
            .execute(
                "UPDATE outbox_jobs SET next_attempt_at = ?1
                 WHERE state IN ('queued','uploading','submitting') AND next_attempt_at > ?1",
                [now],
            )
            .map_err(|e| self.sql(e))
    }
}
