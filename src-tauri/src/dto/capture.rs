//! Wire shape of the capture screen's large page preview (`page_preview`): the rendered page as a data
//! URL, its size, and what cleanup decided (mode, skew) when the preview is of the cleaned page.

use motcua::capture::cleanup::ColourMode;
use motcua::counter::preview::PagePreview;
use serde::Serialize;

/// One rendered preview.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PagePreviewDto {
    /// `data:image/jpeg;base64,…`
    pub url: String,
    pub width: u32,
    pub height: u32,
    /// `color`, `gray` or `bw` when cleanup ran (detected or forced); null for the original.
    pub mode: Option<&'static str>,
    /// Skew found, in degrees (counter-clockwise positive), when cleanup ran and saw lines of text.
    pub skew_degrees: Option<f32>,
    /// Whether cleanup straightened the page.
    pub deskewed: bool,
}

impl From<PagePreview> for PagePreviewDto {
    fn from(preview: PagePreview) -> Self {
        use base64::Engine;
        PagePreviewDto {
            url: format!(
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(&preview.jpeg)
            ),
            width: preview.width,
            height: preview.height,
            mode: preview.analysis.map(|a| match a.mode {
                ColourMode::Colour => "color",
                ColourMode::Grey => "gray",
                ColourMode::BlackWhite => "bw",
            }),
            skew_degrees: preview.analysis.and_then(|a| a.skew_degrees),
            deskewed: preview.analysis.is_some_and(|a| a.deskewed),
        }
    }
}

/// The office's scanner profile for the capture screen: `mode` is the scan request's `colour`, `grey` or
/// `lineart`; `hotFolder` is the scan folder when one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanProfileDto {
    pub device: Option<String>,
    pub resolution: u32,
    pub mode: &'static str,
    pub feeder: bool,
    pub hot_folder: Option<String>,
}

impl From<motcua::counter::ScanProfile> for ScanProfileDto {
    fn from(p: motcua::counter::ScanProfile) -> Self {
        ScanProfileDto {
            device: p.device,
            resolution: p.resolution,
            mode: match p.mode.as_str() {
                "color" => "colour",
                "bw" => "lineart",
                _ => "grey",
            },
            feeder: p.feeder,
            hot_folder: p.hot_folder,
        }
    }
}
