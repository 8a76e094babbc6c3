//! The supervisor's side of the desktop app through `Desk` (issue 9): local accounts with Argon2id and
//! roles, the validated office settings and the verifier's trust store, verification runs over the signed
//! corpus (real files, real trust anchors), the saved HTML report, and the report trend. Also the
//! `motcua user` CLI.

mod common;

use assert_cmd::Command;
use common::{at, fixture, new_dossier, pki, residence_registration};
use motcua::Desk;
use motcua::user::{Permission, Role};
use motcua::verify::Verdict;
use std::sync::atomic::AtomicBool;

fn desk() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(&dir.path().join("data")).unwrap();
    (dir, desk)
}

fn audit_text(desk: &Desk) -> String {
    let n = desk.verify_audit().unwrap().entries;
    assert!(n > 0);
    desk.with_store(|s| {
        let mut all = String::new();
        for prefix in ["user:lan", "user:binh", "user:nam"] {
            for e in s.audit_trail(prefix).unwrap() {
                all.push_str(&serde_json::to_string(&e).unwrap());
            }
        }
        all
    })
}

#[test]
fn first_supervisor_then_clerk_sign_in_and_roles() {
    let (_dir, desk) = desk();
    assert_eq!(desk.user_count().unwrap(), 0);
    let lan = desk
        .create_first_supervisor(" Lan ", "Nguyễn Thị Lan", "mật-khẩu-lan-2026")
        .unwrap();
    assert_eq!((lan.login.as_str(), lan.role), ("lan", Role::Supervisor));
    // The first-run screen works only once.
    let again = desk
        .create_first_supervisor("khac", "Người khác", "mật-khẩu-khác-2026")
        .unwrap_err();
    assert_eq!(again.code().as_str(), "login_taken");

    let binh = desk
        .add_user(
            "binh",
            "Trần Văn Bình",
            Role::Clerk,
            "mật-khẩu-bình-1",
            &lan.actor(),
        )
        .unwrap();
    assert_eq!(binh.role, Role::Clerk);
    let taken = desk
        .add_user(
            "BINH",
            "Bình 2",
            Role::Clerk,
            "mật-khẩu-bình-2",
            &lan.actor(),
        )
        .unwrap_err();
    assert_eq!(taken.code().as_str(), "login_taken");
    let weak = desk
        .add_user("nam", "Nam", Role::Clerk, "1234567", "t")
        .unwrap_err();
    assert_eq!(weak.code().as_str(), "invalid_user");
    let bad_login = desk
        .add_user("n m", "Nam", Role::Clerk, "12345678", "t")
        .unwrap_err();
    assert_eq!(bad_login.code().as_str(), "invalid_user");

    // Signing in: right password, wrong password, unknown login (same answer), case of the login.
    assert_eq!(desk.authenticate("Binh", "mật-khẩu-bình-1").unwrap(), binh);
    let wrong = desk.authenticate("binh", "mật-khẩu-bình-2").unwrap_err();
    assert_eq!(wrong.code().as_str(), "wrong_password");
    assert!(!wrong.to_string().contains("mật-khẩu"), "{wrong}");
    let unknown = desk
        .authenticate("khong-co", "mật-khẩu-bình-1")
        .unwrap_err();
    assert_eq!(unknown.code().as_str(), "wrong_password");
    assert_eq!(unknown.to_string(), wrong.to_string());

    // Roles: the clerk is refused the supervisor's screens.
    for what in [
        Permission::Verify,
        Permission::Reports,
        Permission::Settings,
    ] {
        assert!(desk.authorize(&lan, what).is_ok());
        let refused = desk.authorize(&binh, what).unwrap_err();
        assert_eq!(refused.code().as_str(), "permission_denied");
        assert!(refused.to_string().contains("binh"), "{refused}");
    }
    assert!(desk.authorize(&binh, Permission::Counter).is_ok());

    // A new password replaces the old; a disabled account cannot sign in, even with the right password.
    desk.set_password("binh", "mật-khẩu-mới-99", &lan.actor())
        .unwrap();
    assert!(desk.authenticate("binh", "mật-khẩu-bình-1").is_err());
    assert!(desk.authenticate("binh", "mật-khẩu-mới-99").is_ok());
    desk.set_user_disabled("binh", true, &lan.actor()).unwrap();
    let disabled = desk.authenticate("binh", "mật-khẩu-mới-99").unwrap_err();
    assert_eq!(disabled.code().as_str(), "account_disabled");
    assert_eq!(
        desk.set_password("nobody", "12345678", "t")
            .unwrap_err()
            .code()
            .as_str(),
        "invalid_user"
    );

    // The audit log names who did what and never holds a password or a hash.
    let audit = audit_text(&desk);
    for action in ["user.create", "user.login", "user.password", "user.disable"] {
        assert!(audit.contains(action), "{action} missing in {audit}");
    }
    assert!(audit.contains("\"actor\":\"user:lan\""), "{audit}");
    assert!(
        !audit.contains("argon2") && !audit.contains("mật-khẩu"),
        "{audit}"
    );
    assert!(desk.verify_audit().unwrap().is_intact());
    // The stored hash is Argon2id in the PHC format.
    let (_, hash) = desk
        .with_store(|s| s.user_with_hash("lan"))
        .unwrap()
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
}

#[test]
fn settings_are_validated_all_or_nothing_and_audited() {
    let (dir, desk) = desk();
    let set = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let module = dir.path().join("libtoken.so");
    std::fs::write(&module, b"not really a module").unwrap();
    let good = set(&[
        ("agency.code", "000.00.07.H56"),
        ("agency.name", "UBND phường Bến Thành"),
        ("portal.url", "https://dichvucong.example.vn/api"),
        ("portal.token-env", "MOTCUA_PORTAL_TOKEN"),
        ("pkcs11.modules", &module.display().to_string()),
        ("capture.profile", "balanced"),
        ("ui.language", "en"),
    ]);
    assert!(desk.check_settings(&good).is_empty());
    assert_eq!(desk.update_settings(&good, "user:lan").unwrap(), 7);
    // Saving the same values again changes nothing.
    assert_eq!(desk.update_settings(&good, "user:lan").unwrap(), 0);
    assert_eq!(desk.agency().unwrap().as_str(), "000.00.07.H56");

    let bad = set(&[
        ("agency.name", "Tên mới"),
        ("portal.url", "dichvucong.example.vn"),
        ("portal.token-env", "abc-123-secret-token"),
        ("pkcs11.modules", "/khong/co/libtoken.so"),
        ("capture.mode", "sepia"),
    ]);
    let problems = desk.check_settings(&bad);
    let keys: Vec<&str> = problems.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "portal.url",
            "portal.token-env",
            "pkcs11.modules",
            "capture.mode"
        ]
    );
    let refused = desk.update_settings(&bad, "user:lan").unwrap_err();
    assert_eq!(refused.code().as_str(), "invalid_setting");
    // Nothing of the refused batch was stored, not even the valid name.
    assert_eq!(
        desk.setting("agency.name").unwrap().as_deref(),
        Some("UBND phường Bến Thành")
    );
    let unknown = desk
        .update_settings(&set(&[("portal.token", "secret")]), "user:lan")
        .unwrap_err();
    assert_eq!(unknown.code().as_str(), "invalid_setting");
    let trail = desk
        .with_store(|s| s.audit_trail("setting:portal.url"))
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor, "user:lan");
    // The screen lists every known key with its value or default.
    let shown = desk.office_settings().unwrap();
    assert!(
        shown
            .iter()
            .any(|s| s.key == "capture.mode" && s.value == "auto")
    );
    assert!(
        shown
            .iter()
            .any(|s| s.key == "ui.language" && s.value == "en")
    );
}

#[test]
fn verify_run_uses_the_imported_trust_anchor_and_saves_the_report() {
    let (dir, desk) = desk();
    let valid = fixture("signed/bt-timestamped.pdf");
    let flipped = fixture("signed/byte-flipped.pdf");
    let folder = dir.path().join("in");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::copy(&valid, folder.join("sub/a.PDF")).unwrap();
    std::fs::copy(&flipped, folder.join("b.pdf")).unwrap();
    std::fs::write(folder.join("notes.txt"), "not a pdf").unwrap();
    let files = motcua::collect_pdfs(std::slice::from_ref(&folder));
    assert_eq!(files, [folder.join("b.pdf"), folder.join("sub/a.PDF")]);

    let never = AtomicBool::new(false);
    // Without anchors the valid file cannot be trusted.
    let untrusted = desk.verify_files(&files, &never, &|_| {}).unwrap();
    assert_eq!(
        untrusted[1].report.as_ref().unwrap().verdict,
        Verdict::Indeterminate
    );

    // A file that is not a certificate is refused with its name.
    let refused = desk
        .import_trust_certificate(&fixture("pdf/classic.pdf"), "user:lan")
        .unwrap_err();
    assert_eq!(refused.code().as_str(), "certificate_invalid");
    assert!(refused.to_string().contains("classic.pdf"), "{refused}");
    let imported = desk
        .import_trust_certificate(&pki("root.cert.pem"), "user:lan")
        .unwrap();
    assert_eq!(imported.len(), 1);
    let listed = desk.trusted_certificates().unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].imported);
    let digest = &listed[0].file.rsplit('/').next().unwrap()[..16];
    let trail = desk
        .with_store(|s| s.audit_trail(&format!("trust:{digest}")))
        .unwrap();
    assert_eq!((trail.len(), trail[0].action.as_str()), (1, "trust.import"));

    let seen = std::sync::Mutex::new(Vec::new());
    let outcomes = desk
        .verify_files(&files, &never, &|o| seen.lock().unwrap().push(o.index))
        .unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, [0, 1], "one progress call per file");
    let verdicts: Vec<Verdict> = outcomes
        .iter()
        .map(|o| o.report.as_ref().unwrap().verdict)
        .collect();
    // No CRLs configured: revocation not checked, so valid with a warning (the corpus's EXPECTED has CRLs).
    assert_eq!(verdicts, [Verdict::Invalid, Verdict::ValidWithWarnings]);

    // Cancelled before start: nothing is verified.
    let cancelled = desk
        .verify_files(&files, &AtomicBool::new(true), &|_| {})
        .unwrap();
    assert!(cancelled.is_empty());
    // A missing file is an outcome with an error, not a failure of the run.
    let missing = desk
        .verify_files(&[dir.path().join("gone.pdf")], &never, &|_| {})
        .unwrap();
    assert!(missing[0].error.as_deref().unwrap().contains("gone.pdf"));

    // A configured trust folder with the root and its CRLs: revocation is checked, the file is VALID.
    let anchors = dir.path().join("anchors");
    std::fs::create_dir_all(&anchors).unwrap();
    for name in [
        "signed/root.crl.pem",
        "signed/revoked.crl.pem",
        "pki/root.cert.pem",
    ] {
        std::fs::copy(
            fixture(name),
            anchors.join(name.rsplit('/').next().unwrap()),
        )
        .unwrap();
    }
    let values = [("verify.trust-dir".to_owned(), anchors.display().to_string())];
    desk.update_settings(&values, "user:lan").unwrap();
    assert_eq!(
        desk.trusted_certificates().unwrap().len(),
        2,
        "CRLs are not listed as anchors"
    );
    let with_crls = desk.verify_files(&files[1..], &never, &|_| {}).unwrap();
    assert_eq!(
        with_crls[0].report.as_ref().unwrap().verdict,
        Verdict::Valid
    );

    let reports: Vec<_> = outcomes.iter().filter_map(|o| o.report.clone()).collect();
    let out = dir.path().join("bao-cao.html");
    desk.save_verify_report(&reports, &out).unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(html.matches("BIÊN BẢN KIỂM TRA CHỮ KÝ SỐ").count(), 2);
    assert!(html.contains("KHÔNG HỢP LỆ") && html.contains("b.pdf") && html.contains("a.PDF"));
    assert_eq!(html.matches("<html").count(), 1);
    let unwritable = desk
        .save_verify_report(&reports, &dir.path().join("no/such/folder/r.html"))
        .unwrap_err();
    assert_eq!(unwritable.code().as_str(), "file_unwritable");
}

#[test]
fn trend_buckets_add_up_to_the_period_report_and_export() {
    let (dir, desk) = desk();
    desk.with_store(|s| s.import_procedures(&[residence_registration()], "t"))
        .unwrap();
    for (day, count) in [(3, 2), (4, 1), (10, 3)] {
        for _ in 0..count {
            desk.create_dossier(
                new_dossier("1.004222", "Võ Thị Sáu", at(2026, 11, day, 9, 0)),
                "user:binh",
            )
            .unwrap();
        }
    }
    let from = at(2026, 11, 1, 0, 0).date();
    let to = at(2026, 11, 20, 0, 0).date();
    let now = motcua::vietnam_now();
    let trend = desk.report_trend(from, to, now).unwrap();
    assert_eq!(trend.len(), 20);
    let per_day: Vec<u64> = trend.iter().map(|p| p.received).collect();
    assert_eq!(per_day[2], 2);
    assert_eq!(per_day[3], 1);
    assert_eq!(per_day[9], 3);
    let report = desk.report(from, to, now).unwrap();
    assert_eq!(per_day.iter().sum::<u64>(), report.total.received);
    let csv = dir.path().join("bao-cao.csv");
    desk.export_report(&report, motcua::ExportFormat::Csv, &csv)
        .unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains("Tiếp nhận") && text.contains("Tổng cộng"),
        "{text}"
    );
    let xlsx = dir.path().join("bao-cao.xlsx");
    desk.export_report(&report, motcua::ExportFormat::Xlsx, &xlsx)
        .unwrap();
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
}

#[test]
fn cli_user_add_list_passwd_never_takes_the_password_from_argv() {
    let dir = tempfile::tempdir().unwrap();
    let motcua = || {
        let mut cmd = Command::cargo_bin("motcua").unwrap();
        cmd.arg("--data-dir").arg(dir.path());
        cmd
    };
    motcua()
        .args([
            "user",
            "add",
            "--role",
            "supervisor",
            "--name",
            "Nguyễn Thị Lan",
            "lan",
            "--password-env",
            "PW",
        ])
        .env("PW", "mật-khẩu-lan-2026")
        .assert()
        .success();
    motcua()
        .args([
            "user",
            "add",
            "--role",
            "clerk",
            "binh",
            "--password-env",
            "PW",
        ])
        .env("PW", "mật-khẩu-bình-2026")
        .assert()
        .success();
    let out = motcua().args(["user", "list", "--json"]).output().unwrap();
    assert!(out.status.success());
    let users: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(users[0]["login"], "binh");
    assert_eq!(users[0]["role"], "clerk");
    assert_eq!(users[1]["display_name"], "Nguyễn Thị Lan");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("argon2"));
    // Unset variable: a usage error naming it.
    let missing = motcua()
        .args([
            "user",
            "passwd",
            "binh",
            "--password-env",
            "NOT_SET_ANYWHERE",
        ])
        .env_remove("NOT_SET_ANYWHERE")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("NOT_SET_ANYWHERE"));
    motcua()
        .args(["user", "passwd", "binh", "--password-env", "PW"])
        .env("PW", "mật-khẩu-mới-2026")
        .assert()
        .success();
    let desk = Desk::open(dir.path()).unwrap();
    assert!(desk.authenticate("binh", "mật-khẩu-mới-2026").is_ok());
    let taken = motcua()
        .args([
            "user",
            "add",
            "--role",
            "clerk",
            "binh",
            "--password-env",
            "PW",
        ])
        .env("PW", "mật-khẩu-bình-2026")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&taken.stderr).contains("login_taken"));
}
