//! CMS SignedData checking (RFC 5652 §5) for a detached or encapsulated signature.
//!
//! Given the DER of a `ContentInfo` and the signed content (the PDF byte ranges, or the
//! encapsulated TSTInfo of a time-stamp token), this finds the signer's certificate, checks the
//! message-digest attribute, the content-type attribute, the signature over the DER `SET OF` of
//! the signed attributes (§5.4), and the ESS signing-certificate(-v2) attribute (RFC 2634 §5.4,
//! RFC 5035 §3). The outcome is a [`CmsCheck`] value; `Err` only when the bytes are not CMS
//! SignedData at all. Nothing here knows of PDF; the PDF layer ([`super::pdf`]) builds on it.

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{OctetString, SetOfVec};
use der::oid::ObjectIdentifier;
use der::{Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::ext::pkix::name::GeneralName;

use super::VerifyError;
use super::crypto::{self, Digest};
use super::revinfo;
use crate::sign::cms::{IssuerSerial, SigningCertificateV2};

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const ID_SIGNING_CERT: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.12");
const ID_SIGNING_CERT_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// id-aa-timeStampToken (RFC 3161 Appendix A).
pub const ID_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
/// adbe-revocationInfoArchival (ISO 32000-1 §12.8.3.3.2).
const ID_ADBE_REVOCATION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113583.1.1.8");

/// `SigningCertificate` (RFC 2634 §5.4): `SEQUENCE { certs SEQUENCE OF ESSCertID, policies … }`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificate {
    /// The signer's certificate first.
    pub certs: Vec<EssCertId>,
}

/// `ESSCertID ::= SEQUENCE { certHash Hash, issuerSerial IssuerSerial OPTIONAL }` (RFC 2634
/// §5.4.1); `certHash` is SHA-1 of the whole certificate.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertId {
    /// SHA-1 of the DER certificate.
    pub cert_hash: OctetString,
    /// Issuer and serial number.
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// `RevocationInfoArchival` (ISO 32000-1 §12.8.3.3.2, adbe-revocationInfoArchival):
///
/// ```text
/// RevocationInfoArchival ::= SEQUENCE {
///     crl          [0] EXPLICIT SEQUENCE of CRLs OPTIONAL,
///     ocsp         [1] EXPLICIT SEQUENCE of OCSP Responses OPTIONAL,
///     otherRevInfo [2] EXPLICIT SEQUENCE of OtherRevInfo OPTIONAL }
/// ```
/// OCSP responses are kept as DER `OCSPResponse`s (RFC 6960 §4.2.1, checked by
/// [`super::ocsp`]); other data is kept undecoded and not used.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct RevocationInfoArchival {
    /// CRLs.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub crl: Option<Vec<x509_cert::crl::CertificateList>>,
    /// OCSP responses (`OCSPResponse`, undecoded here).
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub ocsp: Option<Vec<der::Any>>,
    /// Other revocation data.
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    pub other_rev_info: Option<der::Any>,
}

/// What the ESS signing-certificate attribute says about the signer certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EssStatus {
    /// Neither attribute is present (allowed for adbe.pkcs7.detached; PAdES requires one).
    Absent,
    /// The attribute names the certificate that verified the signature.
    Matches,
    /// The attribute names another certificate (certificate substitution).
    Mismatch,
}

/// The outcome of checking one CMS SignedData.
#[derive(Debug, Clone)]
pub struct CmsCheck {
    /// All certificates carried in the SignedData.
    pub certificates: Vec<Certificate>,
    /// The certificate identified by the SignerInfo, if present.
    pub signer: Option<Certificate>,
    /// The SignerInfo's digest algorithm.
    pub digest: Option<Digest>,
    /// The signature algorithm's digest (may differ from `digest`).
    pub signature_digest: Option<Digest>,
    /// The message-digest attribute equals the digest of the content.
    pub digest_matches: bool,
    /// The signature over the signed attributes (or content) verifies with the signer's key.
    pub signature_valid: bool,
    /// ESS signing-certificate(-v2) check.
    pub ess: EssStatus,
    /// The signing-time attribute, if present (a claim, not a proof).
    pub signing_time: Option<std::time::SystemTime>,
    /// The encapsulated content, when not detached.
    pub econtent: Option<Vec<u8>>,
    /// The encapsulated content type.
    pub econtent_type: ObjectIdentifier,
    /// The signature value (what a signature time-stamp covers).
    pub signature_value: Vec<u8>,
    /// The DER of the signature time-stamp token (unsigned attribute), if any.
    pub timestamp_token: Option<Vec<u8>>,
    /// CRLs carried by the SignedData (`crls` field, RFC 5652 §10.2.1) and by the signed
    /// attribute adbe-revocationInfoArchival.
    pub crls: Vec<x509_cert::crl::CertificateList>,
    /// DER OCSP responses carried by the SignedData (`crls` field, RFC 5940 §2.1) and by the
    /// signed attribute adbe-revocationInfoArchival.
    pub ocsps: Vec<Vec<u8>>,
    /// Human-readable problems found (empty when all is well).
    pub problems: Vec<String>,
}

impl CmsCheck {
    /// Intact and cryptographically valid: digest and signature both verify and ESS does not
    /// point to another certificate.
    pub fn is_valid(&self) -> bool {
        self.digest_matches && self.signature_valid && self.ess != EssStatus::Mismatch
    }
}

fn cms_err(reason: impl Into<String>) -> VerifyError {
    VerifyError::Cms {
        reason: reason.into(),
    }
}

/// Decodes a DER ContentInfo holding SignedData. The `crls` field keeps only its CRLs; see
/// [`super::revinfo`] for the OCSP answers it may also carry (RFC 5940 §2.1).
pub fn decode_signed_data(der: &[u8]) -> Result<SignedData, VerifyError> {
    decode_with_revinfo(der).map(|decoded| decoded.signed)
}

/// Decodes a DER ContentInfo holding SignedData, with the OCSP answers of its `crls` field
/// (RFC 5652 §10.2.1 `other` entries in format id-ri-ocsp-response, RFC 5940 §2.1).
fn decode_with_revinfo(der: &[u8]) -> Result<revinfo::Decoded, VerifyError> {
    let info = ContentInfo::from_der(der).map_err(|e| cms_err(format!("not CMS: {e}")))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(cms_err(format!(
            "content type {} is not SignedData",
            info.content_type
        )));
    }
    revinfo::decode(&info.content).map_err(|e| cms_err(format!("invalid SignedData: {e}")))
}

/// Certificates carried in a SignedData (other formats are skipped).
pub fn certificates(signed: &SignedData) -> Vec<Certificate> {
    signed
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|choice| match choice {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn find_signer(info: &SignerInfo, certificates: &[Certificate]) -> Option<Certificate> {
    certificates
        .iter()
        .find(|cert| match &info.sid {
            SignerIdentifier::IssuerAndSerialNumber(ias) => {
                cert.tbs_certificate().issuer() == &ias.issuer
                    && cert.tbs_certificate().serial_number() == &ias.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => cert
                .tbs_certificate()
                .get_extension::<SubjectKeyIdentifier>()
                .ok()
                .flatten()
                .is_some_and(|(_, own)| own == *ski),
        })
        .cloned()
}

fn attr(attrs: Option<&SetOfVec<Attribute>>, oid: ObjectIdentifier) -> Vec<&Attribute> {
    attrs
        .map(|set| set.iter().filter(|a| a.oid == oid).collect())
        .unwrap_or_default()
}

/// The single value of a signed attribute; `Err` text when absent, repeated or multi-valued.
fn single_value<'a>(
    attrs: Option<&'a SetOfVec<Attribute>>,
    oid: ObjectIdentifier,
    name: &str,
) -> Result<Option<&'a der::Any>, String> {
    let found = attr(attrs, oid);
    match found.as_slice() {
        [] => Ok(None),
        [one] if one.values.len() == 1 => Ok(one.values.iter().next()),
        _ => Err(format!("the {name} attribute must have exactly one value")),
    }
}

fn ess_status(
    attrs: Option<&SetOfVec<Attribute>>,
    signer: &Certificate,
    problems: &mut Vec<String>,
) -> EssStatus {
    let Ok(signer_der) = signer.to_der() else {
        return EssStatus::Mismatch;
    };
    let issuer_matches = |is: &Option<IssuerSerial>| {
        match is {
        None => true,
        Some(is) => {
            is.serial_number == *signer.tbs_certificate().serial_number()
                && is.issuer.iter().any(|name| {
                    matches!(name, GeneralName::DirectoryName(n) if n == signer.tbs_certificate().issuer())
                })
        }
    }
    };
    match single_value(attrs, ID_SIGNING_CERT_V2, "signing-certificate-v2") {
        Err(e) => {
            problems.push(e);
            return EssStatus::Mismatch;
        }
        Ok(Some(value)) => {
            let Ok(v2) = value.decode_as::<SigningCertificateV2>() else {
                problems.push("the signing-certificate-v2 attribute cannot be decoded".into());
                return EssStatus::Mismatch;
            };
            let Some(first) = v2.certs.first() else {
                return EssStatus::Mismatch;
            };
            let digest = match &first.hash_algorithm {
                None => Some(Digest::Sha256),
                Some(alg) => Digest::from_oid(&alg.oid),
            };
            let ok = digest.is_some_and(|d| d.digest(&signer_der) == first.cert_hash.as_bytes())
                && issuer_matches(&first.issuer_serial);
            return if ok {
                EssStatus::Matches
            } else {
                problems
                    .push("the signing-certificate-v2 attribute names another certificate".into());
                EssStatus::Mismatch
            };
        }
        Ok(None) => {}
    }
    match single_value(attrs, ID_SIGNING_CERT, "signing-certificate") {
        Err(e) => {
            problems.push(e);
            EssStatus::Mismatch
        }
        Ok(None) => EssStatus::Absent,
        Ok(Some(value)) => {
            let ok = value.decode_as::<SigningCertificate>().is_ok_and(|v1| {
                v1.certs.first().is_some_and(|first| {
                    Digest::Sha1.digest(&signer_der) == first.cert_hash.as_bytes()
                        && issuer_matches(&first.issuer_serial)
                })
            });
            if ok {
                EssStatus::Matches
            } else {
                problems.push("the signing-certificate attribute names another certificate".into());
                EssStatus::Mismatch
            }
        }
    }
}

/// Checks the first SignerInfo of the SignedData in `der` against `content` (the detached
/// content's parts), or against the encapsulated content when `content` is `None`.
/// `extra_certificates` (e.g. from the PDF's DSS) help find the signer.
pub fn check(
    der: &[u8],
    content: Option<&[&[u8]]>,
    extra_certificates: &[Certificate],
) -> Result<CmsCheck, VerifyError> {
    let revinfo::Decoded { signed, mut ocsps } = decode_with_revinfo(der)?;
    let mut certs = certificates(&signed);
    let econtent = match &signed.encap_content_info.econtent {
        Some(any) => Some(
            any.decode_as::<OctetString>()
                .map_err(|e| {
                    cms_err(format!(
                        "the encapsulated content is not an OCTET STRING: {e}"
                    ))
                })?
                .as_bytes()
                .to_vec(),
        ),
        None => None,
    };
    let info = signed
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or_else(|| cms_err("the SignedData has no SignerInfo"))?;
    let mut problems = Vec::new();
    if signed.signer_infos.0.len() > 1 {
        problems.push("more than one SignerInfo; only the first is checked".into());
    }
    let mut search = certs.clone();
    search.extend_from_slice(extra_certificates);
    let signer = find_signer(info, &search);
    if let Some(s) = &signer
        && !certs.contains(s)
    {
        certs.push(s.clone());
    }
    let digest = Digest::from_oid(&info.digest_alg.oid);
    let signature_digest = crypto::algorithm_digest(&info.signature_algorithm, digest);
    let signature_value = info.signature.as_bytes().to_vec();
    let attrs = info.signed_attrs.as_ref();

    let content_parts: Vec<&[u8]> = match (content, &econtent) {
        (Some(parts), _) => parts.to_vec(),
        (None, Some(own)) => vec![&own[..]],
        (None, None) => {
            problems.push("detached signature without content".into());
            Vec::new()
        }
    };

    let mut digest_matches = false;
    let mut signature_valid = false;
    let mut signing_time = None;
    let mut ess = EssStatus::Absent;
    match digest {
        None => problems.push(format!(
            "unsupported digest algorithm {}",
            info.digest_alg.oid
        )),
        Some(d) => {
            let content_digest = d.digest_parts(&content_parts);
            if attrs.is_some() {
                match single_value(attrs, ID_MESSAGE_DIGEST, "message-digest") {
                    Ok(Some(v)) => match v.decode_as::<OctetString>() {
                        Ok(md) => digest_matches = md.as_bytes() == content_digest.as_slice(),
                        Err(e) => problems.push(format!("bad message-digest: {e}")),
                    },
                    Ok(None) => problems.push("no message-digest attribute".into()),
                    Err(e) => problems.push(e),
                }
                match single_value(attrs, ID_CONTENT_TYPE, "content-type") {
                    Ok(Some(v)) => {
                        if v.decode_as::<ObjectIdentifier>().ok()
                            != Some(signed.encap_content_info.econtent_type)
                        {
                            digest_matches = false;
                            problems.push("the content-type attribute does not match".into());
                        }
                    }
                    Ok(None) => problems.push("no content-type attribute".into()),
                    Err(e) => problems.push(e),
                }
                if let Ok(Some(v)) = single_value(attrs, ID_SIGNING_TIME, "signing-time")
                    && let Ok(t) = v.decode_as::<x509_cert::time::Time>()
                {
                    signing_time = Some(t.to_system_time());
                }
                if !digest_matches && !problems.iter().any(|p| p.contains("message-digest")) {
                    problems.push("the document digest does not match the signed digest".into());
                }
            } else {
                // No signed attributes: the signature covers the content directly.
                digest_matches = true;
            }
            match &signer {
                None => problems.push("the signer's certificate is not in the signature".into()),
                Some(cert) => {
                    let spki = cert.tbs_certificate().subject_public_key_info();
                    let result = match attrs {
                        Some(set) => match set.to_der() {
                            Ok(message) => crypto::verify_signature(
                                spki,
                                &info.signature_algorithm,
                                Some(d),
                                &message,
                                &signature_value,
                            ),
                            Err(e) => Err(crypto::SignatureProblem::Malformed(e.to_string())),
                        },
                        None => crypto::verify_signature_parts(
                            spki,
                            &info.signature_algorithm,
                            Some(d),
                            &content_parts,
                            &signature_value,
                        ),
                    };
                    match result {
                        Ok(()) => signature_valid = true,
                        Err(e) => problems.push(format!("signature: {e}")),
                    }
                    ess = ess_status(attrs, cert, &mut problems);
                }
            }
        }
    }
    let timestamp_token = attr(info.unsigned_attrs.as_ref(), ID_TIME_STAMP_TOKEN)
        .first()
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.to_der().ok());
    let mut crls: Vec<x509_cert::crl::CertificateList> = signed
        .crls
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|choice| match choice {
                    ::cms::revocation::RevocationInfoChoice::Crl(crl) => Some(crl.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    if let Ok(Some(value)) = single_value(attrs, ID_ADBE_REVOCATION, "revocation-info-archival")
        && let Ok(archival) = value.decode_as::<RevocationInfoArchival>()
    {
        crls.extend(archival.crl.unwrap_or_default());
        ocsps.extend(
            archival
                .ocsp
                .unwrap_or_default()
                .iter()
                .filter_map(|r| r.to_der().ok()),
        );
    }
    Ok(CmsCheck {
        certificates: certs,
        signer,
        digest,
        signature_digest,
        digest_matches,
        signature_valid,
        ess,
        signing_time,
        econtent,
        econtent_type: signed.encap_content_info.econtent_type,
        signature_value,
        timestamp_token,
        crls,
        ocsps,
        problems,
    })
}

/// The algorithm identifier's digest name, for reports.
pub fn digest_name(alg: &AlgorithmIdentifierOwned) -> String {
    Digest::from_oid(&alg.oid)
        .map(|d| d.name().to_owned())
        .unwrap_or_else(|| alg.oid.to_string())
}
