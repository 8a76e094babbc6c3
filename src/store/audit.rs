//! The append-only, hash-chained audit log.
//!
//! Each entry stores the SHA-256 of its predecessor and of its own fields; `audit_head` keeps the count and
//! the newest hash. Editing an entry breaks its hash, deleting one breaks the next entry's link (or the head's
//! count when it was the newest). Triggers refuse UPDATE and DELETE, so tampering needs deliberate work with
//! raw SQLite — which the chain then exposes. What a chain alone cannot catch is a rewrite of the whole log
//! and its head; anchoring the head hash outside the database (printing it in reports) closes that gap.

use super::{Store, StoreError, utc_now};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// One audit entry as read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// What `verify` found wrong, naming the entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditTamper {
    /// The entry's content no longer matches its hash.
    Modified { seq: i64 },
    /// The entry does not link to the one before it: entries between were deleted or reordered.
    BrokenLink { seq: i64 },
    /// Sequence numbers jump: an entry was deleted.
    Gap { after_seq: i64, next_seq: i64 },
    /// The head disagrees with the log: the newest entries were deleted or the head was edited.
    Head {
        expected_count: i64,
        found_count: i64,
    },
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub entries: i64,
    pub head_hash: String,
    pub problems: Vec<AuditTamper>,
}

impl AuditReport {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    before: Option<&str>,
    after: Option<&str>,
    prev: &str,
) -> String {
    // A JSON array is an unambiguous encoding of the fields (no separator can be forged inside a value).
    let canonical =
        serde_json::json!([seq, at, actor, action, entity, before, after, prev]).to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Appends an entry inside the caller's transaction, so the change and its record commit together.
pub(super) fn append(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    entity: &str,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> rusqlite::Result<()> {
    // Cached statements: every audited change runs these four, and preparing them costs about as much as
    // running them.
    let (count, prev): (i64, String) = tx
        .prepare_cached("SELECT count, hash FROM audit_head WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let last_seq: i64 = tx
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM audit_log")?
        .query_row([], |r| r.get(0))?;
    let seq = last_seq + 1;
    let at = utc_now();
    let before = before.map(|v| v.to_string());
    let after = after.map(|v| v.to_string());
    let hash = entry_hash(
        seq,
        &at,
        actor,
        action,
        entity,
        before.as_deref(),
        after.as_deref(),
        &prev,
    );
    tx.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, action, entity, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        seq, at, actor, action, entity, before, after, prev, hash
    ])?;
    tx.prepare_cached("UPDATE audit_head SET count = ?1, hash = ?2 WHERE id = 1")?
        .execute(params![count + 1, hash])?;
    Ok(())
}

impl Store {
    /// Walks the whole chain and reports every inconsistency found (not only the first).
    pub fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, at, actor, action, entity, before, after, prev_hash, hash FROM audit_log ORDER BY seq")
            .map_err(|e| self.sql(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql(e))?;
        let mut problems = Vec::new();
        let mut prev_hash = String::new();
        let mut prev_seq = 0i64;
        let mut entries = 0i64;
        while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
            let read = |i| row.get::<_, String>(i);
            let seq: i64 = row.get(0).map_err(|e| self.sql(e))?;
            let (at, actor, action, entity) = (
                read(1).map_err(|e| self.sql(e))?,
                read(2).map_err(|e| self.sql(e))?,
                read(3).map_err(|e| self.sql(e))?,
                read(4).map_err(|e| self.sql(e))?,
            );
            let before: Option<String> = row.get(5).map_err(|e| self.sql(e))?;
            let after: Option<String> = row.get(6).map_err(|e| self.sql(e))?;
            let (stored_prev, stored_hash) = (
                read(7).map_err(|e| self.sql(e))?,
                read(8).map_err(|e| self.sql(e))?,
            );
            entries += 1;
            if seq != prev_seq + 1 {
                problems.push(AuditTamper::Gap {
                    after_seq: prev_seq,
                    next_seq: seq,
                });
            }
            if stored_prev != prev_hash {
                problems.push(AuditTamper::BrokenLink { seq });
            }
            let computed = entry_hash(
                seq,
                &at,
                &actor,
                &action,
                &entity,
                before.as_deref(),
                after.as_deref(),
                &stored_prev,
            );
            if computed != stored_hash {
                problems.push(AuditTamper::Modified { seq });
            }
            prev_hash = stored_hash;
            prev_seq = seq;
        }
        let head: Option<(i64, String)> = self
            .conn
            .query_row("SELECT count, hash FROM audit_head WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(|e| self.sql(e))?;
        let (head_count, head_hash) = head.unwrap_or((-1, String::new()));
        if head_count != entries || head_hash != prev_hash {
            problems.push(AuditTamper::Head {
                expected_count: head_count,
                found_count: entries,
            });
        }
        Ok(AuditReport {
            entries,
            head_hash: prev_hash,
            problems,
        })
    }

    /// The audit entries about one entity (e.g. `dossier:<code>`), oldest first: the dossier's timeline.
    pub fn audit_trail(&self, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, at, actor, action, entity, before, after FROM audit_log WHERE entity = ?1 ORDER BY seq")
            .map_err(|e| self.sql(e))?;
        let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        let rows = stmt
            .query_map([entity], |r| {
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    before: parse(r.get(5)?),
                    after: parse(r.get(6)?),
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }
}
