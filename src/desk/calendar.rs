//! The office's own calendar decisions, edited on the Cài đặt screen.
//!
//! The statutory holidays are computed and the government's yearly decisions ship with the build
//! (`data/calendar/vn-overrides.json`), but a province or a commune also decides days of its own: a
//! local holiday, a Saturday worked to make up for a bridge day. Those live in the data folder's
//! [`OFFICE_CALENDAR_FILE`], in the same format as the shipped file, so an office can also receive
//! one prepared by the province. Each edit rewrites that file atomically, is audited, and installs
//! a new calendar at once: due dates computed from then on, and the traffic lights, use it. Due
//! dates already printed on appointment slips are not recomputed — the slip is what the citizen
//! was promised.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::settings::SettingError;
use super::{Desk, DeskError, OFFICE_CALENDAR_FILE};
use crate::calendar::overrides::{DayOff, WorkingDayOverride, YearOverrides};
use crate::calendar::{CalendarOverrides, WorkingCalendar};

/// One decision of the office's own calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OfficeDay {
    /// A weekday the office does not work, with its Vietnamese name ("Nghỉ lễ địa phương").
    DayOff {
        /// The day.
        date: NaiveDate,
        /// Shown to clerks wherever the day appears.
        name: String,
    },
    /// A Saturday or Sunday the office works, and why ("Làm bù cho thứ Sáu 02/01").
    WorkingDay {
        /// The day.
        date: NaiveDate,
        /// Shown beside the day.
        reason: String,
    },
}

impl OfficeDay {
    /// The date the decision is about.
    pub fn date(&self) -> NaiveDate {
        match self {
            OfficeDay::DayOff { date, .. } | OfficeDay::WorkingDay { date, .. } => *date,
        }
    }
}

/// The statutory calendar with the shipped decisions, plus the office's file in `data_dir` when
/// there is one.
pub(super) fn office_calendar(data_dir: &Path) -> Result<WorkingCalendar, DeskError> {
    let calendar = WorkingCalendar::vietnam_with_shipped_overrides()?;
    let office_file = data_dir.join(OFFICE_CALENDAR_FILE);
    Ok(if office_file.exists() {
        calendar.with_overrides(WorkingCalendar::load_overrides(&office_file)?)
    } else {
        calendar
    })
}

fn refused(reason: impl Into<String>) -> DeskError {
    SettingError::Invalid(vec![("calendar".into(), reason.into())]).into()
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Desk {
    fn office_calendar_file(&self) -> std::path::PathBuf {
        self.data_dir().join(OFFICE_CALENDAR_FILE)
    }

    fn read_office_overrides(&self) -> Result<CalendarOverrides, DeskError> {
        let path = self.office_calendar_file();
        if path.exists() {
            Ok(WorkingCalendar::load_overrides(&path)?)
        } else {
            Ok(CalendarOverrides::default())
        }
    }

    /// The office's own days, by date. Removed statutory holidays (only the government moves
    /// those) are kept in the file but not listed here.
    pub fn office_days(&self) -> Result<Vec<OfficeDay>, DeskError> {
        let overrides = self.read_office_overrides()?;
        let mut days: Vec<OfficeDay> = overrides
            .years
            .iter()
            .flat_map(|year| {
                let off = year.days_off.iter().map(|d| OfficeDay::DayOff {
                    date: d.date,
                    name: d.name.clone(),
                });
                let on = year.working_days.iter().map(|d| OfficeDay::WorkingDay {
                    date: d.date,
                    reason: d.reason.clone(),
                });
                off.chain(on).collect::<Vec<_>>()
            })
            .collect();
        days.sort_by_key(OfficeDay::date);
        Ok(days)
    }

    /// Adds `day` to the office's calendar, replacing any decision of the office for the same
    /// date. Refused: a day off on a weekend or on a day that is already a holiday, a working day
    /// that is not a weekend day or holiday, an empty name.
    pub fn set_office_day(&self, day: OfficeDay, actor: &str) -> Result<Vec<OfficeDay>, DeskError> {
        let mut guard = self
            .calendar
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut overrides = self.read_office_overrides()?;
        let date = day.date();
        remove_date(&mut overrides, date);
        // Judge the day against the calendar without the office's earlier decision for it.
        let base = office_calendar_without(&overrides)?;
        let year = year_entry(&mut overrides, date.year());
        match &day {
            OfficeDay::DayOff { name, .. } => {
                if name.trim().is_empty() {
                    return Err(refused("cần nhập tên ngày nghỉ"));
                }
                if !base.is_working_day(date) {
                    return Err(refused(format!(
                        "ngày {} vốn đã là ngày nghỉ",
                        date.format("%d/%m/%Y")
                    )));
                }
                year.days_off.push(DayOff {
                    date,
                    name: name.trim().to_owned(),
                });
            }
            OfficeDay::WorkingDay { reason, .. } => {
                if base.is_working_day(date) {
                    return Err(refused(format!(
                        "ngày {} vốn đã là ngày làm việc",
                        date.format("%d/%m/%Y")
                    )));
                }
                if !is_weekend(date) && base.holiday(date).is_some() {
                    return Err(refused(format!(
                        "ngày {} là ngày lễ theo luật; chỉ làm bù vào thứ Bảy hoặc Chủ nhật",
                        date.format("%d/%m/%Y")
                    )));
                }
                year.working_days.push(WorkingDayOverride {
                    date,
                    reason: reason.trim().to_owned(),
                });
            }
        }
        let calendar = self.save_office_overrides(&overrides)?;
        self.with_store(|s| {
            s.audit_note(
                actor,
                "calendar.set",
                &format!("calendar:{date}"),
                &serde_json::to_value(&day).unwrap_or_default(),
            )
        })?;
        *guard = std::sync::Arc::new(calendar);
        drop(guard);
        self.office_days()
    }

    /// Removes the office's decision for `date`; the statutory rules and the shipped decisions
    /// apply to it again.
    pub fn remove_office_day(
        &self,
        date: NaiveDate,
        actor: &str,
    ) -> Result<Vec<OfficeDay>, DeskError> {
        let mut guard = self
            .calendar
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut overrides = self.read_office_overrides()?;
        if !remove_date(&mut overrides, date) {
            return Err(refused(format!(
                "lịch của cơ quan không có quyết định nào cho ngày {}",
                date.format("%d/%m/%Y")
            )));
        }
        let calendar = self.save_office_overrides(&overrides)?;
        self.with_store(|s| {
            s.audit_note(
                actor,
                "calendar.remove",
                &format!("calendar:{date}"),
                &serde_json::json!({ "date": date }),
            )
        })?;
        *guard = std::sync::Arc::new(calendar);
        drop(guard);
        self.office_days()
    }

    /// Checks the edited overrides the way a hand-made file is checked, writes them atomically and
    /// returns the calendar they make.
    fn save_office_overrides(
        &self,
        overrides: &CalendarOverrides,
    ) -> Result<WorkingCalendar, DeskError> {
        let path = self.office_calendar_file();
        let json = serde_json::to_string_pretty(overrides).map_err(|e| refused(e.to_string()))?;
        let checked = CalendarOverrides::parse(&json, &path)?;
        crate::atomic::write_file_atomic(&path, json.as_bytes())
            .map_err(|source| SettingError::Write { path, source })?;
        Ok(WorkingCalendar::vietnam_with_shipped_overrides()?.with_overrides(checked))
    }
}

/// The calendar the office's `overrides` make (shipped decisions first).
fn office_calendar_without(overrides: &CalendarOverrides) -> Result<WorkingCalendar, DeskError> {
    Ok(WorkingCalendar::vietnam_with_shipped_overrides()?.with_overrides(overrides.clone()))
}

/// Removes the office's day off or working day on `date`; true when there was one.
fn remove_date(overrides: &mut CalendarOverrides, date: NaiveDate) -> bool {
    let mut removed = false;
    for year in overrides.years.iter_mut().filter(|y| y.year == date.year()) {
        let before = year.days_off.len() + year.working_days.len();
        year.days_off.retain(|d| d.date != date);
        year.working_days.retain(|d| d.date != date);
        removed |= year.days_off.len() + year.working_days.len() != before;
    }
    overrides.years.retain(|y| {
        !(y.days_off.is_empty()
            && y.working_days.is_empty()
            && y.removed_holidays.is_empty()
            && y.sources.is_empty()
            && y.note.is_empty())
    });
    removed
}

/// The entry for `year`, created when missing (years kept in order).
fn year_entry(overrides: &mut CalendarOverrides, year: i32) -> &mut YearOverrides {
    let index = match overrides.years.iter().position(|y| y.year == year) {
        Some(index) => index,
        None => {
            overrides.years.push(YearOverrides {
                year,
                ..YearOverrides::default()
            });
            overrides.years.sort_by_key(|y| y.year);
            overrides
                .years
                .iter()
                .position(|y| y.year == year)
                .unwrap_or(0)
        }
    };
    &mut overrides.years[index]
}
