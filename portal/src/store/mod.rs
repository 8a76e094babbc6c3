//! The portal's durable state: one SQLite database plus two folders of files, all under one data dir.
//!
//! Layout of the data dir (`--db DIR`):
//! - `portal.sqlite3` — tokens, uploads, dossiers, idempotency records, status history (WAL mode,
//!   `synchronous=FULL`, so an acknowledged write survives power loss);
//! - `uploads/<upload id>.bin` — bytes received through tus; the database's `offset` column is the
//!   truth, bytes past it (a chunk written but not acknowledged before a crash) are discarded;
//! - `results/<sha256 hex>.pdf` — result PDFs attached when a dossier reaches status 10.
//!
//! The server process and CLI commands (`token create`, `status set`) may use the same data dir at the
//! same time; SQLite's locking and the busy timeout make that safe.

mod dossiers;
mod payments;
mod tokens;
mod uploads;

pub use dossiers::{DossierRow, NewSubmission, StoredAnswer, SubmitOutcome};
pub use payments::{PaymentRow, PaymentState};
pub use tokens::{Principal, TokenRow};
pub use uploads::{UploadRow, UploadState};

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::Connection;

/// File name of the database inside the data dir.
pub const DATABASE_FILE: &str = "portal.sqlite3";

/// Errors of the storage layer. Each names the file or the operation, so the message says where to look.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The data dir or one of its folders could not be created.
    #[error(
        "cannot create portal data folder {path}: {source} (check the --db path and its permissions)"
    )]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The database file could not be opened or configured.
    #[error("cannot open portal database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// A query failed; `context` says which operation.
    #[error("portal database error while {context}: {source}")]
    Sql {
        context: &'static str,
        source: rusqlite::Error,
    },
    /// A data file could not be read or written.
    #[error("portal file error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The database was written by a newer portal version.
    #[error(
        "portal database {path} has schema version {found}, this binary knows up to {known}; use a newer motcua-portal"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// The connection mutex was poisoned by a panic in another request.
    #[error("portal database handle is unusable after an internal panic; restart the portal")]
    Poisoned,
}

/// Shorthand used by the submodules to attach the operation name to a rusqlite error.
pub(crate) fn sql(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sql { context, source }
}

/// Shorthand to attach a path to an I/O error.
pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Handle on the data dir. Cheap to share behind an `Arc`; every method takes the connection lock briefly.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    conn: Mutex<Connection>,
}

/// Schema version written to `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 2;

/// Version 1 of the schema. `revision` is a global change counter that makes polling exact.
const SCHEMA_V1: &str = r#"
CREATE TABLE tokens (
    id          TEXT PRIMARY KEY,
    sha256_hex  TEXT NOT NULL UNIQUE,
    office      TEXT NOT NULL,
    admin       INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE TABLE uploads (
    id           TEXT PRIMARY KEY,
    office       TEXT NOT NULL,
    length       INTEGER NOT NULL,
    offset       INTEGER NOT NULL,
    sha256       BLOB NOT NULL,
    metadata     TEXT NOT NULL,
    file_name    TEXT,
    state        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    completed_at TEXT
);
CREATE TABLE dossiers (
    ma_ho_so       TEXT PRIMARY KEY,
    office         TEXT NOT NULL,
    so_bien_nhan   TEXT NOT NULL UNIQUE,
    trang_thai     INTEGER NOT NULL,
    reason         TEXT,
    body           TEXT NOT NULL,
    revision       INTEGER NOT NULL,
    received_at    TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    returned_at    TEXT,
    result_sha256  TEXT,
    result_size    INTEGER
);
CREATE INDEX dossiers_by_office_revision ON dossiers (office, revision);
CREATE TABLE idempotency (
    office          TEXT NOT NULL,
    key             TEXT NOT NULL,
    request_sha256  TEXT NOT NULL,
    http_status     INTEGER NOT NULL,
    response        BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (office, key)
);
CREATE TABLE status_history (
    ma_ho_so    TEXT NOT NULL,
    trang_thai  INTEGER NOT NULL,
    reason      TEXT,
    at          TEXT NOT NULL
);
CREATE TABLE counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);
"#;

/// Version 2: the payment status of each dossier (`docs/portal-api.md` § Payment), set by the back office
/// (`motcua-portal payment set`, the admin endpoint) and reported in the change feed, with its history.
const SCHEMA_V2: &str = r#"
ALTER TABLE dossiers ADD COLUMN payment_status TEXT CHECK (payment_status IN ('unpaid','paid','refunded'));
ALTER TABLE dossiers ADD COLUMN payment_receipt TEXT;
ALTER TABLE dossiers ADD COLUMN paid_at TEXT;
ALTER TABLE dossiers ADD COLUMN payment_amount INTEGER;
ALTER TABLE dossiers ADD COLUMN refunded_at TEXT;
CREATE TABLE payment_history (
    ma_ho_so        TEXT NOT NULL,
    payment_status  TEXT NOT NULL,
    payment_receipt TEXT,
    at              TEXT NOT NULL
);
"#;

/// The migrations in order: entry `i` brings the schema to version `i + 1`.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [SCHEMA_V1, SCHEMA_V2];

impl Store {
    /// Opens (creating if needed) the data dir and its database, and migrates the schema.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        for folder in [dir.to_path_buf(), dir.join("uploads"), dir.join("results")] {
            std::fs::create_dir_all(&folder).map_err(|source| StoreError::CreateDir {
                path: folder.clone(),
                source,
            })?;
        }
        let path = dir.join(DATABASE_FILE);
        let open_err = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(open_err)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                path,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            let target = index as i64 + 1;
            if version >= target {
                continue;
            }
            // IMMEDIATE so two processes opening the same dir at once do not both migrate.
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {migration} PRAGMA user_version = {target}; COMMIT;"
            ))
            .or_else(|first| {
                // Leave no half-open transaction behind (ROLLBACK fails harmlessly if none is open).
                let _ = conn.execute_batch("ROLLBACK");
                // Another process may have migrated between our read and our write.
                let now: i64 = conn
                    .pragma_query_value(None, "user_version", |row| row.get(0))
                    .map_err(open_err)?;
                if now >= target {
                    Ok(())
                } else {
                    Err(open_err(first))
                }
            })?;
        }
        Ok(Store {
            dir: dir.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// The data dir this store lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of the bytes of an upload.
    pub fn upload_path(&self, upload_id: &str) -> PathBuf {
        self.dir.join("uploads").join(format!("{upload_id}.bin"))
    }

    /// Path of a result PDF, named by its SHA-256 so identical results share one file.
    pub fn result_path(&self, sha256_hex: &str) -> PathBuf {
        self.dir.join("results").join(format!("{sha256_hex}.pdf"))
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    /// Takes the next value of a named counter inside the caller's transaction.
    fn next_counter(conn: &Connection, name: &str) -> Result<i64, StoreError> {
        conn.execute(
            "INSERT INTO counters (name, value) VALUES (?1, 1)
             ON CONFLICT (name) DO UPDATE SET value = value + 1",
            [name],
        )
        .map_err(sql("advancing a counter"))?;
        conn.query_row(
            "SELECT value FROM counters WHERE name = ?1",
            [name],
            |row| row.get(0),
        )
        .map_err(sql("reading a counter"))
    }
}

/// Writes `bytes` to `path` atomically: temp file in the same folder, fsync, rename, fsync the folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    use std::io::Write;
    let folder = path.parent().unwrap_or(Path::new("."));
    let temp = folder.join(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    let mut file = std::fs::File::create(&temp).map_err(io(&temp))?;
    file.write_all(bytes).map_err(io(&temp))?;
    file.sync_all().map_err(io(&temp))?;
    drop(file);
    std::fs::rename(&temp, path).map_err(io(path))?;
    sync_dir(folder)
}

/// Makes a folder's entries (a created or renamed file) durable.
pub fn sync_dir(folder: &Path) -> Result<(), StoreError> {
    std::fs::File::open(folder)
        .and_then(|dir| dir.sync_all())
        .map_err(io(folder))
}
