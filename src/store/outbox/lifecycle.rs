//! A job coming to rest or coming back: accepted by the portal (with the dossier's move to `received`),
//! failed with a reason, put back in the queue by the clerk, or cancelled before it reached the portal.

use super::{JobState, OutboxJob, now_ms};
use crate::dossier::Status;
use crate::store::portal_status::move_status;
use crate::store::{Store, StoreError, utc_now};
use rusqlite::params;

impl Store {
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
        let (tx, path) = self.write_tx()?;
        let sql = |e| crate::store::sql_err(&path, e);
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
        let (tx, path) = self.write_tx()?;
        let sql = |e| crate::store::sql_err(&path, e);
        let changed = tx
            .execute(
                "UPDATE outbox_jobs SET state = ?2, last_error = ?3, updated_at = ?4
                 WHERE id = ?1 AND state IN ('queued','uploading','submitting')",
                params![job, state.as_str(), reason, utc_now()],
            )
            .map_err(sql)?;
        if changed > 0 {
            crate::store::audit::append(
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
        let sql = |e| crate::store::sql_err(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "UPDATE outbox_jobs SET state = 'queued', attempts = 0, next_attempt_at = ?2, last_error = NULL,
                updated_at = ?3 WHERE id = ?1 AND state = 'failed'",
            params![job, now_ms(), utc_now()],
        )
        .map_err(sql)?;
        crate::store::audit::append(
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
        let (tx, path) = self.write_tx()?;
        let sql = |e| crate::store::sql_err(&path, e);
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
