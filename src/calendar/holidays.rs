//! Statutory public holidays of Vietnam, derived from rules rather than listed by date.
//!
//! Labour Code 2019 (Bộ luật Lao động số 45/2019/QH14), Article 112(1), grants 11 paid holidays:
//! Tết Dương lịch (1/1), Tết Âm lịch (5 days), Giỗ Tổ Hùng Vương (10/3 lunar), Ngày Chiến thắng
//! (30/4), Ngày Quốc tế Lao động (1/5) and Quốc khánh (2/9 plus the day before or after).
//! The law leaves the exact Tết days and the second Quốc khánh day to a yearly government decision;
//! this module applies a documented base rule for both, and the per-year decisions (compensatory
//! days, swapped working Saturdays, a different choice of Tết days) come from the overrides file.

use super::lunar::{LunarDate, solar_to_lunar};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Where a day off comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// Computed from Labour Code 2019 art. 112 by [`statutory_holiday`].
    Statutory,
    /// Declared for one year by a government decision, read from the overrides file
    /// (compensatory day, swapped working day, a different choice of Tết days).
    Decreed,
}

/// A day off, named in Vietnamese as it appears on receipts and in the UI.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Holiday {
    /// Vietnamese name, e.g. "Tết Nguyên Đán".
    pub name: String,
    /// Statutory rule or yearly decision.
    pub kind: HolidayKind,
}

impl Holiday {
    fn statutory(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            kind: HolidayKind::Statutory,
        }
    }
}

/// Vietnamese names of the statutory holidays.
pub mod names {
    /// 1/1.
    pub const NEW_YEAR: &str = "Tết Dương lịch";
    /// The five days of the lunar new year.
    pub const LUNAR_NEW_YEAR: &str = "Tết Nguyên Đán";
    /// 10/3 lunar.
    pub const HUNG_KINGS: &str = "Giỗ Tổ Hùng Vương";
    /// 30/4.
    pub const VICTORY_DAY: &str = "Ngày Chiến thắng";
    /// 1/5.
    pub const LABOUR_DAY: &str = "Ngày Quốc tế Lao động";
    /// 2/9 and the adjacent day.
    pub const NATIONAL_DAY: &str = "Quốc khánh";
}

/// Months in which lunar holidays can fall. Tết lies between 21 Jan and 20 Feb and 10/3 lunar at
/// most about 100 days later (when a leap month 1 or 2 intervenes), so June is a safe upper bound;
/// skipping the lunar conversion elsewhere keeps year-long scans cheap.
const LUNAR_HOLIDAY_MONTHS: std::ops::RangeInclusive<u32> = 1..=6;

/// The statutory holiday on `date`, if any, before yearly overrides are applied.
///
/// Base rules where the law leaves a choice:
/// - Tết: the last day of the old lunar year and days 1–4 of the new one (the first of the options
///   the Ministry of Home Affairs offered employers for 2026; it was also the civil-service choice
///   for 2026, while 2025 used 28 tháng Chạp – mùng 3, recorded as an override).
/// - Quốc khánh: 2/9 plus the adjacent weekday that joins the break to a weekend (2/9 on Tuesday →
///   1/9, on Thursday → 3/9, on Sunday → 3/9); otherwise 1/9 when it is a weekday (2/9 on Wednesday
///   or Friday), else 3/9 (2/9 on Monday). This reproduces the decisions of 2021, 2022, 2024, 2025
///   and 2026.
///
/// A holiday falling on a weekend is still reported here; the compensatory day is an override.
pub fn statutory_holiday(date: NaiveDate) -> Option<Holiday> {
    match (date.month(), date.day()) {
        (1, 1) => return Some(Holiday::statutory(names::NEW_YEAR)),
        (4, 30) => return Some(Holiday::statutory(names::VICTORY_DAY)),
        (5, 1) => return Some(Holiday::statutory(names::LABOUR_DAY)),
        (9, 2) => return Some(Holiday::statutory(names::NATIONAL_DAY)),
        (9, 1) | (9, 3) if national_day_companion(date.year()) == Some(date) => {
            return Some(Holiday::statutory(names::NATIONAL_DAY));
        }
        _ => {}
    }
    if !LUNAR_HOLIDAY_MONTHS.contains(&date.month()) {
        return None;
    }
    let lunar = solar_to_lunar(date);
    if !lunar.leap && lunar.month == 1 && lunar.day <= 4 {
        return Some(Holiday::statutory(names::LUNAR_NEW_YEAR));
    }
    if !lunar.leap && lunar.month == 3 && lunar.day == 10 {
        return Some(Holiday::statutory(names::HUNG_KINGS));
    }
    if lunar.month == 12 && lunar.day >= 29 && is_last_day_of_lunar_year(date) {
        return Some(Holiday::statutory(names::LUNAR_NEW_YEAR));
    }
    None
}

/// The solar date of Tết (1/1 lunar) of lunar year `year`.
pub fn lunar_new_year(year: i32) -> Option<NaiveDate> {
    super::lunar::lunar_to_solar(LunarDate::new(year, 1, 1))
}

/// The solar date of Giỗ Tổ Hùng Vương (10/3 lunar) in lunar year `year`.
pub fn hung_kings_day(year: i32) -> Option<NaiveDate> {
    super::lunar::lunar_to_solar(LunarDate::new(year, 3, 10))
}

/// The second Quốc khánh day (1/9 or 3/9) of `year` under the base rule of [`statutory_holiday`].
pub fn national_day_companion(year: i32) -> Option<NaiveDate> {
    let before = NaiveDate::from_ymd_opt(year, 9, 1)?;
    let after = NaiveDate::from_ymd_opt(year, 9, 3)?;
    let joins_weekend = |d: NaiveDate| matches!(d.weekday(), Weekday::Mon | Weekday::Fri);
    Some(if joins_weekend(before) {
        before
    } else if joins_weekend(after) {
        after
    } else if is_weekday(before) {
        before
    } else {
        after
    })
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn is_last_day_of_lunar_year(date: NaiveDate) -> bool {
    date.succ_opt().is_some_and(|next| {
        let lunar = solar_to_lunar(next);
        lunar.month == 1 && lunar.day == 1 && !lunar.leap
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn national_day_companion_matches_past_decisions() {
        // (year, the day decided together with 2/9)
        for (year, day) in [(2021, 3), (2022, 1), (2024, 3), (2025, 1), (2026, 1)] {
            assert_eq!(
                national_day_companion(year),
                Some(date(year, 9, day)),
                "year {year}"
            );
        }
    }

    #[test]
    fn tet_base_rule_is_last_day_of_year_plus_four() {
        // Tết 2026 = 17 Feb; 16 Feb is 29 tháng Chạp, the last day of Ất Tỵ.
        let off: Vec<u32> = (14..=22)
            .filter(|d| statutory_holiday(date(2026, 2, *d)).is_some())
            .collect();
        assert_eq!(off, vec![16, 17, 18, 19, 20]);
    }

    #[test]
    fn ordinary_days_are_not_holidays() {
        assert_eq!(statutory_holiday(date(2025, 3, 10)), None);
        assert_eq!(statutory_holiday(date(2025, 11, 24)), None);
        assert_eq!(statutory_holiday(date(2025, 9, 3)), None);
    }
}
