//! Persistence of the submission outbox (issue 7): jobs, the files each job uploads, and what the portal
//! said about each submitted dossier.
//!
//! The outbox is what makes "press Nộp once" safe: a job is inserted in the same IMMEDIATE transaction that
//! moves the dossier to `queued`, and every step the worker takes (upload location, offsets, the exact JSON
//! body, acceptance) is written here before the network step that depends on it. The worker in
//! `crate::sync` holds no state of its own, so a killed process resumes from these rows.
//!
//! This file holds the types and row mapping; the `impl Store` blocks are split by who calls them:
//! [`enqueue`] (the clerk's "Nộp": attaching PDFs, inserting jobs; [`committer`] groups submissions that
//! arrive together into one durable commit), [`query`] (listing and scheduling
//! reads), [`listing`] (every job summarised, for `motcua queue list`), [`progress`] (what the worker writes as it goes: state, offsets, the fixed body) and
//! [`lifecycle`] (a job coming to rest or coming back: accepted, failed, retried, cancelled).

pub mod committer;
mod enqueue;
mod lifecycle;
mod listing;
mod progress;
mod query;

use rusqlite::Row;
use serde::Serialize;

pub use listing::JobSummary;
pub use query::{QueueCounts, QueuePage};

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
    /// Why the dossier's result PDF could not be downloaded yet (accepted jobs only; tried again at every
    /// poll). Filled by the listings ([`Store::outbox_jobs`], [`Store::queue_page`], [`Store::outbox_job`]).
    pub result_error: Option<String>,
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
            result_error: None,
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
