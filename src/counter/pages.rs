//! Pages of the dossier being captured: splitting an imported file into stored pages with thumbnails, and
//! turning stored pages back into assembler inputs (turned, or cut out of their PDF).
//!
//! A page is stored as the smallest faithful blob: a JPEG whose orientation is "as stored" keeps its bytes
//! (the assembler passes them into the PDF untouched), any other raster becomes a PNG, and the pages of a
//! PDF share the PDF's blob with their page number (never rasterized). Thumbnails are small JPEGs made once,
//! at import, and stored as blobs; the screen turns them with CSS, so rotating a page costs nothing until
//! the document is assembled.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageFormat};

use crate::capture::{CaptureError, CapturedPage, ImportOptions, PageContent, import_file};

/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 220;

/// Why a page could not be stored or prepared for assembly. Messages name the file and say what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PageError {
    #[error(transparent)]
    Capture(#[from] CaptureError),
    #[error("không mã hoá được trang {page} của {path} thành ảnh PNG/JPEG: {reason}")]
    Encode {
        path: PathBuf,
        page: usize,
        reason: String,
    },
    #[error("không đọc được tệp PDF {path}: {reason}; hãy quét hoặc xuất lại tệp")]
    Pdf { path: PathBuf, reason: String },
    #[error("không ghi được tệp tạm {path}: {source}; kiểm tra dung lượng đĩa")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A page ready to be stored: its blob, the page within it, and a thumbnail (none for PDF pages).
#[derive(Debug, Clone)]
pub struct PagePiece {
    pub bytes: std::sync::Arc<[u8]>,
    pub media_type: &'static str,
    pub page_in_blob: u32,
    pub thumbnail: Option<Vec<u8>>,
}

/// The file extensions a folder import takes (what the scanners and the file picker produce).
const IMPORTABLE: [&str; 8] = ["jpg", "jpeg", "png", "tif", "tiff", "bmp", "webp", "pdf"];

/// `paths` with each folder replaced by its importable files (by extension, hidden files skipped, not
/// its subfolders), sorted by name as scanners number their pages; files are kept as given. A folder
/// that cannot be read is returned with the reason instead.
pub fn expand_folders(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut found: Vec<PathBuf> = entries
                    .flatten()
                    .map(|entry| entry.path())
                    .filter(|file| file.is_file() && importable(file))
                    .collect();
                found.sort();
                files.extend(found);
            }
            Err(e) => failures.push((
                path.clone(),
                format!(
                    "không đọc được thư mục {}: {e}; kiểm tra quyền đọc",
                    path.display()
                ),
            )),
        }
    }
    (files, failures)
}

fn importable(file: &Path) -> bool {
    let hidden = file
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    let known = file
        .extension()
        .is_some_and(|e| IMPORTABLE.contains(&e.to_string_lossy().to_lowercase().as_str()));
    known && !hidden
}

/// Splits the file at `path` into pages to store, in order.
pub fn split_file(path: &Path, options: &ImportOptions) -> Result<Vec<PagePiece>, PageError> {
    let pages = import_file(path, options)?;
    let mut pdf: Option<std::sync::Arc<[u8]>> = None;
    let mut pieces = Vec::with_capacity(pages.len());
    for page in &pages {
        pieces.push(match &page.content {
            PageContent::PdfPage { page_number } => {
                let bytes = match &pdf {
                    Some(bytes) => bytes.clone(),
                    None => {
                        let read = std::fs::read(path).map_err(|source| CaptureError::Read {
                            path: path.to_owned(),
                            source,
                        })?;
                        pdf.insert(read.into()).clone()
                    }
                };
                PagePiece {
                    bytes,
                    media_type: "application/pdf",
                    page_in_blob: *page_number,
                    thumbnail: None,
                }
            }
            // The import only read the JPEG's headers; the blob store keeps the file itself.
            PageContent::Jpeg { .. } => PagePiece {
                bytes: std::fs::read(&page.source)
                    .map_err(|source| CaptureError::Read {
                        path: page.source.clone(),
                        source,
                    })?
                    .into(),
                media_type: "image/jpeg",
                page_in_blob: 1,
                thumbnail: Some(thumbnail_of(page, options)?),
            },
            _ => {
                let image = decoded(page, options)?;
                PagePiece {
                    bytes: encode(&image, ImageFormat::Png, page)?.into(),
                    media_type: "image/png",
                    page_in_blob: 1,
                    thumbnail: Some(encode(&shrink(&image), ImageFormat::Jpeg, page)?),
                }
            }
        });
    }
    Ok(pieces)
}

fn decoded(page: &CapturedPage, options: &ImportOptions) -> Result<DynamicImage, PageError> {
    page.to_image(options)?.ok_or_else(|| PageError::Encode {
        path: page.source.clone(),
        page: page.page_in_source,
        reason: "trang PDF không có ảnh".into(),
    })
}

fn thumbnail_of(page: &CapturedPage, options: &ImportOptions) -> Result<Vec<u8>, PageError> {
    let image = decoded(page, options)?;
    encode(&shrink(&image), ImageFormat::Jpeg, page)
}

fn shrink(image: &DynamicImage) -> DynamicImage {
    // JPEG has no alpha and the thumbnail needs no more than 8-bit grey or RGB.
    let small = image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    if small.color().has_color() {
        DynamicImage::ImageRgb8(small.to_rgb8())
    } else {
        DynamicImage::ImageLuma8(small.to_luma8())
    }
}

fn encode(
    image: &DynamicImage,
    format: ImageFormat,
    page: &CapturedPage,
) -> Result<Vec<u8>, PageError> {
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, format)
        .map_err(|e| PageError::Encode {
            path: page.source.clone(),
            page: page.page_in_source,
            reason: e.to_string(),
        })?;
    Ok(out.into_inner())
}

/// The assembler input for a stored page: the blob itself when nothing changes, else a file written into
/// `scratch` (the raster turned by `rotation` degrees clockwise, or the one page cut out of its PDF with its
/// /Rotate advanced). `index` keeps scratch names unique.
pub fn assembly_input(
    blob: &Path,
    media_type: &str,
    page_in_blob: u32,
    rotation: u32,
    scratch: &Path,
    index: usize,
) -> Result<PathBuf, PageError> {
    if media_type == "application/pdf" {
        return single_pdf_page(
            blob,
            page_in_blob,
            rotation,
            &scratch.join(format!("{index:05}.pdf")),
        );
    }
    if rotation.is_multiple_of(360) {
        return Ok(blob.to_owned());
    }
    let options = ImportOptions::default();
    let pages = import_file(blob, &options)?;
    let page = pages.first().ok_or_else(|| PageError::Encode {
        path: blob.to_owned(),
        page: 1,
        reason: "tệp không có trang".into(),
    })?;
    let image = decoded(page, &options)?;
    let turned = match rotation % 360 {
        90 => image.rotate90(),
        180 => image.rotate180(),
        _ => image.rotate270(),
    };
    let out = scratch.join(format!("{index:05}.png"));
    let bytes = encode(&turned, ImageFormat::Png, page)?;
    std::fs::write(&out, bytes).map_err(|source| PageError::Write {
        path: out.clone(),
        source,
    })?;
    Ok(out)
}

fn single_pdf_page(
    blob: &Path,
    page_number: u32,
    rotation: u32,
    out: &Path,
) -> Result<PathBuf, PageError> {
    let bad = |reason: String| PageError::Pdf {
        path: blob.to_owned(),
        reason,
    };
    let mut doc = lopdf::Document::load(blob).map_err(|e| bad(e.to_string()))?;
    let pages = doc.get_pages();
    let page_id = *pages
        .get(&page_number)
        .ok_or_else(|| bad(format!("không có trang {page_number}")))?;
    let others: Vec<u32> = pages
        .keys()
        .copied()
        .filter(|n| *n != page_number)
        .collect();
    if !rotation.is_multiple_of(360) {
        let dict = doc
            .get_object_mut(page_id)
            .and_then(lopdf::Object::as_dict_mut)
            .map_err(|e| bad(e.to_string()))?;
        let current = dict
            .get(b"Rotate")
            .ok()
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0);
        dict.set("Rotate", (current + i64::from(rotation)).rem_euclid(360));
    }
    doc.delete_pages(&others);
    doc.prune_objects();
    doc.save(out).map_err(|source| PageError::Write {
        path: out.to_owned(),
        source,
    })?;
    Ok(out.to_owned())
}
