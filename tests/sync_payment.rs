//! The portal's payment status through the status sync, against the real sandbox portal (issue 8: "the
//! portal's payment status, when it reports one, updates it"): a payment set on the portal (CLI and admin
//! endpoint) becomes the dossier's payment — method online, the portal's receipt number and time — with its
//! `dossier.payment` audit entry, counted by the report as an online payment; a payment the clerk recorded
//! at the counter with a different receipt is kept, and the portal's report goes into the audit log as
//! `sync.payment_conflict`; a refund clears the portal's payment; the audit chain stays intact.

mod sync_support;

use chrono::NaiveDate;
use motcua::Desk;
use motcua::dossier::settlement::{Payment, PaymentMethod};
use sync_support::*;

/// The dossier's audit entries with `action`, oldest first.
fn audit(desk: &Desk, code: &str, action: &str) -> Vec<serde_json::Value> {
    desk.timeline(code)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .map(|e| e.after.unwrap_or_default())
        .collect()
}

/// `Desk::report` over the day `code` was received: (paid, paid online).
fn paid_counts(desk: &Desk, code: &str) -> (u64, u64) {
    let day: NaiveDate = desk.dossier(code).unwrap().received_at.date();
    // Verdicts at the end of that day (the report takes the earlier of this and the period's end).
    let later = NaiveDate::from_ymd_opt(2100, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let report = desk.report(day, day, later).unwrap();
    (report.total.paid, report.total.paid_online)
}

#[test]
fn the_portals_payment_updates_the_dossier_but_never_a_clerks_different_receipt() {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let admin = token(&portal_dir, true);
    let token = token(&portal_dir, false);
    let portal = Portal::start(&portal_dir, 0, &[]);
    let desk = office(&tmp.path().join("office"), &portal.url, &[]);
    let (online, _) = signed_dossier(&desk, 1, 20_000, false);
    let (counter, _) = signed_dossier(&desk, 2, 20_000, false);
    let (report, events) = run_once(&desk, &token);
    assert_eq!(report.accepted, 2, "{events:?}");
    assert!(desk.settlement(&online).unwrap().payment.is_none());
    assert_eq!(paid_counts(&desk, &online), (0, 0));

    // The clerk took cash for the second dossier at the counter.
    desk.record_payment(
        &counter,
        &Payment {
            method: PaymentMethod::Cash,
            receipt_no: "BL-0001234".into(),
            paid_at: chrono::Utc::now().naive_utc() + chrono::TimeDelta::hours(7),
        },
        "user:binh",
    )
    .unwrap();

    // The applicant of the first paid online: the back office records it with the portal's CLI.
    portal_cli(
        &portal_dir,
        &[
            "payment",
            "set",
            &online,
            "--status",
            "paid",
            "--receipt",
            "BLDT-2611-000777",
            "--at",
            "20261127103000",
            "--amount",
            "20000",
        ],
    );
    // The second is reported paid online too, with another receipt, through the admin endpoint.
    let answer = ureq::post(&format!(
        "{}/api/v1/admin/dossiers/{counter}/payment",
        portal.url
    ))
    .header("Authorization", &format!("Bearer {admin}"))
    .header("Content-Type", "application/json")
    .send(r#"{"status":"paid","receipt_no":"TT-55501","at":"20261127110000"}"#)
    .unwrap();
    assert_eq!(answer.status(), 200);

    let (report, events) = run_once(&desk, &token);
    assert!(report.status_updates >= 2, "{report:?} {events:?}");

    // First dossier: the portal's payment, in the dossier, with its audit entry.
    let settled = desk.settlement(&online).unwrap();
    let payment = settled.payment.expect("payment recorded from the portal");
    assert_eq!(payment.method, PaymentMethod::Online);
    assert_eq!(payment.receipt_no, "BLDT-2611-000777");
    assert_eq!(
        payment.paid_at,
        NaiveDate::from_ymd_opt(2026, 11, 27)
            .unwrap()
            .and_hms_opt(10, 30, 0)
            .unwrap()
    );
    assert!(settled.payment_via_portal);
    let entries = audit(&desk, &online, "dossier.payment");
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["source"], "portal");
    assert_eq!(entries[0]["receipt_no"], "BLDT-2611-000777");
    assert_eq!(entries[0]["amount_vnd"], 20000);
    // The report counts it as paid online; the clerk's cash payment as paid, not online.
    assert_eq!(paid_counts(&desk, &online), (2, 1));
    // The CLI's documented JSON says where it came from.
    let out = std::process::Command::new(MOTCUA_BIN)
        .env("MOTCUA_DATA_DIR", tmp.path().join("office"))
        .args(["dossier", "fees", &online, "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["payment"]["method"], "online");
    assert_eq!(shown["payment"]["via_portal"], true);

    // Second dossier: the clerk's cash payment is kept; the portal's report is in the audit log.
    let kept = desk.settlement(&counter).unwrap();
    let payment = kept.payment.expect("the clerk's payment");
    assert_eq!(payment.method, PaymentMethod::Cash);
    assert_eq!(payment.receipt_no, "BL-0001234");
    assert!(!kept.payment_via_portal);
    let conflicts = audit(&desk, &counter, "sync.payment_conflict");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["kept"]["receipt_no"], "BL-0001234");
    assert_eq!(conflicts[0]["portal"]["receipt_no"], "TT-55501");
    assert_eq!(conflicts[0]["portal"]["status"], "paid");

    // Polling again changes nothing: no second audit entry for either.
    run_once(&desk, &token);
    assert_eq!(audit(&desk, &online, "dossier.payment").len(), 1);
    assert_eq!(audit(&desk, &counter, "sync.payment_conflict").len(), 1);

    // The portal refunds the first payment: the dossier's payment is cleared, audited.
    portal_cli(
        &portal_dir,
        &["payment", "set", &online, "--status", "refunded"],
    );
    run_once(&desk, &token);
    let refunded = desk.settlement(&online).unwrap();
    assert!(refunded.payment.is_none(), "{refunded:?}");
    assert!(!refunded.payment_via_portal);
    let entries = audit(&desk, &online, "dossier.payment");
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[1]["method"], serde_json::Value::Null);
    assert_eq!(entries[1]["portal"]["status"], "refunded");
    assert_eq!(paid_counts(&desk, &online), (1, 0));

    // Every change went through the hash-chained log.
    assert!(desk.verify_audit().unwrap().is_intact());
}
