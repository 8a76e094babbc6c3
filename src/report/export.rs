//! Exports of the period [`Report`]: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
//! Vietnamese headers correctly) and XLSX (`rust_xlsxwriter`): one row per procedure, a total row, then one
//! row per receiving clerk; the counts, then the rates (percent, one decimal; empty when undefined).
//! Both are written atomically.

use std::path::{Path, PathBuf};

use super::stats::{HEADERS, RATE_HEADERS, Report};

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    #[error("cannot build the CSV for {path}: {reason}")]
    Csv { path: PathBuf, reason: String },
    #[error("cannot build the XLSX workbook for {path}: {reason}")]
    Xlsx { path: PathBuf, reason: String },
    #[error("cannot write {path}: {source}; check free space and permissions of the folder")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn rate_cells(counts: &super::Counts) -> Vec<String> {
    counts
        .rates()
        .iter()
        .map(|r| r.map(|r| format!("{r:.1}")).unwrap_or_default())
        .collect()
}

fn figures(counts: &super::Counts) -> Vec<String> {
    let mut cells: Vec<String> = counts.values().iter().map(u64::to_string).collect();
    cells.extend(rate_cells(counts));
    cells
}

/// Procedure rows, the total, then one row per receiving clerk (first column "Cán bộ tiếp nhận").
fn rows(report: &Report) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for p in &report.by_procedure {
        let mut row = vec![p.code.clone(), p.name.clone()];
        row.extend(figures(&p.counts));
        rows.push(row);
    }
    let mut total = vec![String::new(), "Tổng cộng".to_owned()];
    total.extend(figures(&report.total));
    rows.push(total);
    for c in &report.by_clerk {
        let mut row = vec![CLERK_LABEL.to_owned(), c.clerk.clone()];
        row.extend(figures(&c.counts));
        rows.push(row);
    }
    rows
}

/// First cell of the per-clerk rows.
pub const CLERK_LABEL: &str = "Cán bộ tiếp nhận";

fn header() -> Vec<&'static str> {
    let mut header = vec!["Mã thủ tục", "Tên thủ tục"];
    header.extend(HEADERS);
    header.extend(RATE_HEADERS);
    header
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::atomic::write_file_atomic(path, bytes).map_err(|source| ExportError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Writes the report as CSV to `path`.
pub fn write_csv(report: &Report, path: &Path) -> Result<(), ExportError> {
    let error = |e: csv::Error| ExportError::Csv {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(header()).map_err(error)?;
    for row in rows(report) {
        writer.write_record(&row).map_err(error)?;
    }
    let bytes = writer.into_inner().map_err(|e| ExportError::Csv {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    write(path, &bytes)
}

/// Writes the report as an XLSX workbook to `path` (numbers as numbers).
pub fn write_xlsx(report: &Report, path: &Path) -> Result<(), ExportError> {
    let error = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx {
        path: path.to_owned(),
        reason: e.to_string(),
    };
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Báo cáo").map_err(error)?;
    let bold = rust_xlsxwriter::Format::new().set_bold().set_text_wrap();
    let title = format!(
        "Báo cáo tình hình giải quyết hồ sơ từ {} đến {}",
        report.from.format("%d/%m/%Y"),
        report.to.format("%d/%m/%Y")
    );
    sheet.write_string(0, 0, &title).map_err(error)?;
    for (col, text) in header().iter().enumerate() {
        sheet
            .write_string_with_format(2, col as u16, *text, &bold)
            .map_err(error)?;
    }
    for (r, row) in rows(report).iter().enumerate() {
        let r = 3 + r as u32;
        for (col, cell) in row.iter().enumerate() {
            match (col >= 2).then(|| cell.parse::<f64>().ok()).flatten() {
                Some(n) => sheet.write_number(r, col as u16, n),
                None => sheet.write_string(r, col as u16, cell),
            }
            .map_err(error)?;
        }
    }
    sheet.set_column_width(1, 40).map_err(error)?;
    let bytes = workbook.save_to_buffer().map_err(error)?;
    write(path, &bytes)
}
