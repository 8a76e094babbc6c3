//! Capture: turning files (and later scanners) into pages the assembler can place in a PDF.
//!
//! A captured page is either the untouched bytes of a JPEG (so the assembler can pass them
//! through without re-encoding), a decoded raster with its DPI, or a page of an existing PDF
//! that is copied as it is. Import never rasterizes PDFs and never decodes an image whose
//! header promises more pixels than [`ImportOptions::max_pixels`] (decompression bombs).
//! Page cleanup (deskew, crop, binarization, blank and colour-mode detection) lives in
//! [`cleanup`] and works on the decoded rasters. Scanners are reached through [`scan`]
//! (SANE's `scanimage`), shared scan folders through [`hot_folder`].

pub mod cleanup;
pub mod hot_folder;
mod import;
pub mod jpeg;
pub mod kept;
pub mod scan;
mod tiff_pages;

use std::path::{Path, PathBuf};

use image::DynamicImage;

pub use hot_folder::HotFolder;
pub use import::{import_file, import_files};
pub use jpeg::JpegInfo;
pub use kept::{CleanupStep, KeepError, KeptPage, clean_and_keep};
pub use scan::{ScanSource, Scanimage};

/// Everything that can go wrong while importing one input file. Every variant names the file,
/// so a batch can report it and carry on with the next one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// The file could not be read at all (missing, no permission).
    #[error("cannot read {path}: {source}; check that the file exists and is readable")]
    Read {
        /// The input file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The file is empty (a scan that was interrupted, a failed copy).
    #[error("{path} is empty (0 bytes); rescan or copy the file again")]
    Empty {
        /// The input file.
        path: PathBuf,
    },
    /// The file's content is not one of the supported formats.
    #[error(
        "{path} is not a supported image or PDF (JPEG, PNG, TIFF, BMP, WebP, PDF are accepted)"
    )]
    UnsupportedFormat {
        /// The input file.
        path: PathBuf,
    },
    /// The image is corrupt or truncated.
    #[error("{path} (page {page}) is corrupt or truncated: {reason}; rescan the page")]
    Corrupt {
        /// The input file.
        path: PathBuf,
        /// 1-based page within the file.
        page: usize,
        /// What the decoder reported.
        reason: String,
    },
    /// The image header promises more pixels than allowed (a decompression bomb or a mistake).
    #[error(
        "{path} (page {page}) is {width}×{height} pixels, more than the limit of {limit} pixels; \
         refusing to decode it (scan at a lower resolution)"
    )]
    TooLarge {
        /// The input file.
        path: PathBuf,
        /// 1-based page within the file.
        page: usize,
        /// Width from the header.
        width: u64,
        /// Height from the header.
        height: u64,
        /// The configured pixel limit.
        limit: u64,
    },
    /// The file has more pages than allowed.
    #[error("{path} has more than {limit} pages; split it before importing")]
    TooManyPages {
        /// The input file.
        path: PathBuf,
        /// The configured page limit.
        limit: usize,
    },
    /// A PDF could not be opened (corrupt or encrypted).
    #[error("{path} is a PDF that cannot be imported: {reason}")]
    Pdf {
        /// The input file.
        path: PathBuf,
        /// What went wrong (corrupt structure, password protection).
        reason: String,
    },
}

/// Limits applied while importing; the defaults suit A3 scans at 600 dpi.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Largest width × height accepted before decoding (the bomb guard). Default 100 Mpx
    /// (A3 at 600 dpi is 70 Mpx).
    pub max_pixels: u64,
    /// Largest number of pages read from one multi-page TIFF.
    pub max_pages: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            max_pixels: 100_000_000,
            max_pages: 1000,
        }
    }
}

/// Resolution of a raster in dots per inch, horizontally and vertically.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dpi {
    /// Horizontal dots per inch.
    pub x: f32,
    /// Vertical dots per inch.
    pub y: f32,
}

/// What one captured page holds.
#[derive(Debug, Clone)]
pub enum PageContent {
    /// A JPEG file left where it is (the page's `source`), so it can go into the PDF byte
    /// for byte without being read into memory; only its headers were read.
    Jpeg {
        /// The file's size when it was imported.
        length: u64,
        /// Header facts needed to describe the image in a PDF.
        info: JpegInfo,
    },
    /// A decoded raster (PNG, BMP, WebP, or a JPEG whose EXIF orientation had to be applied).
    Raster(DynamicImage),
    /// A page of a (multi-page) TIFF, decoded only when used.
    TiffPage {
        /// The whole file, shared by its pages.
        bytes: std::sync::Arc<[u8]>,
        /// 0-based page (image file directory) index.
        index: usize,
    },
    /// A page of an existing PDF, copied without rasterizing.
    PdfPage {
        /// 1-based page number in the source PDF.
        page_number: u32,
    },
}

/// One page captured from an input file.
#[derive(Debug, Clone)]
pub struct CapturedPage {
    /// The file the page came from.
    pub source: PathBuf,
    /// 1-based page number within the source file.
    pub page_in_source: usize,
    /// The page's pixels or a reference to a PDF page.
    pub content: PageContent,
    /// Resolution recorded in the file, if any (JFIF, EXIF-less JPEGs, PNG pHYs, TIFF tags).
    pub dpi: Option<Dpi>,
}

impl CapturedPage {
    /// Decode the page to a raster, for cleanup. PDF pages have no raster and return `None`.
    pub fn to_image(&self, options: &ImportOptions) -> Result<Option<DynamicImage>, CaptureError> {
        match &self.content {
            PageContent::Raster(image) => Ok(Some(image.clone())),
            PageContent::Jpeg { length, .. } => {
                let bytes = import::read_jpeg_file(&self.source, *length)?;
                import::decode_jpeg_bytes(&self.source, &bytes, options).map(Some)
            }
            PageContent::TiffPage { bytes, index } => {
                tiff_pages::decode_page(&self.source, bytes, *index, options).map(Some)
            }
            PageContent::PdfPage { .. } => Ok(None),
        }
    }
}

pub(crate) fn corrupt(path: &Path, page: usize, reason: impl ToString) -> CaptureError {
    CaptureError::Corrupt {
        path: path.to_path_buf(),
        page,
        reason: reason.to_string(),
    }
}
