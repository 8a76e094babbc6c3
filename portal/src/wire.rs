//! JSON shapes of the portal protocol (`docs/portal-api.md` § Dossier JSON, § Responses).
//!
//! Dossier fields use the national sync vocabulary (`national-portal-sync.md` § Dossier fields), so a
//! connector to a real provincial system is a mapping, not a redesign. Fields the national vocabulary
//! does not have (`sha256`, `revision`, `reason`, …) are portal extensions and are written in English
//! snake_case so they stand out. Dates are `yyyyMMddHHmmss` strings in Vietnam time.

use serde::{Deserialize, Serialize};

/// A dossier as submitted by `POST /api/v1/dossiers` (`docs/portal-api.md` § Dossier JSON).
/// Required fields are `Option` here so validation can name every missing one at once.
/// Unknown national fields (Email, TrichYeuHoSo, …) are accepted and stored untouched.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DossierSubmission {
    #[serde(rename = "MaHoSo")]
    pub ma_ho_so: Option<String>,
    #[serde(rename = "MaTTHC")]
    pub ma_tthc: Option<String>,
    #[serde(rename = "TenTTHC")]
    pub ten_tthc: Option<String>,
    /// 1 at the counter, 2 online, 3 by public postal service.
    #[serde(rename = "KenhThucHien")]
    pub kenh_thuc_hien: Option<u8>,
    #[serde(rename = "ChuHoSo")]
    pub chu_ho_so: Option<String>,
    #[serde(rename = "SoGiayToChuHoSo")]
    pub so_giay_to_chu_ho_so: Option<String>,
    /// 1 citizen, 2 business, 3 state agency, 4 organisation.
    #[serde(rename = "LoaiDoiTuong")]
    pub loai_doi_tuong: Option<u8>,
    #[serde(rename = "NgayTiepNhan")]
    pub ngay_tiep_nhan: Option<String>,
    #[serde(rename = "NgayHenTra")]
    pub ngay_hen_tra: Option<String>,
    /// The client's view (normally 1, Mới đăng ký); the portal answers with 2 when it accepts.
    #[serde(rename = "TrangThaiHoSo")]
    pub trang_thai_ho_so: Option<u8>,
    /// How the result is returned: 0 at the counter, 1 by post.
    #[serde(rename = "HinhThuc")]
    pub hinh_thuc: Option<u8>,
    #[serde(rename = "TaiLieuNop", default)]
    pub tai_lieu_nop: Vec<TaiLieuNop>,
    #[serde(rename = "DanhSachLePhi", default)]
    pub danh_sach_le_phi: Vec<LePhi>,
    #[serde(rename = "DinhDanhCHS", default)]
    pub dinh_danh_chs: Vec<DinhDanh>,
    /// Assigned by the portal; ignored when a client sends it.
    #[serde(rename = "SoBienNhan")]
    pub so_bien_nhan: Option<String>,
}

/// One submitted document (`TaiLieuNop[]`). `TepDinhKemId` is the id of a completed tus upload.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct TaiLieuNop {
    #[serde(rename = "TepDinhKemId")]
    pub tep_dinh_kem_id: Option<String>,
    #[serde(rename = "TenTepDinhKem")]
    pub ten_tep_dinh_kem: Option<String>,
    #[serde(rename = "MaThanhPhanHoSo")]
    pub ma_thanh_phan_ho_so: Option<String>,
    /// Informational for the portal; the bytes are found through `TepDinhKemId`.
    #[serde(rename = "DuongDanTaiTepTin")]
    pub duong_dan_tai_tep_tin: Option<String>,
    #[serde(rename = "DuocSoHoa")]
    pub duoc_so_hoa: Option<bool>,
    /// Portal extension: base64 SHA-256 of the file; when present it must equal the upload's hash.
    #[serde(rename = "sha256")]
    pub sha256: Option<String>,
}

/// One fee (`DanhSachLePhi[]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct LePhi {
    #[serde(rename = "TenPhiLePhi")]
    pub ten_phi_le_phi: Option<String>,
    #[serde(rename = "MaPhiLePhi")]
    pub ma_phi_le_phi: Option<String>,
    #[serde(rename = "HinhThucThu")]
    pub hinh_thuc_thu: Option<u8>,
    /// Amount in đồng (whole VND).
    #[serde(rename = "Gia")]
    pub gia: Option<u64>,
    #[serde(rename = "LoaiPhiLePhi")]
    pub loai_phi_le_phi: Option<u8>,
}

/// One identity document of the applicant (`DinhDanhCHS[]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DinhDanh {
    /// 1 = 12-digit citizen ID, 2 = 9-digit old ID.
    #[serde(rename = "LoaiDinhDanh")]
    pub loai_dinh_danh: Option<u8>,
    #[serde(rename = "SoDinhDanh")]
    pub so_dinh_danh: Option<String>,
}

/// Status of a dossier as answered by submit, `GET /api/v1/dossiers/{MaHoSo}` and polling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierStatus {
    #[serde(rename = "MaHoSo")]
    pub ma_ho_so: String,
    #[serde(rename = "SoBienNhan")]
    pub so_bien_nhan: String,
    #[serde(rename = "TrangThaiHoSo")]
    pub trang_thai_ho_so: u8,
    /// Vietnamese name of the status, for logs and people (clients should switch on the code).
    #[serde(rename = "TenTrangThaiHoSo")]
    pub ten_trang_thai_ho_so: String,
    /// When the result was returned (status 10).
    #[serde(rename = "NgayTra", skip_serializing_if = "Option::is_none")]
    pub ngay_tra: Option<String>,
    /// Result documents; at most one (the result PDF) in this sandbox.
    #[serde(rename = "DanhSachGiayToKetQua")]
    pub danh_sach_giay_to_ket_qua: Vec<GiayToKetQua>,
    /// Reason of the last status change (what to supplement for 5, why for 3 and 8).
    pub reason: Option<String>,
    /// When the portal accepted the dossier.
    pub received_at: String,
    /// When the status last changed.
    pub updated_at: String,
    /// Change counter of the last change; pass the largest seen as `changed_since`.
    pub revision: i64,
    /// National field: 1 when the fees were paid online through the portal (and not refunded), else 0.
    /// Present only once the back office set a payment status (`docs/portal-api.md` § Payment).
    #[serde(
        rename = "DuocThanhToanTrucTuyen",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub duoc_thanh_toan_truc_tuyen: Option<u8>,
    /// Portal extension: the payment status, receipt number and times; present only once set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentStatus>,
}

/// The payment of a dossier's fees through the portal (portal extension; `docs/portal-api.md` § Payment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentStatus {
    /// `unpaid`, `paid` or `refunded`.
    pub status: String,
    /// Payment receipt (biên lai) or transaction number; kept when refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_no: Option<String>,
    /// When it was paid, `yyyyMMddHHmmss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<String>,
    /// Amount paid, whole đồng.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_vnd: Option<u64>,
    /// When it was refunded, `yyyyMMddHHmmss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded_at: Option<String>,
}

/// A result document (`DanhSachGiayToKetQua[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiayToKetQua {
    #[serde(rename = "TenGiayTo")]
    pub ten_giay_to: String,
    #[serde(rename = "GiayToId")]
    pub giay_to_id: String,
    /// Path (relative to the portal base URL) to download the PDF with the same token.
    #[serde(rename = "DuongDanTepTinKetQua")]
    pub duong_dan_tep_tin_ket_qua: String,
    /// Base64 SHA-256 of the PDF (also sent as `Repr-Digest` on download).
    pub sha256: String,
    pub size: u64,
}

/// Success envelope: `error_code` 0, a message, and the data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Success<T> {
    pub error_code: u32,
    pub message: String,
    pub data: T,
}

/// Answer to `GET /api/v1/dossiers?changed_since=N`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangesPage {
    pub error_code: u32,
    pub message: String,
    pub data: Vec<DossierStatus>,
    /// Pass this as `changed_since` in the next poll.
    pub next_changed_since: i64,
    /// More changes are waiting: poll again at once.
    pub has_more: bool,
}

/// Error envelope: `{error_code, message}` plus, for validation failures, one reason per problem.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error_code: u32,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
}

/// One validation problem: which field, a stable code, and a human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// JSON path of the field, e.g. `TaiLieuNop[0].TepDinhKemId`.
    pub field: String,
    /// Stable code: `missing_field`, `invalid_value`, `missing_file`, `upload_incomplete`,
    /// `hash_mismatch`, `not_pdf`, `document_rejected`.
    pub code: String,
    pub message: String,
}

impl Reason {
    /// Builds a reason.
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Reason {
        Reason {
            field: field.into(),
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// Vietnamese name of a national status code (`national-portal-sync.md` § Code values, TrangThaiHoSo).
pub fn status_name(code: u8) -> &'static str {
    match code {
        1 => "Mới đăng ký",
        2 => "Được tiếp nhận",
        3 => "Không được tiếp nhận",
        4 => "Đang xử lý",
        5 => "Yêu cầu bổ sung giấy tờ",
        6 => "Yêu cầu thực hiện nghĩa vụ tài chính",
        7 => "Công dân yêu cầu rút hồ sơ",
        8 => "Dừng xử lý",
        9 => "Đã xử lý xong",
        10 => "Đã trả kết quả",
        _ => "Không xác định",
    }
}

impl DossierStatus {
    /// The wire view of a stored dossier.
    pub fn from_row(row: &crate::store::DossierRow) -> DossierStatus {
        use base64::Engine as _;
        let result = row.result_sha256.as_deref().map(|hash_hex| GiayToKetQua {
            ten_giay_to: "Kết quả giải quyết thủ tục hành chính".to_string(),
            giay_to_id: format!("{}-KQ", row.ma_ho_so),
            duong_dan_tep_tin_ket_qua: format!("/api/v1/dossiers/{}/result", row.ma_ho_so),
            sha256: hex::decode(hash_hex)
                .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
                .unwrap_or_default(),
            size: row.result_size.unwrap_or(0),
        });
        DossierStatus {
            ma_ho_so: row.ma_ho_so.clone(),
            so_bien_nhan: row.so_bien_nhan.clone(),
            trang_thai_ho_so: row.trang_thai,
            ten_trang_thai_ho_so: status_name(row.trang_thai).to_string(),
            ngay_tra: row.returned_at.clone(),
            danh_sach_giay_to_ket_qua: result.into_iter().collect(),
            reason: row.reason.clone(),
            received_at: row.received_at.clone(),
            updated_at: row.updated_at.clone(),
            revision: row.revision,
            duoc_thanh_toan_truc_tuyen: row
                .payment
                .as_ref()
                .map(|p| u8::from(p.state == crate::store::PaymentState::Paid)),
            payment: row.payment.as_ref().map(|p| PaymentStatus {
                status: p.state.as_str().to_string(),
                receipt_no: p.receipt_no.clone(),
                paid_at: p.paid_at.clone(),
                amount_vnd: p.amount_vnd,
                refunded_at: p.refunded_at.clone(),
            }),
        }
    }
}
