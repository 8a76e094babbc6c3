//! Persistence of dossiers: code allocation, creation, listing and state changes.
//!
//! Code allocation and the insert share one IMMEDIATE transaction: SQLite then serialises writers across
//! processes, so two clerks on one database can never draw the same daily sequence number.

use super::{DATE_TIME, Store, StoreError, utc_now};
use crate::catalog::{Fee, Procedure};
use crate::dossier::{
    AgencyId, Applicant, Channel, Dossier, DossierCode, DossierDocument, ResultReturn, Status,
    ValidNewDossier,
};
use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Row, Transaction, params};

/// Optional narrowing of [`Store::dossiers`].
#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    pub status: Option<Status>,
    /// Matches the code, the applicant's name or citizen ID (substring, case-insensitive for ASCII).
    pub text: Option<String>,
}

fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn enum_parse<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
}

impl Store {
    /// Creates a dossier for `procedure`, drawing the next code of `agency` for the day of `received_at`.
    pub fn create_dossier(
        &mut self,
        new: &ValidNewDossier,
        procedure: &Procedure,
        agency: &AgencyId,
        received_at: NaiveDateTime,
        due_at: NaiveDateTime,
        actor: &str,
    ) -> Result<Dossier, StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| super::sql_err(&path, e);
        let day = received_at.date();
        let sequence: u32 = tx
            .query_row(
                "INSERT INTO code_sequences (agency, day, last) VALUES (?1, ?2, 1)
                 ON CONFLICT (agency, day) DO UPDATE SET last = last + 1 RETURNING last",
                params![agency.as_str(), day.format("%y%m%d").to_string()],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let code = DossierCode::new(agency.clone(), day, sequence)?.to_string();
        let dossier = Dossier {
            id: uuid::Uuid::new_v4().to_string(),
            code,
            procedure_code: procedure.code.clone(),
            procedure_name: procedure.name.clone(),
            applicant: new.applicant.clone(),
            channel: new.channel,
            result_return: new.result_return,
            received_at,
            due_at,
            status: Status::Draft,
            documents: ValidNewDossier::documents_from(procedure),
            fees: procedure.fees.clone(),
            notes: new.notes.clone(),
            created_by: actor.to_owned(),
        };
        tx.execute(
            "INSERT INTO dossiers (id, code, agency, procedure_code, procedure_name, applicant, applicant_name,
                citizen_id, channel, result_return, received_at, due_at, status, fees, notes, created_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                dossier.id,
                dossier.code,
                agency.as_str(),
                dossier.procedure_code,
                dossier.procedure_name,
                to_json(&dossier.applicant),
                dossier.applicant.full_name,
                dossier.applicant.citizen_id,
                enum_text(&dossier.channel),
                enum_text(&dossier.result_return),
                dossier.received_at.format(DATE_TIME).to_string(),
                dossier.due_at.format(DATE_TIME).to_string(),
                dossier.status.as_str(),
                to_json(&dossier.fees),
                dossier.notes,
                dossier.created_by,
                utc_now(),
            ],
        )
        .map_err(sql)?;
        for (ordinal, d) in dossier.documents.iter().enumerate() {
            tx.execute(
                "INSERT INTO dossier_documents (dossier_id, ordinal, code, name, mandatory, originals,
                    certified_copies, photocopies, pdf_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)",
                params![dossier.id, ordinal as i64, d.code, d.name, d.mandatory, d.originals, d.certified_copies, d.photocopies],
            )
            .map_err(sql)?;
        }
        let after = serde_json::to_value(&dossier).ok();
        super::audit::append(
            &tx,
            actor,
            "dossier.create",
            &format!("dossier:{}", dossier.code),
            None,
            after.as_ref(),
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(dossier)
    }

    /// Moves a dossier to `to` if the lifecycle allows it, auditing before/after.
    pub fn set_dossier_status(
        &mut self,
        code: &str,
        to: Status,
        actor: &str,
    ) -> Result<Dossier, StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| super::sql_err(&path, e);
        let (_, from) = current_status(&tx, code)?;
        write_status(&tx, code, from, to, actor, &[])?;
        tx.commit().map_err(sql)?;
        self.dossier(code)
    }

    /// Records a status change that took effect at `effective_at` (local Vietnam time), earlier than now:
    /// one entered after the fact from a paper register or the portal's processing time. The audit entry
    /// keeps the real time it was recorded and carries `effective_at`, which the deadline rules use.
    pub fn set_dossier_status_effective(
        &mut self,
        code: &str,
        to: Status,
        effective_at: NaiveDateTime,
        actor: &str,
    ) -> Result<Dossier, StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| super::sql_err(&path, e);
        let (_, from) = current_status(&tx, code)?;
        let at = effective_at.format(DATE_TIME).to_string();
        write_status(&tx, code, from, to, actor, &[("effective_at", at.into())])?;
        tx.commit().map_err(sql)?;
        self.dossier(code)
    }

    /// Dossiers, newest received first.
    pub fn dossiers(&self, filter: &DossierFilter) -> Result<Vec<Dossier>, StoreError> {
        let text = filter.text.as_deref().map(|t| format!("%{}%", t.trim()));
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM dossiers
                 WHERE (?1 IS NULL OR status = ?1)
                   AND (?2 IS NULL OR code LIKE ?2 OR applicant_name LIKE ?2 OR citizen_id LIKE ?2)
                 ORDER BY received_at DESC, code DESC"
            ))
            .map_err(|e| self.sql(e))?;
        let rows: Vec<RawDossier> = stmt
            .query_map(
                params![filter.status.map(Status::as_str), text],
                RawDossier::from_row,
            )
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        rows.into_iter().map(|raw| self.finish(raw)).collect()
    }

    /// One dossier by its code.
    pub fn dossier(&self, code: &str) -> Result<Dossier, StoreError> {
        let raw = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM dossiers WHERE code = ?1"),
                [code],
                RawDossier::from_row,
            )
            .optional()
            .map_err(|e| self.sql(e))?
            .ok_or_else(|| StoreError::NotFound {
                what: "hồ sơ",
                key: code.to_owned(),
            })?;
        self.finish(raw)
    }

    fn documents_of(&self, dossier_id: &str) -> Result<Vec<DossierDocument>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT code, name, mandatory, originals, certified_copies, photocopies, pdf_sha256
                 FROM dossier_documents WHERE dossier_id = ?1 ORDER BY ordinal",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([dossier_id], |r| {
            Ok(DossierDocument {
                code: r.get(0)?,
                name: r.get(1)?,
                mandatory: r.get(2)?,
                originals: r.get(3)?,
                certified_copies: r.get(4)?,
                photocopies: r.get(5)?,
                pdf_sha256: r.get(6)?,
            })
        })
        .map_err(|e| self.sql(e))?
        .collect::<Result<_, _>>()
        .map_err(|e| self.sql(e))
    }

    fn finish(&self, raw: RawDossier) -> Result<Dossier, StoreError> {
        let bad = |message: String| StoreError::BadRow {
            what: "hồ sơ",
            key: raw.code.clone(),
            message,
        };
        let applicant: Applicant =
            serde_json::from_str(&raw.applicant).map_err(|e| bad(e.to_string()))?;
        let fees: Vec<Fee> = serde_json::from_str(&raw.fees).map_err(|e| bad(e.to_string()))?;
        let channel: Channel =
            enum_parse(&raw.channel).ok_or_else(|| bad(format!("channel {}", raw.channel)))?;
        let result_return: ResultReturn = enum_parse(&raw.result_return)
            .ok_or_else(|| bad(format!("result_return {}", raw.result_return)))?;
        let status =
            Status::parse(&raw.status).ok_or_else(|| bad(format!("status {}", raw.status)))?;
        let time = |t: &str| {
            NaiveDateTime::parse_from_str(t, DATE_TIME).map_err(|e| bad(format!("{t}: {e}")))
        };
        Ok(Dossier {
            documents: self.documents_of(&raw.id)?,
            received_at: time(&raw.received_at)?,
            due_at: time(&raw.due_at)?,
            id: raw.id,
            code: raw.code,
            procedure_code: raw.procedure_code,
            procedure_name: raw.procedure_name,
            applicant,
            channel,
            result_return,
            status,
            fees,
            notes: raw.notes,
            created_by: raw.created_by,
        })
    }
}

/// The id and status of dossier `code`, read inside `tx` (IMMEDIATE, so it cannot change before the commit).
pub(super) fn current_status(
    tx: &Transaction<'_>,
    code: &str,
) -> Result<(String, Status), StoreError> {
    let path = tx.path().map(std::path::PathBuf::from).unwrap_or_default();
    // Cached statements on the submit path: preparing costs as much as running these one-row statements.
    let row: Option<(String, String)> = tx
        .prepare_cached("SELECT id, status FROM dossiers WHERE code = ?1")
        .and_then(|mut stmt| {
            stmt.query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| super::sql_err(&path, e))?;
    let Some((id, current)) = row else {
        return Err(StoreError::NotFound {
            what: "hồ sơ",
            key: code.to_owned(),
        });
    };
    let status = Status::parse(&current).ok_or_else(|| StoreError::BadRow {
        what: "hồ sơ",
        key: code.to_owned(),
        message: current.clone(),
    })?;
    Ok((id, status))
}

/// The one place a dossier's status is written: checks `from → to` with [`Status::transition`], updates
/// the row and appends the `dossier.status` audit entry in `tx`. `extra` fields join the entry's `after`
/// (e.g. the outbox job, the portal's reason).
pub(super) fn write_status(
    tx: &Transaction<'_>,
    code: &str,
    from: Status,
    to: Status,
    actor: &str,
    extra: &[(&str, serde_json::Value)],
) -> Result<(), StoreError> {
    let path = tx.path().map(std::path::PathBuf::from).unwrap_or_default();
    let sql = |e| super::sql_err(&path, e);
    from.transition(to)?;
    tx.prepare_cached("UPDATE dossiers SET status = ?1, updated_at = ?2 WHERE code = ?3")
        .and_then(|mut stmt| stmt.execute(params![to.as_str(), utc_now(), code]))
        .map_err(sql)?;
    let mut after = serde_json::Map::new();
    after.insert("status".into(), to.as_str().into());
    for (key, value) in extra {
        after.insert((*key).to_owned(), value.clone());
    }
    super::audit::append(
        tx,
        actor,
        "dossier.status",
        &format!("dossier:{code}"),
        Some(&serde_json::json!({ "status": from.as_str() })),
        Some(&serde_json::Value::Object(after)),
    )
    .map_err(sql)
}

const COLUMNS: &str = "id, code, procedure_code, procedure_name, applicant, channel, result_return, received_at, \
                       due_at, status, fees, notes, created_by";

struct RawDossier {
    id: String,
    code: String,
    procedure_code: String,
    procedure_name: String,
    applicant: String,
    channel: String,
    result_return: String,
    received_at: String,
    due_at: String,
    status: String,
    fees: String,
    notes: String,
    created_by: String,
}

impl RawDossier {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawDossier {
            id: r.get(0)?,
            code: r.get(1)?,
            procedure_code: r.get(2)?,
            procedure_name: r.get(3)?,
            applicant: r.get(4)?,
            channel: r.get(5)?,
            result_return: r.get(6)?,
            received_at: r.get(7)?,
            due_at: r.get(8)?,
            status: r.get(9)?,
            fees: r.get(10)?,
            notes: r.get(11)?,
            created_by: r.get(12)?,
        })
    }
}

/// JSON text of plain data structs (no maps with non-string keys), which cannot fail to serialise.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
