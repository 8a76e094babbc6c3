//! The `motcua` CLI end to end on a real data folder: the commands the README and scripts rely on, their
//! `--json` shapes (docs/cli-json.md) and their exit codes.

mod common;

use assert_cmd::Command;
use common::*;
use motcua::Desk;

fn motcua(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("motcua").unwrap();
    cmd.env("MOTCUA_DATA_DIR", dir)
        .env("MOTCUA_ACTOR", "cli-test");
    cmd
}

fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    Desk::open(dir.path())
        .unwrap()
        .with_store(|s| s.import_procedures(&[birth_registration()], "t"))
        .unwrap();
    dir
}

#[test]
fn dossier_new_prints_the_code_and_show_json_has_the_documented_fields() {
    let dir = seeded();
    let out = motcua(dir.path())
        .args([
            "dossier",
            "new",
            "--procedure",
            "1.001193",
            "--applicant-name",
            "Nguyễn Thị Hồng",
        ])
        .args([
            "--citizen-id",
            "001190012345",
            "--birth-date",
            "02/03/1990",
            "--phone",
            "0912 345 678",
        ])
        .args(["--received-at", "2025-01-24 16:00"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(code, "000.00.06.H56-250124-0001");

    let out = motcua(dir.path())
        .args(["dossier", "show", &code, "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], code);
    assert_eq!(v["procedure_code"], "1.001193");
    assert_eq!(v["applicant"]["full_name"], "Nguyễn Thị Hồng");
    assert_eq!(v["applicant"]["date_of_birth"], "1990-03-02");
    assert_eq!(v["applicant"]["phone"], "0912345678");
    assert_eq!(v["channel_code"], 1);
    assert_eq!(v["status"], "draft");
    assert_eq!(v["status_code"], serde_json::Value::Null);
    assert_eq!(v["received_at"], "2025-01-24T16:00:00+07:00");
    // Same-day procedure received after 15:00 on the last day before Tết 2025: due at the end of the first
    // working day after the holiday (Monday 3 February).
    assert_eq!(v["due_at"], "2025-02-03T17:00:00+07:00");
    assert_eq!(v["documents"].as_array().unwrap().len(), 2);
    assert_eq!(v["created_by"], "cli-test");

    let out = motcua(dir.path())
        .args(["dossier", "list", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn errors_go_to_stderr_with_their_code_and_exit_2() {
    let dir = seeded();
    let out = motcua(dir.path())
        .args([
            "dossier",
            "new",
            "--procedure",
            "1.001193",
            "--applicant-name",
            "A",
            "--citizen-id",
            "0010900123",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("[invalid_citizen_id]") && err.contains("12 chữ số"),
        "{err}"
    );

    let out = motcua(dir.path())
        .args(["dossier", "show", "H56-250101-0001"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("[dossier_not_found]")
    );
}

#[test]
fn calendar_due_crosses_tet_2025() {
    let out = Command::cargo_bin("motcua")
        .unwrap()
        .args([
            "calendar",
            "due",
            "--from",
            "2025-01-24 10:00",
            "--days",
            "5",
            "--json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["due_at"], "2025-02-07T10:00:00+07:00");
}

#[test]
fn store_check_finds_a_changed_and_a_missing_blob() {
    let dir = seeded();
    let desk = Desk::open(dir.path()).unwrap();
    let a = desk
        .with_store(|s| s.put_blob(b"%PDF-1.7 first", "application/pdf"))
        .unwrap();
    let b = desk
        .with_store(|s| s.put_blob(b"%PDF-1.7 second", "application/pdf"))
        .unwrap();
    let again = desk
        .with_store(|s| s.put_blob(b"%PDF-1.7 first", "application/pdf"))
        .unwrap();
    assert_eq!(a, again, "content addressing makes writes idempotent");
    assert_eq!(
        motcua(dir.path())
            .args(["store", "check"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );

    let path_a = desk.with_store(|s| s.blobs().path_of(&a));
    std::fs::write(&path_a, b"%PDF-1.7 changed").unwrap();
    std::fs::remove_file(desk.with_store(|s| s.blobs().path_of(&b))).unwrap();
    let out = motcua(dir.path())
        .args(["store", "check", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["checked"], 2);
    let kinds: Vec<_> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds.len(), 2);
    assert!(kinds.contains(&"hash_mismatch".to_owned()) && kinds.contains(&"missing".to_owned()));
}
