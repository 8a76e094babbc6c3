//! RFC 3161 time-stamp token checking: the TSA's CMS signature, the message imprint, and the
//! TSA's certificate path (RFC 3161 §2.4.2). Used for signature time-stamps (over a CMS
//! signature value, ETSI EN 319 122-1 §5.3) and document time-stamps (over the PDF byte ranges,
//! ETSI EN 319 142-1 §5.4). Knows nothing of PDF; the caller passes the time-stamped data.

use std::time::SystemTime;

use der::Decode;

use super::cms;
use super::crypto::Digest;
use super::trust::{Revocation, TrustStore, Usage};
use crate::sign::timestamp::TstInfo;

/// The outcome of checking one time-stamp token.
#[derive(Debug, Clone)]
pub struct TimestampCheck {
    /// genTime of the TSTInfo.
    pub time: Option<SystemTime>,
    /// The imprint matches the data and the TSA's signature verifies.
    pub valid: bool,
    /// The TSA certificate chains to a trust anchor and has no problems.
    pub trusted: bool,
    /// Name of the TSA certificate.
    pub tsa: Option<String>,
    /// The TSA's revocation status.
    pub revocation: Revocation,
    /// Revocation data that could not be used.
    pub revocation_notes: Vec<String>,
    /// Problems found.
    pub problems: Vec<String>,
}

/// Checks the DER `token` time-stamps `data_parts` (hashed with the imprint's algorithm).
pub fn check_token(token: &[u8], data_parts: &[&[u8]], trust: &TrustStore) -> TimestampCheck {
    let mut out = TimestampCheck {
        time: None,
        valid: false,
        trusted: false,
        tsa: None,
        revocation: Revocation::NotChecked,
        revocation_notes: Vec::new(),
        problems: Vec::new(),
    };
    let check = match cms::check(token, None, &[]) {
        Ok(check) => check,
        Err(e) => {
            out.problems.push(format!("time-stamp token: {e}"));
            return out;
        }
    };
    out.problems
        .extend(check.problems.iter().map(|p| format!("time-stamp: {p}")));
    if check.econtent_type != der::oid::db::rfc3161::ID_CT_TST_INFO {
        out.problems
            .push("the time-stamp token does not hold a TSTInfo".into());
        return out;
    }
    let Some(info) = check
        .econtent
        .as_deref()
        .and_then(|bytes| TstInfo::from_der(bytes).ok())
    else {
        out.problems
            .push("the time-stamp token's TSTInfo cannot be decoded".into());
        return out;
    };
    out.time = info.gen_time.to_system_time();
    if out.time.is_none() {
        out.problems
            .push("the time-stamp's genTime is not a valid time".into());
    }
    let imprint_ok = match Digest::from_oid(&info.message_imprint.hash_algorithm.oid) {
        Some(d) => d.digest_parts(data_parts) == info.message_imprint.hashed_message.as_bytes(),
        None => false,
    };
    if !imprint_ok {
        out.problems
            .push("the time-stamp's message imprint does not match the data".into());
    }
    out.valid = imprint_ok && check.is_valid();
    if let (Some(signer), Some(time)) = (&check.signer, out.time) {
        out.tsa = Some(super::trust::subject_name(signer));
        let outcome =
            trust.validate_at(signer, &check.certificates, time, true, Usage::TimeStamping);
        out.trusted = outcome.trusted && outcome.certificate_problems.is_empty();
        out.problems.extend(outcome.certificate_problems);
        out.revocation = outcome.revocation;
        out.revocation_notes = outcome.revocation_notes;
    }
    out
}
