//! The store against real SQLite files: dossier codes under concurrency, lifecycle, catalogue re-import,
//! schema versions and unusable data directories.

mod common;

use common::*;
use motcua::dossier::Status;
use motcua::store::{Store, StoreError};
use motcua::{Desk, ErrorCode};
use std::collections::BTreeSet;

fn desk_with_catalog() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    desk.with_store(|s| {
        s.import_procedures(&[birth_registration(), residence_registration()], "test")
    })
    .unwrap();
    (dir, desk)
}

#[test]
fn two_clerks_on_one_database_never_share_a_sequence_number() {
    let (dir, _desk) = desk_with_catalog();
    let received = at(2025, 3, 3, 9, 0);
    let threads: Vec<_> = (0..4)
        .map(|clerk| {
            let path = dir.path().to_owned();
            std::thread::spawn(move || {
                // Each thread opens its own connection, as a second clerk's PC would.
                let desk = Desk::open(&path).unwrap();
                (0..25)
                    .map(|i| {
                        desk.create_dossier(
                            new_dossier("1.001193", &format!("Người {clerk}-{i}"), received),
                            "clerk",
                        )
                        .unwrap()
                        .code
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let codes: BTreeSet<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let expected: BTreeSet<String> = (1..=100)
        .map(|n| format!("000.00.06.H56-250303-{n:04}"))
        .collect();
    assert_eq!(codes, expected);
}

#[test]
fn sequence_restarts_each_day_and_per_agency() {
    let (_dir, desk) = desk_with_catalog();
    let a = desk
        .create_dossier(new_dossier("1.001193", "A", at(2025, 12, 31, 16, 0)), "t")
        .unwrap();
    let b = desk
        .create_dossier(new_dossier("1.001193", "B", at(2026, 1, 2, 8, 0)), "t")
        .unwrap();
    desk.set_setting("agency.code", "H56.14", "t").unwrap();
    let c = desk
        .create_dossier(new_dossier("1.001193", "C", at(2026, 1, 2, 8, 5)), "t")
        .unwrap();
    assert_eq!(a.code, "000.00.06.H56-251231-0001");
    assert_eq!(b.code, "000.00.06.H56-260102-0001");
    assert_eq!(c.code, "H56.14-260102-0001");
    let err = desk.set_setting("agency.code", "H56-14", "t").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidAgencyCode);
}

#[test]
fn dossier_round_trips_with_documents_and_due_date() {
    let (_dir, desk) = desk_with_catalog();
    // Thursday 24 April 2025 10:00, 7 working days (56 h): Thu 5 h, Fri 25, Sat 26 (worked in exchange for
    // Fri 2/5), Mon 28, Tue 29 → 37 h; 30/4, 1/5, 2/5 off; Mon 5/5, Tue 6/5 → 53 h; 3 h more on Wed 7/5.
    let made = desk
        .create_dossier(
            new_dossier("1.004222", "Phạm Thị Ánh", at(2025, 4, 24, 10, 0)),
            "hoa",
        )
        .unwrap();
    let read = desk.dossier(&made.code).unwrap();
    assert_eq!(read, made);
    assert_eq!(read.applicant.full_name, "Phạm Thị Ánh");
    assert_eq!(
        read.documents
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>(),
        ["TP1", "TP2"]
    );
    assert_eq!(read.status, Status::Draft);
    assert_eq!(read.created_by, "hoa");
    assert_eq!(read.due_at, at(2025, 5, 7, 10, 0));
}

#[test]
fn unknown_procedure_and_bad_citizen_id_are_refused_with_codes() {
    let (_dir, desk) = desk_with_catalog();
    let err = desk
        .create_dossier(new_dossier("9.999999", "A", at(2025, 3, 3, 9, 0)), "t")
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownProcedure);
    let mut bad = new_dossier("1.001193", "A", at(2025, 3, 3, 9, 0));
    bad.applicant.citizen_id = "12345".into();
    assert_eq!(
        desk.create_dossier(bad, "t").unwrap_err().code(),
        ErrorCode::InvalidCitizenId
    );
    assert!(desk.dossiers().unwrap().is_empty(), "nothing half-written");
}

#[test]
fn lifecycle_changes_are_checked_and_audited() {
    let (_dir, desk) = desk_with_catalog();
    let d = desk
        .create_dossier(new_dossier("1.001193", "A", at(2025, 3, 3, 9, 0)), "t")
        .unwrap();
    let err = desk
        .set_dossier_status(&d.code, Status::Returned, "t")
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::IllegalTransition);
    assert!(
        err.to_string().contains("Đang tiếp nhận") && err.to_string().contains("Đã trả kết quả")
    );
    desk.set_dossier_status(&d.code, Status::Ready, "t")
        .unwrap();
    let trail = desk
        .with_store(|s| s.audit_trail(&format!("dossier:{}", d.code)))
        .unwrap();
    let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["dossier.create", "dossier.status"]);
    assert_eq!(trail[1].before.as_ref().unwrap()["status"], "draft");
    assert_eq!(trail[1].after.as_ref().unwrap()["status"], "ready");
    assert_eq!(
        desk.timeline("H56-250101-0001").unwrap_err().code(),
        ErrorCode::DossierNotFound
    );
}

#[test]
fn catalogue_reimport_updates_by_code_and_keeps_used_procedures() {
    let (dir, desk) = desk_with_catalog();
    desk.create_dossier(new_dossier("1.004222", "A", at(2025, 3, 3, 9, 0)), "t")
        .unwrap();
    let mut changed = birth_registration();
    changed.name = "Đăng ký khai sinh (sửa)".into();
    let report = desk
        .with_store(|s| s.import_procedures(&[changed], "t"))
        .unwrap();
    assert_eq!(report.updated, ["1.001193"]);
    let codes: Vec<_> = desk
        .procedures()
        .unwrap()
        .into_iter()
        .map(|p| (p.code, p.name))
        .collect();
    assert_eq!(
        codes,
        [
            ("1.001193".to_owned(), "Đăng ký khai sinh (sửa)".to_owned()),
            ("1.004222".to_owned(), "Đăng ký thường trú".to_owned())
        ]
    );
    // Even a hand-made DELETE cannot remove a procedure that a dossier uses.
    let conn = rusqlite::Connection::open(dir.path().join("motcua.sqlite3")).unwrap();
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    assert!(
        conn.execute("DELETE FROM procedures WHERE code = '1.004222'", [])
            .is_err()
    );
}

#[test]
fn database_from_a_newer_version_is_refused_not_migrated_down() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join("motcua.sqlite3")).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    match Store::open(dir.path()) {
        Err(StoreError::NewerSchema {
            found: 99,
            supported,
            ..
        }) => assert_eq!(supported, Store::schema_version()),
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    let conn = rusqlite::Connection::open(dir.path().join("motcua.sqlite3")).unwrap();
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99, "the newer database is left untouched");
}

#[test]
fn garbage_database_file_is_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("motcua.sqlite3"), vec![0x42; 8192]).unwrap();
    let err = Desk::open(dir.path()).err().expect("must fail");
    assert_eq!(err.code(), ErrorCode::DatabaseCorrupt, "{err}");
    assert!(err.to_string().contains("motcua.sqlite3"));
}

#[test]
fn data_dir_that_is_a_file_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let err = Desk::open(&file.join("data")).err().expect("must fail");
    assert_eq!(err.code(), ErrorCode::DataDirReadOnly, "{err}");
    assert!(err.to_string().contains("not-a-dir"), "{err}");
}
