//! Proof of existence from document time-stamps (PAdES baseline B-LTA of ETSI EN 319 142-1; the
//! past-signature validation of ETSI EN 319 102-1 §5.6): a valid, trusted document time-stamp
//! over a revision proves that every signature in that revision existed at its time. A signature without a usable time-stamp of its
//! own is then checked at that time (reported as signed "before" it, time source
//! `document-timestamp`), so a certificate that expired later still counts as valid.

use std::time::SystemTime;

use super::SignatureReport;

/// A valid, trusted document time-stamp: the revision ending at `revision_end` existed at `time`.
#[derive(Debug, Clone, Copy)]
pub(super) struct ExistenceProof {
    /// Where the time-stamped revision ends (the end of its /ByteRange).
    pub revision_end: usize,
    /// The time-stamp's genTime.
    pub time: SystemTime,
}

impl ExistenceProof {
    /// The proof a checked document time-stamp gives, if it is valid, trusted and error-free.
    pub fn of(report: &SignatureReport) -> Option<ExistenceProof> {
        if !(report.intact && report.valid && report.trusted && report.errors.is_empty()) {
            return None;
        }
        let end = match report.byte_range.as_slice() {
            [_, _, c, d] => usize::try_from(*c)
                .ok()?
                .checked_add(usize::try_from(*d).ok()?)?,
            _ => return None,
        };
        let time = report.timestamp.as_ref()?.time.as_deref()?;
        let time = chrono::DateTime::parse_from_rfc3339(time).ok()?;
        Some(ExistenceProof {
            revision_end: end,
            time: time.with_timezone(&chrono::Utc).into(),
        })
    }

    /// The earliest proof covering a signature whose revision ends at `end`.
    pub fn earliest_covering(proofs: &[ExistenceProof], end: usize) -> Option<SystemTime> {
        proofs
            .iter()
            .filter(|p| p.revision_end > end)
            .map(|p| p.time)
            .min()
    }
}
