//! Dossier endpoints: idempotent submission, status look-up, the change feed, result download, and the
//! admin status change (`docs/portal-api.md` § Dossiers, § Admin).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{ApiError, AppState, Caller, ErrorCode, blocking};
use crate::store::{DossierRow, NewSubmission, StoredAnswer, SubmitOutcome};
use crate::validate::{validate_documents, validate_fields};
use crate::wire::{ChangesPage, DossierStatus, DossierSubmission, Reason, Success};

/// Longest accepted `Idempotency-Key`.
const MAX_KEY_LEN: usize = 255;
/// Default and largest page size of the change feed.
const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 1000;

/// Maps a body that could not be read (too large, connection cut) to the error envelope.
pub(crate) fn read_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                ErrorCode::PayloadTooLarge,
                format!("request body too large: {rejection}"),
            )
        } else {
            ApiError::new(
                ErrorCode::BadRequest,
                format!("request body not received whole: {rejection}"),
            )
        }
    })
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let key = headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    if key.is_empty() || key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            format!(
                "Idempotency-Key header is required: 1 to {MAX_KEY_LEN} visible ASCII characters, one per dossier"
            ),
        ));
    }
    Ok(key.to_string())
}

/// Replays a stored answer byte for byte, or refuses when the key came with a different body.
fn replay(answer: StoredAnswer, request_sha256: &str) -> Result<Response, ApiError> {
    if answer.request_sha256 != request_sha256 {
        return Err(ApiError::new(
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key was used with a different body; use a new key for a different dossier",
        ));
    }
    let status = StatusCode::from_u16(answer.http_status).unwrap_or(StatusCode::OK);
    let mut response = json_response(status, answer.response);
    response.headers_mut().insert(
        "idempotent-replayed",
        header::HeaderValue::from_static("true"),
    );
    Ok(response)
}

/// `POST /api/v1/dossiers`: submits a dossier whose documents are completed uploads.
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let body = read_body(body)?;
    let value: serde_json::Value = serde_json::from_slice(&body).map_err(|error| {
        ApiError::new(ErrorCode::BadRequest, format!("body is not JSON: {error}"))
    })?;
    if !value.is_object() {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "body must be a JSON object (one dossier)",
        ));
    }
    // Canonical form (object keys sorted, no whitespace): the same dossier re-serialised differently
    // by the client still counts as the same body.
    let canonical = serde_json::to_string(&value).map_err(|error| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("body cannot be re-encoded: {error}"),
        )
    })?;
    let request_sha256 = hex::encode(Sha256::digest(canonical.as_bytes()));

    let store = state.store.clone();
    let (office, lookup_key) = (caller.office.clone(), key.clone());
    if let Some(answer) = blocking(move || store.find_answer(&office, &lookup_key)).await? {
        return replay(answer, &request_sha256);
    }

    let dossier: DossierSubmission = serde_json::from_value(value).map_err(|error| {
        ApiError::new(
            ErrorCode::ValidationFailed,
            "the dossier JSON has a field of the wrong type",
        )
        .with_reasons(vec![Reason::new(
            "(body)",
            "invalid_value",
            error.to_string(),
        )])
    })?;
    let mut reasons = validate_fields(&dossier);
    let (store, check, office) = (
        state.store.clone(),
        state.check.clone(),
        caller.office.clone(),
    );
    let documents = dossier.tai_lieu_nop.clone();
    reasons.extend(
        blocking(move || validate_documents(&store, check.as_ref(), &office, &documents)).await?,
    );
    let ma_ho_so = dossier
        .ma_ho_so
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    if !reasons.is_empty() {
        tracing::info!(%ma_ho_so, office = %caller.office, problems = reasons.len(), "dossier refused");
        return Err(ApiError::new(
            ErrorCode::ValidationFailed,
            format!(
                "dossier {ma_ho_so} refused: {} problem(s), see reasons",
                reasons.len()
            ),
        )
        .with_reasons(reasons));
    }

    let store = state.store.clone();
    let (office, code) = (caller.office.clone(), ma_ho_so.clone());
    let outcome = blocking(move || {
        let submission = NewSubmission {
            office: &office,
            idempotency_key: &key,
            request_sha256: &request_sha256,
            ma_ho_so: &code,
            body: &canonical,
            http_status: StatusCode::CREATED.as_u16(),
        };
        store
            .submit_dossier(submission, accepted_body)
            .map(|outcome| (outcome, request_sha256))
    })
    .await?;
    match outcome {
        (SubmitOutcome::Created { row, response }, _) => {
            tracing::info!(ma_ho_so = %row.ma_ho_so, so_bien_nhan = %row.so_bien_nhan, office = %row.office, "dossier accepted");
            Ok(json_response(StatusCode::CREATED, response))
        }
        (SubmitOutcome::Replayed(answer), request_sha256) => replay(answer, &request_sha256),
        (SubmitOutcome::AlreadyExists, _) => Err(ApiError::new(
            ErrorCode::DossierExists,
            format!(
                "Hồ sơ {ma_ho_so} đã tồn tại (submitted earlier under another Idempotency-Key)"
            ),
        )),
    }
}

fn accepted_body(row: &DossierRow) -> Vec<u8> {
    let body = Success {
        error_code: 0,
        message: "Hồ sơ đã được tiếp nhận".to_string(),
        data: DossierStatus::from_row(row),
    };
    // Serialising plain strings and integers cannot fail.
    serde_json::to_vec(&body).unwrap_or_default()
}

async fn find_visible(
    state: &AppState,
    caller: &Caller,
    ma_ho_so: &str,
) -> Result<DossierRow, ApiError> {
    let store = state.store.clone();
    let code = ma_ho_so.to_string();
    blocking(move || store.get_dossier(&code))
        .await?
        .filter(|row| caller.admin || row.office == caller.office)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("no dossier {ma_ho_so} for this office"),
            )
        })
}

/// `GET /api/v1/dossiers/{MaHoSo}`: current status.
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(ma_ho_so): Path<String>,
) -> Result<Response, ApiError> {
    let row = find_visible(&state, &caller, &ma_ho_so).await?;
    Ok(axum::Json(Success {
        error_code: 0,
        message: String::new(),
        data: DossierStatus::from_row(&row),
    })
    .into_response())
}

/// `GET /api/v1/dossiers?changed_since=N&limit=M`: dossiers changed after revision N, oldest first.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let since: i64 = match query.get("changed_since") {
        None => 0,
        Some(text) => text.parse().ok().filter(|n: &i64| *n >= 0).ok_or_else(|| {
            ApiError::new(
                ErrorCode::BadRequest,
                format!("changed_since={text:?} must be a revision number >= 0"),
            )
        })?,
    };
    let limit: u32 = match query.get("limit") {
        None => DEFAULT_PAGE,
        Some(text) => text
            .parse()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::BadRequest,
                    format!("limit={text:?} must be between 1 and {MAX_PAGE}"),
                )
            })?,
    };
    let store = state.store.clone();
    let office = (!caller.admin).then(|| caller.office.clone());
    let mut rows =
        blocking(move || store.changed_since(office.as_deref(), since, limit + 1)).await?;
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = rows.last().map_or(since, |row| row.revision);
    Ok(axum::Json(ChangesPage {
        error_code: 0,
        message: String::new(),
        data: rows.iter().map(DossierStatus::from_row).collect(),
        next_changed_since: next,
        has_more,
    })
    .into_response())
}

/// `GET /api/v1/dossiers/{MaHoSo}/result`: the result PDF, with `Repr-Digest` (RFC 9530).
pub async fn result(
    State(state): State<AppState>,
    caller: Caller,
    Path(ma_ho_so): Path<String>,
) -> Result<Response, ApiError> {
    let row = find_visible(&state, &caller, &ma_ho_so).await?;
    let Some(hash_hex) = row.result_sha256.clone() else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("dossier {ma_ho_so} has no result yet"),
        ));
    };
    let path = state.store.result_path(&hash_hex);
    let bytes =
        blocking(move || std::fs::read(&path).map_err(|error| ApiError::internal(&error))).await?;
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&bytes));
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-ket-qua.pdf\"", row.ma_ho_so),
            ),
            (
                header::HeaderName::from_static("repr-digest"),
                format!("sha-256=:{digest}:"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Body of `POST /api/v1/admin/dossiers/{MaHoSo}/status`.
#[derive(Debug, Deserialize)]
struct AdminStatusRequest {
    #[serde(rename = "TrangThaiHoSo")]
    trang_thai_ho_so: u8,
    reason: Option<String>,
    /// The result PDF, base64 (standard alphabet); only with status 10.
    result_pdf_base64: Option<String>,
}

/// `POST /api/v1/admin/dossiers/{MaHoSo}/status`: simulated back office (admin token only).
pub async fn admin_set_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(ma_ho_so): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = read_body(body)?;
    if !caller.admin {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "status changes need an admin token (token create --admin)",
        ));
    }
    let request: AdminStatusRequest = serde_json::from_slice(&body).map_err(|error| {
        ApiError::new(ErrorCode::BadRequest, format!("admin status body: {error}"))
    })?;
    let result = match request.result_pdf_base64.as_deref() {
        None => None,
        Some(encoded) => Some(
            base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .map_err(|_| {
                    ApiError::new(ErrorCode::BadRequest, "result_pdf_base64 is not base64")
                })?,
        ),
    };
    let store = state.store.clone();
    let code = ma_ho_so.clone();
    let row = blocking(move || {
        crate::processing::set_status(
            &store,
            &code,
            request.trang_thai_ho_so,
            request.reason.as_deref(),
            result.as_deref(),
        )
    })
    .await?;
    tracing::info!(%ma_ho_so, status = row.trang_thai, by = %caller.token_id, "status changed");
    Ok(axum::Json(Success {
        error_code: 0,
        message: String::new(),
        data: DossierStatus::from_row(&row),
    })
    .into_response())
}
