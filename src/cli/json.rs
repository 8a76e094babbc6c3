//! The CLI's `--json` output: stable, documented in docs/cli-json.md.
//!
//! These view types are the contract with scripts and tests, kept apart from the domain types so that a
//! refactor of the model cannot silently change the output. Add fields freely; never rename or remove one.
//! Times are local Vietnam time in RFC 3339 with the `+07:00` offset.

use chrono::NaiveDateTime;
use motcua::catalog::{Fee, Procedure};
use motcua::dossier::Dossier;
use motcua::dossier::deadline::DeadlineState;
use serde::Serialize;

fn vn(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+07:00").to_string()
}

pub fn pretty<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

#[derive(Serialize)]
struct DossierView<'a> {
    code: &'a str,
    id: &'a str,
    procedure_code: &'a str,
    procedure_name: &'a str,
    applicant: ApplicantView<'a>,
    channel: &'a motcua::dossier::Channel,
    channel_code: u8,
    result_return: &'a motcua::dossier::ResultReturn,
    received_at: String,
    due_at: String,
    status: &'static str,
    status_code: Option<u8>,
    status_label: &'static str,
    documents: Vec<DocumentView<'a>>,
    fees: &'a [Fee],
    notes: &'a str,
    created_by: &'a str,
}

#[derive(Serialize)]
struct ApplicantView<'a> {
    full_name: &'a str,
    citizen_id: &'a str,
    date_of_birth: Option<String>,
    phone: &'a str,
    address: &'a str,
    email: &'a str,
    kind: &'a motcua::dossier::ApplicantKind,
    kind_code: u8,
}

#[derive(Serialize)]
struct DocumentView<'a> {
    code: &'a str,
    name: &'a str,
    mandatory: bool,
    originals: u32,
    certified_copies: u32,
    photocopies: u32,
    pdf_sha256: Option<&'a str>,
}

fn view(d: &Dossier) -> DossierView<'_> {
    DossierView {
        code: &d.code,
        id: &d.id,
        procedure_code: &d.procedure_code,
        procedure_name: &d.procedure_name,
        applicant: ApplicantView {
            full_name: &d.applicant.full_name,
            citizen_id: &d.applicant.citizen_id,
            date_of_birth: d
                .applicant
                .date_of_birth
                .map(|b| b.format("%Y-%m-%d").to_string()),
            phone: &d.applicant.phone,
            address: &d.applicant.address,
            email: &d.applicant.email,
            kind: &d.applicant.kind,
            kind_code: d.applicant.kind.national_code(),
        },
        channel: &d.channel,
        channel_code: d.channel.national_code(),
        result_return: &d.result_return,
        received_at: vn(d.received_at),
        due_at: vn(d.due_at),
        status: d.status.as_str(),
        status_code: d.status.national_code(),
        status_label: d.status.label_vi(),
        documents: d
            .documents
            .iter()
            .map(|doc| DocumentView {
                code: &doc.code,
                name: &doc.name,
                mandatory: doc.mandatory,
                originals: doc.originals,
                certified_copies: doc.certified_copies,
                photocopies: doc.photocopies,
                pdf_sha256: doc.pdf_sha256.as_deref(),
            })
            .collect(),
        fees: &d.fees,
        notes: &d.notes,
        created_by: &d.created_by,
    }
}

pub fn dossier(d: &Dossier) -> String {
    pretty(&view(d))
}

/// Each dossier as in `dossier show`, plus its `deadline` (docs/cli-json.md).
pub fn dossiers_with_deadlines(list: &[(Dossier, DeadlineState)]) -> String {
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|(d, s)| {
            let mut value = serde_json::to_value(view(d)).unwrap_or_default();
            if let Some(map) = value.as_object_mut() {
                map.insert(
                    "deadline".to_owned(),
                    serde_json::json!({
                        "colour": s.colour,
                        "remaining_minutes": s.remaining_minutes,
                        "paused_minutes": s.paused_minutes,
                        "effective_due": vn(s.effective_due),
                        "paused": s.paused,
                        "stopped": s.stopped,
                    }),
                );
            }
            value
        })
        .collect();
    pretty(&items)
}

pub fn procedures(list: &[Procedure]) -> String {
    pretty(&list)
}

pub fn due(from: NaiveDateTime, due: NaiveDateTime) -> String {
    pretty(&serde_json::json!({ "received_at": vn(from), "due_at": vn(due) }))
}
