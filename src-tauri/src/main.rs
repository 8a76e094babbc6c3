//! MotCua Desk desktop binary. Everything lives in the library (`motcua_desk::run`) so the commands and
//! DTOs can be unit-tested without opening a window.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    motcua_desk::run();
}
