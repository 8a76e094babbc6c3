//! Upload records and their bytes on disk (the storage half of the tus protocol, see `api::tus`).
//!
//! Durability rule: a chunk is appended and `fsync`ed *before* the new offset is committed to the
//! database, and the offset is committed before the client is told. After a crash the database offset
//! is authoritative: [`Store::append_chunk`] first truncates the file to it, discarding bytes of a chunk
//! whose acknowledgement never happened, so the client's resend cannot duplicate them.

use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom, Write};

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Store, StoreError, io, sql, sync_dir};
use crate::time::{format_national, now_vietnam};

/// Where an upload is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadState {
    /// Bytes are still expected.
    Receiving,
    /// Every byte arrived and the whole file's SHA-256 equals the one declared at creation.
    Complete,
    /// Every byte arrived but the whole file's SHA-256 differs from the declared one; unusable.
    HashMismatch,
}

impl UploadState {
    /// Name stored in the database and sent in the `Upload-State` header.
    pub fn as_str(self) -> &'static str {
        match self {
            UploadState::Receiving => "receiving",
            UploadState::Complete => "complete",
            UploadState::HashMismatch => "hash-mismatch",
        }
    }

    fn parse(text: &str) -> UploadState {
        match text {
            "complete" => UploadState::Complete,
            "hash-mismatch" => UploadState::HashMismatch,
            _ => UploadState::Receiving,
        }
    }
}

/// One upload as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRow {
    pub id: String,
    pub office: String,
    /// Total size declared by `Upload-Length`.
    pub length: u64,
    /// Bytes received, fsynced and acknowledged.
    pub offset: u64,
    /// SHA-256 of the whole file as declared in `Upload-Metadata`.
    pub sha256: [u8; 32],
    /// The raw `Upload-Metadata` header, echoed by HEAD.
    pub metadata: String,
    /// The `filename` metadata entry, if any.
    pub file_name: Option<String>,
    pub state: UploadState,
}

const UPLOAD_COLUMNS: &str = "id, office, length, offset, sha256, metadata, file_name, state";

fn upload_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<UploadRow> {
    let length: i64 = row.get(2)?;
    let offset: i64 = row.get(3)?;
    let hash: Vec<u8> = row.get(4)?;
    let state: String = row.get(7)?;
    Ok(UploadRow {
        id: row.get(0)?,
        office: row.get(1)?,
        length: u64::try_from(length).unwrap_or(0),
        offset: u64::try_from(offset).unwrap_or(0),
        sha256: hash.try_into().unwrap_or([0; 32]),
        metadata: row.get(5)?,
        file_name: row.get(6)?,
        state: UploadState::parse(&state),
    })
}

fn to_sql_int(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl Store {
    /// Registers a new upload and creates its empty file. A zero-length upload is checked at once.
    pub fn create_upload(
        &self,
        office: &str,
        length: u64,
        sha256: [u8; 32],
        metadata: &str,
        file_name: Option<&str>,
    ) -> Result<UploadRow, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let path = self.upload_path(&id);
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))?;
        sync_dir(&self.dir.join("uploads"))?;
        let state = if length == 0 {
            verdict(Sha256::digest([]).into(), sha256)
        } else {
            UploadState::Receiving
        };
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO uploads (id, office, length, offset, sha256, metadata, file_name, state, created_at)
             VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                office,
                to_sql_int(length),
                sha256.to_vec(),
                metadata,
                file_name,
                state.as_str(),
                format_national(now_vietnam())
            ],
        )
        .map_err(sql("creating an upload"))?;
        Ok(UploadRow {
            id,
            office: office.to_string(),
            length,
            offset: 0,
            sha256,
            metadata: metadata.to_string(),
            file_name: file_name.map(str::to_string),
            state,
        })
    }

    /// Finds an upload by id (any office; callers check ownership).
    pub fn get_upload(&self, id: &str) -> Result<Option<UploadRow>, StoreError> {
        let conn = self.lock()?;
        conn.query_row(
            &format!("SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = ?1"),
            [id],
            upload_from_row,
        )
        .optional()
        .map_err(sql("reading an upload"))
    }

    /// Appends an already checksum-verified chunk at `upload.offset`, fsyncs it, and commits the new
    /// offset. When the last byte arrives the whole file is hashed and the upload becomes
    /// [`UploadState::Complete`] or [`UploadState::HashMismatch`]. The caller must hold the upload's lock.
    pub fn append_chunk(&self, upload: &UploadRow, chunk: &[u8]) -> Result<UploadRow, StoreError> {
        let path = self.upload_path(&upload.id);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        // Bytes past the committed offset were never acknowledged: drop them before appending.
        file.set_len(upload.offset).map_err(io(&path))?;
        file.seek(SeekFrom::Start(upload.offset))
            .map_err(io(&path))?;
        file.write_all(chunk).map_err(io(&path))?;
        file.sync_data().map_err(io(&path))?;
        let offset = upload.offset + chunk.len() as u64;
        let state = if offset == upload.length {
            file.seek(SeekFrom::Start(0)).map_err(io(&path))?;
            verdict(hash_reader(&mut file).map_err(io(&path))?, upload.sha256)
        } else {
            UploadState::Receiving
        };
        let completed_at =
            (state != UploadState::Receiving).then(|| format_national(now_vietnam()));
        let conn = self.lock()?;
        conn.execute(
            "UPDATE uploads SET offset = ?2, state = ?3, completed_at = ?4 WHERE id = ?1",
            params![upload.id, to_sql_int(offset), state.as_str(), completed_at],
        )
        .map_err(sql("recording an upload offset"))?;
        Ok(UploadRow {
            offset,
            state,
            ..upload.clone()
        })
    }
}

fn verdict(actual: [u8; 32], declared: [u8; 32]) -> UploadState {
    if actual == declared {
        UploadState::Complete
    } else {
        UploadState::HashMismatch
    }
}

/// SHA-256 of everything a reader yields, read in 64 KiB blocks so memory stays flat.
pub fn hash_reader(reader: &mut impl Read) -> std::io::Result<[u8; 32]> {
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 64 * 1024];
    loop {
        let read = reader.read(&mut block)?;
        if read == 0 {
            return Ok(hasher.finalize().into());
        }
        hasher.update(&block[..read]);
    }
}
