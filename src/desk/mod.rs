//! The application service: the one API the CLI and the desktop shell call.
//!
//! `Desk` ties the store, the catalogue and the calendar together (computing due dates, checking procedures
//! exist, validating input before it reaches SQLite) and gives every failure a stable [`ErrorCode`], which the
//! UI maps to Vietnamese or English text. It is `Send + Sync`: the store sits behind a mutex, which is cheap at
//! counter scale (one clerk, a handful of writes a minute).

mod capture_pages;
mod capture_preview;
mod counter;
mod queue;
mod signing;

use crate::calendar::{CalendarError, WorkingCalendar};
use crate::catalog::{self, CatalogError, Procedure};
use crate::dossier::{AgencyId, CodeError, Dossier, DossierError, NewDossier, Status};
use crate::receipt::ReceiptError;
use crate::store::{
    AuditEntry, AuditReport, BlobProblem, DossierFilter, OutboxJob, Store, StoreError,
};
use chrono::{FixedOffset, NaiveDateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

mod apology;
mod calendar;
mod dossier_files;
mod fees;
mod hot_folder;
mod scan_profile;
pub use hot_folder::{HotFolderEvent, HotFolderTarget, HotFolderWatch, WatchTiming};
pub use scan_profile::ScanProfile;
mod list_deadlines;
pub use dossier_files::DossierFileError;

pub use apology::ApologyCandidate;
mod reports;
pub mod settings;
mod stamp;
mod users;
mod verify;

pub use calendar::OfficeDay;
pub use reports::{ExportFormat, TrendPoint};
pub use settings::{OfficeSetting, SettingError, TrustedCertificate};
pub use verify::{VerifyOutcome, collect_pdfs, combined_html};

pub use crate::store::ImportReport;
pub use counter::{AssembledDocument, ImportOutcome};
pub use signing::{SignKey, SignSummary, SignWith, TokenChoice};

/// Setting key for the agency identifier that prefixes dossier codes.
pub const AGENCY_CODE: &str = "agency.code";
/// The office's own calendar decisions (compensatory days off, swapped Saturdays), beside the database.
pub const OFFICE_CALENDAR_FILE: &str = "calendar-overrides.json";
/// Used until the office sets its own (`motcua config set agency.code …`); the sample agency of the docs.
pub const DEMO_AGENCY_CODE: &str = "000.00.06.H56";

/// The stable, closed set of error codes shown to users (the UI's i18n tables are keyed by these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    RequiredField,
    InvalidCitizenId,
    InvalidPhone,
    InvalidEmail,
    BirthInFuture,
    IllegalTransition,
    UnknownProcedure,
    DossierNotFound,
    InvalidAgencyCode,
    DailySequenceExhausted,
    CatalogInvalid,
    CalendarInvalid,
    FileUnreadable,
    DataDirReadOnly,
    DiskFull,
    DatabaseTooNew,
    DatabaseCorrupt,
    ApologyAfterDue,
    FileUnwritable,
    SettlementInvalid,
    WrongPassword,
    AccountDisabled,
    PermissionDenied,
    InvalidUser,
    LoginTaken,
    InvalidSetting,
    CertificateInvalid,
    JobNotFound,
    Internal,
    CccdQrNotFound,
    CccdNotACard,
    NoPages,
    WrongPin,
    PinLocked,
    CertificateExpired,
    CertificateUnusable,
    TokenUnavailable,
    SigningFailed,
    Cancelled,
    ScannerFailed,
    PageNotReplaced,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 41] = [
        ErrorCode::RequiredField,
        ErrorCode::InvalidCitizenId,
        ErrorCode::InvalidPhone,
        ErrorCode::InvalidEmail,
        ErrorCode::BirthInFuture,
        ErrorCode::IllegalTransition,
        ErrorCode::UnknownProcedure,
        ErrorCode::DossierNotFound,
        ErrorCode::InvalidAgencyCode,
        ErrorCode::DailySequenceExhausted,
        ErrorCode::CatalogInvalid,
        ErrorCode::CalendarInvalid,
        ErrorCode::FileUnreadable,
        ErrorCode::DataDirReadOnly,
        ErrorCode::DiskFull,
        ErrorCode::DatabaseTooNew,
        ErrorCode::DatabaseCorrupt,
        ErrorCode::ApologyAfterDue,
        ErrorCode::FileUnwritable,
        ErrorCode::SettlementInvalid,
        ErrorCode::WrongPassword,
        ErrorCode::AccountDisabled,
        ErrorCode::PermissionDenied,
        ErrorCode::InvalidUser,
        ErrorCode::LoginTaken,
        ErrorCode::InvalidSetting,
        ErrorCode::CertificateInvalid,
        ErrorCode::JobNotFound,
        ErrorCode::Internal,
        ErrorCode::CccdQrNotFound,
        ErrorCode::CccdNotACard,
        ErrorCode::NoPages,
        ErrorCode::WrongPin,
        ErrorCode::PinLocked,
        ErrorCode::CertificateExpired,
        ErrorCode::CertificateUnusable,
        ErrorCode::TokenUnavailable,
        ErrorCode::SigningFailed,
        ErrorCode::Cancelled,
        ErrorCode::ScannerFailed,
        ErrorCode::PageNotReplaced,
    ];

    /// The wire name, e.g. `invalid_citizen_id`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::RequiredField => "required_field",
            ErrorCode::InvalidCitizenId => "invalid_citizen_id",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::BirthInFuture => "birth_in_future",
            ErrorCode::IllegalTransition => "illegal_transition",
            ErrorCode::UnknownProcedure => "unknown_procedure",
            ErrorCode::DossierNotFound => "dossier_not_found",
            ErrorCode::InvalidAgencyCode => "invalid_agency_code",
            ErrorCode::DailySequenceExhausted => "daily_sequence_exhausted",
            ErrorCode::CatalogInvalid => "catalog_invalid",
            ErrorCode::CalendarInvalid => "calendar_invalid",
            ErrorCode::FileUnreadable => "file_unreadable",
            ErrorCode::DataDirReadOnly => "data_dir_read_only",
            ErrorCode::DiskFull => "disk_full",
            ErrorCode::DatabaseTooNew => "database_too_new",
            ErrorCode::DatabaseCorrupt => "database_corrupt",
            ErrorCode::ApologyAfterDue => "apology_after_due",
            ErrorCode::FileUnwritable => "file_unwritable",
            ErrorCode::SettlementInvalid => "settlement_invalid",
            ErrorCode::WrongPassword => "wrong_password",
            ErrorCode::AccountDisabled => "account_disabled",
            ErrorCode::PermissionDenied => "permission_denied",
            ErrorCode::InvalidUser => "invalid_user",
            ErrorCode::LoginTaken => "login_taken",
            ErrorCode::InvalidSetting => "invalid_setting",
            ErrorCode::CertificateInvalid => "certificate_invalid",
            ErrorCode::JobNotFound => "job_not_found",
            ErrorCode::Internal => "internal",
            ErrorCode::CccdQrNotFound => "cccd_qr_not_found",
            ErrorCode::CccdNotACard => "cccd_not_a_card",
            ErrorCode::NoPages => "no_pages",
            ErrorCode::WrongPin => "wrong_pin",
            ErrorCode::PinLocked => "pin_locked",
            ErrorCode::CertificateExpired => "certificate_expired",
            ErrorCode::CertificateUnusable => "certificate_unusable",
            ErrorCode::TokenUnavailable => "token_unavailable",
            ErrorCode::SigningFailed => "signing_failed",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::ScannerFailed => "scanner_failed",
            ErrorCode::PageNotReplaced => "page_not_replaced",
        }
    }
}

/// Any failure of a [`Desk`] call; the message is Vietnamese and names the file or value involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeskError {
    #[error(transparent)]
    Dossier(#[from] DossierError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("không tìm thấy thủ tục có mã {0:?} trong danh mục")]
    UnknownProcedure(String),
    #[error(transparent)]
    Receipt(#[from] crate::receipt::ReceiptError),
    #[error(transparent)]
    Export(#[from] crate::report::ExportError),
    #[error(transparent)]
    Settlement(#[from] crate::dossier::settlement::SettlementError),
    #[error(
        "hồ sơ {code}: thời điểm {at} không hợp lệ — phải từ lúc tiếp nhận ({received_at}) đến hiện tại"
    )]
    EffectiveTime {
        code: String,
        at: NaiveDateTime,
        received_at: NaiveDateTime,
    },
    #[error(transparent)]
    User(#[from] crate::user::UserError),
    #[error(transparent)]
    DossierFile(#[from] dossier_files::DossierFileError),
    #[error(transparent)]
    Setting(#[from] SettingError),
    #[error(transparent)]
    Counter(#[from] crate::counter::CounterError),
}

impl DeskError {
    /// The stable code the UI translates.
    pub fn code(&self) -> ErrorCode {
        match self {
            DeskError::Dossier(e) => match e {
                DossierError::Required { .. } => ErrorCode::RequiredField,
                DossierError::CitizenId(_) => ErrorCode::InvalidCitizenId,
                DossierError::Phone(_) => ErrorCode::InvalidPhone,
                DossierError::Email(_) => ErrorCode::InvalidEmail,
                DossierError::BirthInFuture(_) => ErrorCode::BirthInFuture,
                DossierError::Transition(_) => ErrorCode::IllegalTransition,
            },
            DeskError::Store(e) => match e {
                StoreError::ReadOnly { .. } | StoreError::CreateDir { .. } => {
                    ErrorCode::DataDirReadOnly
                }
                StoreError::DiskFull { .. } => ErrorCode::DiskFull,
                StoreError::NewerSchema { .. } => ErrorCode::DatabaseTooNew,
                StoreError::Corrupt { .. } => ErrorCode::DatabaseCorrupt,
                StoreError::NotFound {
                    what: "hồ sơ", ..
                } => ErrorCode::DossierNotFound,
                StoreError::NotFound {
                    what: "việc gửi",
                ..
                } => ErrorCode::JobNotFound,
                StoreError::NotFound { .. } => ErrorCode::UnknownProcedure,
                StoreError::Transition(_) | StoreError::JobState { .. } => {
                    ErrorCode::IllegalTransition
                }
                StoreError::MissingDocumentPdf { .. } => ErrorCode::RequiredField,
                StoreError::PageNotReplaced { .. } => ErrorCode::PageNotReplaced,
                StoreError::Code(CodeError::SequenceExhausted) => ErrorCode::DailySequenceExhausted,
                StoreError::Code(_) => ErrorCode::InvalidAgencyCode,
                _ => ErrorCode::Internal,
            },
            DeskError::Catalog(e) => match e {
                CatalogError::Read { .. } => ErrorCode::FileUnreadable,
                _ => ErrorCode::CatalogInvalid,
            },
            DeskError::Code(CodeError::SequenceExhausted) => ErrorCode::DailySequenceExhausted,
            DeskError::Code(_) => ErrorCode::InvalidAgencyCode,
            DeskError::Calendar(_) => ErrorCode::CalendarInvalid,
            DeskError::UnknownProcedure(_) => ErrorCode::UnknownProcedure,
            DeskError::Receipt(e) => match e {
                ReceiptError::ApologyAfterDue { .. } => ErrorCode::ApologyAfterDue,
                ReceiptError::ReasonMissing { .. } => ErrorCode::RequiredField,
                ReceiptError::Write { .. } => ErrorCode::FileUnwritable,
                _ => ErrorCode::Internal,
            },
            DeskError::Export(e) => match e {
                crate::report::ExportError::Write { .. } => ErrorCode::FileUnwritable,
                _ => ErrorCode::Internal,
            },
            DeskError::Settlement(e) => fees::error_code(e),
            DeskError::EffectiveTime { .. } => ErrorCode::IllegalTransition,
            DeskError::User(e) => users::error_code(e),
            DeskError::Setting(e) => settings::error_code(e),
            DeskError::Counter(e) => e.code(),
            DeskError::DossierFile(e) => match e {
                DossierFileError::Write { .. } => ErrorCode::FileUnwritable,
                _ => ErrorCode::FileUnreadable,
            },
        }
    }
}

/// The data directory: `$MOTCUA_DATA_DIR` if set, else the platform's per-user data folder
/// (`~/.local/share/motcua-desk` on Linux, `%APPDATA%\MotCua\Desk\data` on Windows).
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MOTCUA_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("vn", "MotCua", "Desk")
        .map(|d| d.data_dir().to_owned())
        .unwrap_or_else(|| PathBuf::from(".motcua-data"))
}

/// Current local time in Vietnam (UTC+7, no daylight saving), whatever the machine's time zone.
pub fn vietnam_now() -> NaiveDateTime {
    let offset = FixedOffset::east_opt(7 * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    Utc::now().with_timezone(&offset).naive_local()
}

/// The application service.
pub struct Desk {
    store: Mutex<Store>,
    /// Swapped whole when the office edits its calendar (`calendar.rs`); readers keep their `Arc`.
    calendar: std::sync::RwLock<std::sync::Arc<WorkingCalendar>>,
    /// The group-commit thread of "Nộp" (`queue.rs`), started by the first submission.
    submitter: Mutex<Option<std::sync::Arc<crate::store::SubmitCommitter>>>,
}

impl Desk {
    /// Opens the store in `data_dir` (created if missing). The calendar is the statutory one with the
    /// government decisions shipped with this build, plus the office's own file when there is one.
    pub fn open(data_dir: &Path) -> Result<Desk, DeskError> {
        let store = Store::open(data_dir)?;
        let calendar = calendar::office_calendar(data_dir)?;
        Ok(Desk {
            store: Mutex::new(store),
            calendar: std::sync::RwLock::new(std::sync::Arc::new(calendar)),
            submitter: Mutex::new(None),
        })
    }

    /// Opens the store in [`default_data_dir`].
    pub fn open_default() -> Result<Desk, DeskError> {
        Desk::open(&default_data_dir())
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back), so a
        // poisoned lock is safe to reuse.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The working-day calendar in force (a snapshot: an edit of the office's days installs a new one).
    pub fn calendar(&self) -> std::sync::Arc<WorkingCalendar> {
        std::sync::Arc::clone(
            &self
                .calendar
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    pub fn data_dir(&self) -> PathBuf {
        self.store().dir().to_owned()
    }

    /// The procedures in the catalogue, by code.
    pub fn procedures(&self) -> Result<Vec<Procedure>, DeskError> {
        Ok(self.store().procedures()?)
    }

    /// Parses a JSON or CSV catalogue file and upserts it (never deleting).
    pub fn import_catalog(&self, path: &Path, actor: &str) -> Result<ImportReport, DeskError> {
        let procedures = catalog::load_file(path)?;
        Ok(self.store().import_procedures(&procedures, actor)?)
    }

    /// All dossiers, newest first.
    pub fn dossiers(&self) -> Result<Vec<Dossier>, DeskError> {
        Ok(self.store().dossiers(&DossierFilter::default())?)
    }

    /// Dossiers matching `filter`.
    pub fn find_dossiers(&self, filter: &DossierFilter) -> Result<Vec<Dossier>, DeskError> {
        Ok(self.store().dossiers(filter)?)
    }

    /// One dossier by code.
    pub fn dossier(&self, code: &str) -> Result<Dossier, DeskError> {
        Ok(self.store().dossier(code.trim())?)
    }

    /// The office's agency identifier (prefix of dossier codes).
    pub fn agency(&self) -> Result<AgencyId, DeskError> {
        let code = self
            .store()
            .setting(AGENCY_CODE)?
            .unwrap_or_else(|| DEMO_AGENCY_CODE.to_owned());
        Ok(AgencyId::parse(&code)?)
    }

    /// Validates the clerk's input, computes the due date and stores the dossier with its new code.
    pub fn create_dossier(&self, new: NewDossier, actor: &str) -> Result<Dossier, DeskError> {
        let now = vietnam_now();
        let valid = new.validate(now.date())?;
        let agency = self.agency()?;
        let mut store = self.store();
        let procedure = match store.procedure(&valid.procedure_code) {
            Ok(p) => p,
            Err(StoreError::NotFound { .. }) => {
                return Err(DeskError::UnknownProcedure(valid.procedure_code));
            }
            Err(e) => return Err(e.into()),
        };
        let received_at = valid.received_at.unwrap_or(now);
        let due_at = self
            .calendar()
            .due_at(received_at, procedure.processing_time);
        Ok(store.create_dossier(&valid, &procedure, &agency, received_at, due_at, actor)?)
    }

    /// Moves a dossier through its lifecycle.
    pub fn set_dossier_status(
        &self,
        code: &str,
        to: Status,
        actor: &str,
    ) -> Result<Dossier, DeskError> {
        Ok(self.store().set_dossier_status(code, to, actor)?)
    }

    /// Records a status change that took effect at `effective_at` (local time, not in the future and not
    /// before the dossier was received), e.g. copied from a paper register.
    pub fn set_dossier_status_effective(
        &self,
        code: &str,
        to: Status,
        effective_at: NaiveDateTime,
        actor: &str,
    ) -> Result<Dossier, DeskError> {
        let dossier = self.dossier(code)?;
        if effective_at > vietnam_now() || effective_at < dossier.received_at {
            return Err(DeskError::EffectiveTime {
                code: dossier.code,
                at: effective_at,
                received_at: dossier.received_at,
            });
        }
        Ok(self
            .store()
            .set_dossier_status_effective(&dossier.code, to, effective_at, actor)?)
    }

    /// The dossier's timeline: its audit entries, oldest first. Fails if there is no such dossier.
    pub fn timeline(&self, code: &str) -> Result<Vec<AuditEntry>, DeskError> {
        let store = self.store();
        let dossier = store.dossier(code.trim())?;
        Ok(store.audit_trail(&format!("dossier:{}", dossier.code))?)
    }

    /// Records the assembled, signed PDF of one of a dossier's documents (the blob must be stored).
    pub fn attach_document_pdf(
        &self,
        code: &str,
        doc_code: &str,
        sha256: &str,
        actor: &str,
    ) -> Result<(), DeskError> {
        Ok(self
            .store()
            .attach_document_pdf(code.trim(), doc_code, sha256, actor)?)
    }

    /// "Nộp": puts a signed dossier in the outbox. The job and the status change to `queued` are one
    /// transaction, shared with submissions made at the same moment (group commit, `queue.rs`) and on the
    /// disk before this returns; the worker (`crate::sync`) takes it from there.
    pub fn submit(&self, code: &str, actor: &str) -> Result<OutboxJob, DeskError> {
        let id = self.submit_grouped(code.trim(), actor)?;
        Ok(self.store().outbox_job(id)?)
    }

    /// Submits several signed dossiers in one transaction (all or none); returns the job ids.
    pub fn submit_many(&self, codes: &[&str], actor: &str) -> Result<Vec<i64>, DeskError> {
        let codes: Vec<&str> = codes.iter().map(|c| c.trim()).collect();
        Ok(self.store().enqueue_submissions(&codes, actor)?)
    }

    /// The outbox, oldest job first.
    pub fn queue(&self) -> Result<Vec<OutboxJob>, DeskError> {
        Ok(self.store().outbox_jobs()?)
    }

    /// Puts a failed job back in the queue.
    pub fn retry_job(&self, id: i64, actor: &str) -> Result<OutboxJob, DeskError> {
        Ok(self.store().retry_job(id, actor)?)
    }

    /// Cancels a job that has not reached the portal; the dossier returns to `signed`.
    pub fn cancel_job(&self, id: i64, actor: &str) -> Result<OutboxJob, DeskError> {
        Ok(self.store().cancel_job(id, actor)?)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, DeskError> {
        Ok(self.store().setting(key)?)
    }

    /// Sets an office setting; the agency code is validated first.
    pub fn set_setting(&self, key: &str, value: &str, actor: &str) -> Result<(), DeskError> {
        if key == AGENCY_CODE {
            AgencyId::parse(value)?;
        }
        Ok(self.store().set_setting(key, value, actor)?)
    }

    /// Checks the audit log's hash chain.
    pub fn verify_audit(&self) -> Result<AuditReport, DeskError> {
        Ok(self.store().verify_audit()?)
    }

    /// Checks every blob: returns how many were checked and the problems found.
    pub fn check_store(&self) -> Result<(usize, Vec<BlobProblem>), DeskError> {
        Ok(self.store().check_blobs()?)
    }

    /// Runs `f` with the store locked, for operations the facade does not wrap yet.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.store())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(name.to_owned())
            );
        }
    }
}
