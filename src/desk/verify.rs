//! `Desk` calls of the Xác minh screen: verify the PDFs a supervisor dropped or picked (folders
//! recursively, two worker threads like `motcua verify`), reporting each file as it finishes and
//! stopping early when cancelled; then save the Vietnamese HTML report of the run.
//!
//! The trust anchors are the settings' folder plus the imported certificates ([`Desk::trust_store`]).
//! Verification itself is `crate::verify::verify_file`; this file only feeds it and collects.

use super::{Desk, DeskError};
use crate::verify::{FileReport, VerifyOptions, report, verify_file};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How many files are verified at once (the counter PCs have two cores).
const WORKERS: usize = 2;

/// One input file's result: its report, or why it could not be read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyOutcome {
    /// Position in the run (input order, folders expanded).
    pub index: usize,
    pub path: String,
    pub report: Option<FileReport>,
    /// Set when the file could not be read at all.
    pub error: Option<String>,
}

/// The PDFs under `paths`: files as given, folders walked recursively for `*.pdf` (any case), sorted.
pub fn collect_pdfs(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(path: &Path, out: &mut Vec<PathBuf>) {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            entries.sort();
            for entry in entries {
                let is_pdf = entry
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
                if entry.is_dir() || is_pdf {
                    walk(&entry, out);
                }
            }
        } else {
            out.push(path.to_owned());
        }
    }
    let mut out = Vec::new();
    for path in paths {
        walk(path, &mut out);
    }
    out
}

impl Desk {
    /// Verifies `files` (already expanded by [`collect_pdfs`]) against the trust store, calling
    /// `on_done` as each file finishes (from a worker thread). Files not started when `cancel` becomes
    /// true are skipped. Returns the outcomes in input order.
    pub fn verify_files(
        &self,
        files: &[PathBuf],
        cancel: &AtomicBool,
        on_done: &(dyn Fn(&VerifyOutcome) + Sync),
    ) -> Result<Vec<VerifyOutcome>, DeskError> {
        let options = VerifyOptions {
            trust: self.trust_store()?,
        };
        let next = AtomicUsize::new(0);
        let results = Mutex::new(Vec::with_capacity(files.len()));
        std::thread::scope(|scope| {
            for _ in 0..WORKERS.min(files.len()) {
                scope.spawn(|| {
                    while !cancel.load(Ordering::Relaxed) {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(index) else { break };
                        let outcome = match verify_file(file, &options) {
                            Ok(report) => VerifyOutcome {
                                index,
                                path: file.display().to_string(),
                                report: Some(report),
                                error: None,
                            },
                            Err(e) => VerifyOutcome {
                                index,
                                path: file.display().to_string(),
                                report: None,
                                error: Some(e.to_string()),
                            },
                        };
                        on_done(&outcome);
                        results
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(outcome);
                    }
                });
            }
        });
        let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
        results.sort_by_key(|o| o.index);
        Ok(results)
    }

    /// Writes the Vietnamese HTML report of `reports` to `path` atomically: the verifier's one-page
    /// report per file, one file per printed page.
    pub fn save_verify_report(&self, reports: &[FileReport], path: &Path) -> Result<(), DeskError> {
        let generated = super::vietnam_now()
            .format("%d/%m/%Y %H:%M:%S (UTC+7)")
            .to_string();
        let html = combined_html(reports, &generated);
        crate::atomic::write_file_atomic(path, html.as_bytes()).map_err(|source| {
            DeskError::Setting(super::SettingError::Write {
                path: path.to_owned(),
                source,
            })
        })
    }
}

/// One HTML document holding each file's report: the head of the first, then every report's body
/// separated by page breaks.
pub fn combined_html(reports: &[FileReport], generated: &str) -> String {
    let pages: Vec<String> = reports.iter().map(|r| report::html(r, generated)).collect();
    let Some(first) = pages.first() else {
        return format!(
            "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Biên bản kiểm tra chữ ký số</title></head>\
             <body><p>Không có tệp nào được kiểm tra ({generated}).</p></body></html>\n"
        );
    };
    if pages.len() == 1 {
        return first.clone();
    }
    let body = |page: &str| -> String {
        let start = page.find("<body>").map(|i| i + "<body>".len()).unwrap_or(0);
        let end = page.rfind("</body>").unwrap_or(page.len());
        page.get(start..end).unwrap_or_default().to_owned()
    };
    let head_end = first.find("<body>").unwrap_or(0);
    let mut html = first.get(..head_end).unwrap_or_default().to_owned();
    html.push_str("<body>");
    for (i, page) in pages.iter().enumerate() {
        let style = if i + 1 < pages.len() {
            " style=\"page-break-after:always\""
        } else {
            ""
        };
        html.push_str(&format!("<section{style}>{}</section>", body(page)));
    }
    html.push_str("</body></html>\n");
    html
}
