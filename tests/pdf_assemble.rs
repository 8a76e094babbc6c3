//! Assembly tests on the generated scans: JPEG passthrough is byte-exact, page geometry comes
//! from DPI, every output passes `qpdf --check` and `pdfinfo`, PDFs are imported page-wise,
//! blank pages are dropped, bad inputs are reported by name while the batch continues, and
//! the compact profile's sizes at A4 300 dpi are measured.

mod common;

use std::path::PathBuf;

use common::*;
use motcua::capture::cleanup::{ColourMode, ModeChoice};
use motcua::pdf::{AssembleOptions, BlankPolicy, ImageFilter, PdfError, Profile, assemble};

fn options() -> AssembleOptions {
    let mut options = AssembleOptions::default();
    options.info.title = "Đơn đề nghị cấp giấy chứng nhận".into();
    options.info.dossier_code = Some("000.00.21.H57-261127-0001".into());
    options
}

#[test]
fn unedited_jpeg_goes_in_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("passthrough.pdf");
    let inputs = [scan(COLOUR_STAMP), scan(TEXT_SKEW_0)];
    let mut opts = options();
    opts.clean = false;
    let report = assemble(&inputs, &opts, &out).unwrap();
    assert_eq!(report.pages_written, 2);
    let images = page_images(&out);
    for (input, (filter, bytes)) in inputs.iter().zip(&images) {
        assert_eq!(filter, "DCTDecode");
        assert_eq!(
            bytes,
            &std::fs::read(input).unwrap(),
            "stream differs from {}",
            input.display()
        );
    }
    assert!(
        report
            .inputs
            .iter()
            .all(|i| i.pages[0].encoding == Some(ImageFilter::DctPassthrough))
    );
    assert_qpdf_ok(&out);
}

#[test]
fn cleaned_jpeg_without_pixel_edits_is_still_passed_through() {
    // The straight grey page, stored as grey: no crop, skew below the threshold, same mode.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grey.pdf");
    let mut opts = options();
    opts.cleanup.mode = ModeChoice::Grey;
    let report = assemble(&[scan(TEXT_SKEW_0)], &opts, &out).unwrap();
    let page = &report.inputs[0].pages[0];
    assert_eq!(page.encoding, Some(ImageFilter::DctPassthrough), "{page:?}");
    assert_eq!(
        page_images(&out)[0].1,
        std::fs::read(scan(TEXT_SKEW_0)).unwrap()
    );
}

#[test]
fn a4_pages_are_595_by_842_points_at_150_and_300_dpi() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a4.pdf");
    let mut opts = options();
    opts.clean = false;
    assemble(
        &[
            scan(TEXT_SKEW_0),
            scan(COLOUR_SKEW_MINUS_4_300),
            scan(GREY_PNG),
            scan(BW_TIFF_2_PAGES),
        ],
        &opts,
        &out,
    )
    .unwrap();
    let sizes = page_sizes(&out);
    assert_eq!(sizes.len(), 5);
    for (width, height) in sizes {
        assert_eq!((width.round(), height.round()), (595.0, 842.0));
    }
    let info = pdfinfo(&out);
    assert!(info.contains("(A4)"), "{info}");
    assert!(info.contains("Pages:           5"), "{info}");
    assert_qpdf_ok(&out);
}

#[test]
fn metadata_title_producer_xmp_and_id_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("meta.pdf");
    assemble(&[scan(TEXT_SKEW_0)], &options(), &out).unwrap();
    let info = pdfinfo(&out);
    assert!(
        info.contains("Title:           Đơn đề nghị cấp giấy chứng nhận"),
        "{info}"
    );
    assert!(info.contains("Producer:        MotCua Desk"), "{info}");
    assert!(info.contains("Metadata Stream: yes"), "{info}");
    assert!(info.contains("Encrypted:       no"), "{info}");
    let document = lopdf::Document::load(&out).unwrap();
    let id = document.trailer.get(b"ID").unwrap().as_array().unwrap();
    assert_eq!(id.len(), 2);
    assert_eq!(id[0].as_str().unwrap().len(), 16);
    let catalog = document.catalog().unwrap();
    let metadata_id = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let xmp = document
        .get_object(metadata_id)
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8(xmp.content.clone()).unwrap();
    assert!(
        xmp.contains("<rdf:li xml:lang=\"x-default\">Đơn đề nghị cấp giấy chứng nhận</rdf:li>")
    );
    assert!(xmp.contains("<pdf:Keywords>000.00.21.H57-261127-0001</pdf:Keywords>"));
    assert_qpdf_ok(&out);
}

#[test]
fn text_pages_become_group4_and_render_back_to_the_same_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g4.pdf");
    let report = assemble(&[scan(TEXT_SKEW_PLUS_2_5)], &options(), &out).unwrap();
    let page = &report.inputs[0].pages[0];
    assert_eq!(page.encoding, Some(ImageFilter::CcittG4));
    assert_eq!(page.analysis.unwrap().mode, ColourMode::BlackWhite);
    assert_qpdf_ok(&out);
    // poppler decodes the G4 stream: render at the image's own 150 dpi and count ink.
    let prefix = dir.path().join("render");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-png"])
        .arg(&out)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    let rendered = image::open(dir.path().join("render-1.png"))
        .unwrap()
        .to_luma8();
    let ink = rendered.pixels().filter(|p| p.0[0] < 128).count() as f32 / rendered.len() as f32;
    let measured = page.analysis.unwrap().ink_share;
    assert!(
        (ink - measured).abs() < 0.02,
        "rendered ink {ink} vs analysed {measured}"
    );
}

#[test]
fn pdf_inputs_are_copied_page_wise_not_rasterized() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.pdf");
    let mut opts = options();
    opts.clean = false;
    assemble(&[scan(BW_TIFF_2_PAGES)], &opts, &first).unwrap();
    let combined = dir.path().join("combined.pdf");
    let report = assemble(&[scan(COLOUR_STAMP), first.clone()], &opts, &combined).unwrap();
    assert_eq!(report.pages_written, 3);
    assert_eq!(report.inputs[1].pages.len(), 2);
    assert!(report.inputs[1].pages.iter().all(|p| p.encoding.is_none()));
    // The copied pages keep their CCITT streams byte for byte.
    let before = page_images(&first);
    let after = page_images(&combined);
    assert_eq!(after[1..], before[..]);
    assert_qpdf_ok(&combined);
    assert!(pdfinfo(&combined).contains("Pages:           3"));
}

#[test]
fn blank_pages_are_dropped_and_near_blank_kept_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("duplex.pdf");
    let inputs = [
        scan(TEXT_SKEW_0),
        scan(BLANK),
        scan(NEAR_BLANK_BLEED),
        scan(NEAR_BLANK_PAGE_NUMBER),
    ];
    let report = assemble(&inputs, &options(), &out).unwrap();
    let removed: Vec<bool> = report
        .inputs
        .iter()
        .map(|i| i.pages[0].removed_as_blank)
        .collect();
    assert_eq!(removed, [false, true, true, false]);
    assert_eq!(report.pages_written, 2);

    let mut opts = options();
    opts.blank_policy = BlankPolicy::RemoveNearBlank;
    let report = assemble(&inputs, &opts, &out).unwrap();
    assert_eq!(report.pages_written, 1);
    assert_qpdf_ok(&out);
}

#[test]
fn bad_inputs_are_named_and_the_batch_continues() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jpg");
    std::fs::write(&empty, b"").unwrap();
    let truncated = dir.path().join("truncated.jpg");
    let bytes = std::fs::read(scan(TEXT_SKEW_0)).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let missing = dir.path().join("missing.png");
    let out = dir.path().join("batch.pdf");
    let inputs: Vec<PathBuf> = vec![
        empty.clone(),
        scan(COLOUR_STAMP),
        truncated.clone(),
        missing.clone(),
    ];
    let report = assemble(&inputs, &options(), &out).unwrap();
    assert_eq!(report.pages_written, 1);
    for (input, path) in report.inputs.iter().zip(&inputs) {
        if path == &scan(COLOUR_STAMP) {
            assert!(input.error.is_none());
        } else {
            let message = input.error.as_ref().unwrap();
            assert!(message.contains(&path.display().to_string()), "{message}");
        }
    }
    assert_qpdf_ok(&out);

    // Nothing usable at all: an error, and no output file.
    let nothing = dir.path().join("nothing.pdf");
    let err = assemble(&[empty], &options(), &nothing).unwrap_err();
    assert!(matches!(err, PdfError::NoPages { .. }));
    assert!(!nothing.exists());
}

#[test]
fn output_replaces_an_existing_file_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dossier.pdf");
    std::fs::write(&out, b"old").unwrap();
    assemble(&[scan(TEXT_SKEW_0)], &options(), &out).unwrap();
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-1.7"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "the replaced file's permissions are kept");
    }
    // Only the output is left in the folder: the temporary file was renamed, not copied.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn archive_profile_is_lossless() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive.pdf");
    let mut opts = options();
    opts.profile = Profile::Archive;
    opts.cleanup.mode = ModeChoice::Grey;
    let report = assemble(&[scan(GREY_PNG), scan(TEXT_SKEW_0)], &opts, &out).unwrap();
    let encodings: Vec<_> = report.inputs.iter().map(|i| i.pages[0].encoding).collect();
    assert_eq!(
        encodings,
        [Some(ImageFilter::Flate), Some(ImageFilter::DctPassthrough)]
    );
    assert_qpdf_ok(&out);
}

/// Compact-profile sizes at A4 300 dpi (the issue's targets: bw ≤ 60 KB, grey ≤ 250 KB,
/// colour ≤ 450 KB). Printed for the report; grey and colour are asserted, bw is measured
/// (the compact profile stores black-and-white pages at 240 dpi).
#[test]
fn compact_sizes_at_a4_300_dpi() {
    let dir = tempfile::tempdir().unwrap();
    let measure = |input: &str, mode: ModeChoice| {
        let out = dir.path().join(format!("{input}.pdf"));
        let mut opts = options();
        opts.cleanup.mode = mode;
        let report = assemble(&[scan(input)], &opts, &out).unwrap();
        assert_qpdf_ok(&out);
        // Stored at 240 dpi (bilevel) or 150 dpi (grey, colour), the page stays A4.
        let (w, h) = page_sizes(&out)[0];
        assert!(
            (w - 595.3).abs() < 1.5 && (h - 841.9).abs() < 1.5,
            "{w}×{h}"
        );
        let bytes = report.output_bytes;
        eprintln!(
            "compact {input} {mode:?}: {bytes} bytes ({:?})",
            report.inputs[0].pages[0].encoding
        );
        bytes
    };
    let bw = measure(TEXT_SKEW_PLUS_2_5_300, ModeChoice::Auto);
    let grey = measure(TEXT_SKEW_PLUS_2_5_300, ModeChoice::Grey);
    let colour = measure(COLOUR_SKEW_MINUS_4_300, ModeChoice::Auto);
    assert!(bw <= 60 * 1024, "bw {bw}");
    assert!(grey <= 250 * 1024, "grey {grey}");
    assert!(colour <= 450 * 1024, "colour {colour}");
}

#[test]
fn pdf_a_2b_output_intent_and_identification() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pdfa.pdf");
    assemble(&[scan(TEXT_SKEW_0), scan(COLOUR_STAMP)], &options(), &out).unwrap();
    assert_qpdf_ok(&out);
    let document = lopdf::Document::load(&out).unwrap();
    let catalog = document.catalog().unwrap();
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    assert_eq!(intents.len(), 1);
    let intent = intents[0].as_dict().unwrap();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    let icc_id = intent
        .get(b"DestOutputProfile")
        .unwrap()
        .as_reference()
        .unwrap();
    let icc = document.get_object(icc_id).unwrap().as_stream().unwrap();
    assert_eq!(icc.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    let profile = icc.decompressed_content().unwrap();
    assert_eq!(&profile[36..40], b"acsp");
    assert_eq!(&profile[16..20], b"RGB ");
    assert!(xmp(&document).contains("<pdfaid:part>2</pdfaid:part>"));
    assert!(xmp(&document).contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    // The file starts with a binary comment line, as PDF/A requires (ISO 19005-2, 6.1.2).
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes[9..14].iter().skip(1).all(|&b| b > 127),
        "{:?}",
        &bytes[..16]
    );

    // Pages copied from another PDF may break PDF/A rules: no claim then.
    let combined = dir.path().join("combined.pdf");
    assemble(&[scan(TEXT_SKEW_0), out.clone()], &options(), &combined).unwrap();
    let document = lopdf::Document::load(&combined).unwrap();
    assert!(!xmp(&document).contains("pdfaid:part"));
    assert_qpdf_ok(&combined);
}

fn xmp(document: &lopdf::Document) -> String {
    let id = document
        .catalog()
        .unwrap()
        .get(b"Metadata")
        .unwrap()
        .as_reference()
        .unwrap();
    String::from_utf8(
        document
            .get_object(id)
            .unwrap()
            .as_stream()
            .unwrap()
            .content
            .clone(),
    )
    .unwrap()
}

#[test]
fn parallel_preparation_keeps_page_order_and_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = [
        scan(BW_TIFF_2_PAGES),
        scan(COLOUR_STAMP),
        scan(TEXT_SKEW_MINUS_4),
    ];
    let sequential = dir.path().join("one-thread.pdf");
    let parallel = dir.path().join("all-cores.pdf");
    let mut opts = options();
    opts.workers = 1;
    assemble(&inputs, &opts, &sequential).unwrap();
    opts.workers = 3;
    let report = assemble(&inputs, &opts, &parallel).unwrap();
    let numbers: Vec<usize> = report.inputs[0]
        .pages
        .iter()
        .map(|p| p.page_in_source)
        .collect();
    assert_eq!(numbers, [1, 2]);
    assert_eq!(report.pages_written, 4);
    let images = page_images(&parallel);
    assert_eq!(images, page_images(&sequential));
    // Order across files: TIFF pages (G4), the colour form (JPEG), the skewed text page (G4).
    let filters: Vec<&str> = images.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        filters,
        [
            "CCITTFaxDecode",
            "CCITTFaxDecode",
            "DCTDecode",
            "CCITTFaxDecode"
        ]
    );
}
