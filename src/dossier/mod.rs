//! The dossier (hồ sơ): what the applicant brought, for which procedure, and where it is in its life.
//!
//! This module holds the domain model and its validation rules; it knows nothing of SQLite or the UI.
//! A [`NewDossier`] is what the clerk types; [`NewDossier::validate`] turns it into [`ValidNewDossier`], the
//! only form the store accepts, so unvalidated input cannot reach the database.

mod citizen_id;
mod code;
pub mod deadline;
pub mod settlement;
mod status;

pub use citizen_id::{CitizenId, CitizenIdError};
pub use code::{AgencyId, CodeError, DossierCode};
pub use status::{Status, TransitionError};

use crate::catalog::{Fee, Procedure};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// LoaiDoiTuong: who the applicant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    #[default]
    Citizen,
    Business,
    Agency,
    Organisation,
}

impl ApplicantKind {
    /// The national LoaiDoiTuong code.
    pub fn national_code(self) -> u8 {
        match self {
            ApplicantKind::Citizen => 1,
            ApplicantKind::Business => 2,
            ApplicantKind::Agency => 3,
            ApplicantKind::Organisation => 4,
        }
    }
}

/// KenhThucHien: how the dossier reached the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Counter,
    Online,
    Postal,
}

impl Channel {
    /// The national KenhThucHien code: 1 counter, 2 online, 3 postal.
    pub fn national_code(self) -> u8 {
        match self {
            Channel::Counter => 1,
            Channel::Online => 2,
            Channel::Postal => 3,
        }
    }
}

/// HinhThuc: how the result goes back to the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ResultReturn {
    #[default]
    Counter,
    Post,
}

/// The applicant (chủ hồ sơ) as the clerk records them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Applicant {
    pub full_name: String,
    pub citizen_id: String,
    pub date_of_birth: Option<NaiveDate>,
    pub phone: String,
    pub address: String,
    pub email: String,
    pub kind: ApplicantKind,
}

/// What the clerk submits to open a dossier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NewDossier {
    pub procedure_code: String,
    pub applicant: Applicant,
    pub channel: Channel,
    pub result_return: ResultReturn,
    /// Local Vietnam time; `None` means now.
    pub received_at: Option<NaiveDateTime>,
    pub notes: String,
}

/// A [`NewDossier`] whose fields passed every rule; text is trimmed and NFC-normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidNewDossier {
    pub procedure_code: String,
    pub applicant: Applicant,
    pub citizen_id: CitizenId,
    pub channel: Channel,
    pub result_return: ResultReturn,
    pub received_at: Option<NaiveDateTime>,
    pub notes: String,
}

/// One required document (thành phần hồ sơ) of a dossier, copied from the procedure when the dossier opens
/// so later catalogue edits do not rewrite what was received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierDocument {
    pub code: String,
    pub name: String,
    pub mandatory: bool,
    pub originals: u32,
    pub certified_copies: u32,
    pub photocopies: u32,
    /// SHA-256 of the assembled PDF in the blob store, once there is one.
    pub pdf_sha256: Option<String>,
}

/// A dossier as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dossier {
    pub id: String,
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant: Applicant,
    pub channel: Channel,
    pub result_return: ResultReturn,
    pub received_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub status: Status,
    pub documents: Vec<DossierDocument>,
    pub fees: Vec<Fee>,
    pub notes: String,
    pub created_by: String,
}

/// A rule the clerk's input broke. `field` is the form field's stable name, so the UI can put the message
/// next to it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DossierError {
    #[error("thiếu {field}")]
    Required { field: &'static str },
    #[error("số định danh không hợp lệ: {0}")]
    CitizenId(#[from] CitizenIdError),
    #[error("số điện thoại {0:?} không hợp lệ: cần 10 chữ số bắt đầu bằng 0 (hoặc +84)")]
    Phone(String),
    #[error("thư điện tử {0:?} không hợp lệ")]
    Email(String),
    #[error("ngày sinh {0} ở tương lai")]
    BirthInFuture(NaiveDate),
    #[error(transparent)]
    Transition(#[from] TransitionError),
}

fn clean(text: &str) -> String {
    text.trim().nfc().collect()
}

impl NewDossier {
    /// Applies the counter's rules. `today` bounds the date of birth.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidNewDossier, DossierError> {
        let procedure_code = clean(&self.procedure_code);
        if procedure_code.is_empty() {
            return Err(DossierError::Required {
                field: "procedure_code",
            });
        }
        let a = &self.applicant;
        let full_name = clean(&a.full_name);
        if full_name.is_empty() {
            return Err(DossierError::Required { field: "full_name" });
        }
        let citizen_id = CitizenId::parse(&a.citizen_id)?;
        if let Some(birth) = a.date_of_birth {
            if birth > today {
                return Err(DossierError::BirthInFuture(birth));
            }
            citizen_id.check_birth_date(birth)?;
        }
        let phone = normalise_phone(&a.phone)?;
        let email = clean(&a.email);
        if !email.is_empty() && !looks_like_email(&email) {
            return Err(DossierError::Email(email));
        }
        Ok(ValidNewDossier {
            procedure_code,
            applicant: Applicant {
                full_name,
                citizen_id: citizen_id.to_string(),
                date_of_birth: a.date_of_birth,
                phone,
                address: clean(&a.address),
                email,
                kind: a.kind,
            },
            citizen_id,
            channel: self.channel,
            result_return: self.result_return,
            received_at: self.received_at,
            notes: clean(&self.notes),
        })
    }
}

impl ValidNewDossier {
    /// The documents this dossier must contain, from its procedure.
    pub fn documents_from(procedure: &Procedure) -> Vec<DossierDocument> {
        procedure
            .documents
            .iter()
            .map(|d| DossierDocument {
                code: d.code.clone(),
                name: d.name.clone(),
                mandatory: d.mandatory,
                originals: d.originals,
                certified_copies: d.certified_copies,
                photocopies: d.photocopies,
                pdf_sha256: None,
            })
            .collect()
    }
}

/// Empty stays empty (the phone is optional); otherwise 10 digits starting with 0, `+84` accepted and rewritten.
fn normalise_phone(text: &str) -> Result<String, DossierError> {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    if compact.is_empty() {
        return Ok(compact);
    }
    let national = match compact.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    if national.len() == 10
        && national.starts_with('0')
        && national.bytes().all(|b| b.is_ascii_digit())
    {
        Ok(national)
    } else {
        Err(DossierError::Phone(text.trim().to_owned()))
    }
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> NewDossier {
        NewDossier {
            procedure_code: " 1.001193 ".into(),
            applicant: Applicant {
                full_name: "  Nguyễn Thị Hồng  ".into(),
                citizen_id: "001190012345".into(),
                date_of_birth: NaiveDate::from_ymd_opt(1990, 3, 2),
                phone: "+84 912 345 678".into(),
                email: "hong@example.vn".into(),
                ..Applicant::default()
            },
            ..NewDossier::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn validation_trims_and_normalises() {
        let v = sample().validate(today()).unwrap();
        assert_eq!(v.procedure_code, "1.001193");
        assert_eq!(v.applicant.full_name, "Nguyễn Thị Hồng");
        assert_eq!(v.applicant.phone, "0912345678");
    }

    #[test]
    fn decomposed_vietnamese_is_stored_composed() {
        let mut d = sample();
        d.applicant.full_name = "Nguye\u{302}\u{303}n".into(); // "Nguyễn" typed with combining marks
        let v = d.validate(today()).unwrap();
        assert_eq!(v.applicant.full_name, "Nguyễn");
    }

    #[test]
    fn each_rule_reports_its_field() {
        let mut d = sample();
        d.applicant.full_name = " ".into();
        assert_eq!(
            d.validate(today()),
            Err(DossierError::Required { field: "full_name" })
        );
        let mut d = sample();
        d.applicant.phone = "12345".into();
        assert!(matches!(d.validate(today()), Err(DossierError::Phone(_))));
        let mut d = sample();
        d.applicant.email = "a@b".into();
        assert!(matches!(d.validate(today()), Err(DossierError::Email(_))));
        let mut d = sample();
        d.applicant.date_of_birth = NaiveDate::from_ymd_opt(1991, 3, 2);
        assert!(matches!(
            d.validate(today()),
            Err(DossierError::CitizenId(
                CitizenIdError::BirthYearMismatch { .. }
            ))
        ));
        let mut d = sample();
        d.applicant.date_of_birth = NaiveDate::from_ymd_opt(2027, 1, 1);
        assert!(matches!(
            d.validate(today()),
            Err(DossierError::BirthInFuture(_))
        ));
    }
}
