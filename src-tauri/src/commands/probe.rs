//! The start-up probe: the UI reports when the dossier list is first rendered, and with
//! `MOTCUA_STARTUP_PROBE=1` the shell prints that moment (Unix epoch milliseconds) on stderr. The app
//! start-up benchmark (`scripts/bench-app.sh`, part of `make bench`) times process start → that line, so the
//! figure is what the clerk waits for (window, WebKit, first data), not an internal timer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static REPORTED: AtomicBool = AtomicBool::new(false);

/// Called by the UI once its first screen shows data. Prints only the first call, and only when probing.
#[tauri::command]
pub fn ui_ready() {
    if REPORTED.swap(true, Ordering::SeqCst) || std::env::var_os("MOTCUA_STARTUP_PROBE").is_none() {
        return;
    }
    let epoch_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    eprintln!("motcua-desk: ui-ready epoch_ms={epoch_ms}");
}
