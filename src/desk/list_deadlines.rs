//! The deadline of every dossier for the Hồ sơ list (issue 8, "Deadlines": traffic light and remaining
//! working time per dossier, sortable). One scan of `dossiers` through [`Store::scan_report_rows`] — the same
//! scan the period report uses, reading migration 3's `status_changes` and `reappointed_due` columns — so
//! no dossier's audit trail is replayed; the verdicts use the same rules
//! ([`crate::dossier::deadline::deadline`]) over a [`DayTable`] around `now`, like `report::stats`.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveDateTime};

use super::{Desk, DeskError};
use crate::dossier::deadline::{DeadlineState, deadline};
use crate::report::clock::DayTable;
use crate::store::parse_deadline_changes_into;

impl Desk {
    /// The deadline state at `now` (local Vietnam time) of every stored dossier, by dossier code.
    pub fn dossier_deadlines(
        &self,
        now: NaiveDateTime,
    ) -> Result<HashMap<String, DeadlineState>, DeskError> {
        let warning = self.warning_minutes()?;
        // A table a year and a half either side of today; older or longer dossiers ask the calendar.
        let today = now.date();
        let first = today.checked_sub_days(Days::new(550)).unwrap_or(today);
        let last = today.checked_add_days(Days::new(550)).unwrap_or(today);
        let calendar = self.calendar();
        let table = DayTable::new(&calendar, first, last);
        let mut out = HashMap::new();
        let mut changes = Vec::new();
        let all = (
            NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN),
            NaiveDate::from_ymd_opt(9998, 12, 31).unwrap_or(NaiveDate::MAX),
        );
        self.with_store(|s| {
            s.scan_report_rows(all.0, all.1, |row| {
                parse_deadline_changes_into(row.status_changes, &mut changes);
                let state = deadline(
                    &table,
                    row.received_at,
                    row.reappointed_due.unwrap_or(row.due_at),
                    &changes,
                    now,
                    warning,
                );
                out.insert(row.code.to_owned(), state);
            })
        })?;
        Ok(out)
    }
}
