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

/// Keeps the WebKit web process small. Accelerated compositing is off: the UI is forms and tables, which
/// WebKit paints well without GL layers, and on counter PCs without a usable GPU (and under Xvfb) the
/// composited path runs through software GL and costs about 90 MiB more in the web process (measured:
/// 220 → 127 MiB PSS with 1,000 dossiers, BENCHMARKS.md). The "document viewer" cache model drops the page
/// cache, which a single-page app served from its bundle never uses. `MOTCUA_WEBVIEW_COMPOSITING=1` keeps
/// WebKit's default: the end-to-end tests set it because WebKitWebDriver takes screenshots from the
/// compositor (without it every screenshot request hangs).
fn webview_memory(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        use webkit2gtk::{
            CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
        };
        if let Some(window) = app.get_webview_window("main") {
            let applied = window.with_webview(|webview| {
                let view = webview.inner();
                if let Some(context) = view.context() {
                    context.set_cache_model(CacheModel::DocumentViewer);
                }
                if std::env::var_os("MOTCUA_WEBVIEW_COMPOSITING").is_none()
                    && let Some(settings) = WebViewExt::settings(&view)
                {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
            });
            if let Err(error) = applied {
                eprintln!("motcua-desk: could not tune the web view's caches: {error}");
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// Builds and runs the application until its window closes.
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state::DeskState::open_default())
        .manage(commands::verify::VerifyRuns::default())
        .manage(commands::queue::QueueState::default())
        .manage(commands::counter::CounterWork::default())
        .manage(commands::launch::LaunchRequest::from_args(std::env::args()))
        .manage(commands::hot_folder::HotFolderState::default())
        .setup(|app| {
            webview_memory(app);
            // The outbox runs in the background from the start (issue 9: always-visible online state).
            commands::queue::start(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_procedures,
            commands::list_dossiers,
            commands::dossiers::dossier_settlement,
            commands::dossiers::record_payment,
            commands::dossiers::record_postal,
            commands::dossiers::attach_result,
            commands::dossiers::save_result,
            commands::dossiers::apology_candidates,
            commands::dossiers::issue_apology,
            commands::dossiers::save_slip_copy,
            commands::get_dossier,
            commands::create_dossier,
            commands::dossier_timeline,
            commands::probe::ui_ready,
            commands::launch::launch_dossier,
            commands::hot_folder::hot_folder_start,
            commands::hot_folder::hot_folder_stop,
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
            commands::calendar::office_days,
            commands::calendar::set_office_day,
            commands::calendar::remove_office_day,
            commands::calendar::year_holidays,
            commands::reports::report_figures,
            commands::reports::export_report,
            commands::queue::queue_page,
            commands::queue::queue_status,
            commands::queue::retry_job,
            commands::queue::cancel_job,
            commands::queue::pause_queue,
            commands::queue::resume_queue,
            commands::counter::read_cccd,
            commands::counter::capture_state,
            commands::counter::import_pages,
            commands::counter::scan_devices,
            commands::counter::scan_pages,
            commands::counter::page_thumbnail,
            commands::capture::page_preview,
            commands::capture::scan_profile,
            commands::counter::arrange_pages,
            commands::counter::rotate_page,
            commands::counter::set_page_cleanup,
            commands::counter::delete_page,
            commands::counter::replace_page,
            commands::counter::assemble_documents,
            commands::counter::counter_cancel,
            commands::counter::counter_tokens,
            commands::counter::sign_dossier,
            commands::counter::issue_receipt_pdf,
            commands::counter::counter_submit,
            commands::stamp::document_pdf,
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
