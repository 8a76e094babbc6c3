//! The verifier's error enum: only for "could not evaluate" (unreadable files, bad trust or CRL
//! files, bytes that are not CMS at all). A broken signature is a report, not an error.

use std::path::PathBuf;

/// Why a file or a trust input could not be evaluated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}; check the path and permissions")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A trust anchor or CRL file could not be parsed.
    #[error("{path} is not a certificate or CRL file ({reason}); pass PEM or DER files")]
    BadTrustFile {
        /// The file.
        path: PathBuf,
        /// The parser's complaint.
        reason: String,
    },
    /// The signature bytes are not CMS SignedData.
    #[error("the signature is not valid CMS: {reason}")]
    Cms {
        /// What is wrong.
        reason: String,
    },
}
