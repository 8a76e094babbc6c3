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
        .manage(commands::queue::QueueState::default())
        .setup(|app| {
            // The outbox runs in the background from the start (issue 9: always-visible online state).
            commands::queue::start(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_procedures,
            commands::list_dossiers,
            commands::get_dossier,
            commands::create_dossier,
            commands::dossier_timeline,
            commands::queue::queue_page,
            commands::queue::queue_status,
            commands::queue::retry_job,
            commands::queue::cancel_job,
            commands::queue::pause_queue,
            commands::queue::resume_queue,
        ])
        .build(tauri::generate_context!())
        .map(|app| {
            app.run(|handle, event| {
                if let tauri::RunEvent::Exit = event {
                    commands::queue::stop(handle);
                }
            })
        });
    if let Err(error) = result {
        // Only the binary decides how to fail: a clear message and a non-zero exit.
        eprintln!("MotCua Desk không khởi động được / could not start: {error}");
        std::process::exit(1);
    }
}
