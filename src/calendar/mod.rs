//! Working-day calendar: which days and hours a one-stop counter works, and when a dossier is due.
//!
//! Statutory deadlines for administrative procedures are counted in working days, so every receipt
//! printed at the counter (Mẫu 01, Circular 01/2018/TT-VPCP) needs a due date that skips weekends,
//! public holidays (including the lunar ones, see [`lunar`] and [`holidays`]) and the yearly
//! government decisions (see [`overrides`]), and that counts working hours the way the provincial
//! systems do: 8 working hours make one working day; default hours 07:00–11:30 and 13:30–17:00.
//!
//! All date-times are local Vietnam time (UTC+7) as `NaiveDateTime`.
//!
//! ```
//! use chrono::NaiveDate;
//! use motcua::calendar::{ProcessingTime, WorkingCalendar};
//!
//! let calendar = WorkingCalendar::vietnam_with_shipped_overrides()?;
//! let received = NaiveDate::from_ymd_opt(2025, 12, 31).and_then(|d| d.and_hms_opt(9, 0, 0));
//! # let received = received.ok_or("bad date")?;
//! // 1/1/2026 is a holiday and Friday 2/1/2026 was swapped off: due Monday 5/1 at 09:00.
//! let due = calendar.due_at(received, ProcessingTime::WorkingDays { days: 1 });
//! assert_eq!(due.to_string(), "2026-01-05 09:00:00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Precedence for a date, highest first: a working day from the overrides; a day off from the
//! overrides; a statutory holiday not removed by the overrides; Saturday and Sunday are days off;
//! any other day is a working day.

pub mod deadlines;
pub mod holidays;
pub mod lunar;
pub mod overrides;

pub use deadlines::ProcessingTime;
pub use holidays::{Holiday, HolidayKind};
pub use lunar::LunarDate;
pub use overrides::CalendarOverrides;

use chrono::{Datelike, NaiveDate, NaiveTime, TimeDelta, Weekday};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Errors of the calendar module: reading or validating an overrides file, or bad working hours.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The overrides file could not be read.
    #[error(
        "cannot read calendar overrides file {path}: {source}; check that the file exists and is readable"
    )]
    ReadOverrides {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The overrides file is not valid JSON or does not have the expected shape.
    #[error(
        "{path}:{line}:{column}: invalid calendar overrides file: {message}; fix the JSON at that position"
    )]
    OverridesSyntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the JSON parser reported.
        message: String,
    },
    /// The overrides file parses but contradicts itself (date outside its year, duplicates, ...).
    #[error("{path}:{line}:{column}: invalid calendar override: {reason}")]
    InvalidOverride {
        /// The file.
        path: PathBuf,
        /// 1-based line of the offending date (1 when it cannot be located).
        line: usize,
        /// 1-based column of the offending date.
        column: usize,
        /// What is wrong and what to do.
        reason: String,
    },
    /// Working periods that are empty, reversed or overlapping.
    #[error("invalid working hours: {reason}")]
    InvalidWorkingHours {
        /// What is wrong.
        reason: String,
    },
}

/// One continuous working period within a day, e.g. 07:00–11:30.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WorkPeriod {
    /// First working instant.
    pub start: NaiveTime,
    /// End of the period (exclusive).
    pub end: NaiveTime,
}

/// The working periods of every working day; their total length is one working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingHours {
    periods: Vec<WorkPeriod>,
}

impl WorkingHours {
    /// Validates periods: at least one, each non-empty, in order and not overlapping.
    pub fn new(periods: Vec<WorkPeriod>) -> Result<Self, CalendarError> {
        if periods.is_empty() {
            return Err(CalendarError::InvalidWorkingHours {
                reason: "no working period given".into(),
            });
        }
        for (i, period) in periods.iter().enumerate() {
            if period.start >= period.end {
                let reason = format!(
                    "period {}–{} ends before it starts",
                    period.start, period.end
                );
                return Err(CalendarError::InvalidWorkingHours { reason });
            }
            if let Some(next) = periods.get(i + 1).filter(|next| next.start < period.end) {
                let reason = format!(
                    "period {}–{} overlaps or precedes {}–{}",
                    next.start, next.end, period.start, period.end
                );
                return Err(CalendarError::InvalidWorkingHours { reason });
            }
        }
        Ok(Self { periods })
    }

    /// 07:00–11:30 and 13:30–17:00: 8 hours, the hours of the national portal's reference system.
    pub fn vietnam_default() -> Self {
        let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        Self {
            periods: vec![
                WorkPeriod {
                    start: hm(7, 0),
                    end: hm(11, 30),
                },
                WorkPeriod {
                    start: hm(13, 30),
                    end: hm(17, 0),
                },
            ],
        }
    }

    /// The periods, in order.
    pub fn periods(&self) -> &[WorkPeriod] {
        &self.periods
    }

    /// Length of one working day (480 minutes with the default hours).
    pub fn day_length(&self) -> TimeDelta {
        self.periods.iter().map(|p| p.end - p.start).sum()
    }

    /// End of the last period (17:00 by default).
    pub fn closing_time(&self) -> NaiveTime {
        self.periods.last().map_or(NaiveTime::MIN, |p| p.end)
    }
}

/// Working days and hours of a Vietnamese state agency. Cheap to clone; `Send + Sync`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    hours: WorkingHours,
    days_off: BTreeMap<NaiveDate, String>,
    working_days: BTreeSet<NaiveDate>,
    removed_holidays: BTreeSet<NaiveDate>,
}

impl Default for WorkingCalendar {
    /// Same as [`WorkingCalendar::vietnam`]: statutory rules, default hours, no yearly decisions.
    fn default() -> Self {
        Self::vietnam()
    }
}

impl WorkingCalendar {
    /// The statutory rules of Labour Code 2019 art. 112 with default hours, without yearly decisions.
    pub fn vietnam() -> Self {
        Self {
            hours: WorkingHours::vietnam_default(),
            days_off: BTreeMap::new(),
            working_days: BTreeSet::new(),
            removed_holidays: BTreeSet::new(),
        }
    }

    /// [`vietnam`](Self::vietnam) with the decisions shipped in `data/calendar/vn-overrides.json`.
    pub fn vietnam_with_shipped_overrides() -> Result<Self, CalendarError> {
        Ok(Self::vietnam().with_overrides(CalendarOverrides::shipped()?))
    }

    /// Adds yearly decisions. Applied in order, so for a date listed by several calls the last wins.
    pub fn with_overrides(mut self, overrides: CalendarOverrides) -> Self {
        for year in overrides.years {
            for day in year.days_off {
                self.working_days.remove(&day.date);
                self.removed_holidays.remove(&day.date);
                self.days_off.insert(day.date, day.name);
            }
            for day in year.working_days {
                self.days_off.remove(&day.date);
                self.working_days.insert(day.date);
            }
            for day in year.removed_holidays {
                self.days_off.remove(&day.date);
                self.removed_holidays.insert(day.date);
            }
        }
        self
    }

    /// Replaces the working hours.
    pub fn with_hours(mut self, hours: WorkingHours) -> Self {
        self.hours = hours;
        self
    }

    /// Reads and validates an overrides JSON file (format in [`overrides`]); errors name the file,
    /// line and column.
    pub fn load_overrides(path: &Path) -> Result<CalendarOverrides, CalendarError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| CalendarError::ReadOverrides {
                path: path.to_path_buf(),
                source,
            })?;
        CalendarOverrides::parse(&text, path)
    }

    /// The working hours in use.
    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// True when the agency works on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.working_days.contains(&date) {
            return true;
        }
        if self.holiday(date).is_some() {
            return false;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The holiday on `date` (Vietnamese name), after overrides. A statutory holiday on a weekend is
    /// still reported; a date the overrides declare a working day never is.
    pub fn holiday(&self, date: NaiveDate) -> Option<Holiday> {
        if self.working_days.contains(&date) {
            return None;
        }
        if let Some(name) = self.days_off.get(&date) {
            return Some(Holiday {
                name: name.clone(),
                kind: HolidayKind::Decreed,
            });
        }
        if self.removed_holidays.contains(&date) {
            return None;
        }
        holidays::statutory_holiday(date)
    }

    /// The first working day strictly after `date` (saturates at chrono's last date).
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while let Some(next) = day.succ_opt() {
            day = next;
            if self.is_working_day(day) {
                return day;
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn default_hours_make_an_eight_hour_day() {
        let hours = WorkingHours::vietnam_default();
        assert_eq!(hours.day_length(), TimeDelta::minutes(480));
        assert_eq!(hours.closing_time(), hm(17, 0));
    }

    #[test]
    fn overlapping_or_reversed_periods_are_rejected() {
        let overlapping = vec![
            WorkPeriod {
                start: hm(7, 0),
                end: hm(12, 0),
            },
            WorkPeriod {
                start: hm(11, 0),
                end: hm(17, 0),
            },
        ];
        assert!(matches!(
            WorkingHours::new(overlapping),
            Err(CalendarError::InvalidWorkingHours { .. })
        ));
        let reversed = vec![WorkPeriod {
            start: hm(17, 0),
            end: hm(7, 0),
        }];
        assert!(WorkingHours::new(reversed).is_err());
        assert!(WorkingHours::new(Vec::new()).is_err());
    }

    #[test]
    fn calendar_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<WorkingCalendar>();
    }
}
