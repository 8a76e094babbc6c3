//! Dossier records, idempotency records, receipt numbers and the change feed.
//!
//! Every change to a dossier takes the next value of the global `revision` counter, so a client that
//! polls with `changed_since=<last revision seen>` sees every change exactly once and in order,
//! whatever the clocks say.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{PaymentRow, Store, StoreError, sql};
use crate::time::{format_national, now_vietnam};

/// One dossier as the portal knows it (status side; the submitted JSON is kept in `body`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierRow {
    pub ma_ho_so: String,
    pub office: String,
    /// Receipt number the portal assigned (`SoBienNhan`).
    pub so_bien_nhan: String,
    /// National status code `TrangThaiHoSo`, 1–10.
    pub trang_thai: u8,
    /// Reason given with the last status change (required for 3, 5 and 8).
    pub reason: Option<String>,
    /// Global change counter value of the last change.
    pub revision: i64,
    /// When the portal accepted the dossier, `yyyyMMddHHmmss`.
    pub received_at: String,
    /// When the status last changed, `yyyyMMddHHmmss`.
    pub updated_at: String,
    /// When the result was returned (status 10), `yyyyMMddHHmmss`.
    pub returned_at: Option<String>,
    /// SHA-256 (hex) of the attached result PDF.
    pub result_sha256: Option<String>,
    /// Size in bytes of the attached result PDF.
    pub result_size: Option<u64>,
    /// The payment status, once the back office set one (schema version 2).
    pub payment: Option<PaymentRow>,
}

const DOSSIER_COLUMNS: &str = "ma_ho_so, office, so_bien_nhan, trang_thai, reason, revision, \
     received_at, updated_at, returned_at, result_sha256, result_size, \
     payment_status, payment_receipt, paid_at, payment_amount, refunded_at";

fn dossier_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DossierRow> {
    let size: Option<i64> = row.get(10)?;
    Ok(DossierRow {
        ma_ho_so: row.get(0)?,
        office: row.get(1)?,
        so_bien_nhan: row.get(2)?,
        trang_thai: row.get(3)?,
        reason: row.get(4)?,
        revision: row.get(5)?,
        received_at: row.get(6)?,
        updated_at: row.get(7)?,
        returned_at: row.get(8)?,
        result_sha256: row.get(9)?,
        result_size: size.and_then(|size| u64::try_from(size).ok()),
        payment: PaymentRow::from_columns(row, 11)?,
    })
}

/// A stored answer to an idempotent request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// SHA-256 (hex) of the canonical request body the answer belongs to.
    pub request_sha256: String,
    pub http_status: u16,
    /// The response body, byte for byte.
    pub response: Vec<u8>,
}

/// What [`Store::submit_dossier`] did.
#[derive(Debug)]
pub enum SubmitOutcome {
    /// The dossier was accepted now; `response` was stored under the idempotency key.
    Created {
        row: Box<DossierRow>,
        response: Vec<u8>,
    },
    /// The key was already used; this is the stored answer (its request hash may differ: caller checks).
    Replayed(StoredAnswer),
    /// A dossier with this `MaHoSo` exists under another idempotency key.
    AlreadyExists,
}

/// A validated dossier ready to be accepted by [`Store::submit_dossier`].
#[derive(Debug, Clone, Copy)]
pub struct NewSubmission<'a> {
    pub office: &'a str,
    pub idempotency_key: &'a str,
    /// SHA-256 (hex) of the canonical request body, to tell a repeat from a reused key.
    pub request_sha256: &'a str,
    pub ma_ho_so: &'a str,
    /// The canonical dossier JSON, stored as submitted.
    pub body: &'a str,
    /// HTTP status of the answer that will be stored and replayed.
    pub http_status: u16,
}

impl Store {
    /// The stored answer for an idempotency key of an office, if any.
    pub fn find_answer(&self, office: &str, key: &str) -> Result<Option<StoredAnswer>, StoreError> {
        let conn = self.lock()?;
        Self::find_answer_in(&conn, office, key)
    }

    fn find_answer_in(
        conn: &rusqlite::Connection,
        office: &str,
        key: &str,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        conn.query_row(
            "SELECT request_sha256, http_status, response FROM idempotency WHERE office = ?1 AND key = ?2",
            [office, key],
            |row| {
                Ok(StoredAnswer {
                    request_sha256: row.get(0)?,
                    http_status: row.get(1)?,
                    response: row.get(2)?,
                })
            },
        )
        .optional()
        .map_err(sql("reading an idempotency record"))
    }

    /// Accepts a validated dossier in one transaction: assigns the receipt number, sets status 2,
    /// and stores `make_response(row)` (with `http_status`) under the idempotency key.
    pub fn submit_dossier(
        &self,
        submission: NewSubmission<'_>,
        make_response: impl FnOnce(&DossierRow) -> Vec<u8>,
    ) -> Result<SubmitOutcome, StoreError> {
        let NewSubmission {
            office,
            idempotency_key,
            request_sha256,
            ma_ho_so,
            body,
            http_status,
        } = submission;
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("starting a submission"))?;
        // Checked again inside the write transaction: a concurrent repeat may have won the race.
        if let Some(answer) = Self::find_answer_in(&tx, office, idempotency_key)? {
            return Ok(SubmitOutcome::Replayed(answer));
        }
        let exists: bool = tx
            .query_row(
                "SELECT 1 FROM dossiers WHERE ma_ho_so = ?1",
                [ma_ho_so],
                |_| Ok(true),
            )
            .optional()
            .map_err(sql("checking for an existing dossier"))?
            .unwrap_or(false);
        if exists {
            return Ok(SubmitOutcome::AlreadyExists);
        }
        let now = now_vietnam();
        let day = now.format("%y%m%d").to_string();
        let sequence = Self::next_counter(&tx, &format!("receipt:{day}"))?;
        let revision = Self::next_counter(&tx, "revision")?;
        let row = DossierRow {
            ma_ho_so: ma_ho_so.to_string(),
            office: office.to_string(),
            so_bien_nhan: format!("BN-{day}-{sequence:06}"),
            trang_thai: 2,
            reason: None,
            revision,
            received_at: format_national(now),
            updated_at: format_national(now),
            returned_at: None,
            result_sha256: None,
            result_size: None,
            payment: None,
        };
        tx.execute(
            "INSERT INTO dossiers (ma_ho_so, office, so_bien_nhan, trang_thai, body, revision, received_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![row.ma_ho_so, row.office, row.so_bien_nhan, row.trang_thai, body, revision, row.received_at],
        )
        .map_err(sql("inserting a dossier"))?;
        tx.execute(
            "INSERT INTO status_history (ma_ho_so, trang_thai, at) VALUES (?1, 2, ?2)",
            params![row.ma_ho_so, row.received_at],
        )
        .map_err(sql("recording status history"))?;
        let response = make_response(&row);
        tx.execute(
            "INSERT INTO idempotency (office, key, request_sha256, http_status, response, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![office, idempotency_key, request_sha256, http_status, response, row.received_at],
        )
        .map_err(sql("storing an idempotency record"))?;
        tx.commit().map_err(sql("committing a submission"))?;
        Ok(SubmitOutcome::Created {
            row: Box::new(row),
            response,
        })
    }

    /// One dossier by `MaHoSo`.
    pub fn get_dossier(&self, ma_ho_so: &str) -> Result<Option<DossierRow>, StoreError> {
        let conn = self.lock()?;
        Self::dossier_in(&conn, ma_ho_so)
    }

    /// One dossier by `MaHoSo`, read through `conn` (also inside a caller's transaction).
    pub(super) fn dossier_in(
        conn: &rusqlite::Connection,
        ma_ho_so: &str,
    ) -> Result<Option<DossierRow>, StoreError> {
        conn.query_row(
            &format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE ma_ho_so = ?1"),
            [ma_ho_so],
            dossier_from_row,
        )
        .optional()
        .map_err(sql("reading a dossier"))
    }

    /// Dossiers of `office` (all offices when `None`) changed after `revision`, oldest change first,
    /// at most `limit`.
    pub fn changed_since(
        &self,
        office: Option<&str>,
        revision: i64,
        limit: u32,
    ) -> Result<Vec<DossierRow>, StoreError> {
        let conn = self.lock()?;
        let mut statement = conn
            .prepare(&format!(
                "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE (?1 IS NULL OR office = ?1) AND revision > ?2
                 ORDER BY revision LIMIT ?3"
            ))
            .map_err(sql("listing changed dossiers"))?;
        let rows = statement
            .query_map(params![office, revision, limit], dossier_from_row)
            .map_err(sql("listing changed dossiers"))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql("listing changed dossiers"))
    }

    /// Moves a dossier to `trang_thai`, recording the reason and (for a result) its hash and size.
    /// Returns `None` when no dossier has that `MaHoSo`.
    pub fn set_status(
        &self,
        ma_ho_so: &str,
        trang_thai: u8,
        reason: Option<&str>,
        result: Option<(&str, u64)>,
    ) -> Result<Option<DossierRow>, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql("starting a status change"))?;
        let exists: bool = tx
            .query_row(
                "SELECT 1 FROM dossiers WHERE ma_ho_so = ?1",
                [ma_ho_so],
                |_| Ok(true),
            )
            .optional()
            .map_err(sql("finding the dossier"))?
            .unwrap_or(false);
        if !exists {
            return Ok(None);
        }
        let now = format_national(now_vietnam());
        let revision = Self::next_counter(&tx, "revision")?;
        let returned_at = (trang_thai == 10).then(|| now.clone());
        tx.execute(
            "UPDATE dossiers SET trang_thai = ?2, reason = ?3, revision = ?4, updated_at = ?5,
                 returned_at = COALESCE(?6, returned_at),
                 result_sha256 = COALESCE(?7, result_sha256),
                 result_size = COALESCE(?8, result_size)
             WHERE ma_ho_so = ?1",
            params![
                ma_ho_so,
                trang_thai,
                reason,
                revision,
                now,
                returned_at,
                result.map(|(hash, _)| hash),
                result.map(|(_, size)| i64::try_from(size).unwrap_or(i64::MAX)),
            ],
        )
        .map_err(sql("updating a dossier status"))?;
        tx.execute(
            "INSERT INTO status_history (ma_ho_so, trang_thai, reason, at) VALUES (?1, ?2, ?3, ?4)",
            params![ma_ho_so, trang_thai, reason, now],
        )
        .map_err(sql("recording status history"))?;
        let row = tx
            .query_row(
                &format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE ma_ho_so = ?1"),
                [ma_ho_so],
                dossier_from_row,
            )
            .map_err(sql("reading the changed dossier"))?;
        tx.commit().map_err(sql("committing a status change"))?;
        Ok(Some(row))
    }
}
