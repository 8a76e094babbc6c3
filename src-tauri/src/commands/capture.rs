//! Commands of the capture screen's large page preview (thin adapters over `Desk::page_preview`, run on
//! the blocking pool: decoding and cleaning a 300-dpi page takes a few hundred milliseconds) and of the
//! office's scanner profile the screen starts from (`Desk::scan_profile`).

use motcua::counter::preview::PreviewMode;
use tauri::State;

use super::blocking;
use crate::dto::capture::{PagePreviewDto, ScanProfileDto};
use crate::error::ErrorEnvelope;
use crate::state::DeskState;

/// Page `id` rendered big, `mode` being `original` or a cleanup mode (`auto`, `color`, `gray`, `bw`);
/// null for a PDF page.
#[tauri::command]
pub async fn page_preview(
    state: State<'_, DeskState>,
    id: i64,
    mode: String,
) -> Result<Option<PagePreviewDto>, ErrorEnvelope> {
    let mode = PreviewMode::from_name(&mode).ok_or_else(|| {
        ErrorEnvelope::internal(format!(
            "chế độ xem trước {mode:?} không có; dùng original, auto, color, gray hoặc bw"
        ))
    })?;
    let desk = state.desk()?;
    let preview = blocking(move || desk.page_preview(id, mode)).await?;
    Ok(preview.map(PagePreviewDto::from))
}

/// The office's scanner profile (Cài đặt → Quét), which the capture screen starts from.
#[tauri::command]
pub async fn scan_profile(state: State<'_, DeskState>) -> Result<ScanProfileDto, ErrorEnvelope> {
    let desk = state.desk()?;
    Ok(blocking(move || desk.scan_profile()).await?.into())
}
