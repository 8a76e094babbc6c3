//! The one error shape that crosses into the UI: `{code, message}`.
//!
//! `code` is the core's stable [`motcua::ErrorCode`] wire name (e.g. `invalid_citizen_id`), which the UI
//! looks up in its vi/en tables, so the front end never matches on message text; `message` is the core's
//! detailed (Vietnamese) explanation, shown in small print for the clerk or a support call.

use motcua::{DeskError, ErrorCode};
use serde::Serialize;

/// The serialised error every command rejects with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorEnvelope {
    pub code: &'static str,
    pub message: String,
}

impl ErrorEnvelope {
    /// A failure of the shell itself (a worker thread that panicked or was cancelled), not of the core.
    pub fn internal(message: impl Into<String>) -> Self {
        ErrorEnvelope {
            code: ErrorCode::Internal.as_str(),
            message: message.into(),
        }
    }
}

impl From<DeskError> for ErrorEnvelope {
    fn from(error: DeskError) -> Self {
        ErrorEnvelope {
            code: error.code().as_str(),
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{ApplicantDto, NewDossierDto};
    use crate::state::DeskState;
    use motcua::Desk;

    fn new_dossier(procedure_code: &str, citizen_id: &str) -> NewDossierDto {
        serde_json::from_value(serde_json::json!({
            "procedureCode": procedure_code,
            "applicant": ApplicantDto {
                full_name: "Trần Văn Bình".into(),
                citizen_id: citizen_id.into(),
                date_of_birth: None,
                phone: String::new(),
                address: String::new(),
                email: String::new(),
                kind: Default::default(),
            },
        }))
        .unwrap()
    }

    #[test]
    fn core_failures_cross_as_their_stable_code_and_message() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::open(dir.path()).unwrap();

        let bad_id = ErrorEnvelope::from(
            desk.create_dossier(new_dossier("1.001193", "12345").into(), "t")
                .unwrap_err(),
        );
        assert_eq!(bad_id.code, "invalid_citizen_id");
        assert!(bad_id.message.contains("12345"), "{}", bad_id.message);

        let unknown = ErrorEnvelope::from(
            desk.create_dossier(new_dossier("9.999999", "001190012345").into(), "t")
                .unwrap_err(),
        );
        assert_eq!(unknown.code, "unknown_procedure");

        let missing = ErrorEnvelope::from(desk.dossier("000.00.06.H56-261127-9999").unwrap_err());
        assert_eq!(missing.code, "dossier_not_found");
    }

    #[test]
    fn a_desk_that_could_not_open_reports_why_to_every_command() {
        let dir = tempfile::tempdir().unwrap();
        let not_a_dir = dir.path().join("data");
        std::fs::write(&not_a_dir, b"a file where the data folder should be").unwrap();
        let state = DeskState::from_result(Desk::open(&not_a_dir));
        let envelope = state.desk().err().unwrap();
        assert_ne!(envelope.code, "internal");
        assert!(!envelope.message.is_empty());
        assert!(state.actor().starts_with("desk:"));
    }

    #[test]
    fn the_envelope_serialises_as_code_and_message_only() {
        let value = serde_json::to_value(ErrorEnvelope::internal("boom")).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"code": "internal", "message": "boom"})
        );
    }
}
