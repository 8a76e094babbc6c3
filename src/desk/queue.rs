//! The outbox as the desktop app's Hàng đợi screen uses it (issues 7 and 9): a page of jobs with counts,
//! and the background [`QueueService`] started on this desk's data folder. Retry and cancel are
//! [`Desk::retry_job`] / [`Desk::cancel_job`] (in `mod.rs`, shared with the CLI).

use super::{Desk, DeskError};
use crate::store::{QueueCounts, QueuePage, now_ms};
use crate::sync::{QueueService, ServiceEvent};

/// The most jobs one page may hold (the screen pages through the rest).
pub const QUEUE_PAGE_MAX: u64 = 500;

impl Desk {
    /// A page of the queue: jobs needing attention first (waiting in send order, then failed), then the
    /// rest newest first; `limit` is capped at [`QUEUE_PAGE_MAX`].
    pub fn queue_page(&self, offset: u64, limit: u64) -> Result<QueuePage, DeskError> {
        Ok(self
            .store()
            .queue_page(offset, limit.clamp(1, QUEUE_PAGE_MAX))?)
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
