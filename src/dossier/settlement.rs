//! What happens to a dossier around its result: the fees it owes (copied from the catalogue when it opens,
//! editable), how they were paid, the return of the result by post (bưu chính công ích) and the result itself.
//!
//! Vocabulary of the national sync (`DanhSachLePhi[]`: TenPhiLePhi, Gia, HinhThucThu; `DuocThanhToanTrucTuyen`;
//! `HinhThuc` 0 counter / 1 post; `DanhSachGiayToKetQua[]`), see the national portal sync reference,
//! "Dossier fields" and "Code values". Amounts are whole đồng. Pure: validation only, no I/O.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::ResultReturn;
use crate::catalog::Fee;

/// HinhThucThu: how the fees were paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Cash at the counter, against a paper receipt (biên lai).
    Cash,
    /// Online payment through the portal (DuocThanhToanTrucTuyen).
    Online,
    /// Bank transfer.
    Transfer,
    /// Exempt (miễn phí, lệ phí) — nothing to pay.
    Exempt,
}

impl PaymentMethod {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Online => "online",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Exempt => "exempt",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        [
            PaymentMethod::Cash,
            PaymentMethod::Online,
            PaymentMethod::Transfer,
            PaymentMethod::Exempt,
        ]
        .into_iter()
        .find(|m| m.as_str() == text.trim())
    }

    /// The label the counter uses.
    pub fn label_vi(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Tiền mặt tại quầy",
            PaymentMethod::Online => "Thanh toán trực tuyến",
            PaymentMethod::Transfer => "Chuyển khoản",
            PaymentMethod::Exempt => "Miễn phí, lệ phí",
        }
    }
}

/// How a dossier's fees were paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub method: PaymentMethod,
    /// The receipt (biên lai) or transaction number; empty only when exempt.
    pub receipt_no: String,
    /// Local Vietnam time.
    pub paid_at: NaiveDateTime,
}

/// Return of the result by the public postal service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalReturn {
    pub address: String,
    /// The postal tracking number, once the result is handed to the post.
    pub tracking_no: String,
    pub sent_at: Option<NaiveDateTime>,
    pub delivered_at: Option<NaiveDateTime>,
}

/// Where the digitised result came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultSource {
    /// Downloaded from the portal by the status sync.
    Portal,
    /// Scanned (or received as a file) at the counter.
    Scan,
}

impl ResultSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultSource::Portal => "portal",
            ResultSource::Scan => "scan",
        }
    }

    pub fn parse(text: &str) -> Option<ResultSource> {
        match text {
            "portal" => Some(ResultSource::Portal),
            "scan" => Some(ResultSource::Scan),
            _ => None,
        }
    }
}

/// The signed result PDF attached to a dossier (a blob in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDocument {
    pub sha256: String,
    pub source: ResultSource,
    /// Local Vietnam time it was attached.
    pub attached_at: Option<NaiveDateTime>,
}

/// Fees, payment, postal return and result of one dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settlement {
    pub code: String,
    pub fees: Vec<Fee>,
    pub fees_total_vnd: u64,
    pub payment: Option<Payment>,
    /// The payment was recorded from the portal's payment status (paid online through the portal,
    /// `DuocThanhToanTrucTuyen`), not by a clerk.
    pub payment_via_portal: bool,
    /// Where the applicant collects the result (HinhThuc).
    pub result_return: ResultReturn,
    pub postal: Option<PostalReturn>,
    pub result: Option<ResultDocument>,
}

/// A rule the fees, payment or postal data broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettlementError {
    #[error("khoản phí thứ {index} chưa có tên")]
    FeeName { index: usize },
    #[error("hồ sơ {code}: cần số biên lai hoặc mã giao dịch cho hình thức {method}")]
    ReceiptMissing { code: String, method: &'static str },
    #[error("hồ sơ {code}: miễn phí thì không có biên lai ({receipt:?})")]
    ExemptWithReceipt { code: String, receipt: String },
    #[error("hồ sơ {code}: cần địa chỉ nhận kết quả qua bưu chính")]
    AddressMissing { code: String },
    #[error("hồ sơ {code}: cần số hiệu bưu gửi khi đã gửi kết quả")]
    TrackingMissing { code: String },
    #[error("hồ sơ {code}: ngày phát {delivered} không thể trước ngày gửi {sent:?}")]
    DeliveredBeforeSent {
        code: String,
        sent: Option<NaiveDateTime>,
        delivered: NaiveDateTime,
    },
    #[error("hồ sơ {code}: tệp kết quả {file} không phải PDF")]
    NotPdf { code: String, file: String },
    #[error("hồ sơ {code}: không đọc được tệp kết quả {file}: {reason}")]
    ResultUnreadable {
        code: String,
        file: String,
        reason: String,
    },
}

fn clean(text: &str) -> String {
    text.trim().nfc().collect()
}

/// Trims and NFC-normalises fee names; every fee needs a name.
pub fn validate_fees(fees: &[Fee]) -> Result<Vec<Fee>, SettlementError> {
    fees.iter()
        .enumerate()
        .map(|(i, f)| {
            let name = clean(&f.name);
            if name.is_empty() {
                return Err(SettlementError::FeeName { index: i + 1 });
            }
            Ok(Fee {
                name,
                amount_vnd: f.amount_vnd,
            })
        })
        .collect()
}

/// Checks a payment: a receipt number unless exempt, none when exempt.
pub fn validate_payment(code: &str, payment: &Payment) -> Result<Payment, SettlementError> {
    let receipt_no = clean(&payment.receipt_no);
    match (payment.method, receipt_no.is_empty()) {
        (PaymentMethod::Exempt, false) => Err(SettlementError::ExemptWithReceipt {
            code: code.to_owned(),
            receipt: receipt_no,
        }),
        (m, true) if m != PaymentMethod::Exempt => Err(SettlementError::ReceiptMissing {
            code: code.to_owned(),
            method: m.label_vi(),
        }),
        _ => Ok(Payment {
            method: payment.method,
            receipt_no,
            paid_at: payment.paid_at,
        }),
    }
}

/// Checks a postal return: an address; a tracking number once sent; delivered only after sent.
pub fn validate_postal(code: &str, postal: &PostalReturn) -> Result<PostalReturn, SettlementError> {
    let address = clean(&postal.address);
    let tracking_no = clean(&postal.tracking_no);
    if address.is_empty() {
        return Err(SettlementError::AddressMissing {
            code: code.to_owned(),
        });
    }
    if postal.sent_at.is_some() && tracking_no.is_empty() {
        return Err(SettlementError::TrackingMissing {
            code: code.to_owned(),
        });
    }
    if let Some(delivered) = postal.delivered_at
        && postal.sent_at.is_none_or(|sent| delivered < sent)
    {
        return Err(SettlementError::DeliveredBeforeSent {
            code: code.to_owned(),
            sent: postal.sent_at,
            delivered,
        });
    }
    Ok(PostalReturn {
        address,
        tracking_no,
        sent_at: postal.sent_at,
        delivered_at: postal.delivered_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn payment_needs_a_receipt_unless_exempt() {
        let mut p = Payment {
            method: PaymentMethod::Cash,
            receipt_no: "  ".into(),
            paid_at: t(2, 9),
        };
        assert!(matches!(
            validate_payment("X", &p),
            Err(SettlementError::ReceiptMissing { .. })
        ));
        p.method = PaymentMethod::Exempt;
        assert_eq!(validate_payment("X", &p).unwrap().receipt_no, "");
        p.receipt_no = "BL-1".into();
        assert!(matches!(
            validate_payment("X", &p),
            Err(SettlementError::ExemptWithReceipt { .. })
        ));
    }

    #[test]
    fn postal_delivery_follows_sending() {
        let mut p = PostalReturn {
            address: " 12 Hàng Bạc ".into(),
            tracking_no: String::new(),
            sent_at: None,
            delivered_at: None,
        };
        assert_eq!(validate_postal("X", &p).unwrap().address, "12 Hàng Bạc");
        p.sent_at = Some(t(3, 9));
        assert!(matches!(
            validate_postal("X", &p),
            Err(SettlementError::TrackingMissing { .. })
        ));
        p.tracking_no = "EMS123".into();
        p.delivered_at = Some(t(2, 9));
        assert!(matches!(
            validate_postal("X", &p),
            Err(SettlementError::DeliveredBeforeSent { .. })
        ));
        p.delivered_at = Some(t(4, 9));
        assert!(validate_postal("X", &p).is_ok());
    }
}
