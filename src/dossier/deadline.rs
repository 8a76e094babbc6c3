//! Deadline traffic lights: how much working time a dossier has left and which colour the counter shows.
//!
//! Rules (issue 8; national portal sync reference, "Deadlines"): time is counted in working minutes of the
//! [`WorkingCalendar`] (weekends, Tết and the other holidays do not count); time spent in status 5
//! (Yêu cầu bổ sung giấy tờ, [`Status::SupplementRequested`]) does not count against the office, so it moves
//! the due time later by the working time paused; the clock stops when the dossier leaves the office's
//! hands (finished, returned, withdrawn, stopped or not accepted), and the colour then tells whether it
//! was finished in time.
//!
//! Colours, checked in this order at the evaluation instant (now, or when the clock stopped):
//! red — overdue (more working time used than allowed); orange — due today; yellow — due within the
//! warning window (default 1 working day); green — on track.
//!
//! This is pure: the caller passes the status changes (the store derives them from the audit trail's
//! `dossier.status` entries, see `report::deadlines`).

use chrono::NaiveDateTime;
use serde::Serialize;

use super::Status;
use crate::calendar::WorkingCalendar;

/// The traffic light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineColour {
    Green,
    Yellow,
    Orange,
    Red,
}

impl DeadlineColour {
    /// The Vietnamese label the counter uses.
    pub fn label_vi(self) -> &'static str {
        match self {
            DeadlineColour::Green => "xanh",
            DeadlineColour::Yellow => "vàng",
            DeadlineColour::Orange => "cam",
            DeadlineColour::Red => "đỏ",
        }
    }
}

/// A status change of a dossier, local Vietnam time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub at: NaiveDateTime,
    pub to: Status,
}

/// Where a dossier stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeadlineState {
    pub colour: DeadlineColour,
    /// Working minutes left (negative: overdue by that much) at `evaluated_at`.
    pub remaining_minutes: i64,
    /// Working minutes spent in status 5 (not counted).
    pub paused_minutes: i64,
    /// The due time moved later by the paused time.
    pub effective_due: NaiveDateTime,
    /// Now, or when the clock stopped.
    pub evaluated_at: NaiveDateTime,
    /// The dossier left the office's hands (9, 10, 3, 7, 8): the colour is final.
    pub stopped: bool,
    /// Currently waiting for supplementary documents.
    pub paused: bool,
}

/// The two calendar questions the rules ask. [`WorkingCalendar`] answers them directly; a report over
/// many dossiers uses a precomputed table of working days (`report::clock`) that gives the same answers.
pub trait WorkingClock {
    /// Working minutes from `from` to `to` (negative when `to` is earlier), truncated toward zero.
    fn working_minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64;
    /// The instant `minutes` working minutes after `start` (`start` itself for 0 or less).
    fn add_working_minutes(&self, start: NaiveDateTime, minutes: i64) -> NaiveDateTime;
}

impl WorkingClock for WorkingCalendar {
    fn working_minutes_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        WorkingCalendar::working_minutes_between(self, from, to)
    }
    fn add_working_minutes(&self, start: NaiveDateTime, minutes: i64) -> NaiveDateTime {
        WorkingCalendar::add_working_minutes(self, start, minutes)
    }
}

/// States in which the office's clock has stopped for good.
fn stops_clock(status: Status) -> bool {
    matches!(
        status,
        Status::Processed
            | Status::Returned
            | Status::Withdrawn
            | Status::Stopped
            | Status::NotAccepted
    )
}

/// The deadline state of a dossier received at `received_at`, due at `due_at` (as appointed, before
/// pauses), with its `changes` (any order), evaluated at `now`. `warning_minutes` is the yellow window.
pub fn deadline(
    calendar: &impl WorkingClock,
    received_at: NaiveDateTime,
    due_at: NaiveDateTime,
    changes: &[StatusChange],
    now: NaiveDateTime,
    warning_minutes: i64,
) -> DeadlineState {
    // Usually recorded in time order already: sort a copy only when not.
    let sorted;
    let changes = if changes.is_sorted_by_key(|c| c.at) {
        changes
    } else {
        let mut copy = changes.to_vec();
        copy.sort_by_key(|c| c.at);
        sorted = copy;
        &sorted[..]
    };
    let stop = changes
        .iter()
        .find(|c| stops_clock(c.to) && c.at <= now)
        .map(|c| c.at);
    let end = stop.unwrap_or(now).max(received_at);

    // Working minutes in status 5, clipped to [received_at, end].
    let mut paused_minutes = 0;
    let mut paused_since: Option<NaiveDateTime> = None;
    for change in changes.iter().filter(|c| c.at <= end) {
        match (paused_since, change.to == Status::SupplementRequested) {
            (None, true) => paused_since = Some(change.at.max(received_at)),
            (Some(since), false) => {
                paused_minutes += calendar.working_minutes_between(since, change.at).max(0);
                paused_since = None;
            }
            _ => {}
        }
    }
    let paused = paused_since.is_some();
    if let Some(since) = paused_since {
        paused_minutes += calendar.working_minutes_between(since, end).max(0);
    }

    let budget = calendar.working_minutes_between(received_at, due_at);
    let used = calendar.working_minutes_between(received_at, end) - paused_minutes;
    let remaining_minutes = budget - used;
    let effective_due = calendar.add_working_minutes(due_at, paused_minutes);
    let colour = if remaining_minutes < 0 {
        DeadlineColour::Red
    } else if effective_due.date() <= end.date() {
        DeadlineColour::Orange
    } else if remaining_minutes <= warning_minutes {
        DeadlineColour::Yellow
    } else {
        DeadlineColour::Green
    };
    DeadlineState {
        colour,
        remaining_minutes,
        paused_minutes,
        effective_due,
        evaluated_at: end,
        stopped: stop.is_some(),
        paused,
    }
}

/// "2 ngày 3 giờ 15 phút" of working time (8-hour days), with "quá hạn" when negative.
pub fn remaining_vi(minutes: i64, day_minutes: i64) -> String {
    let late = minutes < 0;
    let m = minutes.abs();
    let day = day_minutes.max(1);
    let (d, h, mi) = (m / day, (m % day) / 60, m % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} ngày"));
    }
    if h > 0 {
        parts.push(format!("{h} giờ"));
    }
    if mi > 0 || parts.is_empty() {
        parts.push(format!("{mi} phút"));
    }
    let text = parts.join(" ");
    if late {
        format!("quá hạn {text}")
    } else {
        text
    }
}
