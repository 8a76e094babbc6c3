//! The period report of `motcua report` and the Báo cáo screen (issue 8, "Reports"): dossiers received by
//! channel, finished early / on time / late, still in process on time / late, withdrawn or refused, apology
//! slips issued, payments (online payment rate), results returned by post, digitisation (every mandatory
//! document and the result) — for the office, per procedure and per clerk (the actor who received the
//! dossier at the counter).
//!
//! The period selects dossiers by the day they were received (`from` and `to` inclusive). One indexed range
//! scan of `dossiers` (`Store::scan_report_rows`) reads each dossier's columns — including migration 3's
//! `status_changes`, kept by a trigger in the transaction of every status change — so the audit log is not
//! replayed. The verdicts use the rules of [`crate::dossier::deadline`] over a [`DayTable`] of the period,
//! evaluated at the end of the period (or now, if earlier). "Early" means finished on a day before the
//! (pause-adjusted) due day. Periods of two months or more are scanned in two halves by two threads, the
//! second through its own read connection, and the halves' figures added.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::Serialize;

use super::clock::DayTable;
use crate::dossier::Status;
use crate::dossier::deadline::{StatusChange, WorkingClock, deadline};
use crate::store::{ReportRow, Store, StoreError, parse_deadline_changes_into};
use crate::{Desk, DeskError};

/// The figures of one row (the office, one procedure or one clerk).
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
    /// Dossiers with a payment recorded (any method but exempt).
    pub paid: u64,
    /// Of which paid online through the portal.
    pub paid_online: u64,
    /// Results handed to the post (bưu chính công ích).
    pub returned_by_post: u64,
    /// Dossiers whose every mandatory document and whose result are digitised.
    pub digitized: u64,
}

/// One procedure's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcedureCounts {
    pub code: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// One clerk's row: the dossiers they received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClerkCounts {
    pub clerk: String,
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
    /// By procedure code.
    pub by_procedure: Vec<ProcedureCounts>,
    /// By clerk name.
    pub by_clerk: Vec<ClerkCounts>,
}

/// Column headers of the exports, in Vietnamese, in the order of [`Counts::values`].
pub const HEADERS: [&str; 15] = [
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
    "Đã thanh toán phí, lệ phí",
    "Thanh toán trực tuyến",
    "Trả kết quả qua bưu chính",
    "Số hoá hồ sơ và kết quả",
];

/// Headers of the rates, in the order of [`Counts::rates`].
pub const RATE_HEADERS: [&str; 3] = [
    "Tỷ lệ trực tuyến (%)",
    "Tỷ lệ thanh toán trực tuyến (%)",
    "Tỷ lệ số hoá (%)",
];

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

impl Counts {
    /// The figures in the order of [`HEADERS`].
    pub fn values(&self) -> [u64; 15] {
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
            self.paid,
            self.paid_online,
            self.returned_by_post,
            self.digitized,
        ]
    }

    /// Dossiers finished (early, on time or late).
    pub fn finished(&self) -> u64 {
        self.finished_early + self.finished_on_time + self.finished_late
    }

    /// Percentages, one decimal, in the order of [`RATE_HEADERS`]: online dossiers of those received;
    /// online payments of those paid; fully digitised (documents and result) of those finished. `None`
    /// when there is nothing to divide by.
    pub fn rates(&self) -> [Option<f64>; 3] {
        [
            percent(self.online, self.received),
            percent(self.paid_online, self.paid),
            percent(self.digitized, self.finished()),
        ]
    }

    fn add(&mut self, o: &Counts) {
        self.received += o.received;
        self.counter += o.counter;
        self.online += o.online;
        self.postal += o.postal;
        self.finished_early += o.finished_early;
        self.finished_on_time += o.finished_on_time;
        self.finished_late += o.finished_late;
        self.in_process_on_time += o.in_process_on_time;
        self.in_process_late += o.in_process_late;
        self.withdrawn_or_refused += o.withdrawn_or_refused;
        self.apologies += o.apologies;
        self.paid += o.paid;
        self.paid_online += o.paid_online;
        self.returned_by_post += o.returned_by_post;
        self.digitized += o.digitized;
    }
}

/// Where a dossier stands at the evaluation instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    FinishedEarly,
    FinishedOnTime,
    FinishedLate,
    InProcessOnTime,
    InProcessLate,
    WithdrawnOrRefused,
}

/// The verdict of a dossier received at `received_at`, appointed for `due_at` (the latest Mẫu 04's new due
/// time if any), with its status `changes` in audit order, at `evaluated_at`.
pub fn verdict(
    clock: &impl WorkingClock,
    received_at: NaiveDateTime,
    due_at: NaiveDateTime,
    changes: &[StatusChange],
    evaluated_at: NaiveDateTime,
    warning_minutes: i64,
) -> Verdict {
    let state = deadline(
        clock,
        received_at,
        due_at,
        changes,
        evaluated_at,
        warning_minutes,
    );
    // The status the clock stopped in, if it stopped by the evaluation instant.
    let stopped_in = changes
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
    match stopped_in {
        Some(Status::Processed | Status::Returned) if late => Verdict::FinishedLate,
        Some(Status::Processed | Status::Returned)
            if state.evaluated_at.date() < state.effective_due.date() =>
        {
            Verdict::FinishedEarly
        }
        Some(Status::Processed | Status::Returned) => Verdict::FinishedOnTime,
        Some(_) => Verdict::WithdrawnOrRefused,
        None if late => Verdict::InProcessLate,
        None => Verdict::InProcessOnTime,
    }
}

/// The counts one dossier contributes.
fn counts_of(row: &ReportRow<'_>, verdict: Verdict) -> Counts {
    let mut c = Counts {
        received: 1,
        apologies: row.apologies,
        returned_by_post: u64::from(row.returned_by_post),
        digitized: u64::from(row.digitized),
        ..Counts::default()
    };
    match row.channel {
        "online" => c.online = 1,
        "postal" => c.postal = 1,
        _ => c.counter = 1,
    }
    match row.payment_method {
        Some("online") => (c.paid, c.paid_online) = (1, 1),
        Some("exempt") | None => {}
        Some(_) => c.paid = 1,
    }
    *match verdict {
        Verdict::FinishedEarly => &mut c.finished_early,
        Verdict::FinishedOnTime => &mut c.finished_on_time,
        Verdict::FinishedLate => &mut c.finished_late,
        Verdict::InProcessOnTime => &mut c.in_process_on_time,
        Verdict::InProcessLate => &mut c.in_process_late,
        Verdict::WithdrawnOrRefused => &mut c.withdrawn_or_refused,
    } += 1;
    c
}

fn bump(map: &mut HashMap<String, (String, Counts)>, key: &str, name: &str, c: &Counts) {
    match map.get_mut(key) {
        Some((_, counts)) => counts.add(c),
        None => {
            map.insert(key.to_owned(), (name.to_owned(), *c));
        }
    }
}

/// The figures of part of the period, as one thread gathers them.
#[derive(Default)]
struct Partial {
    total: Counts,
    procedures: HashMap<String, (String, Counts)>,
    clerks: HashMap<String, (String, Counts)>,
}

impl Partial {
    fn merge(&mut self, other: Partial) {
        self.total.add(&other.total);
        for (key, (name, c)) in other.procedures {
            bump(&mut self.procedures, &key, &name, &c);
        }
        for (key, (name, c)) in other.clerks {
            bump(&mut self.clerks, &key, &name, &c);
        }
    }
}

/// Scans the dossiers received from `from` to `to` in `store` and classifies each.
fn gather(
    store: &Store,
    (from, to): (NaiveDate, NaiveDate),
    table: &DayTable<'_>,
    evaluated_at: NaiveDateTime,
    warning: i64,
) -> Result<Partial, StoreError> {
    let mut part = Partial::default();
    let mut changes = Vec::new();
    store.scan_report_rows(from, to, |row| {
        parse_deadline_changes_into(row.status_changes, &mut changes);
        let v = verdict(
            table,
            row.received_at,
            row.reappointed_due.unwrap_or(row.due_at),
            &changes,
            evaluated_at,
            warning,
        );
        let c = counts_of(row, v);
        part.total.add(&c);
        bump(
            &mut part.procedures,
            row.procedure_code,
            row.procedure_name,
            &c,
        );
        bump(&mut part.clerks, row.clerk, row.clerk, &c);
    })?;
    Ok(part)
}

/// Periods at least this long are split in two halves scanned by two threads (the counter PCs have two
/// cores or more); shorter ones are not worth a second connection.
const SPLIT_DAYS: i64 = 62;

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
        let warning = self.warning_minutes()?;
        // One table of working days for the whole report; due dates beyond it (processing times of
        // months) fall back to the calendar itself. 400 days covers a year's longest procedures.
        let last_day = evaluated_at
            .date()
            .max(to)
            .checked_add_days(chrono::Days::new(400))
            .unwrap_or(to);
        let first_day = from.checked_sub_days(chrono::Days::new(1)).unwrap_or(from);
        let calendar = self.calendar();
        let table = DayTable::new(&calendar, first_day, last_day);
        let span = (to - from).num_days();
        let part = if span >= SPLIT_DAYS {
            // The second half through its own read connection (WAL lets readers run side by side).
            let middle = from + chrono::TimeDelta::days(span / 2);
            let second = (middle.succ_opt().unwrap_or(middle), to);
            let dir = self.data_dir();
            let (first, other) = std::thread::scope(|scope| {
                let table = &table;
                let other = scope.spawn(move || -> Result<Partial, StoreError> {
                    gather(&Store::open(&dir)?, second, table, evaluated_at, warning)
                });
                let first =
                    self.with_store(|s| gather(s, (from, middle), table, evaluated_at, warning));
                let other = other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (first, other)
            });
            let mut part = first?;
            part.merge(other?);
            part
        } else {
            self.with_store(|s| gather(s, (from, to), &table, evaluated_at, warning))?
        };
        let mut by_procedure: Vec<ProcedureCounts> = part
            .procedures
            .into_iter()
            .map(|(code, (name, counts))| ProcedureCounts { code, name, counts })
            .collect();
        by_procedure.sort_by(|a, b| a.code.cmp(&b.code));
        let mut by_clerk: Vec<ClerkCounts> = part
            .clerks
            .into_iter()
            .map(|(clerk, (_, counts))| ClerkCounts { clerk, counts })
            .collect();
        by_clerk.sort_by(|a, b| a.clerk.cmp(&b.clerk));
        Ok(Report {
            from,
            to,
            evaluated_at: evaluated_at.with_nanosecond(0).unwrap_or(evaluated_at),
            total: part.total,
            by_procedure,
            by_clerk,
        })
    }
}
