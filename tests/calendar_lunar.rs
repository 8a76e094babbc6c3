//! Lunar conversion against published Vietnamese dates: Tết 1968–2030, Giỗ Tổ, leap months, and the
//! years where the Vietnamese (UTC+7) and Chinese (UTC+8) calendars differ.

use chrono::{Datelike, NaiveDate};
use motcua::calendar::lunar::{LunarDate, lunar_to_solar, solar_to_lunar};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// First day of the lunar year (Tết Nguyên Đán) in Vietnam, 2000–2030, as published in Vietnamese
/// calendars (Lịch Việt Nam, Nhà xuất bản Khoa học và Kỹ thuật; Hồ Ngọc Đức's tables).
const TET_2000_2030: [(i32, u32, u32); 31] = [
    (2000, 2, 5),
    (2001, 1, 24),
    (2002, 2, 12),
    (2003, 2, 1),
    (2004, 1, 22),
    (2005, 2, 9),
    (2006, 1, 29),
    (2007, 2, 17),
    (2008, 2, 7),
    (2009, 1, 26),
    (2010, 2, 14),
    (2011, 2, 3),
    (2012, 1, 23),
    (2013, 2, 10),
    (2014, 1, 31),
    (2015, 2, 19),
    (2016, 2, 8),
    (2017, 1, 28),
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 2),
];

#[test]
fn tet_2000_to_2030_in_both_directions() {
    for (year, month, day) in TET_2000_2030 {
        let tet = date(year, month, day);
        assert_eq!(
            solar_to_lunar(tet),
            LunarDate::new(year, 1, 1),
            "solar_to_lunar({tet})"
        );
        assert_eq!(
            lunar_to_solar(LunarDate::new(year, 1, 1)),
            Some(tet),
            "Tết {year}"
        );
        // The day before is the last day of the previous lunar year, month 12.
        let eve = solar_to_lunar(tet.pred_opt().unwrap());
        assert_eq!(
            (eve.year, eve.month, eve.leap),
            (year - 1, 12, false),
            "eve of Tết {year}"
        );
        assert!(
            eve.day == 29 || eve.day == 30,
            "eve of Tết {year} is day {}",
            eve.day
        );
    }
}

#[test]
fn tet_2025_and_2026_from_the_issue() {
    assert_eq!(
        solar_to_lunar(date(2025, 1, 29)),
        LunarDate::new(2025, 1, 1)
    );
    assert_eq!(
        solar_to_lunar(date(2026, 2, 17)),
        LunarDate::new(2026, 1, 1)
    );
}

#[test]
fn vietnam_differs_from_china_where_the_new_moon_is_near_midnight() {
    // Vietnam (UTC+7) vs China (UTC+8): 21 Jan 1985 vs 20 Feb 1985 (different month 11 → leap
    // month placement), 17 Feb 2007 vs 18 Feb, 29 Jan 1968 vs 30 Jan, 2 Feb 2030 vs 3 Feb (the new
    // moon is at about 23:07 in Hà Nội, 00:07 the next day in Beijing).
    assert_eq!(
        lunar_to_solar(LunarDate::new(1985, 1, 1)),
        Some(date(1985, 1, 21))
    );
    assert_eq!(
        lunar_to_solar(LunarDate::new(2007, 1, 1)),
        Some(date(2007, 2, 17))
    );
    assert_eq!(
        lunar_to_solar(LunarDate::new(1968, 1, 1)),
        Some(date(1968, 1, 29))
    );
    assert_eq!(
        lunar_to_solar(LunarDate::new(2030, 1, 1)),
        Some(date(2030, 2, 2))
    );
    assert_ne!(
        solar_to_lunar(date(1985, 2, 20)),
        LunarDate::new(1985, 1, 1)
    );
}

#[test]
fn hung_kings_commemoration_dates() {
    // 10/3 lunar: 29 Apr 2023, 18 Apr 2024, 7 Apr 2025 (issue), 26 Apr 2026 (a Sunday).
    for (year, month, day) in [(2023, 4, 29), (2024, 4, 18), (2025, 4, 7), (2026, 4, 26)] {
        assert_eq!(
            lunar_to_solar(LunarDate::new(year, 3, 10)),
            Some(date(year, month, day)),
            "{year}"
        );
    }
}

#[test]
fn leap_months_2023_and_2025() {
    // Quý Mão 2023 had a leap 2nd month from 22 Mar 2023; Ất Tỵ 2025 a leap 6th month from 25 Jul 2025.
    let leap_2023 = LunarDate {
        year: 2023,
        month: 2,
        day: 1,
        leap: true,
    };
    assert_eq!(lunar_to_solar(leap_2023), Some(date(2023, 3, 22)));
    assert_eq!(solar_to_lunar(date(2023, 3, 22)), leap_2023);
    assert_eq!(
        solar_to_lunar(date(2023, 3, 21)),
        LunarDate::new(2023, 2, 30)
    );
    let leap_2025 = LunarDate {
        year: 2025,
        month: 6,
        day: 1,
        leap: true,
    };
    assert_eq!(lunar_to_solar(leap_2025), Some(date(2025, 7, 25)));
    assert_eq!(
        solar_to_lunar(date(2025, 8, 23)),
        LunarDate::new(2025, 7, 1)
    );
}

#[test]
fn round_trip_every_day_1900_to_2100_and_months_are_29_or_30_days() {
    let mut day = date(1900, 2, 1);
    let end = date(2100, 12, 31);
    let mut previous = solar_to_lunar(day.pred_opt().unwrap());
    let mut tet_count = 0;
    while day <= end {
        let lunar = solar_to_lunar(day);
        assert_eq!(
            lunar_to_solar(lunar),
            Some(day),
            "round trip of {day} ({lunar})"
        );
        if lunar.day == 1 {
            assert!(
                previous.day == 29 || previous.day == 30,
                "month before {day} has {} days",
                previous.day
            );
            if lunar.month == 1 && !lunar.leap {
                tet_count += 1;
                assert_eq!(
                    lunar.year,
                    day.year(),
                    "Tết {day} belongs to the lunar year of its Gregorian year"
                );
                assert!(
                    day >= date(day.year(), 1, 21) && day <= date(day.year(), 2, 20),
                    "Tết on {day}"
                );
            }
        } else {
            assert_eq!(lunar.day, previous.day + 1, "{day}");
        }
        previous = lunar;
        day = day.succ_opt().unwrap();
    }
    // Tết 1900 was 31 Jan 1900, before the scan starts, so Tết 1901..=2100 are seen: one per year.
    assert_eq!(tet_count, 200);
}

#[test]
fn day_30_of_a_29_day_month_does_not_exist() {
    // Month 12 of Ất Tỵ (2025) has 29 days: 16 Feb 2026 is 29/12 and 17 Feb 2026 is Tết.
    assert_eq!(
        solar_to_lunar(date(2026, 2, 16)),
        LunarDate::new(2025, 12, 29)
    );
    assert_eq!(lunar_to_solar(LunarDate::new(2025, 12, 30)), None);
}
