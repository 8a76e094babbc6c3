//! The portal's payment status applied to a dossier (issue 8: "the portal's payment status, when it reports
//! one, updates it"; `docs/portal-api.md` § Payment). It runs inside the transaction of
//! [`Store::apply_portal_status`], so the dossier's payment, its audit entry and the feed cursor commit
//! together.
//!
//! Rules:
//! - `paid`: the dossier's payment becomes method online with the portal's receipt number and time, audited
//!   as `dossier.payment` with `source: portal` (which is how the detail panel and [`payment_via_portal`]
//!   tell it from the clerk's). A payment the clerk recorded at the counter is **never overwritten** by a
//!   different receipt: the clerk's stays, and the portal's report is kept in the audit log as
//!   `sync.payment_conflict` for the supervisor to settle. The same receipt already recorded changes nothing.
//! - `refunded` or `unpaid`: a payment the portal had set is cleared (audited); a clerk's payment stays,
//!   except that a refund of the very receipt the clerk recorded clears it too (it was that payment).
//!   A refund that does not match the clerk's receipt is a `sync.payment_conflict`.
//! - A payment object that cannot be read is kept in the audit log as `sync.payment_unreadable`; the
//!   status change it came with still applies.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::json;

use super::{DATE_TIME, Store, StoreError};

/// Where the portal says a dossier's online payment stands (`payment.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalPaymentState {
    Unpaid,
    Paid,
    Refunded,
}

impl PortalPaymentState {
    /// The portal's name (`unpaid`, `paid`, `refunded`).
    pub fn as_str(self) -> &'static str {
        match self {
            PortalPaymentState::Unpaid => "unpaid",
            PortalPaymentState::Paid => "paid",
            PortalPaymentState::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<PortalPaymentState> {
        [
            PortalPaymentState::Unpaid,
            PortalPaymentState::Paid,
            PortalPaymentState::Refunded,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// The payment part of one change-feed entry, read and checked (local Vietnam times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalPayment {
    pub state: PortalPaymentState,
    /// The payment receipt (biên lai điện tử) or transaction number; always present when paid.
    pub receipt_no: Option<String>,
    pub paid_at: Option<NaiveDateTime>,
    pub refunded_at: Option<NaiveDateTime>,
    pub amount_vnd: Option<u64>,
}

/// What a feed entry said about payment: a readable payment, or why it could not be read.
pub type PortalPaymentReport = Result<PortalPayment, String>;

fn time_text(t: Option<NaiveDateTime>) -> Option<String> {
    t.map(|t| t.format(DATE_TIME).to_string())
}

/// The portal's report as audit details.
fn details(p: &PortalPayment) -> serde_json::Value {
    json!({
        "status": p.state.as_str(),
        "receipt_no": p.receipt_no,
        "paid_at": time_text(p.paid_at),
        "refunded_at": time_text(p.refunded_at),
        "amount_vnd": p.amount_vnd,
    })
}

/// Whether the dossier's current payment was set by the portal: its latest `dossier.payment` entry says
/// `source: portal`.
pub(super) fn payment_via_portal(
    conn: &rusqlite::Connection,
    code: &str,
) -> rusqlite::Result<bool> {
    let source: Option<Option<String>> = conn
        .prepare_cached(
            "SELECT json_extract(after, '$.source') FROM audit_log
             WHERE entity = ?1 AND action = 'dossier.payment' ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([format!("dossier:{code}")], |r| r.get(0))
        .optional()?;
    Ok(source.flatten().as_deref() == Some("portal"))
}

/// Applies `report` to dossier `code` inside `tx` (see the module's rules), with its audit entry.
pub(super) fn apply_in(
    tx: &Transaction<'_>,
    code: &str,
    report: &PortalPaymentReport,
    actor: &str,
) -> rusqlite::Result<()> {
    let entity = format!("dossier:{code}");
    let audit = |action: &str, after: serde_json::Value| {
        super::audit::append(tx, actor, action, &entity, None, Some(&after))
    };
    let portal = match report {
        Ok(p) => p,
        Err(reason) => return audit("sync.payment_unreadable", json!({ "reason": reason })),
    };
    let current: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT payment_method, payment_receipt FROM dossiers WHERE code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((method, receipt)) = current else {
        return Ok(());
    };
    let ours = method.is_some() && payment_via_portal(tx, code)?;
    let same_receipt = receipt.is_some() && receipt == portal.receipt_no;
    let conflict = |method: &str| {
        audit(
            "sync.payment_conflict",
            json!({
                "kept": { "method": method, "receipt_no": receipt },
                "portal": details(portal),
            }),
        )
    };
    match (portal.state, method.as_deref()) {
        (PortalPaymentState::Paid, _) => {
            let (Some(receipt_no), Some(paid_at)) = (&portal.receipt_no, portal.paid_at) else {
                return audit(
                    "sync.payment_unreadable",
                    json!({ "reason": "paid without receipt_no or paid_at", "portal": details(portal) }),
                );
            };
            match method.as_deref() {
                Some(m) if !ours && !same_receipt => conflict(m),
                Some(_) if !ours => Ok(()),
                _ => {
                    let paid_text = time_text(Some(paid_at));
                    let unchanged: bool =
                        ours && tx.query_row(
                            "SELECT payment_method = 'online' AND paid_at IS ?2 FROM dossiers
                             WHERE code = ?1",
                            params![code, paid_text],
                            |r| r.get(0),
                        )? && same_receipt;
                    if unchanged {
                        return Ok(());
                    }
                    tx.execute(
                        "UPDATE dossiers SET payment_method = 'online', payment_receipt = ?2, paid_at = ?3,
                            updated_at = ?4 WHERE code = ?1",
                        params![code, receipt_no, paid_text, super::utc_now()],
                    )?;
                    audit(
                        "dossier.payment",
                        json!({
                            "method": "online",
                            "receipt_no": receipt_no,
                            "paid_at": paid_text,
                            "source": "portal",
                            "amount_vnd": portal.amount_vnd,
                        }),
                    )
                }
            }
        }
        (_, None) => Ok(()),
        (state, Some(m)) => {
            let clear = ours || (state == PortalPaymentState::Refunded && same_receipt);
            if clear {
                tx.execute(
                    "UPDATE dossiers SET payment_method = NULL, payment_receipt = NULL, paid_at = NULL,
                        updated_at = ?2 WHERE code = ?1",
                    params![code, super::utc_now()],
                )?;
                audit(
                    "dossier.payment",
                    json!({ "method": null, "source": "portal", "portal": details(portal) }),
                )
            } else if state == PortalPaymentState::Refunded {
                conflict(m)
            } else {
                // "Not paid online" beside a payment made at the counter: nothing to settle.
                Ok(())
            }
        }
    }
}

impl Store {
    /// Whether dossier `code`'s current payment was recorded from the portal's report.
    pub fn payment_via_portal(&self, code: &str) -> Result<bool, StoreError> {
        payment_via_portal(&self.conn, code).map_err(|e| self.sql(e))
    }
}
