//! The apology-slip prompt (issue 8, Mẫu 04): which dossiers need a "Phiếu xin lỗi và hẹn lại ngày trả kết
//! quả" now. The counter must hand it over at least one working day before the original due date, and
//! [`crate::receipt::ApologySlip`] refuses to date it after that date; so a dossier is listed when its clock
//! runs (not finished, withdrawn, stopped or refused, and not waiting in status 5), no slip was issued yet,
//! the original due time has not passed, and at most the warning window (`deadline.warning_days`, default one
//! working day) of working time is left. Issuing the slip (`Desk::issue_apology`) records it in the
//! dossier's timeline, which takes the dossier off this list.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::{Desk, DeskError};
use crate::dossier::deadline::{DeadlineColour, deadline};
use crate::report::history_from_audit;

/// A dossier that needs Mẫu 04 now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApologyCandidate {
    pub code: String,
    pub applicant_name: String,
    pub procedure_name: String,
    /// The appointed due time printed on Mẫu 01 (the slip must be dated before it).
    pub due_at: NaiveDateTime,
    /// The due time moved later by the status-5 pauses.
    pub effective_due: NaiveDateTime,
    /// Working minutes left at `now`.
    pub remaining_minutes: i64,
    pub colour: DeadlineColour,
}

impl Desk {
    /// Dossiers that need an apology slip at `now` (local Vietnam time), least time left first.
    pub fn apology_candidates(
        &self,
        now: NaiveDateTime,
    ) -> Result<Vec<ApologyCandidate>, DeskError> {
        let warning = self.warning_minutes()?;
        let codes = self.store().open_dossier_codes()?;
        let mut out = Vec::new();
        for code in codes {
            let (dossier, trail) = {
                let store = self.store();
                (
                    store.dossier(&code)?,
                    store.audit_trail(&format!("dossier:{code}"))?,
                )
            };
            if now > dossier.due_at || dossier.received_at > now {
                continue;
            }
            let history = history_from_audit(&trail);
            if history.reappointed_due.is_some() {
                continue;
            }
            let state = deadline(
                self.calendar().as_ref(),
                dossier.received_at,
                dossier.due_at,
                &history.changes,
                now,
                warning,
            );
            if state.stopped || state.paused || state.remaining_minutes > warning {
                continue;
            }
            out.push(ApologyCandidate {
                code: dossier.code,
                applicant_name: dossier.applicant.full_name,
                procedure_name: dossier.procedure_name,
                due_at: dossier.due_at,
                effective_due: state.effective_due,
                remaining_minutes: state.remaining_minutes,
                colour: state.colour,
            });
        }
        out.sort_by(|a, b| (a.remaining_minutes, &a.code).cmp(&(b.remaining_minutes, &b.code)));
        Ok(out)
    }
}
