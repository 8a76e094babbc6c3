//! Commands of the counter screens: reception ("fill from CCCD"), capture (import, thumbnails, reorder,
//! rotate, delete, move, assemble), sign (tokens, sign the dossier), receipt (Mẫu 01) and submit.
//!
//! Long work runs on the blocking pool and reports `counter://progress` events ([`ProgressDto`]); imported
//! pages are also sent one by one as `counter://page` so thumbnails appear as they arrive. One cancel flag
//! ([`CounterWork`]) stops the running task at its next page or document. Passwords and PINs pass straight
//! to the core and are never logged or kept.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine;
use motcua::counter::SignWith;
use motcua::counter::stamp::StampPlacement;
use motcua::store::CapturePage;
use tauri::{AppHandle, Emitter, State};

use super::blocking;
use crate::dto::DossierDto;
use crate::dto::counter::{
    AssembledDto, CaptureDocumentDto, CaptureStateDto, CccdDto, ImportOutcomeDto, PageDto,
    ProgressDto, ScanRequestDto, ScannerDto, SignKeyDto, SignSummaryDto, SubmittedDto, TokenDto,
};
use crate::dto::stamp::StampDto;
use crate::error::ErrorEnvelope;
use crate::state::DeskState;

/// The cancel flag of the counter's long tasks (one at a time per window).
#[derive(Debug, Default)]
pub struct CounterWork {
    cancel: Arc<AtomicBool>,
}

impl CounterWork {
    /// A fresh flag for a task that starts now.
    fn start(&self) -> Arc<AtomicBool> {
        self.cancel.store(false, Ordering::Relaxed);
        self.cancel.clone()
    }
}

/// A page stored by an import or a scan: the page itself for the thumbnails (`counter://page`) and the
/// running count for the progress bar.
fn page_stored(app: &AppHandle, page: &CapturePage, count: usize, doc_code: &str) {
    // A lost page event only delays its thumbnail; the command's result lists every page.
    let _ = app.emit("counter://page", PageDto::from(page));
    progress(app, "import", count, 0, doc_code);
}

fn progress(app: &AppHandle, task: &'static str, done: usize, total: usize, doc_code: &str) {
    // A lost progress event only delays the bar; the command's result still arrives.
    let _ = app.emit(
        "counter://progress",
        ProgressDto {
            task,
            done,
            total,
            doc_code: doc_code.to_owned(),
        },
    );
}

/// Reads the applicant from the QR code in a picture of the citizen ID card.
#[tauri::command]
pub async fn read_cccd(
    state: State<'_, DeskState>,
    path: String,
) -> Result<CccdDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let data = blocking(move || desk.read_cccd(&PathBuf::from(path))).await?;
    Ok(data.into())
}

/// The pages and document PDFs of the dossier in progress.
#[tauri::command]
pub async fn capture_state(
    state: State<'_, DeskState>,
    code: String,
) -> Result<CaptureStateDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let (pages, documents) =
        blocking(move || Ok((desk.capture_pages(&code)?, desk.capture_documents(&code)?))).await?;
    Ok(CaptureStateDto {
        pages: pages.iter().map(PageDto::from).collect(),
        documents: documents.iter().map(CaptureDocumentDto::from).collect(),
    })
}

/// Imports files into a document; each stored page is also emitted as `counter://page`.
#[tauri::command]
pub async fn import_pages(
    app: AppHandle,
    state: State<'_, DeskState>,
    work: State<'_, CounterWork>,
    code: String,
    doc_code: String,
    paths: Vec<String>,
) -> Result<ImportOutcomeDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let cancel = work.start();
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    let outcome = blocking(move || {
        let mut count = 0;
        desk.import_pages(&code, &doc_code, &paths, &cancel, |page| {
            count += 1;
            page_stored(&app, page, count, &doc_code);
        })
    })
    .await?;
    Ok(outcome.into())
}

/// The scanners SANE can see.
#[tauri::command]
pub async fn scan_devices(state: State<'_, DeskState>) -> Result<Vec<ScannerDto>, ErrorEnvelope> {
    let desk = state.desk()?;
    let devices = blocking(move || desk.scan_devices()).await?;
    Ok(devices.into_iter().map(ScannerDto::from).collect())
}

/// Scans into a document; each stored page is also emitted as `counter://page`.
#[tauri::command]
pub async fn scan_pages(
    app: AppHandle,
    state: State<'_, DeskState>,
    work: State<'_, CounterWork>,
    code: String,
    doc_code: String,
    scan: ScanRequestDto,
) -> Result<ImportOutcomeDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let cancel = work.start();
    let outcome = blocking(move || {
        let mut count = 0;
        let feeder = scan
            .feeder
            .then(|| desk.feeder_source(&scan.device))
            .flatten();
        desk.scan_pages(
            &code,
            &doc_code,
            &scan.device,
            &scan.request(feeder),
            &cancel,
            |page| {
                count += 1;
                page_stored(&app, page, count, &doc_code);
            },
        )
    })
    .await?;
    Ok(outcome.into())
}

/// A page's thumbnail as a `data:image/jpeg;base64,…` URL, or null for PDF pages.
#[tauri::command]
pub async fn page_thumbnail(
    state: State<'_, DeskState>,
    id: i64,
) -> Result<Option<String>, ErrorEnvelope> {
    let desk = state.desk()?;
    let bytes = blocking(move || desk.page_thumbnail(id)).await?;
    Ok(bytes.map(|b| {
        format!(
            "data:image/jpeg;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(b)
        )
    }))
}

/// Makes `ids` the pages of a document, in order (reorder and move between documents).
#[tauri::command]
pub async fn arrange_pages(
    state: State<'_, DeskState>,
    code: String,
    doc_code: String,
    ids: Vec<i64>,
) -> Result<(), ErrorEnvelope> {
    let desk = state.desk()?;
    blocking(move || desk.arrange_pages(&code, &doc_code, &ids)).await
}

/// Turns a page clockwise by `quarterTurns` × 90° (negative turns counter-clockwise).
#[tauri::command]
pub async fn rotate_page(
    state: State<'_, DeskState>,
    id: i64,
    quarter_turns: i32,
) -> Result<PageDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let page = blocking(move || desk.rotate_page(id, quarter_turns)).await?;
    Ok(PageDto::from(&page))
}

/// Sets how assembly cleans page `id` (`auto`, `color`, `gray`, `bw`, or `original` to undo the cleanup).
#[tauri::command]
pub async fn set_page_cleanup(
    state: State<'_, DeskState>,
    id: i64,
    cleanup: motcua::store::PageCleanup,
) -> Result<PageDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let page = blocking(move || desk.set_page_cleanup(id, cleanup)).await?;
    Ok(PageDto::from(&page))
}

/// Removes a page.
#[tauri::command]
pub async fn delete_page(state: State<'_, DeskState>, id: i64) -> Result<(), ErrorEnvelope> {
    let desk = state.desk()?;
    blocking(move || desk.delete_page(id)).await
}

/// Re-scan: puts pages `newIds` in place of page `oldId` (same document, same place) and deletes it, in
/// one transaction with its audit entry; returns the documents whose page list changed (to assemble).
#[tauri::command]
pub async fn replace_page(
    state: State<'_, DeskState>,
    old_id: i64,
    new_ids: Vec<i64>,
) -> Result<Vec<String>, ErrorEnvelope> {
    let desk = state.desk()?;
    let actor = state.actor().to_owned();
    let done = blocking(move || desk.replace_page(old_id, &new_ids, &actor)).await?;
    Ok(done.changed_documents)
}

/// Assembles the PDF of every listed document (in the background), attaching each to the dossier.
#[tauri::command]
pub async fn assemble_documents(
    app: AppHandle,
    state: State<'_, DeskState>,
    work: State<'_, CounterWork>,
    code: String,
    doc_codes: Vec<String>,
) -> Result<Vec<AssembledDto>, ErrorEnvelope> {
    let desk = state.desk()?;
    let actor = state.actor().to_owned();
    let cancel = work.start();
    blocking(move || {
        let total = doc_codes.len();
        let mut done = Vec::with_capacity(total);
        for (index, doc_code) in doc_codes.iter().enumerate() {
            progress(&app, "assemble", index, total, doc_code);
            let assembled = desk.assemble_document(&code, doc_code, &actor, &cancel)?;
            done.push(AssembledDto {
                doc_code: assembled.doc_code,
                pages: assembled.pages,
                bytes: assembled.bytes,
            });
        }
        progress(&app, "assemble", total, total, "");
        Ok(done)
    })
    .await
}

/// Stops the running import, assembly or signing at its next page or document.
#[tauri::command]
pub fn counter_cancel(work: State<'_, CounterWork>) {
    work.cancel.store(true, Ordering::Relaxed);
}

/// The tokens in the readers of the PKCS#11 modules configured in `pkcs11.modules`.
#[tauri::command]
pub async fn counter_tokens(state: State<'_, DeskState>) -> Result<Vec<TokenDto>, ErrorEnvelope> {
    let desk = state.desk()?;
    let tokens = blocking(move || desk.pkcs11_tokens()).await?;
    Ok(tokens
        .into_iter()
        .map(|t| TokenDto {
            module: t.module.display().to_string(),
            label: t.token.label,
            manufacturer: t.token.manufacturer,
            model: t.token.model,
            serial_number: t.token.serial_number,
        })
        .collect())
}

/// Signs every assembled document of the dossier with one unlock of the key, the visible stamp where the
/// preview put it (`stamp`; the default place when absent).
#[tauri::command]
#[allow(clippy::too_many_arguments)] // a Tauri command's arguments are its wire fields
pub async fn sign_dossier(
    app: AppHandle,
    state: State<'_, DeskState>,
    work: State<'_, CounterWork>,
    code: String,
    key: SignKeyDto,
    secret: String,
    stamp: Option<StampDto>,
) -> Result<SignSummaryDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let actor = state.actor().to_owned();
    let cancel = work.start();
    let summary = blocking(move || {
        let key = key.into();
        let how = SignWith {
            key: &key,
            secret: &secret,
            stamp: stamp.map(StampPlacement::from).unwrap_or_default(),
        };
        desk.sign_dossier_with(&code, &how, &actor, &cancel, |done, total, doc| {
            progress(&app, "sign", done, total, doc)
        })
    })
    .await?;
    Ok(SignSummaryDto {
        signer: summary.signer,
        documents: summary.documents.into_iter().map(|(doc, _)| doc).collect(),
        dossier: DossierDto::from(&summary.dossier),
        timestamped: summary.timestamped,
        timestamp_error: summary.timestamp_error,
    })
}

/// Issues the Mẫu 01 receipt and returns the PDF's bytes (an ArrayBuffer in the UI) for the preview.
#[tauri::command]
pub async fn issue_receipt_pdf(
    state: State<'_, DeskState>,
    code: String,
) -> Result<tauri::ipc::Response, ErrorEnvelope> {
    let desk = state.desk()?;
    let actor = state.actor().to_owned();
    let (_, bytes) = blocking(move || desk.receipt_pdf(&code, &actor)).await?;
    Ok(tauri::ipc::Response::new(bytes))
}

/// "Nộp hồ sơ": puts the signed dossier in the outbox.
#[tauri::command]
pub async fn counter_submit(
    state: State<'_, DeskState>,
    code: String,
) -> Result<SubmittedDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let actor = state.actor().to_owned();
    let (job, dossier) = blocking(move || {
        let job = desk.submit(&code, &actor)?;
        let dossier = desk.dossier(&code)?;
        Ok((job, dossier))
    })
    .await?;
    Ok(SubmittedDto {
        job_id: job.id,
        dossier: DossierDto::from(&dossier),
    })
}
