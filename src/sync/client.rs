//! The portal's HTTP protocol as seen by the outbox (`docs/portal-api.md`): tus 1.0.0 uploads with the
//! creation and checksum extensions, idempotent submission, the change feed and result download.
//!
//! Every answer is classified into what the worker should do next ([`CallError`]): retry later (5xx,
//! timeouts, resets, and anything that is not the portal's JSON envelope, e.g. an HTML page from a proxy),
//! stop the queue (401), start the upload again (404, whole-file hash mismatch) or fail the job with the
//! portal's reasons (other 4xx). The blocking `ureq` client runs on the worker's own threads.

use base64::Engine as _;
use serde::Deserialize;
use std::time::Duration;
use ureq::http::{Response, StatusCode};
use ureq::{Agent, Body};

/// The tus protocol version this client speaks (tus 1.0.0 §"Tus-Resumable").
const TUS_VERSION: &str = "1.0.0";
/// Cap on JSON answers: the protocol's answers are small; a bigger one is not the portal.
const JSON_LIMIT: u64 = 4 << 20;
/// Cap on a result PDF (the portal's upload limit).
const RESULT_LIMIT: u64 = 256 << 20;

/// What a failed call means for the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// Temporary: retry later, no sooner than `after` when the portal said so (`Retry-After`).
    Retry {
        after: Option<Duration>,
        message: String,
    },
    /// 401: the token is missing, unknown or revoked. Retrying cannot help.
    Unauthorized,
    /// The upload is gone or unusable (404, or 422 error 1009): create a new one.
    UploadGone { message: String },
    /// The portal refused the request for good (validation, conflicts): fail the job with this text.
    Rejected { message: String },
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Retry { message, .. } => write!(f, "{message}"),
            CallError::Unauthorized => {
                f.write_str("token rejected: cổng từ chối mã truy cập (401), cần mã mới")
            }
            CallError::UploadGone { message } | CallError::Rejected { message } => {
                f.write_str(message)
            }
        }
    }
}

/// The portal's error envelope (`docs/portal-api.md` § Errors).
#[derive(Debug, Deserialize)]
struct Envelope {
    error_code: u32,
    #[serde(default)]
    message: String,
    #[serde(default)]
    reasons: Vec<Reason>,
}

#[derive(Debug, Deserialize)]
struct Reason {
    #[serde(default)]
    field: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// A status object (`docs/portal-api.md` § Status object); only the fields the client uses.
#[derive(Debug, Clone, Deserialize)]
pub struct StatusObject {
    #[serde(rename = "MaHoSo")]
    pub code: String,
    #[serde(rename = "SoBienNhan")]
    pub receipt: String,
    #[serde(rename = "TrangThaiHoSo")]
    pub status: u8,
    #[serde(default)]
    pub reason: Option<String>,
    pub revision: i64,
    /// The portal extension `payment` (`docs/portal-api.md` § Payment), absent until the portal sets one;
    /// kept as JSON here so a malformed one is recorded by the sync instead of failing the whole page.
    #[serde(default)]
    pub payment: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct DataEnvelope<T> {
    data: T,
}

#[derive(Debug, Deserialize)]
struct Feed {
    data: Vec<StatusObject>,
    next_changed_since: i64,
    has_more: bool,
}

/// One page of the change feed.
pub struct FeedPage {
    pub items: Vec<StatusObject>,
    pub next_changed_since: i64,
    pub has_more: bool,
}

/// What the portal said about one PATCH that it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchOutcome {
    /// 204: stored; the new offset and whether the upload is complete.
    Stored { offset: u64, complete: bool },
    /// 460: the chunk arrived damaged; send it again.
    ChecksumMismatch,
    /// 409: the portal's offset differs (or the upload is complete): continue from there.
    Conflict { offset: u64 },
}

/// State of an upload as HEAD reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadState {
    pub offset: u64,
    pub complete: bool,
    pub hash_mismatch: bool,
}

/// A connection to one portal with one office token.
#[derive(Clone)]
pub struct PortalClient {
    agent: Agent,
    base: String,
    token: String,
}

impl PortalClient {
    /// `base` is the portal URL (`http://127.0.0.1:8787`); `timeout` bounds each whole request.
    pub fn new(base: &str, token: &str, timeout: Duration) -> PortalClient {
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(5)))
            .timeout_global(Some(timeout))
            .build()
            .into();
        PortalClient {
            agent,
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }

    /// POST /api/v1/uploads (tus creation): returns the upload's path (`Location`).
    pub fn create_upload(
        &self,
        size: u64,
        sha256: &[u8],
        file_name: &str,
    ) -> Result<String, CallError> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let metadata = format!(
            "filename {},sha256 {}",
            b64.encode(file_name.as_bytes()),
            b64.encode(sha256)
        );
        let response = self
            .agent
            .post(self.url("/api/v1/uploads"))
            .header("Authorization", self.bearer())
            .header("Tus-Resumable", TUS_VERSION)
            .header("Upload-Length", size.to_string())
            .header("Upload-Metadata", metadata)
            .send_empty()
            .map_err(transport)?;
        if response.status() == StatusCode::CREATED {
            return header(&response, "location")
                .map(str::to_owned)
                .ok_or_else(|| garbage("201 without Location"));
        }
        Err(classify(response))
    }

    /// HEAD /api/v1/uploads/{id}: where to resume.
    pub fn head(&self, location: &str) -> Result<UploadState, CallError> {
        let response = self
            .agent
            .head(self.url(location))
            .header("Authorization", self.bearer())
            .header("Tus-Resumable", TUS_VERSION)
            .call()
            .map_err(transport)?;
        match response.status().as_u16() {
            200 => {
                let offset = header_u64(&response, "upload-offset")
                    .ok_or_else(|| garbage("HEAD without Upload-Offset"))?;
                let state = header(&response, "upload-state").unwrap_or("receiving");
                Ok(UploadState {
                    offset,
                    complete: state == "complete",
                    hash_mismatch: state == "hash-mismatch",
                })
            }
            404 => Err(CallError::UploadGone {
                message: format!("upload {location} không còn trên cổng (404)"),
            }),
            401 => Err(CallError::Unauthorized),
            _ => Err(classify(response)),
        }
    }

    /// PATCH one chunk at `offset` with its SHA-256 (tus checksum extension, `sha256`).
    pub fn patch(
        &self,
        location: &str,
        offset: u64,
        chunk: &[u8],
    ) -> Result<PatchOutcome, CallError> {
        let digest = sha2::Sha256::digest_b64(chunk);
        let response = self
            .agent
            .patch(self.url(location))
            .header("Authorization", self.bearer())
            .header("Tus-Resumable", TUS_VERSION)
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .header("Upload-Checksum", format!("sha256 {digest}"))
            .send(chunk)
            .map_err(transport)?;
        match response.status().as_u16() {
            204 => {
                let offset = header_u64(&response, "upload-offset")
                    .ok_or_else(|| garbage("204 without Upload-Offset"))?;
                let complete = header(&response, "upload-state") == Some("complete");
                Ok(PatchOutcome::Stored { offset, complete })
            }
            460 => Ok(PatchOutcome::ChecksumMismatch),
            409 => match header_u64(&response, "upload-offset") {
                Some(offset) => Ok(PatchOutcome::Conflict { offset }),
                None => Err(garbage("409 without Upload-Offset")),
            },
            404 => Err(CallError::UploadGone {
                message: format!("upload {location} không còn trên cổng (404)"),
            }),
            422 => {
                let error = classify(response);
                Err(CallError::UploadGone {
                    message: error.to_string(),
                })
            }
            _ => Err(classify(response)),
        }
    }

    /// POST /api/v1/dossiers with the job's fixed key and body. Returns the status object (201, or the
    /// stored first answer on a replay).
    pub fn submit(&self, key: &str, body: &str) -> Result<StatusObject, CallError> {
        let response = self
            .agent
            .post(self.url("/api/v1/dossiers"))
            .header("Authorization", self.bearer())
            .header("Idempotency-Key", key)
            .header("Content-Type", "application/json")
            .send(body.as_bytes())
            .map_err(transport)?;
        if response.status() == StatusCode::CREATED {
            let parsed: DataEnvelope<StatusObject> = read_json(response)?;
            return Ok(parsed.data);
        }
        Err(classify(response))
    }

    /// GET /healthz: whether the portal answers at all (online/offline indicator). No token is sent; an
    /// answer other than `200 ok` (a proxy's error page, a captive portal) counts as offline.
    pub fn health(&self) -> Result<(), CallError> {
        let mut response = self
            .agent
            .get(self.url("/healthz"))
            .call()
            .map_err(transport)?;
        if response.status() == StatusCode::OK {
            let text = response
                .body_mut()
                .with_config()
                .limit(64)
                .read_to_string()
                .unwrap_or_default();
            if text.trim() == "ok" {
                return Ok(());
            }
            return Err(garbage("/healthz did not answer ok"));
        }
        Err(classify(response))
    }

    /// GET /api/v1/dossiers?changed_since=N: one page of the change feed.
    pub fn changes(&self, since: i64, limit: u32) -> Result<FeedPage, CallError> {
        let response = self
            .agent
            .get(self.url(&format!(
                "/api/v1/dossiers?changed_since={since}&limit={limit}"
            )))
            .header("Authorization", self.bearer())
            .call()
            .map_err(transport)?;
        if response.status() == StatusCode::OK {
            let feed: Feed = read_json(response)?;
            return Ok(FeedPage {
                items: feed.data,
                next_changed_since: feed.next_changed_since,
                has_more: feed.has_more,
            });
        }
        Err(classify(response))
    }

    /// GET /api/v1/dossiers/{MaHoSo}/result: the result PDF, checked against `Repr-Digest` (RFC 9530).
    /// `Ok(None)` when the portal has no result yet (404).
    pub fn result(&self, code: &str) -> Result<Option<Vec<u8>>, CallError> {
        let mut response = self
            .agent
            .get(self.url(&format!("/api/v1/dossiers/{code}/result")))
            .header("Authorization", self.bearer())
            .call()
            .map_err(transport)?;
        match response.status().as_u16() {
            200 => {
                let digest = header(&response, "repr-digest")
                    .and_then(|v| v.trim().strip_prefix("sha-256=:"))
                    .and_then(|v| v.strip_suffix(':'))
                    .map(str::to_owned)
                    .ok_or_else(|| garbage("result without Repr-Digest"))?;
                let bytes = response
                    .body_mut()
                    .with_config()
                    .limit(RESULT_LIMIT)
                    .read_to_vec()
                    .map_err(transport)?;
                if sha2::Sha256::digest_b64(&bytes) != digest {
                    return Err(CallError::Retry {
                        after: None,
                        message: format!("kết quả của {code} tải về bị hỏng (SHA-256 không khớp)"),
                    });
                }
                Ok(Some(bytes))
            }
            404 => Ok(None),
            _ => Err(classify(response)),
        }
    }
}

/// Base64 SHA-256, the form tus checksums and the portal's `sha256` fields use.
trait DigestB64 {
    fn digest_b64(bytes: &[u8]) -> String;
}

impl DigestB64 for sha2::Sha256 {
    fn digest_b64(bytes: &[u8]) -> String {
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes))
    }
}

fn header<'a>(response: &'a Response<Body>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

fn header_u64(response: &Response<Body>, name: &str) -> Option<u64> {
    header(response, name).and_then(|v| v.trim().parse().ok())
}

fn garbage(what: &str) -> CallError {
    CallError::Retry {
        after: None,
        message: format!("câu trả lời không đúng giao thức của cổng: {what}"),
    }
}

/// Connection refused, reset, timeout, TLS failure: all temporary.
fn transport(e: ureq::Error) -> CallError {
    CallError::Retry {
        after: None,
        message: format!("không kết nối được cổng: {e}"),
    }
}

fn read_json<T: serde::de::DeserializeOwned>(mut response: Response<Body>) -> Result<T, CallError> {
    let text = response
        .body_mut()
        .with_config()
        .limit(JSON_LIMIT)
        .read_to_string()
        .map_err(transport)?;
    serde_json::from_str(&text).map_err(|e| garbage(&format!("JSON không đọc được ({e})")))
}

/// Turns an unexpected answer into what to do, following the error table of `docs/portal-api.md`.
fn classify(mut response: Response<Body>) -> CallError {
    let status = response.status().as_u16();
    let retry_after = header_u64(&response, "retry-after").map(Duration::from_secs);
    if status == 401 {
        return CallError::Unauthorized;
    }
    let text = response
        .body_mut()
        .with_config()
        .limit(JSON_LIMIT)
        .read_to_string()
        .unwrap_or_default();
    let envelope: Option<Envelope> = serde_json::from_str(&text).ok();
    let Some(envelope) = envelope else {
        // Not the portal speaking (an HTML page from a proxy, a truncated body): temporary by rule.
        return CallError::Retry {
            after: retry_after,
            message: format!("cổng trả lời HTTP {status} không phải JSON của cổng"),
        };
    };
    let mut message = format!(
        "HTTP {status}, lỗi {}: {}",
        envelope.error_code, envelope.message
    );
    for r in &envelope.reasons {
        message.push_str(&format!("; {} [{}] {}", r.field, r.code, r.message));
    }
    match status {
        408 | 429 | 500..=599 => CallError::Retry {
            after: retry_after,
            message,
        },
        404 => CallError::UploadGone { message },
        _ => CallError::Rejected { message },
    }
}
