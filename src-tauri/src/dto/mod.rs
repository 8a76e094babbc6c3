//! Wire shapes of the Tauri commands (camelCase JSON), kept at the boundary so the core's domain types
//! stay free of UI concerns. Each DTO converts from or into exactly one core type; `ui/src/lib/backend/
//! types.ts` mirrors these structs field for field.

pub mod calendar;
pub mod capture;
pub mod counter;
pub mod dossiers;
pub mod queue;
pub mod reports;
pub mod session;
pub mod settings;
pub mod stamp;
pub mod verify;

use chrono::{NaiveDate, NaiveDateTime};
use motcua::calendar::ProcessingTime;
use motcua::catalog::{Fee, Level, Procedure, RequiredDocument};
use motcua::dossier::{
    Applicant, ApplicantKind, Channel, Dossier, DossierDocument, NewDossier, ResultReturn,
};
use serde::{Deserialize, Serialize};

/// How long a procedure takes, tagged for TypeScript: `{kind: "workingDays", days}` or `{kind: "sameDay"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ProcessingTimeDto {
    WorkingDays {
        days: u32,
    },
    /// `cutoff` is the local time (`HH:MM:SS`) after which a dossier counts as received the next working day.
    SameDay {
        cutoff: String,
    },
}

impl From<ProcessingTime> for ProcessingTimeDto {
    fn from(time: ProcessingTime) -> Self {
        match time {
            ProcessingTime::WorkingDays { days } => ProcessingTimeDto::WorkingDays { days },
            ProcessingTime::SameDay { cutoff } => ProcessingTimeDto::SameDay {
                cutoff: cutoff.to_string(),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequiredDocumentDto {
    pub code: String,
    pub name: String,
    pub originals: u32,
    pub certified_copies: u32,
    pub photocopies: u32,
    pub mandatory: bool,
}

impl From<&RequiredDocument> for RequiredDocumentDto {
    fn from(d: &RequiredDocument) -> Self {
        RequiredDocumentDto {
            code: d.code.clone(),
            name: d.name.clone(),
            originals: d.originals,
            certified_copies: d.certified_copies,
            photocopies: d.photocopies,
            mandatory: d.mandatory,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeeDto {
    pub name: String,
    pub amount_vnd: u64,
}

impl From<&Fee> for FeeDto {
    fn from(f: &Fee) -> Self {
        FeeDto {
            name: f.name.clone(),
            amount_vnd: f.amount_vnd,
        }
    }
}

/// A catalogue procedure for the picker and the dossier screens.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcedureDto {
    pub code: String,
    pub name: String,
    /// `province`, `district` or `commune`.
    pub level: Level,
    pub field: String,
    pub processing_time: ProcessingTimeDto,
    pub documents: Vec<RequiredDocumentDto>,
    pub fees: Vec<FeeDto>,
}

impl From<&Procedure> for ProcedureDto {
    fn from(p: &Procedure) -> Self {
        ProcedureDto {
            code: p.code.clone(),
            name: p.name.clone(),
            level: p.level,
            field: p.field.clone(),
            processing_time: p.processing_time.into(),
            documents: p.documents.iter().map(RequiredDocumentDto::from).collect(),
            fees: p.fees.iter().map(FeeDto::from).collect(),
        }
    }
}

/// The applicant, both ways. Enums travel as the core's snake_case names (`citizen`, `counter`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicantDto {
    pub full_name: String,
    pub citizen_id: String,
    /// `yyyy-mm-dd`.
    #[serde(default)]
    pub date_of_birth: Option<NaiveDate>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub kind: ApplicantKind,
}

impl From<&Applicant> for ApplicantDto {
    fn from(a: &Applicant) -> Self {
        ApplicantDto {
            full_name: a.full_name.clone(),
            citizen_id: a.citizen_id.clone(),
            date_of_birth: a.date_of_birth,
            phone: a.phone.clone(),
            address: a.address.clone(),
            email: a.email.clone(),
            kind: a.kind,
        }
    }
}

impl From<ApplicantDto> for Applicant {
    fn from(a: ApplicantDto) -> Self {
        Applicant {
            full_name: a.full_name,
            citizen_id: a.citizen_id,
            date_of_birth: a.date_of_birth,
            phone: a.phone,
            address: a.address,
            email: a.email,
            kind: a.kind,
        }
    }
}

/// What the reception form sends. The reception time is always "now" at the counter, so it is not sent.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewDossierDto {
    pub procedure_code: String,
    pub applicant: ApplicantDto,
    #[serde(default)]
    pub channel: Channel,
    #[serde(default)]
    pub result_return: ResultReturn,
    #[serde(default)]
    pub notes: String,
}

impl From<NewDossierDto> for NewDossier {
    fn from(d: NewDossierDto) -> Self {
        NewDossier {
            procedure_code: d.procedure_code,
            applicant: d.applicant.into(),
            channel: d.channel,
            result_return: d.result_return,
            received_at: None,
            notes: d.notes,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DossierDocumentDto {
    pub code: String,
    pub name: String,
    pub mandatory: bool,
    pub originals: u32,
    pub certified_copies: u32,
    pub photocopies: u32,
    /// Whether an assembled PDF is stored for this document.
    pub has_pdf: bool,
}

impl From<&DossierDocument> for DossierDocumentDto {
    fn from(d: &DossierDocument) -> Self {
        DossierDocumentDto {
            code: d.code.clone(),
            name: d.name.clone(),
            mandatory: d.mandatory,
            originals: d.originals,
            certified_copies: d.certified_copies,
            photocopies: d.photocopies,
            has_pdf: d.pdf_sha256.is_some(),
        }
    }
}

/// A dossier for the list and detail screens. Date-times are local Vietnam time without a zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DossierDto {
    pub id: String,
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant: ApplicantDto,
    pub channel: Channel,
    pub result_return: ResultReturn,
    pub received_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    /// The status machine name (`draft`, `received`, …); the UI translates it.
    pub status: &'static str,
    /// The national TrangThaiHoSo code (1–10), `null` for states local to the office.
    pub national_status: Option<u8>,
    pub documents: Vec<DossierDocumentDto>,
    pub fees: Vec<FeeDto>,
    pub notes: String,
    /// The traffic light, filled by the list (`null` elsewhere).
    pub deadline: Option<dossiers::DeadlineDto>,
}

impl From<&Dossier> for DossierDto {
    fn from(d: &Dossier) -> Self {
        DossierDto {
            id: d.id.clone(),
            code: d.code.clone(),
            procedure_code: d.procedure_code.clone(),
            procedure_name: d.procedure_name.clone(),
            applicant: (&d.applicant).into(),
            channel: d.channel,
            result_return: d.result_return,
            received_at: d.received_at,
            due_at: d.due_at,
            status: d.status.as_str(),
            national_status: d.status.national_code(),
            documents: d.documents.iter().map(DossierDocumentDto::from).collect(),
            fees: d.fees.iter().map(FeeDto::from).collect(),
            notes: d.notes.clone(),
            deadline: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use motcua::dossier::Status;
    use serde_json::json;

    fn applicant() -> Applicant {
        Applicant {
            full_name: "Nguyễn Thị Hồng Nhung".into(),
            citizen_id: "001190012345".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1990, 3, 2),
            phone: "0912345678".into(),
            address: "Hà Nội".into(),
            email: "hong@example.vn".into(),
            kind: ApplicantKind::Citizen,
        }
    }

    #[test]
    fn new_dossier_reads_the_json_the_form_sends() {
        let sent = json!({
            "procedureCode": "1.001193",
            "applicant": {
                "fullName": "Nguyễn Thị Hồng Nhung",
                "citizenId": "001190012345",
                "dateOfBirth": "1990-03-02",
                "phone": "0912345678",
                "address": "Hà Nội",
                "email": "hong@example.vn",
                "kind": "citizen"
            },
            "channel": "postal",
            "resultReturn": "post",
            "notes": "thiếu bản sao"
        });
        let dto: NewDossierDto = serde_json::from_value(sent).unwrap();
        let new: NewDossier = dto.into();
        assert_eq!(new.procedure_code, "1.001193");
        assert_eq!(new.applicant, applicant());
        assert_eq!(new.channel, Channel::Postal);
        assert_eq!(new.result_return, ResultReturn::Post);
        assert_eq!(new.received_at, None);
        assert_eq!(new.notes, "thiếu bản sao");
    }

    #[test]
    fn optional_applicant_fields_may_be_left_out() {
        let sent = json!({"procedureCode": "1.001193", "applicant": {"fullName": "A", "citizenId": "001190012345"}});
        let new: NewDossier = serde_json::from_value::<NewDossierDto>(sent)
            .unwrap()
            .into();
        assert_eq!(new.applicant.date_of_birth, None);
        assert_eq!(new.applicant.kind, ApplicantKind::Citizen);
        assert_eq!(new.channel, Channel::Counter);
    }

    #[test]
    fn dossier_goes_out_in_camel_case_with_status_names() {
        let received_at = NaiveDate::from_ymd_opt(2026, 11, 27)
            .unwrap()
            .and_hms_opt(8, 5, 0)
            .unwrap();
        let dossier = Dossier {
            id: "id-1".into(),
            code: "000.00.06.H56-261127-0001".into(),
            procedure_code: "1.001193".into(),
            procedure_name: "Đăng ký khai sinh".into(),
            applicant: applicant(),
            channel: Channel::Counter,
            result_return: ResultReturn::Counter,
            received_at,
            due_at: received_at,
            status: Status::Received,
            documents: vec![DossierDocument {
                code: "TK".into(),
                name: "Tờ khai".into(),
                mandatory: true,
                originals: 1,
                certified_copies: 0,
                photocopies: 0,
                pdf_sha256: None,
            }],
            fees: vec![Fee {
                name: "Lệ phí".into(),
                amount_vnd: 8000,
            }],
            notes: String::new(),
            created_by: "desk:test".into(),
        };
        let value = serde_json::to_value(DossierDto::from(&dossier)).unwrap();
        assert_eq!(value["procedureCode"], "1.001193");
        assert_eq!(value["receivedAt"], "2026-11-27T08:05:00");
        assert_eq!(value["applicant"]["fullName"], "Nguyễn Thị Hồng Nhung");
        assert_eq!(value["applicant"]["dateOfBirth"], "1990-03-02");
        assert_eq!(value["status"], "received");
        assert_eq!(value["nationalStatus"], 2);
        assert_eq!(value["documents"][0]["certifiedCopies"], 0);
        assert_eq!(value["documents"][0]["hasPdf"], false);
        assert_eq!(value["fees"][0]["amountVnd"], 8000);
        assert!(value.get("created_by").is_none() && value.get("createdBy").is_none());
    }

    #[test]
    fn processing_time_is_tagged_for_typescript() {
        let days = serde_json::to_value(ProcessingTimeDto::from(ProcessingTime::WorkingDays {
            days: 5,
        }))
        .unwrap();
        assert_eq!(days, json!({"kind": "workingDays", "days": 5}));
        let cutoff = chrono::NaiveTime::from_hms_opt(15, 0, 0).unwrap();
        let same_day =
            serde_json::to_value(ProcessingTimeDto::from(ProcessingTime::SameDay { cutoff }))
                .unwrap();
        assert_eq!(same_day, json!({"kind": "sameDay", "cutoff": "15:00:00"}));
    }
}

/// One entry of a dossier's timeline (an audit entry). `at` is UTC in RFC 3339; the UI shows it in local
/// time. `fromStatus`/`toStatus` are set for status changes so the UI can translate them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntryDto {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    /// Machine name of what happened, e.g. `dossier.create`, `dossier.status`.
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
}

impl From<&motcua::store::AuditEntry> for TimelineEntryDto {
    fn from(e: &motcua::store::AuditEntry) -> Self {
        let status = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .and_then(|v| v.get("status"))
                .and_then(|s| s.as_str())
                .map(str::to_owned)
        };
        TimelineEntryDto {
            seq: e.seq,
            at: e.at.clone(),
            actor: e.actor.clone(),
            action: e.action.clone(),
            from_status: status(&e.before),
            to_status: status(&e.after),
        }
    }
}
