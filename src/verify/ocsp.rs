//! OCSP (RFC 6960) for the verifier's revocation check: builds the request for one certificate
//! (online check) and checks a responder's answer (status, CertID, responder signature, times),
//! whether fetched online or embedded in the PDF (DSS /OCSPs and /VRI, ETSI EN 319 142-1 §5.4.2;
//! the `ocsp` member of adbe-revocationInfoArchival, ISO 32000-1 §12.8.3.3.2).
//!
//! The ASN.1 types below model RFC 6960 §4.1.1 and §4.2.1 with `der` derive macros: the RustCrypto
//! `x509-ocsp` crate is only published for `der` 0.7 / `x509-cert` 0.2, incompatible with the
//! `der` 0.8 stack used here. Only what a client needs is modelled: no request signature, no
//! extensions sent (no nonce: RFC 5019 responders ignore it and caching proxies break it).

use std::time::SystemTime;

use der::asn1::{BitString, GeneralizedTime, Null, OctetString};
use der::{Decode, Encode, Enumerated, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

use super::crypto::{self, Digest};
use super::trust::{subject_name, verifies};

/// RFC 6960 §4.1.1 `CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber }`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct CertId {
    /// Digest algorithm of the two hashes (SHA-1 here, the one every responder supports).
    pub hash_algorithm: AlgorithmIdentifierOwned,
    /// Hash of the issuer's DER-encoded subject name.
    pub issuer_name_hash: OctetString,
    /// Hash of the issuer's public key bits.
    pub issuer_key_hash: OctetString,
    /// The certificate's serial number.
    pub serial_number: SerialNumber,
}

/// RFC 6960 §4.1.1 `Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct Request {
    /// The certificate asked about.
    pub req_cert: CertId,
}

/// RFC 6960 §4.1.1 `TBSRequest` (version left at its default v1, no requestor name, no extensions).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct TbsRequest {
    /// One entry per certificate.
    pub request_list: Vec<Request>,
}

/// RFC 6960 §4.1.1 `OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct OcspRequest {
    /// The unsigned request.
    pub tbs_request: TbsRequest,
}

/// RFC 6960 §4.2.1 `OCSPResponseStatus`.
#[derive(Clone, Copy, Debug, Eq, PartialEq, Enumerated)]
#[repr(u32)]
pub enum ResponseStatus {
    /// Response has valid confirmations.
    Successful = 0,
    /// Illegal confirmation request.
    MalformedRequest = 1,
    /// Internal error in issuer.
    InternalError = 2,
    /// Try again later.
    TryLater = 3,
    /// Must sign the request.
    SigRequired = 5,
    /// Request unauthorized.
    Unauthorized = 6,
}

/// RFC 6960 §4.2.1 `ResponseBytes ::= SEQUENCE { responseType OBJECT IDENTIFIER, response OCTET STRING }`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct ResponseBytes {
    /// id-pkix-ocsp-basic for a BasicOCSPResponse.
    pub response_type: der::oid::ObjectIdentifier,
    /// The DER of the response.
    pub response: OctetString,
}

/// RFC 6960 §4.2.1 `OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct OcspResponse {
    /// Whether the responder could answer.
    pub response_status: ResponseStatus,
    /// The answer.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub response_bytes: Option<ResponseBytes>,
}

/// RFC 6960 §4.2.1 `BasicOCSPResponse`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct BasicOcspResponse {
    /// The signed part.
    pub tbs_response_data: ResponseData,
    /// Signature algorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// Signature over the DER of `tbs_response_data`.
    pub signature: BitString,
    /// Certificates that help find the responder's.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub certs: Option<Vec<Certificate>>,
}

/// RFC 6960 §4.2.1 `ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }` (explicit tags:
/// the module's default is EXPLICIT).
#[derive(Clone, Debug, Eq, PartialEq, der::Choice)]
pub enum ResponderId {
    /// The responder's subject name.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    ByName(Name),
    /// SHA-1 of the responder's public key.
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", constructed = "true")]
    ByKey(OctetString),
}

/// RFC 6960 §4.2.1 `ResponseData` (version kept at its default v1, so not modelled).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct ResponseData {
    /// Who signed.
    pub responder_id: ResponderId,
    /// When the response was signed.
    pub produced_at: GeneralizedTime,
    /// One per certificate asked about.
    pub responses: Vec<SingleResponse>,
    /// Response extensions (nonce …), ignored.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub response_extensions: Option<Extensions>,
}

/// RFC 6960 §4.2.1 `RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct RevokedInfo {
    /// When the certificate was revoked.
    pub revocation_time: GeneralizedTime,
    /// CRLReason, not interpreted.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub revocation_reason: Option<der::Any>,
}

/// RFC 6960 §4.2.1 `CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT UnknownInfo }`.
#[derive(Clone, Debug, Eq, PartialEq, der::Choice)]
pub enum CertStatus {
    /// Not revoked.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    /// Revoked.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    /// The responder does not know the certificate.
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

/// RFC 6960 §4.2.1 `SingleResponse`.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SingleResponse {
    /// Which certificate.
    pub cert_id: CertId,
    /// Its status.
    pub cert_status: CertStatus,
    /// When the status was known to be correct.
    pub this_update: GeneralizedTime,
    /// When newer information will be available.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub next_update: Option<GeneralizedTime>,
    /// Extensions, ignored.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub single_extensions: Option<Extensions>,
}

/// id-pkix-ocsp-basic (RFC 6960 §4.2.1).
const ID_PKIX_OCSP_BASIC: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// id-kp-OCSPSigning (RFC 6960 §4.2.2.2).
const ID_KP_OCSP_SIGNING: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
/// id-sha1.
const ID_SHA1: der::oid::ObjectIdentifier = der::oid::ObjectIdentifier::new_unwrap("1.3.14.3.2.26");

/// The CertID of `cert` issued by `issuer` (SHA-1 hashes, RFC 6960 §4.1.1).
pub fn cert_id(cert: &Certificate, issuer: &Certificate) -> Result<CertId, String> {
    let name = issuer
        .tbs_certificate()
        .subject()
        .to_der()
        .map_err(|e| e.to_string())?;
    let key = issuer
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes();
    let octets = |bytes: Vec<u8>| OctetString::new(bytes).map_err(|e| e.to_string());
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid: ID_SHA1,
            parameters: Some(der::Any::from(Null)),
        },
        issuer_name_hash: octets(Digest::Sha1.digest(&name))?,
        issuer_key_hash: octets(Digest::Sha1.digest(key))?,
        serial_number: cert.tbs_certificate().serial_number().clone(),
    })
}

/// The DER OCSP request for one certificate.
pub fn request(id: &CertId) -> Result<Vec<u8>, String> {
    OcspRequest {
        tbs_request: TbsRequest {
            request_list: vec![Request {
                req_cert: id.clone(),
            }],
        },
    }
    .to_der()
    .map_err(|e| e.to_string())
}

/// What a verified OCSP answer says about one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Not revoked at `this_update`.
    Good,
    /// Revoked at this time.
    Revoked(SystemTime),
}

/// Why an OCSP response is not a revocation proof for a certificate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OcspError {
    /// The bytes are not an RFC 6960 response.
    #[error("not an OCSP response: {reason}")]
    Malformed {
        /// The decoder's complaint.
        reason: String,
    },
    /// The responder did not answer `successful`.
    #[error("the responder answered {status}")]
    Status {
        /// The `OCSPResponseStatus`.
        status: String,
    },
    /// No `SingleResponse` has this certificate's CertID (an answer about another certificate).
    #[error("the OCSP response does not answer for this certificate")]
    NotForThisCertificate,
    /// Neither the issuer nor a responder it delegated (id-kp-OCSPSigning) signed the response.
    #[error("the OCSP response is not signed by “{issuer}” or a responder it authorised")]
    WrongResponder {
        /// The certificate's issuer.
        issuer: String,
    },
    /// `thisUpdate` is later than now.
    #[error("the OCSP response is dated in the future ({this_update})")]
    Future {
        /// thisUpdate (RFC 3339).
        this_update: String,
    },
    /// `nextUpdate` is before the time the answer must cover.
    #[error(
        "stale OCSP response: produced {this_update}, next update {next_update} is before {against} {reference}"
    )]
    Stale {
        /// thisUpdate (RFC 3339).
        this_update: String,
        /// nextUpdate (RFC 3339).
        next_update: String,
        /// What `reference` is (validation time, time-stamped signing time).
        against: &'static str,
        /// The time it had to reach (RFC 3339).
        reference: String,
    },
    /// The responder answered `unknown`.
    #[error("the OCSP responder does not know the certificate")]
    UnknownCertificate,
}

/// The times an OCSP answer is judged against (the same rule as for CRLs, see
/// [`super::revocation`]): `next_update` must not be before `reference`, `this_update` not after
/// `now` (plus a few minutes of clock skew).
#[derive(Debug, Clone, Copy)]
pub struct Freshness {
    /// The time the answer must cover (the proven signing time, else now).
    pub reference: SystemTime,
    /// What `reference` is, for messages.
    pub against: &'static str,
    /// The validation time.
    pub now: SystemTime,
}

fn date(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339()
}

/// Whether `single` answers for `cert` issued by `issuer`: same serial number, and the issuer
/// name and key hashes made with the response's own hash algorithm (RFC 6960 §4.1.1).
fn answers_for(single: &SingleResponse, cert: &Certificate, issuer: &Certificate) -> bool {
    let id = &single.cert_id;
    if id.serial_number != *cert.tbs_certificate().serial_number() {
        return false;
    }
    let Some(digest) = Digest::from_oid(&id.hash_algorithm.oid) else {
        return false;
    };
    let Ok(name) = issuer.tbs_certificate().subject().to_der() else {
        return false;
    };
    let key = issuer
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes();
    digest.digest(&name) == id.issuer_name_hash.as_bytes()
        && digest.digest(key) == id.issuer_key_hash.as_bytes()
}

/// Checks a DER OCSP response about `cert` (issued by `issuer`), fetched online or embedded in
/// the PDF (DSS /OCSPs, /VRI, adbe-revocationInfoArchival): the status is successful, a
/// `SingleResponse` carries the certificate's CertID, the signature verifies with the issuer's key
/// or with a delegated responder certificate the issuer signed for id-kp-OCSPSigning (valid when
/// the response was produced), and the times fit `fresh`. `Err` says why the answer is not a
/// proof; [`OcspError::NotForThisCertificate`] means it is simply about another certificate.
pub fn check_response(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    fresh: &Freshness,
) -> Result<Answer, OcspError> {
    let malformed = |reason: String| OcspError::Malformed { reason };
    let response = OcspResponse::from_der(der).map_err(|e| malformed(e.to_string()))?;
    if response.response_status != ResponseStatus::Successful {
        return Err(OcspError::Status {
            status: format!("{:?}", response.response_status),
        });
    }
    let bytes = response
        .response_bytes
        .ok_or_else(|| malformed("the response carries no answer".into()))?;
    if bytes.response_type != ID_PKIX_OCSP_BASIC {
        return Err(malformed(format!(
            "unsupported response type {}",
            bytes.response_type
        )));
    }
    let basic = BasicOcspResponse::from_der(bytes.response.as_bytes())
        .map_err(|e| malformed(format!("bad BasicOCSPResponse: {e}")))?;
    let single = basic
        .tbs_response_data
        .responses
        .iter()
        .find(|r| answers_for(r, cert, issuer))
        .ok_or(OcspError::NotForThisCertificate)?;
    let tbs = basic
        .tbs_response_data
        .to_der()
        .map_err(|e| malformed(e.to_string()))?;
    let signature = basic
        .signature
        .as_bytes()
        .ok_or_else(|| malformed("the signature has unused bits".into()))?;
    let signed_by = |key: &Certificate| {
        crypto::verify_signature(
            key.tbs_certificate().subject_public_key_info(),
            &basic.signature_algorithm,
            None,
            &tbs,
            signature,
        )
        .is_ok()
    };
    let produced = basic.tbs_response_data.produced_at.to_system_time();
    let responder_ok = signed_by(issuer)
        || basic.certs.iter().flatten().any(|responder| {
            let eku = responder
                .tbs_certificate()
                .get_extension::<x509_cert::ext::pkix::ExtendedKeyUsage>()
                .ok()
                .flatten();
            let validity = responder.tbs_certificate().validity();
            eku.is_some_and(|(_, eku)| eku.0.contains(&ID_KP_OCSP_SIGNING))
                && verifies(responder, issuer)
                && validity.not_before.to_system_time() <= produced
                && produced <= validity.not_after.to_system_time()
                && signed_by(responder)
        });
    if !responder_ok {
        return Err(OcspError::WrongResponder {
            issuer: subject_name(issuer),
        });
    }
    let this_update = single.this_update.to_system_time();
    // A few minutes of clock difference between the responder and this machine are normal.
    let skew = std::time::Duration::from_secs(300);
    if this_update > fresh.now + skew {
        return Err(OcspError::Future {
            this_update: date(this_update),
        });
    }
    if let Some(next) = &single.next_update
        && next.to_system_time() < fresh.reference
    {
        return Err(OcspError::Stale {
            this_update: date(this_update),
            next_update: date(next.to_system_time()),
            against: fresh.against,
            reference: date(fresh.reference),
        });
    }
    match &single.cert_status {
        CertStatus::Good(_) => Ok(Answer::Good),
        CertStatus::Revoked(info) => Ok(Answer::Revoked(info.revocation_time.to_system_time())),
        CertStatus::Unknown(_) => Err(OcspError::UnknownCertificate),
    }
}
