//! The Hàng đợi (outbox) commands and the background queue. At app start [`start`] runs the core's
//! [`QueueService`] (worker + portal probe threads, see `motcua::sync::service`) on the desk's data folder
//! and forwards its events to the window: `queue://status` ([`QueueStatusDto`]) and `queue://job`
//! ([`QueueEventDto`]); [`stop`] ends it when the app exits. The commands page through the jobs, read the
//! last status (no I/O), retry / cancel a job and pause / resume the queue.

use super::blocking;
use crate::dto::queue::{QueueEventDto, QueueJobDto, QueuePageDto, QueueStatusDto};
use crate::error::ErrorEnvelope;
use crate::state::DeskState;
use motcua::sync::{QueueService, ServiceEvent};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, State};

/// Event with the queue's status (online/offline, paused, counts, problem).
pub const STATUS_EVENT: &str = "queue://status";
/// Event with one worker event (progress, accepted, failed…).
pub const JOB_EVENT: &str = "queue://job";
/// How long closing the app waits for a chunk in flight (the outbox resumes it at next start anyway).
const SHUTDOWN_WAIT: Duration = Duration::from_secs(3);

/// The running queue, if the desk opened.
#[derive(Default)]
pub struct QueueState {
    service: Mutex<Option<QueueService>>,
}

impl QueueState {
    fn with<T>(&self, f: impl FnOnce(&QueueService) -> T) -> Result<T, ErrorEnvelope> {
        let guard = self.service.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .map(f)
            .ok_or_else(|| ErrorEnvelope::internal("hàng đợi gửi hồ sơ chưa chạy"))
    }
}

/// Starts the queue (called once, from the app's setup). Does nothing if the desk could not be opened:
/// the commands then return that error.
pub fn start(app: &AppHandle) {
    let Ok(desk) = app.state::<DeskState>().desk() else {
        return;
    };
    let actor = app.state::<DeskState>().actor().to_owned();
    let handle = app.clone();
    let service = desk.start_queue_service(&actor, move |event| {
        // A window that is closing may refuse events; the next status carries the truth again.
        let _ = match event {
            ServiceEvent::Status { status } => {
                handle.emit(STATUS_EVENT, QueueStatusDto::from(status))
            }
            ServiceEvent::Job { event } => handle.emit(JOB_EVENT, QueueEventDto::from(event)),
        };
    });
    let state = app.state::<QueueState>();
    *state.service.lock().unwrap_or_else(|p| p.into_inner()) = Some(service);
}

/// Stops the queue (called when the app exits).
pub fn stop(app: &AppHandle) {
    let service = app
        .state::<QueueState>()
        .service
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    if let Some(service) = service {
        service.shutdown(SHUTDOWN_WAIT);
    }
}

/// A page of jobs: waiting ones in send order, then failed, then the rest newest first.
#[tauri::command]
pub async fn queue_page(
    state: State<'_, DeskState>,
    offset: u64,
    limit: u64,
) -> Result<QueuePageDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let page = blocking(move || desk.queue_page(offset, limit)).await?;
    Ok(QueuePageDto::from(&page))
}

/// The last status the probe reported (no I/O, answers at once).
#[tauri::command]
pub fn queue_status(
    desk: State<'_, DeskState>,
    queue: State<'_, QueueState>,
) -> Result<QueueStatusDto, ErrorEnvelope> {
    desk.desk()?;
    queue.with(|service| QueueStatusDto::from(&service.status()))
}

/// Puts a failed job back in the queue and wakes the worker.
#[tauri::command]
pub async fn retry_job(
    state: State<'_, DeskState>,
    queue: State<'_, QueueState>,
    id: i64,
) -> Result<QueueJobDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let actor = state.actor().to_owned();
    let job = blocking(move || desk.retry_job(id, &actor)).await?;
    let _ = queue.with(QueueService::wake);
    Ok(QueueJobDto::from(&job))
}

/// Cancels a job that has not reached the portal (the dossier returns to "signed").
#[tauri::command]
pub async fn cancel_job(
    state: State<'_, DeskState>,
    queue: State<'_, QueueState>,
    id: i64,
) -> Result<QueueJobDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let actor = state.actor().to_owned();
    let job = blocking(move || desk.cancel_job(id, &actor)).await?;
    let _ = queue.with(QueueService::wake);
    Ok(QueueJobDto::from(&job))
}

/// Stops sending after the current chunk; jobs stay queued.
#[tauri::command]
pub fn pause_queue(queue: State<'_, QueueState>) -> Result<QueueStatusDto, ErrorEnvelope> {
    queue.with(|service| {
        service.pause();
        QueueStatusDto::from(&service.status())
    })
}

/// Starts sending again.
#[tauri::command]
pub fn resume_queue(queue: State<'_, QueueState>) -> Result<QueueStatusDto, ErrorEnvelope> {
    queue.with(|service| {
        service.resume();
        QueueStatusDto::from(&service.status())
    })
}
