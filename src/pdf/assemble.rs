//! `assemble`: input files → cleaned pages → one PDF, with a report per input and page.
//!
//! This is the function behind `motcua assemble`. Each input is imported on its own; a bad
//! file is recorded in the report and the rest of the batch continues. A JPEG page goes in
//! byte for byte unless cleanup changed its pixels (crop, deskew, a different colour mode);
//! the `archive` profile keeps an unedited JPEG's own colour mode rather than re-encoding it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use image::DynamicImage;

use super::PdfError;
use super::builder::PdfBuilder;
use super::encode::{EncodedImage, ImageFilter, Profile, limit_resolution};
use super::metadata::DocumentInfo;
use crate::capture::cleanup::{
    Blankness, CleanupOptions, ColourMode, ModeChoice, PageAnalysis, clean_page,
};
use crate::capture::{CapturedPage, Dpi, ImportOptions, PageContent, import_file};

/// A4 in points (210 × 297 mm), used to fit images whose resolution is unknown.
const A4_POINTS: (f32, f32) = (595.28, 841.89);

/// Which blank pages to drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BlankPolicy {
    /// Keep every page (blank pages are still reported).
    Keep,
    /// Drop pages with no marks at all (the default: duplex backs of one-sided documents).
    #[default]
    RemoveBlank,
    /// Also drop near-blank pages (a page number, a stray mark).
    RemoveNearBlank,
}

/// Options for [`assemble`].
#[derive(Debug, Clone)]
pub struct AssembleOptions {
    /// Size/quality profile.
    pub profile: Profile,
    /// Run page cleanup (`--no-clean` turns it off; a forced mode still applies).
    pub clean: bool,
    /// Cleanup steps and colour mode (`--mode`).
    pub cleanup: CleanupOptions,
    /// Which blank pages to drop.
    pub blank_policy: BlankPolicy,
    /// Import limits (bomb guard, page cap).
    pub import: ImportOptions,
    /// Document metadata.
    pub info: DocumentInfo,
    /// Threads preparing pages (decode, cleanup, encode); 0 uses every core. The PDF is the
    /// same whatever the number.
    pub workers: usize,
}

impl Default for AssembleOptions {
    fn default() -> Self {
        AssembleOptions {
            profile: Profile::default(),
            clean: true,
            cleanup: CleanupOptions::default(),
            blank_policy: BlankPolicy::default(),
            import: ImportOptions::default(),
            info: DocumentInfo::titled("Hồ sơ"),
            workers: 0,
        }
    }
}

/// What happened to one page.
#[derive(Debug, Clone)]
pub struct PageReport {
    /// 1-based page number in the input file.
    pub page_in_source: usize,
    /// Cleanup measurements, when the page was analysed.
    pub analysis: Option<PageAnalysis>,
    /// True when the page was dropped as blank.
    pub removed_as_blank: bool,
    /// How the page's image was stored (`None` for copied PDF pages and removed pages).
    pub encoding: Option<ImageFilter>,
    /// Bytes of the page's image stream (0 for copied PDF pages).
    pub bytes: usize,
}

/// What happened to one input file.
#[derive(Debug, Clone)]
pub struct InputReport {
    /// The input file.
    pub path: PathBuf,
    /// Its pages, in order.
    pub pages: Vec<PageReport>,
    /// Why the file (or part of it) could not be used, naming the file.
    pub error: Option<String>,
}

/// The result of an assembly.
#[derive(Debug, Clone)]
pub struct AssembleReport {
    /// One entry per input, in the given order.
    pub inputs: Vec<InputReport>,
    /// Pages written to the PDF.
    pub pages_written: usize,
    /// Size of the written PDF in bytes.
    pub output_bytes: u64,
}

/// Assemble `inputs` into one PDF at `out`. Fails only when nothing could be written (or the
/// output itself cannot be written); problems with single inputs are in the report.
pub fn assemble(
    inputs: &[PathBuf],
    options: &AssembleOptions,
    out: &Path,
) -> Result<AssembleReport, PdfError> {
    let mut builder = PdfBuilder::create(out)?;
    let mut reports = Vec::with_capacity(inputs.len());
    add_inputs(&mut builder, inputs, options, &mut reports)?;
    finish(builder, reports, options, out)
}

/// [`assemble`] with its own options for each run of inputs, in order: the clerk may force a colour
/// mode, or no cleanup at all, on some pages of a document. `document` gives the profile-wide settings
/// (metadata, blank policy for the report); each part's options drive its pages' cleanup.
pub fn assemble_parts(
    parts: &[(Vec<PathBuf>, AssembleOptions)],
    document: &AssembleOptions,
    out: &Path,
) -> Result<AssembleReport, PdfError> {
    let mut builder = PdfBuilder::create(out)?;
    let mut reports = Vec::new();
    for (inputs, options) in parts {
        add_inputs(&mut builder, inputs, options, &mut reports)?;
    }
    finish(builder, reports, document, out)
}

/// One document of a combined dossier PDF: its bookmark title and its input files.
#[derive(Debug, Clone)]
pub struct CombinedDocument {
    /// Bookmark (outline entry) title, e.g. the required document's name.
    pub title: String,
    /// Input files, in page order.
    pub inputs: Vec<PathBuf>,
}

/// Assemble several documents into one dossier PDF with one bookmark per document, pointing
/// at its first page (`motcua assemble --combined`). A document none of whose inputs gave a
/// page gets no bookmark; the report lists every input of every document in order.
pub fn assemble_combined(
    documents: &[CombinedDocument],
    options: &AssembleOptions,
    out: &Path,
) -> Result<AssembleReport, PdfError> {
    let mut builder = PdfBuilder::create(out)?;
    let mut reports = Vec::new();
    for document in documents {
        builder.bookmark_next_page(&document.title);
        add_inputs(&mut builder, &document.inputs, options, &mut reports)?;
    }
    finish(builder, reports, options, out)
}

fn finish(
    builder: PdfBuilder,
    reports: Vec<InputReport>,
    options: &AssembleOptions,
    out: &Path,
) -> Result<AssembleReport, PdfError> {
    let pages_written = builder.page_count();
    if pages_written == 0 {
        let report = AssembleReport {
            inputs: reports,
            pages_written,
            output_bytes: 0,
        };
        return Err(PdfError::NoPages {
            output: out.to_path_buf(),
            report: Box::new(report),
        });
    }
    let output_bytes = builder.write(&options.info)?;
    Ok(AssembleReport {
        inputs: reports,
        pages_written,
        output_bytes,
    })
}

/// Import, prepare and add `inputs` in order. Errors are per input, in `reports`, except a
/// failed write to the output, which ends the assembly.
fn add_inputs(
    builder: &mut PdfBuilder,
    inputs: &[PathBuf],
    options: &AssembleOptions,
    reports: &mut Vec<InputReport>,
) -> Result<(), PdfError> {
    // Inputs are taken a window at a time: the window's files are imported (headers only
    // for most formats), all their image pages are prepared in parallel, then added in
    // order. Memory stays bounded by the window, not the batch.
    let workers = worker_count(options);
    for window in inputs.chunks(workers * 2) {
        let imported: Vec<_> = window
            .iter()
            .map(|path| import_file(path, &options.import))
            .collect();
        let image_pages: Vec<&CapturedPage> = imported
            .iter()
            .flat_map(|result| result.iter().flatten())
            .filter(|page| !matches!(page.content, PageContent::PdfPage { .. }))
            .collect();
        let mut prepared = prepare_in_parallel(&image_pages, options, workers).into_iter();
        for (path, result) in window.iter().zip(imported) {
            let mut report = InputReport {
                path: path.clone(),
                pages: Vec::new(),
                error: None,
            };
            match result {
                Err(e) => report.error = Some(e.to_string()),
                Ok(pages) => {
                    let image_count = pages
                        .iter()
                        .filter(|p| !matches!(p.content, PageContent::PdfPage { .. }))
                        .count();
                    let mine: Vec<_> = prepared.by_ref().take(image_count).collect();
                    if let Err(e) = add_input(builder, path, &pages, mine, &mut report) {
                        if builder.is_broken() {
                            return Err(e);
                        }
                        report.error = Some(e.to_string());
                    }
                }
            }
            reports.push(report);
        }
    }
    Ok(())
}

fn add_input(
    builder: &mut PdfBuilder,
    path: &Path,
    pages: &[CapturedPage],
    prepared: Vec<Result<PreparedPage, PdfError>>,
    report: &mut InputReport,
) -> Result<(), PdfError> {
    let pdf_pages: Vec<u32> = pages
        .iter()
        .filter_map(|p| match p.content {
            PageContent::PdfPage { page_number } => Some(page_number),
            _ => None,
        })
        .collect();
    if !pdf_pages.is_empty() {
        let document = lopdf::Document::load(path).map_err(|e| PdfError::CopyPages {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        builder.add_pdf_pages(document, &pdf_pages, path)?;
        for number in pdf_pages {
            report.pages.push(PageReport {
                page_in_source: number as usize,
                analysis: None,
                removed_as_blank: false,
                encoding: None,
                bytes: 0,
            });
        }
    }
    for result in prepared {
        match result {
            Ok(page) => {
                if let Some((image, width_pt, height_pt)) = page.image
                    && let Err(e) = builder.add_image_page(image, width_pt, height_pt)
                {
                    // A source file changed since import: that page is reported and left
                    // out; a failed write to the output ends the assembly.
                    if builder.is_broken() {
                        return Err(e);
                    }
                    report.error = Some(e.to_string());
                    continue;
                }
                report.pages.push(page.report);
            }
            // A bad page is reported; the file's other pages still go in.
            Err(e) => report.error = Some(e.to_string()),
        }
    }
    Ok(())
}

fn worker_count(options: &AssembleOptions) -> usize {
    match options.workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// A page ready for the builder: its image and size in points, or nothing if dropped.
struct PreparedPage {
    report: PageReport,
    image: Option<(EncodedImage, f32, f32)>,
}

/// Prepare pages on several threads while keeping their order. Each worker takes the next
/// page when it is done with one, so at most one decoded page per worker is in memory;
/// the results are small encoded images. Output is identical to a sequential run.
fn prepare_in_parallel(
    pages: &[&CapturedPage],
    options: &AssembleOptions,
    workers: usize,
) -> Vec<Result<PreparedPage, PdfError>> {
    let workers = workers.clamp(1, pages.len().max(1));
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<Result<PreparedPage, PdfError>>>> =
        Mutex::new(pages.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(page) = pages.get(index) else { break };
                    let result = prepare_page(page, options);
                    let mut guard = slots
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    guard[index] = Some(result);
                }
            });
        }
    });
    let slots = slots
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    slots
        .into_iter()
        .zip(pages)
        .map(|(slot, page)| {
            slot.unwrap_or_else(|| {
                Err(PdfError::Encode {
                    path: page.source.clone(),
                    page: page.page_in_source,
                    what: "a PDF page",
                    reason: "processing stopped unexpectedly; try this file again".into(),
                })
            })
        })
        .collect()
}

fn prepare_page(page: &CapturedPage, options: &AssembleOptions) -> Result<PreparedPage, PdfError> {
    let encode_error = |what: &'static str, reason: String| PdfError::Encode {
        path: page.source.clone(),
        page: page.page_in_source,
        what,
        reason,
    };
    let cleanup = if options.clean {
        options.cleanup
    } else {
        CleanupOptions {
            crop_border: false,
            deskew: false,
            detect_blank: false,
            despeckle: false,
            ..options.cleanup
        }
    };
    let leave_alone = !options.clean
        && cleanup.mode == ModeChoice::Auto
        && cleanup.quarter_turns.is_multiple_of(4);
    if let (true, PageContent::Jpeg { length, info }) = (leave_alone, &page.content) {
        // Straight passthrough: no pixel is decoded, the file is copied into the PDF.
        let (width_pt, height_pt) = page_size(info.width, info.height, page.dpi);
        let encoded = EncodedImage::jpeg_passthrough(&page.source, *length, info);
        let report = PageReport {
            page_in_source: page.page_in_source,
            analysis: None,
            removed_as_blank: false,
            encoding: Some(encoded.filter),
            bytes: encoded.data.len(),
        };
        return Ok(PreparedPage {
            report,
            image: Some((encoded, width_pt, height_pt)),
        });
    }
    let original = page
        .to_image(&options.import)
        .map_err(|e| encode_error("pixels", e.to_string()))?
        .ok_or_else(|| encode_error("pixels", "not an image page".into()))?;
    // The scan's resolution (fitted to A4 when the file does not say).
    let source_dpi = page.dpi.map_or_else(
        || {
            let (width_pt, _) = page_size(original.width(), original.height(), None);
            original.width() as f32 / (width_pt / 72.0)
        },
        |d| d.x,
    );
    let (image, analysis, downscaled_by) = if leave_alone {
        let mode = native_mode(&original);
        (native_store(original, mode), None, 1.0)
    } else {
        let mut cleanup = cleanup;
        // Colour and grey pages bound for a lower resolution are reduced inside cleanup,
        // before rotation; any remaining fraction is resampled below.
        cleanup.shrink_continuous_tone = options
            .profile
            .max_continuous_tone_dpi()
            .map_or(1, |max| (source_dpi / max + 0.05).floor().max(1.0) as u32);
        cleanup.bilevel_scale = options
            .profile
            .max_bilevel_dpi()
            .map_or(1.0, |max| (max / source_dpi).min(1.0));
        let cleaned = clean_page(&original, &cleanup);
        (cleaned.image, Some(cleaned.analysis), cleaned.downscaled_by)
    };
    let shown_dpi = page.dpi.map(|d| Dpi {
        x: d.x / downscaled_by,
        y: d.y / downscaled_by,
    });

    if let Some(analysis) = &analysis {
        let remove = matches!(
            (options.blank_policy, analysis.blank),
            (BlankPolicy::RemoveBlank, Some(Blankness::Blank))
                | (
                    BlankPolicy::RemoveNearBlank,
                    Some(Blankness::Blank | Blankness::NearBlank)
                )
        );
        if remove {
            let report = PageReport {
                page_in_source: page.page_in_source,
                analysis: Some(*analysis),
                removed_as_blank: true,
                encoding: None,
                bytes: 0,
            };
            return Ok(PreparedPage {
                report,
                image: None,
            });
        }
    }

    // Page size from the pixels that will be shown and the scan's resolution.
    let (width_pt, height_pt) = page_size(image.width(), image.height(), shown_dpi);
    let mode = analysis
        .map(|a| a.mode)
        .unwrap_or_else(|| native_mode(&image));
    let dpi = shown_dpi
        .map(|d| d.x)
        .unwrap_or(image.width() as f32 / (width_pt / 72.0));
    // A profile with a resolution cap (compact) re-encodes a JPEG scanned above it: passing a
    // 300-dpi colour scan through would make the page several times its size budget.
    let within_profile_resolution = options
        .profile
        .max_continuous_tone_dpi()
        .is_none_or(|max| source_dpi <= max + 0.5);
    let passthrough = match &page.content {
        PageContent::Jpeg { info, .. } => {
            let geometry_kept = analysis.is_none_or(|a| !a.deskewed && a.cropped.is_none())
                && cleanup.quarter_turns.is_multiple_of(4);
            let same_mode = matches!(
                (mode, info.components),
                (ColourMode::Colour, 3) | (ColourMode::Grey, 1)
            );
            geometry_kept
                && (leave_alone
                    || (same_mode && within_profile_resolution)
                    || (options.profile == Profile::Archive && mode != ColourMode::BlackWhite))
        }
        _ => false,
    };
    let encoded = if let (true, PageContent::Jpeg { length, info }) = (passthrough, &page.content) {
        EncodedImage::jpeg_passthrough(&page.source, *length, info)
    } else if mode == ColourMode::BlackWhite {
        EncodedImage::ccitt_g4(&image.to_luma8()).map_err(|e| encode_error("CCITT G4", e))?
    } else {
        let image = match options.profile.max_continuous_tone_dpi() {
            Some(max) => limit_resolution(image, dpi, max),
            None => image,
        };
        match options.profile.jpeg_quality() {
            Some(quality) => {
                EncodedImage::jpeg(&image, quality).map_err(|e| encode_error("JPEG", e))?
            }
            None => EncodedImage::flate(&image).map_err(|e| encode_error("Flate", e))?,
        }
    };
    let report = PageReport {
        page_in_source: page.page_in_source,
        analysis,
        removed_as_blank: false,
        encoding: Some(encoded.filter),
        bytes: encoded.data.len(),
    };
    Ok(PreparedPage {
        report,
        image: Some((encoded, width_pt, height_pt)),
    })
}

/// Page size in points from pixels and DPI. Without a usable resolution (none recorded, or a
/// nominal 72/96 dpi that would make a scan larger than A3) the image is fitted into A4.
pub fn page_size(width: u32, height: u32, dpi: Option<Dpi>) -> (f32, f32) {
    if let Some(d) = dpi {
        let size = (width as f32 / d.x * 72.0, height as f32 / d.y * 72.0);
        let larger_than_a3 = size.0.max(size.1) > 1191.0 * 1.02;
        if !(larger_than_a3 && d.x.max(d.y) <= 96.0) {
            return size;
        }
    }
    let scale = (A4_POINTS.0 / width as f32).min(A4_POINTS.1 / height as f32);
    (width as f32 * scale, height as f32 * scale)
}

/// The mode an unprocessed image is already in.
fn native_mode(image: &DynamicImage) -> ColourMode {
    match image {
        DynamicImage::ImageLuma8(grey) if grey.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255) => {
            ColourMode::BlackWhite
        }
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLuma16(_)
        | DynamicImage::ImageLumaA8(_) => ColourMode::Grey,
        _ => ColourMode::Colour,
    }
}

fn native_store(image: DynamicImage, mode: ColourMode) -> DynamicImage {
    match mode {
        ColourMode::Colour => DynamicImage::ImageRgb8(image.to_rgb8()),
        _ => DynamicImage::ImageLuma8(image.to_luma8()),
    }
}
