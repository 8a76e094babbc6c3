//! What the app was started to open: `motcua-desk --open CODE` (or `--open=CODE`) makes dossier CODE the
//! dossier in progress once someone signs in — for a desktop shortcut, the counter's queue-ticket system or
//! a script that prepared the dossier (`motcua dossier add-pages`), and the app benchmark. It is the same as
//! choosing "Tiếp tục xử lý" in the dossier's detail; the UI checks the dossier exists and says so if not.

use std::sync::Mutex;

/// The dossier code given on the command line, handed to the UI once.
#[derive(Debug, Default)]
pub struct LaunchRequest(Mutex<Option<String>>);

impl LaunchRequest {
    /// Reads `--open CODE` / `--open=CODE` from the process arguments (the first one wins; other arguments
    /// are left to GTK and Tauri).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Self {
        let mut args = args.into_iter();
        let mut code = None;
        while let Some(arg) = args.next() {
            if arg == "--open" {
                code = args.next();
            } else if let Some(value) = arg.strip_prefix("--open=") {
                code = Some(value.to_owned());
            }
            if code.is_some() {
                break;
            }
        }
        let code = code.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        LaunchRequest(Mutex::new(code))
    }

    /// Takes the requested code: the first sign-in after start gets it, later ones do not.
    pub fn take(&self) -> Option<String> {
        self.0.lock().map(|mut code| code.take()).unwrap_or(None)
    }
}

/// The dossier the app was started to open (`--open CODE`), once; null afterwards or when none was given.
#[tauri::command]
pub fn launch_dossier(request: tauri::State<'_, LaunchRequest>) -> Option<String> {
    request.take()
}

#[cfg(test)]
mod tests {
    use super::LaunchRequest;

    fn request(args: &[&str]) -> LaunchRequest {
        LaunchRequest::from_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn the_code_after_open_is_taken_once() {
        let launch = request(&["motcua-desk", "--open", "000.00.06.H56-261128-0001"]);
        assert_eq!(launch.take().as_deref(), Some("000.00.06.H56-261128-0001"));
        assert_eq!(launch.take(), None, "a second sign-in does not reopen it");
    }

    #[test]
    fn the_equals_form_and_no_argument() {
        assert_eq!(request(&["x", "--open=ABC"]).take().as_deref(), Some("ABC"));
        assert_eq!(request(&["x"]).take(), None);
        assert_eq!(
            request(&["x", "--open"]).take(),
            None,
            "a missing value opens nothing"
        );
        assert_eq!(request(&["x", "--open="]).take(), None);
    }
}
