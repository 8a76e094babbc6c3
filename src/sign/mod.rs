//! Signing: PAdES signatures (ETSI EN 319 142-1) added to a PDF by incremental update.
//!
//! The flow is split by concern: [`keys`] loads the clerk's software key and checks the
//! certificate, [`pkcs11`] does the same for a USB token (the key stays on it), [`cms`] builds the
//! CMS SignedData (RFC 5652), [`timestamp`] fetches an RFC 3161 signature time-stamp (B-T),
//! [`appearance`] draws the visible Vietnamese stamp, and [`incremental`] appends the new revision
//! without touching a byte of the input. [`sign_pdf`] ties them together: reserve /Contents from
//! the real CMS size, hash the byte range, sign, fill the hole; [`sign_file`] writes atomically and
//! [`batch`] signs a folder with one signer; [`doc_timestamp`] adds a document time-stamp later.

pub mod appearance;
pub mod batch;
pub mod cms;
pub mod doc_timestamp;
mod error;
mod file;
pub mod incremental;
pub mod keys;
pub mod pkcs11;
pub mod timestamp;

pub use error::SignError;
pub use file::{sign_file, sign_file_with_outcome};
pub use keys::{DigestAlgorithm, RsaScheme, Signer, SoftwareSigner};

use chrono::{DateTime, FixedOffset, Offset as _, Utc};
use lopdf::{Dictionary, Object};

/// The /SubFilter of the signature dictionary (ISO 32000-2 §12.8.3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubFilter {
    /// `ETSI.CAdES.detached`: PAdES baseline (ETSI EN 319 142-1).
    #[default]
    CadesDetached,
    /// `adbe.pkcs7.detached`: for readers that predate PAdES.
    Pkcs7Detached,
}

impl SubFilter {
    fn name(self) -> &'static [u8] {
        match self {
            SubFilter::CadesDetached => b"ETSI.CAdES.detached",
            SubFilter::Pkcs7Detached => b"adbe.pkcs7.detached",
        }
    }
}

/// How to sign: everything but the key.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// The signature format; PAdES by default.
    pub sub_filter: SubFilter,
    /// /Reason, e.g. "Tiếp nhận hồ sơ".
    pub reason: Option<String>,
    /// /Location, e.g. "UBND xã Tân Phú".
    pub location: Option<String>,
    /// /ContactInfo.
    pub contact_info: Option<String>,
    /// Claimed signing time for /M; `None` means now, in Vietnam's time zone (+07:00).
    pub signing_time: Option<DateTime<FixedOffset>>,
    /// Name of the new signature field; `None` picks `Signature1`, `Signature2`, …
    pub field_name: Option<String>,
    /// 1-based page carrying the widget.
    pub page: u32,
    /// A visible stamp on `page`; `None` signs invisibly.
    pub visible: Option<VisibleSignature>,
    /// Make a certification (author) signature with these DocMDP permissions; `None` makes an
    /// ordinary approval signature.
    pub certify: Option<DocMdpPermissions>,
    /// Add a signature time-stamp from this TSA (PAdES B-T).
    pub tsa: Option<timestamp::TsaClient>,
    /// Fail when the TSA cannot be used; when `false` the signature is made without a
    /// time-stamp (B-B) and [`SignOutcome::timestamp_error`] says why.
    pub timestamp_required: bool,
}

/// A signed PDF and what became of the time-stamp.
#[derive(Debug, Clone)]
pub struct SignOutcome {
    /// The signed file: the input followed by the new revision.
    pub pdf: Vec<u8>,
    /// Whether the signature carries a signature time-stamp (PAdES B-T).
    pub timestamped: bool,
    /// Why a configured TSA could not be used (the signature is then B-B).
    pub timestamp_error: Option<String>,
}

/// What a certification signature still allows (ISO 32000-1 §12.8.2.2, Table 254, /P).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocMdpPermissions {
    /// P=1: no changes at all; later signatures are refused.
    NoChanges = 1,
    /// P=2: filling in forms and signing.
    FormFilling = 2,
    /// P=3: as P=2, plus annotations.
    Annotations = 3,
}

/// Where the visible stamp goes; its text comes from the certificate and the signing time.
#[derive(Debug, Clone, PartialEq)]
pub struct VisibleSignature {
    /// Lower-left corner and size `[x, y, width, height]` in PDF points.
    pub rect: [f32; 4],
    /// "Cơ quan" line; `None` uses the certificate's organisation (O).
    pub organisation: Option<String>,
    /// A seal or handwritten-signature image (PNG file bytes, transparency kept) drawn on the
    /// left of the box, under the text's side; `None` draws text only.
    pub seal: Option<Vec<u8>>,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            sub_filter: SubFilter::default(),
            reason: None,
            location: None,
            contact_info: None,
            signing_time: None,
            field_name: None,
            page: 1,
            visible: None,
            certify: None,
            tsa: None,
            timestamp_required: false,
        }
    }
}

/// Vietnam's UTC offset, used for /M and the visible stamp.
pub fn vietnam_offset() -> FixedOffset {
    // 7 hours east of UTC is a valid offset: the fallback is unreachable.
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| Utc.fix())
}

/// A PDF date string (ISO 32000-1 §7.9.4), e.g. `D:20261127183000+07'00'`.
pub fn pdf_date(time: &DateTime<FixedOffset>) -> String {
    let offset = time.offset().local_minus_utc();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.abs();
    format!(
        "D:{}{sign}{:02}'{:02}'",
        time.format("%Y%m%d%H%M%S"),
        offset / 3600,
        (offset % 3600) / 60
    )
}

/// Signs `input` (a whole PDF) with `signer` and returns the signed PDF: the input bytes
/// unchanged followed by one new revision holding the signature.
pub fn sign_pdf(
    input: &[u8],
    signer: &dyn Signer,
    options: &SignOptions,
) -> Result<Vec<u8>, SignError> {
    sign_pdf_with_outcome(input, signer, options).map(|outcome| outcome.pdf)
}

/// Extra room for a time-stamp token larger than the sample (serial number, nonce and time
/// fraction lengths vary between answers).
const TOKEN_SIZE_SLACK: usize = 64;

/// Everything decided before the document is read: the new revision's objects, the CMS
/// signing time and the size of the /Contents hole (from a sample time-stamp when a TSA is set).
struct Plan {
    revision: incremental::SignatureRevision,
    cms_signing_time: Option<std::time::SystemTime>,
    sample_token: Option<Vec<u8>>,
    timestamp_error: Option<String>,
}

/// The CMS signature and what became of the time-stamp.
struct MadeSignature {
    cms: Vec<u8>,
    timestamped: bool,
    timestamp_error: Option<String>,
}

/// [`sign_pdf`], also reporting whether the time-stamp was added.
pub fn sign_pdf_with_outcome(
    input: &[u8],
    signer: &dyn Signer,
    options: &SignOptions,
) -> Result<SignOutcome, SignError> {
    let plan = plan(signer, options)?;
    let prepared = incremental::prepare(input, &plan.revision)?;
    let digest = signer
        .digest_algorithm()
        .digest_parts(&prepared.signed_parts());
    let made = make_signature(plan, signer, options, &digest)?;
    Ok(SignOutcome {
        pdf: prepared.finish(&made.cms)?,
        timestamped: made.timestamped,
        timestamp_error: made.timestamp_error,
    })
}

fn plan(signer: &dyn Signer, options: &SignOptions) -> Result<Plan, SignError> {
    keys::check_certificate_usable(signer.certificate(), std::time::SystemTime::now())?;
    let signing_time = options
        .signing_time
        .unwrap_or_else(|| Utc::now().with_timezone(&vietnam_offset()));
    // PAdES forbids the signing-time attribute (the time is in /M); PKCS#7 readers expect it.
    let cms_signing_time = match options.sub_filter {
        SubFilter::CadesDetached => None,
        SubFilter::Pkcs7Detached => Some(std::time::SystemTime::from(signing_time)),
    };

    let mut dictionary = Dictionary::new();
    dictionary.set("Type", Object::Name(b"Sig".to_vec()));
    dictionary.set("Filter", Object::Name(b"Adobe.PPKLite".to_vec()));
    dictionary.set(
        "SubFilter",
        Object::Name(options.sub_filter.name().to_vec()),
    );
    dictionary.set("M", Object::string_literal(pdf_date(&signing_time)));
    dictionary.set(
        "Name",
        lopdf::text_string(&keys::subject_common_name(signer.certificate())),
    );
    for (key, value) in [
        ("Reason", &options.reason),
        ("Location", &options.location),
        ("ContactInfo", &options.contact_info),
    ] {
        if let Some(value) = value {
            dictionary.set(key, lopdf::text_string(value));
        }
    }

    if let Some(permissions) = options.certify {
        let mut params = Dictionary::new();
        params.set("Type", Object::Name(b"TransformParams".to_vec()));
        params.set("P", permissions as i64);
        params.set("V", Object::Name(b"1.2".to_vec()));
        let mut reference = Dictionary::new();
        reference.set("Type", Object::Name(b"SigRef".to_vec()));
        reference.set("TransformMethod", Object::Name(b"DocMDP".to_vec()));
        reference.set("TransformParams", params);
        dictionary.set("Reference", vec![Object::Dictionary(reference)]);
    }

    // A sample token from the TSA sizes the placeholder from a real answer; an unreachable TSA
    // downgrades to B-B unless the caller requires the time-stamp.
    let mut timestamp_error = None;
    let sample_token = match &options.tsa {
        Some(tsa) => match tsa.timestamp(signer.digest_algorithm(), b"motcua size probe") {
            Ok(token) => Some(token),
            Err(error) if !options.timestamp_required => {
                timestamp_error = Some(error.to_string());
                None
            }
            Err(error) => return Err(error),
        },
        None => None,
    };
    let contents_len = match &sample_token {
        Some(token) => {
            cms::max_detached_signature_len(signer, cms_signing_time, Some(token))?
                + TOKEN_SIZE_SLACK
        }
        None => cms::max_detached_signature_len(signer, cms_signing_time, None)?,
    };

    let revision = incremental::SignatureRevision {
        signature_dictionary: dictionary,
        field_name: options.field_name.clone(),
        page: options.page,
        contents_len,
        stamp: options.visible.as_ref().map(|visible| appearance::Stamp {
            rect: visible.rect,
            lines: appearance::stamp_lines(
                &keys::subject_common_name(signer.certificate()),
                visible
                    .organisation
                    .clone()
                    .or_else(|| keys::subject_organization(signer.certificate()))
                    .as_deref(),
                &signing_time,
            ),
            seal: visible.seal.clone(),
        }),
        certify: options.certify.is_some(),
    };
    Ok(Plan {
        revision,
        cms_signing_time,
        sample_token,
        timestamp_error,
    })
}

/// Signs `digest` (of the byte range), with a signature time-stamp when the plan has one.
fn make_signature(
    plan: Plan,
    signer: &dyn Signer,
    options: &SignOptions,
    digest: &[u8],
) -> Result<MadeSignature, SignError> {
    let Plan {
        cms_signing_time,
        sample_token,
        mut timestamp_error,
        ..
    } = plan;
    let mut timestamped = false;
    let cms = match (&options.tsa, sample_token) {
        (Some(tsa), Some(_)) => {
            match cms::build_timestamped_signature(signer, digest, cms_signing_time, tsa) {
                Ok(signature) => {
                    timestamped = true;
                    signature
                }
                Err(error @ SignError::Timestamp { .. }) if !options.timestamp_required => {
                    timestamp_error = Some(error.to_string());
                    cms::build_detached_signature(signer, digest, cms_signing_time)?
                }
                Err(error) => return Err(error),
            }
        }
        _ => cms::build_detached_signature(signer, digest, cms_signing_time)?,
    };
    Ok(MadeSignature {
        cms,
        timestamped,
        timestamp_error,
    })
}
