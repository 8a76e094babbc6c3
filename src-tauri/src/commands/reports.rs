//! Commands of the Báo cáo screen (supervisors only): the period's figures and trend, and the CSV / XLSX
//! export written by the core. Dates arrive as `yyyy-mm-dd`.

use super::blocking;
use crate::dto::reports::ReportDto;
use crate::error::ErrorEnvelope;
use crate::state::DeskState;
use chrono::NaiveDate;
use motcua::user::Permission;
use motcua::{DeskError, ExportFormat, SettingError};
use tauri::State;

fn date(text: &str, key: &str) -> Result<NaiveDate, DeskError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        SettingError::Invalid(vec![(
            key.to_owned(),
            format!("{text:?} không phải ngày yyyy-mm-dd"),
        )])
        .into()
    })
}

fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), DeskError> {
    let (from, to) = (date(from, "from")?, date(to, "to")?);
    if to < from {
        return Err(SettingError::Invalid(vec![(
            "to".into(),
            "ngày kết thúc trước ngày bắt đầu".into(),
        )])
        .into());
    }
    Ok((from, to))
}

/// The report of dossiers received from `from` to `to` (inclusive), with the trend bars.
#[tauri::command]
pub async fn report_figures(
    state: State<'_, DeskState>,
    from: String,
    to: String,
) -> Result<ReportDto, ErrorEnvelope> {
    let (desk, _) = state.require(Permission::Reports)?;
    blocking(move || {
        let (from, to) = period(&from, &to)?;
        let now = motcua::vietnam_now();
        let report = desk.report(from, to, now)?;
        let trend = desk.report_trend(from, to, now)?;
        let agency = (
            desk.agency()?.as_str().to_owned(),
            desk.setting(motcua::receipt::AGENCY_NAME)?
                .unwrap_or_default(),
        );
        Ok(ReportDto::new(&report, &trend, agency))
    })
    .await
}

/// Writes the report to `path`; `format` is `csv` or `xlsx`.
#[tauri::command]
pub async fn export_report(
    state: State<'_, DeskState>,
    from: String,
    to: String,
    format: String,
    path: String,
) -> Result<String, ErrorEnvelope> {
    let (desk, _) = state.require(Permission::Reports)?;
    let format = match format.as_str() {
        "xlsx" => ExportFormat::Xlsx,
        _ => ExportFormat::Csv,
    };
    let target = path.clone();
    blocking(move || {
        let (from, to) = period(&from, &to)?;
        let report = desk.report(from, to, motcua::vietnam_now())?;
        desk.export_report(&report, format, std::path::Path::new(&target))
    })
    .await?;
    Ok(path)
}
