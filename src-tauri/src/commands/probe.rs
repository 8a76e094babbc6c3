//! The start-up probe: the UI reports when the login gate is first interactive and when the dossier list
//! is first rendered (after sign-in); with `MOTCUA_STARTUP_PROBE=1` the shell prints each moment (Unix
//! epoch milliseconds) on stderr. The app start-up benchmark (`scripts/bench-app.sh`, part of `make
//! bench`) times process start → the gate, and the sign-in key press → the list, from those lines, so the
//! figures are what the clerk waits for (window, WebKit, first data), not an internal timer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static GATE_REPORTED: AtomicBool = AtomicBool::new(false);
static LIST_REPORTED: AtomicBool = AtomicBool::new(false);

/// Called by the UI when the login gate is first interactive (`stage` = `"gate"`) and when the dossier
/// list first shows data (`"list"`, the default). Prints only the first call of each stage, and only when
/// probing: `motcua-desk: ui-ready stage=<stage> epoch_ms=<ms>`.
#[tauri::command]
pub fn ui_ready(stage: Option<String>) {
    let (flag, name) = match stage.as_deref() {
        Some("gate") => (&GATE_REPORTED, "gate"),
        _ => (&LIST_REPORTED, "list"),
    };
    if flag.swap(true, Ordering::SeqCst) || std::env::var_os("MOTCUA_STARTUP_PROBE").is_none() {
        return;
    }
    let epoch_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    eprintln!("motcua-desk: ui-ready stage={name} epoch_ms={epoch_ms}");
}
