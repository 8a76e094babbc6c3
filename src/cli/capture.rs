//! `motcua assemble` and `motcua scan`: the capture pipeline from the command line.
//!
//! `assemble` turns scans, photos and PDFs into one compact PDF through [`motcua::pdf::assemble`]
//! and prints what happened to every input and page (pages, colour mode, skew, blank pages
//! removed, bytes), as text or `--json`. `scan` drives a SANE scanner through the existing
//! [`ScanSource`] and prints each page file as it arrives. Both only map arguments and print;
//! the work is in the core. `dossier add-pages` stores files as capture pages of a dossier's document
//! through [`Desk::import_pages`], the same path as the Quét screen (for scripts and test data).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Args, ValueEnum};
use motcua::Desk;
use motcua::capture::cleanup::{Blankness, ColourMode, ModeChoice};
use motcua::capture::scan::{ScanMode, ScanRequest};
use motcua::capture::{ScanSource, Scanimage};
use motcua::pdf::{
    AssembleOptions, AssembleReport, BlankPolicy, CombinedDocument, DocumentInfo, ImageFilter,
    PdfError, Profile,
};
use serde_json::json;

use super::Failure;

#[derive(Args)]
pub struct AssembleArgs {
    /// Size/quality profile.
    #[arg(long, value_enum, default_value_t = ProfileArg::Compact)]
    profile: ProfileArg,
    /// Skip page cleanup (deskew, crop, blank removal); a forced --mode still applies.
    #[arg(long)]
    no_clean: bool,
    /// Colour mode of the stored pages.
    #[arg(long, value_enum, default_value_t = ModeArg::Auto)]
    mode: ModeArg,
    /// Keep blank pages (they are still reported).
    #[arg(long)]
    keep_blank: bool,
    /// Document title written in the PDF metadata.
    #[arg(long, default_value = "Hồ sơ")]
    title: String,
    /// The PDF to write.
    #[arg(short = 'o', long = "output", value_name = "OUT.pdf")]
    output: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// One combined dossier PDF: every INPUT is one document with its own bookmark.
    #[arg(long)]
    combined: bool,
    /// With --combined: bookmark titles, one per INPUT in order (default: the file name).
    #[arg(long = "bookmark", value_name = "TITLE", requires = "combined")]
    bookmarks: Vec<String>,
    /// Images (JPEG, PNG, TIFF, BMP, WebP) and PDFs, in page order.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Compact,
    Balanced,
    Archive,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    Auto,
    Color,
    Gray,
    Bw,
}

#[derive(Args)]
pub struct ScanArgs {
    /// SANE device name (see `scanimage -L`; `test` is SANE's test backend).
    #[arg(long, value_name = "DEV")]
    device: String,
    /// Resolution in dpi.
    #[arg(long, default_value_t = 300)]
    resolution: u32,
    /// Colour mode asked from the scanner.
    #[arg(long, value_enum, default_value_t = ScanModeArg::Gray)]
    mode: ScanModeArg,
    /// Paper source: `adf`, `duplex`, `flatbed`, or the device's own source name.
    #[arg(long)]
    source: Option<String>,
    /// Stop after this many pages (default: until the feeder is empty).
    #[arg(long)]
    pages: Option<u32>,
    /// Extra backend option NAME=VALUE (repeatable), passed as --NAME=VALUE.
    #[arg(long = "option", value_name = "NAME=VALUE")]
    options: Vec<String>,
    /// The scanimage program.
    #[arg(long, default_value = "scanimage", value_name = "PROGRAM")]
    scanimage: PathBuf,
    /// Folder receiving one TIFF per page.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScanModeArg {
    Color,
    Gray,
    Bw,
}

fn mode_name(mode: ColourMode) -> &'static str {
    match mode {
        ColourMode::Colour => "color",
        ColourMode::Grey => "gray",
        ColourMode::BlackWhite => "bw",
    }
}

fn filter_name(filter: ImageFilter) -> &'static str {
    match filter {
        ImageFilter::DctPassthrough => "jpeg-passthrough",
        ImageFilter::Dct => "jpeg",
        ImageFilter::Flate => "flate",
        ImageFilter::CcittG4 => "ccitt-g4",
    }
}

fn blank_name(blank: Blankness) -> &'static str {
    match blank {
        Blankness::Blank => "blank",
        Blankness::NearBlank => "near-blank",
        Blankness::Content => "content",
    }
}

/// The report as JSON (documented in docs/cli-json.md).
fn report_json(report: &AssembleReport, output: &std::path::Path) -> serde_json::Value {
    let inputs: Vec<_> = report
        .inputs
        .iter()
        .map(|input| {
            let pages: Vec<_> = input
                .pages
                .iter()
                .map(|page| {
                    json!({
                        "page": page.page_in_source,
                        "mode": page.analysis.map(|a| mode_name(a.mode)),
                        "skew_degrees": page.analysis.and_then(|a| a.skew_degrees),
                        "deskewed": page.analysis.is_some_and(|a| a.deskewed),
                        "blank": page.analysis.and_then(|a| a.blank).map(blank_name),
                        "removed_as_blank": page.removed_as_blank,
                        "encoding": page.encoding.map(filter_name),
                        "bytes": page.bytes,
                    })
                })
                .collect();
            json!({
                "path": input.path.display().to_string(),
                "pages": pages,
                "error": input.error,
            })
        })
        .collect();
    json!({
        "output": output.display().to_string(),
        "pages_written": report.pages_written,
        "output_bytes": report.output_bytes,
        "inputs": inputs,
    })
}

fn print_report(report: &AssembleReport) {
    for input in &report.inputs {
        let kept = input.pages.iter().filter(|p| !p.removed_as_blank).count();
        let removed = input.pages.len() - kept;
        let bytes: usize = input.pages.iter().map(|p| p.bytes).sum();
        println!(
            "{}: {} trang, {} trang trắng bỏ đi, {} byte",
            input.path.display(),
            input.pages.len(),
            removed,
            bytes
        );
        for page in &input.pages {
            let mode = page.analysis.map_or("pdf", |a| mode_name(a.mode));
            let skew = match page.analysis.and_then(|a| a.skew_degrees) {
                Some(s) => format!("{s:+.2}°"),
                None => "-".into(),
            };
            println!(
                "  trang {}: {mode}, nghiêng {skew}{}, {}, {} byte",
                page.page_in_source,
                if page.analysis.is_some_and(|a| a.deskewed) {
                    " (đã chỉnh)"
                } else {
                    ""
                },
                if page.removed_as_blank {
                    "trang trắng: bỏ"
                } else {
                    page.encoding.map_or("giữ nguyên trang PDF", filter_name)
                },
                page.bytes
            );
        }
        if let Some(error) = &input.error {
            eprintln!("lỗi: {error}");
        }
    }
}

/// `motcua assemble`: exit 0 when every input was used, 1 when the PDF was written but some
/// inputs failed (named on stderr), 2 when nothing could be written.
pub fn assemble(args: AssembleArgs) -> Result<ExitCode, Failure> {
    let mut options = AssembleOptions {
        profile: match args.profile {
            ProfileArg::Compact => Profile::Compact,
            ProfileArg::Balanced => Profile::Balanced,
            ProfileArg::Archive => Profile::Archive,
        },
        clean: !args.no_clean,
        blank_policy: if args.keep_blank {
            BlankPolicy::Keep
        } else {
            BlankPolicy::RemoveBlank
        },
        info: DocumentInfo::titled(args.title.clone()),
        ..AssembleOptions::default()
    };
    options.cleanup.mode = match args.mode {
        ModeArg::Auto => ModeChoice::Auto,
        ModeArg::Color => ModeChoice::Colour,
        ModeArg::Gray => ModeChoice::Grey,
        ModeArg::Bw => ModeChoice::BlackWhite,
    };
    let result = if args.combined {
        if args.bookmarks.len() > args.inputs.len() {
            return Err(Failure::Usage(format!(
                "{} --bookmark cho {} tệp vào: mỗi tệp vào một tiêu đề",
                args.bookmarks.len(),
                args.inputs.len()
            )));
        }
        let documents: Vec<CombinedDocument> = args
            .inputs
            .iter()
            .enumerate()
            .map(|(i, path)| CombinedDocument {
                title: args.bookmarks.get(i).cloned().unwrap_or_else(|| {
                    path.file_stem().map_or_else(
                        || path.display().to_string(),
                        |s| s.to_string_lossy().into(),
                    )
                }),
                inputs: vec![path.clone()],
            })
            .collect();
        motcua::pdf::assemble_combined(&documents, &options, &args.output)
    } else {
        motcua::pdf::assemble(&args.inputs, &options, &args.output)
    };
    match result {
        Ok(report) => {
            if args.json {
                println!(
                    "{}",
                    super::json::pretty(&report_json(&report, &args.output))
                );
                for error in report.inputs.iter().filter_map(|i| i.error.as_ref()) {
                    eprintln!("lỗi: {error}");
                }
            } else {
                print_report(&report);
                println!(
                    "Đã ghi {}: {} trang, {} byte",
                    args.output.display(),
                    report.pages_written,
                    report.output_bytes
                );
            }
            let any_failed = report.inputs.iter().any(|i| i.error.is_some());
            Ok(if any_failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Err(PdfError::NoPages { output, report }) => {
            if args.json {
                println!("{}", super::json::pretty(&report_json(&report, &output)));
            } else {
                print_report(&report);
            }
            Err(Failure::Tool {
                code: "assemble",
                message: format!(
                    "không có trang nào để ghi vào {}: mọi tệp vào đều lỗi hoặc là trang trắng",
                    output.display()
                ),
            })
        }
        Err(error) => Err(Failure::Tool {
            code: "assemble",
            message: error.to_string(),
        }),
    }
}

/// Maps `adf`/`duplex`/`flatbed` to the device's own source name; anything else is verbatim.
fn resolve_source(scanner: &Scanimage, wanted: &str) -> String {
    let key = wanted.to_ascii_lowercase();
    let names = scanner.source_names();
    let pick =
        |pred: &dyn Fn(&str) -> bool| names.iter().find(|n| pred(&n.to_lowercase())).cloned();
    let found = match key.as_str() {
        "adf" => pick(&|n| (n.contains("adf") || n.contains("feeder")) && !n.contains("duplex")),
        "duplex" => pick(&|n| n.contains("duplex")),
        "flatbed" => pick(&|n| n.contains("flatbed")),
        _ => None,
    };
    found.unwrap_or_else(|| wanted.to_string())
}

/// `motcua scan`: exit 0 when the scan finished; 2 when the scanner failed (pages already
/// scanned stay in the folder and are listed).
pub fn scan(args: ScanArgs) -> Result<ExitCode, Failure> {
    let mut scanner = Scanimage {
        program: args.scanimage.clone(),
        device: args.device.clone(),
    };
    let mut extra_options = Vec::new();
    for option in &args.options {
        let Some((name, value)) = option.split_once('=') else {
            return Err(Failure::Usage(format!(
                "--option {option:?} phải có dạng TÊN=GIÁ_TRỊ"
            )));
        };
        extra_options.push((name.trim_start_matches('-').to_string(), value.to_string()));
    }
    let request = ScanRequest {
        resolution: args.resolution,
        mode: match args.mode {
            ScanModeArg::Color => ScanMode::Colour,
            ScanModeArg::Gray => ScanMode::Grey,
            ScanModeArg::Bw => ScanMode::Lineart,
        },
        source: args.source.as_deref().map(|s| resolve_source(&scanner, s)),
        max_pages: args.pages,
        extra_options,
    };
    let result = scanner.scan(&request, &args.output, &mut |page| {
        println!("{}", page.display());
    });
    match result {
        Ok(pages) => {
            eprintln!(
                "Đã quét {} trang vào {}",
                pages.len(),
                args.output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Err(Failure::Tool {
            code: "scan",
            message: error.to_string(),
        }),
    }
}

#[derive(Args)]
pub struct AddPagesArgs {
    /// The dossier's code.
    code: String,
    /// The required document the pages go into, by its code (e.g. TP1); they go after its pages.
    document: String,
    /// Images (JPEG, PNG, TIFF, BMP, WebP; multi-page TIFFs) and PDFs, in page order.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Print the stored pages and the refused files as JSON.
    #[arg(long)]
    json: bool,
}

/// `motcua dossier add-pages`: exit 0 when every file was stored, 1 when some were refused (the others
/// are stored and listed; each refusal names its file and the reason).
pub fn add_pages(desk: &Desk, args: AddPagesArgs) -> Result<ExitCode, Failure> {
    let never = AtomicBool::new(false);
    let outcome = desk.import_pages(&args.code, &args.document, &args.files, &never, |_| {})?;
    if args.json {
        let pages: Vec<_> = outcome
            .pages
            .iter()
            .map(|p| json!({ "id": p.id, "position": p.position, "source": p.source_name, "media_type": p.media_type }))
            .collect();
        let failures: Vec<_> = outcome
            .failures
            .iter()
            .map(|(path, error)| json!({ "path": path.display().to_string(), "error": error }))
            .collect();
        println!(
            "{}",
            super::json::pretty(&json!({ "pages": pages, "failures": failures }))
        );
    } else {
        println!(
            "Đã thêm {} trang vào {} của hồ sơ {}",
            outcome.pages.len(),
            args.document,
            args.code
        );
    }
    for (path, error) in &outcome.failures {
        eprintln!("Không thêm được {}: {error}", path.display());
    }
    Ok(if outcome.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
