//! The CSV catalogue format: one row per required document.
//!
//! The first row is the header. Headers are matched case- and accent-insensitively, in English
//! or Vietnamese (see [`COLUMNS`]); unknown headers are an error so that a misspelt column is
//! never silently dropped. The delimiter is the one of `,` `;` tab that occurs most in the
//! header line (Excel in a Vietnamese locale saves with `;`).
//!
//! The procedure columns (code, name, level, field, processing time, fees, sample) are filled
//! on the first row of a procedure. Following rows of the same procedure leave the code empty
//! or repeat it, and leave each other procedure column empty or say the same thing as the first
//! row. A procedure without documents is one row with the document columns empty. A code that
//! comes back after another procedure is a duplicate. The writer fills procedure columns on the
//! first row only.

use super::error::{CatalogError, Column, Invalid, Location};
use super::{Fee, Level, Procedure, RequiredDocument, text};
use crate::calendar::ProcessingTime;
use std::collections::HashMap;
use std::path::Path;

/// The columns a catalogue CSV may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Code,
    Name,
    Level,
    Field,
    Time,
    Fees,
    Sample,
    DocCode,
    DocName,
    Originals,
    Certified,
    Photocopies,
    Mandatory,
}

/// Each column: English name, the Vietnamese header the writer uses, and every accepted header
/// after folding (no accents, lower case, punctuation as spaces).
const COLUMNS: &[(Col, &str, &str, &[&str])] = &[
    (
        Col::Code,
        "code",
        "Mã thủ tục",
        &["ma thu tuc", "ma tthc", "code", "procedure code"],
    ),
    (
        Col::Name,
        "name",
        "Tên thủ tục",
        &["ten thu tuc", "ten tthc", "name", "procedure name"],
    ),
    (
        Col::Level,
        "level",
        "Cấp thực hiện",
        &["cap thuc hien", "cap", "level"],
    ),
    (Col::Field, "field", "Lĩnh vực", &["linh vuc", "field"]),
    (
        Col::Time,
        "processing time",
        "Thời hạn giải quyết",
        &[
            "thoi han giai quyet",
            "thoi gian giai quyet",
            "processing time",
        ],
    ),
    (
        Col::Fees,
        "fees",
        "Lệ phí",
        &["le phi", "phi le phi", "phi", "fees", "fee"],
    ),
    (
        Col::Sample,
        "sample",
        "Dữ liệu mẫu",
        &["du lieu mau", "sample"],
    ),
    (
        Col::DocCode,
        "document code",
        "Mã thành phần",
        &[
            "ma thanh phan",
            "ma thanh phan ho so",
            "ma giay to",
            "document code",
        ],
    ),
    (
        Col::DocName,
        "document",
        "Thành phần hồ sơ",
        &[
            "thanh phan ho so",
            "ten thanh phan",
            "ten giay to",
            "document",
            "document name",
        ],
    ),
    (
        Col::Originals,
        "originals",
        "Bản chính",
        &["ban chinh", "originals"],
    ),
    (
        Col::Certified,
        "certified copies",
        "Bản sao chứng thực",
        &["ban sao chung thuc", "ban sao", "certified copies"],
    ),
    (
        Col::Photocopies,
        "photocopies",
        "Bản photo",
        &["ban photo", "ban chup", "photocopies"],
    ),
    (
        Col::Mandatory,
        "mandatory",
        "Bắt buộc",
        &["bat buoc", "mandatory"],
    ),
];

const REQUIRED: [Col; 5] = [Col::Code, Col::Name, Col::Level, Col::Field, Col::Time];
const PROCEDURE_COLUMNS: [Col; 7] = [
    Col::Code,
    Col::Name,
    Col::Level,
    Col::Field,
    Col::Time,
    Col::Fees,
    Col::Sample,
];

/// The procedure part of a row, parsed.
#[derive(PartialEq)]
struct Head {
    code: String,
    name: String,
    level: Level,
    field: String,
    processing_time: ProcessingTime,
    fees: Vec<Fee>,
    sample: bool,
}

/// One record with the header map, for reading cells by column.
struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<Col, (usize, String)>,
    line: usize,
}

impl Row<'_> {
    fn cell(&self, col: Col) -> &str {
        self.columns
            .get(&col)
            .and_then(|(index, _)| self.record.get(*index))
            .map_or("", str::trim)
    }

    fn has(&self, col: Col) -> bool {
        self.columns.contains_key(&col)
    }

    fn at(&self, col: Col) -> Location {
        let (index, header) = self.columns.get(&col).cloned().unwrap_or_default();
        Location {
            line: self.line,
            column: Column::Field {
                index: index + 1,
                header,
            },
        }
    }

    fn read<T>(
        &self,
        col: Col,
        path: &Path,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Result<T, CatalogError> {
        parse(self.cell(col)).map_err(|invalid| invalid.at(path, self.at(col)))
    }

    fn head(&self, path: &Path) -> Result<Head, CatalogError> {
        Ok(Head {
            code: self.read(Col::Code, path, text::procedure_code)?,
            name: self.read(Col::Name, path, |t| text::required(t, "procedure name"))?,
            level: self.read(Col::Level, path, text::level)?,
            field: self.read(Col::Field, path, |t| text::required(t, "field (lĩnh vực)"))?,
            processing_time: self.read(Col::Time, path, text::processing_time)?,
            fees: self.read(Col::Fees, path, text::fees)?,
            sample: self.read(Col::Sample, path, |t| text::flag(t, "sample", false))?,
        })
    }

    /// The required document on this row, if the row names one.
    fn document(
        &self,
        path: &Path,
        position: usize,
    ) -> Result<Option<RequiredDocument>, CatalogError> {
        let name = self.cell(Col::DocName);
        let counts = [
            Col::DocCode,
            Col::Originals,
            Col::Certified,
            Col::Photocopies,
            Col::Mandatory,
        ];
        if name.is_empty() {
            return match counts.into_iter().find(|col| !self.cell(*col).is_empty()) {
                Some(_) => Err(Invalid::Empty("document name").at(path, self.at(Col::DocName))),
                None => Ok(None),
            };
        }
        let code = match self.cell(Col::DocCode) {
            "" => format!("TP{position}"),
            code => text::clean(code),
        };
        // Without a "mandatory" column every document is mandatory; with one, an empty cell
        // means "not mandatory", as a spreadsheet user marking mandatory rows with x expects.
        let mandatory_if_empty = !self.has(Col::Mandatory);
        Ok(Some(RequiredDocument {
            code,
            name: text::clean(name),
            originals: self.read(Col::Originals, path, |t| text::count(t, "originals"))?,
            certified_copies: self
                .read(Col::Certified, path, |t| text::count(t, "certified copies"))?,
            photocopies: self.read(Col::Photocopies, path, |t| text::count(t, "photocopies"))?,
            mandatory: self.read(Col::Mandatory, path, |t| {
                text::flag(t, "mandatory", mandatory_if_empty)
            })?,
        }))
    }
}

/// A procedure being assembled from its rows.
struct Open {
    head: Head,
    first_line: usize,
    documents: Vec<RequiredDocument>,
}

impl Open {
    fn close(self) -> Procedure {
        let Head {
            code,
            name,
            level,
            field,
            processing_time,
            fees,
            sample,
        } = self.head;
        Procedure {
            code,
            name,
            level,
            field,
            processing_time,
            documents: self.documents,
            fees,
            sample,
        }
    }
}

/// Parses a CSV catalogue. `source` names the file in error messages; a leading byte-order
/// mark is ignored.
pub fn parse_csv(text: &str, source: &Path) -> Result<Vec<Procedure>, CatalogError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(record) => record.map_err(|e| csv_error(e, source))?,
        None => return Ok(Vec::new()),
    };
    let header_line = line_of(&header);
    let columns = columns(&header, header_line, source)?;

    let mut procedures = Vec::new();
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    let mut open: Option<Open> = None;
    for record in records {
        let record = record.map_err(|e| csv_error(e, source))?;
        let row = Row {
            record: &record,
            columns: &columns,
            line: line_of(&record),
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let code_cell = row.cell(Col::Code);
        let continues = match &open {
            Some(current)
                if code_cell.is_empty()
                    || text::procedure_code(code_cell).ok().as_ref()
                        == Some(&current.head.code) =>
            {
                check_repeat(&row, current, source)?;
                true
            }
            _ => false,
        };
        if !continues {
            if code_cell.is_empty() {
                return Err(Invalid::Empty("procedure code").at(source, row.at(Col::Code)));
            }
            let head = row.head(source)?;
            if let Some(first_line) = first_line_of.get(&head.code) {
                return Err(CatalogError::DuplicateCode {
                    path: source.to_owned(),
                    at: row.at(Col::Code),
                    code: head.code,
                    first_line: *first_line,
                });
            }
            first_line_of.insert(head.code.clone(), row.line);
            let next = Open {
                head,
                first_line: row.line,
                documents: Vec::new(),
            };
            procedures.extend(open.replace(next).map(Open::close));
        }
        if let Some(current) = open.as_mut()
            && let Some(document) = row.document(source, current.documents.len() + 1)?
        {
            if current.documents.iter().any(|d| d.code == document.code) {
                return Err(CatalogError::DuplicateDocument {
                    path: source.to_owned(),
                    at: row.at(if row.has(Col::DocCode) {
                        Col::DocCode
                    } else {
                        Col::DocName
                    }),
                    procedure: current.head.code.clone(),
                    document: document.code,
                });
            }
            current.documents.push(document);
        }
    }
    procedures.extend(open.map(Open::close));
    Ok(procedures)
}

/// On a continuation row: every non-empty procedure cell must mean what the first row said.
fn check_repeat(row: &Row<'_>, current: &Open, source: &Path) -> Result<(), CatalogError> {
    let head = &current.head;
    for col in PROCEDURE_COLUMNS {
        if row.cell(col).is_empty() {
            continue;
        }
        let same = match col {
            Col::Name => {
                row.read(col, source, |t| text::required(t, "procedure name"))? == head.name
            }
            Col::Level => row.read(col, source, text::level)? == head.level,
            Col::Field => row.read(col, source, |t| text::required(t, "field"))? == head.field,
            Col::Time => row.read(col, source, text::processing_time)? == head.processing_time,
            Col::Fees => row.read(col, source, text::fees)? == head.fees,
            Col::Sample => {
                row.read(col, source, |t| text::flag(t, "sample", false))? == head.sample
            }
            _ => true,
        };
        if !same {
            return Err(inconsistent(row, col, current, source));
        }
    }
    Ok(())
}

fn inconsistent(row: &Row<'_>, col: Col, current: &Open, source: &Path) -> CatalogError {
    CatalogError::Inconsistent {
        path: source.to_owned(),
        at: row.at(col),
        code: current.head.code.clone(),
        field: english_name(col),
        first_line: current.first_line,
    }
}

fn english_name(col: Col) -> &'static str {
    COLUMNS
        .iter()
        .find(|(c, ..)| *c == col)
        .map_or("column", |(_, english, ..)| english)
}

/// Maps header cells to columns; unknown, repeated and missing required columns are errors.
fn columns(
    header: &csv::StringRecord,
    line: usize,
    source: &Path,
) -> Result<HashMap<Col, (usize, String)>, CatalogError> {
    let mut columns = HashMap::new();
    for (index, cell) in header.iter().enumerate() {
        let folded = text::fold(cell);
        if folded.is_empty() {
            continue;
        }
        let col = COLUMNS
            .iter()
            .find(|(_, _, _, accepted)| accepted.contains(&folded.as_str()));
        let Some((col, ..)) = col else {
            return Err(CatalogError::UnknownColumn {
                path: source.to_owned(),
                line,
                index: index + 1,
                header: cell.trim().to_owned(),
            });
        };
        if columns
            .insert(*col, (index, cell.trim().to_owned()))
            .is_some()
        {
            return Err(CatalogError::DuplicateColumn {
                path: source.to_owned(),
                line,
                index: index + 1,
                header: cell.trim().to_owned(),
            });
        }
    }
    let document_columns = [
        Col::DocCode,
        Col::Originals,
        Col::Certified,
        Col::Photocopies,
        Col::Mandatory,
    ];
    let needs_document_name = document_columns.iter().any(|col| columns.contains_key(col));
    let required = REQUIRED
        .iter()
        .chain(needs_document_name.then_some(&Col::DocName));
    for &col in required {
        if !columns.contains_key(&col) {
            let (_, english, vietnamese, _) = COLUMNS
                .iter()
                .find(|(c, ..)| *c == col)
                .copied()
                .unwrap_or((col, "column", "", &[]));
            return Err(CatalogError::MissingColumn {
                path: source.to_owned(),
                line,
                column: english,
                vietnamese,
            });
        }
    }
    Ok(columns)
}

/// The delimiter among `,` `;` and tab that occurs most in the first line (`,` on a tie).
fn delimiter(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    let count = |c: char| first_line.matches(c).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (count(d as char), d == b','))
        .unwrap_or(b',')
}

fn line_of(record: &csv::StringRecord) -> usize {
    record
        .position()
        .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX))
}

fn csv_error(error: csv::Error, source: &Path) -> CatalogError {
    let line = error
        .position()
        .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!(
                "this row has {len} cells but the header has {expected_len}; check for a missing or extra delimiter or an unclosed quote"
            )
        }
        _ => error.to_string(),
    };
    CatalogError::Csv {
        path: source.to_owned(),
        line,
        message,
    }
}

/// Writes procedures as a CSV catalogue with Vietnamese headers, procedure columns on the
/// first row of each procedure only. [`parse_csv`] reads it back to equal values.
pub fn to_csv(procedures: &[Procedure]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = COLUMNS
        .iter()
        .map(|(_, _, vietnamese, _)| *vietnamese)
        .collect();
    let mut rows = vec![header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
    for procedure in procedures {
        let head = [
            procedure.code.clone(),
            procedure.name.clone(),
            text::level_text(procedure.level).to_owned(),
            procedure.field.clone(),
            text::processing_time_text(procedure.processing_time),
            text::fees_text(&procedure.fees),
            if procedure.sample { "Có" } else { "Không" }.to_owned(),
        ];
        let documents: Vec<Vec<String>> = procedure
            .documents
            .iter()
            .map(|d| {
                vec![
                    d.code.clone(),
                    d.name.clone(),
                    d.originals.to_string(),
                    d.certified_copies.to_string(),
                    d.photocopies.to_string(),
                    if d.mandatory { "Có" } else { "Không" }.to_owned(),
                ]
            })
            .collect();
        if documents.is_empty() {
            rows.push(
                head.iter()
                    .cloned()
                    .chain(std::iter::repeat_n(String::new(), 6))
                    .collect(),
            );
        }
        for (index, document) in documents.into_iter().enumerate() {
            let procedure_cells: Vec<String> = if index == 0 {
                head.to_vec()
            } else {
                vec![String::new(); head.len()]
            };
            rows.push(procedure_cells.into_iter().chain(document).collect());
        }
    }
    for row in rows {
        // Writing to a Vec<u8> cannot fail.
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
