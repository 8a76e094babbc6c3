//! The period report of `motcua report` (issue 8, "Reports"): dossiers received by channel, finished
//! early / on time / late, still in process on time / late, withdrawn or refused, apology slips issued —
//! for the office and per procedure.
//!
//! The period selects dossiers by the day they were received (`from` and `to` inclusive). Counting by
//! channel is a SQL `GROUP BY`; the deadline verdicts need the working-day calendar and the status-5 pauses,
//! so SQL fetches each dossier's facts and audit entries in two queries and the rules of
//! [`crate::dossier::deadline`] classify them, evaluated at the end of the period (or now, if earlier).
//! "Early" means finished on a day before the (pause-adjusted) due day.
//!
//! Not yet counted, because the schema has no column for them: fees and online payment, results returned by
//! post, digitisation rate, per clerk.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::Serialize;

use super::clock::DayTable;
use super::deadlines::history_from_audit;
use crate::dossier::Status;
use crate::dossier::deadline::deadline;
use crate::receipt::APOLOGY_ISSUED;
use crate::{Desk, DeskError};

/// The figures of one row (the office, or one procedure).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub received: u64,
    pub counter: u64,
    pub online: u64,
    pub postal: u64,
    pub finished_early: u64,
    pub finished_on_time: u64,
    pub finished_late: u64,
    pub in_process_on_time: u64,
    pub in_process_late: u64,
    /// Withdrawn (7), stopped (8) or not accepted (3).
    pub withdrawn_or_refused: u64,
    pub apologies: u64,
}

/// One procedure's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcedureCounts {
    pub code: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The instant the deadline verdicts were taken at.
    pub evaluated_at: NaiveDateTime,
    pub total: Counts,
    pub by_procedure: Vec<ProcedureCounts>,
}

/// Column headers of the exports, in Vietnamese, in the order of [`Counts::values`].
pub const HEADERS: [&str; 11] = [
    "Tiếp nhận",
    "Trực tiếp",
    "Trực tuyến",
    "Bưu chính",
    "Đã giải quyết trước hạn",
    "Đã giải quyết đúng hạn",
    "Đã giải quyết quá hạn",
    "Đang giải quyết trong hạn",
    "Đang giải quyết quá hạn",
    "Rút / dừng / không tiếp nhận",
    "Phiếu xin lỗi",
];

impl Counts {
    /// The figures in the order of [`HEADERS`].
    pub fn values(&self) -> [u64; 11] {
        [
            self.received,
            self.counter,
            self.online,
            self.postal,
            self.finished_early,
            self.finished_on_time,
            self.finished_late,
            self.in_process_on_time,
            self.in_process_late,
            self.withdrawn_or_refused,
            self.apologies,
        ]
    }
}

impl Desk {
    /// The report for dossiers received from `from` to `to` (inclusive), verdicts taken at the end of
    /// `to` or at `now`, whichever is earlier.
    pub fn report(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Report, DeskError> {
        let end_of_period = to.succ_opt().unwrap_or(to).and_time(NaiveTime::MIN);
        let evaluated_at = now.min(end_of_period);
        let (by_channel, (dossiers, trails)) = self.with_store(|s| {
            Ok::<_, crate::store::StoreError>((
                s.received_by_channel(from, to)?,
                s.report_dossiers(from, to)?,
            ))
        })?;
        let warning = self.warning_minutes()?;
        // One table of working days for the whole report, from the earliest receipt to the later of the
        // evaluation day and the latest due day.
        let first_day = dossiers
            .iter()
            .map(|d| d.received_at.date())
            .min()
            .unwrap_or(from);
        let last_day = dossiers
            .iter()
            .map(|d| d.due_at.date())
            .chain([evaluated_at.date()])
            .max()
            .unwrap_or(to);
        let table = DayTable::new(self.calendar(), first_day, last_day);
        let mut total = Counts::default();
        for (channel, count) in &by_channel {
            let count = u64::try_from(*count).unwrap_or(0);
            total.received += count;
            match channel.as_str() {
                "online" => total.online += count,
                "postal" => total.postal += count,
                _ => total.counter += count,
            }
        }
        let mut procedures: BTreeMap<String, ProcedureCounts> = BTreeMap::new();
        let empty = Vec::new();
        for d in &dossiers {
            let trail = trails.get(&d.code).unwrap_or(&empty);
            let history = history_from_audit(trail);
            let state = deadline(
                &table,
                d.received_at,
                history.reappointed_due.unwrap_or(d.due_at),
                &history.changes,
                evaluated_at,
                warning,
            );
            let row = procedures
                .entry(d.procedure_code.clone())
                .or_insert_with(|| ProcedureCounts {
                    code: d.procedure_code.clone(),
                    name: d.procedure_name.clone(),
                    counts: Counts::default(),
                });
            let c = &mut row.counts;
            c.received += 1;
            match d.channel.as_str() {
                "online" => c.online += 1,
                "postal" => c.postal += 1,
                _ => c.counter += 1,
            }
            let apologies = trail.iter().filter(|e| e.action == APOLOGY_ISSUED).count() as u64;
            c.apologies += apologies;
            total.apologies += apologies;
            // The status the clock stopped in, if it stopped within the period.
            let stopped_in = history
                .changes
                .iter()
                .filter(|ch| ch.at <= evaluated_at)
                .map(|ch| ch.to)
                .find(|s| {
                    matches!(
                        s,
                        Status::Processed
                            | Status::Returned
                            | Status::Withdrawn
                            | Status::Stopped
                            | Status::NotAccepted
                    )
                });
            let late = state.remaining_minutes < 0;
            let verdict = match stopped_in {
                Some(Status::Processed | Status::Returned) if late => &mut c.finished_late,
                Some(Status::Processed | Status::Returned)
                    if state.evaluated_at.date() < state.effective_due.date() =>
                {
                    &mut c.finished_early
                }
                Some(Status::Processed | Status::Returned) => &mut c.finished_on_time,
                Some(_) => &mut c.withdrawn_or_refused,
                None if late => &mut c.in_process_late,
                None => &mut c.in_process_on_time,
            };
            *verdict += 1;
        }
        for row in procedures.values() {
            let c = row.counts;
            total.finished_early += c.finished_early;
            total.finished_on_time += c.finished_on_time;
            total.finished_late += c.finished_late;
            total.in_process_on_time += c.in_process_on_time;
            total.in_process_late += c.in_process_late;
            total.withdrawn_or_refused += c.withdrawn_or_refused;
        }
        Ok(Report {
            from,
            to,
            evaluated_at: evaluated_at.with_nanosecond(0).unwrap_or(evaluated_at),
            total,
            by_procedure: procedures.into_values().collect(),
        })
    }
}
