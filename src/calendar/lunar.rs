//! Vietnamese lunisolar calendar (âm lịch) conversion, computed astronomically.
//!
//! Public holidays such as Tết Nguyên Đán (1/1 lunar) and Giỗ Tổ Hùng Vương (10/3 lunar) move every
//! year, so the working-day calendar needs a real conversion rather than a hard-coded list of dates.
//!
//! # Method and source
//! This follows the algorithm published by Hồ Ngọc Đức, "Thuật toán tính âm lịch"
//! (<https://www.informatik.uni-leipzig.de/~duc/amlich/>), whose new-moon and solar-longitude
//! series are, as that source states, taken from Jean Meeus, *Astronomical Algorithms* (1998).
//! The code here is an independent implementation of that description (the published reference
//! code is licensed for non-commercial use only); only the astronomical coefficients are shared:
//!
//! 1. A lunar month starts on the local (UTC+7) civil day that contains the astronomical new moon.
//! 2. Month 11 is the month that contains the December (winter) solstice, i.e. the sun reaching
//!    longitude 270°.
//! 3. A lunar year running from one month 11 to the next with 13 months has a leap month: the first
//!    month after month 11 during which the sun enters no new 30° sector (no major solar term,
//!    "trung khí") is the leap month and repeats the number of the month before it.
//!
//! Everything is evaluated at UTC+7, the time zone Vietnam has used since 1968. That is why the
//! Vietnamese calendar sometimes differs from the Chinese one (UTC+8): Tết 1985 fell on 21 Jan 1985 in
//! Vietnam and on 20 Feb 1985 in China; Tết 2007 on 17 Feb in Vietnam and 18 Feb in China.
//!
//! Accuracy: the series are good to well under an hour for 1900–2100, which is the range the tests
//! cover; a new moon within minutes of local midnight could in principle land on the wrong day
//! outside that range.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;
use std::fmt;

/// Vietnam's offset from UTC in hours (UTC+7), used for every astronomical day boundary.
const TIME_ZONE_HOURS: f64 = 7.0;
/// Julian Day Number of 0001-01-01 (proleptic Gregorian) minus one: `jdn = days_from_ce + this`.
const JDN_OF_CE_EPOCH: i64 = 1_721_425;
/// Julian date of the mean new moon of 1900-01-01 that anchors the lunation count `k`.
const NEW_MOON_EPOCH_JD: f64 = 2_415_021.076_998_695;
/// Mean length of a synodic month in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;

/// A date in the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    /// Lunar year, numbered like the Gregorian year in which most of it falls (Tết 2025 starts 2025).
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–30.
    pub day: u32,
    /// True for the intercalary (nhuận) month that repeats `month`.
    pub leap: bool,
}

impl LunarDate {
    /// A lunar date in an ordinary (non-leap) month; no validation, see [`lunar_to_solar`].
    pub fn new(year: i32, month: u32, day: u32) -> Self {
        Self {
            year,
            month,
            day,
            leap: false,
        }
    }
}

impl fmt::Display for LunarDate {
    /// Vietnamese style `10/3/2025` (with ` nhuận` after a leap month).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.day, self.month, self.year)?;
        if self.leap {
            f.write_str(" nhuận")?;
        }
        Ok(())
    }
}

/// Converts a Gregorian date to the Vietnamese lunar date.
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    let day_number = julian_day_number(date);
    // Estimate the lunation from the mean month, then correct it: the true new moon can be more
    // than a day from the mean one (e.g. 7 May 2054 would otherwise come out as day 0).
    let mut k = ((day_number as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH).floor() as i64;
    while new_moon_day(k) > day_number {
        k -= 1;
    }
    while new_moon_day(k + 1) <= day_number {
        k += 1;
    }
    let month_start = new_moon_day(k);
    let mut month_11 = lunar_month_11_start(date.year());
    let next_month_11;
    let mut lunar_year;
    if month_11 >= month_start {
        // The date lies before this Gregorian year's month 11: count from last year's.
        lunar_year = date.year();
        next_month_11 = month_11;
        month_11 = lunar_month_11_start(date.year() - 1);
    } else {
        lunar_year = date.year() + 1;
        next_month_11 = lunar_month_11_start(date.year() + 1);
    }
    let day = (day_number - month_start + 1) as u32;
    // Months elapsed since month 11 (new moons are 29 or 30 days apart, so /29 rounds correctly).
    let months_since_11 = (month_start - month_11) / 29;
    let mut leap = false;
    let mut month = months_since_11 + 11;
    if next_month_11 - month_11 > 365 {
        let leap_offset = leap_month_offset(month_11);
        if months_since_11 >= leap_offset {
            month = months_since_11 + 10;
            leap = months_since_11 == leap_offset;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && months_since_11 < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        year: lunar_year,
        month: month as u32,
        day,
        leap,
    }
}

/// Converts a Vietnamese lunar date to the Gregorian date, or `None` when that lunar date does not
/// exist (month out of range, day 30 of a 29-day month, a leap flag on a month that is not leap).
pub fn lunar_to_solar(lunar: LunarDate) -> Option<NaiveDate> {
    if !(1..=12).contains(&lunar.month) || !(1..=30).contains(&lunar.day) {
        return None;
    }
    let (month_11, next_month_11) = if lunar.month < 11 {
        (
            lunar_month_11_start(lunar.year - 1),
            lunar_month_11_start(lunar.year),
        )
    } else {
        (
            lunar_month_11_start(lunar.year),
            lunar_month_11_start(lunar.year + 1),
        )
    };
    let k = (0.5 + (month_11 as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH).floor() as i64;
    let mut offset = i64::from(lunar.month) - 11;
    if offset < 0 {
        offset += 12;
    }
    if next_month_11 - month_11 > 365 {
        let leap_offset = leap_month_offset(month_11);
        let mut leap_month = leap_offset - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if lunar.leap && i64::from(lunar.month) != leap_month {
            return None;
        }
        if lunar.leap || offset >= leap_offset {
            offset += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let month_start = new_moon_day(k + offset);
    let solar = date_from_julian_day_number(month_start + i64::from(lunar.day) - 1)?;
    // Day 30 of a 29-day month spills into the next month: the round trip exposes it.
    (solar_to_lunar(solar) == lunar).then_some(solar)
}

/// Julian Day Number (days since 1 Jan 4713 BC, noon) of a proleptic Gregorian date.
fn julian_day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_OF_CE_EPOCH
}

fn date_from_julian_day_number(jdn: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jdn - JDN_OF_CE_EPOCH).ok()?)
}

/// Julian Day Number of the local (UTC+7) day containing the `k`-th new moon after 1900-01-01
/// (truncated periodic terms after Meeus, with an approximate ΔT correction).
fn new_moon_day(k: i64) -> i64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries since 1900
    let t2 = t * t;
    let t3 = t2 * t;
    let rad = PI / 180.0;
    let mean_jd = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3
        + 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * rad).sin();
    let sun_anomaly = (359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3) * rad;
    let moon_anomaly = (306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3) * rad;
    let latitude_arg = (21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3) * rad;
    let correction = (0.1734 - 0.000_393 * t) * sun_anomaly.sin()
        + 0.0021 * (2.0 * sun_anomaly).sin()
        - 0.4068 * moon_anomaly.sin()
        + 0.0161 * (2.0 * moon_anomaly).sin()
        - 0.0004 * (3.0 * moon_anomaly).sin()
        + 0.0104 * (2.0 * latitude_arg).sin()
        - 0.0051 * (sun_anomaly + moon_anomaly).sin()
        - 0.0074 * (sun_anomaly - moon_anomaly).sin()
        + 0.0004 * (2.0 * latitude_arg + sun_anomaly).sin()
        - 0.0004 * (2.0 * latitude_arg - sun_anomaly).sin()
        - 0.0006 * (2.0 * latitude_arg + moon_anomaly).sin()
        + 0.0010 * (2.0 * latitude_arg - moon_anomaly).sin()
        + 0.0005 * (2.0 * moon_anomaly + sun_anomaly).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    let new_moon_jd = mean_jd + correction - delta_t;
    (new_moon_jd + 0.5 + TIME_ZONE_HOURS / 24.0).floor() as i64
}

/// The 30° sector (0–11) of the sun's apparent longitude at local midnight starting day `jdn`
/// (low-accuracy series after Meeus). Sector 9 begins at the winter solstice (270°).
fn sun_longitude_sector(jdn: i64) -> i64 {
    let t = (jdn as f64 - 2_451_545.5 - TIME_ZONE_HOURS / 24.0) / 36_525.0; // centuries since J2000
    let t2 = t * t;
    let rad = PI / 180.0;
    let mean_anomaly =
        (357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2) * rad;
    let mean_longitude = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let equation_of_centre = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * mean_anomaly.sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * mean_anomaly).sin()
        + 0.000_290 * (3.0 * mean_anomaly).sin();
    let longitude = ((mean_longitude + equation_of_centre) * rad).rem_euclid(2.0 * PI);
    (longitude / PI * 6.0).floor() as i64
}

/// Julian Day Number on which lunar month 11 (the month containing the winter solstice) of the
/// Gregorian year `year` begins.
fn lunar_month_11_start(year: i32) -> i64 {
    let dec_31 = NaiveDate::from_ymd_opt(year, 12, 31).map_or_else(
        // Outside chrono's range: extrapolate by mean years; the result is meaningless but finite.
        || (f64::from(year) * 365.2425) as i64 + JDN_OF_CE_EPOCH,
        julian_day_number,
    );
    let k = ((dec_31 - 2_415_021) as f64 / SYNODIC_MONTH).floor() as i64;
    let new_moon = new_moon_day(k);
    if sun_longitude_sector(new_moon) >= 9 {
        // That new moon is already past the solstice, so month 11 started one lunation earlier.
        new_moon_day(k - 1)
    } else {
        new_moon
    }
}

/// For a 13-month year starting at month 11 on `month_11_jdn`: how many months after month 11 the
/// leap month comes (the first month in which the sun's sector does not change).
fn leap_month_offset(month_11_jdn: i64) -> i64 {
    let k = ((month_11_jdn as f64 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut sector = sun_longitude_sector(new_moon_day(k + i));
    loop {
        let previous = sector;
        i += 1;
        sector = sun_longitude_sector(new_moon_day(k + i));
        if sector == previous || i >= 14 {
            return i - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn julian_day_number_matches_the_j2000_epoch() {
        assert_eq!(julian_day_number(date(2000, 1, 1)), 2_451_545);
        assert_eq!(
            date_from_julian_day_number(2_451_545),
            Some(date(2000, 1, 1))
        );
    }

    #[test]
    fn winter_solstice_month_contains_december_solstice() {
        // Month 11 of 2024 (Giáp Thìn) began on 1 Dec 2024; the solstice was 21 Dec 2024.
        assert_eq!(
            lunar_month_11_start(2024),
            julian_day_number(date(2024, 12, 1))
        );
    }

    #[test]
    fn invalid_lunar_dates_have_no_solar_date() {
        assert_eq!(lunar_to_solar(LunarDate::new(2025, 13, 1)), None);
        assert_eq!(lunar_to_solar(LunarDate::new(2025, 1, 0)), None);
        // 2025 has leap month 6, not leap month 5.
        assert_eq!(
            lunar_to_solar(LunarDate {
                year: 2025,
                month: 5,
                day: 1,
                leap: true
            }),
            None
        );
        // 2024 (Giáp Thìn) has no leap month at all.
        assert_eq!(
            lunar_to_solar(LunarDate {
                year: 2024,
                month: 6,
                day: 1,
                leap: true
            }),
            None
        );
    }

    #[test]
    fn display_marks_leap_months() {
        let leap = LunarDate {
            year: 2025,
            month: 6,
            day: 1,
            leap: true,
        };
        assert_eq!(leap.to_string(), "1/6/2025 nhuận");
        assert_eq!(LunarDate::new(2025, 3, 10).to_string(), "10/3/2025");
    }
}
