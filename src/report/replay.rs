//! The report as it was computed before migration 3: each dossier's status changes and re-appointments read
//! back from the audit log (`Store::report_dossiers`, a join of `audit_log` with `dossiers`) and replayed.
//! Kept as the reference the fast report is checked against — `tests/report_figures.rs` asserts both give
//! the same figures over a generated set of dossiers, and `make bench` times both on the same database.
//! It counts only what the audit log tells: received by channel, the deadline verdicts and the apology
//! slips (the payment, postal and digitisation figures and the per-clerk rows stay empty).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::clock::DayTable;
use super::deadlines::history_from_audit;
use super::stats::{Counts, ProcedureCounts, Report, Verdict, verdict};
use crate::receipt::APOLOGY_ISSUED;
use crate::{Desk, DeskError};

impl Desk {
    /// [`Desk::report`] by replaying the audit log per dossier (slow; the reference for tests and benches).
    pub fn report_by_replaying_audit(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Report, DeskError> {
        let end_of_period = to.succ_opt().unwrap_or(to).and_time(NaiveTime::MIN);
        let evaluated_at = now.min(end_of_period);
        let (dossiers, trails) = self.with_store(|s| s.report_dossiers(from, to))?;
        let warning = self.warning_minutes()?;
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
        let calendar = self.calendar();
        let table = DayTable::new(&calendar, first_day, last_day);
        let mut procedures: BTreeMap<String, ProcedureCounts> = BTreeMap::new();
        let mut total = Counts::default();
        let empty = Vec::new();
        for d in &dossiers {
            let trail = trails.get(&d.code).unwrap_or(&empty);
            let history = history_from_audit(trail);
            let v = verdict(
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
            for c in [&mut row.counts, &mut total] {
                c.received += 1;
                match d.channel.as_str() {
                    "online" => c.online += 1,
                    "postal" => c.postal += 1,
                    _ => c.counter += 1,
                }
                c.apologies += trail.iter().filter(|e| e.action == APOLOGY_ISSUED).count() as u64;
                *match v {
                    Verdict::FinishedEarly => &mut c.finished_early,
                    Verdict::FinishedOnTime => &mut c.finished_on_time,
                    Verdict::FinishedLate => &mut c.finished_late,
                    Verdict::InProcessOnTime => &mut c.in_process_on_time,
                    Verdict::InProcessLate => &mut c.in_process_late,
                    Verdict::WithdrawnOrRefused => &mut c.withdrawn_or_refused,
                } += 1;
            }
        }
        Ok(Report {
            from,
            to,
            evaluated_at: evaluated_at.with_nanosecond(0).unwrap_or(evaluated_at),
            total,
            by_procedure: procedures.into_values().collect(),
            by_clerk: Vec::new(),
        })
    }
}
