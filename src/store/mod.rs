//! The SQLite store: the single source of truth for dossiers, the catalogue, settings and the audit log,
//! plus a content-addressed blob store on disk for page images and PDFs.
//!
//! One data directory holds `motcua.sqlite3` (WAL mode, foreign keys on, busy timeout so two clerks on one
//! database wait for each other instead of failing) and `blobs/`. Schema changes are versioned migrations that
//! run on open. Every mutation that matters to the office writes an audit entry in the same transaction.

mod audit;
mod blobs;
mod capture_pages;
mod dossiers;
mod events;
mod facts;
mod migrations;
mod outbox;
mod portal_payment;
mod portal_status;
mod procedures;
mod report_rows;
mod settings;
mod settlement;
mod stats;
mod users;

pub use audit::{AuditEntry, AuditReport, AuditTamper};
pub use blobs::{BlobProblem, BlobStore};
pub use capture_pages::{
    CaptureDocument, CapturePage, PageCleanup, PageReplacement, ReplaceRefusal,
};
pub use dossiers::DossierFilter;
pub use facts::{
    DossierFacts, parse_deadline_changes_into, parse_local_time, parse_status_changes,
    parse_status_changes_into,
};
pub use outbox::committer::SubmitCommitter;
pub use outbox::{
    JobState, JobSummary, JobUpdate, OutboxFile, OutboxJob, QueueCounts, QueuePage,
    idempotency_key, now_ms,
};
pub use portal_payment::{PortalPayment, PortalPaymentReport, PortalPaymentState};
pub use portal_status::PortalDossier;
pub use procedures::ImportReport;
pub use report_rows::ReportRow;
pub use stats::{AuditTrails, ReportDossier};

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

const DB_FILE: &str = "motcua.sqlite3";

/// Everything that can go wrong in the store, each with the path or key involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("không tạo được thư mục dữ liệu {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("thư mục dữ liệu {path} chỉ đọc: cần quyền ghi")]
    ReadOnly { path: PathBuf },
    #[error("ổ đĩa chứa {path} đã đầy: giải phóng dung lượng rồi thử lại")]
    DiskFull { path: PathBuf },
    #[error(
        "cơ sở dữ liệu {path} được tạo bởi phiên bản MotCua mới hơn (lược đồ {found}, bản này hỗ trợ đến {supported}): hãy cập nhật phần mềm"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("cơ sở dữ liệu {path} hỏng hoặc không phải tệp SQLite: {message}")]
    Corrupt { path: PathBuf, message: String },
    #[error("không tìm thấy {what} {key:?}")]
    NotFound { what: &'static str, key: String },
    #[error("dữ liệu lưu trữ của {what} {key:?} không đọc được: {message}")]
    BadRow {
        what: &'static str,
        key: String,
        message: String,
    },
    #[error("lỗi ghi tệp {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("lỗi cơ sở dữ liệu {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "hồ sơ {dossier}: thành phần {document} chưa có tệp PDF — đính kèm PDF đã ký trước khi nộp"
    )]
    MissingDocumentPdf { dossier: String, document: String },
    #[error("việc gửi #{job} đang ở trạng thái {state}; thao tác này cần trạng thái {wanted}")]
    JobState {
        job: i64,
        state: &'static str,
        wanted: &'static str,
    },
    #[error("không ghi được việc gửi vào {path}: {message}")]
    Commit { path: PathBuf, message: String },
    #[error(
        "không quét lại được trang #{old}: trang #{page} — {why}; chọn lại trang cần thay rồi quét lại"
    )]
    PageNotReplaced {
        old: i64,
        page: i64,
        why: capture_pages::ReplaceRefusal,
    },
    #[error(transparent)]
    Code(#[from] crate::dossier::CodeError),
    #[error(transparent)]
    Transition(#[from] crate::dossier::TransitionError),
}

/// An open store. Not `Sync` (one SQLite connection); share it behind a mutex or open one per thread.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    blobs: BlobStore,
}

impl Store {
    /// Opens (creating if needed) the store in `dir` and runs pending migrations.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| io_to_store(dir, source))?;
        let db_path = dir.join(DB_FILE);
        let conn = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sql_err(&db_path, e))?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(|e| sql_err(&db_path, e))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| sql_err(&db_path, e))?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(|e| sql_err(&db_path, e))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| sql_err(&db_path, e))?;
        // Room for every statement of a submit and of the worker's loop (the default keeps 16).
        conn.set_prepared_statement_cache_capacity(64);
        let mut store = Store {
            conn,
            dir: dir.to_owned(),
            blobs: BlobStore::new(dir.join("blobs")),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The content-addressed file store beside the database.
    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    /// The schema version this build writes.
    pub fn schema_version() -> u32 {
        migrations::MIGRATIONS.len() as u32
    }

    pub(crate) fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    /// Opens a write transaction that takes the database's write lock at once (IMMEDIATE), so two
    /// writers never both read and then fail on upgrading their lock; returned with the database's path,
    /// which every error message names.
    pub(crate) fn write_tx(&mut self) -> Result<(rusqlite::Transaction<'_>, PathBuf), StoreError> {
        let path = self.db_path();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| sql_err(&path, e))?;
        Ok((tx, path))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.db_path();
        let found: u32 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| sql_err(&path, e))?;
        let supported = Store::schema_version();
        if found > supported {
            return Err(StoreError::NewerSchema {
                path,
                found,
                supported,
            });
        }
        for (index, sql) in migrations::MIGRATIONS
            .iter()
            .enumerate()
            .skip(found as usize)
        {
            let tx = self.conn.transaction().map_err(|e| sql_err(&path, e))?;
            tx.execute_batch(sql).map_err(|e| sql_err(&path, e))?;
            tx.pragma_update(None, "user_version", index as u32 + 1)
                .map_err(|e| sql_err(&path, e))?;
            tx.commit().map_err(|e| sql_err(&path, e))?;
        }
        Ok(())
    }

    fn sql(&self, e: rusqlite::Error) -> StoreError {
        sql_err(&self.db_path(), e)
    }
}

/// Maps SQLite's result codes to the errors a clerk can act on.
fn sql_err(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    if let rusqlite::Error::SqliteFailure(failure, message) = &e {
        let dir = path.parent().unwrap_or(path).to_owned();
        match failure.code {
            C::ReadOnly => return StoreError::ReadOnly { path: dir },
            C::DiskFull => return StoreError::DiskFull { path: dir },
            // SQLite reports a full disk met while growing the WAL or its shared-memory file as a plain I/O
            // error, and a read-only folder as "cannot open": ask the folder itself what is wrong.
            C::SystemIoFailure | C::CannotOpen | C::PermissionDenied => {
                match probe_writable(&dir) {
                    Some(std::io::ErrorKind::StorageFull) => {
                        return StoreError::DiskFull { path: dir };
                    }
                    Some(_) => return StoreError::ReadOnly { path: dir },
                    None => {}
                }
            }
            C::NotADatabase | C::DatabaseCorrupt => {
                return StoreError::Corrupt {
                    path: path.to_owned(),
                    message: message.clone().unwrap_or_else(|| failure.to_string()),
                };
            }
            _ => {}
        }
    }
    StoreError::Sqlite {
        path: path.to_owned(),
        source: e,
    }
}

fn io_to_store(path: &Path, source: std::io::Error) -> StoreError {
    match source.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            StoreError::ReadOnly {
                path: path.to_owned(),
            }
        }
        std::io::ErrorKind::StorageFull => StoreError::DiskFull {
            path: path.to_owned(),
        },
        _ => StoreError::CreateDir {
            path: path.to_owned(),
            source,
        },
    }
}

/// Tries to write a little in `dir`; `None` if that works, else the kind of failure (no space, read-only…).
/// 64 KiB is about what SQLite needs to grow its WAL by a few pages.
fn probe_writable(dir: &Path) -> Option<std::io::ErrorKind> {
    use std::io::Write;
    let probe = (|| {
        let mut file = tempfile::tempfile_in(dir)?;
        file.write_all(&[0u8; 64 * 1024])?;
        file.sync_all()
    })();
    probe.err().map(|e| e.kind())
}

/// Current time as stored in the audit log: UTC, RFC 3339 with seconds.
fn utc_now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

const DATE_TIME: &str = "%Y-%m-%d %H:%M:%S";
