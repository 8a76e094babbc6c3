//! Trust: certificate path building to the configured anchors, validity at the signing time,
//! key usage, basic constraints and revocation from CRL files (RFC 5280 §6, simplified).
//!
//! The path is built from the signer upwards through the certificates the signature carries
//! (plus the PDF's DSS), each link checked by the issuer's signature, until a certificate of the
//! [`TrustStore`] is reached. Validity is checked at the time the caller gives (the time-stamp's
//! time when present, else the claimed /M). Revocation is looked up in the CRLs loaded with the
//! store or embedded in the PDF and, when the store is online, fetched from the certificates'
//! CRL distribution points and OCSP responders (see [`super::revocation`] for the rules).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use der::{Decode, DecodePem, Encode};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};

use super::VerifyError;
use super::crypto;
use super::fetch::Fetcher;
use super::revocation::{self, Times};

/// Trust anchors and CRLs, loaded once and shared by all files.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Certificate>,
    crls: Vec<CertificateList>,
    /// DER OCSP responses embedded in the PDF being checked (see [`TrustStore::with_revocation_data`]).
    ocsps: Vec<Vec<u8>>,
    /// Set when revocation may be fetched online (CRL distribution points, OCSP).
    online: Option<Arc<Fetcher>>,
}

/// Revocation status of the chain below the anchor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Revocation {
    /// Every certificate below the anchor is covered by a verified CRL and not revoked.
    Good,
    /// A certificate is listed as revoked.
    Revoked {
        /// Subject of the revoked certificate.
        subject: String,
        /// When it was revoked (RFC 3339).
        date: String,
    },
    /// A certificate declares CRL or OCSP sources but no usable answer was had (offline,
    /// unreachable, stale): "revocation not checked". The signature is INDETERMINATE.
    NotChecked,
    /// No certificate is known revoked, but some declare no CRL or OCSP source at all and no CRL
    /// was given for them: nothing could be checked, a warning only.
    NoSource,
}

/// The result of validating a certificate path.
#[derive(Debug, Clone)]
pub struct TrustOutcome {
    /// The path reached a trust anchor and every link's signature verified.
    pub trusted: bool,
    /// Subjects from the signer to the top of the path found.
    pub chain: Vec<String>,
    /// Problems with certificates (expired, wrong key usage, …): these make the signature invalid.
    pub certificate_problems: Vec<String>,
    /// Revocation status.
    pub revocation: Revocation,
    /// Revocation data that could not be used (stale, badly signed, unreachable), one line each.
    pub revocation_notes: Vec<String>,
}

/// What the end-entity certificate is used for, which decides the key usage required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// A document signature: digitalSignature or nonRepudiation.
    Signing,
    /// A time-stamp token: digitalSignature or nonRepudiation, and the extended key usage
    /// id-kp-timeStamping (RFC 3161 §2.3).
    TimeStamping,
}

fn read(path: &Path) -> Result<Vec<u8>, VerifyError> {
    std::fs::read(path).map_err(|source| VerifyError::Io {
        path: path.to_owned(),
        source,
    })
}

fn files_of(path: &Path) -> Result<Vec<PathBuf>, VerifyError> {
    if path.is_dir() {
        let mut out = Vec::new();
        let entries = std::fs::read_dir(path).map_err(|source| VerifyError::Io {
            path: path.to_owned(),
            source,
        })?;
        for entry in entries.flatten() {
            out.extend(files_of(&entry.path())?);
        }
        out.sort();
        Ok(out)
    } else {
        Ok(vec![path.to_owned()])
    }
}

/// Parses one file of certificates: PEM (any number) or a single DER certificate.
pub fn parse_certificates(data: &[u8], path: &Path) -> Result<Vec<Certificate>, VerifyError> {
    let bad = |reason: String| VerifyError::BadTrustFile {
        path: path.to_owned(),
        reason,
    };
    if data.starts_with(b"-----") || data.windows(11).any(|w| w == b"-----BEGIN ") {
        Certificate::load_pem_chain(data).map_err(|e| bad(e.to_string()))
    } else {
        Certificate::from_der(data)
            .map(|c| vec![c])
            .map_err(|e| bad(e.to_string()))
    }
}

impl TrustStore {
    /// An empty store: nothing is trusted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every certificate in a PEM/DER file, or in every file of a folder (recursively).
    pub fn add_anchors(&mut self, path: &Path) -> Result<(), VerifyError> {
        for file in files_of(path)? {
            let data = read(&file)?;
            self.anchors.extend(parse_certificates(&data, &file)?);
        }
        Ok(())
    }

    /// Adds an anchor certificate.
    pub fn add_anchor(&mut self, certificate: Certificate) {
        self.anchors.push(certificate);
    }

    /// Adds the CRL in a PEM or DER file.
    pub fn add_crl_file(&mut self, path: &Path) -> Result<(), VerifyError> {
        let data = read(path)?;
        let crl = if data.starts_with(b"-----") {
            CertificateList::from_pem(&data)
        } else {
            CertificateList::from_der(&data)
        }
        .map_err(|e| VerifyError::BadTrustFile {
            path: path.to_owned(),
            reason: format!("not a CRL: {e}"),
        })?;
        self.crls.push(crl);
        Ok(())
    }

    /// Adds every CRL file of a folder (recursively): files named `*.crl` or `*.crl.pem`, and PEM
    /// files holding an `X509 CRL`; other files are skipped. Returns how many CRLs were added.
    pub fn add_crl_dir(&mut self, dir: &Path) -> Result<usize, VerifyError> {
        if !dir.is_dir() {
            return Err(VerifyError::BadTrustFile {
                path: dir.to_owned(),
                reason: "not a folder".into(),
            });
        }
        let mut added = 0;
        for file in files_of(dir)? {
            let name = file.to_string_lossy().to_ascii_lowercase();
            let named = name.ends_with(".crl") || name.ends_with(".crl.pem");
            let pem_crl = !named
                && name.ends_with(".pem")
                && read(&file)?
                    .windows(20)
                    .any(|w| w == b"-----BEGIN X509 CRL");
            if named || pem_crl {
                self.add_crl_file(&file)?;
                added += 1;
            }
        }
        Ok(added)
    }

    /// This store plus `crls` (from the signature or the PDF's DSS); the anchors stay the same.
    pub fn with_crls(&self, crls: &[CertificateList]) -> TrustStore {
        self.with_revocation_data(crls, &[])
    }

    /// This store plus CRLs and DER OCSP responses found in the signature or the PDF's DSS.
    pub fn with_revocation_data(&self, crls: &[CertificateList], ocsps: &[Vec<u8>]) -> TrustStore {
        let mut store = self.clone();
        store.crls.extend_from_slice(crls);
        store.ocsps.extend_from_slice(ocsps);
        store
    }

    /// Lets revocation be fetched online with `fetcher` (shared by clones of this store).
    pub fn set_online(&mut self, fetcher: Arc<Fetcher>) {
        self.online = Some(fetcher);
    }

    /// Whether revocation may be fetched online.
    pub fn is_online(&self) -> bool {
        self.online.is_some()
    }

    /// Number of anchors loaded.
    pub fn anchor_count(&self) -> usize {
        self.anchors.len()
    }

    /// Builds and checks the path of `leaf` using `pool` as intermediates, at a claimed time `at`.
    pub fn validate(
        &self,
        leaf: &Certificate,
        pool: &[Certificate],
        at: SystemTime,
        usage: Usage,
    ) -> TrustOutcome {
        self.validate_at(leaf, pool, at, false, usage)
    }

    /// [`TrustStore::validate`], saying whether a time-stamp proves `at` (which decides how fresh
    /// revocation data must be, see [`super::revocation`]).
    pub fn validate_at(
        &self,
        leaf: &Certificate,
        pool: &[Certificate],
        at: SystemTime,
        proven: bool,
        usage: Usage,
    ) -> TrustOutcome {
        let mut problems = Vec::new();
        let mut chain = vec![leaf.clone()];
        let mut trusted = self.anchors.contains(leaf);
        while !trusted && chain.len() < 12 {
            let Some(current) = chain.last() else { break };
            let issuer_name = current.tbs_certificate().issuer();
            let candidates = self
                .anchors
                .iter()
                .chain(pool.iter())
                .filter(|c| c.tbs_certificate().subject() == issuer_name && !chain.contains(c));
            let mut next = None;
            for candidate in candidates {
                if verifies(current, candidate) {
                    next = Some(candidate.clone());
                    break;
                }
            }
            match next {
                Some(issuer) => {
                    trusted = self.anchors.contains(&issuer);
                    chain.push(issuer);
                }
                None => break,
            }
        }
        for (i, cert) in chain.iter().enumerate() {
            let tbs = cert.tbs_certificate();
            let name = subject_name(cert);
            let validity = tbs.validity();
            if at < validity.not_before.to_system_time() {
                problems.push(format!(
                    "certificate “{name}” was not yet valid at the signing time"
                ));
            }
            if at > validity.not_after.to_system_time() {
                problems.push(format!(
                    "certificate “{name}” had expired at the signing time"
                ));
            }
            let ku = tbs
                .get_extension::<KeyUsage>()
                .ok()
                .flatten()
                .map(|(_, ku)| ku);
            if i == 0 && usage == Usage::TimeStamping {
                let eku = tbs
                    .get_extension::<x509_cert::ext::pkix::ExtendedKeyUsage>()
                    .ok()
                    .flatten();
                let time_stamping = der::oid::db::rfc5280::ID_KP_TIME_STAMPING;
                if !eku.is_some_and(|(_, eku)| eku.0.contains(&time_stamping)) {
                    problems.push(format!(
                        "certificate “{name}” is not a time-stamping certificate (extended key usage)"
                    ));
                }
            }
            if i == 0 {
                if let Some(ku) = ku
                    && !(ku.digital_signature() || ku.non_repudiation())
                {
                    let what = match usage {
                        Usage::Signing => "signing",
                        Usage::TimeStamping => "time-stamping",
                    };
                    problems.push(format!(
                        "certificate “{name}” may not be used for {what} (key usage)"
                    ));
                }
            } else {
                let is_ca = tbs
                    .get_extension::<BasicConstraints>()
                    .ok()
                    .flatten()
                    .is_some_and(|(_, bc)| bc.ca);
                if !is_ca {
                    problems.push(format!(
                        "certificate “{name}” is not a CA (basic constraints)"
                    ));
                }
                if let Some(ku) = ku
                    && !ku.key_cert_sign()
                {
                    problems.push(format!("CA “{name}” may not sign certificates (key usage)"));
                }
            }
        }
        let times = Times {
            signing: at,
            proven,
            now: SystemTime::now(),
        };
        let (revocation, revocation_notes) = revocation::check_path(
            &chain,
            &self.anchors,
            &revocation::Evidence {
                crls: &self.crls,
                ocsps: &self.ocsps,
            },
            self.online.as_deref(),
            &times,
        );
        TrustOutcome {
            trusted,
            chain: chain.iter().map(subject_name).collect(),
            certificate_problems: problems,
            revocation,
            revocation_notes,
        }
    }
}

/// Whether `issuer`'s key verifies `cert`'s signature.
pub fn verifies(cert: &Certificate, issuer: &Certificate) -> bool {
    let Ok(tbs) = cert.tbs_certificate().to_der() else {
        return false;
    };
    let Some(sig) = cert.signature().as_bytes() else {
        return false;
    };
    crypto::verify_signature(
        issuer.tbs_certificate().subject_public_key_info(),
        cert.signature_algorithm(),
        None,
        &tbs,
        sig,
    )
    .is_ok()
}

/// Whether `issuer`'s key verifies the CRL's signature.
pub(super) fn crl_verifies(crl: &CertificateList, issuer: &Certificate) -> bool {
    let Ok(tbs) = crl.tbs_cert_list.to_der() else {
        return false;
    };
    let Some(sig) = crl.signature.as_bytes() else {
        return false;
    };
    crypto::verify_signature(
        issuer.tbs_certificate().subject_public_key_info(),
        &crl.signature_algorithm,
        None,
        &tbs,
        sig,
    )
    .is_ok()
}

/// The certificate's subject common name, else the whole subject.
pub fn subject_name(cert: &Certificate) -> String {
    let subject = cert.tbs_certificate().subject();
    for atv in subject.iter() {
        if atv.oid == der::oid::db::rfc4519::CN {
            if let Ok(s) = atv.value.decode_as::<der::asn1::Utf8StringRef<'_>>() {
                return s.as_str().to_owned();
            }
            if let Ok(s) = atv.value.decode_as::<der::asn1::PrintableStringRef<'_>>() {
                return s.as_str().to_owned();
            }
        }
    }
    subject.to_string()
}
