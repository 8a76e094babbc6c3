//! Persistence of the procedure catalogue.
//!
//! Import is an upsert by code and never deletes: a procedure that disappeared from a new catalogue file may
//! still be the procedure of open dossiers (the foreign key from `dossiers` also forbids deleting it).

use super::{Store, StoreError, utc_now};
use crate::catalog::Procedure;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
}

impl Store {
    /// Inserts new procedures and updates changed ones, in one transaction with one audit entry per change.
    pub fn import_procedures(
        &mut self,
        procedures: &[Procedure],
        actor: &str,
    ) -> Result<ImportReport, StoreError> {
        let path = self.db_path();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| super::sql_err(&path, e))?;
        let mut report = ImportReport::default();
        for p in procedures {
            let json = serde_json::to_value(p).map_err(|e| StoreError::BadRow {
                what: "procedure",
                key: p.code.clone(),
                message: e.to_string(),
            })?;
            let existing: Option<String> = tx
                .query_row(
                    "SELECT data FROM procedures WHERE code = ?1",
                    [&p.code],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| super::sql_err(&path, e))?;
            let before: Option<serde_json::Value> = existing
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok());
            if before.as_ref() == Some(&json) {
                report.unchanged.push(p.code.clone());
                continue;
            }
            tx.execute(
                "INSERT INTO procedures (code, name, data, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (code) DO UPDATE SET name = ?2, data = ?3, updated_at = ?4",
                params![p.code, p.name, json.to_string(), utc_now()],
            )
            .map_err(|e| super::sql_err(&path, e))?;
            let action = if before.is_some() {
                "procedure.update"
            } else {
                "procedure.add"
            };
            super::audit::append(
                &tx,
                actor,
                action,
                &format!("procedure:{}", p.code),
                before.as_ref(),
                Some(&json),
            )
            .map_err(|e| super::sql_err(&path, e))?;
            if before.is_some() {
                &mut report.updated
            } else {
                &mut report.added
            }
            .push(p.code.clone());
        }
        tx.commit().map_err(|e| super::sql_err(&path, e))?;
        Ok(report)
    }

    /// All procedures, by code.
    pub fn procedures(&self) -> Result<Vec<Procedure>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT code, data FROM procedures ORDER BY code")
            .map_err(|e| self.sql(e))?;
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        rows.into_iter()
            .map(|(code, data)| parse_procedure(&code, &data))
            .collect()
    }

    /// One procedure by its code.
    pub fn procedure(&self, code: &str) -> Result<Procedure, StoreError> {
        let data: Option<String> = self
            .conn
            .query_row("SELECT data FROM procedures WHERE code = ?1", [code], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sql(e))?;
        match data {
            Some(data) => parse_procedure(code, &data),
            None => Err(StoreError::NotFound {
                what: "thủ tục",
                key: code.to_owned(),
            }),
        }
    }
}

fn parse_procedure(code: &str, data: &str) -> Result<Procedure, StoreError> {
    serde_json::from_str(data).map_err(|e| StoreError::BadRow {
        what: "procedure",
        key: code.to_owned(),
        message: e.to_string(),
    })
}
