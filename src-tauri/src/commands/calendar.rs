//! Commands of the Cài đặt screen's working-calendar panel (supervisors only): list the office's own
//! days, add or replace one, remove one (each audited under the signed-in account and in force at
//! once), and the year's weekday holidays so the supervisor sees what is already off.

use super::blocking;
use crate::dto::calendar::{OfficeDayDto, YearHolidayDto};
use crate::error::ErrorEnvelope;
use crate::state::DeskState;
use chrono::{Datelike, NaiveDate, Weekday};
use motcua::ErrorCode;
use motcua::user::Permission;
use tauri::State;

fn invalid(message: String) -> ErrorEnvelope {
    ErrorEnvelope {
        code: ErrorCode::InvalidSetting.as_str(),
        message,
    }
}

fn answer(days: Vec<motcua::OfficeDay>) -> Vec<OfficeDayDto> {
    days.iter().map(OfficeDayDto::from).collect()
}

/// The office's own days, by date.
#[tauri::command]
pub async fn office_days(state: State<'_, DeskState>) -> Result<Vec<OfficeDayDto>, ErrorEnvelope> {
    let (desk, _) = state.require(Permission::Settings)?;
    blocking(move || desk.office_days()).await.map(answer)
}

/// Adds (or replaces, for the same date) one of the office's days; answers the new list.
#[tauri::command]
pub async fn set_office_day(
    state: State<'_, DeskState>,
    day: OfficeDayDto,
) -> Result<Vec<OfficeDayDto>, ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::Settings)?;
    let day = day.to_office_day().map_err(invalid)?;
    blocking(move || desk.set_office_day(day, &actor))
        .await
        .map(answer)
}

/// Removes the office's decision for `date` (`YYYY-MM-DD`); answers the new list.
#[tauri::command]
pub async fn remove_office_day(
    state: State<'_, DeskState>,
    date: String,
) -> Result<Vec<OfficeDayDto>, ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::Settings)?;
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(format!("ngày {date:?} không hợp lệ (cần dạng YYYY-MM-DD)")))?;
    blocking(move || desk.remove_office_day(date, &actor))
        .await
        .map(answer)
}

/// The weekdays of `year` on which the office does not work, with their names.
#[tauri::command]
pub async fn year_holidays(
    state: State<'_, DeskState>,
    year: i32,
) -> Result<Vec<YearHolidayDto>, ErrorEnvelope> {
    let (desk, _) = state.require(Permission::Settings)?;
    let calendar = desk.calendar();
    let first = NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| invalid(format!("năm {year} không hợp lệ")))?;
    Ok(first
        .iter_days()
        .take_while(|d| d.year() == year)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .filter_map(|d| {
            calendar.holiday(d).map(|h| YearHolidayDto {
                date: d.format("%Y-%m-%d").to_string(),
                name: h.name,
            })
        })
        .collect())
}
