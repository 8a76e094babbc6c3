//! Commands of the Hồ sơ screen's detail panel and Mẫu 04 banner (issues 8 and 9): a dossier's fees,
//! payment, postal return and result (save the result PDF, attach a scanned one), the dossiers that need an
//! apology slip now, issuing it, and saving a copy of the slip. Reading is open to any signed-in account;
//! writing needs the counter permission, so the audit entry names the clerk.

use std::path::PathBuf;

use super::blocking;
use crate::dto::dossiers::{
    ApologyCandidateDto, ApologyIssuedDto, PaymentDto, PostalDto, SettlementDto,
};
use crate::error::ErrorEnvelope;
use crate::state::DeskState;
use motcua::dossier::settlement::Payment;
use motcua::user::Permission;
use tauri::State;

/// Fees, payment, postal return and result of dossier `code`.
#[tauri::command]
pub async fn dossier_settlement(
    state: State<'_, DeskState>,
    code: String,
) -> Result<SettlementDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let s = blocking(move || desk.settlement(&code)).await?;
    Ok(SettlementDto::from(&s))
}

/// Records how the fees were paid (the time is now unless given).
#[tauri::command]
pub async fn record_payment(
    state: State<'_, DeskState>,
    code: String,
    payment: PaymentDto,
) -> Result<SettlementDto, ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::Counter)?;
    let payment = Payment {
        method: payment.method,
        receipt_no: payment.receipt_no,
        paid_at: payment.paid_at.unwrap_or_else(motcua::vietnam_now),
    };
    let s = blocking(move || desk.record_payment(&code, &payment, &actor)).await?;
    Ok(SettlementDto::from(&s))
}

/// Records (or updates) the return of the result by post.
#[tauri::command]
pub async fn record_postal(
    state: State<'_, DeskState>,
    code: String,
    postal: PostalDto,
) -> Result<SettlementDto, ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::Counter)?;
    let s = blocking(move || desk.record_postal(&code, &postal.into(), &actor)).await?;
    Ok(SettlementDto::from(&s))
}

/// Attaches a scanned result PDF at `path`.
#[tauri::command]
pub async fn attach_result(
    state: State<'_, DeskState>,
    code: String,
    path: String,
) -> Result<SettlementDto, ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::Counter)?;
    let s = blocking(move || desk.attach_result(&code, &PathBuf::from(path), &actor)).await?;
    Ok(SettlementDto::from(&s))
}

/// Saves the dossier's result PDF to `path` (chosen in the save dialog); returns its size.
#[tauri::command]
pub async fn save_result(
    state: State<'_, DeskState>,
    code: String,
    path: String,
) -> Result<usize, ErrorEnvelope> {
    let desk = state.desk()?;
    blocking(move || desk.save_result(&code, &PathBuf::from(path))).await
}

/// The dossiers that need Mẫu 04 now, least time left first.
#[tauri::command]
pub async fn apology_candidates(
    state: State<'_, DeskState>,
) -> Result<Vec<ApologyCandidateDto>, ErrorEnvelope> {
    let desk = state.desk()?;
    let list = blocking(move || desk.apology_candidates(motcua::vietnam_now())).await?;
    Ok(list.iter().map(ApologyCandidateDto::from).collect())
}

/// Issues Mẫu 04 for `code` now; the new due time is `extra_days` working days after the original one.
#[tauri::command]
pub async fn issue_apology(
    state: State<'_, DeskState>,
    code: String,
    reason: String,
    extra_days: u32,
) -> Result<ApologyIssuedDto, ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::Counter)?;
    let (new_due, file) =
        blocking(move || desk.issue_apology_slip(&code, &reason, extra_days, &actor)).await?;
    Ok(ApologyIssuedDto {
        new_due,
        file: file.display().to_string(),
    })
}

/// Copies an issued slip (`file`, in the data folder) to `path`.
#[tauri::command]
pub async fn save_slip_copy(
    state: State<'_, DeskState>,
    file: String,
    path: String,
) -> Result<(), ErrorEnvelope> {
    let desk = state.desk()?;
    blocking(move || desk.save_slip_copy(&PathBuf::from(file), &PathBuf::from(path))).await
}
