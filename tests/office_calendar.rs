//! The office's own calendar days (Cài đặt → Lịch làm việc): a day off or a make-up Saturday
//! changes due dates at once, survives a restart (the data folder's calendar file, checked like a
//! hand-made one), is audited, and can be taken back; days that would make no sense are refused.

use chrono::{NaiveDate, NaiveDateTime};
use motcua::calendar::ProcessingTime;
use motcua::{Desk, ErrorCode, OfficeDay};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, 0, 0).unwrap()
}

const TWO_DAYS: ProcessingTime = ProcessingTime::WorkingDays { days: 2 };

#[test]
fn a_day_off_moves_due_dates_survives_a_restart_and_can_be_removed() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    // Received Tuesday 8 Dec 2026 at 09:00: two working days → Thursday 10 Dec, 09:00.
    let received = at(2026, 12, 8, 9);
    assert_eq!(
        desk.calendar().due_at(received, TWO_DAYS),
        at(2026, 12, 10, 9)
    );

    let days = desk
        .set_office_day(
            OfficeDay::DayOff {
                date: date(2026, 12, 9),
                name: "Nghỉ lễ kỷ niệm ngày thành lập huyện".into(),
            },
            "giamsat",
        )
        .unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(
        desk.calendar().due_at(received, TWO_DAYS),
        at(2026, 12, 11, 9)
    );
    let holiday = desk.calendar().holiday(date(2026, 12, 9)).unwrap();
    assert_eq!(holiday.name, "Nghỉ lễ kỷ niệm ngày thành lập huyện");

    drop(desk);
    let reopened = Desk::open(dir.path()).unwrap();
    assert_eq!(
        reopened.calendar().due_at(received, TWO_DAYS),
        at(2026, 12, 11, 9)
    );
    assert_eq!(reopened.office_days().unwrap(), days);

    let days = reopened
        .remove_office_day(date(2026, 12, 9), "giamsat")
        .unwrap();
    assert!(days.is_empty());
    assert_eq!(
        reopened.calendar().due_at(received, TWO_DAYS),
        at(2026, 12, 10, 9)
    );

    let db = rusqlite::Connection::open(dir.path().join("motcua.sqlite3")).unwrap();
    let actions: Vec<(String, String, String)> = db
        .prepare("SELECT actor, action, entity FROM audit_log WHERE entity LIKE 'calendar:%' ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        actions,
        [
            (
                "giamsat".into(),
                "calendar.set".into(),
                "calendar:2026-12-09".into()
            ),
            (
                "giamsat".into(),
                "calendar.remove".into(),
                "calendar:2026-12-09".into()
            ),
        ]
    );
    assert!(reopened.verify_audit().unwrap().is_intact());
}

#[test]
fn a_make_up_saturday_shortens_a_deadline_across_the_weekend() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    // Received Friday 11 Dec 2026 at 09:00: two working days → Tuesday 15 Dec.
    let received = at(2026, 12, 11, 9);
    assert_eq!(
        desk.calendar().due_at(received, TWO_DAYS),
        at(2026, 12, 15, 9)
    );
    desk.set_office_day(
        OfficeDay::WorkingDay {
            date: date(2026, 12, 12),
            reason: "Làm bù cho thứ Sáu 01/01/2027".into(),
        },
        "giamsat",
    )
    .unwrap();
    assert_eq!(
        desk.calendar().due_at(received, TWO_DAYS),
        at(2026, 12, 14, 9)
    );
    // Setting the same date again replaces the office's decision instead of adding a second one.
    let days = desk
        .set_office_day(
            OfficeDay::WorkingDay {
                date: date(2026, 12, 12),
                reason: "Làm bù (sửa lý do)".into(),
            },
            "giamsat",
        )
        .unwrap();
    assert_eq!(days.len(), 1);
    assert!(
        matches!(&days[0], OfficeDay::WorkingDay { reason, .. } if reason == "Làm bù (sửa lý do)")
    );
}

#[test]
fn days_that_make_no_sense_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let refused = [
        // A Saturday is already a day off.
        OfficeDay::DayOff {
            date: date(2026, 12, 12),
            name: "Nghỉ".into(),
        },
        // National Day (2 September) is already a holiday.
        OfficeDay::DayOff {
            date: date(2026, 9, 2),
            name: "Quốc khánh".into(),
        },
        // A Wednesday is already a working day.
        OfficeDay::WorkingDay {
            date: date(2026, 12, 9),
            reason: "Làm bù".into(),
        },
        // A statutory holiday on a weekday cannot be worked by the office's own decision.
        OfficeDay::WorkingDay {
            date: date(2026, 9, 2),
            reason: "Làm bù".into(),
        },
        // A day off needs a name the clerks will see.
        OfficeDay::DayOff {
            date: date(2026, 12, 9),
            name: "  ".into(),
        },
    ];
    for day in refused {
        let error = desk.set_office_day(day.clone(), "giamsat").unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidSetting, "{day:?}: {error}");
    }
    assert!(desk.office_days().unwrap().is_empty());
    assert!(!dir.path().join("calendar-overrides.json").exists());
    let error = desk
        .remove_office_day(date(2026, 12, 9), "giamsat")
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidSetting);
}

#[test]
fn a_broken_office_file_is_named_when_the_desk_opens() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("calendar-overrides.json"),
        "{ \"years\": [ { \"year\": 2026, \"days_off\": [ { \"date\": \"2027-01-04\", \"name\": \"x\" } ] } ] }",
    )
    .unwrap();
    let error = Desk::open(dir.path()).err().unwrap();
    assert_eq!(error.code(), ErrorCode::CalendarInvalid);
    assert!(
        error.to_string().contains("calendar-overrides.json"),
        "{error}"
    );
}
