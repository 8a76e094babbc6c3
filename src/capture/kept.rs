//! Cleaned pages kept together with their originals in the blob store, so the clerk can undo
//! any cleanup step later.
//!
//! [`clean_and_keep`] stores the page's original bytes (a JPEG file exactly as scanned; any
//! other page as a lossless PNG of its decoded pixels), runs cleanup, stores the cleaned
//! pixels as a PNG when cleanup changed any, and returns a [`KeptPage`]: both blob names and
//! the list of steps that were applied. [`undo`] gives the original pixels back from the
//! store; [`cleaned`] the cleaned ones. Blobs are content-addressed (`store::blobs`), so
//! keeping the same scan twice stores it once.

use std::io::Cursor;
use std::path::PathBuf;

use image::{DynamicImage, ImageFormat};

use super::cleanup::{CleanupOptions, ColourMode, PageAnalysis, Rect, clean_page};
use super::{CaptureError, CapturedPage, ImportOptions, PageContent};
use crate::store::{Store, StoreError};

/// What cleanup did to a page, in the order applied.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum CleanupStep {
    /// Turned clockwise by this many quarter turns.
    QuarterTurns(u8),
    /// Dark border cropped to this rectangle (original pixels).
    CropBorder(Rect),
    /// Skew of this many degrees (counter-clockwise positive) corrected.
    Deskew(f32),
    /// Stored in this colour mode (black-and-white means binarized).
    Mode(ColourMode),
    /// Resolution divided by this factor.
    Downscale(f32),
}

/// A page kept with its original: both blob names and what was done.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptPage {
    /// The file the page came from.
    pub source: PathBuf,
    /// 1-based page in that file.
    pub page_in_source: usize,
    /// SHA-256 name of the original (the JPEG as scanned, or a PNG of the decoded page).
    pub original_blob: String,
    /// SHA-256 name of the cleaned page (PNG); `None` when cleanup changed no pixel.
    pub cleaned_blob: Option<String>,
    /// The steps applied, in order; empty when the page is unchanged.
    pub steps: Vec<CleanupStep>,
    /// Cleanup's measurements (mode, skew, blankness).
    pub analysis: PageAnalysis,
}

/// Errors while keeping a page. Each names the file the page came from.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeepError {
    /// The page could not be read or decoded.
    #[error(transparent)]
    Capture(#[from] CaptureError),
    /// The page is a PDF page, which is copied as it is and never cleaned.
    #[error("page {page} of {path} is a PDF page; PDF pages are kept as they are, not cleaned")]
    NotAnImage {
        /// The source file.
        path: PathBuf,
        /// 1-based page.
        page: usize,
    },
    /// Encoding the pixels for the store failed.
    #[error("cannot encode page {page} of {path} for the store: {reason}")]
    Encode {
        /// The source file.
        path: PathBuf,
        /// 1-based page.
        page: usize,
        /// What the encoder said.
        reason: String,
    },
    /// The blob store refused the write or read (disk full, read-only, damaged blob).
    #[error("cannot keep page {page} of {path} in the store: {source}")]
    Store {
        /// The source file.
        path: PathBuf,
        /// 1-based page.
        page: usize,
        /// The store's error.
        source: StoreError,
    },
    /// A stored blob no longer decodes as an image.
    #[error("stored page {sha256} cannot be decoded: {reason}; run `motcua store check`")]
    Damaged {
        /// Blob name.
        sha256: String,
        /// Decoder message.
        reason: String,
    },
}

/// Store the page's original, clean it, store the result if it differs, and say what was
/// done. Nothing is stored for a page that cannot be decoded.
pub fn clean_and_keep(
    store: &Store,
    page: &CapturedPage,
    options: &CleanupOptions,
    import: &ImportOptions,
) -> Result<KeptPage, KeepError> {
    let path = page.source.clone();
    let number = page.page_in_source;
    let original = page.to_image(import)?.ok_or(KeepError::NotAnImage {
        path: path.clone(),
        page: number,
    })?;
    let store_error = |source: StoreError| KeepError::Store {
        path: path.clone(),
        page: number,
        source,
    };
    let original_blob = match &page.content {
        PageContent::Jpeg { length, .. } => {
            let bytes = super::import::read_jpeg_file(&page.source, *length)?;
            store.put_blob(&bytes, "image/jpeg").map_err(store_error)?
        }
        _ => {
            let png = png_bytes(&original).map_err(|reason| KeepError::Encode {
                path: path.clone(),
                page: number,
                reason,
            })?;
            store.put_blob(&png, "image/png").map_err(store_error)?
        }
    };
    let cleaned = clean_page(&original, options);
    let analysis = cleaned.analysis;
    let mut steps = Vec::new();
    if !options.quarter_turns.is_multiple_of(4) {
        steps.push(CleanupStep::QuarterTurns(options.quarter_turns % 4));
    }
    if let Some(rect) = analysis.cropped {
        steps.push(CleanupStep::CropBorder(rect));
    }
    if analysis.deskewed
        && let Some(angle) = analysis.skew_degrees
    {
        steps.push(CleanupStep::Deskew(angle));
    }
    if cleaned.downscaled_by > 1.001 {
        steps.push(CleanupStep::Downscale(cleaned.downscaled_by));
    }
    let cleaned_blob = if cleaned.pixels_edited {
        steps.push(CleanupStep::Mode(analysis.mode));
        let png = png_bytes(&cleaned.image).map_err(|reason| KeepError::Encode {
            path: path.clone(),
            page: number,
            reason,
        })?;
        Some(store.put_blob(&png, "image/png").map_err(store_error)?)
    } else {
        None
    };
    Ok(KeptPage {
        source: path.clone(),
        page_in_source: number,
        original_blob,
        cleaned_blob,
        steps,
        analysis,
    })
}

/// The original pixels of a kept page, read back from the store (every step undone).
pub fn undo(store: &Store, kept: &KeptPage) -> Result<DynamicImage, KeepError> {
    decode_blob(store, kept, &kept.original_blob)
}

/// The cleaned pixels of a kept page (the original when cleanup changed nothing).
pub fn cleaned(store: &Store, kept: &KeptPage) -> Result<DynamicImage, KeepError> {
    decode_blob(
        store,
        kept,
        kept.cleaned_blob.as_deref().unwrap_or(&kept.original_blob),
    )
}

fn decode_blob(store: &Store, kept: &KeptPage, sha256: &str) -> Result<DynamicImage, KeepError> {
    let bytes = store.read_blob(sha256).map_err(|source| KeepError::Store {
        path: kept.source.clone(),
        page: kept.page_in_source,
        source,
    })?;
    image::load_from_memory(&bytes).map_err(|e| KeepError::Damaged {
        sha256: sha256.to_string(),
        reason: e.to_string(),
    })
}

fn png_bytes(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(out)
}
