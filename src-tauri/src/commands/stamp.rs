//! Command behind the Ký số screen's stamp preview: the assembled PDF of one document (the file signing
//! starts from), returned as raw bytes (an ArrayBuffer in the UI) for pdf.js to draw. The chosen placement
//! itself travels with `sign_dossier` (`commands::counter`).

use crate::error::ErrorEnvelope;
use crate::state::DeskState;
use tauri::State;

use super::blocking;

/// The assembled PDF of document `doc_code` of dossier `code`.
#[tauri::command]
pub async fn document_pdf(
    state: State<'_, DeskState>,
    code: String,
    doc_code: String,
) -> Result<tauri::ipc::Response, ErrorEnvelope> {
    let desk = state.desk()?;
    let bytes = blocking(move || desk.document_pdf(&code, &doc_code)).await?;
    Ok(tauri::ipc::Response::new(bytes))
}
