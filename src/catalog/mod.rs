//! The procedure catalogue: which administrative procedures (thủ tục hành chính) a counter
//! receives, and for each one its code, level, field (lĩnh vực), statutory processing time,
//! required documents and fees. The reception screen, the receipt (Mẫu 01: document counts,
//! processing time) and the due-date calculation all read from it.
//!
//! Catalogues are imported from JSON ([`parse_json`]) or CSV ([`parse_csv`]); [`load_file`]
//! picks the format from the extension or the content. Both formats accept the same spellings
//! of levels, processing times and flags (module `text`), so a spreadsheet kept in Vietnamese
//! imports as well as a machine-written JSON file. Every error names the file, the line and
//! the column. The formats are described for administrators in `docs/catalog-format.md`.
//!
//! CSV layout: one row per required document; the procedure columns are filled on the first
//! row of each procedure and are either left empty or repeated unchanged on its other rows
//! (see `csv_io`).
//!
//! Persistence is the store's job. [`plan_import`] states the rule a re-import follows:
//! procedures are added or updated by code and never deleted, so a procedure that dossiers
//! refer to always stays.

mod csv_io;
mod error;
mod json_io;
mod text;

pub use csv_io::{parse_csv, to_csv};
pub use error::{CatalogError, Column, Location};
pub use json_io::{parse_json, to_json};
pub use text::{DEFAULT_SAME_DAY_CUTOFF, fold, is_valid_code};

use crate::calendar::ProcessingTime;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// An administrative procedure as the counter receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    /// National code (`1.001193`) or a local extension of it (`1.001193.000.00.00.H56`),
    /// validated by [`is_valid_code`], letters upper case.
    pub code: String,
    /// Vietnamese name, NFC-normalised, white space collapsed.
    pub name: String,
    /// Which level of government carries it out.
    pub level: Level,
    /// The field (lĩnh vực), e.g. "Hộ tịch".
    pub field: String,
    /// Statutory processing time, counted by the working-day calendar.
    pub processing_time: ProcessingTime,
    /// Documents the applicant hands in, in receipt order.
    pub documents: Vec<RequiredDocument>,
    /// Fees and charges (phí, lệ phí); empty when free.
    pub fees: Vec<Fee>,
    /// True for the shipped sample catalogue, whose details must be checked before use.
    pub sample: bool,
}

/// The level of government that carries a procedure out (cấp thực hiện).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Tỉnh / thành phố trực thuộc trung ương.
    Province,
    /// Huyện / quận / thị xã.
    District,
    /// Xã / phường / thị trấn.
    Commune,
}

/// One entry of "thành phần hồ sơ": a document and how many copies of each kind the applicant
/// brings (the receipt, Mẫu 01 of Circular 01/2018/TT-VPCP, prints these counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredDocument {
    /// Stable within the procedure (e.g. "TP1"); dossiers refer to documents by it.
    pub code: String,
    pub name: String,
    /// Originals (bản chính).
    pub originals: u32,
    /// Certified copies (bản sao chứng thực).
    pub certified_copies: u32,
    /// Photocopies (bản photo / bản chụp).
    pub photocopies: u32,
    /// False for documents needed only in some cases.
    pub mandatory: bool,
}

/// A fee or charge, in whole đồng.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    pub name: String,
    pub amount_vnd: u64,
}

/// Reads a catalogue file: JSON for `.json`, CSV for `.csv`/`.tsv`/`.txt`, otherwise JSON when
/// the text starts with `[` or `{` and CSV when not. The file must be UTF-8; a byte-order mark is
/// allowed.
pub fn load_file(path: &Path) -> Result<Vec<Procedure>, CatalogError> {
    let bytes = std::fs::read(path).map_err(|source| CatalogError::Read {
        path: path.to_owned(),
        source,
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|error| {
        let before = bytes.get(..error.valid_up_to()).unwrap_or(&[]);
        CatalogError::NotUtf8 {
            path: path.to_owned(),
            line: before.iter().filter(|b| **b == b'\n').count() + 1,
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("json") => parse_json(text, path),
        Some("csv" | "tsv" | "txt") => parse_csv(text, path),
        _ => match text.trim_start().chars().next() {
            Some('[' | '{') => parse_json(text, path),
            Some(_) => parse_csv(text, path),
            None => Err(CatalogError::UnknownFormat {
                path: path.to_owned(),
            }),
        },
    }
}

/// Finds procedures by code prefix or by name, ignoring case and Vietnamese accents
/// ("dang ky khai sinh" finds "Đăng ký khai sinh", "KẾT HÔN" finds "Đăng ký kết hôn").
///
/// Order: code-prefix matches, then names containing the query as a phrase, then names
/// containing every word of the query; catalogue order within each group. An empty query
/// returns every procedure.
pub fn search<'a>(procs: &'a [Procedure], query: &str) -> Vec<&'a Procedure> {
    let query_code = query.trim().to_ascii_uppercase();
    let folded_query = fold(query);
    if folded_query.is_empty() {
        return procs.iter().collect();
    }
    let words: Vec<&str> = folded_query.split(' ').collect();
    let rank = |procedure: &Procedure| -> Option<u8> {
        if procedure.code.starts_with(&query_code) {
            return Some(0);
        }
        let name = format!(" {} ", fold(&procedure.name));
        if name.contains(&format!(" {folded_query} ")) {
            Some(1)
        } else if words.iter().all(|w| name.contains(&format!(" {w} "))) {
            Some(2)
        } else {
            None
        }
    };
    let mut ranked: Vec<(u8, &Procedure)> = procs
        .iter()
        .filter_map(|p| rank(p).map(|r| (r, p)))
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked.into_iter().map(|(_, p)| p).collect()
}

/// What a re-import does to the catalogue already stored: procedures are matched by code.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportPlan {
    /// Codes not yet in the catalogue.
    pub added: Vec<Procedure>,
    /// Codes already present whose content changed; the new content replaces the old.
    pub updated: Vec<Procedure>,
    /// Codes present with identical content.
    pub unchanged: Vec<String>,
    /// Codes in the catalogue but not in the import: kept as they are, never deleted, because
    /// dossiers may refer to them.
    pub kept: Vec<String>,
}

/// Plans a re-import of `incoming` over `existing` (see [`ImportPlan`]). Nothing is ever
/// deleted; the store applies `added` and `updated` in one transaction.
pub fn plan_import(existing: &[Procedure], incoming: Vec<Procedure>) -> ImportPlan {
    let mut plan = ImportPlan::default();
    for procedure in incoming {
        match existing.iter().find(|old| old.code == procedure.code) {
            None => plan.added.push(procedure),
            Some(old) if *old == procedure => plan.unchanged.push(procedure.code),
            Some(_) => plan.updated.push(procedure),
        }
    }
    let seen = |code: &str| {
        plan.added
            .iter()
            .chain(&plan.updated)
            .any(|p| p.code == code)
            || plan.unchanged.iter().any(|c| c == code)
    };
    plan.kept = existing
        .iter()
        .filter(|old| !seen(&old.code))
        .map(|old| old.code.clone())
        .collect();
    plan
}

/// The national part of a procedure code: `1.001193.000.00.00.H56` → `1.001193` (the MaTTHC
/// the national portal knows).
pub fn national_code(code: &str) -> &str {
    let mut dots = code.match_indices('.').map(|(at, _)| at);
    match dots.nth(1) {
        Some(second_dot) => &code[..second_dot],
        None => code,
    }
}
