//! The HTTP layer: router, authentication, fault injection and access log
//! (`docs/portal-api.md` is the contract this module implements).
//!
//! Handlers are thin: parse headers and bodies, call the store (on a blocking thread, since SQLite and
//! file I/O block), and map results to the envelopes in [`crate::wire`] and [`error`].

pub mod dossiers;
pub mod error;
pub mod payments;
pub mod tus;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, head, post};

use crate::check::DocumentCheck;
use crate::store::{Principal, Store};
pub use error::{ApiError, ErrorCode};

/// Size limits the portal enforces.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest accepted `Upload-Length` (advertised as `Tus-Max-Size`).
    pub max_upload_size: u64,
    /// Largest accepted PATCH body (advertised as `Tus-Max-Chunk-Size`, a portal extension).
    pub max_chunk_size: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_upload_size: 256 * 1024 * 1024,
            max_chunk_size: 16 * 1024 * 1024,
        }
    }
}

/// Fault injection for tests of the client's retry logic (`docs/portal-api.md` § Fault injection).
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    /// Probability that a request is refused with 503 before it is processed.
    pub fail_rate: f64,
    /// Probability that a request is processed but its answer replaced by 503 (a lost acknowledgement).
    pub drop_ack_rate: f64,
    /// `Retry-After` seconds sent with injected 503s.
    pub retry_after_secs: u32,
}

/// Everything a handler needs, shared by all requests.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    /// The document check applied at submission ([`crate::check`]): signature verification.
    pub check: Arc<dyn DocumentCheck>,
    pub limits: Limits,
    pub faults: Faults,
    upload_locks: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl AppState {
    /// Builds the state over an opened store.
    pub fn new(
        store: Arc<Store>,
        check: Arc<dyn DocumentCheck>,
        limits: Limits,
        faults: Faults,
    ) -> AppState {
        AppState {
            store,
            check,
            limits,
            faults,
            upload_locks: Arc::default(),
        }
    }

    /// The lock that serialises PATCHes of one upload (two concurrent PATCHes must not both append).
    pub(crate) fn upload_lock(&self, upload_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = match self.upload_locks.lock() {
            Ok(locks) => locks,
            Err(poisoned) => poisoned.into_inner(),
        };
        locks.entry(upload_id.to_string()).or_default().clone()
    }

    /// Drops the lock of an upload that can take no more bytes, so the map does not grow forever.
    /// (A PATCH still waiting on the old lock will find the upload finished and answer 409 or 422.)
    pub(crate) fn forget_upload_lock(&self, upload_id: &str) {
        let mut locks = match self.upload_locks.lock() {
            Ok(locks) => locks,
            Err(poisoned) => poisoned.into_inner(),
        };
        locks.remove(upload_id);
    }
}

/// Runs blocking work (SQLite, file I/O) off the async threads.
pub(crate) async fn blocking<T, E>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(Into::into),
        Err(join) => Err(ApiError::internal(&join)),
    }
}

/// Largest admin request (a result PDF travels base64-encoded inside it).
const MAX_ADMIN_BODY: usize = 64 * 1024 * 1024;

/// Builds the whole application.
pub fn router(state: AppState) -> Router {
    let uploads = Router::new()
        .route("/api/v1/uploads", post(tus::create).options(tus::options))
        .route(
            "/api/v1/uploads/{upload_id}",
            head(tus::head).patch(tus::patch),
        )
        .layer(DefaultBodyLimit::max(state.limits.max_chunk_size))
        .layer(middleware::from_fn(tus::protocol_headers));
    let dossiers = Router::new()
        .route(
            "/api/v1/dossiers",
            post(dossiers::submit).get(dossiers::list),
        )
        .route("/api/v1/dossiers/{ma_ho_so}", get(dossiers::get_one))
        .route("/api/v1/dossiers/{ma_ho_so}/result", get(dossiers::result))
        .route(
            "/api/v1/admin/dossiers/{ma_ho_so}/status",
            post(dossiers::admin_set_status).layer(DefaultBodyLimit::max(MAX_ADMIN_BODY)),
        )
        .route(
            "/api/v1/admin/dossiers/{ma_ho_so}/payment",
            post(payments::admin_set_payment),
        );
    Router::new()
        .merge(uploads)
        .merge(dossiers)
        .layer(middleware::from_fn_with_state(state.clone(), require_token))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(|| async {
            ApiError::new(
                ErrorCode::NotFound,
                "no such endpoint; see docs/portal-api.md",
            )
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                ErrorCode::MethodNotAllowed,
                "method not allowed on this endpoint",
            )
        })
        .layer(middleware::from_fn_with_state(state.clone(), inject_faults))
        .layer(middleware::from_fn(access_log))
        .with_state(state)
}

fn remote_addr(request: &Request) -> String {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Authenticates `Authorization: Bearer <token>`; refuses with 401 and a log line otherwise.
/// OPTIONS (tus capability discovery) needs no token.
async fn require_token(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        // The auth scheme name is case-insensitive (RFC 9110 § 11.1).
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string());
    let refusal = match presented {
        None => "missing bearer token",
        Some(token) => {
            let store = state.store.clone();
            match blocking(move || store.authenticate(&token)).await {
                Ok(Some(principal)) => {
                    request.extensions_mut().insert(principal);
                    return next.run(request).await;
                }
                Ok(None) => "unknown or revoked token",
                Err(error) => return error.into_response(),
            }
        }
    };
    tracing::warn!(
        remote = %remote_addr(&request),
        method = %request.method(),
        path = %request.uri().path(),
        reason = refusal,
        "unauthorized request refused"
    );
    ApiError::new(
        ErrorCode::Unauthorized,
        format!("{refusal}; send Authorization: Bearer <office token>"),
    )
    .with_header("www-authenticate", "Bearer realm=\"motcua-portal\"")
    .into_response()
}

/// Injected 503s: before processing (`fail_rate`) or after it (`drop_ack_rate`, a lost answer).
async fn inject_faults(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let faults = state.faults;
    let unavailable = |when: &str| {
        ApiError::new(
            ErrorCode::Unavailable,
            format!("injected fault ({when}); retry later"),
        )
        .with_header("retry-after", faults.retry_after_secs)
        .into_response()
    };
    if faults.fail_rate > 0.0 && rand::random::<f64>() < faults.fail_rate {
        return unavailable("request refused before processing");
    }
    let response = next.run(request).await;
    if faults.drop_ack_rate > 0.0 && rand::random::<f64>() < faults.drop_ack_rate {
        return unavailable("request processed, answer dropped");
    }
    response
}

/// One log line per request: method, path, status, duration, remote address.
async fn access_log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let remote = remote_addr(&request);
    let response = next.run(request).await;
    tracing::info!(
        %remote,
        %method,
        %path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// The caller's identity, put in the request by [`require_token`].
pub(crate) type Caller = axum::Extension<Principal>;
