//! The audit log's hash chain against real tampering of the SQLite file: an edited entry, a deleted entry in
//! the middle, the newest entry deleted. Each is found by `Store::verify_audit` and by `motcua audit verify`
//! (exit code 1).

mod common;

use assert_cmd::Command;
use common::*;
use motcua::Desk;
use motcua::store::AuditTamper;
use rusqlite::Connection;

/// A store with five audit entries (two procedure imports, three dossiers).
fn store_with_history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    desk.with_store(|s| {
        s.import_procedures(&[birth_registration(), residence_registration()], "t")
    })
    .unwrap();
    for name in ["Nguyễn An", "Trần Bình", "Lê Chi"] {
        desk.create_dossier(new_dossier("1.001193", name, at(2025, 3, 3, 9, 0)), "t")
            .unwrap();
    }
    assert!(desk.verify_audit().unwrap().is_intact());
    dir
}

/// Raw access, as someone with the file would have; the append-only triggers must be dropped first.
fn tamper(dir: &tempfile::TempDir, sql: &str) {
    let conn = Connection::open(dir.path().join("motcua.sqlite3")).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    conn.execute_batch(sql).unwrap();
}

fn problems(dir: &tempfile::TempDir) -> Vec<AuditTamper> {
    Desk::open(dir.path())
        .unwrap()
        .verify_audit()
        .unwrap()
        .problems
}

fn cli_exit_code(dir: &tempfile::TempDir) -> i32 {
    let out = Command::cargo_bin("motcua")
        .unwrap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["audit", "verify"])
        .output()
        .unwrap();
    out.status.code().unwrap()
}

#[test]
fn the_log_refuses_update_and_delete_while_triggers_stand() {
    let dir = store_with_history();
    let conn = Connection::open(dir.path().join("motcua.sqlite3")).unwrap();
    assert!(
        conn.execute("UPDATE audit_log SET actor = 'x' WHERE seq = 1", [])
            .is_err()
    );
    assert!(
        conn.execute("DELETE FROM audit_log WHERE seq = 1", [])
            .is_err()
    );
    assert_eq!(cli_exit_code(&dir), 0);
}

#[test]
fn edited_entry_is_detected() {
    let dir = store_with_history();
    tamper(
        &dir,
        "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3",
    );
    assert_eq!(problems(&dir), vec![AuditTamper::Modified { seq: 3 }]);
    assert_eq!(cli_exit_code(&dir), 1);
}

#[test]
fn deleted_middle_entry_is_detected() {
    let dir = store_with_history();
    tamper(&dir, "DELETE FROM audit_log WHERE seq = 2");
    let found = problems(&dir);
    assert!(
        found.contains(&AuditTamper::Gap {
            after_seq: 1,
            next_seq: 3
        }),
        "{found:?}"
    );
    assert!(
        found.contains(&AuditTamper::BrokenLink { seq: 3 }),
        "{found:?}"
    );
    assert_eq!(cli_exit_code(&dir), 1);
}

#[test]
fn deleted_newest_entry_is_detected_through_the_head() {
    let dir = store_with_history();
    tamper(
        &dir,
        "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
    );
    assert_eq!(
        problems(&dir),
        vec![AuditTamper::Head {
            expected_count: 5,
            found_count: 4
        }]
    );
    assert_eq!(cli_exit_code(&dir), 1);
}

#[test]
fn recomputed_hash_without_relinking_is_detected() {
    let dir = store_with_history();
    // A forger who rewrites an entry's hash breaks the link from the next entry.
    tamper(
        &dir,
        "UPDATE audit_log SET actor = 'x', hash = 'ff' WHERE seq = 2",
    );
    let found = problems(&dir);
    assert!(
        found.contains(&AuditTamper::Modified { seq: 2 })
            && found.contains(&AuditTamper::BrokenLink { seq: 3 })
    );
}
