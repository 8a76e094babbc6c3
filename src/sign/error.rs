//! The one error type of the signing module.
//!
//! Every variant carries what the user needs to act on it: the file, the certificate subject, the
//! date that makes a certificate unusable. Passwords and PINs never appear in any variant.

use std::path::PathBuf;

/// Why a document could not be signed, or a key could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// A file could not be read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },

    /// A PKCS#12 (.p12/.pfx) file could not be opened.
    #[error(
        "cannot open the key file {path}: wrong password or damaged PKCS#12 file ({reason}); check the password and that the file is a .p12/.pfx export"
    )]
    Pkcs12 {
        /// The .p12 file.
        path: PathBuf,
        /// What the PKCS#12 decoder reported (never contains the password).
        reason: String,
    },

    /// A key file held no usable private key and certificate.
    #[error("the key file {path} is not usable: {reason}")]
    KeyFile {
        /// The key or certificate file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// The private key uses an algorithm this module does not sign with.
    #[error("unsupported key in {path}: {reason}; use an RSA, ECDSA P-256 or P-384 key")]
    UnsupportedKey {
        /// The key file.
        path: PathBuf,
        /// The algorithm found.
        reason: String,
    },

    /// The certificate's validity period has ended.
    #[error(
        "the certificate of \"{subject}\" expired on {not_after}; renew it with your CA before signing"
    )]
    CertificateExpired {
        /// Subject of the certificate.
        subject: String,
        /// End of the validity period (UTC).
        not_after: String,
    },

    /// The certificate's validity period has not started yet.
    #[error(
        "the certificate of \"{subject}\" is not valid before {not_before}; check the computer's clock"
    )]
    CertificateNotYetValid {
        /// Subject of the certificate.
        subject: String,
        /// Start of the validity period (UTC).
        not_before: String,
    },

    /// The certificate is not meant for signatures (RFC 5280 §4.2.1.3).
    #[error(
        "the certificate of \"{subject}\" does not allow signing (key usage has neither digitalSignature nor nonRepudiation); use a signing certificate"
    )]
    CertificateKeyUsage {
        /// Subject of the certificate.
        subject: String,
    },

    /// The certificate could not be decoded or inspected.
    #[error("invalid certificate: {reason}")]
    Certificate {
        /// What is wrong.
        reason: String,
    },

    /// The private key and the certificate do not belong together.
    #[error("the private key in {path} does not match its certificate \"{subject}\"")]
    KeyCertificateMismatch {
        /// The key file.
        path: PathBuf,
        /// Subject of the certificate.
        subject: String,
    },

    /// The input is not a PDF lopdf can read.
    #[error("cannot read the PDF: {reason}")]
    PdfRead {
        /// What the parser reported.
        reason: String,
    },

    /// The PDF structure lacks something signing needs.
    #[error("the PDF cannot be signed: {reason}")]
    PdfStructure {
        /// What is missing or inconsistent.
        reason: String,
    },

    /// Encrypted PDFs are refused rather than silently rewritten.
    #[error("the PDF is encrypted; remove the password protection before signing")]
    PdfEncrypted,

    /// The cross-reference data is damaged: a signature appended to it would point readers at
    /// wrong offsets, so the file must be repaired (rewritten whole) before it is signed.
    #[error(
        "the PDF's cross-reference table is damaged ({how}); open it in a PDF tool and save it again \
         (a full save, not an incremental one), then sign the saved copy"
    )]
    PdfBrokenXref {
        /// How the parser had to read around the damage.
        how: &'static str,
    },

    /// The new revision could not be serialized.
    #[error("cannot write the signed revision: {reason}")]
    PdfWrite {
        /// What the writer reported.
        reason: String,
    },

    /// The private-key operation failed.
    #[error("the signing operation failed: {reason}")]
    Signature {
        /// What the key reported.
        reason: String,
    },

    /// The CMS structure could not be encoded.
    #[error("cannot encode the CMS signature: {reason}")]
    Cms {
        /// What the encoder reported.
        reason: String,
    },

    /// The reserved /Contents space was too small (a bug: it is sized from the real CMS size).
    #[error("the signature needs {needed} bytes but only {reserved} were reserved in the PDF")]
    PlaceholderTooSmall {
        /// Size of the CMS.
        needed: usize,
        /// Size reserved in /Contents.
        reserved: usize,
    },

    /// The PKCS#11 module failed.
    #[error("PKCS#11 module {module}: {reason}")]
    Pkcs11 {
        /// The module library.
        module: PathBuf,
        /// What failed.
        reason: String,
    },

    /// No inserted token has the requested label.
    #[error(
        "no token labelled \"{label}\" is inserted (found: {available:?}); insert the token or check its label"
    )]
    TokenNotFound {
        /// The label asked for.
        label: String,
        /// Labels of the tokens present.
        available: Vec<String>,
    },

    /// The PIN was refused.
    #[error("wrong PIN for token \"{token}\": {remaining}")]
    WrongPin {
        /// The token label.
        token: String,
        /// What the token reports about the remaining tries.
        remaining: String,
    },

    /// The token's user PIN is locked.
    #[error("the PIN of token \"{token}\" is locked; ask your CA to unlock it")]
    PinLocked {
        /// The token label.
        token: String,
    },

    /// No suitable key on the token.
    #[error("token \"{token}\": {reason}")]
    KeyNotFound {
        /// The token label.
        token: String,
        /// What is missing.
        reason: String,
    },

    /// The time-stamping authority could not give a usable time-stamp.
    #[error("time-stamp from {url} failed: {reason}")]
    Timestamp {
        /// The TSA URL.
        url: String,
        /// What went wrong.
        reason: String,
    },

    /// An error while signing a given file.
    #[error("{path}: {source}")]
    InFile {
        /// The input PDF.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: Box<SignError>,
    },
}

impl SignError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SignError::Io {
            path: path.into(),
            source,
        }
    }
}
