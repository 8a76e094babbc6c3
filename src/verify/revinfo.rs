//! The SignedData `crls` field as RFC 5652 §10.2.1 defines it, so that RFC 5940 OCSP answers
//! carried there are read instead of breaking the decoding.
//!
//! The `cms` crate we pin (0.3.0-pre.1; the newest release, 0.3.0-rc.0, is the same) models
//! `OtherRevocationInfoFormat.otherRevInfoFormat` as an AlgorithmIdentifier (a SEQUENCE) where
//! the spec has an OBJECT IDENTIFIER, so a SignedData whose `crls` holds any `other` entry —
//! typically an OCSP response placed there by a CAdES signer (RFC 5940 §2.1) — does not decode.
//! The upgrade is neither possible (pkcs12 0.2.0-pre.0 requires exactly this `cms`) nor a fix.
//! Here the SignedData is modelled again type by type with `der` derives, reusing the crate's
//! types for every other field; [`decode`] splits it into the crate's
//! [`cms::signed_data::SignedData`] (with only the CRL entries in `crls`, for the rest of the
//! verifier) and the DER OCSP responses, which the revocation code uses as embedded proof like
//! those of adbe-revocationInfoArchival or the DSS.

use core::cmp::Ordering;

use cms::content_info::CmsVersion;
use cms::signed_data::{
    CertificateSet, DigestAlgorithmIdentifiers, EncapsulatedContentInfo, SignerInfos,
};
use der::asn1::SetOfVec;
use der::oid::ObjectIdentifier;
use der::{Any, Choice, DerOrd, Encode, Sequence, ValueOrd};
use x509_cert::crl::CertificateList;

/// id-ri-ocsp-response (RFC 5940 §2.1): `{ id-ri 2 }`, `id-ri` being `{ id-pkix 16 }`.
pub const ID_RI_OCSP_RESPONSE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.2");

/// `OtherRevocationInfoFormat` (RFC 5652 §10.2.1):
///
/// ```text
/// OtherRevocationInfoFormat ::= SEQUENCE {
///     otherRevInfoFormat OBJECT IDENTIFIER,
///     otherRevInfo ANY DEFINED BY otherRevInfoFormat }
/// ```
/// With format [`ID_RI_OCSP_RESPONSE`], `otherRevInfo` is an `OCSPResponse` (RFC 5940 §2.1,
/// RFC 6960 §4.2.1).
#[derive(Clone, Debug, Eq, PartialEq, Sequence, ValueOrd)]
pub struct OtherRevocationInfoFormat {
    /// What `other_rev_info` is.
    pub other_rev_info_format: ObjectIdentifier,
    /// The revocation data, undecoded.
    pub other_rev_info: Any,
}

/// `RevocationInfoChoice` (RFC 5652 §10.2.1):
///
/// ```text
/// RevocationInfoChoice ::= CHOICE {
///     crl CertificateList,
///     other [1] IMPLICIT OtherRevocationInfoFormat }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Choice)]
#[allow(clippy::large_enum_variant)]
pub enum RevocationInfoChoice {
    /// An X.509 CRL (RFC 5280 §5.1).
    Crl(CertificateList),
    /// Another format, e.g. an OCSP response (RFC 5940 §2.1).
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Other(OtherRevocationInfoFormat),
}

/// `SET OF` elements need an order (X.690 §11.6); a CHOICE is ordered by its DER encoding.
impl ValueOrd for RevocationInfoChoice {
    fn value_cmp(&self, other: &Self) -> der::Result<Ordering> {
        self.to_der()?.der_cmp(&other.to_der()?)
    }
}

/// `SignedData` (RFC 5652 §5.1), with `crls` as the spec defines `RevocationInfoChoices`
/// (§10.2.1: `SET OF RevocationInfoChoice`); the other fields are the `cms` crate's types.
///
/// ```text
/// SignedData ::= SEQUENCE {
///     version CMSVersion,
///     digestAlgorithms DigestAlgorithmIdentifiers,
///     encapContentInfo EncapsulatedContentInfo,
///     certificates [0] IMPLICIT CertificateSet OPTIONAL,
///     crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///     signerInfos SignerInfos }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SignedData {
    /// CMSVersion.
    pub version: CmsVersion,
    /// The digest algorithms of the signers.
    pub digest_algorithms: DigestAlgorithmIdentifiers,
    /// What was signed (or its type only, when detached).
    pub encap_content_info: EncapsulatedContentInfo,
    /// Certificates.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub certificates: Option<CertificateSet>,
    /// Revocation data: CRLs and other formats.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub crls: Option<SetOfVec<RevocationInfoChoice>>,
    /// The signers.
    pub signer_infos: SignerInfos,
}

/// A decoded SignedData: the `cms` crate's value (CRLs only in its `crls`) and the OCSP
/// responses of the `crls` field.
#[derive(Clone, Debug)]
pub struct Decoded {
    /// The SignedData, with only the CRL entries of `crls`.
    pub signed: cms::signed_data::SignedData,
    /// The DER `OCSPResponse`s carried as id-ri-ocsp-response entries (RFC 5940 §2.1).
    pub ocsps: Vec<Vec<u8>>,
}

/// Decodes the DER of a SignedData (the `content` of its ContentInfo). Entries of `crls` in
/// formats other than CRL and id-ri-ocsp-response are ignored.
pub fn decode(signed_data: &Any) -> der::Result<Decoded> {
    let own = signed_data.decode_as::<SignedData>()?;
    let mut crls = Vec::new();
    let mut ocsps = Vec::new();
    for choice in own.crls.map(SetOfVec::into_vec).unwrap_or_default() {
        match choice {
            RevocationInfoChoice::Crl(crl) => {
                crls.push(cms::revocation::RevocationInfoChoice::Crl(crl))
            }
            RevocationInfoChoice::Other(other)
                if other.other_rev_info_format == ID_RI_OCSP_RESPONSE =>
            {
                ocsps.push(other.other_rev_info.to_der()?)
            }
            RevocationInfoChoice::Other(_) => {}
        }
    }
    let crls = if crls.is_empty() {
        None
    } else {
        Some(cms::revocation::RevocationInfoChoices::try_from(crls)?)
    };
    Ok(Decoded {
        signed: cms::signed_data::SignedData {
            version: own.version,
            digest_algorithms: own.digest_algorithms,
            encap_content_info: own.encap_content_info,
            certificates: own.certificates,
            crls,
            signer_infos: own.signer_infos,
        },
        ocsps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::{Decode, Enumerated};
    use x509_cert::Certificate;
    use x509_cert::crl::TbsCertList;
    use x509_cert::der::DecodePem;
    use x509_cert::spki::AlgorithmIdentifierOwned;
    use x509_cert::time::Time;

    /// `OCSPResponseStatus` (RFC 6960 §4.2.1), the value used here.
    #[derive(Clone, Copy, Debug, Eq, PartialEq, Enumerated)]
    #[repr(u32)]
    enum ResponseStatus {
        TryLater = 3,
    }

    /// An `OCSPResponse` without `responseBytes` (RFC 6960 §4.2.1).
    #[derive(Clone, Debug, Eq, PartialEq, Sequence)]
    struct BareOcspResponse {
        response_status: ResponseStatus,
    }

    fn crl() -> CertificateList {
        let pem = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/pki/inter.cert.pem"
        ))
        .unwrap();
        let ca = Certificate::from_pem(&pem).unwrap();
        let alg = AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"),
            parameters: None,
        };
        CertificateList {
            tbs_cert_list: TbsCertList {
                version: x509_cert::Version::V2,
                signature: alg.clone(),
                issuer: ca.tbs_certificate().subject().clone(),
                this_update: Time::try_from(std::time::UNIX_EPOCH).unwrap(),
                next_update: None,
                revoked_certificates: None,
                crl_extensions: None,
            },
            signature_algorithm: alg,
            signature: der::asn1::BitString::from_bytes(&[1, 2, 3]).unwrap(),
        }
    }

    /// A SignedData whose `crls` holds a CRL, an RFC 5940 OCSP answer and an unknown format.
    fn signed_data(ocsp: &Any) -> Vec<u8> {
        let entries = vec![
            RevocationInfoChoice::Crl(crl()),
            RevocationInfoChoice::Other(OtherRevocationInfoFormat {
                other_rev_info_format: ID_RI_OCSP_RESPONSE,
                other_rev_info: ocsp.clone(),
            }),
            RevocationInfoChoice::Other(OtherRevocationInfoFormat {
                // id-ri-scvp (RFC 5940 §2.2): not used by the verifier.
                other_rev_info_format: ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.4"),
                other_rev_info: Any::from(der::asn1::Null),
            }),
        ];
        SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::new(),
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1"),
                econtent: None,
            },
            certificates: None,
            crls: Some(SetOfVec::try_from(entries).unwrap()),
            signer_infos: SignerInfos(SetOfVec::new()),
        }
        .to_der()
        .unwrap()
    }

    #[test]
    fn crls_and_ocsp_answers_are_split_and_other_formats_ignored() {
        let ocsp = Any::encode_from(&BareOcspResponse {
            response_status: ResponseStatus::TryLater,
        })
        .unwrap();
        let der = signed_data(&ocsp);
        // The `cms` crate alone cannot read it (otherRevInfoFormat taken for a SEQUENCE); when
        // this starts to decode, a fixed release may make this module unnecessary.
        let err = cms::signed_data::SignedData::from_der(&der).unwrap_err();
        assert!(
            matches!(
                err.kind(),
                der::ErrorKind::TagUnexpected {
                    expected: Some(der::Tag::Sequence),
                    actual: der::Tag::ObjectIdentifier
                }
            ),
            "{err}"
        );

        let decoded = decode(&Any::from_der(&der).unwrap()).unwrap();
        assert_eq!(decoded.ocsps, vec![ocsp.to_der().unwrap()]);
        let crls = decoded.signed.crls.expect("the CRL is kept").0.into_vec();
        assert_eq!(
            crls,
            vec![cms::revocation::RevocationInfoChoice::Crl(crl())]
        );
        assert_eq!(
            decoded.signed.encap_content_info.econtent_type,
            ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1")
        );
    }

    #[test]
    fn a_crls_field_with_only_ocsp_answers_leaves_no_crls() {
        let ocsp = Any::encode_from(&BareOcspResponse {
            response_status: ResponseStatus::TryLater,
        })
        .unwrap();
        let mut own = SignedData::from_der(&signed_data(&ocsp)).unwrap();
        own.crls = Some(
            SetOfVec::try_from(vec![RevocationInfoChoice::Other(
                OtherRevocationInfoFormat {
                    other_rev_info_format: ID_RI_OCSP_RESPONSE,
                    other_rev_info: ocsp.clone(),
                },
            )])
            .unwrap(),
        );
        let decoded = decode(&Any::from_der(&own.to_der().unwrap()).unwrap()).unwrap();
        assert_eq!(decoded.ocsps.len(), 1);
        assert!(decoded.signed.crls.is_none());
    }
}
