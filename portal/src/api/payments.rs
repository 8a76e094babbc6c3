//! `POST /api/v1/admin/dossiers/{MaHoSo}/payment`: the simulated back office records the online payment
//! of a dossier's fees (paid with a receipt number, refunded, or unpaid), `docs/portal-api.md` § Payment.
//! The rules are [`crate::payment`]'s, shared with `motcua-portal payment set`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::dossiers::read_body;
use super::{ApiError, AppState, Caller, ErrorCode, blocking};
use crate::payment::{PaymentChange, set_payment};
use crate::wire::{DossierStatus, Success};

/// Body of the request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminPaymentRequest {
    /// `unpaid`, `paid` or `refunded`.
    status: String,
    receipt_no: Option<String>,
    /// Payment (or refund) time, `yyyyMMddHHmmss`; default now.
    at: Option<String>,
    amount_vnd: Option<u64>,
}

/// Records a payment change (admin token only) and answers with the dossier's status object.
pub async fn admin_set_payment(
    State(state): State<AppState>,
    caller: Caller,
    Path(ma_ho_so): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = read_body(body)?;
    if !caller.admin {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "payment changes need an admin token (token create --admin)",
        ));
    }
    let request: AdminPaymentRequest = serde_json::from_slice(&body).map_err(|error| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("admin payment body: {error}"),
        )
    })?;
    let store = state.store.clone();
    let code = ma_ho_so.clone();
    let row = blocking(move || {
        set_payment(
            &store,
            &code,
            PaymentChange {
                status: &request.status,
                receipt_no: request.receipt_no.as_deref(),
                at: request.at.as_deref(),
                amount_vnd: request.amount_vnd,
            },
        )
    })
    .await?;
    tracing::info!(
        %ma_ho_so,
        payment = row.payment.as_ref().map_or("", |p| p.state.as_str()),
        by = %caller.token_id,
        "payment changed"
    );
    Ok(axum::Json(Success {
        error_code: 0,
        message: String::new(),
        data: DossierStatus::from_row(&row),
    })
    .into_response())
}
