//! The clerk's cleanup choice per page (Quét → the large preview's "Dùng cho trang này"): a page forced to
//! black and white is assembled as CCITT G4, a page set back to its original ("Khôi phục ảnh gốc") goes
//! in as scanned (the JPEG passed through byte for byte), the others keep the detected mode; the choice is
//! stored (migration 7) and survives a restart, and the stored original never changes.

mod common;

use std::sync::atomic::AtomicBool;

use common::{COLOUR_STAMP, birth_dossier, named_applicant, page_images, scan};
use motcua::Desk;
use motcua::store::PageCleanup;

#[test]
fn each_page_is_assembled_as_the_clerk_chose() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let no = AtomicBool::new(false);
    let code = birth_dossier(&desk, named_applicant("Lê Thị Mai", "001190012345"));
    let pages = [scan(COLOUR_STAMP), scan(COLOUR_STAMP), scan(COLOUR_STAMP)];
    desk.import_pages(&code, "TP1", &pages, &no, |_| {})
        .unwrap();
    let ids: Vec<i64> = desk
        .capture_pages(&code)
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids.len(), 3);

    let bw = desk.set_page_cleanup(ids[0], PageCleanup::Bw).unwrap();
    assert_eq!(bw.cleanup, PageCleanup::Bw);
    desk.set_page_cleanup(ids[1], PageCleanup::Original)
        .unwrap();
    let original_sha = desk.capture_pages(&code).unwrap()[1].blob_sha256.clone();

    // The choice is in the database: a restart keeps it.
    drop(desk);
    let desk = Desk::open(dir.path()).unwrap();
    let stored: Vec<PageCleanup> = desk
        .capture_pages(&code)
        .unwrap()
        .iter()
        .map(|p| p.cleanup)
        .collect();
    assert_eq!(
        stored,
        [PageCleanup::Bw, PageCleanup::Original, PageCleanup::Auto]
    );

    desk.assemble_document(&code, "TP1", "test", &no).unwrap();
    let pdf = dir.path().join("tp1.pdf");
    std::fs::write(&pdf, desk.document_pdf(&code, "TP1").unwrap()).unwrap();
    let images = page_images(&pdf);
    assert_eq!(images.len(), 3, "one image per page");
    assert_eq!(
        images[0].0, "CCITTFaxDecode",
        "page 1 forced to black and white"
    );
    let scanned = std::fs::read(scan(COLOUR_STAMP)).unwrap();
    assert_eq!(images[1].0, "DCTDecode");
    assert_eq!(
        images[1].1, scanned,
        "page 2 is the scan as it came, passed through"
    );
    assert_eq!(images[2].0, "DCTDecode", "page 3 keeps its detected colour");
    assert_ne!(images[2].1, scanned, "page 3 was cleaned (re-encoded)");

    // The original stays in the blob store whatever the choice.
    let blob = desk.with_store(|s| s.read_blob(&original_sha)).unwrap();
    assert_eq!(blob, scanned);

    // Back to automatic: page 2 is cleaned again on the next assembly.
    desk.set_page_cleanup(ids[1], PageCleanup::Auto).unwrap();
    desk.assemble_document(&code, "TP1", "test", &no).unwrap();
    std::fs::write(&pdf, desk.document_pdf(&code, "TP1").unwrap()).unwrap();
    assert_ne!(page_images(&pdf)[1].1, scanned);
}

#[test]
fn an_unknown_page_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let error = desk.set_page_cleanup(4242, PageCleanup::Bw).unwrap_err();
    assert!(error.to_string().contains("4242"), "{error}");
}
