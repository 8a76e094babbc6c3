//! The SQL behind `motcua report`: counts grouped in SQLite, and the per-dossier facts (times, status,
//! status changes and re-appointments from the audit log) that the deadline rules need, fetched in two
//! queries for the whole period rather than one per dossier.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::{AuditEntry, DATE_TIME, Store, StoreError};

/// One dossier received in the period, as the report needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDossier {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    /// `counter`, `online` or `postal`.
    pub channel: String,
    pub received_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    /// `Status::as_str`.
    pub status: String,
}

/// Audit entries per dossier code, in order.
pub type AuditTrails = HashMap<String, Vec<AuditEntry>>;

/// `[from 00:00, to + 1 day 00:00)` as stored text.
fn bounds(from: NaiveDate, to: NaiveDate) -> (String, String) {
    let start = from.and_time(chrono::NaiveTime::MIN);
    let end = to.succ_opt().unwrap_or(to).and_time(chrono::NaiveTime::MIN);
    (
        start.format(DATE_TIME).to_string(),
        end.format(DATE_TIME).to_string(),
    )
}

impl Store {
    /// Dossiers received from `from` to `to` (inclusive) counted per channel, with SQL.
    pub fn received_by_channel(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let (start, end) = bounds(from, to);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT channel, COUNT(*) FROM dossiers
                 WHERE received_at >= ?1 AND received_at < ?2
                 GROUP BY channel ORDER BY channel",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([start, end], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// Dossiers received in the period and, per dossier code, its `dossier.status` and `apology.issued`
    /// audit entries in order.
    pub fn report_dossiers(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<ReportDossier>, AuditTrails), StoreError> {
        let (start, end) = bounds(from, to);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT code, procedure_code, procedure_name, channel, received_at, due_at, status
                 FROM dossiers WHERE received_at >= ?1 AND received_at < ?2
                 ORDER BY procedure_code, received_at, code",
            )
            .map_err(|e| self.sql(e))?;
        let raw = stmt
            .query_map([&start, &end], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        let mut dossiers = Vec::with_capacity(raw.len());
        for (code, procedure_code, procedure_name, channel, received, due, status) in raw {
            let time = |text: &str| {
                NaiveDateTime::parse_from_str(text, DATE_TIME).map_err(|e| StoreError::BadRow {
                    what: "hồ sơ",
                    key: code.clone(),
                    message: format!("{text:?}: {e}"),
                })
            };
            dossiers.push(ReportDossier {
                received_at: time(&received)?,
                due_at: time(&due)?,
                code,
                procedure_code,
                procedure_name,
                channel,
                status,
            });
        }

        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.seq, a.at, a.actor, a.action, a.entity, a.after, d.code
                 FROM audit_log a JOIN dossiers d ON a.entity = 'dossier:' || d.code
                 WHERE a.action IN ('dossier.status', 'apology.issued')
                   AND d.received_at >= ?1 AND d.received_at < ?2
                 ORDER BY a.seq",
            )
            .map_err(|e| self.sql(e))?;
        let mut trails = AuditTrails::new();
        let rows = stmt
            .query_map([&start, &end], |r| {
                let after: Option<String> = r.get(5)?;
                Ok((
                    r.get::<_, String>(6)?,
                    AuditEntry {
                        seq: r.get(0)?,
                        at: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        entity: r.get(4)?,
                        before: None,
                        after: after.and_then(|t| serde_json::from_str(&t).ok()),
                    },
                ))
            })
            .map_err(|e| self.sql(e))?;
        for row in rows {
            let (code, entry) = row.map_err(|e| self.sql(e))?;
            trails.entry(code).or_default().push(entry);
        }
        Ok((dossiers, trails))
    }
}
