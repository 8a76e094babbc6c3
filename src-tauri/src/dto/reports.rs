//! Wire shapes of the Báo cáo screen: the period report of `motcua report` (headers and figures in the
//! order of `motcua::report::HEADERS`, so new columns from the core appear without UI changes) and the
//! trend bars.

use motcua::TrendPoint;
use motcua::report::{HEADERS, Report};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRowDto {
    pub code: String,
    pub name: String,
    pub values: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrendPointDto {
    /// `yyyy-mm-dd`.
    pub from: String,
    pub to: String,
    pub received: u64,
    pub on_time: u64,
    pub late: u64,
}

impl From<&TrendPoint> for TrendPointDto {
    fn from(p: &TrendPoint) -> Self {
        TrendPointDto {
            from: p.from.to_string(),
            to: p.to.to_string(),
            received: p.received,
            on_time: p.on_time,
            late: p.late,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportDto {
    pub from: String,
    pub to: String,
    /// Local Vietnam time, `yyyy-mm-ddTHH:MM:SS`.
    pub evaluated_at: String,
    /// The office the figures are for (agency code and name).
    pub agency_code: String,
    pub agency_name: String,
    /// Vietnamese column headers of the figures.
    pub headers: Vec<&'static str>,
    pub total: Vec<u64>,
    pub by_procedure: Vec<ReportRowDto>,
    pub trend: Vec<TrendPointDto>,
}

impl ReportDto {
    pub fn new(report: &Report, trend: &[TrendPoint], agency: (String, String)) -> Self {
        ReportDto {
            from: report.from.to_string(),
            to: report.to.to_string(),
            evaluated_at: report.evaluated_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            agency_code: agency.0,
            agency_name: agency.1,
            headers: HEADERS.to_vec(),
            total: report.total.values().to_vec(),
            by_procedure: report
                .by_procedure
                .iter()
                .map(|p| ReportRowDto {
                    code: p.code.clone(),
                    name: p.name.clone(),
                    values: p.counts.values().to_vec(),
                })
                .collect(),
            trend: trend.iter().map(TrendPointDto::from).collect(),
        }
    }
}
