//! One outbox job, from queued to accepted: upload every file with tus (resuming from the portal's offset),
//! then submit the fixed body under the fixed idempotency key, then record acceptance.
//!
//! Order of writes (the crash-safety argument): the upload location is stored before any byte is sent;
//! offsets are only ever taken from the portal (HEAD, 204, 409), so a stale stored offset is harmless; the
//! JSON body is stored before the first POST; acceptance, the dossier's status and the audit entry are one
//! transaction. A process killed anywhere resumes from the stored rows and the portal's answers, and the
//! portal's idempotency turns a repeated POST into the first answer.

use super::client::{CallError, PatchOutcome, PortalClient};
use super::{ChunkSizer, Event, SyncError};
use crate::store::{JobState, JobUpdate, OutboxFile, OutboxJob, Store};
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// How a job's turn ended.
pub enum Outcome {
    Accepted {
        receipt: String,
    },
    /// A call failed; the caller schedules the retry or stops the queue.
    Call(CallError),
    /// The job cannot succeed (a local file is gone or changed): failed with this reason.
    LocalProblem(String),
    /// The queue was paused or is shutting down between two chunks: the job stays live as it is and
    /// resumes from the portal's offset on the next run.
    Stopped,
}

/// How many times one chunk is resent after checksum mismatches before backing off.
const MAX_CHECKSUM_RESENDS: u32 = 3;
/// How many fresh uploads of one file per turn before backing off (guards against a loop).
const MAX_NEW_UPLOADS: u32 = 2;

pub struct JobRun<'a> {
    pub store: &'a mut Store,
    pub client: &'a PortalClient,
    pub sizer: &'a Mutex<ChunkSizer>,
    pub events: &'a (dyn Fn(&Event) + Sync),
    pub actor: &'a str,
    /// Checked before every chunk (pause, shutdown).
    pub stop: &'a AtomicBool,
}

impl JobRun<'_> {
    pub fn run(&mut self, id: i64) -> Result<Outcome, SyncError> {
        let job = self.store.outbox_job(id)?;
        if !job.state.is_live() {
            return Ok(Outcome::Call(CallError::Rejected {
                message: format!("job {id} is {}", job.state.as_str()),
            }));
        }
        if job.submit_body.is_none() {
            self.store.update_job(
                id,
                &JobUpdate {
                    state: Some(JobState::Uploading),
                    ..JobUpdate::default()
                },
            )?;
            let total = job.total_bytes();
            let started = Instant::now();
            let mut done_before = 0u64;
            for file in &job.files {
                match self.upload(&job, file, done_before, total, started)? {
                    None => {}
                    Some(outcome) => return Ok(outcome),
                }
                done_before += file.size;
            }
        }
        self.submit(id)
    }

    /// Uploads one file to completion. `None` when complete, else why this turn stops.
    fn upload(
        &mut self,
        job: &OutboxJob,
        file: &OutboxFile,
        done_before: u64,
        total: u64,
        started: Instant,
    ) -> Result<Option<Outcome>, SyncError> {
        if file.complete {
            return Ok(None);
        }
        let path = self.store.blobs().path_of(&file.sha256);
        let mut new_uploads = 0;
        let mut location = file.upload_url.clone();
        loop {
            // A just-created upload is known to be at offset 0: no HEAD needed before its first chunk.
            let mut fresh = false;
            let loc = match location.take() {
                Some(loc) => loc,
                None => {
                    fresh = true;
                    new_uploads += 1;
                    if new_uploads > MAX_NEW_UPLOADS {
                        return Ok(Some(Outcome::Call(CallError::Retry {
                            after: None,
                            message: format!("upload of {} keeps failing", file.file_name),
                        })));
                    }
                    // The file must still be the one the dossier was signed with.
                    let digest = match hash_file(&path) {
                        Ok(d) => d,
                        Err(e) => {
                            return Ok(Some(Outcome::LocalProblem(format!(
                                "tệp {} ({}) không đọc được: {e}",
                                path.display(),
                                file.file_name
                            ))));
                        }
                    };
                    if hex::encode(digest) != file.sha256 {
                        return Ok(Some(Outcome::LocalProblem(format!(
                            "tệp {} đã bị thay đổi sau khi ký (SHA-256 khác)",
                            path.display()
                        ))));
                    }
                    let created =
                        match self
                            .client
                            .create_upload(file.size, &digest, &file.file_name)
                        {
                            Ok(l) => l,
                            Err(e) => return Ok(Some(Outcome::Call(e))),
                        };
                    // Stored before any byte is sent: a restart finds the same upload and resumes it.
                    self.store
                        .set_file_upload(job.id, &file.doc_code, Some(&created))?;
                    created
                }
            };
            let resume = Resume {
                location: &loc,
                fresh,
                done_before,
                total,
                started,
            };
            match self.send_file(job, file, &path, &resume)? {
                Sent::Complete => {
                    self.store
                        .set_file_offset(job.id, &file.doc_code, file.size, true)?;
                    return Ok(None);
                }
                Sent::Gone => {
                    self.store.set_file_upload(job.id, &file.doc_code, None)?;
                }
                Sent::Stop(outcome) => return Ok(Some(outcome)),
            }
        }
    }

    fn send_file(
        &mut self,
        job: &OutboxJob,
        file: &OutboxFile,
        path: &std::path::Path,
        resume: &Resume<'_>,
    ) -> Result<Sent, SyncError> {
        let Resume {
            location,
            fresh,
            done_before,
            total,
            started,
        } = *resume;
        let mut offset = 0;
        if !fresh {
            let state = match self.client.head(location) {
                Ok(s) => s,
                Err(CallError::UploadGone { .. }) => return Ok(Sent::Gone),
                Err(e) => return Ok(Sent::Stop(Outcome::Call(e))),
            };
            if state.complete {
                return Ok(Sent::Complete);
            }
            if state.hash_mismatch {
                return Ok(Sent::Gone);
            }
            offset = state.offset;
        }
        let mut reader = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                return Ok(Sent::Stop(Outcome::LocalProblem(format!(
                    "tệp {} không đọc được: {e}",
                    path.display()
                ))));
            }
        };
        let mut resends = 0;
        let mut buf = Vec::new();
        while offset < file.size {
            if self.stop.load(Ordering::SeqCst) {
                return Ok(Sent::Stop(Outcome::Stopped));
            }
            let size = self.chunk_size().min(file.size - offset);
            buf.resize(size as usize, 0);
            let read = reader
                .seek(SeekFrom::Start(offset))
                .and_then(|_| reader.read_exact(&mut buf));
            if let Err(e) = read {
                return Ok(Sent::Stop(Outcome::LocalProblem(format!(
                    "tệp {} đọc lỗi ở vị trí {offset}: {e}",
                    path.display()
                ))));
            }
            let t0 = Instant::now();
            match self.client.patch(location, offset, &buf) {
                Ok(PatchOutcome::Stored {
                    offset: new,
                    complete,
                }) => {
                    self.sizer_feedback(size, Some(t0.elapsed()));
                    offset = new;
                    resends = 0;
                    self.store
                        .set_file_offset(job.id, &file.doc_code, offset, complete)?;
                    let sent = done_before + offset;
                    let secs = started.elapsed().as_secs_f64().max(1e-3);
                    let speed = sent as f64 / secs;
                    (self.events)(&Event::Progress {
                        job: job.id,
                        dossier: job.dossier_code.clone(),
                        sent,
                        total,
                        bytes_per_sec: speed,
                        eta_secs: if speed > 0.0 {
                            total.saturating_sub(sent) as f64 / speed
                        } else {
                            f64::INFINITY
                        },
                    });
                    if complete {
                        return Ok(Sent::Complete);
                    }
                }
                Ok(PatchOutcome::ChecksumMismatch) => {
                    self.sizer_feedback(size, None);
                    resends += 1;
                    if resends > MAX_CHECKSUM_RESENDS {
                        return Ok(Sent::Stop(Outcome::Call(CallError::Retry {
                            after: None,
                            message: "chunk damaged in transit repeatedly (460)".into(),
                        })));
                    }
                }
                Ok(PatchOutcome::Conflict { offset: server }) => {
                    offset = server;
                    if offset >= file.size {
                        return Ok(Sent::Complete);
                    }
                }
                Err(CallError::UploadGone { .. }) => return Ok(Sent::Gone),
                Err(e) => {
                    self.sizer_feedback(size, None);
                    return Ok(Sent::Stop(Outcome::Call(e)));
                }
            }
        }
        // Every byte acknowledged without a "complete" state: ask the portal what it thinks.
        match self.client.head(location) {
            Ok(s) if s.complete => Ok(Sent::Complete),
            Ok(s) if s.hash_mismatch => Ok(Sent::Gone),
            Ok(_) => Ok(Sent::Stop(Outcome::Call(CallError::Retry {
                after: None,
                message: "upload not complete after its last byte".into(),
            }))),
            Err(CallError::UploadGone { .. }) => Ok(Sent::Gone),
            Err(e) => Ok(Sent::Stop(Outcome::Call(e))),
        }
    }

    fn chunk_size(&self) -> u64 {
        self.sizer.lock().map(|s| s.size).unwrap_or(64 << 10)
    }

    fn sizer_feedback(&self, size: u64, elapsed: Option<std::time::Duration>) {
        if let Ok(mut s) = self.sizer.lock() {
            s.feedback(size, elapsed);
        }
    }

    fn submit(&mut self, id: i64) -> Result<Outcome, SyncError> {
        let job = self.store.outbox_job(id)?;
        if !job.state.is_live() {
            // Cancelled by the clerk while its files were uploading: nothing reaches the portal.
            return Ok(Outcome::Call(CallError::Rejected {
                message: format!("job {id} is {}", job.state.as_str()),
            }));
        }
        let body = match &job.submit_body {
            Some(body) => body.clone(),
            None => {
                let dossier = self.store.dossier(&job.dossier_code)?;
                let body = super::wire::dossier_json(&dossier, &job).to_string();
                // Stored before the first POST: every retry sends exactly these bytes.
                self.store.set_submit_body(id, &body)?;
                body
            }
        };
        match self.client.submit(&job.idempotency_key, &body) {
            Ok(status) => {
                self.store.accept_job(
                    id,
                    &status.receipt,
                    status.status,
                    status.revision,
                    self.actor,
                )?;
                Ok(Outcome::Accepted {
                    receipt: status.receipt,
                })
            }
            Err(e) => Ok(Outcome::Call(e)),
        }
    }
}

/// Where one file's upload stands and what the progress report needs.
#[derive(Clone, Copy)]
struct Resume<'a> {
    location: &'a str,
    fresh: bool,
    done_before: u64,
    total: u64,
    started: Instant,
}

enum Sent {
    Complete,
    /// The upload is gone or unusable: create a new one.
    Gone,
    Stop(Outcome),
}

fn hash_file(path: &std::path::Path) -> std::io::Result<[u8; 32]> {
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
    Ok(hasher.finalize().into())
}
