//! The JSON catalogue format: reading with positions, and writing.
//!
//! A file is either an array of procedures or an object `{"note": "...", "procedures": [...]}`
//! (the note is for people and is ignored). The file is decoded in one pass with serde; values
//! are checked while they are decoded, so that every error, syntax or value, carries
//! `serde_json`'s line and column of the offending value. The format is described in
//! `docs/catalog-format.md`.
//!
//! Why a thread-local: serde's derive gives field deserializers no context, and `serde_json`
//! reveals a position only on an error it returns. A failing check therefore records what was
//! wrong in [`STATE`] and returns a custom error; `serde_json` attaches the position and
//! [`parse_json`] turns both into the matching [`CatalogError`]. The state lives for one call
//! of [`parse_json`] on one thread.

use super::error::{CatalogError, Column, Invalid, Location};
use super::{Fee, Level, Procedure, RequiredDocument, text};
use crate::calendar::ProcessingTime;
use chrono::NaiveTime;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

thread_local! {
    /// Context of the [`parse_json`] call running on this thread.
    static STATE: RefCell<State> = RefCell::new(State::default());
}

#[derive(Default)]
struct State {
    /// What was wrong with the value whose custom error is travelling up through serde_json.
    problem: Option<Invalid>,
    /// Procedure codes met so far in the file.
    seen: HashSet<String>,
    /// Second pass after a duplicate: stop at the first procedure with this code.
    locate: Option<String>,
    /// Set when that procedure was reached.
    located: bool,
}

/// Records `invalid` and returns the error that makes serde_json stop and add the position.
fn reject<E: de::Error>(invalid: Invalid) -> E {
    STATE.with(|state| state.borrow_mut().problem = Some(invalid));
    E::custom("invalid catalogue value")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapped {
    /// For people reading the file; accepted and ignored.
    #[serde(default, rename = "note")]
    _note: Option<String>,
    procedures: Procedures,
}

/// The list of procedures; each is checked as soon as it is decoded.
struct Procedures(Vec<Procedure>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProcedure {
    #[serde(deserialize_with = "procedure_code")]
    code: String,
    #[serde(deserialize_with = "procedure_name")]
    name: String,
    #[serde(deserialize_with = "level")]
    level: Level,
    #[serde(deserialize_with = "field")]
    field: String,
    #[serde(deserialize_with = "processing_time")]
    processing_time: ProcessingTime,
    #[serde(default)]
    documents: Vec<RawDocument>,
    #[serde(default)]
    fees: Vec<RawFee>,
    #[serde(default)]
    sample: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    #[serde(default)]
    code: Option<String>,
    #[serde(deserialize_with = "document_name")]
    name: String,
    #[serde(default)]
    originals: u32,
    #[serde(default)]
    certified_copies: u32,
    #[serde(default)]
    photocopies: u32,
    #[serde(default = "yes")]
    mandatory: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFee {
    #[serde(deserialize_with = "fee_name")]
    name: String,
    amount_vnd: u64,
}

/// Parses a JSON catalogue. `source` names the file in error messages; a leading byte-order
/// mark is ignored.
pub fn parse_json(text: &str, source: &Path) -> Result<Vec<Procedure>, CatalogError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (error, problem) = match decode(text, None) {
        Ok(procedures) => return Ok(procedures),
        Err(failure) => failure,
    };
    let at = Location {
        line: error.line(),
        column: Column::Char(error.column()),
    };
    match problem {
        Some(Invalid::DuplicateCode { code, .. }) => {
            let first_line = match decode(text, Some(code.clone())) {
                Err((located, None)) => located.line(),
                _ => 0,
            };
            Err(Invalid::DuplicateCode { code, first_line }.at(source, at))
        }
        Some(invalid) => Err(invalid.at(source, at)),
        None => {
            let full = error.to_string();
            let suffix = format!(" at line {} column {}", error.line(), error.column());
            let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
            Err(CatalogError::Syntax {
                path: source.to_owned(),
                line: error.line(),
                column: error.column(),
                message,
            })
        }
    }
}

/// One decoding pass. On failure: serde_json's error and the recorded value problem, if the
/// error came from a check (none when it is a syntax or type error, or the located stop).
fn decode(
    text: &str,
    locate: Option<String>,
) -> Result<Vec<Procedure>, (serde_json::Error, Option<Invalid>)> {
    STATE.with(|state| {
        *state.borrow_mut() = State {
            locate,
            ..State::default()
        }
    });
    let result = if text.trim_start().starts_with('[') {
        serde_json::from_str::<Procedures>(text).map(|list| list.0)
    } else {
        serde_json::from_str::<Wrapped>(text).map(|wrapped| wrapped.procedures.0)
    };
    let state = STATE.with(|state| std::mem::take(&mut *state.borrow_mut()));
    result.map_err(|error| (error, state.problem))
}

/// Writes procedures as a JSON catalogue (`{"note", "procedures"}`, pretty-printed) that
/// [`parse_json`] reads back to equal values.
pub fn to_json(procedures: &[Procedure], note: &str) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        note: &'a str,
        procedures: &'a [Procedure],
    }
    // Serialising plain structs and strings into a string cannot fail.
    serde_json::to_string_pretty(&Document { note, procedures }).unwrap_or_default() + "\n"
}

impl<'de> Deserialize<'de> for Procedures {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ProceduresVisitor)
    }
}

struct ProceduresVisitor;

impl<'de> Visitor<'de> for ProceduresVisitor {
    type Value = Procedures;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list of procedures")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Procedures, A::Error> {
        let mut procedures = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(raw) = seq.next_element::<RawProcedure>()? {
            procedures.push(finish(raw).map_err(reject)?);
        }
        Ok(Procedures(procedures))
    }
}

/// Gives documents without a code their positional code `TP<n>` and checks that document
/// codes are unique within the procedure.
fn finish(raw: RawProcedure) -> Result<Procedure, Invalid> {
    let mut documents: Vec<RequiredDocument> = Vec::with_capacity(raw.documents.len());
    for (index, document) in raw.documents.into_iter().enumerate() {
        let code = match document.code {
            Some(code) => text::required(&code, "document code")?,
            None => format!("TP{}", index + 1),
        };
        if documents.iter().any(|d| d.code == code) {
            return Err(Invalid::DuplicateDocument {
                procedure: raw.code,
                document: code,
            });
        }
        documents.push(RequiredDocument {
            code,
            name: document.name,
            originals: document.originals,
            certified_copies: document.certified_copies,
            photocopies: document.photocopies,
            mandatory: document.mandatory,
        });
    }
    let fees = raw
        .fees
        .into_iter()
        .map(|fee| Fee {
            name: fee.name,
            amount_vnd: fee.amount_vnd,
        })
        .collect();
    Ok(Procedure {
        code: raw.code,
        name: raw.name,
        level: raw.level,
        field: raw.field,
        processing_time: raw.processing_time,
        documents,
        fees,
        sample: raw.sample,
    })
}

/// Validates a procedure code and checks that it is new in this file.
fn procedure_code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let code = text::procedure_code(&String::deserialize(deserializer)?).map_err(reject)?;
    let (duplicate, located) = STATE.with(|state| {
        let mut state = state.borrow_mut();
        if state.locate.as_deref() == Some(code.as_str()) {
            state.located = true;
            (false, true)
        } else {
            (!state.seen.insert(code.clone()), false)
        }
    });
    if located {
        Err(de::Error::custom("first occurrence of the duplicated code"))
    } else if duplicate {
        Err(reject(Invalid::DuplicateCode {
            code,
            first_line: 0,
        }))
    } else {
        Ok(code)
    }
}

fn procedure_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    text::required(&String::deserialize(deserializer)?, "procedure name").map_err(reject)
}

fn field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    text::required(&String::deserialize(deserializer)?, "field (lĩnh vực)").map_err(reject)
}

fn document_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    text::required(&String::deserialize(deserializer)?, "document name").map_err(reject)
}

fn fee_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    text::fee_name(&String::deserialize(deserializer)?).map_err(reject)
}

/// `commune`/`district`/`province` or any Vietnamese spelling that [`text::level`] reads.
fn level<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Level, D::Error> {
    text::level(&String::deserialize(deserializer)?).map_err(reject)
}

fn processing_time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ProcessingTime, D::Error> {
    processing_time_value(&serde_json::Value::deserialize(deserializer)?).map_err(reject)
}

/// Reads `processing_time` in any of its JSON spellings: the tagged object that
/// [`ProcessingTime`] serialises to, a number of working days, or the text forms of
/// [`text::processing_time`].
fn processing_time_value(value: &serde_json::Value) -> Result<ProcessingTime, Invalid> {
    use serde_json::Value;
    let bad = || Invalid::Time(value.to_string());
    let positive_days = |days: Option<u64>| match days.and_then(|n| u32::try_from(n).ok()) {
        Some(days) if days > 0 => Ok(ProcessingTime::WorkingDays { days }),
        _ => Err(bad()),
    };
    match value {
        Value::String(text) => text::processing_time(text),
        Value::Number(number) => positive_days(number.as_u64()),
        Value::Object(object) => {
            let kind = object.get("kind").and_then(Value::as_str).ok_or_else(bad)?;
            match (kind, object.len()) {
                ("working_days", 2) => positive_days(object.get("days").and_then(Value::as_u64)),
                ("same_day", 2) => {
                    let cutoff = object
                        .get("cutoff")
                        .and_then(Value::as_str)
                        .ok_or_else(bad)?;
                    let cutoff = NaiveTime::parse_from_str(cutoff, "%H:%M:%S")
                        .or_else(|_| NaiveTime::parse_from_str(cutoff, "%H:%M"))
                        .map_err(|_| bad())?;
                    Ok(ProcessingTime::SameDay { cutoff })
                }
                _ => Err(bad()),
            }
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_processing_time_spelling() {
        let days = Ok(ProcessingTime::WorkingDays { days: 5 });
        assert_eq!(processing_time_value(&json!(5)), days);
        assert_eq!(processing_time_value(&json!("5 ngày làm việc")), days);
        assert_eq!(
            processing_time_value(&json!({"kind": "working_days", "days": 5})),
            days
        );
        let cutoff = NaiveTime::from_hms_opt(15, 0, 0).unwrap();
        let same = Ok(ProcessingTime::SameDay { cutoff });
        assert_eq!(
            processing_time_value(&json!({"kind": "same_day", "cutoff": "15:00"})),
            same
        );
        assert_eq!(
            processing_time_value(&json!({"kind": "same_day", "cutoff": "15:00:00"})),
            same
        );
        for bad in [
            json!(-3),
            json!(0),
            json!(2.5),
            json!({"kind": "working_days", "days": -3}),
            json!({"kind": "working_days", "days": 3, "extra": 1}),
            json!({"kind": "weeks", "days": 3}),
            json!({"kind": "same_day", "cutoff": "25:00"}),
            json!(null),
        ] {
            assert!(
                matches!(processing_time_value(&bad), Err(Invalid::Time(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn unknown_keys_are_errors_so_typos_are_not_dropped() {
        let text = "[{\"code\": \"1.001193\", \"name\": \"A\", \"level\": \"xã\", \"field\": \"B\",\n  \"proccessing_time\": 5}]";
        let error = parse_json(text, Path::new("typo.json")).unwrap_err();
        assert!(
            matches!(&error, CatalogError::Syntax { line: 2, message, .. } if message.contains("proccessing_time")),
            "{error:?}"
        );
    }
}
