//! File import: recognise the format by its magic bytes, check the pixel budget before
//! decoding, and produce [`CapturedPage`]s.
//!
//! JPEGs whose EXIF orientation is "as stored" are kept as bytes for DCTDecode passthrough;
//! any other orientation is applied by decoding (phone photos). Multi-page TIFFs go through
//! [`super::tiff_pages`]; PDFs are checked (not encrypted, pages readable) and referenced
//! page by page, never rasterized.

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegDecoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::{CaptureError, CapturedPage, Dpi, ImportOptions, PageContent, corrupt, jpeg};

/// Import every page of one file. Errors name the file; nothing is written anywhere.
pub fn import_file(
    path: &Path,
    options: &ImportOptions,
) -> Result<Vec<CapturedPage>, CaptureError> {
    let read_error = |source: std::io::Error| CaptureError::Read {
        path: path.to_path_buf(),
        source,
    };
    // Only the head is read first: a JPEG that goes into the PDF unchanged is never read
    // whole here (the PDF writer copies it file to file).
    let mut file = File::open(path).map_err(read_error)?;
    let length = file.metadata().map_err(read_error)?.len();
    let mut bytes = Vec::new();
    (&mut file)
        .take(HEAD_BYTES)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.is_empty() {
        return Err(CaptureError::Empty {
            path: path.to_path_buf(),
        });
    }
    let format = if bytes.starts_with(b"%PDF-") {
        None
    } else {
        Some(
            image::guess_format(&bytes).map_err(|_| CaptureError::UnsupportedFormat {
                path: path.to_path_buf(),
            })?,
        )
    };
    if format == Some(ImageFormat::Jpeg) {
        return import_jpeg(path, &mut file, bytes, length, options).map(|page| vec![page]);
    }
    file.read_to_end(&mut bytes).map_err(read_error)?;
    match format {
        None => import_pdf(path, &bytes),
        Some(ImageFormat::Tiff) => super::tiff_pages::import_tiff(path, bytes, options),
        Some(format @ (ImageFormat::Png | ImageFormat::Bmp | ImageFormat::WebP)) => {
            let image = decode_guarded(path, 1, &bytes, format, options)?;
            let dpi = if format == ImageFormat::Png {
                png_dpi(&bytes)
            } else {
                None
            };
            Ok(vec![page(path, 1, PageContent::Raster(image), dpi)])
        }
        _ => Err(CaptureError::UnsupportedFormat {
            path: path.to_path_buf(),
        }),
    }
}

/// How much of a file is read before its format is known: enough for a JPEG's headers
/// (APP segments, including an EXIF thumbnail, are at most 64 KiB each).
const HEAD_BYTES: u64 = 256 * 1024;

/// Read a whole JPEG kept for passthrough, checking it is still the size it had at import
/// (a hot-folder file rewritten in between is refused rather than mixed up).
pub(super) fn read_jpeg_file(path: &Path, length: u64) -> Result<Vec<u8>, CaptureError> {
    let bytes = std::fs::read(path).map_err(|source| CaptureError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if bytes.len() as u64 != length {
        return Err(corrupt(
            path,
            1,
            format!(
                "the file changed since it was imported ({length} → {} bytes)",
                bytes.len()
            ),
        ));
    }
    Ok(bytes)
}

/// Import a batch: each file's result is reported separately, so one bad file does not stop
/// the others.
pub fn import_files(
    paths: &[PathBuf],
    options: &ImportOptions,
) -> Vec<(PathBuf, Result<Vec<CapturedPage>, CaptureError>)> {
    paths
        .iter()
        .map(|path| (path.clone(), import_file(path, options)))
        .collect()
}

fn page(path: &Path, number: usize, content: PageContent, dpi: Option<Dpi>) -> CapturedPage {
    CapturedPage {
        source: path.to_path_buf(),
        page_in_source: number,
        content,
        dpi,
    }
}

fn import_jpeg(
    path: &Path,
    file: &mut File,
    mut head: Vec<u8>,
    length: u64,
    options: &ImportOptions,
) -> Result<CapturedPage, CaptureError> {
    let read_error = |source: std::io::Error| CaptureError::Read {
        path: path.to_path_buf(),
        source,
    };
    let info = match jpeg::read_info(&head) {
        Ok(info) => info,
        // Headers longer than the head (several large APP segments): read everything.
        Err(_) if (head.len() as u64) < length => {
            file.read_to_end(&mut head).map_err(read_error)?;
            jpeg::read_info(&head).map_err(|reason| corrupt(path, 1, reason))?
        }
        Err(reason) => return Err(corrupt(path, 1, reason)),
    };
    check_pixels(path, 1, info.width, info.height, options)?;
    let tail_start = length.saturating_sub(TAIL_BYTES);
    let mut tail = Vec::new();
    if tail_start < head.len() as u64 {
        tail.extend_from_slice(&head[tail_start as usize..]);
    } else {
        file.seek(SeekFrom::Start(tail_start)).map_err(read_error)?;
        file.take(TAIL_BYTES)
            .read_to_end(&mut tail)
            .map_err(read_error)?;
    }
    if !jpeg::has_end_marker(&tail) {
        // JPEG decoders fill missing data with grey rather than fail; a scan cut short by a
        // full disk or an unplugged scanner must be refused instead.
        return Err(corrupt(
            path,
            1,
            "the file ends before the JPEG end-of-image marker",
        ));
    }
    let orientation = JpegDecoder::new(Cursor::new(&head))
        .and_then(|mut decoder| decoder.orientation())
        .map_err(|e| corrupt(path, 1, e))?;
    let passthrough = orientation == Orientation::NoTransforms && matches!(info.components, 1 | 3);
    if passthrough {
        // Not decoded here: passthrough must stay as cheap as copying bytes. The header and
        // the end-of-image check above catch empty and truncated files; cleanup decodes the
        // pixels anyway and reports damage in the middle of the data.
        Ok(page(path, 1, PageContent::Jpeg { length, info }, info.dpi))
    } else {
        let bytes = read_jpeg_file(path, length)?;
        let image = decode_guarded(path, 1, &bytes, ImageFormat::Jpeg, options)?;
        let dpi = info.dpi.map(|d| match orientation {
            Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH => Dpi { x: d.y, y: d.x },
            _ => d,
        });
        Ok(page(path, 1, PageContent::Raster(image), dpi))
    }
}

/// Bytes read from a JPEG's end to find its end-of-image marker behind scanner padding.
const TAIL_BYTES: u64 = 4096;

/// Decode a JPEG kept for passthrough (cleanup needs its pixels).
pub(super) fn decode_jpeg_bytes(
    path: &Path,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<DynamicImage, CaptureError> {
    decode_guarded(path, 1, bytes, ImageFormat::Jpeg, options)
}

/// Decode with the bomb guard: the header's width × height is checked before any pixel
/// buffer is allocated, and the decoder's own allocation limit is set to match. EXIF
/// orientation is applied.
fn decode_guarded(
    path: &Path,
    page_number: usize,
    bytes: &[u8],
    format: ImageFormat,
    options: &ImportOptions,
) -> Result<DynamicImage, CaptureError> {
    // Read the header without limits, check the pixel count ourselves (so the error can say
    // how large the image claims to be), then let the decoder enforce the allocation limit.
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.no_limits();
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| corrupt(path, page_number, e))?;
    let (width, height) = decoder.dimensions();
    check_pixels(path, page_number, width, height, options)?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(options.max_pixels.saturating_mul(8));
    decoder
        .set_limits(limits)
        .map_err(|e| corrupt(path, page_number, e))?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => CaptureError::TooLarge {
            path: path.to_path_buf(),
            page: page_number,
            width: u64::from(width),
            height: u64::from(height),
            limit: options.max_pixels,
        },
        other => corrupt(path, page_number, other),
    })?;
    image.apply_orientation(orientation);
    Ok(image)
}

pub(super) fn check_pixels(
    path: &Path,
    page_number: usize,
    width: u32,
    height: u32,
    options: &ImportOptions,
) -> Result<(), CaptureError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > options.max_pixels {
        return Err(CaptureError::TooLarge {
            path: path.to_path_buf(),
            page: page_number,
            width: u64::from(width),
            height: u64::from(height),
            limit: options.max_pixels,
        });
    }
    if pixels == 0 {
        return Err(corrupt(
            path,
            page_number,
            "the image has zero width or height",
        ));
    }
    Ok(())
}

/// Resolution from a PNG's pHYs chunk (pixels per metre), if present.
fn png_dpi(bytes: &[u8]) -> Option<Dpi> {
    let reader = png::Decoder::new(Cursor::new(bytes)).read_info().ok()?;
    let dims = reader.info().pixel_dims?;
    if dims.unit != png::Unit::Meter || dims.xppu == 0 || dims.yppu == 0 {
        return None;
    }
    Some(Dpi {
        x: dims.xppu as f32 * 0.0254,
        y: dims.yppu as f32 * 0.0254,
    })
}

/// Reference each page of a PDF. The file must open with lopdf, not be encrypted (PDF/A
/// forbids it, and a password-protected file cannot be copied), and have at least one page.
fn import_pdf(path: &Path, bytes: &[u8]) -> Result<Vec<CapturedPage>, CaptureError> {
    let pdf_error = |reason: String| CaptureError::Pdf {
        path: path.to_path_buf(),
        reason,
    };
    let document = lopdf::Document::load_mem(bytes).map_err(|e| {
        pdf_error(format!(
            "{e}; open it in a PDF reader and save or print it to a new PDF"
        ))
    })?;
    if document.is_encrypted() || document.trailer.get(b"Encrypt").is_ok() {
        return Err(pdf_error(
            "it is encrypted or password-protected; ask the applicant for an unprotected copy"
                .into(),
        ));
    }
    let pages = document.get_pages();
    if pages.is_empty() {
        return Err(pdf_error("it has no pages".into()));
    }
    Ok(pages
        .keys()
        .map(|&number| {
            page(
                path,
                number as usize,
                PageContent::PdfPage {
                    page_number: number,
                },
                None,
            )
        })
        .collect())
}
