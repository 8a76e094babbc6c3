//! The payment status of each dossier (schema version 2; `docs/portal-api.md` § Payment): whether the
//! applicant's fees (`DanhSachLePhi`) were paid online through the portal, with the payment receipt number
//! and time, or refunded. A change takes the next `revision`, so the change feed reports it like a status
//! change, and leaves a row in `payment_history`.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{DossierRow, Store, StoreError, sql};
use crate::time::{format_national, now_vietnam};

/// Where a dossier's online payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    /// Not paid (or the back office cleared an earlier record).
    Unpaid,
    /// Paid online through the portal, against a receipt number.
    Paid,
    /// Paid, then refunded to the applicant.
    Refunded,
}

impl PaymentState {
    /// The stored and wire name (`unpaid`, `paid`, `refunded`).
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::Unpaid => "unpaid",
            PaymentState::Paid => "paid",
            PaymentState::Refunded => "refunded",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(text: &str) -> Option<PaymentState> {
        [
            PaymentState::Unpaid,
            PaymentState::Paid,
            PaymentState::Refunded,
        ]
        .into_iter()
        .find(|state| state.as_str() == text.trim())
    }
}

/// The stored payment of a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub state: PaymentState,
    /// The payment receipt (biên lai) or transaction number; kept when refunded.
    pub receipt_no: Option<String>,
    /// When it was paid, `yyyyMMddHHmmss`.
    pub paid_at: Option<String>,
    /// Amount paid in đồng, when the back office gave it.
    pub amount_vnd: Option<u64>,
    /// When it was refunded, `yyyyMMddHHmmss`.
    pub refunded_at: Option<String>,
}

impl PaymentRow {
    /// Reads the payment columns from `row` starting at column `first` (status, receipt, paid at, amount,
    /// refunded at); `None` when no payment status was ever set.
    pub(super) fn from_columns(
        row: &rusqlite::Row<'_>,
        first: usize,
    ) -> rusqlite::Result<Option<PaymentRow>> {
        let state: Option<String> = row.get(first)?;
        let Some(state) = state.as_deref().and_then(PaymentState::parse) else {
            return Ok(None);
        };
        let amount: Option<i64> = row.get(first + 3)?;
        Ok(Some(PaymentRow {
            state,
            receipt_no: row.get(first + 1)?,
            paid_at: row.get(first + 2)?,
            amount_vnd: amount.and_then(|a| u64::try_from(a).ok()),
            refunded_at: row.get(first + 4)?,
        }))
    }
}

impl Store {
    /// Replaces the payment of dossier `ma_ho_so` (already checked by [`crate::payment`]), takes the next
    /// revision and records the change in `payment_history`, in one transaction. `None` when no dossier
    /// has that `MaHoSo`.
    pub fn set_payment(
        &self,
        ma_ho_so: &str,
        payment: &PaymentRow,
    ) -> Result<Option<DossierRow>, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("starting a payment change"))?;
        let exists = tx
            .query_row(
                "SELECT 1 FROM dossiers WHERE ma_ho_so = ?1",
                [ma_ho_so],
                |_| Ok(()),
            )
            .optional()
            .map_err(sql("finding the dossier"))?
            .is_some();
        if !exists {
            return Ok(None);
        }
        let now = format_national(now_vietnam());
        let revision = Self::next_counter(&tx, "revision")?;
        tx.execute(
            "UPDATE dossiers SET payment_status = ?2, payment_receipt = ?3, paid_at = ?4,
                 payment_amount = ?5, refunded_at = ?6, revision = ?7, updated_at = ?8
             WHERE ma_ho_so = ?1",
            params![
                ma_ho_so,
                payment.state.as_str(),
                payment.receipt_no,
                payment.paid_at,
                payment
                    .amount_vnd
                    .map(|a| i64::try_from(a).unwrap_or(i64::MAX)),
                payment.refunded_at,
                revision,
                now,
            ],
        )
        .map_err(sql("updating a payment"))?;
        tx.execute(
            "INSERT INTO payment_history (ma_ho_so, payment_status, payment_receipt, at)
             VALUES (?1, ?2, ?3, ?4)",
            params![ma_ho_so, payment.state.as_str(), payment.receipt_no, now],
        )
        .map_err(sql("recording payment history"))?;
        let row = Self::dossier_in(&tx, ma_ho_so)?;
        tx.commit().map_err(sql("committing a payment change"))?;
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DATABASE_FILE, SCHEMA_V1};
    use super::*;

    /// A data dir written by the portal before payments (schema version 1) with one accepted dossier is
    /// migrated on open: the dossier has no payment status until one is set, and then reports it.
    #[test]
    fn a_version_1_database_gains_payments_on_open() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
            conn.execute_batch(&format!(
                "{SCHEMA_V1} PRAGMA user_version = 1;
                 INSERT INTO dossiers (ma_ho_so, office, so_bien_nhan, trang_thai, body, revision,
                     received_at, updated_at)
                 VALUES ('H56.14-261127-0001', 'H56.14', 'BN-261127-000001', 2, '{{}}', 1,
                     '20261127090000', '20261127090000');
                 INSERT INTO counters (name, value) VALUES ('revision', 1);"
            ))
            .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let version: i64 = store
            .lock()
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 2);
        let before = store.get_dossier("H56.14-261127-0001").unwrap().unwrap();
        assert_eq!(before.payment, None);
        let paid = PaymentRow {
            state: PaymentState::Paid,
            receipt_no: Some("BLDT-1".into()),
            paid_at: Some("20261127100000".into()),
            amount_vnd: Some(20_000),
            refunded_at: None,
        };
        let after = store
            .set_payment("H56.14-261127-0001", &paid)
            .unwrap()
            .unwrap();
        assert_eq!(after.payment, Some(paid));
        assert!(after.revision > before.revision, "the feed sees the change");
        assert_eq!(
            store
                .set_payment("H56.14-261127-9999", &after.payment.unwrap())
                .unwrap(),
            None
        );
        // Opening again changes nothing.
        drop(store);
        let again = Store::open(dir.path()).unwrap();
        assert!(
            again
                .get_dossier("H56.14-261127-0001")
                .unwrap()
                .unwrap()
                .payment
                .is_some()
        );
    }
}
