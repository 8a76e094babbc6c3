//! Deadline states of stored dossiers: the adapter between the audit trail and the pure
//! [`crate::dossier::deadline`] rules.
//!
//! The status changes come from the audit trail's `dossier.status` entries (their `effective_at` when the
//! change was entered after the fact, else their UTC time converted to Vietnam time), so history recorded
//! before migration 3 counts too; migration 3's triggers keep the same list in `dossiers.status_changes`
//! for the reports. The latest `apology.issued` entry's `new_due` replaces the appointed due time,
//! since Mẫu 04 re-appoints the result.

use chrono::{DateTime, FixedOffset, NaiveDateTime};

use crate::dossier::deadline::{DeadlineState, StatusChange, deadline};
use crate::dossier::{Dossier, Status};
use crate::receipt::APOLOGY_ISSUED;
use crate::store::AuditEntry;
use crate::{Desk, DeskError};

/// Setting: the yellow window in working days (default 1).
pub const WARNING_DAYS: &str = "deadline.warning_days";

/// What the audit trail of one dossier says about its deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeadlineHistory {
    pub changes: Vec<StatusChange>,
    /// The new due time of the latest apology slip, if any.
    pub reappointed_due: Option<NaiveDateTime>,
}

fn local(at_utc: &str) -> Option<NaiveDateTime> {
    let offset = FixedOffset::east_opt(7 * 3600)?;
    DateTime::parse_from_rfc3339(at_utc)
        .ok()
        .map(|t| t.with_timezone(&offset).naive_local())
}

/// Reads the status changes and re-appointments out of a dossier's audit trail; entries that do not
/// parse are skipped (the audit chain check reports tampering separately).
pub fn history_from_audit(entries: &[AuditEntry]) -> DeadlineHistory {
    let mut history = DeadlineHistory::default();
    for entry in entries {
        let field = |name: &str| {
            entry
                .after
                .as_ref()
                .and_then(|a| a.get(name))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        if entry.action == "dossier.status" {
            let to = field("status").and_then(|s| Status::parse(&s));
            // A change entered after the fact carries the local time it took effect.
            let at = match field("effective_at") {
                Some(t) => NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S").ok(),
                None => local(&entry.at),
            };
            if let (Some(to), Some(at)) = (to, at) {
                history.changes.push(StatusChange { at, to });
            }
        } else if entry.action == APOLOGY_ISSUED
            && let Some(due) = field("new_due")
                .and_then(|d| NaiveDateTime::parse_from_str(&d, "%Y-%m-%d %H:%M:%S").ok())
        {
            history.reappointed_due = Some(due);
        }
    }
    history
}

impl Desk {
    /// The yellow window in working minutes (setting `deadline.warning_days`, default 1 working day).
    pub fn warning_minutes(&self) -> Result<i64, DeskError> {
        let days = self
            .setting(WARNING_DAYS)?
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(1);
        Ok(i64::from(days) * self.calendar().hours().day_length().num_minutes())
    }

    /// The deadline state of `dossier` at `now` (local Vietnam time).
    pub fn deadline_of(
        &self,
        dossier: &Dossier,
        now: NaiveDateTime,
    ) -> Result<DeadlineState, DeskError> {
        let trail = self.with_store(|s| s.audit_trail(&format!("dossier:{}", dossier.code)))?;
        let history = history_from_audit(&trail);
        Ok(deadline(
            self.calendar().as_ref(),
            dossier.received_at,
            history.reappointed_due.unwrap_or(dossier.due_at),
            &history.changes,
            now,
            self.warning_minutes()?,
        ))
    }
}
