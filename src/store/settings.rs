//! Office settings stored in the database (agency code and name, portal URL, …), so every clerk on a shared
//! database sees the same values.

use super::{Store, StoreError};
use rusqlite::{OptionalExtension, params};

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Sets a setting and audits the change.
    pub fn set_setting(&mut self, key: &str, value: &str, actor: &str) -> Result<(), StoreError> {
        let before = self.setting(key)?;
        let tx = self
            .conn
            .transaction()
            .map_err(|e| super::sql_err(&self.dir.join(super::DB_FILE), e))?;
        let result = (|| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
                params![key, value],
            )?;
            super::audit::append(
                &tx,
                actor,
                "setting.set",
                &format!("setting:{key}"),
                before.map(serde_json::Value::String).as_ref(),
                Some(&serde_json::Value::String(value.to_owned())),
            )?;
            tx.commit()
        })();
        result.map_err(|e| super::sql_err(&self.dir.join(super::DB_FILE), e))
    }
}
