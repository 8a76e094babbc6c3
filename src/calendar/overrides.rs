//! Per-year government decisions that change the statutory calendar, read from a JSON file.
//!
//! Every year the Prime Minister approves (and the Ministry of Home Affairs announces) how civil
//! servants take the holidays: compensatory days when a holiday falls on a weekend, a weekday off
//! swapped with a working Saturday, and which five days make up Tết. These cannot be computed, so
//! they live in `data/calendar/vn-overrides.json` and can be updated without a new build.
//!
//! File format (unknown fields are rejected so that typos do not pass silently):
//! ```json
//! { "note": "free text",
//!   "years": [
//!     { "year": 2025, "note": "free text", "sources": ["decision number / URL"],
//!       "days_off":         [{ "date": "2025-05-02", "name": "Nghỉ lễ 30/4–1/5 (hoán đổi)" }],
//!       "working_days":     [{ "date": "2025-04-26", "reason": "Làm bù cho thứ Sáu 02/5/2025" }],
//!       "removed_holidays": [{ "date": "2025-02-01", "reason": "Tết 2025 nghỉ 27–31/01" }] } ] }
//! ```
//! Each date must lie in its entry's year and appear at most once in that year.

use super::CalendarError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

/// The shipped decisions for 2025–2026 (`data/calendar/vn-overrides.json`), embedded at build time.
pub const SHIPPED_OVERRIDES_JSON: &str = include_str!("../../data/calendar/vn-overrides.json");
/// Name under which errors in the embedded file are reported.
pub const SHIPPED_OVERRIDES_PATH: &str = "data/calendar/vn-overrides.json";

/// All yearly decisions from one overrides file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarOverrides {
    /// Free text: provenance, what is uncertain.
    #[serde(default)]
    pub note: String,
    /// One entry per calendar year.
    #[serde(default)]
    pub years: Vec<YearOverrides>,
}

/// The decisions for one Gregorian year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearOverrides {
    /// The Gregorian year all dates below belong to.
    pub year: i32,
    /// Free text, e.g. which parts could not be verified.
    #[serde(default)]
    pub note: String,
    /// Decision numbers or announcements the entries come from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Weekdays off in addition to the statutory rules (compensatory or swapped days).
    #[serde(default)]
    pub days_off: Vec<DayOff>,
    /// Weekend days that are working days (Saturdays worked in exchange for a swapped weekday).
    #[serde(default)]
    pub working_days: Vec<WorkingDayOverride>,
    /// Dates the statutory base rule marks as holidays but the decision moved elsewhere.
    #[serde(default)]
    pub removed_holidays: Vec<RemovedHoliday>,
}

/// An extra day off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayOff {
    /// The day off.
    pub date: NaiveDate,
    /// Vietnamese name shown to users, e.g. "Nghỉ bù Giỗ Tổ Hùng Vương".
    pub name: String,
}

/// A weekend day declared a working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingDayOverride {
    /// The working day.
    pub date: NaiveDate,
    /// Why, e.g. "Làm bù cho thứ Sáu 02/01/2026".
    #[serde(default)]
    pub reason: String,
}

/// A statutory holiday date cancelled for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovedHoliday {
    /// The date that is not a holiday after all.
    pub date: NaiveDate,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

impl CalendarOverrides {
    /// Parses and validates overrides JSON; `origin` names the file in error messages.
    pub fn parse(json: &str, origin: &Path) -> Result<Self, CalendarError> {
        let overrides: Self =
            serde_json::from_str(json).map_err(|e| CalendarError::OverridesSyntax {
                path: origin.to_path_buf(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        overrides.validate(json, origin)?;
        Ok(overrides)
    }

    /// The decisions shipped with the crate (see [`SHIPPED_OVERRIDES_JSON`]).
    pub fn shipped() -> Result<Self, CalendarError> {
        Self::parse(SHIPPED_OVERRIDES_JSON, Path::new(SHIPPED_OVERRIDES_PATH))
    }

    /// Checks the rules serde cannot express; `json` is the source text, used to locate the
    /// offending date by line and column.
    fn validate(&self, json: &str, origin: &Path) -> Result<(), CalendarError> {
        let invalid = |date: Option<NaiveDate>, occurrence: usize, reason: String| {
            let (line, column) = date
                .and_then(|d| locate(json, &format!("\"{d}\""), occurrence))
                .unwrap_or((1, 1));
            CalendarError::InvalidOverride {
                path: origin.to_path_buf(),
                line,
                column,
                reason,
            }
        };
        let mut years = BTreeSet::new();
        for entry in &self.years {
            if !years.insert(entry.year) {
                return Err(invalid(
                    None,
                    0,
                    format!("year {} is listed twice; merge the two entries", entry.year),
                ));
            }
            let dates = entry
                .days_off
                .iter()
                .map(|d| (d.date, "days_off"))
                .chain(entry.working_days.iter().map(|d| (d.date, "working_days")))
                .chain(
                    entry
                        .removed_holidays
                        .iter()
                        .map(|d| (d.date, "removed_holidays")),
                );
            let mut seen = BTreeSet::new();
            for (date, list) in dates {
                if date.year() != entry.year {
                    let reason = format!(
                        "{list} date {date} is not in year {}; move it to the entry for {}",
                        entry.year,
                        date.year()
                    );
                    return Err(invalid(Some(date), 0, reason));
                }
                if !seen.insert(date) {
                    let reason = format!(
                        "date {date} appears more than once in year {}; keep one entry",
                        entry.year
                    );
                    return Err(invalid(Some(date), 1, reason));
                }
            }
            if let Some(day) = entry.days_off.iter().find(|d| d.name.trim().is_empty()) {
                let reason = format!(
                    "day off {} has an empty name; give its Vietnamese name",
                    day.date
                );
                return Err(invalid(Some(day.date), 0, reason));
            }
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of the `occurrence`-th (0-based) match of `needle`.
fn locate(text: &str, needle: &str, occurrence: usize) -> Option<(usize, usize)> {
    let offset = text.match_indices(needle).nth(occurrence)?.0;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((line, text[line_start..offset].chars().count() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_reports_one_based_line_and_column() {
        let text = "{\n  \"a\": \"x\",\n  \"b\": \"x\"\n}";
        assert_eq!(locate(text, "\"x\"", 0), Some((2, 8)));
        assert_eq!(locate(text, "\"x\"", 1), Some((3, 8)));
        assert_eq!(locate(text, "\"y\"", 0), None);
    }

    #[test]
    fn shipped_overrides_parse() {
        let shipped = CalendarOverrides::shipped().unwrap();
        let years: Vec<i32> = shipped.years.iter().map(|y| y.year).collect();
        assert_eq!(years, vec![2025, 2026]);
    }

    #[test]
    fn a_date_outside_its_year_is_rejected_with_its_position() {
        let json = "{\"years\": [{\"year\": 2025,\n \"days_off\": [{\"date\": \"2026-01-02\", \"name\": \"x\"}]}]}";
        let err = CalendarOverrides::parse(json, Path::new("o.json")).unwrap_err();
        match err {
            CalendarError::InvalidOverride { line, column, .. } => {
                assert_eq!((line, column), (2, 24))
            }
            other => panic!("unexpected error {other:?}"),
        }
    }
}
