//! "Quét lại trang" as one store transaction (issue 9): real pages imported into a real store (SQLite +
//! blob files) are replaced in place by newly imported ones; the order, the dense positions, the old
//! page's removal, the audit entry, the refusals that change nothing, a failure half-way (a trigger on the
//! real database) that leaves everything as it was, and the document assembled afterwards are checked.

mod common;

use std::sync::atomic::AtomicBool;

use common::{birth_dossier, named_applicant, scan};
use motcua::Desk;
use motcua::store::{CapturePage, PageCleanup, ReplaceRefusal, StoreError};
use motcua::{DeskError, ErrorCode};

fn ids_of(pages: &[CapturePage], doc: &str) -> Vec<i64> {
    pages
        .iter()
        .filter(|p| p.doc_code == doc)
        .map(|p| p.id)
        .collect()
}

fn positions_of(pages: &[CapturePage], doc: &str) -> Vec<i64> {
    pages
        .iter()
        .filter(|p| p.doc_code == doc)
        .map(|p| p.position)
        .collect()
}

fn import(desk: &Desk, code: &str, doc: &str, files: &[&str]) -> Vec<i64> {
    let no = AtomicBool::new(false);
    let paths: Vec<_> = files.iter().map(|f| scan(f)).collect();
    let outcome = desk.import_pages(code, doc, &paths, &no, |_| {}).unwrap();
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    outcome.pages.iter().map(|p| p.id).collect()
}

fn refusal(result: Result<motcua::store::PageReplacement, DeskError>) -> (i64, ReplaceRefusal) {
    let error = result.expect_err("the replacement is refused");
    assert_eq!(error.code(), ErrorCode::PageNotReplaced, "{error}");
    match error {
        DeskError::Store(StoreError::PageNotReplaced { page, why, .. }) => (page, why),
        other => panic!("unexpected error {other}"),
    }
}

#[test]
fn the_middle_page_is_replaced_in_place_by_two_new_pages() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let code = birth_dossier(&desk, named_applicant("Nguyễn Văn An", "001203004567"));
    let old = import(
        &desk,
        &code,
        "TP1",
        &[
            common::TEXT_SKEW_0,
            common::COLOUR_STAMP,
            common::TEXT_BORDER,
        ],
    );
    // The old pages go into the PDF as scanned (JPEG), the new ones cleaned to black and white (CCITT):
    // the assembled PDF then shows where each page landed.
    for &id in &old {
        desk.set_page_cleanup(id, PageCleanup::Original).unwrap();
    }
    // The re-scan: two pages (a two-page TIFF) arrive at the end of the document.
    let new = import(&desk, &code, "TP1", &[common::BW_TIFF_2_PAGES]);
    assert_eq!(new.len(), 2);
    let trail_before = desk.timeline(&code).unwrap().len();

    let done = desk.replace_page(old[1], &new, "clerk").unwrap();
    assert_eq!(done.dossier_code, code);
    assert_eq!(done.changed_documents, vec!["TP1".to_owned()]);

    let pages = desk.capture_pages(&code).unwrap();
    assert_eq!(ids_of(&pages, "TP1"), vec![old[0], new[0], new[1], old[2]]);
    assert_eq!(
        positions_of(&pages, "TP1"),
        vec![0, 1, 2, 3],
        "the sequence is dense"
    );
    assert!(matches!(
        desk.with_store(|s| s.capture_page(old[1])),
        Err(StoreError::NotFound { .. })
    ));
    // One audit entry, on the dossier, saying which page of which document was re-scanned.
    let trail = desk.timeline(&code).unwrap();
    assert_eq!(trail.len(), trail_before + 1);
    let entry = trail.last().unwrap();
    assert_eq!(
        (entry.action.as_str(), entry.actor.as_str()),
        ("capture.replace_page", "clerk")
    );
    let after = entry.after.as_ref().unwrap();
    assert_eq!(after["document"], "TP1");
    assert_eq!(after["page"], 2);
    assert_eq!(after["old_id"], old[1]);
    assert_eq!(after["new_ids"], serde_json::json!(new));
    assert!(desk.verify_audit().unwrap().is_intact());

    // The document assembled afterwards has the four pages (the old one gone, the new two in its place).
    let no = AtomicBool::new(false);
    let assembled = desk.assemble_document(&code, "TP1", "clerk", &no).unwrap();
    assert_eq!(assembled.pages, 4);
    let pdf = desk.with_store(|s| s.blobs().path_of(&assembled.sha256));
    assert_eq!(lopdf::Document::load(&pdf).unwrap().get_pages().len(), 4);
    let info = common::pdfinfo(&pdf);
    let pages_line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    assert_eq!(pages_line.split_whitespace().nth(1), Some("4"), "{info}");
    let filters: Vec<String> = common::page_images(&pdf)
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        filters,
        ["DCTDecode", "CCITTFaxDecode", "CCITTFaxDecode", "DCTDecode"]
    );
}

#[test]
fn new_pages_from_another_document_leave_it_dense() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let code = birth_dossier(&desk, named_applicant("Trần Thị Bình", "001203004568"));
    let tp1 = import(
        &desk,
        &code,
        "TP1",
        &[common::TEXT_SKEW_0, common::COLOUR_STAMP],
    );
    // Scanned into the wrong document: TP2 holds [x, new, y].
    let tp2 = import(
        &desk,
        &code,
        "TP2",
        &[common::GREY_PNG, common::BLANK, common::TEXT_BORDER],
    );
    let done = desk.replace_page(tp1[0], &[tp2[1]], "clerk").unwrap();
    assert_eq!(
        done.changed_documents,
        vec!["TP1".to_owned(), "TP2".to_owned()]
    );
    let pages = desk.capture_pages(&code).unwrap();
    assert_eq!(ids_of(&pages, "TP1"), vec![tp2[1], tp1[1]]);
    assert_eq!(positions_of(&pages, "TP1"), vec![0, 1]);
    assert_eq!(ids_of(&pages, "TP2"), vec![tp2[0], tp2[2]]);
    assert_eq!(positions_of(&pages, "TP2"), vec![0, 1]);
}

#[test]
fn refusals_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let code = birth_dossier(&desk, named_applicant("Lê Văn Cường", "001203004569"));
    let other = birth_dossier(&desk, named_applicant("Phạm Thị Dung", "001203004570"));
    let mine = import(
        &desk,
        &code,
        "TP1",
        &[common::TEXT_SKEW_0, common::COLOUR_STAMP, common::GREY_PNG],
    );
    let theirs = import(&desk, &other, "TP1", &[common::BLANK]);
    let pages_before = desk.capture_pages(&code).unwrap();
    let other_before = desk.capture_pages(&other).unwrap();
    let trail_before = desk.timeline(&code).unwrap().len();
    let unknown = mine.iter().chain(&theirs).max().unwrap() + 100;

    assert_eq!(
        refusal(desk.replace_page(unknown, &[mine[2]], "clerk")),
        (unknown, ReplaceRefusal::Missing)
    );
    assert_eq!(
        refusal(desk.replace_page(mine[1], &[mine[2], unknown], "clerk")),
        (unknown, ReplaceRefusal::Missing)
    );
    assert_eq!(
        refusal(desk.replace_page(mine[1], &[theirs[0]], "clerk")),
        (theirs[0], ReplaceRefusal::OtherDossier)
    );
    assert_eq!(
        refusal(desk.replace_page(mine[1], &[mine[2], mine[1]], "clerk")),
        (mine[1], ReplaceRefusal::ReplacesItself)
    );
    assert_eq!(
        refusal(desk.replace_page(mine[1], &[mine[2], mine[2]], "clerk")),
        (mine[2], ReplaceRefusal::Repeated)
    );
    assert_eq!(
        refusal(desk.replace_page(mine[1], &[], "clerk")),
        (mine[1], ReplaceRefusal::NoNewPages)
    );

    assert_eq!(desk.capture_pages(&code).unwrap(), pages_before);
    assert_eq!(desk.capture_pages(&other).unwrap(), other_before);
    assert_eq!(desk.timeline(&code).unwrap().len(), trail_before);
    assert!(desk.verify_audit().unwrap().is_intact());
}

#[test]
fn a_failure_half_way_leaves_the_pages_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let code = birth_dossier(&desk, named_applicant("Hoàng Văn Em", "001203004571"));
    let old = import(
        &desk,
        &code,
        "TP1",
        &[common::TEXT_SKEW_0, common::COLOUR_STAMP, common::GREY_PNG],
    );
    let new = import(&desk, &code, "TP1", &[common::BW_TIFF_2_PAGES]);
    let pages_before = desk.capture_pages(&code).unwrap();
    let trail_before = desk.timeline(&code).unwrap().len();
    // The disk "fails" at the last step (deleting the old row), after the pages were renumbered in the
    // same transaction: a trigger added by hand to the real database aborts that statement.
    let db = rusqlite::Connection::open(dir.path().join("motcua.sqlite3")).unwrap();
    db.execute_batch(
        "CREATE TRIGGER fail_delete BEFORE DELETE ON capture_pages
         BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;",
    )
    .unwrap();

    let error = desk.replace_page(old[1], &new, "clerk").unwrap_err();
    assert!(error.to_string().contains("simulated failure"), "{error}");
    assert_eq!(
        desk.capture_pages(&code).unwrap(),
        pages_before,
        "no renumbering survives"
    );
    assert_eq!(desk.timeline(&code).unwrap().len(), trail_before);

    // Once the disk is healthy again the same call succeeds.
    db.execute_batch("DROP TRIGGER fail_delete").unwrap();
    desk.replace_page(old[1], &new, "clerk").unwrap();
    let pages = desk.capture_pages(&code).unwrap();
    assert_eq!(ids_of(&pages, "TP1"), vec![old[0], new[0], new[1], old[2]]);
}
