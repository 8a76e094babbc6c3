//! `Desk` calls of the Báo cáo screen beyond [`Desk::report`]: the period's trend for the bar chart
//! (the same report taken over consecutive days, weeks or months of the period, so every bar means what
//! the table means) and the CSV / XLSX export. Figures come only from `crate::report`.

use super::{Desk, DeskError};
use crate::report::{Report, write_csv, write_xlsx};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::path::Path;

/// Most bars in the trend chart; longer periods are grouped by week, then by month.
pub const MAX_BARS: i64 = 31;

/// One bar of the trend: dossiers received in `from..=to`, and how those finished or stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub received: u64,
    /// Finished early or on time.
    pub on_time: u64,
    /// Finished late or still in process past the due time.
    pub late: u64,
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

/// The buckets of the trend for a period: days (up to [`MAX_BARS`] days), weeks (up to that many
/// weeks), else calendar months.
pub fn trend_buckets(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let days = (to - from).num_days() + 1;
    let step = if days <= MAX_BARS {
        Some(1)
    } else if days <= MAX_BARS * 7 {
        Some(7)
    } else {
        None
    };
    let mut buckets = Vec::new();
    let mut start = from;
    while start <= to {
        let end = match step {
            Some(n) => start + Duration::days(n - 1),
            None => {
                let (y, m) = if start.month() == 12 {
                    (start.year() + 1, 1)
                } else {
                    (start.year(), start.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).map_or(to, |next| next - Duration::days(1))
            }
        }
        .min(to);
        buckets.push((start, end));
        start = end + Duration::days(1);
    }
    buckets
}

impl Desk {
    /// The trend of the period, one point per bucket of [`trend_buckets`].
    pub fn report_trend(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Vec<TrendPoint>, DeskError> {
        trend_buckets(from, to)
            .into_iter()
            .map(|(start, end)| {
                let t = self.report(start, end, now)?.total;
                Ok(TrendPoint {
                    from: start,
                    to: end,
                    received: t.received,
                    on_time: t.finished_early + t.finished_on_time,
                    late: t.finished_late + t.in_process_late,
                })
            })
            .collect()
    }

    /// Writes `report` to `path` as CSV or XLSX (atomically, by `crate::report::export`).
    pub fn export_report(
        &self,
        report: &Report,
        format: ExportFormat,
        path: &Path,
    ) -> Result<(), DeskError> {
        match format {
            ExportFormat::Csv => write_csv(report, path)?,
            ExportFormat::Xlsx => write_xlsx(report, path)?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn buckets_cover_the_period_exactly_once() {
        for (from, to, count) in [
            (d(2026, 11, 1), d(2026, 11, 30), 30),
            (d(2026, 1, 1), d(2026, 3, 31), 13),
            (d(2025, 12, 15), d(2026, 11, 27), 12),
        ] {
            let buckets = trend_buckets(from, to);
            assert_eq!(buckets.len(), count, "{from}..{to}");
            assert_eq!(buckets[0].0, from);
            assert_eq!(buckets.last().unwrap().1, to);
            for pair in buckets.windows(2) {
                assert_eq!(pair[0].1 + Duration::days(1), pair[1].0);
            }
        }
    }
}
