//! Wire shapes of the Xác minh screen: one file's verification result and the progress events of a run.
//! The verifier's enums (verdict, time source, revocation, modification level) cross with their own
//! documented JSON names (docs/verify-json.md); the UI translates them.

use motcua::VerifyOutcome;
use motcua::verify::{
    FileReport, ModificationLevel, Revocation, SignatureReport, TimeSource, TimestampReport,
    Verdict,
};
use serde::Serialize;

/// One signature.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureDto {
    pub field: Option<String>,
    pub kind: String,
    pub verdict: Verdict,
    pub intact: bool,
    pub valid: bool,
    pub trusted: bool,
    pub signer: Option<String>,
    pub chain: Vec<String>,
    pub signing_time: Option<String>,
    pub time_source: TimeSource,
    pub revocation: Revocation,
    pub whole_document: bool,
    pub certification: Option<i64>,
    pub modification: ModificationLevel,
    pub changes: Vec<String>,
    pub timestamp: Option<TimestampReport>,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

impl From<&SignatureReport> for SignatureDto {
    fn from(s: &SignatureReport) -> Self {
        SignatureDto {
            field: s.field.clone(),
            kind: s.kind.clone(),
            verdict: s.verdict,
            intact: s.intact,
            valid: s.valid,
            trusted: s.trusted,
            signer: s.signer.clone(),
            chain: s.chain.clone(),
            signing_time: s.signing_time.clone(),
            time_source: s.time_source,
            revocation: s.revocation.clone(),
            whole_document: s.whole_document,
            certification: s.certification,
            modification: s.modification,
            changes: s.changes.clone(),
            timestamp: s.timestamp.clone(),
            errors: s.errors.clone(),
            warnings: s.warnings.clone(),
        }
    }
}

/// One file: its verdict and signatures, or (`error`) why it could not be read.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedFileDto {
    pub index: usize,
    pub path: String,
    /// Absent when the file could not be read.
    pub verdict: Option<Verdict>,
    pub size: u64,
    pub sha256: String,
    pub signatures: Vec<SignatureDto>,
    /// File-level problems, or the read error.
    pub errors: Vec<String>,
}

impl From<&VerifyOutcome> for VerifiedFileDto {
    fn from(o: &VerifyOutcome) -> Self {
        let report: Option<&FileReport> = o.report.as_ref();
        VerifiedFileDto {
            index: o.index,
            path: o.path.clone(),
            verdict: report.map(|r| r.verdict),
            size: report.map_or(0, |r| r.size),
            sha256: report.map(|r| r.sha256.clone()).unwrap_or_default(),
            signatures: report
                .map(|r| r.signatures.iter().map(SignatureDto::from).collect())
                .unwrap_or_default(),
            errors: match (report, &o.error) {
                (Some(r), _) => r.errors.clone(),
                (None, Some(e)) => vec![e.clone()],
                (None, None) => Vec::new(),
            },
        }
    }
}

/// What `verify_start` answers: the run's id and how many PDFs it found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyRunDto {
    pub run: u64,
    pub total: usize,
    pub paths: Vec<String>,
}

/// The `verify://progress` event: one more file done.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyProgressDto {
    pub run: u64,
    pub done: usize,
    pub total: usize,
    pub file: VerifiedFileDto,
}

/// The `verify://finished` event.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyFinishedDto {
    pub run: u64,
    pub done: usize,
    pub total: usize,
    pub cancelled: bool,
    /// Set when the run could not start (e.g. a bad file in the trust store).
    pub error: Option<crate::error::ErrorEnvelope>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::sync::atomic::AtomicBool;

    /// The wire shape `ui/src/lib/backend/supervisor.ts` mirrors: camelCase fields and the verifier's own
    /// enum names, on a real verification of a corpus file (untrusted: no anchors).
    #[test]
    fn a_verified_file_crosses_as_the_ui_expects() {
        let file =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/signed/byte-flipped.pdf");
        let dir = tempfile::tempdir().unwrap();
        let desk = motcua::Desk::open(dir.path()).unwrap();
        let outcomes = desk
            .verify_files(
                std::slice::from_ref(&file),
                &AtomicBool::new(false),
                &|_| {},
            )
            .unwrap();
        let value = serde_json::to_value(VerifiedFileDto::from(&outcomes[0])).unwrap();
        assert_eq!(value["verdict"], "INVALID");
        assert_eq!(value["path"], file.display().to_string());
        let signature = &value["signatures"][0];
        for key in [
            "signingTime",
            "timeSource",
            "wholeDocument",
            "intact",
            "trusted",
            "modification",
        ] {
            assert!(signature.get(key).is_some(), "{key} missing in {signature}");
        }
        assert_eq!(signature["intact"], false);
        assert_eq!(signature["revocation"]["status"], "not-checked");
        assert!(
            [
                "none",
                "signatures",
                "form-filling",
                "annotations",
                "disallowed"
            ]
            .contains(&signature["modification"].as_str().unwrap())
        );
        let missing = desk
            .verify_files(
                &[dir.path().join("gone.pdf")],
                &AtomicBool::new(false),
                &|_| {},
            )
            .unwrap();
        let value = serde_json::to_value(VerifiedFileDto::from(&missing[0])).unwrap();
        assert_eq!(value["verdict"], serde_json::Value::Null);
        assert!(value["errors"][0].as_str().unwrap().contains("gone.pdf"));
    }
}
