//! Fees, payment, postal return and the result of a dossier (issue 8), through `Desk` and the CLI, against a
//! real store: fees copied from the catalogue and edited, payments with their receipt rules, the postal
//! return printed on Mẫu 01 (read back with `pdftotext`), a real PDF attached as the result, each change in
//! the dossier's timeline, and the migration-3 facts (`status_changes`, `documents_missing`) kept by triggers.

mod common;

use std::path::Path;
use std::process::Command;

use common::{CLASSIC_PDF, at, fixture, new_dossier, residence_registration};
use motcua::catalog::Fee;
use motcua::dossier::ResultReturn;
use motcua::dossier::settlement::{Payment, PaymentMethod, PostalReturn, ResultSource};
use motcua::{Desk, ErrorCode};

fn desk(dir: &Path) -> Desk {
    let desk = Desk::open(dir).unwrap();
    let mut procedure = residence_registration();
    procedure.fees = vec![Fee {
        name: "Lệ phí đăng ký cư trú".into(),
        amount_vnd: 20_000,
    }];
    desk.with_store(|s| s.import_procedures(&[procedure], "t"))
        .unwrap();
    desk
}

/// A dossier received 2 March 2026 09:00 for the CLI tests (the desk is closed again before they run).
fn cli_dossier(dir: &Path) -> String {
    desk(dir)
        .create_dossier(
            new_dossier("1.004222", "Lê Văn Tám", at(2026, 3, 2, 9, 0)),
            "clerk",
        )
        .unwrap()
        .code
}

/// `motcua --data-dir DIR args…`: exit status, stdout, stderr.
fn run_cli(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-deps.sh");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn fees_payment_postal_and_result_are_recorded_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let mut new = new_dossier("1.004222", "Lê Văn Tám", at(2026, 3, 2, 9, 0));
    new.applicant.address = "Số 1 phố Huế, Hà Nội".into();
    let code = desk.create_dossier(new, "clerk").unwrap().code;

    // Copied from the catalogue at creation.
    let s = desk.settlement(&code).unwrap();
    assert_eq!(s.fees_total_vnd, 20_000);
    assert_eq!(s.payment, None);
    assert_eq!(s.result, None);

    // Edited: two fees, names normalised; an unnamed fee is refused.
    let fees = vec![
        Fee {
            name: " Lệ phí đăng ký cư trú ".into(),
            amount_vnd: 20_000,
        },
        Fee {
            name: "Phí sao y".into(),
            amount_vnd: 4_000,
        },
    ];
    let s = desk.set_fees(&code, &fees, "clerk").unwrap();
    assert_eq!(s.fees_total_vnd, 24_000);
    assert_eq!(s.fees[0].name, "Lệ phí đăng ký cư trú");
    let unnamed = [Fee {
        name: " ".into(),
        amount_vnd: 1,
    }];
    assert_eq!(
        desk.set_fees(&code, &unnamed, "clerk").unwrap_err().code(),
        ErrorCode::RequiredField
    );

    // Payment: cash needs a receipt number; exempt must not have one.
    let cash = Payment {
        method: PaymentMethod::Cash,
        receipt_no: String::new(),
        paid_at: at(2026, 3, 2, 9, 30),
    };
    assert_eq!(
        desk.record_payment(&code, &cash, "clerk")
            .unwrap_err()
            .code(),
        ErrorCode::RequiredField
    );
    let exempt = Payment {
        method: PaymentMethod::Exempt,
        receipt_no: "BL-1".into(),
        ..cash.clone()
    };
    assert_eq!(
        desk.record_payment(&code, &exempt, "clerk")
            .unwrap_err()
            .code(),
        ErrorCode::SettlementInvalid
    );
    let online = Payment {
        method: PaymentMethod::Online,
        receipt_no: "DVC-2026-000123".into(),
        ..cash
    };
    let s = desk.record_payment(&code, &online, "clerk").unwrap();
    assert_eq!(s.payment, Some(online));

    // Postal return: the channel becomes post and Mẫu 01 prints the delivery address recorded.
    let postal = PostalReturn {
        address: "Số 9 ngõ Văn Chương, Đống Đa, Hà Nội".into(),
        tracking_no: String::new(),
        sent_at: None,
        delivered_at: None,
    };
    let s = desk.record_postal(&code, &postal, "clerk").unwrap();
    assert_eq!(s.result_return, ResultReturn::Post);
    let pdf = dir.path().join("mau01.pdf");
    desk.issue_receipt(&code, 1, &pdf, "clerk").unwrap();
    let text = pdftotext(&pdf);
    // Item 6 names the delivery address, not the applicant's (printed above it).
    assert!(
        text.contains("bưu chính công ích tại địa chỉ: Số 9 ngõ Văn Chương"),
        "{text}"
    );
    let sent = PostalReturn {
        tracking_no: "EL123456789VN".into(),
        sent_at: Some(at(2026, 3, 9, 10, 0)),
        delivered_at: Some(at(2026, 3, 8, 10, 0)),
        ..postal.clone()
    };
    assert_eq!(
        desk.record_postal(&code, &sent, "clerk")
            .unwrap_err()
            .code(),
        ErrorCode::SettlementInvalid
    );
    let sent = PostalReturn {
        delivered_at: Some(at(2026, 3, 10, 15, 0)),
        ..sent
    };
    let s = desk.record_postal(&code, &sent, "clerk").unwrap();
    assert_eq!(s.postal, Some(sent));

    // The result: a real PDF is stored as a blob; other files are refused.
    let not_pdf = dir.path().join("ketqua.txt");
    std::fs::write(&not_pdf, "không phải PDF").unwrap();
    assert_eq!(
        desk.attach_result(&code, &not_pdf, "clerk")
            .unwrap_err()
            .code(),
        ErrorCode::FileUnreadable
    );
    let s = desk
        .attach_result(&code, &fixture(CLASSIC_PDF), "clerk")
        .unwrap();
    let result = s.result.unwrap();
    assert_eq!(result.source, ResultSource::Scan);
    let stored = desk.with_store(|st| st.read_blob(&result.sha256)).unwrap();
    assert_eq!(stored, std::fs::read(fixture(CLASSIC_PDF)).unwrap());

    // Every change is in the timeline.
    let actions: Vec<String> = desk
        .timeline(&code)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "dossier.fees",
        "dossier.payment",
        "dossier.postal",
        "receipt.issued",
        "dossier.result",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    assert!(desk.verify_audit().unwrap().is_intact());
}

#[test]
fn cli_records_payment_and_postal_return_as_documented_json() {
    let dir = tempfile::tempdir().unwrap();
    let code = cli_dossier(dir.path());
    let motcua = |args: &[&str]| run_cli(dir.path(), args);
    let (status, stdout, stderr) = motcua(&[
        "dossier",
        "pay",
        &code,
        "--method",
        "cash",
        "--receipt",
        "BL-0042",
        "--at",
        "2026-03-02 09:30",
        "--json",
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["payment"]["method"], "cash");
    assert_eq!(json["payment"]["receipt_no"], "BL-0042");
    assert_eq!(json["payment"]["paid_at"], "2026-03-02T09:30:00+07:00");
    assert_eq!(json["fees_total_vnd"], 20_000);

    let (status, stdout, stderr) = motcua(&[
        "dossier",
        "post",
        &code,
        "--address",
        "Số 9 ngõ Văn Chương, Hà Nội",
        "--json",
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["result_return"], "post");
    // Later the tracking number and dates; the address is kept.
    let (status, stdout, stderr) = motcua(&[
        "dossier",
        "post",
        &code,
        "--tracking",
        "EL123456789VN",
        "--sent",
        "2026-03-09 10:00",
        "--json",
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["postal"]["address"], "Số 9 ngõ Văn Chương, Hà Nội");
    assert_eq!(json["postal"]["tracking_no"], "EL123456789VN");
    assert_eq!(json["postal"]["sent_at"], "2026-03-09T10:00:00+07:00");
    assert_eq!(json["postal"]["delivered_at"], serde_json::Value::Null);

    let (status, _, stderr) = motcua(&["dossier", "pay", &code, "--method", "transfer"]);
    assert_eq!(status, Some(2));
    assert!(stderr.contains("lỗi [required_field]"), "{stderr}");

    let (status, stdout, stderr) = motcua(&["dossier", "fees", &code, "--set", "Lệ phí=15.000"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stdout.contains("Tổng phí, lệ phí: 15000 đồng"), "{stdout}");
}

/// The triggers of migration 3 keep the report's facts in step with the audit log and the documents.
#[test]
fn status_changes_and_missing_documents_follow_the_log() {
    use motcua::dossier::Status;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = desk
        .create_dossier(
            new_dossier("1.004222", "Lê Văn Tám", at(2026, 3, 2, 9, 0)),
            "clerk",
        )
        .unwrap()
        .code;
    for s in [Status::Ready, Status::Signed, Status::Queued] {
        desk.set_dossier_status(&code, s, "clerk").unwrap();
    }
    let facts = desk.with_store(|s| s.dossier_facts(&code)).unwrap();
    let trail = desk.timeline(&code).unwrap();
    let history = motcua::report::history_from_audit(&trail);
    assert_eq!(facts.changes, history.changes);
    assert_eq!(facts.changes.len(), 3);
    // Two mandatory documents in the test procedure, none with a PDF yet.
    assert_eq!(facts.documents_missing, 2);
    let sha = desk
        .with_store(|s| {
            s.put_blob(
                &std::fs::read(fixture(CLASSIC_PDF)).unwrap(),
                "application/pdf",
            )
        })
        .unwrap();
    desk.attach_document_pdf(&code, "TP1", &sha, "clerk")
        .unwrap();
    let facts = desk.with_store(|s| s.dossier_facts(&code)).unwrap();
    assert_eq!(facts.documents_missing, 1);
}

/// `motcua dossier status CODE STATUS --at TIME`: a change entered after the fact counts from its effective
/// time; a time before the receipt or in the future is refused.
#[test]
fn cli_status_change_with_its_effective_time() {
    let dir = tempfile::tempdir().unwrap();
    let code = cli_dossier(dir.path());
    let motcua = |args: &[&str]| {
        let (status, _, stderr) = run_cli(dir.path(), args);
        (status, stderr)
    };
    let (status, stderr) = motcua(&[
        "dossier",
        "status",
        &code,
        "ready",
        "--at",
        "2026-03-01 09:00",
    ]);
    assert_eq!(status, Some(2));
    assert!(stderr.contains("lỗi [illegal_transition]"), "{stderr}");
    let (status, stderr) = motcua(&[
        "dossier",
        "status",
        &code,
        "ready",
        "--at",
        "2026-03-02 10:00",
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    let desk = Desk::open(dir.path()).unwrap();
    let facts = desk.with_store(|s| s.dossier_facts(&code)).unwrap();
    assert_eq!(facts.changes.len(), 1);
    assert_eq!(facts.changes[0].at, at(2026, 3, 2, 10, 0));
    let history = motcua::report::history_from_audit(&desk.timeline(&code).unwrap());
    assert_eq!(history.changes, facts.changes);
}
