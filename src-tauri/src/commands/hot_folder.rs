//! The capture screen's scan folder ("Thư mục quét", `capture.hot-folder`): while the clerk has it on,
//! the core's watch ([`motcua::counter::HotFolderWatch`]) stores every finished file as pages of the
//! selected document. Pages go out as `counter://page` (the same event as an import, so thumbnails appear
//! as they arrive), each file's fate as `hot-folder://file` ([`HotFolderFileDto`]), and a share that
//! stops (or starts again) answering as `hot-folder://folder` ([`HotFolderStatusDto`]). One watch per
//! window; starting it again only points it at the new document.

use std::sync::Mutex;

use motcua::counter::{HotFolderEvent, HotFolderTarget, HotFolderWatch, WatchTiming};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use super::blocking;
use crate::dto::counter::PageDto;
use crate::error::ErrorEnvelope;
use crate::state::DeskState;

/// The running watch, if the clerk switched the scan folder on.
#[derive(Debug, Default)]
pub struct HotFolderState(Mutex<Option<HotFolderWatch>>);

/// One file of the scan folder, taken (its pages stored) or refused (with the reason).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HotFolderFileDto {
    pub file: String,
    pub taken: bool,
    pub pages: usize,
    /// The document the pages went into (taken files).
    pub doc_code: Option<String>,
    /// Where the file went (`da-nhap/` or `loi/`), or null if it stayed in the folder.
    pub moved_to: Option<String>,
    pub reason: Option<String>,
}

/// Whether the folder can be read; `problem` says why not.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HotFolderStatusDto {
    pub folder: String,
    pub problem: Option<String>,
}

fn forward(app: &AppHandle, event: HotFolderEvent) {
    let path = |p: &std::path::Path| p.display().to_string();
    // A lost event only delays what the screen shows; the pages are stored either way.
    let _ = match event {
        HotFolderEvent::Page(page) => app.emit("counter://page", PageDto::from(&page)),
        HotFolderEvent::Taken {
            file,
            target,
            pages,
            moved_to,
        } => app.emit(
            "hot-folder://file",
            HotFolderFileDto {
                file: path(&file),
                taken: true,
                pages,
                doc_code: Some(target.doc_code),
                moved_to: moved_to.as_deref().map(path),
                reason: None,
            },
        ),
        HotFolderEvent::Refused {
            file,
            reason,
            moved_to,
        } => app.emit(
            "hot-folder://file",
            HotFolderFileDto {
                file: path(&file),
                taken: false,
                pages: 0,
                doc_code: None,
                moved_to: moved_to.as_deref().map(path),
                reason: Some(reason),
            },
        ),
        HotFolderEvent::FolderUnreadable { folder, reason } => app.emit(
            "hot-folder://folder",
            HotFolderStatusDto {
                folder: path(&folder),
                problem: Some(reason),
            },
        ),
        HotFolderEvent::FolderBack { folder } => app.emit(
            "hot-folder://folder",
            HotFolderStatusDto {
                folder: path(&folder),
                problem: None,
            },
        ),
        _ => Ok(()),
    };
}

/// Switches the scan folder on for document `doc_code` of dossier `code` (or points the running watch
/// there); answers the folder watched.
#[tauri::command]
pub async fn hot_folder_start(
    app: AppHandle,
    state: State<'_, DeskState>,
    watch: State<'_, HotFolderState>,
    code: String,
    doc_code: String,
) -> Result<String, ErrorEnvelope> {
    let target = HotFolderTarget {
        dossier: code,
        doc_code,
    };
    if let Some(running) = watch.0.lock().map_err(poisoned)?.as_ref() {
        running.retarget(target);
        return Ok(running.folder().display().to_string());
    }
    let desk = state.desk()?;
    let started = blocking(move || {
        desk.watch_hot_folder(target, WatchTiming::default(), move |event| {
            forward(&app, event)
        })
    })
    .await?;
    let folder = started.folder().display().to_string();
    let mut slot = watch.0.lock().map_err(poisoned)?;
    // Two starts raced: keep the first watch, stop this one.
    if slot.is_none() {
        *slot = Some(started);
    }
    Ok(folder)
}

/// Switches the scan folder off (waits for the file being stored, if any).
#[tauri::command]
pub async fn hot_folder_stop(watch: State<'_, HotFolderState>) -> Result<(), ErrorEnvelope> {
    let running = watch.0.lock().map_err(poisoned)?.take();
    if let Some(running) = running {
        tauri::async_runtime::spawn_blocking(move || running.stop())
            .await
            .map_err(|e| ErrorEnvelope::internal(format!("tác vụ nền bị dừng: {e}")))?;
    }
    Ok(())
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> ErrorEnvelope {
    ErrorEnvelope::internal("trạng thái thư mục quét hỏng; hãy mở lại ứng dụng".to_owned())
}
