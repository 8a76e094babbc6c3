//! Combined dossier PDFs and the PDF/A-2b structural check: one bookmark per document with
//! its Vietnamese title (read back with lopdf and with `qpdf --json`), `qpdf --check` and
//! `pdfinfo` pass, a document whose inputs all fail gets no bookmark, the streamed writer's
//! output passes our structural PDF/A check, and the check catches what it is meant to.

mod common;

use std::process::Command;

use common::*;
use motcua::pdf::{
    AssembleOptions, CombinedDocument, Profile, assemble, assemble_combined, check_pdf_a,
};

const TITLES: [&str; 3] = [
    "Đơn đề nghị cấp giấy chứng nhận",
    "Bản sao giấy tờ tùy thân",
    "Sơ đồ thửa đất",
];

fn documents(dir: &std::path::Path) -> Vec<CombinedDocument> {
    let missing = dir.join("không-có.jpg");
    vec![
        CombinedDocument {
            title: TITLES[0].into(),
            inputs: vec![scan(TEXT_SKEW_0), scan(COLOUR_STAMP)],
        },
        // Every input of this one fails: it must not get a bookmark.
        CombinedDocument {
            title: "Tài liệu hỏng".into(),
            inputs: vec![missing],
        },
        CombinedDocument {
            title: TITLES[1].into(),
            inputs: vec![scan(BW_TIFF_2_PAGES)],
        },
        CombinedDocument {
            title: TITLES[2].into(),
            inputs: vec![scan(GREY_PHOTO)],
        },
    ]
}

/// Outline titles and the 0-based page index each points to, read back with lopdf.
fn outline(pdf: &std::path::Path) -> Vec<(String, usize)> {
    let document = lopdf::Document::load(pdf).unwrap();
    let pages: Vec<lopdf::ObjectId> = document.get_pages().values().copied().collect();
    let catalog = document.catalog().unwrap();
    let root = catalog.get(b"Outlines").unwrap().as_reference().unwrap();
    let root = document.get_dictionary(root).unwrap();
    let mut next = root.get(b"First").and_then(|o| o.as_reference()).ok();
    let mut found = Vec::new();
    while let Some(id) = next {
        let item = document.get_dictionary(id).unwrap();
        let title = lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap();
        let dest = item.get(b"Dest").unwrap().as_array().unwrap();
        let page = dest[0].as_reference().unwrap();
        found.push((title, pages.iter().position(|&p| p == page).unwrap()));
        next = item.get(b"Next").and_then(|o| o.as_reference()).ok();
    }
    assert_eq!(
        root.get(b"Count").unwrap().as_i64().unwrap(),
        found.len() as i64
    );
    found
}

#[test]
fn combined_dossier_has_one_bookmark_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ho-so.pdf");
    let mut options = AssembleOptions {
        profile: Profile::Compact,
        ..AssembleOptions::default()
    };
    options.info.title = "Hồ sơ 000.00.21.H57-261127-0001".into();
    let report = assemble_combined(&documents(dir.path()), &options, &out).unwrap();
    // TIFF has two pages: 2 + 2 + 1 pages in all, the missing file reported by name.
    assert_eq!(report.pages_written, 5);
    let failed: Vec<_> = report
        .inputs
        .iter()
        .filter_map(|i| i.error.as_deref())
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].contains("không-có.jpg"), "{failed:?}");

    assert_qpdf_ok(&out);
    let info = pdfinfo(&out);
    assert!(info.contains("Pages:           5"), "{info}");
    let expected = vec![
        (TITLES[0].to_string(), 0),
        (TITLES[1].to_string(), 2),
        (TITLES[2].to_string(), 4),
    ];
    assert_eq!(outline(&out), expected);

    // qpdf reads the same titles (it decodes the UTF-16BE text strings itself).
    let json = Command::new("qpdf")
        .args(["--json", "--json-key=outlines"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(json.status.success());
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let titles: Vec<&str> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, TITLES);
    let document = lopdf::Document::load(&out).unwrap();
    let mode = document.catalog().unwrap().get(b"PageMode").unwrap();
    assert_eq!(mode.as_name().unwrap(), b"UseOutlines");
    assert_eq!(check_pdf_a(&out).unwrap(), Vec::<String>::new());
}

#[test]
fn combined_from_the_command_line_takes_one_bookmark_per_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cli.pdf");
    let status = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["assemble", "--combined", "--bookmark", TITLES[0], "-o"])
        .arg(&out)
        .arg(scan(TEXT_SKEW_0))
        .arg(scan(GREY_PHOTO))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_qpdf_ok(&out);
    // The second input has no --bookmark: its file name is the title.
    let stem = GREY_PHOTO.trim_end_matches(".jpg").to_string();
    assert_eq!(outline(&out), vec![(TITLES[0].to_string(), 0), (stem, 1)]);
}

#[test]
fn pdf_a_structural_check_passes_our_output_and_catches_breakage() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.pdf");
    assemble(
        &[scan(TEXT_SKEW_0), scan(COLOUR_STAMP)],
        &AssembleOptions::default(),
        &out,
    )
    .unwrap();
    assert_eq!(check_pdf_a(&out).unwrap(), Vec::<String>::new());

    // Break it the ways the check is meant to catch: JavaScript, no /ID, no output intent,
    // XMP that is not XML.
    let mut document = lopdf::Document::load(&out).unwrap();
    let mut action = lopdf::Dictionary::new();
    action.set("S", lopdf::Object::Name(b"JavaScript".to_vec()));
    action.set("JS", lopdf::Object::string_literal("app.alert(1)"));
    let action_id = document.add_object(action);
    let catalog_id = document
        .trailer
        .get(b"Root")
        .unwrap()
        .as_reference()
        .unwrap();
    let catalog = document.get_dictionary_mut(catalog_id).unwrap();
    catalog.set("OpenAction", action_id);
    catalog.remove(b"OutputIntents");
    let metadata = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    document
        .get_object_mut(metadata)
        .unwrap()
        .as_stream_mut()
        .unwrap()
        .set_content(b"<x:xmpmeta><rdf:RDF>".to_vec());
    document.trailer.remove(b"ID");
    let broken = dir.path().join("broken.pdf");
    document.save(&broken).unwrap();
    let problems = check_pdf_a(&broken).unwrap();
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(has("6.6.1"), "{problems:?}");
    assert!(has("/ID"), "{problems:?}");
    assert!(has("/OutputIntents"), "{problems:?}");
    assert!(has("not well-formed"), "{problems:?}");
}

/// The streamed writer copies passed-through JPEGs from their files when the page is added:
/// a file that changed size since import is left out with a message naming it, and the rest
/// of the document is still written whole.
#[test]
fn a_jpeg_changed_since_import_is_left_out_and_named() {
    use motcua::capture::{ImportOptions, PageContent, import_file};
    use motcua::pdf::{DocumentInfo, EncodedImage, PdfBuilder, PdfError};
    let dir = tempfile::tempdir().unwrap();
    let moving = dir.path().join("dang-ghi.jpg");
    std::fs::copy(scan(COLOUR_STAMP), &moving).unwrap();
    let pages = import_file(&moving, &ImportOptions::default()).unwrap();
    let PageContent::Jpeg { length, info } = &pages[0].content else {
        panic!("kept as a JPEG file")
    };
    // The hot folder's scanner rewrites the file after import.
    std::fs::write(&moving, b"\xFF\xD8 shorter").unwrap();
    let out = dir.path().join("out.pdf");
    let mut builder = PdfBuilder::create(&out).unwrap();
    let err = builder
        .add_image_page(
            EncodedImage::jpeg_passthrough(&moving, *length, info),
            595.0,
            842.0,
        )
        .unwrap_err();
    assert!(matches!(err, PdfError::SourceChanged { .. }), "{err:?}");
    assert!(err.to_string().contains("dang-ghi.jpg"), "{err}");
    assert!(!builder.is_broken());
    let good = import_file(&scan(TEXT_SKEW_0), &ImportOptions::default()).unwrap();
    let PageContent::Jpeg { length, info } = &good[0].content else {
        panic!("kept as a JPEG file")
    };
    builder
        .add_image_page(
            EncodedImage::jpeg_passthrough(&scan(TEXT_SKEW_0), *length, info),
            595.0,
            842.0,
        )
        .unwrap();
    builder.write(&DocumentInfo::titled("Hồ sơ")).unwrap();
    assert_qpdf_ok(&out);
    assert!(pdfinfo(&out).contains("Pages:           1"));
    assert_eq!(check_pdf_a(&out).unwrap(), Vec::<String>::new());
}
