//! MotCua Desk desktop shell (Tauri 2).
//!
//! Opens the "MotCua Desk" window on the Svelte UI in `ui/` and exposes commands over the
//! [`motcua`] core: `list_procedures`, `list_dossiers`, `get_dossier`, `create_dossier` and `dossier_timeline`; the supervisor's sign-in, verify, settings and reports
//! commands (`commands/{session,verify,settings,reports}.rs`). This crate only
//! adapts: DTOs in [`dto`], the `{code, message}` error in [`error`], the shared [`state`]. There is no SQL,
//! HTTP or cryptography here; all of that lives in the core, which knows nothing of Tauri.

pub mod commands;
pub mod dto;
pub mod error;
pub mod state;

/// Builds and runs the application until its window closes.
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state::DeskState::open_default())
        .manage(commands::verify::VerifyRuns::default())
        .invoke_handler(tauri::generate_handler![
            commands::list_procedures,
            commands::list_dossiers,
            commands::get_dossier,
            commands::create_dossier,
            commands::dossier_timeline,
            commands::session::session_status,
            commands::session::login,
            commands::session::logout,
            commands::session::create_first_account,
            commands::session::list_users,
            commands::session::add_user,
            commands::session::update_user,
            commands::session::change_own_password,
            commands::verify::verify_start,
            commands::verify::verify_cancel,
            commands::verify::verify_save_report,
            commands::settings::get_settings,
            commands::settings::check_settings,
            commands::settings::save_settings,
            commands::settings::import_trust_certificate,
            commands::reports::report_figures,
            commands::reports::export_report,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        // Only the binary decides how to fail: a clear message and a non-zero exit.
        eprintln!("MotCua Desk không khởi động được / could not start: {error}");
        std::process::exit(1);
    }
}
