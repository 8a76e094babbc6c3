//! Due dates and elapsed working time, counted in working minutes.
//!
//! Rules (national portal sync reference, "Deadlines"): 8 working hours make one working day; a
//! dossier received outside working hours counts from the start of the next working period (after
//! 17:00 → the next working morning, in the lunch break → 13:30); "same day" procedures are due at
//! the end of the working day of receipt, or at the end of the next working day when received after
//! their cutoff (usually 15:00).
//!
//! Choices made here, so that every caller gets the same answer:
//! - N working days are due at the moment N × (length of a working day) working minutes have
//!   elapsed from the effective start. When that lands exactly on the end of a period the end is
//!   kept: 1 day from 13:30 is due at 11:30 next working day, not 13:30.
//! - 0 working days are due at the effective start.
//! - A "same day" dossier received before opening counts as received at opening (same day); one
//!   received in the lunch break counts as received at 13:30, so it is same-day when 13:30 is not
//!   after the cutoff. A receipt exactly at the cutoff is not "after" it.
//! - Date arithmetic saturates at chrono's last representable date instead of panicking.

use super::WorkingCalendar;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

/// How long a procedure takes, from the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProcessingTime {
    /// N working days (8 working hours each).
    WorkingDays {
        /// Number of working days.
        days: u32,
    },
    /// Finished the same working day; received after `cutoff` (e.g. 15:00) → by the end of the next working day.
    SameDay {
        /// Latest receipt time that is still handled the same day.
        cutoff: NaiveTime,
    },
}

impl ProcessingTime {
    /// The usual cutoff for same-day procedures (15:00).
    pub const DEFAULT_SAME_DAY_CUTOFF: NaiveTime = match NaiveTime::from_hms_opt(15, 0, 0) {
        Some(t) => t,
        None => NaiveTime::MIN,
    };

    /// "Same day; next working day if received after 15:00".
    pub fn same_day() -> Self {
        Self::SameDay {
            cutoff: Self::DEFAULT_SAME_DAY_CUTOFF,
        }
    }
}

impl WorkingCalendar {
    /// When a dossier received at `received_at` with processing time `time` is due.
    pub fn due_at(&self, received_at: NaiveDateTime, time: ProcessingTime) -> NaiveDateTime {
        match time {
            ProcessingTime::WorkingDays { days } => {
                let budget = self.hours.day_length() * i32::try_from(days).unwrap_or(i32::MAX);
                self.add_working_time(received_at, budget)
            }
            ProcessingTime::SameDay { cutoff } => {
                let day = received_at.date();
                let closing = day.and_time(self.hours.closing_time());
                if self.is_working_day(day) && received_at.time() <= cutoff && received_at < closing
                {
                    closing
                } else {
                    self.closing_of(self.next_working_day(day))
                }
            }
        }
    }

    /// The moment counting starts for something received at `received_at`: that moment if it lies
    /// within a working period, otherwise the start of the next working period.
    pub fn effective_start(&self, received_at: NaiveDateTime) -> NaiveDateTime {
        self.add_working_time(received_at, TimeDelta::zero())
    }

    /// Working minutes from `from` to `to` (negative when `to` is earlier); partial minutes are
    /// truncated toward zero. Used for the "time left / overdue by" traffic lights.
    pub fn working_minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        if to < from {
            return -self.working_minutes_between(to, from);
        }
        let mut total = TimeDelta::zero();
        let mut day = from.date();
        loop {
            if self.is_working_day(day) {
                for period in &self.hours.periods {
                    let start = day.and_time(period.start).max(from);
                    let end = day.and_time(period.end).min(to);
                    if end > start {
                        total += end - start;
                    }
                }
            }
            match day.succ_opt() {
                Some(next) if next <= to.date() => day = next,
                _ => break,
            }
        }
        total.num_minutes()
    }

    /// The instant at which `minutes` working minutes have elapsed after `start` (0 or less: `start`
    /// itself, even outside working hours). Used to move a due date by the time paused in status 5.
    pub fn add_working_minutes(&self, start: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        if minutes <= 0 {
            return start;
        }
        self.add_working_time(start, TimeDelta::minutes(minutes))
    }

    /// The instant at which `budget` working time has elapsed after `start`.
    fn add_working_time(&self, start: NaiveDateTime, budget: TimeDelta) -> NaiveDateTime {
        let mut remaining = budget;
        let mut cursor = start;
        let mut day = start.date();
        loop {
            if self.is_working_day(day) {
                for period in &self.hours.periods {
                    let period_end = day.and_time(period.end);
                    if cursor >= period_end {
                        continue;
                    }
                    let from = cursor.max(day.and_time(period.start));
                    let available = period_end - from;
                    if remaining <= available {
                        return from + remaining;
                    }
                    remaining -= available;
                    cursor = period_end;
                }
            }
            match day.succ_opt() {
                Some(next) => {
                    day = next;
                    cursor = next.and_time(NaiveTime::MIN);
                }
                None => return NaiveDateTime::MAX,
            }
        }
    }

    fn closing_of(&self, day: NaiveDate) -> NaiveDateTime {
        day.and_time(self.hours.closing_time())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn effective_start_moves_out_of_lunch_and_evening() {
        let cal = WorkingCalendar::vietnam();
        // Tuesday 4 Nov 2025.
        assert_eq!(
            cal.effective_start(at(2025, 11, 4, 12, 0)),
            at(2025, 11, 4, 13, 30)
        );
        assert_eq!(
            cal.effective_start(at(2025, 11, 4, 18, 0)),
            at(2025, 11, 5, 7, 0)
        );
        assert_eq!(
            cal.effective_start(at(2025, 11, 4, 9, 15)),
            at(2025, 11, 4, 9, 15)
        );
    }

    #[test]
    fn seconds_are_preserved() {
        let cal = WorkingCalendar::vietnam();
        let received = at(2025, 11, 4, 8, 0) + TimeDelta::seconds(30);
        let due = cal.due_at(received, ProcessingTime::WorkingDays { days: 1 });
        assert_eq!(due, at(2025, 11, 5, 8, 0) + TimeDelta::seconds(30));
    }

    #[test]
    fn processing_time_json_shape() {
        let json = serde_json::to_string(&ProcessingTime::same_day()).unwrap();
        assert_eq!(json, r#"{"kind":"same_day","cutoff":"15:00:00"}"#);
        let back: ProcessingTime =
            serde_json::from_str(r#"{"kind":"working_days","days":7}"#).unwrap();
        assert_eq!(back, ProcessingTime::WorkingDays { days: 7 });
    }
}
