//! The counter's scan folder (`capture.hot-folder`): finished files become pages of the selected document
//! in name order and move to `da-nhap/`; a file that is not a scan is refused, named and moved to `loi/`; a
//! file still being written waits; the target can change while the watch runs; no folder set, or one that
//! cannot be read, is refused with the setting named. Real files, a real SQLite store, the watch's thread.

mod common;

use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{BW_TIFF_2_PAGES, COLOUR_STAMP, TEXT_SKEW_0, birth_dossier, named_applicant, scan};
use motcua::counter::{HotFolderEvent, HotFolderTarget, HotFolderWatch, WatchTiming};
use motcua::{Desk, ErrorCode};

const QUICK: WatchTiming = WatchTiming {
    poll: Duration::from_millis(20),
    settle: Duration::ZERO,
};

fn target(code: &str, doc: &str) -> HotFolderTarget {
    HotFolderTarget {
        dossier: code.into(),
        doc_code: doc.into(),
    }
}

/// The next event that is not a page, failing after 20 s.
fn next_file_event(events: &Receiver<HotFolderEvent>) -> HotFolderEvent {
    loop {
        match events.recv_timeout(Duration::from_secs(20)) {
            Ok(HotFolderEvent::Page(_)) => continue,
            Ok(event) => return event,
            Err(e) => panic!("no event from the scan folder: {e}"),
        }
    }
}

/// Starts watching for document `doc` of dossier `code`; the events arrive on the receiver.
fn watch(desk: &Arc<Desk>, code: &str, doc: &str) -> (HotFolderWatch, Receiver<HotFolderEvent>) {
    let (tx, events) = channel();
    let tx = Mutex::new(tx);
    let watch = desk
        .watch_hot_folder(target(code, doc), QUICK, move |event| {
            let _ = tx.lock().unwrap().send(event);
        })
        .unwrap();
    (watch, events)
}

fn open_desk_with_folder() -> (tempfile::TempDir, tempfile::TempDir, Arc<Desk>, String) {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let desk = Arc::new(Desk::open(data.path()).unwrap());
    desk.set_setting(
        motcua::settings::HOT_FOLDER,
        &folder.path().to_string_lossy(),
        "test",
    )
    .unwrap();
    let code = birth_dossier(&desk, named_applicant("Hoàng Văn Quét", "001090012399"));
    (data, folder, desk, code)
}

#[test]
fn finished_files_become_pages_in_name_order_and_move_aside() {
    let (_data, folder, desk, code) = open_desk_with_folder();
    // Two files already there when the watch starts, named as a scanner numbers its pages.
    std::fs::copy(scan(TEXT_SKEW_0), folder.path().join("scan-0002.jpg")).unwrap();
    std::fs::copy(scan(BW_TIFF_2_PAGES), folder.path().join("scan-0001.tif")).unwrap();
    std::fs::write(folder.path().join("ghi-chu.jpg"), b"not a picture").unwrap();
    // A file the scanner is still writing (its partial suffix) is not taken.
    std::fs::write(folder.path().join("scan-0003.jpg.part"), b"half").unwrap();

    let (watch, events) = watch(&desk, &code, "TP1");
    assert_eq!(watch.folder(), folder.path());

    let mut taken = Vec::new();
    let mut refused = Vec::new();
    while taken.len() + refused.len() < 3 {
        match next_file_event(&events) {
            HotFolderEvent::Taken {
                file,
                pages,
                moved_to,
                target,
            } => {
                assert_eq!(target.doc_code, "TP1");
                let moved_to = moved_to.expect("the file was moved out of the folder");
                assert_eq!(moved_to.parent().unwrap(), folder.path().join("da-nhap"));
                assert!(moved_to.is_file() && !file.exists());
                taken.push((file.file_name().unwrap().to_owned(), pages));
            }
            HotFolderEvent::Refused {
                file,
                reason,
                moved_to,
            } => {
                assert!(reason.contains("ghi-chu.jpg"), "{reason}");
                assert_eq!(moved_to.unwrap(), folder.path().join("loi/ghi-chu.jpg"));
                refused.push(file);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    // ghi-chu.jpg sorts first and is refused; then the scanner's pages in name order.
    assert_eq!(
        taken,
        [("scan-0001.tif".into(), 2), ("scan-0002.jpg".into(), 1)]
    );
    let pages = desk.capture_pages(&code).unwrap();
    let sources: Vec<&str> = pages.iter().map(|p| p.source_name.as_str()).collect();
    assert_eq!(sources, ["scan-0001.tif", "scan-0001.tif", "scan-0002.jpg"]);
    assert!(pages.iter().all(|p| p.doc_code == "TP1"));
    assert!(
        folder.path().join("scan-0003.jpg.part").exists(),
        "a partial file stays"
    );

    // The next file goes where the clerk now points.
    watch.retarget(target(&code, "TP2"));
    std::fs::copy(scan(COLOUR_STAMP), folder.path().join("scan-0004.jpg")).unwrap();
    match next_file_event(&events) {
        HotFolderEvent::Taken { target, pages, .. } => {
            assert_eq!((target.doc_code.as_str(), pages), ("TP2", 1));
        }
        other => panic!("unexpected {other:?}"),
    }
    watch.stop();
    let tp2: Vec<_> = desk
        .capture_pages(&code)
        .unwrap()
        .into_iter()
        .filter(|p| p.doc_code == "TP2")
        .collect();
    assert_eq!(tp2.len(), 1);

    // A stopped watch takes nothing more.
    std::fs::copy(scan(COLOUR_STAMP), folder.path().join("scan-0005.jpg")).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(folder.path().join("scan-0005.jpg").exists());
    assert_eq!(desk.capture_pages(&code).unwrap().len(), 4);
}

#[test]
fn a_file_with_the_same_name_already_taken_is_kept_under_a_new_name() {
    let (_data, folder, desk, code) = open_desk_with_folder();
    std::fs::create_dir(folder.path().join("da-nhap")).unwrap();
    std::fs::write(folder.path().join("da-nhap/scan.jpg"), b"yesterday's").unwrap();
    std::fs::copy(scan(TEXT_SKEW_0), folder.path().join("scan.jpg")).unwrap();
    let (watch, events) = watch(&desk, &code, "TP1");
    match next_file_event(&events) {
        HotFolderEvent::Taken { moved_to, .. } => {
            assert_eq!(moved_to.unwrap(), folder.path().join("da-nhap/scan-1.jpg"));
        }
        other => panic!("unexpected {other:?}"),
    }
    drop(watch);
    assert_eq!(
        std::fs::read(folder.path().join("da-nhap/scan.jpg")).unwrap(),
        b"yesterday's"
    );
}

#[test]
fn no_folder_a_missing_folder_or_an_unknown_document_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let desk = Arc::new(Desk::open(data.path()).unwrap());
    let code = birth_dossier(&desk, named_applicant("Hoàng Văn Quét", "001090012399"));
    let error = desk
        .watch_hot_folder(target(&code, "TP1"), QUICK, |_| {})
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidSetting);
    assert!(error.to_string().contains("Cài đặt → Quét"), "{error}");

    // A folder set once and gone since (a share not connected).
    let gone = data.path().join("may-quet");
    std::fs::create_dir(&gone).unwrap();
    desk.set_setting(
        motcua::settings::HOT_FOLDER,
        &gone.to_string_lossy(),
        "test",
    )
    .unwrap();
    std::fs::remove_dir(&gone).unwrap();
    let error = desk
        .watch_hot_folder(target(&code, "TP1"), QUICK, |_| {})
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidSetting);
    assert!(error.to_string().contains("may-quet"), "{error}");

    std::fs::create_dir(&gone).unwrap();
    let error = desk
        .watch_hot_folder(target(&code, "TP9"), QUICK, |_| {})
        .unwrap_err();
    assert!(error.to_string().contains("TP9"), "{error}");
}

#[test]
fn the_setting_must_name_an_existing_folder() {
    let dir = tempfile::tempdir().unwrap();
    assert!(motcua::settings::check_setting("capture.hot-folder", "").is_ok());
    assert!(
        motcua::settings::check_setting("capture.hot-folder", &dir.path().to_string_lossy())
            .is_ok()
    );
    let reason =
        motcua::settings::check_setting("capture.hot-folder", "/khong/co/thu-muc").unwrap_err();
    assert!(reason.contains("/khong/co/thu-muc"), "{reason}");
}
