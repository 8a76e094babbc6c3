//! MotCua Desk desktop shell (Tauri 2).
//!
//! Opens the "MotCua Desk" window on the Svelte UI in `ui/` and exposes commands over the
//! [`motcua`] core: `list_procedures`, `list_dossiers`, `get_dossier`, `create_dossier` and `dossier_timeline`. This crate only
//! adapts: DTOs in [`dto`], the `{code, message}` error in [`error`], the shared [`state`]. There is no SQL,
//! HTTP or cryptography here; all of that lives in the core, which knows nothing of Tauri.

pub mod commands;
pub mod dto;
pub mod error;
pub mod state;

/// Builds and runs the application until its window closes.
pub fn run() {
    let result = tauri::Builder::default()
        .manage(state::DeskState::open_default())
        .manage(commands::counter::CounterWork::default())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::list_procedures,
            commands::list_dossiers,
            commands::get_dossier,
            commands::create_dossier,
            commands::dossier_timeline,
            commands::counter::read_cccd,
            commands::counter::capture_state,
            commands::counter::import_pages,
            commands::counter::scan_devices,
            commands::counter::scan_pages,
            commands::counter::page_thumbnail,
            commands::counter::arrange_pages,
            commands::counter::rotate_page,
            commands::counter::delete_page,
            commands::counter::assemble_documents,
            commands::counter::counter_cancel,
            commands::counter::counter_tokens,
            commands::counter::sign_dossier,
            commands::counter::issue_receipt_pdf,
            commands::counter::counter_submit,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        // Only the binary decides how to fail: a clear message and a non-zero exit.
        eprintln!("MotCua Desk không khởi động được / could not start: {error}");
        std::process::exit(1);
    }
}
