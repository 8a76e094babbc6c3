//! CMS SignedData (RFC 5652 §5) for a detached PDF signature, built from RustCrypto `cms` types.
//!
//! The signature covers the signed attributes content-type, message-digest and ESS
//! signing-certificate-v2 (RFC 5035), which PAdES baseline B-B requires (ETSI EN 319 142-1
//! §6.3). `signing-time` is added only for the legacy `adbe.pkcs7.detached` sub-filter: PAdES
//! puts the claimed time in the signature dictionary's /M instead and forbids the attribute.
//! An optional signature time-stamp (RFC 3161) goes in the unsigned attributes (PAdES B-T).
//! Nothing here knows about PDF; the caller passes the digest of the signed byte range.

use cms::cert::IssuerAndSerialNumber;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{OctetString, SetOfVec};
use der::oid::db::{rfc5911, rfc6268};
use der::{Any, Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::{GeneralName, GeneralNames};
use x509_cert::serial_number::SerialNumber;

use super::SignError;
use super::keys::{DigestAlgorithm, Signer};
use super::timestamp::TsaClient;

/// `SigningCertificateV2` (RFC 5035 §3):
///
/// ```text
/// SigningCertificateV2 ::= SEQUENCE {
///     certs        SEQUENCE OF ESSCertIDv2,
///     policies     SEQUENCE OF PolicyInformation OPTIONAL }
/// ```
/// `policies` is never written by this module and so not modelled.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    /// The signer's certificate first (RFC 5035 §3).
    pub certs: Vec<EssCertIdV2>,
}

/// `ESSCertIDv2` (RFC 5035 §4):
///
/// ```text
/// ESSCertIDv2 ::= SEQUENCE {
///     hashAlgorithm   AlgorithmIdentifier DEFAULT {algorithm id-sha256},
///     certHash        Hash,
///     issuerSerial    IssuerSerial OPTIONAL }
/// ```
/// DER omits a DEFAULT value, so `hash_algorithm` is `None` for SHA-256.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// Hash algorithm of `cert_hash`; absent means SHA-256.
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    /// Hash of the whole DER certificate.
    pub cert_hash: OctetString,
    /// Issuer and serial number of the certificate.
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// `IssuerSerial` (RFC 5035 §4):
///
/// ```text
/// IssuerSerial ::= SEQUENCE {
///     issuer         GeneralNames,
///     serialNumber   CertificateSerialNumber }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct IssuerSerial {
    /// The issuer's name as a directoryName.
    pub issuer: GeneralNames,
    /// The certificate's serial number.
    pub serial_number: SerialNumber,
}

fn cms_error(what: &str) -> impl Fn(der::Error) -> SignError + '_ {
    move |e| SignError::Cms {
        reason: format!("{what}: {e}"),
    }
}

fn digest_algorithm_identifier(digest: DigestAlgorithm) -> AlgorithmIdentifierOwned {
    // RFC 5754 §2: the parameters of SHA-2 identifiers are absent.
    AlgorithmIdentifierOwned {
        oid: digest.oid(),
        parameters: None,
    }
}

fn attribute<T: der::EncodeValue + der::Tagged>(
    oid: der::oid::ObjectIdentifier,
    value: &T,
) -> Result<Attribute, SignError> {
    let value = Any::encode_from(value).map_err(cms_error("attribute value"))?;
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value]).map_err(cms_error("attribute set"))?,
    })
}

/// The ESS signing-certificate-v2 attribute value for `certificate`, hashed with SHA-256.
pub fn signing_certificate_v2(
    certificate: &Certificate,
) -> Result<SigningCertificateV2, SignError> {
    let der = certificate.to_der().map_err(cms_error("certificate"))?;
    let cert_hash = OctetString::new(DigestAlgorithm::Sha256.digest(&der))
        .map_err(cms_error("certificate hash"))?;
    let tbs = certificate.tbs_certificate();
    Ok(SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            hash_algorithm: None,
            cert_hash,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
                serial_number: tbs.serial_number().clone(),
            }),
        }],
    })
}

/// Builds the DER `ContentInfo` holding a detached SignedData over a content whose digest (with
/// the signer's digest algorithm) is `content_digest`. `signing_time`, when given, becomes the
/// `signing-time` signed attribute (RFC 5652 §11.3).
pub fn build_detached_signature(
    signer: &dyn Signer,
    content_digest: &[u8],
    signing_time: Option<std::time::SystemTime>,
) -> Result<Vec<u8>, SignError> {
    assemble(
        signer,
        content_digest,
        signing_time,
        |message| signer.sign(message),
        None,
    )
}

/// Like [`build_detached_signature`], plus a signature time-stamp from `tsa` over the signature
/// value, in the unsigned attribute id-aa-timeStampToken (RFC 3161 Appendix A; PAdES B-T).
pub fn build_timestamped_signature(
    signer: &dyn Signer,
    content_digest: &[u8],
    signing_time: Option<std::time::SystemTime>,
    tsa: &TsaClient,
) -> Result<Vec<u8>, SignError> {
    let stamp = |signature: &[u8]| tsa.timestamp(signer.digest_algorithm(), signature);
    assemble(
        signer,
        content_digest,
        signing_time,
        |message| signer.sign(message),
        Some(&stamp),
    )
}

/// The size in bytes [`build_detached_signature`] will produce at most, computed by encoding the
/// same structure with a dummy signature of the signer's maximum length (no key operation).
/// With `sample_token` (a time-stamp token from the same TSA) the size includes a time-stamp
/// attribute of exactly that token's size.
pub fn max_detached_signature_len(
    signer: &dyn Signer,
    signing_time: Option<std::time::SystemTime>,
    sample_token: Option<&[u8]>,
) -> Result<usize, SignError> {
    let dummy_digest = signer.digest_algorithm().digest(b"");
    let dummy_signature = vec![0xFF; signer.max_signature_len()];
    let sample =
        |_: &[u8]| -> Result<Vec<u8>, SignError> { Ok(sample_token.unwrap_or_default().to_vec()) };
    let der = assemble(
        signer,
        &dummy_digest,
        signing_time,
        |_| Ok(dummy_signature.clone()),
        sample_token.map(|_| &sample as &TimestampFn<'_>),
    )?;
    Ok(der.len())
}

/// Produces the DER time-stamp token for a signature value.
type TimestampFn<'a> = dyn Fn(&[u8]) -> Result<Vec<u8>, SignError> + 'a;

fn assemble(
    signer: &dyn Signer,
    content_digest: &[u8],
    signing_time: Option<std::time::SystemTime>,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, SignError>,
    timestamp: Option<&TimestampFn<'_>>,
) -> Result<Vec<u8>, SignError> {
    let certificate = signer.certificate();
    let digest = signer.digest_algorithm();

    let mut attributes = vec![
        attribute(rfc5911::ID_CONTENT_TYPE, &rfc5911::ID_DATA)?,
        attribute(
            rfc5911::ID_MESSAGE_DIGEST,
            &OctetString::new(content_digest).map_err(cms_error("message digest"))?,
        )?,
        attribute(
            rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2,
            &signing_certificate_v2(certificate)?,
        )?,
    ];
    if let Some(time) = signing_time {
        let time = x509_cert::time::Time::try_from(time).map_err(cms_error("signing time"))?;
        attributes.push(attribute(rfc5911::ID_SIGNING_TIME, &time)?);
    }
    // SetOfVec sorts the attributes into DER order; the signature covers the SET OF encoding
    // (RFC 5652 §5.4: the EXPLICIT SET OF tag, not the IMPLICIT [0]).
    let signed_attributes =
        SetOfVec::try_from(attributes).map_err(cms_error("signed attributes"))?;
    let to_sign = signed_attributes
        .to_der()
        .map_err(cms_error("signed attributes"))?;
    let signature = sign(&to_sign)?;

    let unsigned_attrs = match timestamp {
        Some(stamp) => {
            let token =
                der::Any::from_der(&stamp(&signature)?).map_err(cms_error("time-stamp token"))?;
            Some(
                SetOfVec::try_from(vec![Attribute {
                    oid: der::oid::db::rfc3161::ID_AA_TIME_STAMP_TOKEN,
                    values: SetOfVec::try_from(vec![token])
                        .map_err(cms_error("time-stamp attribute"))?,
                }])
                .map_err(cms_error("unsigned attributes"))?,
            )
        }
        None => None,
    };
    let tbs = certificate.tbs_certificate();
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer().clone(),
            serial_number: tbs.serial_number().clone(),
        }),
        digest_alg: digest_algorithm_identifier(digest),
        signed_attrs: Some(signed_attributes),
        signature_algorithm: signer.signature_algorithm()?,
        signature: OctetString::new(signature).map_err(cms_error("signature value"))?,
        unsigned_attrs,
    };

    let certificates = std::iter::once(certificate)
        .chain(signer.chain())
        .map(|cert| cms::cert::CertificateChoices::Certificate(cert.clone()))
        .collect::<Vec<_>>();
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![digest_algorithm_identifier(digest)])
            .map_err(cms_error("digest algorithms"))?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: rfc5911::ID_DATA,
            econtent: None,
        },
        certificates: Some(
            CertificateSet::try_from(certificates).map_err(cms_error("certificates"))?,
        ),
        crls: None,
        signer_infos: SignerInfos::try_from(vec![signer_info])
            .map_err(cms_error("signer infos"))?,
    };
    let content_info = ContentInfo {
        content_type: rfc6268::ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(cms_error("signed data"))?,
    };
    content_info.to_der().map_err(cms_error("content info"))
}
