//! Commands of the Xác minh screen (supervisors only). `verify_start` expands the dropped or picked
//! paths (folders recursively), answers at once with the count, and verifies on a background thread:
//! each finished file is a `verify://progress` event, the end a `verify://finished` event.
//! `verify_cancel` stops a run between files; `verify_save_report` writes the last run's Vietnamese HTML
//! report atomically.

use super::blocking;
use crate::dto::verify::{VerifiedFileDto, VerifyFinishedDto, VerifyProgressDto, VerifyRunDto};
use crate::error::ErrorEnvelope;
use crate::state::DeskState;
use motcua::user::Permission;
use motcua::verify::FileReport;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Emitter, State};

/// Event: one file verified.
pub const PROGRESS_EVENT: &str = "verify://progress";
/// Event: the run ended (finished, cancelled or failed to start).
pub const FINISHED_EVENT: &str = "verify://finished";

/// The current run's cancel flag and the reports of the latest run, for "Lưu báo cáo".
#[derive(Default)]
pub struct VerifyRuns {
    cancel: Mutex<Arc<AtomicBool>>,
    reports: Arc<Mutex<Vec<FileReport>>>,
}

/// Starts verifying `paths` (files or folders) as run `run`, an id chosen by the UI before the call so
/// that it can match progress events that arrive before this answer; answers with the PDFs found.
#[tauri::command]
pub async fn verify_start(
    app: AppHandle,
    state: State<'_, DeskState>,
    runs: State<'_, VerifyRuns>,
    paths: Vec<String>,
    run: u64,
) -> Result<VerifyRunDto, ErrorEnvelope> {
    let (desk, _) = state.require(Permission::Verify)?;
    let inputs: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let files = blocking(move || Ok(motcua::collect_pdfs(&inputs))).await?;
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let mut current = runs.cancel.lock().unwrap_or_else(|p| p.into_inner());
        current.store(true, Ordering::SeqCst); // a new run replaces the previous one
        *current = cancel.clone();
    }
    let reports = runs.reports.clone();
    reports.lock().unwrap_or_else(|p| p.into_inner()).clear();
    let total = files.len();
    let answer = VerifyRunDto {
        run,
        total,
        paths: files.iter().map(|f| f.display().to_string()).collect(),
    };
    std::thread::spawn(move || {
        let done = AtomicUsize::new(0);
        let on_done = |outcome: &motcua::VerifyOutcome| {
            let done = done.fetch_add(1, Ordering::SeqCst) + 1;
            let _ = app.emit(
                PROGRESS_EVENT,
                VerifyProgressDto {
                    run,
                    done,
                    total,
                    file: VerifiedFileDto::from(outcome),
                },
            );
        };
        let result = desk.verify_files(&files, &cancel, &on_done);
        let error = match result {
            Ok(outcomes) => {
                *reports.lock().unwrap_or_else(|p| p.into_inner()) =
                    outcomes.into_iter().filter_map(|o| o.report).collect();
                None
            }
            Err(e) => Some(ErrorEnvelope::from(e)),
        };
        let _ = app.emit(
            FINISHED_EVENT,
            VerifyFinishedDto {
                run,
                done: done.load(Ordering::SeqCst),
                total,
                cancelled: cancel.load(Ordering::SeqCst),
                error,
            },
        );
    });
    Ok(answer)
}

/// Stops the running verification after the files in progress.
#[tauri::command]
pub fn verify_cancel(runs: State<'_, VerifyRuns>) {
    runs.cancel
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .store(true, Ordering::SeqCst);
}

/// Saves the Vietnamese HTML report of the latest run to `path` (atomically).
#[tauri::command]
pub async fn verify_save_report(
    state: State<'_, DeskState>,
    runs: State<'_, VerifyRuns>,
    path: String,
) -> Result<String, ErrorEnvelope> {
    let (desk, _) = state.require(Permission::Verify)?;
    let reports = runs
        .reports
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let target = PathBuf::from(&path);
    blocking(move || desk.save_verify_report(&reports, &target)).await?;
    Ok(path)
}
