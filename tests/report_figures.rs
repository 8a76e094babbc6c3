//! `Desk::report` over a generated set of dossiers with known outcomes, and its CSV / XLSX exports read
//! back by independent readers (the `csv` crate; Python's zipfile for the workbook's XML).
//!
//! Status changes are recorded at the real current time (the audit log stamps them), so outcomes are
//! arranged relative to now: a dossier received in January and finished now is late, one received an
//! hour ago and finished now is early.

mod common;

use chrono::{Datelike, NaiveDate, TimeDelta};
use common::{at, new_dossier, residence_registration};
use motcua::Desk;
use motcua::dossier::{Channel, Status};
use motcua::report::{HEADERS, write_csv, write_xlsx};

const TO_PROCESSING: [Status; 5] = [
    Status::Ready,
    Status::Signed,
    Status::Queued,
    Status::Received,
    Status::Processing,
];

#[test]
fn report_counts_channels_and_verdicts_and_exports_them() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    desk.with_store(|s| s.import_procedures(&[residence_registration()], "t"))
        .unwrap();
    let recent = motcua::vietnam_now() - TimeDelta::hours(1);
    let january = at(2026, 1, 5, 9, 0);
    let create = |received, channel| {
        let mut new = new_dossier("1.004222", "Võ Thị Sáu", received);
        new.channel = channel;
        desk.create_dossier(new, "clerk").unwrap().code
    };
    let walk = |code: &str, extra: &[Status]| {
        for s in TO_PROCESSING.iter().chain(extra) {
            desk.set_dossier_status(code, *s, "clerk").unwrap();
        }
    };
    // Late: received in January, finished now.
    let late = create(january, Channel::Counter);
    walk(&late, &[Status::Processed, Status::Returned]);
    // Early: received an hour ago (7 working days), finished now.
    let early = create(recent, Channel::Online);
    walk(&early, &[Status::Processed]);
    // In process: one overdue since January, one recent and on time (with an apology slip).
    let overdue = create(january, Channel::Postal);
    walk(&overdue, &[]);
    let on_time = create(recent, Channel::Online);
    walk(&on_time, &[]);
    let pdf = dir.path().join("mau04.pdf");
    desk.issue_apology(
        &on_time,
        "Chờ ý kiến phòng chuyên môn.",
        2,
        None,
        &pdf,
        "clerk",
    )
    .unwrap();
    // Withdrawn by the applicant.
    let withdrawn = create(recent, Channel::Counter);
    desk.set_dossier_status(&withdrawn, Status::Withdrawn, "clerk")
        .unwrap();
    // Received before the period: not counted.
    create(at(2025, 12, 30, 9, 0), Channel::Counter);

    let today = motcua::vietnam_now().date();
    let report = desk
        .report(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            today,
            motcua::vietnam_now(),
        )
        .unwrap();
    let t = report.total;
    assert_eq!(t.received, 5);
    assert_eq!((t.counter, t.online, t.postal), (2, 2, 1));
    assert_eq!(t.finished_late, 1);
    assert_eq!(t.finished_early, 1);
    assert_eq!(t.finished_on_time, 0);
    assert_eq!(t.in_process_late, 1);
    assert_eq!(t.in_process_on_time, 1);
    assert_eq!(t.withdrawn_or_refused, 1);
    assert_eq!(t.apologies, 1);
    assert_eq!(report.by_procedure.len(), 1);
    assert_eq!(report.by_procedure[0].counts, t);

    // A period that ends before today only sees January's dossiers, both in process and overdue then.
    let end_of_january = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    if today.year() == 2026 && today > end_of_january {
        let january_only = desk
            .report(january.date(), end_of_january, motcua::vietnam_now())
            .unwrap();
        assert_eq!(january_only.total.received, 2);
        assert_eq!(january_only.total.in_process_late, 2);
    }

    let csv_path = dir.path().join("bao-cao.csv");
    write_csv(&report, &csv_path).unwrap();
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 BOM for spreadsheets"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[2..], HEADERS.map(str::to_owned));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[1][1], "Tổng cộng");
    assert_eq!(&rows[1][2], "5");

    let xlsx_path = dir.path().join("bao-cao.xlsx");
    write_xlsx(&report, &xlsx_path).unwrap();
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); \
             print(z.read('xl/sharedStrings.xml').decode('utf-8'))",
        ])
        .arg(&xlsx_path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let strings = String::from_utf8(out.stdout).unwrap();
    assert!(strings.contains("Đã giải quyết quá hạn"), "{strings}");
    assert!(strings.contains("Tổng cộng"));
}
