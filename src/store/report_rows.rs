//! The one SQL scan behind `motcua report`: the dossiers received in a period, each as one row of plain
//! columns (times, channel, the clerk who received it, migration 3's `status_changes`, apologies, payment,
//! digitisation and postal facts), streamed to a callback without building a million-element vector and
//! without touching the audit log. The range uses the `dossiers_received` index.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::facts::parse_local_time_bytes;
use super::{DATE_TIME, Store, StoreError};

/// One dossier of the report's period; text borrowed from SQLite's row buffer.
#[derive(Debug, Clone, Copy)]
pub struct ReportRow<'r> {
    pub code: &'r str,
    pub procedure_code: &'r str,
    pub procedure_name: &'r str,
    /// The actor who created the dossier at the counter (the receiving clerk).
    pub clerk: &'r str,
    /// `counter`, `online` or `postal`.
    pub channel: &'r str,
    pub received_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub reappointed_due: Option<NaiveDateTime>,
    /// migration 3's `status_changes` column, as stored (ASCII; parse with `parse_deadline_changes_into`).
    pub status_changes: &'r [u8],
    pub apologies: u64,
    /// `payment_method`, if a payment was recorded.
    pub payment_method: Option<&'r str>,
    /// Every mandatory document has a PDF and the result is attached.
    pub digitized: bool,
    /// The result was handed to the post (result_return `post` with a send date).
    pub returned_by_post: bool,
}

impl Store {
    /// Calls `each` for every dossier received from `from` to `to` (inclusive days).
    pub fn scan_report_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut each: impl FnMut(&ReportRow<'_>),
    ) -> Result<(), StoreError> {
        let start = from.and_time(NaiveTime::MIN).format(DATE_TIME).to_string();
        let end = to
            .succ_opt()
            .unwrap_or(to)
            .and_time(NaiveTime::MIN)
            .format(DATE_TIME)
            .to_string();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT code, procedure_code, procedure_name, created_by, channel, received_at, due_at,
                        reappointed_due, status_changes, apologies, payment_method,
                        documents_missing = 0 AND result_sha256 IS NOT NULL,
                        result_return = 'post' AND postal_sent_at IS NOT NULL
                 FROM dossiers WHERE received_at >= ?1 AND received_at < ?2",
            )
            .map_err(|e| self.sql(e))?;
        let mut rows = stmt.query([&start, &end]).map_err(|e| self.sql(e))?;
        while let Some(r) = rows.next().map_err(|e| self.sql(e))? {
            let text = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_str_or_null()?));
            // Times and status changes are read as bytes: their parsers check them, so a UTF-8 pass over
            // a few hundred bytes per dossier is saved.
            let bytes = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_bytes_or_null()?));
            let code = text(0).map_err(|e| self.sql(e))?.unwrap_or_default();
            let bad = |column: &str, value: &str| StoreError::BadRow {
                what: "hồ sơ",
                key: code.to_owned(),
                message: format!("{column} {value:?}"),
            };
            let time = |i: usize, column: &str| -> Result<Option<NaiveDateTime>, StoreError> {
                match bytes(i).map_err(|e| self.sql(e))? {
                    None => Ok(None),
                    Some(t) => parse_local_time_bytes(t)
                        .map(Some)
                        .ok_or_else(|| bad(column, &String::from_utf8_lossy(t))),
                }
            };
            let received_at = time(5, "received_at")?.ok_or_else(|| bad("received_at", ""))?;
            let due_at = time(6, "due_at")?.ok_or_else(|| bad("due_at", ""))?;
            let row = ReportRow {
                code,
                procedure_code: text(1).map_err(|e| self.sql(e))?.unwrap_or_default(),
                procedure_name: text(2).map_err(|e| self.sql(e))?.unwrap_or_default(),
                clerk: text(3).map_err(|e| self.sql(e))?.unwrap_or_default(),
                channel: text(4).map_err(|e| self.sql(e))?.unwrap_or_default(),
                received_at,
                due_at,
                reappointed_due: time(7, "reappointed_due")?,
                status_changes: bytes(8).map_err(|e| self.sql(e))?.unwrap_or_default(),
                apologies: r.get::<_, i64>(9).map_err(|e| self.sql(e))?.max(0) as u64,
                payment_method: text(10).map_err(|e| self.sql(e))?,
                digitized: r.get(11).map_err(|e| self.sql(e))?,
                returned_by_post: r.get(12).map_err(|e| self.sql(e))?,
            };
            each(&row);
        }
        Ok(())
    }
}
