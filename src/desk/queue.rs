//! The outbox as the desktop app's Hàng đợi screen uses it (issues 7 and 9): a page of jobs with counts,
//! "Nộp" through the group committer, the whole queue summarised for `motcua queue list`, and the
//! background [`QueueService`] started on this desk's data folder. Retry and cancel are
//! [`Desk::retry_job`] / [`Desk::cancel_job`] (in `mod.rs`, shared with the CLI).

use super::{Desk, DeskError};
use crate::store::{JobSummary, QueueCounts, QueuePage, SubmitCommitter, now_ms};
use crate::sync::{QueueService, ServiceEvent};
use std::sync::Arc;

/// The most jobs one page may hold (the screen pages through the rest).
pub const QUEUE_PAGE_MAX: u64 = 500;

impl Desk {
    /// "Nộp" through the group committer (see [`crate::store::SubmitCommitter`]): submissions made at the
    /// same moment (several windows, a batch of calls) share one fsync'd commit; this returns the job id
    /// once the commit holding this dossier's job is durable. The committer starts on first use.
    pub(super) fn submit_grouped(&self, code: &str, actor: &str) -> Result<i64, DeskError> {
        let committer = {
            let mut slot = self
                .submitter
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match slot.as_ref() {
                Some(c) => Arc::clone(c),
                None => {
                    let c = Arc::new(SubmitCommitter::start(&self.data_dir())?);
                    *slot = Some(Arc::clone(&c));
                    c
                }
            }
        };
        Ok(committer.enqueue(code, actor)?)
    }

    /// A page of the queue: jobs needing attention first (waiting in send order, then failed), then the
    /// rest newest first; `limit` is capped at [`QUEUE_PAGE_MAX`].
    pub fn queue_page(&self, offset: u64, limit: u64) -> Result<QueuePage, DeskError> {
        Ok(self
            .store()
            .queue_page(offset, limit.clamp(1, QUEUE_PAGE_MAX))?)
    }

    /// How many group transactions the committer of "Nộp" has committed since this desk opened (the
    /// benchmark divides the submissions by it: the average group).
    pub fn submit_commits(&self) -> u64 {
        self.submitter
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_ref()
            .map_or(0, |c| c.commits())
    }

    /// Every job, oldest first, as `motcua queue list` shows it: counts and byte totals instead of the
    /// files, and why a job's result could not be downloaded (see [`crate::store::JobSummary`]).
    pub fn queue_summary(&self) -> Result<Vec<JobSummary>, DeskError> {
        Ok(self.store().outbox_summaries()?)
    }

    /// How many jobs wait, failed, were accepted or cancelled.
    pub fn queue_counts(&self) -> Result<QueueCounts, DeskError> {
        Ok(self.store().queue_counts(now_ms())?)
    }

    /// Starts the outbox worker and the portal probe on this desk's data folder (see
    /// [`crate::sync::service`]); they open their own connections, so this desk's lock is never held
    /// across network calls.
    pub fn start_queue_service(
        &self,
        actor: &str,
        sink: impl Fn(&ServiceEvent) + Send + Sync + 'static,
    ) -> QueueService {
        QueueService::start(&self.data_dir(), actor, sink)
    }
}
