//! `Desk::report` over a generated set of dossiers with known outcomes, and its CSV / XLSX exports read
//! back by independent readers (the `csv` crate; Python's zipfile for the workbook's XML); and a generated set
//! of 70 dossiers (three procedures, three clerks, receipts on weekends and around Tết 2026, status-5 pauses,
//! changes entered with their effective time) whose outcomes are known by construction, checked per
//! procedure and per clerk against the report, the audit-log replay it replaced, and the pure rules over the
//! calendar itself.
//!
//! Status changes are recorded at the real current time (the audit log stamps them), so outcomes are
//! arranged relative to now: a dossier received in January and finished now is late, one received an
//! hour ago and finished now is early.

mod common;

use chrono::{Datelike, NaiveDate, TimeDelta};
use common::{at, new_dossier, residence_registration};
use motcua::Desk;
use motcua::dossier::{Channel, Status};
use motcua::report::{HEADERS, RATE_HEADERS, write_csv, write_xlsx};

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
    // One clerk received everything.
    assert_eq!(report.by_clerk.len(), 1);
    assert_eq!(report.by_clerk[0].clerk, "clerk");
    assert_eq!(report.by_clerk[0].counts, t);
    // The report read from migration 3's columns equals the audit-log replay it replaced.
    let replayed = desk
        .report_by_replaying_audit(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            today,
            motcua::vietnam_now(),
        )
        .unwrap();
    assert_eq!(replayed.total, t);

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
    assert_eq!(header[2..2 + HEADERS.len()], HEADERS.map(str::to_owned));
    assert_eq!(header[2 + HEADERS.len()..], RATE_HEADERS.map(str::to_owned));
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

mod generated {
    use std::collections::BTreeMap;

    use chrono::{NaiveDate, NaiveDateTime};
    use motcua::Desk;
    use motcua::calendar::{ProcessingTime, WorkingCalendar};
    use motcua::catalog::Procedure;
    use motcua::dossier::deadline::StatusChange;
    use motcua::dossier::settlement::{Payment, PaymentMethod, PostalReturn};
    use motcua::dossier::{Channel, Status};
    use motcua::report::{Counts, Verdict, verdict};

    use super::common::{CLASSIC_PDF, at, birth_registration, fixture, new_dossier};

    const DAY: i64 = 480;
    const CLERKS: [&str; 3] = ["Trần Văn Bình", "Lê Thị Mai", "Phạm Văn Nam"];

    fn procedures() -> Vec<Procedure> {
        let same_day = birth_registration();
        let seven = Procedure {
            code: "1.004222".into(),
            name: "Đăng ký thường trú".into(),
            processing_time: ProcessingTime::WorkingDays { days: 7 },
            ..birth_registration()
        };
        let five = Procedure {
            code: "1.004884".into(),
            name: "Đăng ký tạm trú".into(),
            processing_time: ProcessingTime::WorkingDays { days: 5 },
            ..birth_registration()
        };
        vec![same_day, seven, five]
    }

    /// Receipt instants: weekdays, a Friday afternoon, a Saturday, around Tết (14–22/02/2026) and 30/4.
    fn receipts() -> [NaiveDateTime; 10] {
        [
            at(2026, 1, 5, 9, 0),
            at(2026, 1, 9, 16, 30),
            at(2026, 1, 10, 10, 0),
            at(2026, 2, 10, 9, 15),
            at(2026, 2, 12, 14, 0),
            at(2026, 2, 13, 16, 0),
            at(2026, 2, 23, 8, 30),
            at(2026, 3, 6, 16, 0),
            at(2026, 4, 29, 10, 0),
            at(2026, 6, 15, 9, 0),
        ]
    }

    const WALK: [Status; 5] = [
        Status::Ready,
        Status::Signed,
        Status::Queued,
        Status::Received,
        Status::Processing,
    ];

    /// The designed changes of outcome `kind` for a dossier received at `r`, due at `due`, and the verdict
    /// they must give.
    fn design(
        cal: &WorkingCalendar,
        kind: usize,
        r: NaiveDateTime,
        due: NaiveDateTime,
    ) -> (Vec<StatusChange>, Verdict) {
        let plus = |t, m| cal.add_working_minutes(t, m);
        let start = plus(r, 30);
        let mut changes: Vec<StatusChange> = WALK
            .iter()
            .map(|&to| StatusChange { at: start, to })
            .collect();
        let mut push = |at, to| changes.push(StatusChange { at, to });
        let expected = match kind {
            // Finished two working days before the due time: an earlier day.
            0 => {
                let end = cal
                    .add_working_minutes(start, cal.working_minutes_between(start, due) - 2 * DAY);
                push(end, Status::Processed);
                Verdict::FinishedEarly
            }
            // Finished exactly at the due time.
            1 => {
                push(due, Status::Processed);
                push(plus(due, 60), Status::Returned);
                Verdict::FinishedOnTime
            }
            // A working day late.
            2 => {
                push(plus(due, DAY), Status::Processed);
                push(plus(due, DAY + 60), Status::Returned);
                Verdict::FinishedLate
            }
            // Three working days in status 5 save a result one day after the appointed time.
            3 => {
                let paused = plus(start, 30);
                push(paused, Status::SupplementRequested);
                push(plus(paused, 3 * DAY), Status::Processing);
                push(plus(due, DAY), Status::Processed);
                Verdict::FinishedEarly
            }
            // Still in process, long past due.
            4 => Verdict::InProcessLate,
            // Waiting for the applicant's documents since shortly after receipt: the clock holds.
            5 => {
                push(plus(start, 10), Status::SupplementRequested);
                Verdict::InProcessOnTime
            }
            // Withdrawn by the applicant.
            _ => {
                push(plus(start, 60), Status::Withdrawn);
                Verdict::WithdrawnOrRefused
            }
        };
        (changes, expected)
    }

    fn tally(c: &mut Counts, v: Verdict) {
        *match v {
            Verdict::FinishedEarly => &mut c.finished_early,
            Verdict::FinishedOnTime => &mut c.finished_on_time,
            Verdict::FinishedLate => &mut c.finished_late,
            Verdict::InProcessOnTime => &mut c.in_process_on_time,
            Verdict::InProcessLate => &mut c.in_process_late,
            Verdict::WithdrawnOrRefused => &mut c.withdrawn_or_refused,
        } += 1;
    }

    #[test]
    fn generated_dossiers_with_known_outcomes_per_procedure_and_clerk() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::open(dir.path()).unwrap();
        let procs = procedures();
        desk.with_store(|s| s.import_procedures(&procs, "t"))
            .unwrap();
        let cal = WorkingCalendar::vietnam_with_shipped_overrides().unwrap();
        let result_pdf = fixture(CLASSIC_PDF);
        let doc_sha = desk
            .with_store(|s| s.put_blob(&std::fs::read(&result_pdf).unwrap(), "application/pdf"))
            .unwrap();
        let evaluated_at = at(2026, 7, 1, 0, 0);

        let mut by_procedure: BTreeMap<String, Counts> = BTreeMap::new();
        let mut by_clerk: BTreeMap<String, Counts> = BTreeMap::new();
        let mut total = Counts::default();
        let mut i = 0usize;
        for r in receipts() {
            for kind in 0..7 {
                // Early/on time/late/pause outcomes need a multi-day procedure.
                let procedure = &procs[if kind <= 3 { 1 + i % 2 } else { i % 3 }];
                let clerk = CLERKS[(i / 3) % 3];
                let mut new = new_dossier(&procedure.code, "Nguyễn Văn Dân", r);
                new.channel = [Channel::Counter, Channel::Online, Channel::Postal][i % 3];
                new.applicant.address = "Số 1 phố Huế, Hà Nội".into();
                let dossier = desk.create_dossier(new, clerk).unwrap();
                let code = dossier.code.clone();
                let (changes, expected) = design(&cal, kind, r, dossier.due_at);
                // The rules over the calendar itself agree with the design.
                assert_eq!(
                    verdict(&cal, r, dossier.due_at, &changes, evaluated_at, DAY),
                    expected,
                    "{code} kind {kind} received {r}, due {}",
                    dossier.due_at
                );
                if kind == 3 {
                    // Without its pause the same finish would be late.
                    let unpaused: Vec<_> = changes
                        .iter()
                        .filter(|c| c.to != Status::SupplementRequested)
                        .copied()
                        .collect();
                    assert_eq!(
                        verdict(&cal, r, dossier.due_at, &unpaused, evaluated_at, DAY),
                        Verdict::FinishedLate
                    );
                }
                for c in &changes {
                    desk.set_dossier_status_effective(&code, c.to, c.at, clerk)
                        .unwrap();
                }
                let mut c = Counts {
                    received: 1,
                    ..Counts::default()
                };
                match i % 3 {
                    0 => c.counter = 1,
                    1 => c.online = 1,
                    _ => c.postal = 1,
                }
                tally(&mut c, expected);
                // Payment: online, cash, exempt, none.
                let method = [
                    Some(PaymentMethod::Online),
                    Some(PaymentMethod::Cash),
                    Some(PaymentMethod::Exempt),
                    None,
                ][i % 4];
                if let Some(method) = method {
                    let receipt_no = if method == PaymentMethod::Exempt {
                        String::new()
                    } else {
                        format!("BL-{i}")
                    };
                    desk.record_payment(
                        &code,
                        &Payment {
                            method,
                            receipt_no,
                            paid_at: r,
                        },
                        clerk,
                    )
                    .unwrap();
                    if method != PaymentMethod::Exempt {
                        c.paid = 1;
                        c.paid_online = u64::from(method == PaymentMethod::Online);
                    }
                }
                // Finished on time or late and returned: half by post, half digitised completely.
                if kind == 1 || kind == 2 {
                    if i.is_multiple_of(2) {
                        let sent = changes.last().unwrap().at;
                        desk.record_postal(
                            &code,
                            &PostalReturn {
                                address: "Số 9 ngõ Văn Chương, Hà Nội".into(),
                                tracking_no: format!("EL{i:09}VN"),
                                sent_at: Some(sent),
                                delivered_at: None,
                            },
                            clerk,
                        )
                        .unwrap();
                        c.returned_by_post = 1;
                    } else {
                        for d in &dossier.documents {
                            desk.attach_document_pdf(&code, &d.code, &doc_sha, clerk)
                                .unwrap();
                        }
                        desk.attach_result(&code, &result_pdf, clerk).unwrap();
                        c.digitized = 1;
                    }
                }
                // Late dossiers in process: half had an apology slip on the day of receipt.
                if kind == 4 && i.is_multiple_of(2) {
                    desk.issue_apology(
                        &code,
                        "Chờ ý kiến cơ quan liên quan.",
                        1,
                        Some(r.max(dossier.received_at)),
                        &dir.path().join(format!("mau04-{i}.pdf")),
                        clerk,
                    )
                    .unwrap();
                    c.apologies = 1;
                }
                for row in [
                    by_procedure.entry(procedure.code.clone()).or_default(),
                    by_clerk.entry(clerk.to_owned()).or_default(),
                    &mut total,
                ] {
                    let sum: Vec<u64> = row
                        .values()
                        .iter()
                        .zip(c.values())
                        .map(|(a, b)| a + b)
                        .collect();
                    *row = counts_from(&sum);
                }
                i += 1;
            }
        }
        assert_eq!(i, 70);

        let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let report = desk.report(from, to, motcua::vietnam_now()).unwrap();
        assert_eq!(report.evaluated_at, evaluated_at);
        assert_eq!(report.total, total);
        // Every outcome occurs.
        for v in &total.values()[..11] {
            assert!(*v > 0, "{total:?}");
        }
        let got: BTreeMap<String, Counts> = report
            .by_procedure
            .iter()
            .map(|p| (p.code.clone(), p.counts))
            .collect();
        assert_eq!(got, by_procedure);
        let got: BTreeMap<String, Counts> = report
            .by_clerk
            .iter()
            .map(|c| (c.clerk.clone(), c.counts))
            .collect();
        assert_eq!(got, by_clerk);
        // Rates: online payments of those paid, digitised of those finished.
        let [online_rate, pay_rate, digit_rate] = report.total.rates();
        assert_eq!(
            online_rate,
            Some((total.online as f64 * 1000.0 / 70.0).round() / 10.0)
        );
        assert!(pay_rate.unwrap() > 0.0 && digit_rate.unwrap() > 0.0);

        // The audit-log replay the report replaced gives the same deadline figures.
        let replayed = desk
            .report_by_replaying_audit(from, to, motcua::vietnam_now())
            .unwrap();
        let deadline_fields = |c: &Counts| c.values()[..11].to_vec();
        assert_eq!(deadline_fields(&replayed.total), deadline_fields(&total));
        for (a, b) in replayed.by_procedure.iter().zip(&report.by_procedure) {
            assert_eq!(a.code, b.code);
            assert_eq!(deadline_fields(&a.counts), deadline_fields(&b.counts));
        }
        // A period inside the generated range selects by the day received.
        let february = desk
            .report(
                NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
                motcua::vietnam_now(),
            )
            .unwrap();
        assert_eq!(february.total.received, 4 * 7);
    }

    fn counts_from(v: &[u64]) -> Counts {
        Counts {
            received: v[0],
            counter: v[1],
            online: v[2],
            postal: v[3],
            finished_early: v[4],
            finished_on_time: v[5],
            finished_late: v[6],
            in_process_on_time: v[7],
            in_process_late: v[8],
            withdrawn_or_refused: v[9],
            apologies: v[10],
            paid: v[11],
            paid_online: v[12],
            returned_by_post: v[13],
            digitized: v[14],
        }
    }
}
