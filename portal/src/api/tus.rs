//! Resumable uploads: tus 1.0.0 core protocol with the creation and checksum extensions
//! (<https://tus.io/protocols/resumable-upload>, § Core Protocol, § Creation, § Checksum).
//!
//! Portal rules on top of tus (`docs/portal-api.md` § Uploads):
//! - `Upload-Metadata` must carry `sha256` (base64 of the 32-byte SHA-256 of the whole file); the
//!   server hashes the file when the last byte arrives and answers 422 (error 1009) on mismatch;
//! - every PATCH must carry `Upload-Checksum: sha256 <base64>`; a chunk is accepted whole or not at
//!   all (460 on mismatch, nothing written), and it is fsynced before its offset is acknowledged;
//! - `Upload-Defer-Length`, creation-with-upload, termination and concatenation are not offered.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::{ApiError, AppState, Caller, ErrorCode, blocking};
use crate::store::{UploadRow, UploadState};

/// The only tus version spoken.
pub const TUS_VERSION: &str = "1.0.0";
/// Media type of PATCH bodies (tus 1.0.0 § PATCH).
const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Requires `Tus-Resumable: 1.0.0` on every request but OPTIONS and adds it to every answer.
pub async fn protocol_headers(request: Request, next: Next) -> Response {
    let version_ok = request.method() == Method::OPTIONS
        || request
            .headers()
            .get("tus-resumable")
            .and_then(|v| v.to_str().ok())
            == Some(TUS_VERSION);
    let mut response = if version_ok {
        next.run(request).await
    } else {
        ApiError::new(
            ErrorCode::TusVersionUnsupported,
            "send Tus-Resumable: 1.0.0",
        )
        .with_header("tus-version", TUS_VERSION)
        .into_response()
    };
    response.headers_mut().insert(
        "tus-resumable",
        header::HeaderValue::from_static(TUS_VERSION),
    );
    response
}

/// `OPTIONS /api/v1/uploads`: capability discovery (tus 1.0.0 § OPTIONS).
pub async fn options(State(state): State<AppState>) -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            ("tus-version", TUS_VERSION.to_string()),
            ("tus-extension", "creation,checksum".to_string()),
            ("tus-checksum-algorithm", "sha256".to_string()),
            ("tus-max-size", state.limits.max_upload_size.to_string()),
            (
                "tus-max-chunk-size",
                state.limits.max_chunk_size.to_string(),
            ),
        ],
    )
        .into_response()
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn parse_u64_header(headers: &HeaderMap, name: &str) -> Result<u64, ApiError> {
    let text = header_text(headers, name).ok_or_else(|| {
        ApiError::new(ErrorCode::BadRequest, format!("{name} header is required"))
    })?;
    text.trim().parse().map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("{name}: {text:?} is not a non-negative integer"),
        )
    })
}

/// Parses tus `Upload-Metadata`: comma-separated `key base64value` pairs (tus 1.0.0 § Upload-Metadata).
pub fn parse_metadata(text: &str) -> Result<Vec<(String, Vec<u8>)>, ApiError> {
    let bad =
        |what: String| ApiError::new(ErrorCode::BadRequest, format!("Upload-Metadata: {what}"));
    let mut pairs = Vec::new();
    for pair in text
        .split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
    {
        let mut parts = pair.splitn(2, ' ');
        let key = parts.next().unwrap_or_default().to_string();
        let value = match parts.next() {
            Some(encoded) => BASE64
                .decode(encoded.trim())
                .map_err(|_| bad(format!("value of {key} is not base64")))?,
            None => Vec::new(),
        };
        pairs.push((key, value));
    }
    Ok(pairs)
}

fn decode_sha256(text: &str, what: &str) -> Result<[u8; 32], ApiError> {
    BASE64
        .decode(text.trim())
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::BadRequest,
                format!("{what}: expected base64 of a 32-byte SHA-256"),
            )
        })
}

fn upload_headers(upload: &UploadRow) -> Vec<(&'static str, String)> {
    let mut headers = vec![
        ("upload-offset", upload.offset.to_string()),
        ("upload-length", upload.length.to_string()),
        ("upload-state", upload.state.as_str().to_string()),
        ("cache-control", "no-store".to_string()),
    ];
    if !upload.metadata.is_empty() {
        headers.push(("upload-metadata", upload.metadata.clone()));
    }
    headers
}

fn with_headers(status: StatusCode, headers: Vec<(&'static str, String)>) -> Response {
    let mut response = status.into_response();
    for (name, value) in headers {
        if let Ok(value) = header::HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// `POST /api/v1/uploads`: creates an upload (tus 1.0.0 § Creation). Answers 201 with `Location`.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if headers.contains_key("upload-defer-length") {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "Upload-Defer-Length is not supported; send Upload-Length",
        ));
    }
    let length = parse_u64_header(&headers, "upload-length")?;
    if length > state.limits.max_upload_size {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "Upload-Length {length} exceeds Tus-Max-Size {}",
                state.limits.max_upload_size
            ),
        ));
    }
    let metadata_text = header_text(&headers, "upload-metadata")
        .unwrap_or("")
        .to_string();
    let metadata = parse_metadata(&metadata_text)?;
    let find = |key: &str| {
        metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let sha256_bytes = find("sha256").ok_or_else(|| {
        ApiError::new(
            ErrorCode::BadRequest,
            "Upload-Metadata must include sha256 (base64 of the file's SHA-256)",
        )
    })?;
    let sha256 = <[u8; 32]>::try_from(sha256_bytes).map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            "Upload-Metadata sha256 must decode to 32 bytes",
        )
    })?;
    let file_name = find("filename").and_then(|bytes| String::from_utf8(bytes).ok());
    let store = state.store.clone();
    let office = caller.office.clone();
    let upload = blocking(move || {
        store.create_upload(
            &office,
            length,
            sha256,
            &metadata_text,
            file_name.as_deref(),
        )
    })
    .await?;
    tracing::info!(upload = %upload.id, office = %upload.office, length, "upload created");
    let mut headers = upload_headers(&upload);
    headers.push(("location", format!("/api/v1/uploads/{}", upload.id)));
    Ok(with_headers(StatusCode::CREATED, headers))
}

async fn find_own_upload(
    state: &AppState,
    caller: &Caller,
    upload_id: &str,
) -> Result<UploadRow, ApiError> {
    let store = state.store.clone();
    let id = upload_id.to_string();
    blocking(move || store.get_upload(&id))
        .await?
        .filter(|upload| upload.office == caller.office)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("no upload {upload_id} for this office"),
            )
        })
}

/// `HEAD /api/v1/uploads/{id}`: the offset to resume from (tus 1.0.0 § HEAD).
pub async fn head(
    State(state): State<AppState>,
    caller: Caller,
    Path(upload_id): Path<String>,
) -> Result<Response, ApiError> {
    let upload = find_own_upload(&state, &caller, &upload_id).await?;
    Ok(with_headers(StatusCode::OK, upload_headers(&upload)))
}

/// `PATCH /api/v1/uploads/{id}`: appends one checksummed chunk (tus 1.0.0 § PATCH, § Checksum).
pub async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    Path(upload_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    if header_text(&headers, "content-type") != Some(OFFSET_OCTET_STREAM) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("PATCH needs Content-Type: {OFFSET_OCTET_STREAM}"),
        ));
    }
    let client_offset = parse_u64_header(&headers, "upload-offset")?;
    let checksum = header_text(&headers, "upload-checksum").ok_or_else(|| {
        ApiError::new(
            ErrorCode::BadRequest,
            "Upload-Checksum: sha256 <base64> is required",
        )
    })?;
    let (algorithm, encoded) = checksum.trim().split_once(' ').unwrap_or((checksum, ""));
    if algorithm != "sha256" {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            format!("Upload-Checksum algorithm {algorithm:?} is not supported; use sha256"),
        ));
    }
    let declared = decode_sha256(encoded, "Upload-Checksum")?;
    let chunk = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "chunk larger than Tus-Max-Chunk-Size {}",
                    state.limits.max_chunk_size
                ),
            )
        } else {
            ApiError::new(
                ErrorCode::BadRequest,
                format!("chunk body not received whole: {rejection}"),
            )
        }
    })?;

    let lock = state.upload_lock(&upload_id);
    let _guard = lock.lock().await;
    let upload = find_own_upload(&state, &caller, &upload_id).await?;
    match upload.state {
        UploadState::Receiving => {}
        UploadState::Complete => {
            return Err(
                ApiError::new(ErrorCode::OffsetMismatch, "upload is already complete")
                    .with_header("upload-offset", upload.offset),
            );
        }
        UploadState::HashMismatch => return Err(hash_mismatch(&upload)),
    }
    if client_offset != upload.offset {
        return Err(ApiError::new(
            ErrorCode::OffsetMismatch,
            format!(
                "Upload-Offset {client_offset} differs from the server's {}; HEAD and resume",
                upload.offset
            ),
        )
        .with_header("upload-offset", upload.offset));
    }
    if upload.offset + chunk.len() as u64 > upload.length {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "chunk would end at {} past Upload-Length {}",
                upload.offset + chunk.len() as u64,
                upload.length
            ),
        ));
    }
    let actual: [u8; 32] = Sha256::digest(&chunk).into();
    if actual != declared {
        tracing::warn!(upload = %upload.id, offset = upload.offset, "chunk checksum mismatch");
        return Err(ApiError::new(
            ErrorCode::ChunkChecksumMismatch,
            "chunk SHA-256 differs from Upload-Checksum; resend it",
        )
        .with_header("upload-offset", upload.offset));
    }
    if chunk.is_empty() {
        return Ok(with_headers(
            StatusCode::NO_CONTENT,
            upload_headers(&upload),
        ));
    }
    let store = state.store.clone();
    let updated = blocking(move || store.append_chunk(&upload, &chunk)).await?;
    if updated.state != UploadState::Receiving {
        state.forget_upload_lock(&updated.id);
    }
    match updated.state {
        UploadState::HashMismatch => {
            tracing::warn!(upload = %updated.id, "whole-file SHA-256 mismatch");
            Err(hash_mismatch(&updated))
        }
        _ => Ok(with_headers(
            StatusCode::NO_CONTENT,
            upload_headers(&updated),
        )),
    }
}

fn hash_mismatch(upload: &UploadRow) -> ApiError {
    ApiError::new(
        ErrorCode::FileHashMismatch,
        "the whole file's SHA-256 differs from the sha256 in Upload-Metadata; the upload is unusable, create a new one",
    )
    .with_header("upload-offset", upload.offset)
    .with_header("upload-state", upload.state.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs_decode_and_keys_without_values_are_kept() {
        let pairs = parse_metadata("filename dOG7nS1raGFpLnBkZg==, sha256 AAEC,flag").unwrap();
        assert_eq!(
            pairs[0],
            ("filename".to_string(), "tờ-khai.pdf".as_bytes().to_vec())
        );
        assert_eq!(pairs[1], ("sha256".to_string(), vec![0, 1, 2]));
        assert_eq!(pairs[2], ("flag".to_string(), Vec::new()));
    }

    #[test]
    fn metadata_with_bad_base64_is_refused() {
        assert!(parse_metadata("filename !!!").is_err());
    }
}
