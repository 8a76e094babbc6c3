//! The dossier JSON sent to the portal, in the national sync vocabulary (`docs/portal-api.md` § Dossier
//! JSON; field names from the national portal's sync specification).
//!
//! Built once per job, from the dossier and the job's completed uploads, and stored with the job before the
//! first POST: retries must send the same bytes under the same idempotency key.

use crate::dossier::{Dossier, ResultReturn};
use crate::store::OutboxJob;
use base64::Engine as _;
use serde_json::{Value, json};

/// National date: `yyyyMMddHHmmss`, Vietnam time.
const NATIONAL_DATE: &str = "%Y%m%d%H%M%S";

/// The submission body of `dossier` referencing the uploads of `job` (every file must have its upload).
pub fn dossier_json(dossier: &Dossier, job: &OutboxJob) -> Value {
    let b64 = base64::engine::general_purpose::STANDARD;
    let documents: Vec<Value> = job
        .files
        .iter()
        .map(|f| {
            let upload_id = f
                .upload_url
                .as_deref()
                .and_then(|u| u.rsplit('/').next())
                .unwrap_or_default();
            let sha = hex::decode(&f.sha256).unwrap_or_default();
            json!({
                "TepDinhKemId": upload_id,
                "TenTepDinhKem": f.file_name,
                "MaThanhPhanHoSo": f.doc_code,
                "DuocSoHoa": true,
                "sha256": b64.encode(sha),
            })
        })
        .collect();
    let fees: Vec<Value> = dossier
        .fees
        .iter()
        .map(|fee| json!({ "TenPhiLePhi": fee.name, "Gia": fee.amount_vnd }))
        .collect();
    let id = &dossier.applicant.citizen_id;
    let mut body = json!({
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure_code,
        "TenTTHC": dossier.procedure_name,
        "KenhThucHien": dossier.channel.national_code(),
        "ChuHoSo": dossier.applicant.full_name,
        "SoGiayToChuHoSo": id,
        "LoaiDoiTuong": dossier.applicant.kind.national_code(),
        "NgayTiepNhan": dossier.received_at.format(NATIONAL_DATE).to_string(),
        "NgayHenTra": dossier.due_at.format(NATIONAL_DATE).to_string(),
        "TrangThaiHoSo": 1,
        "HinhThuc": match dossier.result_return { ResultReturn::Counter => 0, ResultReturn::Post => 1 },
        "TaiLieuNop": documents,
        "DanhSachLePhi": fees,
    });
    let kind = match id.len() {
        12 => Some(1),
        9 => Some(2),
        _ => None,
    };
    if let (Some(kind), Some(map)) = (kind, body.as_object_mut()) {
        if id.bytes().all(|b| b.is_ascii_digit()) {
            map.insert(
                "DinhDanhCHS".into(),
                json!([{ "LoaiDinhDanh": kind, "SoDinhDanh": id }]),
            );
        }
        if !dossier.applicant.phone.is_empty() {
            map.insert("SoDienThoai".into(), json!(dossier.applicant.phone));
        }
        if !dossier.applicant.email.is_empty() {
            map.insert("Email".into(), json!(dossier.applicant.email));
        }
    }
    body
}
