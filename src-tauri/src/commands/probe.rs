//! The start-up and capture probe: the UI reports moments the clerk waits for — the login gate first
//! interactive, the dossier list first rendered (after sign-in), the capture screen's first thumbnails
//! painted, the first thumbnail of an import painted, the end of a scroll of the capture grid with its
//! frame timings — and with `MOTCUA_STARTUP_PROBE=1` the shell prints
//! each one (Unix epoch milliseconds) on stderr. The app benchmark (`scripts/bench-app.sh`, part of `make
//! bench`) times its own key presses → these lines, so the figures are what the clerk waits for (window,
//! WebKit, IPC, decoding, paint), not an internal timer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The moments the UI reports, each printed once per process (the benchmark starts a process per run).
static STAGES: [(&str, AtomicBool); 5] = [
    ("gate", AtomicBool::new(false)),
    ("list", AtomicBool::new(false)),
    ("capture", AtomicBool::new(false)),
    ("import", AtomicBool::new(false)),
    ("scroll", AtomicBool::new(false)),
];

/// Called by the UI at each moment: `"gate"` (login gate interactive), `"list"` (the default: dossier list
/// shows data), `"capture"` (the capture screen's visible thumbnails painted), `"import"` (the first page
/// of an import painted), `"scroll"` (a scroll of the capture grid ended; `detail` carries what the UI
/// measured during it, e.g. `frames=42 worst_ms=35 over_50ms=0`). Prints only the first call of each stage,
/// and only when probing: `motcua-desk: ui-ready stage=<stage> epoch_ms=<ms>[ <detail>]`. Unknown stages
/// are ignored.
#[tauri::command]
pub fn ui_ready(stage: Option<String>, detail: Option<String>) {
    let wanted = stage.as_deref().unwrap_or("list");
    let Some((name, flag)) = STAGES.iter().find(|(name, _)| *name == wanted) else {
        return;
    };
    if flag.swap(true, Ordering::SeqCst) || std::env::var_os("MOTCUA_STARTUP_PROBE").is_none() {
        return;
    }
    let epoch_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let detail = clean_detail(detail.as_deref().unwrap_or_default());
    if detail.is_empty() {
        eprintln!("motcua-desk: ui-ready stage={name} epoch_ms={epoch_ms}");
    } else {
        eprintln!("motcua-desk: ui-ready stage={name} epoch_ms={epoch_ms} {detail}");
    }
}

/// Keeps only what a measurement says (`key=value` words), so a detail can never break the one-line format
/// the benchmark parses.
fn clean_detail(detail: &str) -> String {
    detail
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '=' | '_' | '.'))
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_detail_stays_on_one_line_of_key_value_words() {
        assert_eq!(
            super::clean_detail("frames=42 worst_ms=35.5\nstage=list"),
            "frames=42 worst_ms=35.5stage=list"
        );
        assert_eq!(super::clean_detail(&"x".repeat(500)).len(), 200);
    }
}
