//! Due dates and elapsed working time on real dates: ordinary weeks, receipts outside working hours,
//! Tết 2025 and 2026, Giỗ Tổ, 30/4–1/5, 2/9, year ends, swapped working Saturdays and the "same day
//! unless received after 15:00" rule. Expected values are worked out by hand in the comments.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use motcua::calendar::{ProcessingTime, WorkingCalendar};

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap()
}

fn days(n: u32) -> ProcessingTime {
    ProcessingTime::WorkingDays { days: n }
}

/// The calendar the counter uses: statutory rules plus the shipped 2025–2026 decisions.
fn official() -> WorkingCalendar {
    WorkingCalendar::vietnam_with_shipped_overrides().unwrap()
}

/// (case, received, processing time, expected due) with the shipped overrides.
fn official_cases() -> Vec<(&'static str, NaiveDateTime, ProcessingTime, NaiveDateTime)> {
    vec![
        // Tue 08:00 + 480 min: 210 (08–11:30) + 210 (13:30–17) + 60 on Wed → Wed 08:00.
        (
            "ordinary weekday",
            at(2025, 11, 4, 8, 0),
            days(1),
            at(2025, 11, 5, 8, 0),
        ),
        (
            "after 17:00 counts from next morning",
            at(2025, 11, 4, 17, 30),
            days(1),
            at(2025, 11, 5, 17, 0),
        ),
        // From 13:30: 210 min Tue afternoon + 270 Wed morning = 480 exactly at 11:30: kept.
        (
            "lunch-break receipt, lands on 11:30",
            at(2025, 11, 4, 12, 0),
            days(1),
            at(2025, 11, 5, 11, 30),
        ),
        (
            "before opening counts from 07:00",
            at(2025, 11, 10, 6, 30),
            days(2),
            at(2025, 11, 11, 17, 0),
        ),
        (
            "Saturday receipt",
            at(2025, 11, 8, 10, 0),
            days(1),
            at(2025, 11, 10, 17, 0),
        ),
        // Fri 16:00–17:00 = 60, Mon 07:00–11:30 = 270, 13:30–16:00 = 150 → 480.
        (
            "Friday afternoon over the weekend",
            at(2025, 11, 7, 16, 0),
            days(1),
            at(2025, 11, 10, 16, 0),
        ),
        (
            "7 days (đăng ký thường trú)",
            at(2025, 11, 3, 9, 0),
            days(7),
            at(2025, 11, 12, 9, 0),
        ),
        (
            "0 days is the effective start",
            at(2025, 11, 4, 18, 0),
            days(0),
            at(2025, 11, 5, 7, 0),
        ),
        // 31/12/2024 → 1/1/2025 is a holiday → Thu 2/1/2025 (no decision changed that week).
        (
            "year end 2024 → 2025",
            at(2024, 12, 31, 9, 0),
            days(1),
            at(2025, 1, 2, 9, 0),
        ),
        // 1/1/2026 holiday, Fri 2/1 swapped off (worked on Sat 10/1), weekend → Mon 5/1/2026.
        (
            "year end 2025 → 2026 with the swap",
            at(2025, 12, 31, 9, 0),
            days(1),
            at(2026, 1, 5, 9, 0),
        ),
        // From Mon 22/12/2025 13:30: 23, 24, 25, 26, 29, 30, 31/12, (1/1, 2/1 off), 5, 6, 7/1 → 10th at 11:30.
        (
            "10 days across the year end",
            at(2025, 12, 22, 13, 30),
            days(10),
            at(2026, 1, 7, 11, 30),
        ),
        (
            "working Saturday 10/1/2026 counts",
            at(2026, 1, 9, 9, 0),
            days(1),
            at(2026, 1, 10, 9, 0),
        ),
        // Tết Ất Tỵ: off Sat 25/1 – Sun 2/2/2025.
        (
            "into Tết 2025",
            at(2025, 1, 24, 10, 0),
            days(1),
            at(2025, 2, 3, 10, 0),
        ),
        // 14, 15, 16, 17, 20, 21, 22, 23, 24/1, then 3, 4, 5, 6, 7, 10/2 → 15th working day.
        (
            "15 days across Tết 2025",
            at(2025, 1, 13, 8, 0),
            days(15),
            at(2025, 2, 10, 8, 0),
        ),
        // Tết Bính Ngọ: off Sat 14/2 – Sun 22/2/2026; then Mon 23, Tue 24, Wed 25.
        (
            "3 days across Tết 2026",
            at(2026, 2, 13, 14, 0),
            days(3),
            at(2026, 2, 25, 14, 0),
        ),
        (
            "Giỗ Tổ 2025 (Mon 7/4)",
            at(2025, 4, 4, 8, 0),
            days(1),
            at(2025, 4, 8, 8, 0),
        ),
        (
            "Giỗ Tổ 2026 on Sunday, Monday 27/4 off",
            at(2026, 4, 24, 8, 0),
            days(1),
            at(2026, 4, 28, 8, 0),
        ),
        // 30/4, 1/5 holidays, Fri 2/5 swapped off, weekend → Mon 5/5, Tue 6/5.
        (
            "30/4–1/5 2025",
            at(2025, 4, 29, 10, 0),
            days(2),
            at(2025, 5, 6, 10, 0),
        ),
        (
            "working Saturday 26/4/2025 counts",
            at(2025, 4, 25, 10, 0),
            days(1),
            at(2025, 4, 26, 10, 0),
        ),
        (
            "2/9 2025: off 30/8–2/9",
            at(2025, 8, 29, 15, 0),
            days(1),
            at(2025, 9, 3, 15, 0),
        ),
        (
            "2/9 2026: off 29/8–2/9",
            at(2026, 8, 28, 9, 0),
            days(1),
            at(2026, 9, 3, 9, 0),
        ),
        (
            "working Saturday 22/8/2026 counts",
            at(2026, 8, 21, 9, 0),
            days(1),
            at(2026, 8, 22, 9, 0),
        ),
        (
            "same day, before 15:00",
            at(2025, 11, 4, 14, 59),
            ProcessingTime::same_day(),
            at(2025, 11, 4, 17, 0),
        ),
        (
            "same day, exactly 15:00",
            at(2025, 11, 4, 15, 0),
            ProcessingTime::same_day(),
            at(2025, 11, 4, 17, 0),
        ),
        (
            "same day, after 15:00",
            at(2025, 11, 4, 15, 1),
            ProcessingTime::same_day(),
            at(2025, 11, 5, 17, 0),
        ),
        (
            "same day, lunch break",
            at(2025, 11, 4, 12, 15),
            ProcessingTime::same_day(),
            at(2025, 11, 4, 17, 0),
        ),
        (
            "same day, Friday after 15:00",
            at(2025, 11, 7, 16, 0),
            ProcessingTime::same_day(),
            at(2025, 11, 10, 17, 0),
        ),
        (
            "same day, Saturday",
            at(2025, 11, 8, 9, 0),
            ProcessingTime::same_day(),
            at(2025, 11, 10, 17, 0),
        ),
        (
            "same day, on Giỗ Tổ 2025",
            at(2025, 4, 7, 9, 0),
            ProcessingTime::same_day(),
            at(2025, 4, 8, 17, 0),
        ),
        (
            "same day, 31/12/2025 after 15:00",
            at(2025, 12, 31, 15, 30),
            ProcessingTime::same_day(),
            at(2026, 1, 5, 17, 0),
        ),
        (
            "same day, after closing",
            at(2025, 11, 4, 17, 0),
            ProcessingTime::same_day(),
            at(2025, 11, 5, 17, 0),
        ),
    ]
}

#[test]
fn due_dates_with_the_shipped_decisions() {
    let calendar = official();
    let cases = official_cases();
    assert!(cases.len() >= 20);
    for (case, received, time, expected) in cases {
        assert_eq!(
            calendar.due_at(received, time),
            expected,
            "{case}: received {received}"
        );
    }
}

#[test]
fn due_dates_under_statutory_rules_only() {
    let calendar = WorkingCalendar::vietnam();
    // Without the 2026 swap, 2/1/2026 is an ordinary Friday.
    assert_eq!(
        calendar.due_at(at(2025, 12, 31, 9, 0), days(1)),
        at(2026, 1, 2, 9, 0)
    );
    // Base Tết 2025 rule (28/1–1/2): Mon 27/1 is a working day without the decision.
    assert_eq!(
        calendar.due_at(at(2025, 1, 24, 10, 0), days(1)),
        at(2025, 1, 27, 10, 0)
    );
    // 5 days from Fri 24/1: 27/1, then 28/1–1/2 off, then 3, 4, 5, 6/2.
    assert_eq!(
        calendar.due_at(at(2025, 1, 24, 10, 0), days(5)),
        at(2025, 2, 6, 10, 0)
    );
    // Without the compensatory day, Mon 27/4/2026 works.
    assert_eq!(
        calendar.due_at(at(2026, 4, 24, 8, 0), days(1)),
        at(2026, 4, 27, 8, 0)
    );
}

#[test]
fn custom_same_day_cutoff() {
    let calendar = official();
    let noon_cutoff = ProcessingTime::SameDay {
        cutoff: NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
    };
    assert_eq!(
        calendar.due_at(at(2025, 11, 4, 10, 0), noon_cutoff),
        at(2025, 11, 4, 17, 0)
    );
    assert_eq!(
        calendar.due_at(at(2025, 11, 4, 11, 15), noon_cutoff),
        at(2025, 11, 5, 17, 0)
    );
}

#[test]
fn working_minutes_between_real_moments() {
    let calendar = official();
    assert_eq!(
        calendar.working_minutes_between(at(2025, 11, 4, 8, 0), at(2025, 11, 4, 10, 0)),
        120
    );
    // 11:00–11:30 and 13:30–14:00; the lunch break does not count.
    assert_eq!(
        calendar.working_minutes_between(at(2025, 11, 4, 11, 0), at(2025, 11, 4, 14, 0)),
        60
    );
    // Fri 16–17 and Mon 07–08.
    assert_eq!(
        calendar.working_minutes_between(at(2025, 11, 7, 16, 0), at(2025, 11, 10, 8, 0)),
        120
    );
    assert_eq!(
        calendar.working_minutes_between(at(2025, 11, 10, 8, 0), at(2025, 11, 7, 16, 0)),
        -120
    );
    // Nothing is worked during the nine days of Tết 2025.
    assert_eq!(
        calendar.working_minutes_between(at(2025, 1, 24, 17, 0), at(2025, 2, 3, 7, 0)),
        0
    );
    // A whole year: 250 working days of 480 minutes (see calendar_holidays.rs for the count).
    assert_eq!(
        calendar.working_minutes_between(at(2025, 1, 1, 0, 0), at(2026, 1, 1, 0, 0)),
        250 * 480
    );
}

#[test]
fn elapsed_working_time_until_due_is_exactly_the_processing_time() {
    let calendar = official();
    for (case, received, time, due) in official_cases() {
        if let ProcessingTime::WorkingDays { days } = time {
            let elapsed = calendar.working_minutes_between(received, due);
            assert_eq!(elapsed, i64::from(days) * 480, "{case}");
        }
    }
}
