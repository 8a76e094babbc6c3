//! Content-addressed files: page images and PDFs named by their SHA-256 under `blobs/ab/abcdef…`.
//!
//! Content addressing makes writes idempotent (the same scan stored twice is one file) and lets
//! `motcua store check` prove that every file the database points to is present and unchanged.
//! The file is written atomically before its row is inserted, so a crash leaves at worst an orphan file,
//! never a row without its file.

use super::{Store, StoreError, utc_now};
use crate::atomic::write_file_atomic;
use rusqlite::params;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The on-disk half of the blob store.
#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

/// A referenced blob that is missing or whose bytes no longer match its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlobProblem {
    Missing {
        sha256: String,
        path: PathBuf,
    },
    HashMismatch {
        sha256: String,
        path: PathBuf,
        actual: String,
    },
    Unreadable {
        sha256: String,
        path: PathBuf,
        message: String,
    },
}

impl BlobStore {
    pub(super) fn new(root: PathBuf) -> Self {
        BlobStore { root }
    }

    /// Where the blob with this hash lives.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        let prefix = sha256.get(..2).unwrap_or("xx");
        self.root.join(prefix).join(sha256)
    }

    fn write(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let sha = hex::encode(Sha256::digest(bytes));
        let path = self.path_of(&sha);
        if path.exists() && hash_file(&path).ok().as_deref() == Some(sha.as_str()) {
            return Ok(sha);
        }
        let dir = path.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir).map_err(|source| super::io_to_store(dir, source))?;
        write_file_atomic(&path, bytes).map_err(|source| match source.kind() {
            std::io::ErrorKind::StorageFull => StoreError::DiskFull {
                path: dir.to_owned(),
            },
            std::io::ErrorKind::PermissionDenied => StoreError::ReadOnly {
                path: dir.to_owned(),
            },
            _ => StoreError::Io {
                path: path.clone(),
                source,
            },
        })?;
        Ok(sha)
    }
}

/// SHA-256 of a file, streamed (scans can be large; never load them whole just to hash).
pub(crate) fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

impl Store {
    /// Stores `bytes` and records them; returns the SHA-256 hex name. Idempotent.
    pub fn put_blob(&self, bytes: &[u8], media_type: &str) -> Result<String, StoreError> {
        let sha = self.blobs.write(bytes)?;
        self.conn
            .execute(
                "INSERT INTO blobs (sha256, size, media_type, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (sha256) DO NOTHING",
                params![sha, bytes.len() as i64, media_type, utc_now()],
            )
            .map_err(|e| self.sql(e))?;
        Ok(sha)
    }

    /// Reads a stored blob back, checking its hash.
    pub fn read_blob(&self, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let path = self.blobs.path_of(sha256);
        let bytes = std::fs::read(&path).map_err(|source| StoreError::Io {
            path: path.clone(),
            source,
        })?;
        if hex::encode(Sha256::digest(&bytes)) != sha256 {
            return Err(StoreError::BadRow {
                what: "blob",
                key: sha256.to_owned(),
                message: "hash mismatch".into(),
            });
        }
        Ok(bytes)
    }

    /// Checks every blob the database knows: present and with the bytes its name promises.
    pub fn check_blobs(&self) -> Result<(usize, Vec<BlobProblem>), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT sha256 FROM blobs ORDER BY sha256")
            .map_err(|e| self.sql(e))?;
        let hashes: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        let mut problems = Vec::new();
        for sha256 in &hashes {
            let path = self.blobs.path_of(sha256);
            match hash_file(&path) {
                Ok(actual) if &actual == sha256 => {}
                Ok(actual) => problems.push(BlobProblem::HashMismatch {
                    sha256: sha256.clone(),
                    path,
                    actual,
                }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    problems.push(BlobProblem::Missing {
                        sha256: sha256.clone(),
                        path,
                    })
                }
                Err(e) => problems.push(BlobProblem::Unreadable {
                    sha256: sha256.clone(),
                    path,
                    message: e.to_string(),
                }),
            }
        }
        Ok((hashes.len(), problems))
    }
}
