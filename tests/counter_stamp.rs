//! The stamp placement chosen on the Ký số screen's preview is where signing puts the widget: a dossier is
//! captured from the test scans (TP1 three pages, TP2 one), assembled, and signed with the test .p12 at a
//! preset moved by the arrow-key step; the signed PDFs' signature widgets are read back with lopdf and
//! their /Rect and page (/P) compared with the placement fitted to each document.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use common::{P12_PASSWORD, birth_dossier, named_applicant, pki, scan};
use lopdf::{Document, Object, ObjectId};
use motcua::counter::stamp::{STAMP_HEIGHT, STAMP_WIDTH, StampPlacement, StampPreset, page_boxes};
use motcua::counter::{SignKey, SignWith};
use motcua::{Desk, ErrorCode};

/// The signature widget of a signed PDF: its /Rect and the object id of its page (/P).
fn widget(path: &Path) -> (Vec<f32>, ObjectId) {
    let document = Document::load(path).unwrap();
    let (_, field) = document
        .objects
        .iter()
        .find(|(_, object)| {
            object
                .as_dict()
                .is_ok_and(|d| d.get(b"FT").and_then(Object::as_name).ok() == Some(b"Sig"))
        })
        .expect("a signature field");
    let field = field.as_dict().unwrap();
    let rect = field
        .get(b"Rect")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_float().unwrap())
        .collect();
    (rect, field.get(b"P").unwrap().as_reference().unwrap())
}

fn page_id(path: &Path, page: u32) -> ObjectId {
    Document::load(path).unwrap().get_pages()[&page]
}

#[test]
fn signing_puts_the_stamp_where_the_preview_placed_it() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let no = AtomicBool::new(false);
    let code = birth_dossier(
        &desk,
        named_applicant("Nguyễn Thị Hồng Nhung", "001190012345"),
    );
    let tp1 = [scan(common::TEXT_SKEW_0), scan(common::BW_TIFF_2_PAGES)];
    desk.import_pages(&code, "TP1", &tp1, &no, |_| {}).unwrap();
    desk.import_pages(&code, "TP2", &[scan(common::COLOUR_STAMP)], &no, |_| {})
        .unwrap();

    // The preview needs the assembled PDF; before assembly the call says what is missing.
    let early = desk.document_pdf(&code, "TP1").unwrap_err();
    assert_eq!(early.code(), ErrorCode::NoPages);
    desk.assemble_document(&code, "TP1", "test", &no).unwrap();
    desk.assemble_document(&code, "TP2", "test", &no).unwrap();
    let preview = dir.path().join("tp1-preview.pdf");
    std::fs::write(&preview, desk.document_pdf(&code, "TP1").unwrap()).unwrap();
    let boxes = page_boxes(&preview).unwrap();
    assert_eq!(boxes.len(), 3);

    // The clerk picks page 2, the "bottom left" preset, then moves the box 10 pt to the right (one
    // Shift+→ on the preview; the core sees only the result).
    let [x1, y1, x2, y2] = boxes[1];
    let mut placement = StampPlacement::preset(StampPreset::BottomLeft, 2, x2 - x1, y2 - y1);
    placement.x += 10.0;
    let key = SignKey::P12(pki("signer-rsa2048.p12"));
    let how = SignWith {
        key: &key,
        secret: P12_PASSWORD,
        stamp: placement,
    };
    let summary = desk
        .sign_dossier_with(&code, &how, "test", &no, |_, _, _| {})
        .unwrap();
    let signed = |doc: &str| {
        let sha = &summary.documents.iter().find(|(d, _)| d == doc).unwrap().1;
        desk.with_store(|s| s.blobs().path_of(sha))
    };

    let (rect, page) = widget(&signed("TP1"));
    let expected = [
        x1 + 46.0,
        y1 + 36.0,
        x1 + 46.0 + STAMP_WIDTH,
        y1 + 36.0 + STAMP_HEIGHT,
    ];
    for (got, want) in rect.iter().zip(expected) {
        assert!(
            (got - want).abs() < 0.01,
            "TP1 /Rect {rect:?}, expected {expected:?}"
        );
    }
    assert_eq!(page, page_id(&signed("TP1"), 2), "the stamp is on page 2");

    // TP2 has one page: the stamp goes on its last page, at the same place from its corner.
    let (rect, page) = widget(&signed("TP2"));
    let tp2 = page_boxes(&signed("TP2")).unwrap()[0];
    assert_eq!(page, page_id(&signed("TP2"), 1));
    assert!((rect[0] - (tp2[0] + 46.0)).abs() < 0.01, "{rect:?}");
    assert!((rect[1] - (tp2[1] + 36.0)).abs() < 0.01, "{rect:?}");

    // The default (the plain `sign_dossier`) is page 1, bottom right of A4.
    let again = desk
        .sign_dossier(&code, &key, P12_PASSWORD, "test", &no, |_, _, _| {})
        .unwrap();
    let path = desk.with_store(|s| s.blobs().path_of(&again.documents[0].1));
    let (rect, page) = widget(&path);
    let fitted = StampPlacement::default()
        .fit(&page_boxes(&path).unwrap())
        .unwrap();
    assert_eq!(fitted.0, 1);
    assert!(
        (rect[0] - fitted.1[0]).abs() < 0.01 && (rect[1] - fitted.1[1]).abs() < 0.01,
        "{rect:?}"
    );
    assert_eq!(page, page_id(&path, 1));
}
