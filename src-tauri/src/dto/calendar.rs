//! Wire shapes of the Cài đặt screen's working-calendar panel: the office's own days (a day off
//! or a make-up working day, with the text clerks see) and the year's holidays for reference.

use motcua::OfficeDay;
use serde::{Deserialize, Serialize};

/// One of the office's decisions; `kind` is `day_off` or `working_day`, `date` is `YYYY-MM-DD`,
/// `label` the day-off name or the make-up day's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfficeDayDto {
    pub kind: String,
    pub date: String,
    pub label: String,
}

impl From<&OfficeDay> for OfficeDayDto {
    fn from(day: &OfficeDay) -> Self {
        let (kind, label) = match day {
            OfficeDay::DayOff { name, .. } => ("day_off", name),
            OfficeDay::WorkingDay { reason, .. } => ("working_day", reason),
        };
        OfficeDayDto {
            kind: kind.into(),
            date: day.date().format("%Y-%m-%d").to_string(),
            label: label.clone(),
        }
    }
}

impl OfficeDayDto {
    /// The core's decision, or the Vietnamese reason the form is wrong.
    pub fn to_office_day(&self) -> Result<OfficeDay, String> {
        let date = chrono::NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
            .map_err(|_| format!("ngày {:?} không hợp lệ (cần dạng YYYY-MM-DD)", self.date))?;
        match self.kind.as_str() {
            "day_off" => Ok(OfficeDay::DayOff {
                date,
                name: self.label.clone(),
            }),
            "working_day" => Ok(OfficeDay::WorkingDay {
                date,
                reason: self.label.clone(),
            }),
            other => Err(format!("loại ngày {other:?} không có")),
        }
    }
}

/// A non-working weekday of the year in the calendar in force (statutory, decreed, or the office's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct YearHolidayDto {
    pub date: String,
    pub name: String,
}
