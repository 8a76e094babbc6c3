//! Validation of a submitted dossier (`docs/portal-api.md` § Validation): every problem becomes a
//! [`Reason`], so the clerk sees the whole list at once instead of fixing one error per round trip.

use base64::Engine as _;

use crate::check::{CheckError, CheckOutcome, DocumentCheck};
use crate::store::{Store, StoreError, UploadState};
use crate::time::parse_national;
use crate::wire::{DossierSubmission, Reason, TaiLieuNop};

/// Errors that prevent validation from reaching a verdict.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValidateError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Check(#[from] CheckError),
}

/// Longest accepted `MaHoSo`.
const MAX_CODE_LEN: usize = 64;

fn required<'a>(
    reasons: &mut Vec<Reason>,
    field: &str,
    value: &'a Option<String>,
) -> Option<&'a str> {
    match value.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Some(text),
        _ => {
            reasons.push(Reason::new(
                field,
                "missing_field",
                format!("{field} is required"),
            ));
            None
        }
    }
}

fn code_in(
    reasons: &mut Vec<Reason>,
    field: &str,
    value: Option<u8>,
    allowed: &[u8],
    required: bool,
) {
    match value {
        None if required => reasons.push(Reason::new(
            field,
            "missing_field",
            format!("{field} is required"),
        )),
        Some(code) if !allowed.contains(&code) => reasons.push(Reason::new(
            field,
            "invalid_value",
            format!("{field} = {code} is not one of {allowed:?}"),
        )),
        _ => {}
    }
}

fn national_date(reasons: &mut Vec<Reason>, field: &str, value: Option<&str>) {
    if let Some(text) = value
        && parse_national(text).is_none()
    {
        reasons.push(Reason::new(
            field,
            "invalid_value",
            format!("{field} = {text:?} is not a date in the form yyyyMMddHHmmss"),
        ));
    }
}

/// Checks the fields that need no storage access. Returns every problem found.
pub fn validate_fields(dossier: &DossierSubmission) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if let Some(code) = required(&mut reasons, "MaHoSo", &dossier.ma_ho_so) {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
        if code.len() > MAX_CODE_LEN || !code.chars().all(allowed) {
            reasons.push(Reason::new(
                "MaHoSo",
                "invalid_value",
                format!(
                    "MaHoSo {code:?} must be at most {MAX_CODE_LEN} characters of A-Z a-z 0-9 . - _"
                ),
            ));
        }
    }
    required(&mut reasons, "MaTTHC", &dossier.ma_tthc);
    required(&mut reasons, "TenTTHC", &dossier.ten_tthc);
    required(&mut reasons, "ChuHoSo", &dossier.chu_ho_so);
    code_in(
        &mut reasons,
        "KenhThucHien",
        dossier.kenh_thuc_hien,
        &[1, 2, 3],
        true,
    );
    code_in(
        &mut reasons,
        "LoaiDoiTuong",
        dossier.loai_doi_tuong,
        &[1, 2, 3, 4],
        true,
    );
    code_in(
        &mut reasons,
        "TrangThaiHoSo",
        dossier.trang_thai_ho_so,
        &[1, 2],
        false,
    );
    code_in(&mut reasons, "HinhThuc", dossier.hinh_thuc, &[0, 1], false);
    let received = required(&mut reasons, "NgayTiepNhan", &dossier.ngay_tiep_nhan);
    national_date(&mut reasons, "NgayTiepNhan", received);
    national_date(&mut reasons, "NgayHenTra", dossier.ngay_hen_tra.as_deref());
    if let (Some(from), Some(due)) = (
        received.and_then(parse_national),
        dossier.ngay_hen_tra.as_deref().and_then(parse_national),
    ) && due < from
    {
        reasons.push(Reason::new(
            "NgayHenTra",
            "invalid_value",
            "NgayHenTra is before NgayTiepNhan",
        ));
    }
    if dossier.tai_lieu_nop.is_empty() {
        reasons.push(Reason::new(
            "TaiLieuNop",
            "missing_field",
            "a dossier needs at least one document",
        ));
    }
    for (index, document) in dossier.tai_lieu_nop.iter().enumerate() {
        required(
            &mut reasons,
            &format!("TaiLieuNop[{index}].TepDinhKemId"),
            &document.tep_dinh_kem_id,
        );
        required(
            &mut reasons,
            &format!("TaiLieuNop[{index}].TenTepDinhKem"),
            &document.ten_tep_dinh_kem,
        );
    }
    for (index, fee) in dossier.danh_sach_le_phi.iter().enumerate() {
        required(
            &mut reasons,
            &format!("DanhSachLePhi[{index}].TenPhiLePhi"),
            &fee.ten_phi_le_phi,
        );
        if fee.gia.is_none() {
            let field = format!("DanhSachLePhi[{index}].Gia");
            reasons.push(Reason::new(
                &field,
                "missing_field",
                format!("{field} is required"),
            ));
        }
    }
    for (index, identity) in dossier.dinh_danh_chs.iter().enumerate() {
        let field = format!("DinhDanhCHS[{index}]");
        let number = identity.so_dinh_danh.as_deref().unwrap_or("");
        let digits = number.len();
        let all_digits = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
        match identity.loai_dinh_danh {
            Some(1) if all_digits && digits == 12 => {}
            Some(2) if all_digits && digits == 9 => {}
            Some(1) | Some(2) => reasons.push(Reason::new(
                format!("{field}.SoDinhDanh"),
                "invalid_value",
                "SoDinhDanh must be 12 digits for LoaiDinhDanh 1 and 9 digits for LoaiDinhDanh 2",
            )),
            _ => reasons.push(Reason::new(
                format!("{field}.LoaiDinhDanh"),
                "invalid_value",
                "LoaiDinhDanh must be 1 (12-digit citizen ID) or 2 (9-digit old ID)",
            )),
        }
    }
    reasons
}

/// Checks that every document references a complete upload of `office` whose hash matches, and passes
/// it through `check`. Blocking (reads files): call from a blocking thread.
pub fn validate_documents(
    store: &Store,
    check: &dyn DocumentCheck,
    office: &str,
    documents: &[TaiLieuNop],
) -> Result<Vec<Reason>, ValidateError> {
    let mut reasons = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        let field = format!("TaiLieuNop[{index}]");
        let Some(upload_id) = document.tep_dinh_kem_id.as_deref() else {
            continue; // already reported by validate_fields
        };
        let name = document.ten_tep_dinh_kem.as_deref().unwrap_or(upload_id);
        let upload = store
            .get_upload(upload_id)?
            .filter(|upload| upload.office == office);
        let Some(upload) = upload else {
            reasons.push(Reason::new(
                format!("{field}.TepDinhKemId"),
                "missing_file",
                format!(
                    "{name}: no upload {upload_id} exists for this office; upload the file first"
                ),
            ));
            continue;
        };
        match upload.state {
            UploadState::Receiving => {
                reasons.push(Reason::new(
                    format!("{field}.TepDinhKemId"),
                    "upload_incomplete",
                    format!(
                        "{name}: upload has {} of {} bytes; finish it first",
                        upload.offset, upload.length
                    ),
                ));
                continue;
            }
            UploadState::HashMismatch => {
                reasons.push(Reason::new(
                    format!("{field}.TepDinhKemId"),
                    "hash_mismatch",
                    format!("{name}: the uploaded bytes do not match the SHA-256 declared at upload creation"),
                ));
                continue;
            }
            UploadState::Complete => {}
        }
        if let Some(declared) = document.sha256.as_deref() {
            let upload_hash = base64::engine::general_purpose::STANDARD.encode(upload.sha256);
            if declared != upload_hash {
                reasons.push(Reason::new(
                    format!("{field}.sha256"),
                    "hash_mismatch",
                    format!(
                        "{name}: sha256 {declared} differs from the uploaded file's {upload_hash}"
                    ),
                ));
                continue;
            }
        }
        if let CheckOutcome::Refused { code, message } =
            check.check(&store.upload_path(upload_id), name)?
        {
            reasons.push(Reason::new(format!("{field}.TepDinhKemId"), code, message));
        }
    }
    Ok(reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> DossierSubmission {
        serde_json::from_value(serde_json::json!({
            "MaHoSo": "H56.14-261127-0001", "MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh",
            "KenhThucHien": 1, "ChuHoSo": "Nguyễn Văn A", "LoaiDoiTuong": 1,
            "NgayTiepNhan": "20261127090000", "NgayHenTra": "20261127160000",
            "TaiLieuNop": [{"TepDinhKemId": "abc", "TenTepDinhKem": "to-khai.pdf"}],
            "DinhDanhCHS": [{"LoaiDinhDanh": 1, "SoDinhDanh": "001099012345"}]
        }))
        .unwrap()
    }

    #[test]
    fn a_complete_dossier_has_no_field_problems() {
        assert_eq!(validate_fields(&valid()), Vec::new());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut dossier = valid();
        dossier.ma_tthc = None;
        dossier.kenh_thuc_hien = Some(9);
        dossier.ngay_hen_tra = Some("2026-11-27".into());
        dossier.dinh_danh_chs[0].so_dinh_danh = Some("12345".into());
        let fields: Vec<String> = validate_fields(&dossier)
            .into_iter()
            .map(|r| r.field)
            .collect();
        assert_eq!(
            fields,
            [
                "MaTTHC",
                "KenhThucHien",
                "NgayHenTra",
                "DinhDanhCHS[0].SoDinhDanh"
            ]
        );
    }

    #[test]
    fn due_date_before_reception_is_refused() {
        let mut dossier = valid();
        dossier.ngay_hen_tra = Some("20261126090000".into());
        let reasons = validate_fields(&dossier);
        assert_eq!(reasons.len(), 1);
        assert_eq!(reasons[0].field, "NgayHenTra");
    }
}
