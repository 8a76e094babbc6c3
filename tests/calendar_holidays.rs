//! Holidays and working days on real dates, the shipped 2025–2026 decisions, and overrides files:
//! layering, and errors that name the file, line and column.

use chrono::{Datelike, NaiveDate};
use motcua::calendar::overrides::{CalendarOverrides, SHIPPED_OVERRIDES_PATH};
use motcua::calendar::{CalendarError, HolidayKind, WorkingCalendar};
use std::path::{Path, PathBuf};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn official() -> WorkingCalendar {
    WorkingCalendar::vietnam_with_shipped_overrides().unwrap()
}

fn working_days_in(calendar: &WorkingCalendar, year: i32) -> usize {
    date(year, 1, 1)
        .iter_days()
        .take_while(|d| d.year() == year)
        .filter(|d| calendar.is_working_day(*d))
        .count()
}

/// Writes `text` to a fresh file in Cargo's per-test scratch directory.
fn write_fixture(name: &str, text: &str) -> PathBuf {
    let path =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("calendar_holidays-{name}.json"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn lunar_holidays_on_their_real_dates() {
    let calendar = WorkingCalendar::vietnam();
    for tet in [date(2025, 1, 29), date(2026, 2, 17)] {
        let holiday = calendar.holiday(tet).unwrap();
        assert_eq!(holiday.name, "Tết Nguyên Đán");
        assert_eq!(holiday.kind, HolidayKind::Statutory);
    }
    assert_eq!(
        calendar.holiday(date(2025, 4, 7)).unwrap().name,
        "Giỗ Tổ Hùng Vương"
    );
    assert_eq!(
        calendar.holiday(date(2026, 4, 26)).unwrap().name,
        "Giỗ Tổ Hùng Vương"
    );
    assert_eq!(calendar.holiday(date(2025, 4, 6)), None);
}

#[test]
fn fixed_holidays_have_vietnamese_names() {
    let calendar = WorkingCalendar::vietnam();
    let name = |d| calendar.holiday(d).map(|h| h.name);
    assert_eq!(name(date(2025, 1, 1)).as_deref(), Some("Tết Dương lịch"));
    assert_eq!(name(date(2025, 4, 30)).as_deref(), Some("Ngày Chiến thắng"));
    assert_eq!(
        name(date(2025, 5, 1)).as_deref(),
        Some("Ngày Quốc tế Lao động")
    );
    assert_eq!(name(date(2025, 9, 1)).as_deref(), Some("Quốc khánh"));
    assert_eq!(name(date(2025, 9, 2)).as_deref(), Some("Quốc khánh"));
    assert_eq!(name(date(2025, 9, 3)), None);
}

#[test]
fn the_official_breaks_of_2025_and_2026_are_not_working_days() {
    let calendar = official();
    // (first day off, last day off) as announced, each bounded by working days.
    let breaks = [
        (date(2025, 1, 25), date(2025, 2, 2)),  // Tết Ất Tỵ, 9 days
        (date(2025, 4, 30), date(2025, 5, 4)),  // 30/4–1/5 with the 2/5 swap
        (date(2025, 8, 30), date(2025, 9, 2)),  // Quốc khánh
        (date(2026, 1, 1), date(2026, 1, 4)),   // Tết Dương lịch with the 2/1 swap
        (date(2026, 2, 14), date(2026, 2, 22)), // Tết Bính Ngọ, 9 days
        (date(2026, 4, 25), date(2026, 4, 27)), // Giỗ Tổ on Sunday + nghỉ bù
        (date(2026, 4, 30), date(2026, 5, 3)),
        (date(2026, 8, 29), date(2026, 9, 2)), // Quốc khánh with the 31/8 swap
    ];
    for (first, last) in breaks {
        for day in first.iter_days().take_while(|d| *d <= last) {
            assert!(!calendar.is_working_day(day), "{day} should be off");
        }
        assert!(
            calendar.is_working_day(first.pred_opt().unwrap()),
            "day before {first}"
        );
        assert!(
            calendar.is_working_day(last.succ_opt().unwrap()),
            "day after {last}"
        );
    }
}

#[test]
fn decisions_override_the_statutory_base_rule() {
    let calendar = official();
    let decreed = calendar.holiday(date(2025, 1, 27)).unwrap();
    assert_eq!(
        (decreed.name.as_str(), decreed.kind),
        ("Tết Nguyên Đán", HolidayKind::Decreed)
    );
    // Sat 1/2/2025 (mùng 4) is not one of the decided Tết days, but still a weekend.
    assert_eq!(calendar.holiday(date(2025, 2, 1)), None);
    assert!(!calendar.is_working_day(date(2025, 2, 1)));
    assert!(
        WorkingCalendar::vietnam()
            .holiday(date(2025, 2, 1))
            .is_some()
    );
    // Swapped Saturdays are working days with no holiday.
    for saturday in [date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)] {
        assert!(calendar.is_working_day(saturday), "{saturday}");
        assert_eq!(calendar.holiday(saturday), None);
    }
    assert_eq!(
        calendar.holiday(date(2026, 4, 27)).unwrap().name,
        "Nghỉ bù Giỗ Tổ Hùng Vương"
    );
}

#[test]
fn working_days_per_year() {
    // 2025 starts and ends on a Wednesday: 52 weeks + 1 day → 261 weekdays (Mon–Fri).
    // Statutory holidays on weekdays: 1/1 (Wed); Tết base rule 28–31/1 (Tue–Fri; 1/2 is a Saturday);
    // Giỗ Tổ 7/4 (Mon); 30/4 (Wed), 1/5 (Thu); 1/9 (Mon), 2/9 (Tue) → 10 → 251 working days.
    assert_eq!(working_days_in(&WorkingCalendar::vietnam(), 2025), 251);
    // Shipped decisions: + Mon 27/1 (Tết 27–31/1) and Fri 2/5 off, + Sat 26/4 worked → 251 − 2 + 1.
    assert_eq!(working_days_in(&official(), 2025), 250);
    // 2026 starts and ends on a Thursday → 261 weekdays. Weekday holidays: 1/1, Tết 16–20/2 (5),
    // 30/4, 1/5, 1/9, 2/9 → 10 (Giỗ Tổ 26/4 is a Sunday). Decisions: Fri 2/1, Mon 27/4 (nghỉ bù),
    // Mon 31/8 off; Sat 10/1 and Sat 22/8 worked → 261 − 10 − 3 + 2 = 250.
    assert_eq!(working_days_in(&WorkingCalendar::vietnam(), 2026), 251);
    assert_eq!(working_days_in(&official(), 2026), 250);
}

#[test]
fn the_shipped_file_on_disk_is_the_embedded_one() {
    let on_disk = Path::new(env!("CARGO_MANIFEST_DIR")).join(SHIPPED_OVERRIDES_PATH);
    let loaded = WorkingCalendar::load_overrides(&on_disk).unwrap();
    assert_eq!(loaded, CalendarOverrides::shipped().unwrap());
    assert!(
        loaded.years.iter().all(|y| !y.sources.is_empty()),
        "every year names its sources"
    );
}

#[test]
fn a_later_overrides_file_wins() {
    let path = write_fixture(
        "later",
        r#"{ "note": "hypothetical: the 2/1/2026 swap cancelled",
             "years": [ { "year": 2026,
                          "working_days": [ { "date": "2026-01-02", "reason": "test" } ],
                          "days_off": [ { "date": "2026-01-10", "name": "Nghỉ thử" } ] } ] }"#,
    );
    let calendar = official().with_overrides(WorkingCalendar::load_overrides(&path).unwrap());
    assert!(calendar.is_working_day(date(2026, 1, 2)));
    assert!(!calendar.is_working_day(date(2026, 1, 10)));
    assert_eq!(
        calendar.holiday(date(2026, 1, 10)).unwrap().name,
        "Nghỉ thử"
    );
}

#[test]
fn syntax_error_names_file_line_and_column() {
    // Line 3 lacks the comma after "year": 2025.
    let text = "{\n  \"years\": [\n    { \"year\": 2025\n      \"days_off\": [] }\n  ]\n}\n";
    let path = write_fixture("syntax", text);
    let err = WorkingCalendar::load_overrides(&path).unwrap_err();
    let CalendarError::OverridesSyntax {
        path: reported,
        line,
        column,
        ..
    } = &err
    else {
        panic!("unexpected error {err:?}");
    };
    assert_eq!((reported, *line, *column), (&path, 4, 7));
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}:4:7: ", path.display())),
        "{message}"
    );
}

#[test]
fn impossible_date_and_unknown_field_are_located() {
    let bad_date = "{ \"years\": [ { \"year\": 2025,\n  \"days_off\": [ { \"date\": \"2025-02-30\", \"name\": \"x\" } ] } ] }";
    let err = WorkingCalendar::load_overrides(&write_fixture("bad-date", bad_date)).unwrap_err();
    assert!(
        matches!(err, CalendarError::OverridesSyntax { line: 2, .. }),
        "{err:?}"
    );
    // A typo in a field name must not be ignored silently.
    let typo = "{ \"years\": [ { \"year\": 2025,\n\n  \"day_off\": [] } ] }";
    let err = WorkingCalendar::load_overrides(&write_fixture("typo", typo)).unwrap_err();
    assert!(
        matches!(err, CalendarError::OverridesSyntax { line: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("day_off"), "{err}");
}

#[test]
fn contradictions_are_located() {
    // The same date both off and worked: reported at its second occurrence (line 3, column 31: the opening quote).
    let text = "{ \"years\": [ { \"year\": 2025,\n  \"days_off\": [ { \"date\": \"2025-05-02\", \"name\": \"x\" } ],\n  \"working_days\": [ { \"date\": \"2025-05-02\" } ] } ] }";
    let path = write_fixture("conflict", text);
    let err = WorkingCalendar::load_overrides(&path).unwrap_err();
    let CalendarError::InvalidOverride {
        line,
        column,
        reason,
        ..
    } = &err
    else {
        panic!("unexpected error {err:?}");
    };
    assert_eq!((*line, *column), (3, 31));
    assert!(reason.contains("2025-05-02"), "{reason}");
    // A year listed twice.
    let twice = "{ \"years\": [ { \"year\": 2025 }, { \"year\": 2025 } ] }";
    let err = WorkingCalendar::load_overrides(&write_fixture("twice", twice)).unwrap_err();
    assert!(
        err.to_string().contains("year 2025 is listed twice"),
        "{err}"
    );
}

#[test]
fn missing_file_names_the_path() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("calendar_holidays-does-not-exist.json");
    let err = WorkingCalendar::load_overrides(&path).unwrap_err();
    assert!(
        matches!(&err, CalendarError::ReadOverrides { path: p, .. } if *p == path),
        "{err:?}"
    );
    assert!(err.to_string().contains("does-not-exist.json"), "{err}");
}
