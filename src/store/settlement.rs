//! Persistence of a dossier's fees, payment, postal return and result (migration 3 columns of `dossiers`).
//! Each change is one transaction with its audit entry (`dossier.fees`, `dossier.payment`, `dossier.postal`,
//! `dossier.result`), so it shows in the dossier's timeline.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{DATE_TIME, Store, StoreError};
use crate::catalog::Fee;
use crate::dossier::settlement::{
    Payment, PaymentMethod, PostalReturn, ResultDocument, ResultSource, Settlement,
};
use crate::dossier::{ResultReturn, Status};

fn time_text(t: Option<NaiveDateTime>) -> Option<String> {
    t.map(|t| t.format(DATE_TIME).to_string())
}

impl Store {
    /// Runs `write` in an IMMEDIATE transaction after checking the dossier exists, then appends `action`
    /// with `details` to its audit trail.
    fn settle(
        &mut self,
        code: &str,
        action: &str,
        details: serde_json::Value,
        actor: &str,
        write: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<usize>,
    ) -> Result<(), StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| super::sql_err(&path, e);
        let before: Option<String> = tx
            .query_row("SELECT code FROM dossiers WHERE code = ?1", [code], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)?;
        if before.is_none() {
            return Err(StoreError::NotFound {
                what: "hồ sơ",
                key: code.to_owned(),
            });
        }
        write(&tx).map_err(sql)?;
        super::audit::append(
            &tx,
            actor,
            action,
            &format!("dossier:{code}"),
            None,
            Some(&details),
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Replaces the dossier's fees (already validated).
    pub fn set_fees(&mut self, code: &str, fees: &[Fee], actor: &str) -> Result<(), StoreError> {
        let json = serde_json::to_string(fees).unwrap_or_else(|_| "[]".to_owned());
        let details = serde_json::json!({ "fees": fees });
        self.settle(code, "dossier.fees", details, actor, |tx| {
            tx.execute(
                "UPDATE dossiers SET fees = ?2, updated_at = ?3 WHERE code = ?1",
                params![code, json, super::utc_now()],
            )
        })
    }

    /// Records how the fees were paid (replacing an earlier record).
    pub fn set_payment(
        &mut self,
        code: &str,
        payment: &Payment,
        actor: &str,
    ) -> Result<(), StoreError> {
        let details = serde_json::to_value(payment).unwrap_or_default();
        self.settle(code, "dossier.payment", details, actor, |tx| {
            tx.execute(
                "UPDATE dossiers SET payment_method = ?2, payment_receipt = ?3, paid_at = ?4, updated_at = ?5
                 WHERE code = ?1",
                params![
                    code,
                    payment.method.as_str(),
                    payment.receipt_no,
                    time_text(Some(payment.paid_at)),
                    super::utc_now()
                ],
            )
        })
    }

    /// Records the postal return; the dossier's result-return channel becomes `post`.
    pub fn set_postal(
        &mut self,
        code: &str,
        postal: &PostalReturn,
        actor: &str,
    ) -> Result<(), StoreError> {
        let details = serde_json::to_value(postal).unwrap_or_default();
        self.settle(code, "dossier.postal", details, actor, |tx| {
            tx.execute(
                "UPDATE dossiers SET result_return = 'post', postal_address = ?2, postal_tracking = ?3,
                    postal_sent_at = ?4, postal_delivered_at = ?5, updated_at = ?6 WHERE code = ?1",
                params![
                    code,
                    postal.address,
                    postal.tracking_no,
                    time_text(postal.sent_at),
                    time_text(postal.delivered_at),
                    super::utc_now()
                ],
            )
        })
    }

    /// Changes where the applicant collects the result (counter or post).
    pub fn set_result_return(
        &mut self,
        code: &str,
        channel: ResultReturn,
        actor: &str,
    ) -> Result<(), StoreError> {
        let name = match channel {
            ResultReturn::Counter => "counter",
            ResultReturn::Post => "post",
        };
        let details = serde_json::json!({ "result_return": name });
        self.settle(code, "dossier.result_return", details, actor, |tx| {
            tx.execute(
                "UPDATE dossiers SET result_return = ?2, updated_at = ?3 WHERE code = ?1",
                params![code, name, super::utc_now()],
            )
        })
    }

    /// Attaches the result PDF (already in the blob store) to the dossier.
    pub fn set_result(
        &mut self,
        code: &str,
        sha256: &str,
        source: ResultSource,
        at: NaiveDateTime,
        actor: &str,
    ) -> Result<(), StoreError> {
        let details = serde_json::json!({ "result_sha256": sha256, "source": source.as_str() });
        self.settle(code, "dossier.result", details, actor, |tx| {
            set_result_in(tx, code, sha256, source, at)
        })
    }

    /// Fees, payment, postal return and result of dossier `code`.
    pub fn settlement(&self, code: &str) -> Result<Settlement, StoreError> {
        type Row = (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            [Option<String>; 4],
            [Option<String>; 3],
        );
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT code, fees, result_return, payment_method, payment_receipt, paid_at,
                        postal_address, postal_tracking, postal_sent_at, postal_delivered_at,
                        result_sha256, result_source, result_at
                 FROM dossiers WHERE code = ?1",
                [code],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        [r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?],
                        [r.get(10)?, r.get(11)?, r.get(12)?],
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let Some((code, fees, result_return, method, receipt, paid_at, postal, result)) = row
        else {
            return Err(StoreError::NotFound {
                what: "hồ sơ",
                key: code.to_owned(),
            });
        };
        let bad = |message: String| StoreError::BadRow {
            what: "hồ sơ",
            key: code.clone(),
            message,
        };
        let time = |t: &Option<String>| -> Result<Option<NaiveDateTime>, StoreError> {
            t.as_deref()
                .map(|t| {
                    NaiveDateTime::parse_from_str(t, DATE_TIME)
                        .map_err(|e| bad(format!("{t}: {e}")))
                })
                .transpose()
        };
        let fees: Vec<Fee> = serde_json::from_str(&fees).map_err(|e| bad(e.to_string()))?;
        let payment = match method {
            Some(m) => Some(Payment {
                method: PaymentMethod::parse(&m)
                    .ok_or_else(|| bad(format!("payment_method {m}")))?,
                receipt_no: receipt.unwrap_or_default(),
                paid_at: time(&paid_at)?.ok_or_else(|| bad("paid_at NULL".into()))?,
            }),
            None => None,
        };
        let [address, tracking, sent, delivered] = postal;
        let postal = match address {
            Some(address) => Some(PostalReturn {
                address,
                tracking_no: tracking.unwrap_or_default(),
                sent_at: time(&sent)?,
                delivered_at: time(&delivered)?,
            }),
            None => None,
        };
        let [sha256, source, at] = result;
        let result = match sha256 {
            Some(sha256) => Some(ResultDocument {
                sha256,
                source: source
                    .as_deref()
                    .and_then(ResultSource::parse)
                    .unwrap_or(ResultSource::Portal),
                attached_at: time(&at)?,
            }),
            None => None,
        };
        let payment_via_portal = payment.is_some()
            && super::portal_payment::payment_via_portal(&self.conn, &code)
                .map_err(|e| self.sql(e))?;
        Ok(Settlement {
            fees_total_vnd: fees.iter().map(|f| f.amount_vnd).sum(),
            fees,
            payment,
            payment_via_portal,
            result_return: if result_return == "post" {
                ResultReturn::Post
            } else {
                ResultReturn::Counter
            },
            postal,
            result,
            code,
        })
    }

    /// Dossiers whose clock still runs (not finished, withdrawn, stopped or refused), for the apology
    /// prompt; local drafts are left out.
    pub fn open_dossier_codes(&self) -> Result<Vec<String>, StoreError> {
        let closed = [
            Status::Draft,
            Status::Processed,
            Status::Returned,
            Status::Withdrawn,
            Status::Stopped,
            Status::NotAccepted,
        ]
        .map(|s| format!("'{}'", s.as_str()))
        .join(",");
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT code FROM dossiers WHERE status NOT IN ({closed}) ORDER BY due_at, code"
            ))
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| r.get(0))
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))
    }
}

/// Writes the result columns inside `tx` (also used by the status sync when the portal's result arrives).
pub(super) fn set_result_in(
    tx: &Transaction<'_>,
    code: &str,
    sha256: &str,
    source: ResultSource,
    at: NaiveDateTime,
) -> rusqlite::Result<usize> {
    tx.execute(
        "UPDATE dossiers SET result_sha256 = ?2, result_source = ?3, result_at = ?4, updated_at = ?5
         WHERE code = ?1",
        params![
            code,
            sha256,
            source.as_str(),
            at.format(DATE_TIME).to_string(),
            super::utc_now()
        ],
    )
}
