//! What the portal says about submitted dossiers (`portal_dossiers`, migration 2): receipt, national status,
//! reason, result PDF, and the walk of a local dossier to the status the portal's change feed reports
//! (with the payment status it may carry, `portal_payment.rs`).
//!
//! The feed may skip states (a dossier changed twice between polls appears once), so the local dossier moves
//! along the shortest chain of legal [`Status::transition`] steps, each one audited, in the same transaction
//! that stores the feed cursor.

use super::portal_payment::PortalPaymentReport;
use super::{Store, StoreError, utc_now};
use crate::dossier::Status;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use std::collections::HashMap;

/// What the portal last said about a submitted dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalDossier {
    pub code: String,
    pub receipt: String,
    pub national_status: u8,
    pub reason: Option<String>,
    pub revision: i64,
    pub result_sha256: Option<String>,
}

impl Store {
    /// What the portal last said about a dossier, if it was submitted.
    pub fn portal_dossier(&self, code: &str) -> Result<Option<PortalDossier>, StoreError> {
        self.conn
            .query_row(
                "SELECT code, receipt, national_status, reason, revision, result_sha256
                 FROM portal_dossiers WHERE code = ?1",
                [code],
                |r| {
                    Ok(PortalDossier {
                        code: r.get(0)?,
                        receipt: r.get(1)?,
                        national_status: r.get(2)?,
                        reason: r.get(3)?,
                        revision: r.get(4)?,
                        result_sha256: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Applies one entry of the portal's change feed: the dossier walks to the reported national status
    /// through legal transitions (the feed may skip intermediate states), each step audited; the payment
    /// status, when the entry reports one, goes to the dossier's payment by the rules of
    /// `store/portal_payment.rs`; `cursor` is stored in the settings in the same transaction, so a crash
    /// never skips or replays a change.
    pub fn apply_portal_status(
        &mut self,
        update: &PortalDossier,
        payment: Option<&PortalPaymentReport>,
        cursor_key: &str,
        cursor: i64,
        actor: &str,
    ) -> Result<(), StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| super::sql_err(&path, e);
        let known: Option<String> = tx
            .query_row(
                "SELECT status FROM dossiers WHERE code = ?1",
                [&update.code],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?;
        if known.is_some() {
            tx.execute(
                "INSERT INTO portal_dossiers (code, receipt, national_status, reason, revision, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO UPDATE SET
                    receipt = ?2, national_status = ?3, reason = ?4, revision = ?5, updated_at = ?6",
                params![
                    update.code,
                    update.receipt,
                    update.national_status,
                    update.reason,
                    update.revision,
                    utc_now()
                ],
            )
            .map_err(sql)?;
            if let Some(target) = Status::from_national_code(update.national_status) {
                match move_status(&tx, &update.code, target, actor, update.reason.as_deref()) {
                    // The local lifecycle cannot follow (e.g. a final local state): keep the portal's word in
                    // portal_dossiers and the audit log, and let the feed go on.
                    Err(StoreError::Transition(e)) => {
                        super::audit::append(
                            &tx,
                            actor,
                            "sync.status_conflict",
                            &format!("dossier:{}", update.code),
                            None,
                            Some(&serde_json::json!({ "portal_status": update.national_status, "error": e.to_string() })),
                        )
                        .map_err(sql)?;
                    }
                    other => other?,
                }
            }
            if let Some(report) = payment {
                super::portal_payment::apply_in(&tx, &update.code, report, actor).map_err(sql)?;
            }
        }
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            params![cursor_key, cursor.to_string()],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Records the downloaded result PDF (already in the blob store) of a dossier.
    pub fn set_result_pdf(
        &mut self,
        code: &str,
        sha256: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let path = self.db_path();
        let sql = |e| super::sql_err(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "UPDATE portal_dossiers SET result_sha256 = ?2, result_error = NULL WHERE code = ?1",
            params![code, sha256],
        )
        .map_err(sql)?;
        // The dossier's own record of its result, which the digitisation rate counts.
        super::settlement::set_result_in(
            &tx,
            code,
            sha256,
            crate::dossier::settlement::ResultSource::Portal,
            crate::desk::vietnam_now(),
        )
        .map_err(sql)?;
        super::audit::append(
            &tx,
            actor,
            "dossier.result",
            &format!("dossier:{code}"),
            None,
            Some(&serde_json::json!({ "result_sha256": sha256 })),
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Records why a dossier's result PDF could not be downloaded (the portal's answer, a full disk): kept
    /// until a later poll downloads it, shown beside the dossier's job; one attempt more is counted.
    pub fn record_result_failure(&mut self, code: &str, reason: &str) -> Result<(), StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| super::sql_err(&path, e);
        tx.execute(
            "UPDATE portal_dossiers SET result_error = ?2, result_attempts = result_attempts + 1,
                result_failed_at = ?3 WHERE code = ?1",
            params![code, reason, utc_now()],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Why the last download of a dossier's result failed and how many attempts failed, if it is still
    /// not downloaded.
    pub fn result_failure(&self, code: &str) -> Result<Option<(String, u32)>, StoreError> {
        self.conn
            .query_row(
                "SELECT result_error, result_attempts FROM portal_dossiers
                 WHERE code = ?1 AND result_error IS NOT NULL AND result_sha256 IS NULL",
                [code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Submitted dossiers whose result the portal announced but which is not downloaded yet.
    pub fn results_to_download(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT code FROM portal_dossiers WHERE national_status = 10 AND result_sha256 IS NULL
                 ORDER BY code",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| r.get(0))
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))
    }
}

/// Moves `code` to `target` inside `tx`, through the shortest chain of legal transitions (each one decided by
/// [`Status::transition`] and audited). Already there: nothing. No legal path: a transition error.
pub(super) fn move_status(
    tx: &Transaction<'_>,
    code: &str,
    target: Status,
    actor: &str,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    let (_, from) = super::dossiers::current_status(tx, code)?;
    if from == target {
        return Ok(());
    }
    let steps =
        shortest_path(from, target).ok_or(crate::dossier::TransitionError { from, to: target })?;
    let mut at = from;
    for next in steps {
        super::dossiers::write_status(tx, code, at, next, actor, &[("reason", reason.into())])?;
        at = next;
    }
    Ok(())
}

/// Breadth-first search over [`Status::transition`]: the states to pass through, `to` last.
fn shortest_path(from: Status, to: Status) -> Option<Vec<Status>> {
    let mut previous: HashMap<Status, Status> = HashMap::new();
    let mut frontier = std::collections::VecDeque::from([from]);
    while let Some(at) = frontier.pop_front() {
        if at == to {
            let mut path = vec![to];
            let mut cursor = to;
            while let Some(&p) = previous.get(&cursor) {
                if p == from {
                    break;
                }
                path.push(p);
                cursor = p;
            }
            path.reverse();
            return Some(path);
        }
        for next in Status::ALL {
            if next != from && !previous.contains_key(&next) && at.transition(next).is_ok() {
                previous.insert(next, at);
                frontier.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_may_skip_states_but_path_is_legal() {
        assert_eq!(
            shortest_path(Status::Received, Status::Returned),
            Some(vec![
                Status::Processing,
                Status::Processed,
                Status::Returned
            ])
        );
        assert_eq!(
            shortest_path(Status::Queued, Status::Received),
            Some(vec![Status::Received])
        );
        assert_eq!(shortest_path(Status::Returned, Status::Processing), None);
    }
}
