//! RFC 3161 time-stamp client, used for the signature time-stamp of PAdES B-T.
//!
//! The request asks a TSA to time-stamp the hash of the CMS signature value (ETSI EN 319 122-1
//! §5.3: the `signature-time-stamp` unsigned attribute, id-aa-timeStampToken). The ASN.1 types
//! below model RFC 3161 §2.4 with `der` derive macros: the RustCrypto `x509-tsp` crate exists but
//! is built on `der` 0.7 / `cms` 0.2, incompatible with the `der` 0.8 stack used here. The answer is
//! checked before use: status granted, the token's TSTInfo carries our message imprint and nonce.
//! HTTP goes through `ureq`: plain HTTP (TSAs of Vietnamese CAs serve `http://` URLs) or HTTPS with
//! rustls, checked against Mozilla's roots or the anchors given in [`TsaClient::tls_roots`].

use std::time::Duration;

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::{BitString, Int, OctetString};
use der::{Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::pkix::name::GeneralName;

use super::SignError;
use super::keys::DigestAlgorithm;

/// RFC 3161 §2.4.1:
///
/// ```text
/// MessageImprint ::= SEQUENCE {
///     hashAlgorithm                AlgorithmIdentifier,
///     hashedMessage                OCTET STRING  }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct MessageImprint {
    /// The digest algorithm.
    pub hash_algorithm: AlgorithmIdentifierOwned,
    /// The digest of the time-stamped data.
    pub hashed_message: OctetString,
}

/// RFC 3161 §2.4.1:
///
/// ```text
/// TimeStampReq ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    messageImprint               MessageImprint,
///    reqPolicy             TSAPolicyId              OPTIONAL,
///    nonce                 INTEGER                  OPTIONAL,
///    certReq               BOOLEAN                  DEFAULT FALSE,
///    extensions            [0] IMPLICIT Extensions  OPTIONAL  }
/// ```
/// Extensions are never sent and not modelled.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct TimeStampReq {
    /// Always 1.
    pub version: u8,
    /// What to time-stamp.
    pub message_imprint: MessageImprint,
    /// Requested policy.
    #[asn1(optional = "true")]
    pub req_policy: Option<der::oid::ObjectIdentifier>,
    /// Random number echoed in the TSTInfo, against replay.
    #[asn1(optional = "true")]
    pub nonce: Option<Int>,
    /// Ask the TSA to include its certificate.
    #[asn1(default = "Default::default")]
    pub cert_req: bool,
}

/// RFC 3161 §2.4.2 (`PKIStatusInfo` from RFC 4210 §5.2.3):
///
/// ```text
/// PKIStatusInfo ::= SEQUENCE {
///     status        PKIStatus,
///     statusString  PKIFreeText     OPTIONAL,
///     failInfo      PKIFailureInfo  OPTIONAL  }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct PkiStatusInfo {
    /// 0 granted, 1 granted with modifications, 2 rejection, …
    pub status: u8,
    /// Free text from the TSA (`SEQUENCE OF UTF8String`).
    #[asn1(optional = "true")]
    pub status_string: Option<Vec<String>>,
    /// Failure bits.
    #[asn1(optional = "true")]
    pub fail_info: Option<BitString>,
}

/// RFC 3161 §2.4.2:
///
/// ```text
/// TimeStampResp ::= SEQUENCE  {
///     status                  PKIStatusInfo,
///     timeStampToken          TimeStampToken     OPTIONAL  }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct TimeStampResp {
    /// Whether the request was granted.
    pub status: PkiStatusInfo,
    /// A CMS ContentInfo wrapping SignedData over a TSTInfo.
    #[asn1(optional = "true")]
    pub time_stamp_token: Option<ContentInfo>,
}

/// RFC 3161 §2.4.2:
///
/// ```text
/// Accuracy ::= SEQUENCE {
///     seconds        INTEGER           OPTIONAL,
///     millis     [0] INTEGER  (1..999) OPTIONAL,
///     micros     [1] INTEGER  (1..999) OPTIONAL  }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct Accuracy {
    /// Whole seconds.
    #[asn1(optional = "true")]
    pub seconds: Option<Int>,
    /// Milliseconds.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub millis: Option<Int>,
    /// Microseconds.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub micros: Option<Int>,
}

/// RFC 3161 §2.4.2:
///
/// ```text
/// TSTInfo ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    policy                       TSAPolicyId,
///    messageImprint               MessageImprint,
///    serialNumber                 INTEGER,
///    genTime                      GeneralizedTime,
///    accuracy                     Accuracy                 OPTIONAL,
///    ordering                     BOOLEAN             DEFAULT FALSE,
///    nonce                        INTEGER                  OPTIONAL,
///    tsa                          [0] GeneralName          OPTIONAL,
///    extensions                   [1] IMPLICIT Extensions   OPTIONAL  }
/// ```
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct TstInfo {
    /// Always 1.
    pub version: u8,
    /// The TSA's policy.
    pub policy: der::oid::ObjectIdentifier,
    /// Must equal the request's.
    pub message_imprint: MessageImprint,
    /// Unique per TSA.
    pub serial_number: Int,
    /// The time of the stamp.
    pub gen_time: GenTime,
    /// Accuracy of `gen_time`.
    #[asn1(optional = "true")]
    pub accuracy: Option<Accuracy>,
    /// Whether stamps of this TSA are ordered.
    #[asn1(default = "Default::default")]
    pub ordering: bool,
    /// Must equal the request's.
    #[asn1(optional = "true")]
    pub nonce: Option<Int>,
    /// The TSA's name.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub tsa: Option<GeneralName>,
    /// Extensions.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<x509_cert::ext::Extensions>,
}

/// The `genTime` GeneralizedTime of a TSTInfo. RFC 3161 §2.4.2 allows fractional seconds
/// (`YYYYMMDDhhmmss[.s...]Z`), which `der`'s `GeneralizedTime` rejects, so the text is kept as
/// received (checked to be ASCII digits, one optional fraction, and `Z`) and converted on demand.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct GenTime {
    text: String,
}

impl GenTime {
    /// The time, truncated to whole seconds; `None` if the text is not a valid UTC time.
    pub fn to_system_time(&self) -> Option<std::time::SystemTime> {
        let whole = self.text.get(..14)?;
        let naive = chrono::NaiveDateTime::parse_from_str(whole, "%Y%m%d%H%M%S").ok()?;
        Some(naive.and_utc().into())
    }
}

impl der::FixedTag for GenTime {
    const TAG: der::Tag = der::Tag::GeneralizedTime;
}

impl<'a> der::DecodeValue<'a> for GenTime {
    type Error = der::Error;

    fn decode_value<R: der::Reader<'a>>(reader: &mut R, header: der::Header) -> der::Result<Self> {
        let bytes = reader.read_vec(header.length())?;
        let text = String::from_utf8(bytes).map_err(|_| {
            der::Error::from(der::ErrorKind::Value {
                tag: der::Tag::GeneralizedTime,
            })
        })?;
        let body = text.strip_suffix('Z');
        let valid = body.is_some_and(|body| {
            let (whole, fraction) = body.split_once('.').unwrap_or((body, "1"));
            whole.len() == 14
                && whole.bytes().all(|b| b.is_ascii_digit())
                && !fraction.is_empty()
                && fraction.bytes().all(|b| b.is_ascii_digit())
        });
        if !valid {
            return Err(der::ErrorKind::Value {
                tag: der::Tag::GeneralizedTime,
            }
            .into());
        }
        Ok(GenTime { text })
    }
}

impl der::EncodeValue for GenTime {
    fn value_len(&self) -> der::Result<der::Length> {
        der::Length::try_from(self.text.len())
    }

    fn encode_value(&self, writer: &mut impl der::Writer) -> der::Result<()> {
        writer.write(self.text.as_bytes())
    }
}

/// A time-stamping authority reachable over HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsaClient {
    /// The TSA URL, e.g. `http://tsa.example.vn/tsa`.
    pub url: String,
    /// Give up after this long (the signature is then made without a time-stamp).
    pub timeout: Duration,
    /// For `https://` TSAs: the only TLS trust anchors (DER certificates) instead of Mozilla's
    /// roots (webpki-roots), e.g. a CA of a closed network, or a test root.
    pub tls_roots: Option<Vec<Vec<u8>>>,
}

impl TsaClient {
    /// A client with a 10-second timeout.
    pub fn new(url: impl Into<String>) -> Self {
        TsaClient {
            url: url.into(),
            timeout: Duration::from_secs(10),
            tls_roots: None,
        }
    }

    fn fail(&self, reason: impl Into<String>) -> SignError {
        SignError::Timestamp {
            url: self.url.clone(),
            reason: reason.into(),
        }
    }

    /// Asks the TSA to time-stamp `data` (hashed here with `digest`) and returns the DER
    /// TimeStampToken, after checking it answers this request.
    pub fn timestamp(&self, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>, SignError> {
        self.timestamp_digest(digest, digest.digest(data))
    }

    /// [`TsaClient::timestamp`] for data already hashed with `digest` (a document time-stamp
    /// hashes the byte range in parts).
    pub fn timestamp_digest(
        &self,
        digest: DigestAlgorithm,
        hashed: Vec<u8>,
    ) -> Result<Vec<u8>, SignError> {
        let data = hashed.as_slice();
        let imprint = MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned {
                oid: digest.oid(),
                parameters: None,
            },
            hashed_message: OctetString::new(hashed.clone())
                .map_err(|e| self.fail(e.to_string()))?,
        };
        // The nonce only has to be unpredictable enough not to repeat: the hash of the data,
        // the time and the process id, positive (leading 0x01).
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        let mut nonce = vec![0x01];
        nonce.extend_from_slice(
            &DigestAlgorithm::Sha256.digest_parts(&[data, seed.as_bytes()])[..8],
        );
        let nonce = Int::new(&nonce).map_err(|e| self.fail(e.to_string()))?;
        let request = TimeStampReq {
            version: 1,
            message_imprint: imprint.clone(),
            req_policy: None,
            nonce: Some(nonce.clone()),
            cert_req: true,
        }
        .to_der()
        .map_err(|e| self.fail(e.to_string()))?;

        let mut config = ureq::Agent::config_builder().timeout_global(Some(self.timeout));
        if let Some(roots) = &self.tls_roots {
            let roots = roots
                .iter()
                .map(|der| ureq::tls::Certificate::from_der(der).to_owned())
                .collect();
            config = config.tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(roots)))
                    .build(),
            );
        }
        let agent: ureq::Agent = config.build().into();
        let mut response = agent
            .post(&self.url)
            .header("Content-Type", "application/timestamp-query")
            .send(&request[..])
            .map_err(|e| self.fail(format!("no answer: {e}")))?;
        let body = response
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_vec()
            .map_err(|e| self.fail(format!("cannot read the answer: {e}")))?;

        let answer = TimeStampResp::from_der(&body)
            .map_err(|e| self.fail(format!("not a time-stamp response: {e}")))?;
        if answer.status.status > 1 {
            let text = answer
                .status
                .status_string
                .unwrap_or_default()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("; ");
            return Err(self.fail(format!(
                "request rejected (status {}): {text}",
                answer.status.status
            )));
        }
        let token = answer
            .time_stamp_token
            .ok_or_else(|| self.fail("the answer holds no time-stamp token"))?;
        let info = tst_info(&token).map_err(|e| self.fail(e))?;
        if info.message_imprint != imprint {
            return Err(self.fail("the token time-stamps other data than requested"));
        }
        if info.nonce.as_ref() != Some(&nonce) {
            return Err(self.fail("the token's nonce does not match the request"));
        }
        token.to_der().map_err(|e| self.fail(e.to_string()))
    }
}

/// The TSTInfo inside a TimeStampToken (RFC 3161 §2.4.2: SignedData whose eContent is TSTInfo).
pub fn tst_info(token: &ContentInfo) -> Result<TstInfo, String> {
    let signed: SignedData = token
        .content
        .decode_as()
        .map_err(|e| format!("the token is not SignedData: {e}"))?;
    if signed.encap_content_info.econtent_type != der::oid::db::rfc3161::ID_CT_TST_INFO {
        return Err("the token does not hold a TSTInfo".into());
    }
    let content = signed
        .encap_content_info
        .econtent
        .ok_or("the token has no content")?;
    let octets: OctetString = content
        .decode_as()
        .map_err(|e| format!("the token content is not an OCTET STRING: {e}"))?;
    TstInfo::from_der(octets.as_bytes()).map_err(|e| format!("invalid TSTInfo: {e}"))
}
