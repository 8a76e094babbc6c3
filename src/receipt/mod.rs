//! The slips a one-stop counter prints for a dossier (Circular 01/2018/TT-VPCP, annex forms):
//! Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" ([`form01`]) and Mẫu 04 "Phiếu xin lỗi và hẹn lại
//! ngày trả kết quả" ([`form04`]).
//!
//! Both are A4 PDFs drawn by the core ([`canvas`]) with an embedded Noto Sans subset and a ToUnicode map,
//! so printing needs no installed font and `pdftotext` returns the Vietnamese text intact. The dossier
//! code is printed as text, as a QR code and as a Code 128 barcode ([`codes`]). Rendering is pure (data in,
//! bytes out); [`issue`] adds the `Desk` calls that gather the data, write the file atomically and record
//! the slip in the dossier's audit trail.

pub mod canvas;
pub mod codes;
pub mod form01;
pub mod form04;
mod issue;

pub use form01::ReceiptSlip;
pub use form04::ApologySlip;
pub use issue::{
    AGENCY_NAME, AGENCY_UNIT, APOLOGY_ISSUED, DEMO_AGENCY_NAME, DEMO_AGENCY_UNIT, RECEIPT_ISSUED,
};

use chrono::NaiveDateTime;
use std::path::PathBuf;

use crate::pdf::font::FontError;

/// Why a slip could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiptError {
    /// The font could not be embedded.
    #[error(transparent)]
    Font(#[from] FontError),
    /// The dossier code cannot be encoded as a QR code or barcode.
    #[error("cannot encode {data:?} as a symbol: {reason}")]
    Symbol { data: String, reason: String },
    /// lopdf could not serialise the document.
    #[error("cannot serialise the slip for {path}: {reason}")]
    Serialise { path: PathBuf, reason: String },
    /// The output file could not be written.
    #[error("cannot write {path}: {source}; check free space and permissions of the folder")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Copies must be 1 or 2.
    #[error("số liên {0} không hợp lệ: chỉ in 1 hoặc 2 liên")]
    Copies(u8),
    /// Mẫu 04 must reach the applicant before the original due date.
    #[error(
        "không thể lập phiếu xin lỗi hồ sơ {code} ngày {issued}: đã quá hạn trả {due}; phiếu phải lập trước ngày hẹn trả"
    )]
    ApologyAfterDue {
        code: String,
        issued: NaiveDateTime,
        due: NaiveDateTime,
    },
    /// The apology slip needs a reason.
    #[error("phiếu xin lỗi hồ sơ {code} cần ghi lý do chậm trễ")]
    ReasonMissing { code: String },
    /// At least one extra working day.
    #[error("số ngày làm việc gia hạn phải lớn hơn 0")]
    ExtraDays,
}

/// The office printed at the top left of every slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    /// The governing body, e.g. "UBND PHƯỜNG BA ĐÌNH" (setting `agency.name`).
    pub name: String,
    /// The receiving unit, e.g. "BỘ PHẬN MỘT CỬA" (setting `agency.unit`).
    pub unit: String,
}

/// Serialises `doc` to bytes.
pub(crate) fn to_bytes(
    mut doc: lopdf::Document,
    path: &std::path::Path,
) -> Result<Vec<u8>, ReceiptError> {
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .map_err(|e| ReceiptError::Serialise {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
    Ok(bytes)
}

/// "09 giờ 05 phút, ngày 04/11/2025".
pub fn vi_time(t: NaiveDateTime) -> String {
    t.format("%H giờ %M phút, ngày %d/%m/%Y").to_string()
}

/// "ngày 04 tháng 11 năm 2025".
pub fn vi_date_words(t: NaiveDateTime) -> String {
    t.format("ngày %d tháng %m năm %Y").to_string()
}
