//! What the capture screen starts with: the office's scanner profile from Cài đặt → Quét (the SANE device,
//! resolution, scan mode and whether to use the document feeder) and whether a scan folder is set. Clerks
//! read it (the settings themselves are for supervisors), so every counter PC of the office scans the same
//! way without each clerk choosing again after a restart.

use serde::Serialize;

use super::settings::HOT_FOLDER;
use super::{Desk, DeskError};

/// Setting: the SANE device to scan with (as `scanimage -L` names it; empty: the first one found).
pub const SCANNER: &str = "capture.scanner";
/// Setting: the scan resolution in dpi.
pub const SCAN_RESOLUTION: &str = "capture.resolution";
/// Setting: the scan mode (`color`, `gray`, `bw`).
pub const SCAN_MODE: &str = "capture.scan-mode";
/// Setting: scan every page in the document feeder (`yes`) or one page from the glass (`no`).
pub const SCAN_FEEDER: &str = "capture.feeder";

/// The resolutions offered (dpi, as the setting holds them): 150–200 suit text, 300 the usual archive
/// quality.
pub const RESOLUTIONS: [&str; 5] = ["150", "200", "300", "400", "600"];
/// The scan modes the setting takes.
pub const SCAN_MODES: [&str; 3] = ["color", "gray", "bw"];

/// The scanner profile the capture screen starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanProfile {
    /// The device to use, or None to take the first one found.
    pub device: Option<String>,
    pub resolution: u32,
    /// `color`, `gray` or `bw`.
    pub mode: String,
    pub feeder: bool,
    /// A scan folder is set (Cài đặt → Quét), so the screen offers to watch it.
    pub hot_folder: Option<String>,
}

impl Desk {
    /// The office's scanner profile, with defaults for what is not set (300 dpi, grey, glass).
    pub fn scan_profile(&self) -> Result<ScanProfile, DeskError> {
        let text = |key| -> Result<Option<String>, DeskError> {
            Ok(self
                .setting(key)?
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty()))
        };
        let resolution = text(SCAN_RESOLUTION)?
            .filter(|dpi| RESOLUTIONS.contains(&dpi.as_str()))
            .and_then(|dpi| dpi.parse().ok())
            .unwrap_or(300);
        let mode = text(SCAN_MODE)?
            .filter(|m| SCAN_MODES.contains(&m.as_str()))
            .unwrap_or_else(|| "gray".to_owned());
        Ok(ScanProfile {
            device: text(SCANNER)?,
            resolution,
            mode,
            feeder: text(SCAN_FEEDER)?.as_deref() == Some("yes"),
            hot_folder: text(HOT_FOLDER)?,
        })
    }
}
