//! `Desk` calls of the counter screens (issue 9): fill the applicant from a CCCD picture, capture pages into
//! the required documents, assemble each document's PDF, and the receipt file (signing the whole dossier
//! with one unlock of the key is in `signing.rs`). Long calls take a progress callback and a cancel flag; the shell runs them off the
//! UI thread and turns the callbacks into events.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Desk, DeskError};
use crate::capture::cleanup::ModeChoice;
use crate::capture::scan::{ScanDevice, ScanRequest};
use crate::capture::{ImportOptions, ScanSource, Scanimage};
use crate::counter::pages::{assembly_input, expand_folders, split_file};
use crate::counter::{CccdData, CounterError, read_cccd_image};
use crate::dossier::{Dossier, Status};
use crate::pdf::{AssembleOptions, BlankPolicy, DocumentInfo, assemble_parts};
use crate::store::PageCleanup;
use crate::store::{CaptureDocument, CapturePage, StoreError};

/// What an import into a document did: the pages added, in order, and the files that failed (with why).
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub pages: Vec<CapturePage>,
    pub failures: Vec<(PathBuf, String)>,
}

/// One assembled document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssembledDocument {
    pub doc_code: String,
    pub sha256: String,
    pub pages: usize,
    pub bytes: u64,
}

/// The assembly options of pages the clerk set to `choice`.
fn options_for_page(document: &AssembleOptions, choice: PageCleanup) -> AssembleOptions {
    let mut options = document.clone();
    match choice {
        PageCleanup::Auto => {}
        PageCleanup::Color => options.cleanup.mode = ModeChoice::Colour,
        PageCleanup::Gray => options.cleanup.mode = ModeChoice::Grey,
        PageCleanup::Bw => options.cleanup.mode = ModeChoice::BlackWhite,
        PageCleanup::Original => options.clean = false,
    }
    options
}

pub(super) fn scratch_dir(desk: &Desk) -> Result<tempfile::TempDir, CounterError> {
    let base = desk.data_dir().join("tmp");
    std::fs::create_dir_all(&base)
        .and_then(|()| tempfile::tempdir_in(&base))
        .map_err(|source| CounterError::Scratch { path: base, source })
}

pub(super) fn check_cancel(cancel: &AtomicBool) -> Result<(), CounterError> {
    if cancel.load(Ordering::Relaxed) {
        Err(CounterError::Cancelled)
    } else {
        Ok(())
    }
}

impl Desk {
    /// Reads the applicant's card data from the QR code in the picture at `path`.
    pub fn read_cccd(&self, path: &Path) -> Result<CccdData, DeskError> {
        Ok(read_cccd_image(path).map_err(CounterError::from)?)
    }

    pub(super) fn document_exists(
        &self,
        dossier: &Dossier,
        doc_code: &str,
    ) -> Result<(), DeskError> {
        if dossier.documents.iter().any(|d| d.code == doc_code) {
            Ok(())
        } else {
            Err(CounterError::UnknownDocument {
                dossier: dossier.code.clone(),
                document: doc_code.to_owned(),
            }
            .into())
        }
    }

    /// Imports `paths` (images, multi-page TIFFs, PDFs, or folders of them: see [`expand_folders`]) at the
    /// end of document `doc_code`; `on_page` sees each page as soon as it is stored (thumbnail included).
    /// A file that fails is reported and skipped.
    pub fn import_pages(
        &self,
        code: &str,
        doc_code: &str,
        paths: &[PathBuf],
        cancel: &AtomicBool,
        mut on_page: impl FnMut(&CapturePage),
    ) -> Result<ImportOutcome, DeskError> {
        let dossier = self.dossier(code)?;
        self.document_exists(&dossier, doc_code)?;
        let options = ImportOptions::default();
        let (files, failures) = expand_folders(paths);
        let mut outcome = ImportOutcome {
            failures,
            ..ImportOutcome::default()
        };
        for path in &files {
            check_cancel(cancel)?;
            let pieces = match split_file(path, &options) {
                Ok(pieces) => pieces,
                Err(e) => {
                    outcome.failures.push((path.clone(), e.to_string()));
                    continue;
                }
            };
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for piece in pieces {
                let page = self.with_store(|s| -> Result<CapturePage, StoreError> {
                    let blob = s.put_blob(&piece.bytes, piece.media_type)?;
                    let thumb = match &piece.thumbnail {
                        Some(t) => Some(s.put_blob(t, "image/jpeg")?),
                        None => None,
                    };
                    let id = s.add_capture_page(
                        &dossier.code,
                        doc_code,
                        &blob,
                        piece.page_in_blob,
                        thumb.as_deref(),
                        &name,
                    )?;
                    s.capture_page(id)
                })?;
                on_page(&page);
                outcome.pages.push(page);
            }
        }
        Ok(outcome)
    }

    /// The scanners SANE can see (through `scanimage -L`).
    pub fn scan_devices(&self) -> Result<Vec<ScanDevice>, DeskError> {
        Ok(Scanimage::list_devices(Path::new("scanimage")).map_err(CounterError::from)?)
    }

    /// The device's document-feeder source name (`ADF`, `Automatic Document Feeder`…), if it has one.
    pub fn feeder_source(&self, device: &str) -> Option<String> {
        Scanimage::new(device)
            .source_names()
            .into_iter()
            .find(|name| {
                let name = name.to_lowercase();
                name.contains("adf") || name.contains("feeder")
            })
    }

    /// Scans with SANE device `device` into document `doc_code`: each page is stored (and `on_page` called)
    /// as soon as the scanner finishes it. If the scanner stops (jam, empty feeder on a later sheet), the
    /// pages already stored stay and the error says how many there were.
    pub fn scan_pages(
        &self,
        code: &str,
        doc_code: &str,
        device: &str,
        request: &ScanRequest,
        cancel: &AtomicBool,
        mut on_page: impl FnMut(&CapturePage),
    ) -> Result<ImportOutcome, DeskError> {
        let dossier = self.dossier(code)?;
        self.document_exists(&dossier, doc_code)?;
        let scratch = scratch_dir(self)?;
        let mut outcome = ImportOutcome::default();
        let mut stored_error = None;
        let scanned = Scanimage::new(device).scan(request, scratch.path(), &mut |page| {
            if stored_error.is_some() || cancel.load(Ordering::Relaxed) {
                return;
            }
            match self.import_pages(
                &dossier.code,
                doc_code,
                &[page.to_owned()],
                cancel,
                &mut on_page,
            ) {
                Ok(done) => {
                    outcome.pages.extend(done.pages);
                    outcome.failures.extend(done.failures);
                }
                Err(e) => stored_error = Some(e),
            }
        });
        if let Some(error) = stored_error {
            return Err(error);
        }
        scanned.map_err(CounterError::from)?;
        check_cancel(cancel)?;
        Ok(outcome)
    }

    /// The captured pages of dossier `code`, by document and position.
    pub fn capture_pages(&self, code: &str) -> Result<Vec<CapturePage>, DeskError> {
        let dossier = self.dossier(code)?;
        Ok(self.with_store(|s| s.capture_pages(&dossier.code))?)
    }

    /// The assembled and signed PDFs recorded for the documents of dossier `code`.
    pub fn capture_documents(&self, code: &str) -> Result<Vec<CaptureDocument>, DeskError> {
        let dossier = self.dossier(code)?;
        Ok(self.with_store(|s| s.capture_documents(&dossier.code))?)
    }

    /// The thumbnail (JPEG) of a page, or `None` for PDF pages.
    pub fn page_thumbnail(&self, id: i64) -> Result<Option<Vec<u8>>, DeskError> {
        Ok(self.with_store(|s| -> Result<_, StoreError> {
            match s.capture_page(id)?.thumb_sha256 {
                Some(sha) => Ok(Some(s.read_blob(&sha)?)),
                None => Ok(None),
            }
        })?)
    }

    /// Makes `ids` the pages of document `doc_code`, in this order (moving pages between documents).
    pub fn arrange_pages(&self, code: &str, doc_code: &str, ids: &[i64]) -> Result<(), DeskError> {
        let dossier = self.dossier(code)?;
        self.document_exists(&dossier, doc_code)?;
        Ok(self.with_store(|s| s.arrange_capture_pages(&dossier.code, doc_code, ids))?)
    }

    /// Turns a page clockwise by `quarter_turns` × 90°.
    pub fn rotate_page(&self, id: i64, quarter_turns: i32) -> Result<CapturePage, DeskError> {
        Ok(self.with_store(|s| s.rotate_capture_page(id, quarter_turns))?)
    }

    /// Sets how assembly cleans page `id`: detected or forced colour mode, or `Original` to undo the
    /// cleanup (the page as scanned). The stored original is never changed; assemble again to apply.
    pub fn set_page_cleanup(
        &self,
        id: i64,
        cleanup: PageCleanup,
    ) -> Result<CapturePage, DeskError> {
        Ok(self.with_store(|s| s.set_capture_page_cleanup(id, cleanup))?)
    }

    /// Removes a page from its document.
    pub fn delete_page(&self, id: i64) -> Result<(), DeskError> {
        Ok(self.with_store(|s| s.delete_capture_page(id))?)
    }

    /// Assembles document `doc_code` from its pages (cleaned, no page dropped), stores the PDF, attaches it
    /// to the dossier, and sends a signed or ready dossier back to draft (its signatures no longer cover it).
    pub fn assemble_document(
        &self,
        code: &str,
        doc_code: &str,
        actor: &str,
        cancel: &AtomicBool,
    ) -> Result<AssembledDocument, DeskError> {
        let dossier = self.dossier(code)?;
        self.document_exists(&dossier, doc_code)?;
        let pages: Vec<CapturePage> = self
            .capture_pages(&dossier.code)?
            .into_iter()
            .filter(|p| p.doc_code == doc_code)
            .collect();
        if pages.is_empty() {
            return Err(CounterError::NoPages {
                dossier: dossier.code.clone(),
                document: doc_code.to_owned(),
            }
            .into());
        }
        let scratch = scratch_dir(self)?;
        let mut inputs = Vec::with_capacity(pages.len());
        for (index, page) in pages.iter().enumerate() {
            check_cancel(cancel)?;
            let blob = self.with_store(|s| s.blobs().path_of(&page.blob_sha256));
            inputs.push(
                assembly_input(
                    &blob,
                    &page.media_type,
                    page.page_in_blob,
                    page.rotation,
                    scratch.path(),
                    index,
                )
                .map_err(CounterError::from)?,
            );
        }
        check_cancel(cancel)?;
        let name = dossier
            .documents
            .iter()
            .find(|d| d.code == doc_code)
            .map(|d| d.name.clone())
            .unwrap_or_default();
        let options = AssembleOptions {
            blank_policy: BlankPolicy::Keep,
            info: DocumentInfo::titled(format!("{} – {name}", dossier.code)),
            ..AssembleOptions::default()
        };
        // Consecutive pages with the same cleanup choice go through assembly together (in parallel).
        let mut parts: Vec<(PageCleanup, Vec<std::path::PathBuf>)> = Vec::new();
        for (page, input) in pages.iter().zip(inputs) {
            match parts.last_mut() {
                Some((choice, group)) if *choice == page.cleanup => group.push(input),
                _ => parts.push((page.cleanup, vec![input])),
            }
        }
        let parts: Vec<_> = parts
            .into_iter()
            .map(|(choice, group)| (group, options_for_page(&options, choice)))
            .collect();
        let out = scratch.path().join("document.pdf");
        let report =
            assemble_parts(&parts, &options, &out).map_err(|source| CounterError::Assemble {
                document: doc_code.to_owned(),
                source,
            })?;
        let bytes = std::fs::read(&out).map_err(|source| CounterError::Scratch {
            path: out.clone(),
            source,
        })?;
        let sha256 = self.with_store(|s| -> Result<String, StoreError> {
            let sha = s.put_blob(&bytes, "application/pdf")?;
            s.set_assembled_pdf(&dossier.code, doc_code, &sha)?;
            Ok(sha)
        })?;
        self.attach_document_pdf(&dossier.code, doc_code, &sha256, actor)?;
        let current = self.dossier(&dossier.code)?.status;
        if matches!(current, Status::Ready | Status::Signed) {
            self.set_dossier_status(&dossier.code, Status::Draft, actor)?;
        }
        Ok(AssembledDocument {
            doc_code: doc_code.to_owned(),
            sha256,
            pages: report.pages_written,
            bytes: report.output_bytes,
        })
    }

    /// Writes the Mẫu 01 receipt of dossier `code` into `receipts/` of the data folder, records it, and
    /// returns the file and its bytes (for the in-app preview).
    pub fn receipt_pdf(&self, code: &str, actor: &str) -> Result<(PathBuf, Vec<u8>), DeskError> {
        let dossier = self.dossier(code)?;
        let dir = self.data_dir().join("receipts");
        std::fs::create_dir_all(&dir).map_err(|source| CounterError::Scratch {
            path: dir.clone(),
            source,
        })?;
        let out = dir.join(format!("{}-mau01.pdf", dossier.code));
        self.issue_receipt(&dossier.code, 2, &out, actor)?;
        let bytes = std::fs::read(&out).map_err(|source| CounterError::Scratch {
            path: out.clone(),
            source,
        })?;
        Ok((out, bytes))
    }
}
