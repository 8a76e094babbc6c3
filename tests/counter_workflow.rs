//! The counter workflow through `Desk`, on real files: the CCCD pictures of tests/fixtures/cccd (made by
//! `cargo run --example make_cccd`), the test scans, the test PKI, a real SQLite store. Receive → capture
//! (import, reorder, rotate, move, delete, reopen) → assemble → sign (and the wrong-password and expired
//! certificate errors) → receipt → submit, with the signed PDFs checked by the verifier.

mod common;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use common::{P12_PASSWORD, birth_dossier, card_applicant, pki, scan};
use motcua::counter::SignKey;
use motcua::dossier::Status;
use motcua::verify::{TrustStore, Verdict, VerifyOptions, verify_file};
use motcua::{Desk, ErrorCode};

fn cccd(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cccd")
        .join(name)
}

#[test]
fn the_card_scan_and_the_rotated_photo_both_fill_the_applicant() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    for picture in ["card-back.png", "card-photo.jpg"] {
        let data = desk.read_cccd(&cccd(picture)).unwrap();
        assert_eq!(data.citizen_id, "001190012345", "{picture}");
        assert_eq!(data.old_id.as_deref(), Some("123456789"));
        assert_eq!(data.full_name, "Nguyễn Thị Hồng Nhung");
        assert_eq!(
            data.date_of_birth,
            NaiveDate::from_ymd_opt(1990, 3, 2).unwrap()
        );
        assert_eq!(data.sex, "Nữ");
        assert_eq!(data.address, "Số 1 Tràng Tiền, phường Tràng Tiền, Hà Nội");
        assert_eq!(data.issued_on, NaiveDate::from_ymd_opt(2021, 8, 15));
    }
}

#[test]
fn a_picture_without_a_qr_code_says_so_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let error = desk.read_cccd(&cccd("card-front.png")).unwrap_err();
    assert_eq!(error.code(), ErrorCode::CccdQrNotFound);
    assert!(
        error.to_string().contains("không tìm thấy mã QR"),
        "{error}"
    );
    assert!(error.to_string().contains("card-front.png"), "{error}");
    // A scanned page of text has no QR code either.
    let receipt_scan = scan(common::TEXT_SKEW_0);
    let other = desk.read_cccd(&receipt_scan).unwrap_err();
    assert_eq!(other.code(), ErrorCode::CccdQrNotFound);
}

fn open_dossier(desk: &Desk) -> String {
    birth_dossier(desk, card_applicant(desk))
}

#[test]
fn capture_assemble_sign_receipt_and_submit() {
    let dir = tempfile::tempdir().unwrap();
    let no = AtomicBool::new(false);
    let code;
    let ids: Vec<i64>;
    {
        let desk = Desk::open(dir.path()).unwrap();
        code = open_dossier(&desk);
        let mut seen = 0;
        let first = desk
            .import_pages(
                &code,
                "TP1",
                &[scan(common::TEXT_SKEW_0), scan(common::BW_TIFF_2_PAGES)],
                &no,
                |_| seen += 1,
            )
            .unwrap();
        assert_eq!(
            seen, 3,
            "the JPEG and both TIFF pages are reported as they arrive"
        );
        assert!(first.failures.is_empty());
        assert_eq!(first.pages[0].media_type, "image/jpeg");
        assert_eq!(first.pages[1].media_type, "image/png");
        let second = desk
            .import_pages(
                &code,
                "TP2",
                &[
                    scan(common::COLOUR_STAMP),
                    PathBuf::from("/nonexistent/x.jpg"),
                ],
                &no,
                |_| {},
            )
            .unwrap();
        assert_eq!(second.pages.len(), 1);
        assert_eq!(
            second.failures.len(),
            1,
            "the missing file is reported, the rest imported"
        );
        let thumb = desk.page_thumbnail(first.pages[0].id).unwrap().unwrap();
        let thumb = image::load_from_memory(&thumb).unwrap();
        assert!(thumb.width().max(thumb.height()) <= 220);

        // Reorder: the last TIFF page first; rotate it; move the TP2 page into TP1 and back; delete nothing.
        ids = vec![first.pages[2].id, first.pages[0].id, first.pages[1].id];
        desk.arrange_pages(&code, "TP1", &ids).unwrap();
        assert_eq!(desk.rotate_page(ids[0], 1).unwrap().rotation, 90);
        assert_eq!(desk.rotate_page(ids[0], -2).unwrap().rotation, 270);
        assert_eq!(desk.rotate_page(ids[0], 3).unwrap().rotation, 180);
        assert_eq!(desk.rotate_page(ids[0], -1).unwrap().rotation, 90);
        let mut moved = ids.clone();
        moved.push(second.pages[0].id);
        desk.arrange_pages(&code, "TP1", &moved).unwrap();
        assert!(
            desk.capture_pages(&code)
                .unwrap()
                .iter()
                .all(|p| p.doc_code == "TP1")
        );
        desk.arrange_pages(&code, "TP2", &[second.pages[0].id])
            .unwrap();
        let extra = desk
            .import_pages(&code, "TP2", &[scan(common::BLANK)], &no, |_| {})
            .unwrap();
        desk.delete_page(extra.pages[0].id).unwrap();
        assert!(desk.arrange_pages(&code, "TP9", &[ids[0]]).is_err());
    }

    // Closing and reopening keeps the work in progress.
    let desk = Desk::open(dir.path()).unwrap();
    let pages = desk.capture_pages(&code).unwrap();
    let tp1: Vec<i64> = pages
        .iter()
        .filter(|p| p.doc_code == "TP1")
        .map(|p| p.id)
        .collect();
    assert_eq!(tp1, ids);
    assert_eq!(pages.iter().find(|p| p.id == ids[0]).unwrap().rotation, 90);
    assert_eq!(pages.iter().filter(|p| p.doc_code == "TP2").count(), 1);

    // Signing before assembling names the missing document.
    let p12 = SignKey::P12(pki("signer-rsa2048.p12"));
    let early = desk.sign_dossier(&code, &p12, P12_PASSWORD, "test", &no, |_, _, _| {});
    assert_eq!(early.unwrap_err().code(), ErrorCode::RequiredField);

    let a1 = desk.assemble_document(&code, "TP1", "test", &no).unwrap();
    assert_eq!(a1.pages, 3);
    let a2 = desk.assemble_document(&code, "TP2", "test", &no).unwrap();
    assert_eq!(a2.pages, 1);
    // The turned page comes out landscape-for-portrait: its width and height are swapped.
    let sizes = common::page_sizes(&desk.with_store(|s| s.blobs().path_of(&a1.sha256)));
    assert!(sizes[0].0 > sizes[0].1, "first page turned 90°: {sizes:?}");
    assert!(sizes[1].0 < sizes[1].1, "second page upright: {sizes:?}");

    let wrong = desk.sign_dossier(&code, &p12, "sai-mat-khau", "test", &no, |_, _, _| {});
    let wrong = wrong.unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::WrongPin);
    assert!(
        !wrong.to_string().contains("sai-mat-khau"),
        "the password never appears: {wrong}"
    );
    let expired = SignKey::P12(pki("signer-expired.p12"));
    let expired = desk.sign_dossier(&code, &expired, P12_PASSWORD, "test", &no, |_, _, _| {});
    assert_eq!(expired.unwrap_err().code(), ErrorCode::CertificateExpired);

    let mut steps = Vec::new();
    let summary = desk
        .sign_dossier(
            &code,
            &p12,
            P12_PASSWORD,
            "test",
            &no,
            |done, total, doc| steps.push((done, total, doc.to_owned())),
        )
        .unwrap();
    assert_eq!(
        steps,
        vec![
            (0, 2, "TP1".into()),
            (1, 2, "TP2".into()),
            (2, 2, String::new())
        ]
    );
    assert_eq!(summary.dossier.status, Status::Signed);
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki("root.cert.pem")).unwrap();
    let options = VerifyOptions { trust };
    for (doc, sha) in &summary.documents {
        let path = desk.with_store(|s| s.blobs().path_of(sha));
        let report = verify_file(&path, &options).unwrap();
        assert!(
            matches!(report.verdict, Verdict::Valid | Verdict::ValidWithWarnings),
            "{doc}: {:?}",
            report.verdict
        );
    }
    // Signing again starts from the assembled PDFs: one signature each, not two.
    let again = desk
        .sign_dossier(&code, &p12, P12_PASSWORD, "test", &no, |_, _, _| {})
        .unwrap();
    let path = desk.with_store(|s| s.blobs().path_of(&again.documents[0].1));
    assert_eq!(verify_file(&path, &options).unwrap().signatures.len(), 1);

    let (receipt, bytes) = desk.receipt_pdf(&code, "test").unwrap();
    assert!(receipt.exists() && bytes.starts_with(b"%PDF-"));

    let job = desk.submit(&code, "test").unwrap();
    assert_eq!(job.dossier_code, code);
    assert_eq!(desk.dossier(&code).unwrap().status, Status::Queued);
    assert_eq!(desk.queue().unwrap().len(), 1);
}

#[test]
fn a_cancelled_import_stops_before_the_next_file() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let code = open_dossier(&desk);
    let cancelled = AtomicBool::new(true);
    let error = desk
        .import_pages(
            &code,
            "TP1",
            &[scan(common::TEXT_SKEW_0)],
            &cancelled,
            |_| {},
        )
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Cancelled);
    assert!(desk.capture_pages(&code).unwrap().is_empty());
    let empty = desk.assemble_document(&code, "TP1", "t", &AtomicBool::new(false));
    assert_eq!(empty.unwrap_err().code(), ErrorCode::NoPages);
}

#[test]
fn scanning_with_sane_stores_each_page_as_it_arrives() {
    use motcua::capture::scan::{ScanMode, ScanRequest};
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let code = open_dossier(&desk);
    // SANE's test backend (sane-utils): its simulated feeder, two sheets at 75 dpi.
    let request = ScanRequest {
        resolution: 75,
        mode: ScanMode::Grey,
        source: Some("Automatic Document Feeder".into()),
        max_pages: Some(2),
        extra_options: vec![("test-picture".into(), "Grid".into())],
    };
    let mut arrived = Vec::new();
    let outcome = desk
        .scan_pages(
            &code,
            "TP2",
            "test",
            &request,
            &AtomicBool::new(false),
            |page| arrived.push(page.id),
        )
        .unwrap();
    assert_eq!(outcome.pages.len(), 2);
    assert_eq!(
        arrived,
        outcome.pages.iter().map(|p| p.id).collect::<Vec<_>>()
    );
    let stored = desk.capture_pages(&code).unwrap();
    assert!(
        stored
            .iter()
            .all(|p| p.doc_code == "TP2" && p.thumb_sha256.is_some())
    );
    assert_eq!(stored.len(), 2);

    let missing = desk.scan_pages(
        &code,
        "TP2",
        "nosuchbackend:0",
        &request,
        &AtomicBool::new(false),
        |_| {},
    );
    assert_eq!(missing.unwrap_err().code(), ErrorCode::ScannerFailed);
}
