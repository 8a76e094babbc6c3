//! Build script of the desktop shell: `tauri-build` reads `tauri.conf.json`, checks the icons and the
//! front-end path, and generates the context (`tauri::generate_context!`) the binary embeds.

fn main() {
    tauri_build::build();
}
