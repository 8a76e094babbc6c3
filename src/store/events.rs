//! Dossier events that are not state changes — a receipt printed, an apology slip issued — recorded in the
//! audit log so they appear in the dossier's timeline (`audit_trail("dossier:{code}")`).

use super::{Store, StoreError};
use rusqlite::OptionalExtension;

impl Store {
    /// Appends `action` (e.g. `receipt.issued`) with `details` to the audit log of dossier `code`.
    pub fn record_dossier_event(
        &mut self,
        code: &str,
        action: &str,
        details: &serde_json::Value,
        actor: &str,
    ) -> Result<(), StoreError> {
        let path = self.db_path();
        let sql = |e| super::sql_err(&path, e);
        let tx = self.conn.transaction().map_err(sql)?;
        let found: Option<i64> = tx
            .query_row("SELECT 1 FROM dossiers WHERE code = ?1", [code], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)?;
        if found.is_none() {
            return Err(StoreError::NotFound {
                what: "hồ sơ",
                key: code.to_owned(),
            });
        }
        super::audit::append(
            &tx,
            actor,
            action,
            &format!("dossier:{code}"),
            None,
            Some(details),
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(())
    }
}
