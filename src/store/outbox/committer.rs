//! Group commit of "Nộp" (issue 7: "enqueueing 10,000 jobs takes under 5 s"): submissions that arrive
//! together share one durable commit instead of paying one fsync each.
//!
//! The database keeps `synchronous=FULL`, so a commit returns only once the WAL is on the disk: a "Nộp" the
//! clerk saw succeed survives a power cut. That costs one fsync per commit (milliseconds on an ordinary
//! disk), which bounds one-transaction-per-dossier enqueueing. [`SubmitCommitter`] owns its own connection on
//! a thread; callers hand it a dossier code through a channel and wait for their answer. The thread takes
//! every request waiting when it is free (up to [`MAX_GROUP`]), runs each in its own savepoint of one
//! IMMEDIATE transaction ([`Store::enqueue_group`]), commits once, and only then answers each caller —
//! so every caller still returns after *its* row is durable and a refused dossier fails alone. While one
//! group's fsync runs, the next group gathers; right after a bigger group the thread also waits up to
//! [`GATHER`] for that group's callers to come back, and a clerk submitting alone is committed at once.

use crate::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The most submissions one commit takes (bounds the transaction and the wait of the last in a group).
pub const MAX_GROUP: usize = 1024;

/// The longest a group waits for the callers of the previous, bigger group to come back (less than one
/// fsync on an ordinary disk).
pub const GATHER: Duration = Duration::from_millis(2);

struct Request {
    code: String,
    actor: String,
    reply: SyncSender<Result<i64, StoreError>>,
}

/// The committer thread and the channel to it. Dropping it lets the thread finish the requests already
/// sent, then joins it.
pub struct SubmitCommitter {
    sender: Option<Sender<Request>>,
    worker: Option<JoinHandle<()>>,
    path: PathBuf,
    /// Transactions committed so far (each holding one group).
    commits: Arc<AtomicU64>,
}

impl SubmitCommitter {
    /// Opens a second connection on the store in `dir` and starts the thread.
    pub fn start(dir: &Path) -> Result<SubmitCommitter, StoreError> {
        let store = Store::open(dir)?;
        let path = store.db_path();
        let (sender, receiver) = mpsc::channel();
        let commits = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&commits);
        let worker = std::thread::Builder::new()
            .name("motcua-submit-commit".into())
            .spawn(move || run(store, receiver, &counter))
            .map_err(|source| StoreError::Io {
                path: path.clone(),
                source,
            })?;
        Ok(SubmitCommitter {
            sender: Some(sender),
            worker: Some(worker),
            path,
            commits,
        })
    }

    /// How many group transactions were committed so far (fewer than the submissions when they shared).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::SeqCst)
    }

    /// Moves the signed dossier `code` to `queued` with its submission job (as
    /// [`Store::enqueue_submission`]); returns the job id once the commit holding it is on the disk.
    pub fn enqueue(&self, code: &str, actor: &str) -> Result<i64, StoreError> {
        let stopped = || StoreError::Commit {
            path: self.path.clone(),
            message: "luồng ghi việc gửi đã dừng: đóng rồi mở lại ứng dụng, sau đó nộp lại".into(),
        };
        let (reply, answer) = mpsc::sync_channel(1);
        self.sender
            .as_ref()
            .ok_or_else(stopped)?
            .send(Request {
                code: code.to_owned(),
                actor: actor.to_owned(),
                reply,
            })
            .map_err(|_| stopped())?;
        answer.recv().map_err(|_| stopped())?
    }
}

impl Drop for SubmitCommitter {
    fn drop(&mut self) {
        self.sender.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn run(mut store: Store, receiver: Receiver<Request>, commits: &AtomicU64) {
    let mut last = 1;
    while let Ok(first) = receiver.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(request) => group.push(request),
                Err(_) => break,
            }
        }
        // Company is on its way when the previous group was bigger: its callers, just answered, are
        // sending their next submissions. Wait for them a little ([`GATHER`] at most; in an interleaved
        // A/B on the loaded machine this gave 54–58 jobs per commit instead of 39–48 and 10,000 submissions
        // in 2.9–3.7 s instead of 4.0–4.7 s). A clerk submitting alone (groups of one) never waits.
        if group.len() < last {
            let deadline = Instant::now() + GATHER;
            while group.len() < last.min(MAX_GROUP) {
                let left = deadline.saturating_duration_since(Instant::now());
                match receiver.recv_timeout(left) {
                    Ok(request) => group.push(request),
                    Err(_) => break,
                }
            }
        }
        last = group.len();
        let requests: Vec<(&str, &str)> = group
            .iter()
            .map(|r| (r.code.as_str(), r.actor.as_str()))
            .collect();
        match store.enqueue_group(&requests) {
            Ok(results) => {
                commits.fetch_add(1, Ordering::SeqCst);
                for (request, result) in group.iter().zip(results) {
                    let _ = request.reply.send(result);
                }
            }
            Err(error) => {
                for request in &group {
                    let _ = request.reply.send(Err(for_each_caller(&error)));
                }
            }
        }
    }
}

/// The commit's failure, once per caller (a `StoreError` is not `Clone`): the kinds a clerk acts on keep
/// their kind, the rest keep their text.
fn for_each_caller(error: &StoreError) -> StoreError {
    match error {
        StoreError::DiskFull { path } => StoreError::DiskFull { path: path.clone() },
        StoreError::ReadOnly { path } => StoreError::ReadOnly { path: path.clone() },
        StoreError::Sqlite { path, source } => StoreError::Commit {
            path: path.clone(),
            message: source.to_string(),
        },
        other => StoreError::Commit {
            path: PathBuf::new(),
            message: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committer's answer means "on the disk" only because its connection commits with
    /// `synchronous=FULL` (WAL: the commit fsyncs the log before returning); NORMAL would answer before the
    /// fsync and a power cut could take back a submission the clerk saw succeed.
    #[test]
    fn the_committer_connection_syncs_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let synchronous: i64 = store
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), synchronous), ("wal", 2), "2 is FULL");
    }
}
