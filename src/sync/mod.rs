//! The outbox worker (issue 7): drains submission jobs to the portal exactly once, whatever the network
//! or the power does, and keeps local dossiers in step with the portal's status feed.
//!
//! The jobs live in SQLite (`crate::store` outbox tables); this module holds no state that matters across a
//! crash. [`run`] starts `concurrency` worker threads, each with its own store connection, which take the
//! oldest due job, run it ([`worker`]), and on a temporary failure schedule the next attempt with
//! exponential backoff and full jitter, never sooner than the portal's `Retry-After`. Validation refusals
//! fail the job with the portal's reasons; a rejected token (401) stops the queue with "token rejected".
//! Protocol: `docs/portal-api.md`.

pub mod client;
mod poll;
pub mod service;
mod wire;
mod worker;

pub use client::{CallError, PortalClient};
pub use poll::CURSOR_KEY;
pub use service::{Connectivity, QueueProblem, QueueService, QueueStatus, ServiceEvent};
pub use wire::dossier_json;

use crate::store::{JobUpdate, Store, StoreError, now_ms};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Setting: the portal's base URL.
pub const PORTAL_URL: &str = "portal.url";
/// Setting: the name of the environment variable holding the office token (the token is never stored).
pub const PORTAL_TOKEN_ENV: &str = "portal.token-env";

/// Failures that stop the worker itself (not a job): configuration and the local store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    #[error("chưa cấu hình địa chỉ cổng: chạy `motcua config set portal.url URL`")]
    NoPortalUrl,
    #[error(
        "chưa cấu hình biến môi trường chứa mã truy cập: chạy `motcua config set portal.token-env TÊN_BIẾN`"
    )]
    NoTokenEnv,
    #[error("biến môi trường {var} (mã truy cập cổng) chưa được đặt hoặc rỗng")]
    TokenMissing { var: String },
    #[error("cài đặt {key} = {value:?} không hợp lệ: {expected}")]
    BadSetting {
        key: String,
        value: String,
        expected: &'static str,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("luồng gửi hồ sơ dừng bất thường trong {dir}")]
    WorkerPanicked { dir: PathBuf },
}

/// What the worker reports for the UI (progress bars, toasts) and the CLI.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Progress {
        job: i64,
        dossier: String,
        sent: u64,
        total: u64,
        bytes_per_sec: f64,
        eta_secs: f64,
    },
    Accepted {
        job: i64,
        dossier: String,
        receipt: String,
    },
    Failed {
        job: i64,
        dossier: String,
        reason: String,
    },
    Retrying {
        job: i64,
        dossier: String,
        error: String,
        in_ms: i64,
    },
    TokenRejected,
    StatusChanged {
        dossier: String,
        national_status: u8,
    },
    ResultDownloaded {
        dossier: String,
        sha256: String,
    },
    ResultFailed {
        dossier: String,
        reason: String,
    },
}

/// Tuning, from the settings (`sync.*`) with the defaults of the brief.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    pub url: String,
    pub token: String,
    pub concurrency: usize,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    pub chunk_initial: u64,
    pub chunk_min: u64,
    pub chunk_max: u64,
    pub request_timeout: Duration,
    pub poll_every: Duration,
}

impl SyncConfig {
    /// Reads the portal URL, the token (from the environment variable named in the settings) and the
    /// `sync.*` tuning keys.
    pub fn from_store(store: &Store) -> Result<SyncConfig, SyncError> {
        let var = store
            .setting(PORTAL_TOKEN_ENV)?
            .ok_or(SyncError::NoTokenEnv)?;
        let token = std::env::var(&var)
            .ok()
            .filter(|t| !t.trim().is_empty())
            .ok_or(SyncError::TokenMissing { var: var.clone() })?;
        SyncConfig::from_store_with_token(store, &token)
    }

    /// As [`SyncConfig::from_store`], with the token given by the caller (the desktop shell's keyring, tests).
    pub fn from_store_with_token(store: &Store, token: &str) -> Result<SyncConfig, SyncError> {
        let url = store.setting(PORTAL_URL)?.ok_or(SyncError::NoPortalUrl)?;
        let num = |key: &str, default: u64| -> Result<u64, SyncError> {
            match store.setting(key)? {
                None => Ok(default),
                Some(v) => v.trim().parse().map_err(|_| SyncError::BadSetting {
                    key: key.to_owned(),
                    value: v,
                    expected: "a whole number",
                }),
            }
        };
        let chunk_min = num("sync.chunk-min", 64 << 10)?.max(1);
        let chunk_max = num("sync.chunk-max", 8 << 20)?.max(chunk_min);
        Ok(SyncConfig {
            url: url.trim().to_owned(),
            token: token.trim().to_owned(),
            concurrency: num("sync.concurrency", 2)?.clamp(1, 16) as usize,
            backoff_base: Duration::from_millis(num("sync.backoff-base-ms", 1000)?),
            backoff_max: Duration::from_millis(num("sync.backoff-max-ms", 300_000)?),
            chunk_initial: num("sync.chunk-initial", 256 << 10)?.clamp(chunk_min, chunk_max),
            chunk_min,
            chunk_max,
            request_timeout: Duration::from_millis(num("sync.timeout-ms", 60_000)?),
            poll_every: Duration::from_millis(num("sync.poll-ms", 30_000)?),
        })
    }
}

/// The adaptive chunk size, shared by the workers (it measures the link, not one file): doubles when a
/// chunk takes under a quarter of the target time, halves when it takes over twice as long or fails.
#[derive(Debug, Clone)]
pub struct ChunkSizer {
    pub size: u64,
    min: u64,
    max: u64,
}

/// How long one chunk should take: short enough that a cut wastes little, long enough to amortise requests.
const CHUNK_TARGET: Duration = Duration::from_secs(1);

impl ChunkSizer {
    pub fn new(initial: u64, min: u64, max: u64) -> ChunkSizer {
        ChunkSizer {
            size: initial.clamp(min, max),
            min,
            max,
        }
    }

    /// Feeds back one chunk: its size and how long it took, or `None` when it failed.
    pub fn feedback(&mut self, size: u64, elapsed: Option<Duration>) {
        match elapsed {
            Some(t) if size >= self.size && t < CHUNK_TARGET / 4 => {
                self.size = (self.size * 2).min(self.max)
            }
            Some(t) if t > CHUNK_TARGET * 2 => self.size = (self.size / 2).max(self.min),
            None => self.size = (self.size / 2).max(self.min),
            _ => {}
        }
    }
}

/// The delay before attempt `attempts + 1`: base·2^attempts capped at `max`, full jitter in its upper half,
/// and never less than the portal's `Retry-After`.
pub fn backoff(config: &SyncConfig, attempts: u32, retry_after: Option<Duration>) -> Duration {
    let exp = config
        .backoff_base
        .saturating_mul(1u32 << attempts.min(20))
        .min(config.backoff_max);
    // Randomness for the jitter from a v4 UUID (the crate already depends on uuid's OS randomness).
    let random = (uuid::Uuid::new_v4().as_u128() % 1_000_000) as f64 / 1_000_000.0;
    let jittered = exp.mul_f64(0.5 + 0.5 * random);
    jittered.max(retry_after.unwrap_or_default())
}

/// How `run` behaves.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Work until no job is due, then return (jobs waiting for a later attempt stay queued).
    pub once: bool,
    /// Set to stop a continuous run (the desktop shell's pause button).
    pub stop: Arc<AtomicBool>,
    /// Set to end a continuous run's sleep early (a new job was queued, a job was retried, the portal came
    /// back); the run clears it when it wakes.
    pub wake: Arc<AtomicBool>,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RunReport {
    pub accepted: u64,
    pub failed: u64,
    pub retried: u64,
    pub token_rejected: bool,
    pub status_updates: u64,
}

struct Shared<'a> {
    dir: &'a Path,
    config: &'a SyncConfig,
    client: PortalClient,
    sizer: Mutex<ChunkSizer>,
    busy: Mutex<Vec<i64>>,
    token_rejected: AtomicBool,
    accepted: AtomicU64,
    failed: AtomicU64,
    retried: AtomicU64,
    events: &'a (dyn Fn(&Event) + Sync),
    actor: &'a str,
    options: &'a RunOptions,
}

/// Drains the outbox of the store in `dir` and syncs statuses (see the module documentation).
pub fn run(
    dir: &Path,
    config: &SyncConfig,
    options: &RunOptions,
    actor: &str,
    events: &(dyn Fn(&Event) + Sync),
) -> Result<RunReport, SyncError> {
    let shared = Shared {
        dir,
        config,
        client: PortalClient::new(&config.url, &config.token, config.request_timeout),
        sizer: Mutex::new(ChunkSizer::new(
            config.chunk_initial,
            config.chunk_min,
            config.chunk_max,
        )),
        busy: Mutex::new(Vec::new()),
        token_rejected: AtomicBool::new(false),
        accepted: AtomicU64::new(0),
        failed: AtomicU64::new(0),
        retried: AtomicU64::new(0),
        events,
        actor,
        options,
    };
    let mut status_updates = 0u64;
    let mut store = Store::open(dir)?;
    loop {
        let results: Vec<Result<(), SyncError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..config.concurrency)
                .map(|_| scope.spawn(|| drain(&shared)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or(Err(SyncError::WorkerPanicked {
                        dir: dir.to_owned(),
                    }))
                })
                .collect()
        });
        for r in results {
            r?;
        }
        if !shared.token_rejected.load(Ordering::SeqCst) {
            match poll::sync_statuses(&mut store, &shared.client, events, actor)? {
                Ok(n) => status_updates += n as u64,
                Err(CallError::Unauthorized) => shared.token_rejected.store(true, Ordering::SeqCst),
                Err(_) => {}
            }
        }
        if options.once || options.stop.load(Ordering::SeqCst) {
            break;
        }
        // Continuous mode: sleep until the next job is due or the poll interval passes.
        let (_, _, next) = store.live_jobs(now_ms())?;
        let until_next = next
            .map(|t| Duration::from_millis((t - now_ms()).max(0) as u64))
            .unwrap_or(config.poll_every);
        let wait = until_next
            .min(config.poll_every)
            .max(Duration::from_millis(50));
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline
            && !options.stop.load(Ordering::SeqCst)
            && !options.wake.swap(false, Ordering::SeqCst)
        {
            std::thread::sleep(Duration::from_millis(50).min(wait));
        }
        shared.token_rejected.store(false, Ordering::SeqCst);
    }
    Ok(RunReport {
        accepted: shared.accepted.load(Ordering::SeqCst),
        failed: shared.failed.load(Ordering::SeqCst),
        retried: shared.retried.load(Ordering::SeqCst),
        token_rejected: shared.token_rejected.load(Ordering::SeqCst),
        status_updates,
    })
}

/// One worker thread: take the oldest due job not taken by another thread, run it, repeat until none is due.
fn drain(shared: &Shared<'_>) -> Result<(), SyncError> {
    let mut store = Store::open(shared.dir)?;
    loop {
        if shared.token_rejected.load(Ordering::SeqCst)
            || shared.options.stop.load(Ordering::SeqCst)
        {
            return Ok(());
        }
        let id = {
            let mut busy = shared.busy.lock().unwrap_or_else(|p| p.into_inner());
            match store.next_due_job(now_ms(), &busy)? {
                Some(id) => {
                    busy.push(id);
                    id
                }
                None => return Ok(()),
            }
        };
        let result = run_one(shared, &mut store, id);
        shared
            .busy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|b| *b != id);
        result?;
    }
}

fn run_one(shared: &Shared<'_>, store: &mut Store, id: i64) -> Result<(), SyncError> {
    let outcome = worker::JobRun {
        store,
        client: &shared.client,
        sizer: &shared.sizer,
        events: shared.events,
        actor: shared.actor,
        stop: &shared.options.stop,
    }
    .run(id)?;
    let job = store.outbox_job(id)?;
    let dossier = job.dossier_code.clone();
    match outcome {
        worker::Outcome::Stopped => {}
        worker::Outcome::Accepted { receipt } => {
            shared.accepted.fetch_add(1, Ordering::SeqCst);
            (shared.events)(&Event::Accepted {
                job: id,
                dossier,
                receipt,
            });
        }
        worker::Outcome::LocalProblem(reason) => {
            store.fail_job(id, &reason, shared.actor)?;
            shared.failed.fetch_add(1, Ordering::SeqCst);
            (shared.events)(&Event::Failed {
                job: id,
                dossier,
                reason,
            });
        }
        worker::Outcome::Call(CallError::Rejected { message }) => {
            if job.state.is_live() {
                store.fail_job(id, &message, shared.actor)?;
                shared.failed.fetch_add(1, Ordering::SeqCst);
                (shared.events)(&Event::Failed {
                    job: id,
                    dossier,
                    reason: message,
                });
            }
        }
        worker::Outcome::Call(CallError::Unauthorized) => {
            shared.token_rejected.store(true, Ordering::SeqCst);
            let delay = backoff(shared.config, job.attempts, None);
            store.update_job(
                id,
                &JobUpdate {
                    next_attempt_at: Some(now_ms() + delay.as_millis() as i64),
                    last_error: Some(Some(CallError::Unauthorized.to_string())),
                    ..JobUpdate::default()
                },
            )?;
            (shared.events)(&Event::TokenRejected);
        }
        worker::Outcome::Call(error) => {
            let after = match &error {
                CallError::Retry { after, .. } => *after,
                _ => None,
            };
            let delay = backoff(shared.config, job.attempts, after);
            let in_ms = delay.as_millis() as i64;
            store.update_job(
                id,
                &JobUpdate {
                    count_attempt: true,
                    next_attempt_at: Some(now_ms() + in_ms),
                    last_error: Some(Some(error.to_string())),
                    ..JobUpdate::default()
                },
            )?;
            shared.retried.fetch_add(1, Ordering::SeqCst);
            (shared.events)(&Event::Retrying {
                job: id,
                dossier,
                error: error.to_string(),
                in_ms,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_size_grows_on_fast_links_and_shrinks_on_slow_or_failing_ones() {
        let mut s = ChunkSizer::new(256 << 10, 64 << 10, 8 << 20);
        s.feedback(256 << 10, Some(Duration::from_millis(10)));
        assert_eq!(s.size, 512 << 10);
        for _ in 0..10 {
            s.feedback(s.size, Some(Duration::from_millis(10)));
        }
        assert_eq!(s.size, 8 << 20);
        s.feedback(s.size, Some(Duration::from_secs(5)));
        assert_eq!(s.size, 4 << 20);
        for _ in 0..10 {
            s.feedback(s.size, None);
        }
        assert_eq!(s.size, 64 << 10);
    }
}
