//! The capture screen's large page preview: a stored page rendered as a JPEG of at most
//! [`PREVIEW_SIDE`] pixels, either as scanned (turned by the clerk's quarter turns) or through the
//! cleanup the assembler applies, in a colour mode the clerk picks, so the clerk can compare the
//! original with "auto", colour, grey or black-and-white before assembling. The stored blob is the
//! page's original (`capture::kept`'s rule: the scan is never overwritten), so every preview starts
//! from it and nothing is changed on disk.

use std::io::Cursor;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, imageops::FilterType};

use super::pages::PageError;
use crate::capture::cleanup::{CleanupOptions, ModeChoice, PageAnalysis, clean_page};
use crate::capture::{ImportOptions, import_file};

/// Longest side of a preview, in pixels (fills a 1366×768 screen's height, legible text).
pub const PREVIEW_SIDE: u32 = 1400;

/// What the preview shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewMode {
    /// The page as scanned (only the clerk's quarter turns applied).
    Original,
    /// The page after cleanup, stored in this colour mode.
    Cleaned(ModeChoice),
}

impl PreviewMode {
    /// Parse the UI's spelling: `original`, or a cleanup mode (`auto`, `color`, `gray`, `bw`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "original" => Some(PreviewMode::Original),
            other => ModeChoice::from_name(other).map(PreviewMode::Cleaned),
        }
    }
}

/// A rendered preview.
#[derive(Debug, Clone)]
pub struct PagePreview {
    /// The preview as a JPEG.
    pub jpeg: Vec<u8>,
    /// Its size in pixels.
    pub width: u32,
    /// Its size in pixels.
    pub height: u32,
    /// What cleanup found and decided (mode, skew, blankness); `None` for the original.
    pub analysis: Option<PageAnalysis>,
}

/// Renders page `page_in_blob` of the stored `blob` (`media_type` as stored), turned clockwise by
/// `rotation` degrees (a multiple of 90). PDF pages are kept as they are and never rasterized, so
/// they have no preview (`Ok(None)`).
pub fn page_preview(
    blob: &Path,
    media_type: &str,
    rotation: u32,
    mode: PreviewMode,
) -> Result<Option<PagePreview>, PageError> {
    if media_type == "application/pdf" {
        return Ok(None);
    }
    let options = ImportOptions::default();
    let pages = import_file(blob, &options)?;
    let encode_error = |reason: String| PageError::Encode {
        path: blob.to_owned(),
        page: 1,
        reason,
    };
    let Some(page) = pages.first() else {
        return Err(encode_error("tệp không có trang".into()));
    };
    let Some(original) = page.to_image(&options)? else {
        return Ok(None);
    };
    let quarter_turns = ((rotation / 90) % 4) as u8;
    let (image, analysis) = match mode {
        PreviewMode::Original => {
            let turned = match quarter_turns {
                1 => original.rotate90(),
                2 => original.rotate180(),
                3 => original.rotate270(),
                _ => original,
            };
            (turned, None)
        }
        PreviewMode::Cleaned(mode) => {
            let cleaned = clean_page(
                &original,
                &CleanupOptions {
                    quarter_turns,
                    mode,
                    ..CleanupOptions::default()
                },
            );
            (cleaned.image, Some(cleaned.analysis))
        }
    };
    let small = if image.width().max(image.height()) > PREVIEW_SIDE {
        image.resize(PREVIEW_SIDE, PREVIEW_SIDE, FilterType::Triangle)
    } else {
        image
    };
    let small = match small {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => small,
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    };
    let mut jpeg = Vec::new();
    small
        .write_with_encoder(JpegEncoder::new_with_quality(Cursor::new(&mut jpeg), 80))
        .map_err(|e| encode_error(e.to_string()))?;
    Ok(Some(PagePreview {
        jpeg,
        width: small.width(),
        height: small.height(),
        analysis,
    }))
}
