//! Simulated back-office processing: moving a dossier along the national status codes
//! (`national-portal-sync.md` § Code values, TrangThaiHoSo). Shared by `motcua-portal status set` and
//! the admin endpoint so both apply the same rules:
//! - codes 1–10 only;
//! - 3 (Không được tiếp nhận), 5 (Yêu cầu bổ sung giấy tờ) and 8 (Dừng xử lý) need a reason;
//! - 10 (Đã trả kết quả) needs a result PDF, given now or attached earlier; a result is only accepted
//!   together with status 10. The sandbox does not enforce an order of transitions, so trainers can
//!   replay any scenario.

use sha2::{Digest, Sha256};

use crate::store::{DossierRow, Store, StoreError, write_atomically};

/// Why a status change was refused or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProcessingError {
    #[error("status {code} is not a national TrangThaiHoSo code; use 1 to 10")]
    UnknownStatus { code: u8 },
    #[error("status {code} needs a reason (--reason TEXT, or \"reason\" in the admin request)")]
    ReasonRequired { code: u8 },
    #[error(
        "status 10 needs a result PDF (--result FILE.pdf, or \"result_pdf_base64\"), none is attached to {ma_ho_so}"
    )]
    ResultRequired { ma_ho_so: String },
    #[error("a result PDF can only be attached with status 10, not {code}")]
    ResultWithoutStatus10 { code: u8 },
    #[error("the result file is not a PDF (it does not start with %PDF-)")]
    ResultNotPdf,
    #[error("no dossier {ma_ho_so} on this portal")]
    NotFound { ma_ho_so: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Applies a status change and returns the updated dossier.
pub fn set_status(
    store: &Store,
    ma_ho_so: &str,
    code: u8,
    reason: Option<&str>,
    result_pdf: Option<&[u8]>,
) -> Result<DossierRow, ProcessingError> {
    if !(1..=10).contains(&code) {
        return Err(ProcessingError::UnknownStatus { code });
    }
    let reason = reason.map(str::trim).filter(|text| !text.is_empty());
    if matches!(code, 3 | 5 | 8) && reason.is_none() {
        return Err(ProcessingError::ReasonRequired { code });
    }
    if result_pdf.is_some() && code != 10 {
        return Err(ProcessingError::ResultWithoutStatus10 { code });
    }
    let current = store
        .get_dossier(ma_ho_so)?
        .ok_or_else(|| ProcessingError::NotFound {
            ma_ho_so: ma_ho_so.to_string(),
        })?;
    let result = match result_pdf {
        Some(bytes) => {
            if !bytes.starts_with(b"%PDF-") {
                return Err(ProcessingError::ResultNotPdf);
            }
            let hash_hex = hex::encode(Sha256::digest(bytes));
            write_atomically(&store.result_path(&hash_hex), bytes)?;
            Some((hash_hex, bytes.len() as u64))
        }
        None if code == 10 && current.result_sha256.is_none() => {
            return Err(ProcessingError::ResultRequired {
                ma_ho_so: ma_ho_so.to_string(),
            });
        }
        None => None,
    };
    let result_ref = result.as_ref().map(|(hash, size)| (hash.as_str(), *size));
    store
        .set_status(ma_ho_so, code, reason, result_ref)?
        .ok_or_else(|| ProcessingError::NotFound {
            ma_ho_so: ma_ho_so.to_string(),
        })
}
