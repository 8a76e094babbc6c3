//! Simulated online payment of a dossier's fees (`DanhSachLePhi`) through the portal, as the back office
//! records it (`docs/portal-api.md` § Payment). Shared by `motcua-portal payment set` and the admin
//! endpoint so both apply the same rules:
//! - `paid` needs the payment receipt (biên lai) or transaction number; the time defaults to now;
//! - `refunded` is only possible after `paid`, and keeps the receipt number and payment time;
//! - `unpaid` clears an earlier record.
//!
//! The national vocabulary has `DuocThanhToanTrucTuyen` (paid online) on a dossier but no payment-status
//! object, so the status, receipt and times travel in the portal extension `payment` of the status
//! object (`crate::wire::PaymentStatus`).

use crate::store::{DossierRow, PaymentRow, PaymentState, Store, StoreError};
use crate::time::{format_national, now_vietnam, parse_national};

/// Longest accepted receipt number.
const MAX_RECEIPT: usize = 64;

/// Why a payment change was refused or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PaymentError {
    #[error("payment status {given:?} is unknown; use unpaid, paid or refunded")]
    UnknownState { given: String },
    #[error(
        "a paid status needs the payment receipt number (--receipt NO, or \"receipt_no\" in the admin request)"
    )]
    ReceiptRequired,
    #[error("receipt number {receipt:?} is longer than {MAX_RECEIPT} characters")]
    ReceiptTooLong { receipt: String },
    #[error("time {given:?} is not a national date yyyyMMddHHmmss (Vietnam time)")]
    BadTime { given: String },
    #[error("dossier {ma_ho_so} was not paid online, so it cannot be refunded; set it paid first")]
    NotPaid { ma_ho_so: String },
    #[error("no dossier {ma_ho_so} on this portal")]
    NotFound { ma_ho_so: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A requested change, as the CLI or the admin endpoint received it.
#[derive(Debug, Clone, Copy)]
pub struct PaymentChange<'a> {
    /// `unpaid`, `paid` or `refunded`.
    pub status: &'a str,
    pub receipt_no: Option<&'a str>,
    /// The payment time (`paid`) or refund time (`refunded`), `yyyyMMddHHmmss`; default now.
    pub at: Option<&'a str>,
    /// Amount in đồng.
    pub amount_vnd: Option<u64>,
}

/// Applies a payment change and returns the updated dossier.
pub fn set_payment(
    store: &Store,
    ma_ho_so: &str,
    change: PaymentChange<'_>,
) -> Result<DossierRow, PaymentError> {
    let state = PaymentState::parse(change.status).ok_or_else(|| PaymentError::UnknownState {
        given: change.status.to_string(),
    })?;
    let at = match change.at.map(str::trim) {
        None | Some("") => format_national(now_vietnam()),
        Some(text) => {
            parse_national(text)
                .map(format_national)
                .ok_or_else(|| PaymentError::BadTime {
                    given: text.to_string(),
                })?
        }
    };
    let receipt = change
        .receipt_no
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if let Some(receipt) = receipt.as_ref().filter(|r| r.chars().count() > MAX_RECEIPT) {
        return Err(PaymentError::ReceiptTooLong {
            receipt: receipt.clone(),
        });
    }
    let current = store
        .get_dossier(ma_ho_so)?
        .ok_or_else(|| PaymentError::NotFound {
            ma_ho_so: ma_ho_so.to_string(),
        })?;
    let payment = match state {
        PaymentState::Unpaid => PaymentRow {
            state,
            receipt_no: None,
            paid_at: None,
            amount_vnd: None,
            refunded_at: None,
        },
        PaymentState::Paid => PaymentRow {
            state,
            receipt_no: Some(receipt.ok_or(PaymentError::ReceiptRequired)?),
            paid_at: Some(at),
            amount_vnd: change.amount_vnd,
            refunded_at: None,
        },
        PaymentState::Refunded => {
            let paid = current
                .payment
                .filter(|p| p.state != PaymentState::Unpaid)
                .ok_or_else(|| PaymentError::NotPaid {
                    ma_ho_so: ma_ho_so.to_string(),
                })?;
            PaymentRow {
                state,
                receipt_no: paid.receipt_no,
                paid_at: paid.paid_at,
                amount_vnd: change.amount_vnd.or(paid.amount_vnd),
                refunded_at: Some(at),
            }
        }
    };
    store
        .set_payment(ma_ho_so, &payment)?
        .ok_or_else(|| PaymentError::NotFound {
            ma_ho_so: ma_ho_so.to_string(),
        })
}
