//! The outbox as a long-running background service, for the desktop app (issue 9, Hàng đợi): the worker
//! of [`super::run`] in continuous mode on its own thread, plus a probe thread that watches the portal and
//! the queue, so the window only ever receives events and never waits on the network or the disk.
//!
//! - The **worker thread** reads the configuration (`portal.url`, the token from the variable named by
//!   `portal.token-env`, `sync.*`) and runs [`super::run`] until it is paused, shut down, or the
//!   configuration changes (then it starts again with the new one). While unconfigured it waits.
//! - The **probe thread** asks the portal's `/healthz` (short timeout) every few seconds and counts the
//!   queue, and reports a [`QueueStatus`] whenever something changed: online/offline, paused, the count of
//!   waiting dossiers, a problem (not configured, token rejected). When the portal comes back after being
//!   offline it makes the waiting jobs due at once and wakes the worker; it also wakes the worker when a
//!   job became due (e.g. queued by another process) while the worker sleeps.
//!
//! Pausing stops the worker between two chunks (jobs stay live and resume from the portal's offset);
//! [`QueueService::shutdown`] does the same and joins the threads with a bound, since the outbox is
//! crash-safe anyway. Events go to one sink ([`ServiceEvent`]); upload progress is throttled per job.

use super::{CallError, Event, PortalClient, RunOptions, SyncConfig, SyncError};
use crate::store::{QueueCounts, Store, now_ms};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long the probe waits for `/healthz` before calling the portal offline.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);
/// Probe period while the portal answers.
const PROBE_ONLINE_EVERY: Duration = Duration::from_secs(3);
/// Probe period while it does not (or is not configured): notice its return quickly.
const PROBE_OFFLINE_EVERY: Duration = Duration::from_secs(1);
/// At most one progress event per job in this interval (the last chunk is always reported).
const PROGRESS_EVERY: Duration = Duration::from_millis(200);

/// Whether the portal answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Connectivity {
    /// Not probed yet (the first seconds after start).
    Unknown,
    Online,
    Offline,
    /// No portal URL or token configured: nothing to probe.
    NotConfigured,
}

/// Why the queue cannot make progress, beyond being offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QueueProblem {
    /// Settings missing or invalid; `message` says which (`motcua config set …`).
    NotConfigured { message: String },
    /// The portal refused the office token (401): a new token is needed.
    TokenRejected,
    /// The local database could not be read.
    Store { message: String },
}

/// The queue as the header and the Hàng đợi screen show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueStatus {
    pub connectivity: Connectivity,
    pub paused: bool,
    pub counts: QueueCounts,
    pub problem: Option<QueueProblem>,
}

/// What the service reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServiceEvent {
    /// An event of the worker (progress, accepted, failed, retrying, status changes…).
    Job { event: Event },
    /// The queue's status changed.
    Status { status: QueueStatus },
}

type Sink = Box<dyn Fn(&ServiceEvent) + Send + Sync>;

/// Pause and shutdown requests, changed together with the run's stop flag under one lock.
#[derive(Debug, Default)]
struct Control {
    paused: bool,
    shutdown: bool,
}

struct Inner {
    dir: PathBuf,
    actor: String,
    control: Mutex<Control>,
    /// The running `super::run`'s stop flag: set by pause, shutdown and configuration changes.
    stop: Arc<AtomicBool>,
    wake: Arc<AtomicBool>,
    /// Wakes the probe early (after pause/resume/retry, so the status follows at once).
    probe_now: AtomicBool,
    status: Mutex<QueueStatus>,
    /// URL and token of the run in progress, to notice a configuration change.
    running: Mutex<Option<(String, String)>>,
    last_progress: Mutex<HashMap<i64, Instant>>,
    sink: Sink,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The running service; dropping it shuts it down (waiting at most two seconds).
pub struct QueueService {
    inner: Arc<Inner>,
    threads: Vec<JoinHandle<()>>,
}

impl QueueService {
    /// Starts the worker and probe threads on the store in `dir`; `actor` is recorded in the audit log.
    pub fn start(
        dir: &Path,
        actor: &str,
        sink: impl Fn(&ServiceEvent) + Send + Sync + 'static,
    ) -> QueueService {
        let inner = Arc::new(Inner {
            dir: dir.to_owned(),
            actor: actor.to_owned(),
            control: Mutex::new(Control::default()),
            stop: Arc::new(AtomicBool::new(false)),
            wake: Arc::new(AtomicBool::new(false)),
            probe_now: AtomicBool::new(false),
            status: Mutex::new(QueueStatus {
                connectivity: Connectivity::Unknown,
                paused: false,
                counts: QueueCounts::default(),
                problem: None,
            }),
            running: Mutex::new(None),
            last_progress: Mutex::new(HashMap::new()),
            sink: Box::new(sink),
        });
        let mut threads = Vec::new();
        for (name, body) in [
            ("motcua-outbox", work as fn(&Inner)),
            ("motcua-outbox-probe", probe as fn(&Inner)),
        ] {
            let inner = Arc::clone(&inner);
            // Spawning only fails when the OS is out of threads; the queue then stays visibly "unknown".
            if let Ok(handle) = std::thread::Builder::new()
                .name(name.to_owned())
                .spawn(move || body(&inner))
            {
                threads.push(handle);
            }
        }
        QueueService { inner, threads }
    }

    /// The last known status (no I/O).
    pub fn status(&self) -> QueueStatus {
        lock(&self.inner.status).clone()
    }

    /// Stops sending after the current chunk; jobs stay in the queue.
    pub fn pause(&self) {
        {
            let mut control = lock(&self.inner.control);
            control.paused = true;
            self.inner.stop.store(true, Ordering::SeqCst);
        }
        self.inner.update(|s| s.paused = true);
    }

    /// Starts sending again.
    pub fn resume(&self) {
        {
            let mut control = lock(&self.inner.control);
            control.paused = false;
            if !control.shutdown {
                self.inner.stop.store(false, Ordering::SeqCst);
            }
        }
        self.inner.update(|s| s.paused = false);
        self.wake();
    }

    /// Looks at the queue now instead of at the next poll (after a submit or a retry).
    pub fn wake(&self) {
        self.inner.wake.store(true, Ordering::SeqCst);
        self.inner.probe_now.store(true, Ordering::SeqCst);
    }

    /// Stops both threads and waits for them at most `wait` (an upload chunk in flight may take longer;
    /// the outbox resumes it on the next start, so leaving it is safe). Whether both threads ended.
    pub fn shutdown(mut self, wait: Duration) -> bool {
        self.stop_threads(wait)
    }

    fn stop_threads(&mut self, wait: Duration) -> bool {
        {
            let mut control = lock(&self.inner.control);
            control.shutdown = true;
            self.inner.stop.store(true, Ordering::SeqCst);
        }
        let deadline = Instant::now() + wait;
        while self.threads.iter().any(|t| !t.is_finished()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut all = true;
        for thread in self.threads.drain(..) {
            if thread.is_finished() {
                all &= thread.join().is_ok();
            } else {
                all = false;
            }
        }
        all
    }
}

impl Drop for QueueService {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            let _ = self.stop_threads(Duration::from_secs(2));
        }
    }
}

impl Inner {
    fn shutting_down(&self) -> bool {
        lock(&self.control).shutdown
    }

    /// Changes the status and reports it if it differs.
    fn update(&self, change: impl FnOnce(&mut QueueStatus)) {
        let changed = {
            let mut status = lock(&self.status);
            let before = status.clone();
            change(&mut status);
            (*status != before).then(|| status.clone())
        };
        if let Some(status) = changed {
            (self.sink)(&ServiceEvent::Status { status });
        }
    }

    /// Sleeps up to `time`, waking early on shutdown or when `early` is set (and then clears it).
    fn sleep(&self, time: Duration, early: Option<&AtomicBool>) {
        let deadline = Instant::now() + time;
        while Instant::now() < deadline && !self.shutting_down() {
            if early.is_some_and(|flag| flag.swap(false, Ordering::SeqCst)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn on_job_event(&self, event: &Event) {
        match event {
            Event::Progress {
                job, sent, total, ..
            } => {
                let now = Instant::now();
                let mut last = lock(&self.last_progress);
                let recent = last
                    .get(job)
                    .is_some_and(|t| now.duration_since(*t) < PROGRESS_EVERY);
                if recent && sent < total {
                    return;
                }
                last.insert(*job, now);
            }
            Event::Accepted { job, .. } | Event::Failed { job, .. } => {
                lock(&self.last_progress).remove(job);
            }
            _ => {}
        }
        match event {
            Event::TokenRejected => self.update(|s| s.problem = Some(QueueProblem::TokenRejected)),
            Event::Progress { .. } | Event::Accepted { .. } | Event::StatusChanged { .. } => self
                .update(|s| {
                    if s.problem == Some(QueueProblem::TokenRejected) {
                        s.problem = None;
                    }
                }),
            _ => {}
        }
        (self.sink)(&ServiceEvent::Job {
            event: event.clone(),
        });
        if matches!(event, Event::Accepted { .. } | Event::Failed { .. }) {
            self.probe_now.store(true, Ordering::SeqCst);
        }
    }
}

/// The worker thread (see the module documentation).
fn work(inner: &Inner) {
    while !inner.shutting_down() {
        if lock(&inner.control).paused {
            inner.sleep(Duration::from_millis(200), None);
            continue;
        }
        let config = Store::open(&inner.dir)
            .map_err(SyncError::from)
            .and_then(|store| SyncConfig::from_store(&store));
        let config = match config {
            Ok(config) => config,
            Err(_) => {
                // The probe reports why; try again shortly (settings may be changed meanwhile).
                inner.sleep(Duration::from_secs(1), Some(&inner.wake));
                continue;
            }
        };
        *lock(&inner.running) = Some((config.url.clone(), config.token.clone()));
        let options = RunOptions {
            once: false,
            stop: Arc::clone(&inner.stop),
            wake: Arc::clone(&inner.wake),
        };
        let result = super::run(&inner.dir, &config, &options, &inner.actor, &|event| {
            inner.on_job_event(event)
        });
        *lock(&inner.running) = None;
        if let Err(error) = result {
            inner.update(|s| {
                s.problem = Some(QueueProblem::Store {
                    message: error.to_string(),
                })
            });
            inner.sleep(Duration::from_secs(2), None);
        }
        // Stopped for a configuration change: run again with the new one (unless paused or closing).
        let control = lock(&inner.control);
        if !control.paused && !control.shutdown {
            inner.stop.store(false, Ordering::SeqCst);
        }
    }
}

/// The probe thread (see the module documentation).
fn probe(inner: &Inner) {
    let mut store: Option<Store> = None;
    let mut client: Option<(String, PortalClient)> = None;
    while !inner.shutting_down() {
        if store.is_none() {
            match Store::open(&inner.dir) {
                Ok(s) => store = Some(s),
                Err(error) => {
                    inner.update(|s| {
                        s.problem = Some(QueueProblem::Store {
                            message: error.to_string(),
                        })
                    });
                    inner.sleep(PROBE_OFFLINE_EVERY, Some(&inner.probe_now));
                    continue;
                }
            }
        }
        let Some(db) = store.as_ref() else { continue };
        let counts = db.queue_counts(now_ms());
        let config = SyncConfig::from_store(db);
        let connectivity = match &config {
            Err(_) => Connectivity::NotConfigured,
            Ok(config) => {
                if client.as_ref().is_none_or(|(url, _)| *url != config.url) {
                    client = Some((
                        config.url.clone(),
                        PortalClient::new(&config.url, "", PROBE_TIMEOUT),
                    ));
                }
                match client.as_ref().map(|(_, c)| c.health()) {
                    Some(Ok(())) => Connectivity::Online,
                    Some(Err(CallError::Unauthorized)) => Connectivity::Online,
                    _ => Connectivity::Offline,
                }
            }
        };
        // A new URL or token: restart the worker's run with it.
        if let Ok(config) = &config {
            let running = lock(&inner.running).clone();
            if running.is_some_and(|(url, token)| url != config.url || token != config.token) {
                inner.stop.store(true, Ordering::SeqCst);
            }
        }
        let was = lock(&inner.status).connectivity;
        if connectivity == Connectivity::Online && was == Connectivity::Offline {
            // Back online: the waiting jobs were waiting for the network, not for the portal.
            if db.make_waiting_jobs_due(now_ms()).is_ok() {
                inner.wake.store(true, Ordering::SeqCst);
            }
        }
        if let Ok(c) = &counts
            && c.due > 0
            && connectivity == Connectivity::Online
        {
            inner.wake.store(true, Ordering::SeqCst);
        }
        let counts_failed = counts.as_ref().err().map(|e| e.to_string());
        inner.update(|s| {
            s.connectivity = connectivity;
            if let Ok(c) = counts {
                s.counts = c;
            }
            s.problem = match (&config, counts_failed) {
                (_, Some(message)) => Some(QueueProblem::Store { message }),
                (Err(error), None) => Some(QueueProblem::NotConfigured {
                    message: error.to_string(),
                }),
                (Ok(_), None) => match &s.problem {
                    Some(QueueProblem::TokenRejected) => Some(QueueProblem::TokenRejected),
                    _ => None,
                },
            };
        });
        let every = if connectivity == Connectivity::Online {
            PROBE_ONLINE_EVERY
        } else {
            PROBE_OFFLINE_EVERY
        };
        inner.sleep(every, Some(&inner.probe_now));
    }
}
