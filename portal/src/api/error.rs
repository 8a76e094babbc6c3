//! The HTTP error envelope `{error_code, message, reasons?}` and its closed list of codes
//! (`docs/portal-api.md` § Errors). Clients switch on `error_code` (and the HTTP status), never on text.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::check::CheckError;
use crate::payment::PaymentError;
use crate::processing::ProcessingError;
use crate::store::StoreError;
use crate::validate::ValidateError;
use crate::wire::{ErrorBody, Reason};

/// Every `error_code` the portal sends. 0 means success and only appears in success envelopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 401: no token, unknown token or revoked token.
    Unauthorized = 1001,
    /// 403: the token is valid but not an admin token.
    Forbidden = 1002,
    /// 404: no such upload, dossier or result (or it belongs to another office).
    NotFound = 1003,
    /// 400: malformed header, query or JSON.
    BadRequest = 1004,
    /// 409: `Upload-Offset` differs from the server's offset (or the upload is already complete).
    OffsetMismatch = 1005,
    /// 409: the `Idempotency-Key` was used before with a different body.
    IdempotencyKeyReused = 1006,
    /// 409: a dossier with this `MaHoSo` already exists ("đã tồn tại") under another key.
    DossierExists = 1007,
    /// 460: the chunk's `Upload-Checksum` does not match its bytes; resend the chunk.
    ChunkChecksumMismatch = 1008,
    /// 422: the whole file's SHA-256 differs from the one declared at creation; upload anew.
    FileHashMismatch = 1009,
    /// 422: the dossier is invalid; see `reasons`.
    ValidationFailed = 1010,
    /// 413: the upload or chunk is larger than the portal accepts.
    PayloadTooLarge = 1011,
    /// 415: a PATCH without `Content-Type: application/offset+octet-stream`.
    UnsupportedMediaType = 1012,
    /// 412: missing or unsupported `Tus-Resumable` version.
    TusVersionUnsupported = 1013,
    /// 503: the portal is unavailable (fault injection or overload); retry after `Retry-After`.
    Unavailable = 1014,
    /// 500: an internal error; retry later, and report it if it persists.
    Internal = 1015,
    /// 405: the method is not allowed on this path.
    MethodNotAllowed = 1016,
}

/// An error answer: HTTP status, code, message, optional reasons and extra headers.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub reasons: Vec<Reason>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    /// An error with the usual HTTP status of `code`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        let status = match code {
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
            ErrorCode::OffsetMismatch
            | ErrorCode::IdempotencyKeyReused
            | ErrorCode::DossierExists => StatusCode::CONFLICT,
            ErrorCode::ChunkChecksumMismatch => checksum_mismatch_status(),
            ErrorCode::FileHashMismatch | ErrorCode::ValidationFailed => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::TusVersionUnsupported => StatusCode::PRECONDITION_FAILED,
            ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        };
        ApiError {
            status,
            code,
            message: message.into(),
            reasons: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// Adds a header (e.g. `Upload-Offset` on a 409, `Retry-After` on a 503).
    pub fn with_header(mut self, name: &'static str, value: impl ToString) -> ApiError {
        if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
            self.headers.push((HeaderName::from_static(name), value));
        }
        self
    }

    /// Attaches validation reasons.
    pub fn with_reasons(mut self, reasons: Vec<Reason>) -> ApiError {
        self.reasons = reasons;
        self
    }

    /// A 500 that logs the cause (the client only learns that it should retry).
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(
            ErrorCode::Internal,
            format!("internal portal error: {cause}; retry later"),
        )
    }
}

/// tus checksum extension: 460 Checksum Mismatch (tus 1.0.0 § Checksum).
pub fn checksum_mismatch_status() -> StatusCode {
    StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error_code: self.code as u32,
            message: self.message,
            reasons: self.reasons,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        ApiError::internal(&error)
    }
}

impl From<CheckError> for ApiError {
    fn from(error: CheckError) -> ApiError {
        ApiError::internal(&error)
    }
}

impl From<ValidateError> for ApiError {
    fn from(error: ValidateError) -> ApiError {
        ApiError::internal(&error)
    }
}

impl From<ProcessingError> for ApiError {
    fn from(error: ProcessingError) -> ApiError {
        match error {
            ProcessingError::NotFound { .. } => {
                ApiError::new(ErrorCode::NotFound, error.to_string())
            }
            ProcessingError::Store(store) => ApiError::internal(&store),
            other => ApiError::new(ErrorCode::ValidationFailed, other.to_string()),
        }
    }
}

impl From<PaymentError> for ApiError {
    fn from(error: PaymentError) -> ApiError {
        match error {
            PaymentError::NotFound { .. } => ApiError::new(ErrorCode::NotFound, error.to_string()),
            PaymentError::Store(store) => ApiError::internal(&store),
            PaymentError::UnknownState { .. } | PaymentError::BadTime { .. } => {
                ApiError::new(ErrorCode::BadRequest, error.to_string())
            }
            other => ApiError::new(ErrorCode::ValidationFailed, other.to_string()),
        }
    }
}
