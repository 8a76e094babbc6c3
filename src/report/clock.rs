//! A precomputed table of working days for a date range, so a report over many dossiers does not ask the
//! calendar (and its lunar holiday arithmetic) about the same days again for every dossier.
//!
//! It answers [`WorkingClock::working_minutes_between`] with prefix sums of whole working days plus the two
//! partial days, and [`WorkingClock::add_working_minutes`] by walking the table's flags, using the
//! calendar's own working periods; dates outside the table ask the calendar itself. A test compares
//! both with the calendar's answers over Tết.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::calendar::WorkingCalendar;
use crate::dossier::deadline::WorkingClock;

/// Working-day flags and prefix sums over `[first, first + len)`.
pub struct DayTable<'c> {
    calendar: &'c WorkingCalendar,
    first: NaiveDate,
    /// `prefix[i]` = working days among the first `i` days of the table.
    prefix: Vec<i64>,
    working: Vec<bool>,
}

impl<'c> DayTable<'c> {
    /// A table for the days from `first` to `last` inclusive (empty when `last < first`).
    pub fn new(calendar: &'c WorkingCalendar, first: NaiveDate, last: NaiveDate) -> Self {
        let mut working = Vec::new();
        let mut prefix = vec![0];
        let mut day = first;
        while day <= last {
            let w = calendar.is_working_day(day);
            working.push(w);
            prefix.push(prefix.last().copied().unwrap_or(0) + i64::from(w));
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        Self {
            calendar,
            first,
            prefix,
            working,
        }
    }

    fn index(&self, day: NaiveDate) -> Option<usize> {
        let i = usize::try_from((day - self.first).num_days()).ok()?;
        (i < self.working.len()).then_some(i)
    }

    /// Working time on `day` between the times `from` and `to`, if `day` is in the table.
    fn within_day(&self, day: usize, from: NaiveTime, to: NaiveTime) -> TimeDelta {
        if !self.working[day] {
            return TimeDelta::zero();
        }
        self.calendar
            .hours()
            .periods()
            .iter()
            .map(|p| {
                let (start, end) = (p.start.max(from), p.end.min(to));
                if end > start {
                    end - start
                } else {
                    TimeDelta::zero()
                }
            })
            .sum()
    }
}

impl WorkingClock for DayTable<'_> {
    fn working_minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        if to < from {
            return -self.working_minutes_between(to, from);
        }
        let (Some(a), Some(b)) = (self.index(from.date()), self.index(to.date())) else {
            return self.calendar.working_minutes_between(from, to);
        };
        let end_of_day =
            NaiveTime::from_hms_nano_opt(23, 59, 59, 1_999_999_999).unwrap_or(NaiveTime::MIN);
        let total = if a == b {
            self.within_day(a, from.time(), to.time())
        } else {
            let whole_days = self.prefix[b] - self.prefix[a + 1];
            self.within_day(a, from.time(), end_of_day)
                + self.calendar.hours().day_length() * i32::try_from(whole_days).unwrap_or(0)
                + self.within_day(b, NaiveTime::MIN, to.time())
        };
        total.num_minutes()
    }

    /// The calendar's rule (an instant landing on the end of a period keeps that end) walked over the
    /// table's flags; leaves the table → asks the calendar from that day on.
    fn add_working_minutes(&self, start: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        if minutes <= 0 {
            return start;
        }
        let mut remaining = TimeDelta::minutes(minutes);
        let mut cursor = start;
        loop {
            let day = cursor.date();
            let working = match self.index(day) {
                Some(i) => self.working[i],
                None => self.calendar.is_working_day(day),
            };
            if working {
                for period in self.calendar.hours().periods() {
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
                Some(next) => cursor = next.and_time(NaiveTime::MIN),
                None => return NaiveDateTime::MAX,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_agrees_with_the_calendar_over_tet_2026() {
        let calendar = WorkingCalendar::vietnam_with_shipped_overrides().unwrap();
        let first = NaiveDate::from_ymd_opt(2026, 1, 25).unwrap();
        let table = DayTable::new(
            &calendar,
            first,
            NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
        );
        let times = [
            (6, 30, 0),
            (9, 15, 30),
            (11, 30, 0),
            (12, 0, 0),
            (15, 45, 59),
            (17, 0, 0),
            (22, 0, 0),
        ];
        let mut checked = 0;
        for d1 in (0..40).step_by(3) {
            for d2 in (d1..45).step_by(4) {
                for &(h1, m1, s1) in &times {
                    for &(h2, m2, s2) in &times {
                        let from = (first + TimeDelta::days(d1))
                            .and_hms_opt(h1, m1, s1)
                            .unwrap();
                        let to = (first + TimeDelta::days(d2))
                            .and_hms_opt(h2, m2, s2)
                            .unwrap();
                        assert_eq!(
                            WorkingClock::working_minutes_between(&table, from, to),
                            calendar.working_minutes_between(from, to),
                            "{from} → {to}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000);
        for d in 0..40 {
            for &(h, m, sec) in &times {
                let start = (first + TimeDelta::days(d)).and_hms_opt(h, m, sec).unwrap();
                for minutes in [0, 1, 135, 270, 480, 481, 1320, 5000, 40_000] {
                    assert_eq!(
                        WorkingClock::add_working_minutes(&table, start, minutes),
                        calendar.add_working_minutes(start, minutes),
                        "{start} + {minutes}"
                    );
                }
            }
        }
    }
}
