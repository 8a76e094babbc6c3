//! Verification of signed PDFs for supervisors: per signature, is it intact, valid, trusted,
//! who signed and when, and what changed since; one verdict per file.
//!
//! Layers, bottom up: [`crypto`] (digests, RSA/ECDSA), [`cms`] (CMS SignedData, RFC 5652, with
//! [`revinfo`] for its `crls` field and the OCSP answers RFC 5940 puts there) and
//! [`tsp`] (RFC 3161 tokens) know nothing of PDF; [`trust`] builds certificate paths to the
//! [`TrustStore`]; [`pdf`] finds signature dictionaries and checks /ByteRange; [`diff`] compares
//! revisions; this file ties them into a [`FileReport`] and [`report`] renders it (text, JSON,
//! Vietnamese HTML). Outcomes are values: `Err` only when the file cannot be evaluated at all.

pub mod cms;
pub mod crl;
pub mod crypto;
pub mod diff;
mod error;
pub mod fetch;
pub mod fieldmdp;
pub mod ocsp;
pub mod pdf;
pub mod report;
pub mod revinfo;
pub mod revocation;
pub mod trust;
pub mod tsp;

pub use diff::ModificationLevel;
pub use error::VerifyError;
pub use fetch::Fetcher;
pub use trust::{Revocation, TrustStore};

use std::path::Path;
use std::time::SystemTime;

use serde::Serialize;

/// The verdict for one signature or one file (ETSI EN 319 102-1 §5.1.3, simplified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// Intact, valid, trusted, unchanged or changed only as allowed.
    Valid,
    /// Valid, with remarks (revocation not checked, claimed time, legacy format).
    ValidWithWarnings,
    /// Trust or revocation could not be decided (unknown root; the signer's CA publishes CRL or
    /// OCSP sources but none could be used: offline, unreachable, stale).
    Indeterminate,
    /// Broken: changed bytes, bad signature, bad certificate, disallowed changes.
    Invalid,
}

impl Verdict {
    /// The upper-case name used in reports and the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "VALID",
            Verdict::ValidWithWarnings => "VALID_WITH_WARNINGS",
            Verdict::Indeterminate => "INDETERMINATE",
            Verdict::Invalid => "INVALID",
        }
    }
}

/// Where the signing time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeSource {
    /// A verified signature time-stamp (or the document time-stamp itself).
    Timestamp,
    /// No (usable) signature time-stamp, but a later, valid and trusted document time-stamp
    /// covers the signature (PAdES-LTA proof of existence; ETSI EN 319 102-1 §5.6, past
    /// signature validation): `signing_time` is that time-stamp's time and means "signed
    /// before", and certificates and revocation are checked at that time.
    DocumentTimestamp,
    /// The /M entry or the signing-time attribute: a claim of the signer.
    Claimed,
    /// No time at all: the current time was used for certificate checks.
    Now,
}

/// The signature time-stamp of a signature, or the token of a document time-stamp.
#[derive(Debug, Clone, Serialize)]
pub struct TimestampReport {
    /// genTime (RFC 3339).
    pub time: Option<String>,
    /// Imprint and TSA signature verify.
    pub valid: bool,
    /// TSA chains to a trusted root.
    pub trusted: bool,
    /// TSA certificate name.
    pub tsa: Option<String>,
}

/// Everything found about one signature.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureReport {
    /// Field name, when attached to a field.
    pub field: Option<String>,
    /// `Sig` or `DocTimeStamp`.
    pub kind: String,
    /// /SubFilter.
    pub sub_filter: Option<String>,
    /// Verdict for this signature.
    pub verdict: Verdict,
    /// The signed bytes are exactly what was signed (range sound, digest matches).
    pub intact: bool,
    /// The cryptographic signature verifies.
    pub valid: bool,
    /// The signer's certificate chains to a trust anchor.
    pub trusted: bool,
    /// The signer's name (certificate CN).
    pub signer: Option<String>,
    /// Certificate path, signer first.
    pub chain: Vec<String>,
    /// Signing time (RFC 3339).
    pub signing_time: Option<String>,
    /// Where `signing_time` came from.
    pub time_source: TimeSource,
    /// Digest algorithm.
    pub digest: Option<String>,
    /// Revocation status of the signer's path.
    pub revocation: Revocation,
    /// Whether the signature covers the whole file.
    pub whole_document: bool,
    /// /ByteRange as found.
    pub byte_range: Vec<i64>,
    /// DocMDP /P when this is a certification signature.
    pub certification: Option<i64>,
    /// What later revisions changed.
    pub modification: ModificationLevel,
    /// The changes found.
    pub changes: Vec<String>,
    /// The signature time-stamp (or the document time-stamp token).
    pub timestamp: Option<TimestampReport>,
    /// Problems that make the signature invalid or indeterminate.
    pub errors: Vec<String>,
    /// Remarks that do not invalidate it.
    pub warnings: Vec<String>,
}

/// The report for one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The file's path as given.
    pub path: String,
    /// The overall verdict.
    pub verdict: Verdict,
    /// File size in bytes.
    pub size: u64,
    /// SHA-256 of the file.
    pub sha256: String,
    /// One entry per signature, in file order.
    pub signatures: Vec<SignatureReport>,
    /// File-level problems (no signatures, unreadable structure).
    pub errors: Vec<String>,
}

/// Options of a verification run.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Anchors and CRLs.
    pub trust: TrustStore,
}

fn rfc3339(t: SystemTime) -> String {
    let utc = chrono::DateTime::<chrono::Utc>::from(t);
    match chrono::FixedOffset::east_opt(7 * 3600) {
        Some(vietnam) => utc.with_timezone(&vietnam).to_rfc3339(),
        None => utc.to_rfc3339(),
    }
}

/// Parses a PDF date `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1 §7.9.4).
pub fn parse_pdf_date(text: &str) -> Option<SystemTime> {
    let s = text.strip_prefix("D:").unwrap_or(text);
    let digits = |r: std::ops::Range<usize>| s.get(r).and_then(|d| d.parse::<u32>().ok());
    let year = i32::try_from(digits(0..4)?).ok()?;
    let month = digits(4..6).unwrap_or(1);
    let day = digits(6..8).unwrap_or(1);
    let hour = digits(8..10).unwrap_or(0);
    let minute = digits(10..12).unwrap_or(0);
    let second = digits(12..14).unwrap_or(0);
    let mut offset = 0i32;
    if let Some(sign) = s.get(14..15) {
        let oh = i32::try_from(digits(15..17).unwrap_or(0)).ok()?;
        let om = i32::try_from(
            s.get(18..20)
                .and_then(|d| d.parse::<u32>().ok())
                .unwrap_or(0),
        )
        .ok()?;
        offset = match sign {
            "+" => oh * 3600 + om * 60,
            "-" => -(oh * 3600 + om * 60),
            _ => 0,
        };
    }
    let naive =
        chrono::NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    let tz = chrono::FixedOffset::east_opt(offset)?;
    let dt = naive.and_local_timezone(tz).single()?;
    Some(dt.with_timezone(&chrono::Utc).into())
}

/// Files larger than this are not loaded (the whole file is held in memory while verifying):
/// they get an INDETERMINATE report saying so.
pub const MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// Verifies a file: reads it and calls [`verify_bytes`]. `Err` only when it cannot be read.
pub fn verify_file(path: &Path, options: &VerifyOptions) -> Result<FileReport, VerifyError> {
    let io = |source| VerifyError::Io {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_SIZE {
        return Ok(FileReport {
            path: path.display().to_string(),
            verdict: Verdict::Indeterminate,
            size,
            sha256: String::new(),
            signatures: Vec::new(),
            errors: vec![format!(
                "the file is {size} bytes, more than the {MAX_FILE_SIZE}-byte limit of the verifier"
            )],
        });
    }
    let bytes = std::fs::read(path).map_err(|source| VerifyError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(verify_bytes(&bytes, &path.display().to_string(), options))
}

/// Verifies a PDF in memory. Never panics on bad input: a panic inside a parser becomes an
/// INDETERMINATE report naming it.
pub fn verify_bytes(bytes: &[u8], name: &str, options: &VerifyOptions) -> FileReport {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        evaluate::evaluate(bytes, name, options)
    }));
    match result {
        Ok(report) => report,
        Err(_) => FileReport {
            path: name.to_owned(),
            verdict: Verdict::Indeterminate,
            size: bytes.len() as u64,
            sha256: hex::encode(crypto::Digest::Sha256.digest(bytes)),
            signatures: Vec::new(),
            errors: vec!["internal error while parsing the file (please report it)".into()],
        },
    }
}

/// [`verify_bytes`] without the panic guard, for the fuzz targets (fuzz/): a panic in a parser
/// must reach the fuzzer as a crash instead of becoming a report.
pub fn verify_bytes_unguarded(bytes: &[u8], name: &str, options: &VerifyOptions) -> FileReport {
    evaluate::evaluate(bytes, name, options)
}

mod evaluate;
mod existence;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_with_offsets() {
        let utc = |s: &str| chrono::DateTime::<chrono::Utc>::from(parse_pdf_date(s).unwrap());
        assert_eq!(
            utc("D:20250124100000+07'00'").to_rfc3339(),
            "2025-01-24T03:00:00+00:00"
        );
        assert_eq!(
            utc("D:20250124100000Z").to_rfc3339(),
            "2025-01-24T10:00:00+00:00"
        );
        assert_eq!(utc("D:2025").to_rfc3339(), "2025-01-01T00:00:00+00:00");
        assert!(parse_pdf_date("D:20251340").is_none());
        assert!(parse_pdf_date("garbage").is_none());
    }
}
