//! Revocation status of a certificate path: CRLs (RFC 5280 §5, §6.3, simplified) given to the
//! store or embedded in the PDF, OCSP responses embedded in the PDF (DSS, VRI,
//! adbe-revocationInfoArchival), then — when online — the CRLs of the certificate's distribution
//! points and its OCSP responders (RFC 6960). OCSP answers follow the same freshness rule as CRLs
//! and must be signed by the issuer or a responder it delegated (see [`super::ocsp`]).
//!
//! A CRL counts for a certificate only when its issuer name is the certificate's issuer, its
//! signature verifies with the issuer's key, it is not dated in the future (`thisUpdate` after the
//! validation time), it covers the certificate, and it is not stale: its `nextUpdate` (or that of
//! the delta CRL applied to it) is not before the reference time (see [`super::crl`]). The
//! reference time is the signing time when a time-stamp proves it, else the validation time (a
//! claimed time proves nothing, so the CRL must be current now). A listed certificate is revoked,
//! except when the revocation date is after a time-stamped signing time (the signature was made
//! before). CRLs that do not count are named in the notes.
//!
//! Per certificate the outcome is good, revoked, unknown (the certificate declares a CRL or OCSP
//! source but no usable answer was had: offline, unreachable, stale) or no source (it declares
//! none and no CRL was given). Indirect CRLs are reported as not checked, never used.

use std::time::SystemTime;

use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

use super::crl;
use super::fetch::{self, Fetcher};
use super::ocsp;
use super::trust::{Revocation, subject_name};

/// The times revocation data is judged against.
#[derive(Debug, Clone, Copy)]
pub struct Times {
    /// The signing time (time-stamped or claimed).
    pub signing: SystemTime,
    /// Whether a time-stamp proves `signing`.
    pub proven: bool,
    /// The validation time (now).
    pub now: SystemTime,
}

impl Times {
    /// Revocation data must reach at least this time.
    pub(super) fn reference(&self) -> SystemTime {
        if self.proven { self.signing } else { self.now }
    }

    /// What [`Times::reference`] is, for messages.
    pub(super) fn against(&self) -> &'static str {
        if self.proven {
            "the time-stamped signing time"
        } else {
            "the validation time"
        }
    }

    fn freshness(&self) -> ocsp::Freshness {
        ocsp::Freshness {
            reference: self.reference(),
            against: self.against(),
            now: self.now,
        }
    }
}

/// The revocation data at hand before going online: CRLs (store, signature, DSS) and DER OCSP
/// responses (signature, DSS, VRI).
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    /// CRLs.
    pub crls: &'a [CertificateList],
    /// DER `OCSPResponse`s.
    pub ocsps: &'a [Vec<u8>],
}

/// The status of one certificate.
enum Status {
    Good,
    Revoked(SystemTime),
    Unknown,
    NoSource,
}

fn date(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339()
}

fn check_one(
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &Evidence<'_>,
    fetcher: Option<&Fetcher>,
    times: &Times,
    notes: &mut Vec<String>,
) -> Status {
    let issuer_name = cert.tbs_certificate().issuer();
    let local: Vec<&CertificateList> = evidence
        .crls
        .iter()
        .filter(|c| c.tbs_cert_list.issuer == *issuer_name)
        .collect();
    if let Some(answer) = crl::answer(cert, issuer, &local, times, notes) {
        return answer.into();
    }
    for response in evidence.ocsps {
        match ocsp::check_response(response, cert, issuer, &times.freshness()) {
            Ok(answer) => return answer.into(),
            Err(ocsp::OcspError::NotForThisCertificate) => {}
            Err(e) => push_once(
                notes,
                format!(
                    "embedded OCSP response for “{}”: {e}; ignored",
                    subject_name(cert)
                ),
            ),
        }
    }
    if !fetch::declares_sources(cert) {
        return Status::NoSource;
    }
    let Some(fetcher) = fetcher else {
        push_once(
            notes,
            format!(
                "offline: the CRL/OCSP sources of “{}” were not consulted",
                subject_name(cert)
            ),
        );
        return Status::Unknown;
    };
    for url in fetch::crl_urls(cert) {
        match fetcher.crl(&url) {
            Ok(fetched) if fetched.tbs_cert_list.issuer == *issuer_name => {
                let mut problems = Vec::new();
                match crl::answer(cert, issuer, &[&fetched], times, &mut problems) {
                    Some(answer) => return answer.into(),
                    None => {
                        for problem in problems {
                            push_once(notes, format!("{url}: {problem}"));
                        }
                    }
                }
            }
            Ok(_) => push_once(notes, format!("{url}: the CRL is of another issuer")),
            Err(e) => push_once(notes, e),
        }
    }
    for url in fetch::ocsp_urls(cert) {
        let answer = ocsp::cert_id(cert, issuer).and_then(|id| {
            let request = ocsp::request(&id)?;
            let response = fetcher.ocsp(&url, &request)?;
            ocsp::check_response(&response, cert, issuer, &times.freshness())
                .map_err(|e| e.to_string())
        });
        match answer {
            Ok(answer) => return answer.into(),
            Err(e) => push_once(notes, format!("OCSP {url}: {e}")),
        }
    }
    Status::Unknown
}

impl From<crl::CrlAnswer> for Status {
    fn from(answer: crl::CrlAnswer) -> Status {
        match answer {
            crl::CrlAnswer::Good => Status::Good,
            crl::CrlAnswer::Revoked(at) => Status::Revoked(at),
        }
    }
}

impl From<ocsp::Answer> for Status {
    fn from(answer: ocsp::Answer) -> Status {
        match answer {
            ocsp::Answer::Good => Status::Good,
            ocsp::Answer::Revoked(at) => Status::Revoked(at),
        }
    }
}

fn push_once(notes: &mut Vec<String>, note: String) {
    if !notes.contains(&note) {
        notes.push(note);
    }
}

/// The revocation status of `chain` (signer first) below the first certificate of `anchors`,
/// with notes on the revocation data that could not be used.
pub fn check_path(
    chain: &[Certificate],
    anchors: &[Certificate],
    evidence: &Evidence<'_>,
    fetcher: Option<&Fetcher>,
    times: &Times,
) -> (Revocation, Vec<String>) {
    let mut notes = Vec::new();
    let mut unknown = false;
    let mut no_source = false;
    for (i, cert) in chain.iter().enumerate() {
        if anchors.contains(cert) {
            break;
        }
        let Some(issuer) = chain.get(i + 1) else {
            // The path ends below any anchor: the issuer's key is unknown.
            unknown = true;
            break;
        };
        match check_one(cert, issuer, evidence, fetcher, times, &mut notes) {
            Status::Good => {}
            Status::Revoked(at) if times.proven && at > times.signing => push_once(
                &mut notes,
                format!(
                    "certificate “{}” was revoked on {}, after the time-stamped signing time",
                    subject_name(cert),
                    date(at)
                ),
            ),
            Status::Revoked(at) => {
                return (
                    Revocation::Revoked {
                        subject: subject_name(cert),
                        date: date(at),
                    },
                    notes,
                );
            }
            Status::Unknown => unknown = true,
            Status::NoSource => no_source = true,
        }
    }
    let status = if unknown {
        Revocation::NotChecked
    } else if no_source {
        Revocation::NoSource
    } else {
        Revocation::Good
    };
    (status, notes)
}
