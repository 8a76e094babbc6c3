//! Errors of the procedure catalogue. Every variant names the file it came from and, when the
//! problem is inside the file, where (line and column), so that a clerk or administrator can open
//! the file, go to the spot and fix it. Messages end with what to do next.

use std::fmt;
use std::path::PathBuf;

/// Where in a catalogue file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number in the file.
    pub line: usize,
    /// The column: a character position (JSON) or a named CSV column.
    pub column: Column,
}

/// The column part of a [`Location`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// Column as `serde_json` reports it (bytes from the start of the line): for a syntax
    /// error the offending character, for a bad value the end of that value.
    Char(usize),
    /// A CSV column: 1-based index and the header exactly as written in the file.
    Field { index: usize, header: String },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Column::Char(column) => write!(f, "line {}, column {}", self.line, column),
            Column::Field { index, header } => {
                write!(f, "line {}, column {} \"{}\"", self.line, index, header)
            }
        }
    }
}

/// Everything that can go wrong while reading a catalogue file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    #[error("cannot read catalogue file {path}: {source}; check the path and permissions")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: line {line} is not UTF-8 text; save the file as UTF-8 (in Excel: \"CSV UTF-8\") and import again"
    )]
    NotUtf8 { path: PathBuf, line: usize },
    #[error("{path}: cannot tell whether this is a JSON or a CSV catalogue (the file is empty)")]
    UnknownFormat { path: PathBuf },
    #[error(
        "{path}:{line}:{column}: malformed JSON catalogue: {message}; correct the file there and import again"
    )]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{path}: line {line}: malformed CSV catalogue: {message}; correct the file there and import again"
    )]
    Csv {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{path}: line {line}: the CSV header has no column for {column}; add a column named \"{vietnamese}\" (or \"{column}\")"
    )]
    MissingColumn {
        path: PathBuf,
        line: usize,
        column: &'static str,
        vietnamese: &'static str,
    },
    #[error(
        "{path}: line {line}, column {index}: unknown CSV header \"{header}\"; rename it to a documented header or remove the column"
    )]
    UnknownColumn {
        path: PathBuf,
        line: usize,
        index: usize,
        header: String,
    },
    #[error(
        "{path}: line {line}, column {index}: header \"{header}\" names a column that already appears earlier; remove one of them"
    )]
    DuplicateColumn {
        path: PathBuf,
        line: usize,
        index: usize,
        header: String,
    },
    #[error("{path}: {at}: {field} is empty; fill it in")]
    EmptyField {
        path: PathBuf,
        at: Location,
        field: &'static str,
    },
    #[error(
        "{path}: {at}: \"{value}\" is not a procedure code; use a national code such as 1.001193 or a local extension such as 1.001193.000.00.00.H56"
    )]
    BadCode {
        path: PathBuf,
        at: Location,
        value: String,
    },
    #[error(
        "{path}: {at}: procedure code {code} already appears on line {first_line}; each procedure must appear once per file"
    )]
    DuplicateCode {
        path: PathBuf,
        at: Location,
        code: String,
        first_line: usize,
    },
    #[error(
        "{path}: {at}: procedure {procedure} lists document code {document} twice; give each required document its own code"
    )]
    DuplicateDocument {
        path: PathBuf,
        at: Location,
        procedure: String,
        document: String,
    },
    #[error(
        "{path}: {at}: \"{value}\" is not a level; use xã/commune, huyện/district or tỉnh/province"
    )]
    BadLevel {
        path: PathBuf,
        at: Location,
        value: String,
    },
    #[error(
        "{path}: {at}: \"{value}\" is not a processing time; write a positive number of working days (\"5 ngày làm việc\") or \"trong ngày; sau 15:00 chuyển ngày làm việc tiếp theo\""
    )]
    BadProcessingTime {
        path: PathBuf,
        at: Location,
        value: String,
    },
    #[error("{path}: {at}: {field} \"{value}\" is not a whole number of zero or more")]
    BadNumber {
        path: PathBuf,
        at: Location,
        field: &'static str,
        value: String,
    },
    #[error("{path}: {at}: {field} \"{value}\" is not yes/no; write \"có\" or \"không\"")]
    BadFlag {
        path: PathBuf,
        at: Location,
        field: &'static str,
        value: String,
    },
    #[error(
        "{path}: {at}: fee \"{value}\" is not understood; write \"name: amount\" items separated by \";\" (fee names cannot contain \";\")"
    )]
    BadFee {
        path: PathBuf,
        at: Location,
        value: String,
    },
    #[error(
        "{path}: {at}: {field} of procedure {code} differs from line {first_line}; leave it empty on the rows after the first or repeat it unchanged"
    )]
    Inconsistent {
        path: PathBuf,
        at: Location,
        code: String,
        field: &'static str,
        first_line: usize,
    },
}

impl CatalogError {
    /// The line the problem is on, when the problem is inside the file.
    pub fn line(&self) -> Option<usize> {
        use CatalogError::*;
        match self {
            Read { .. } | UnknownFormat { .. } => None,
            NotUtf8 { line, .. }
            | Syntax { line, .. }
            | Csv { line, .. }
            | MissingColumn { line, .. }
            | UnknownColumn { line, .. }
            | DuplicateColumn { line, .. } => Some(*line),
            EmptyField { at, .. }
            | BadCode { at, .. }
            | DuplicateCode { at, .. }
            | DuplicateDocument { at, .. }
            | BadLevel { at, .. }
            | BadProcessingTime { at, .. }
            | BadNumber { at, .. }
            | BadFlag { at, .. }
            | BadFee { at, .. }
            | Inconsistent { at, .. } => Some(at.line),
        }
    }
}

/// A value problem found by the shared field parsers, before the parser that called them
/// attaches the file and location (see [`Invalid::at`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Invalid {
    Empty(&'static str),
    Code(String),
    Level(String),
    Time(String),
    Number(&'static str, String),
    Flag(&'static str, String),
    Fee(String),
    DuplicateCode { code: String, first_line: usize },
    DuplicateDocument { procedure: String, document: String },
}

impl Invalid {
    /// Turns the problem into a [`CatalogError`] naming `path` and `at`.
    pub(crate) fn at(self, path: &std::path::Path, at: Location) -> CatalogError {
        let path = path.to_owned();
        match self {
            Invalid::Empty(field) => CatalogError::EmptyField { path, at, field },
            Invalid::Code(value) => CatalogError::BadCode { path, at, value },
            Invalid::Level(value) => CatalogError::BadLevel { path, at, value },
            Invalid::Time(value) => CatalogError::BadProcessingTime { path, at, value },
            Invalid::Number(field, value) => CatalogError::BadNumber {
                path,
                at,
                field,
                value,
            },
            Invalid::Flag(field, value) => CatalogError::BadFlag {
                path,
                at,
                field,
                value,
            },
            Invalid::Fee(value) => CatalogError::BadFee { path, at, value },
            Invalid::DuplicateCode { code, first_line } => CatalogError::DuplicateCode {
                path,
                at,
                code,
                first_line,
            },
            Invalid::DuplicateDocument {
                procedure,
                document,
            } => CatalogError::DuplicateDocument {
                path,
                at,
                procedure,
                document,
            },
        }
    }
}
