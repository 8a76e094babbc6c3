//! The hook where every submitted document is checked before a dossier is accepted.
//!
//! Every uploaded PDF's signatures are verified with the core's verifier (`motcua::verify`, the same one
//! supervisors use): unsigned files, broken or invalid signatures and, unless the trainer allows it,
//! signers that do not chain to the portal's trust anchors are refused with the verifier's reasons.
//! Revocation follows the options the server was started with (`serve --crl`, `--crl-dir`, online
//! unless `--offline`): a signer whose certificate names CRL/OCSP sources that none of these could
//! answer is INDETERMINATE, so refused as `signature_untrusted` with "revocation not checked".

use motcua::verify::{FileReport, Verdict, VerifyOptions, verify_bytes};
use std::path::Path;

/// Result of checking one document. Refusal is a value; `Err` means "could not evaluate" (I/O).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    /// The document may be accepted.
    Accepted,
    /// The document is refused; `code` is a stable reason code (`not_pdf`, `document_rejected`, …)
    /// and `message` says what is wrong in words a clerk can act on.
    Refused { code: &'static str, message: String },
}

/// Errors of a document check that prevent any verdict.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// The stored file could not be read.
    #[error("cannot read stored document {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// A check applied to every document of a dossier at submission time.
///
/// Implementations must be deterministic for the same bytes (a repeated submission must get the same
/// verdict) and must not modify the file.
pub trait DocumentCheck: Send + Sync + std::fmt::Debug {
    /// Checks the stored file at `path`, declared by the client with the name `file_name`.
    fn check(&self, path: &Path, file_name: &str) -> Result<CheckOutcome, CheckError>;
}

/// Verifies every signature of a document with [`motcua::verify`] against the portal's trust anchors.
#[derive(Debug, Clone)]
pub struct SignatureCheck {
    options: VerifyOptions,
    /// Accept signatures whose only problem is an unknown signer (INDETERMINATE): for training
    /// offices with their own test certificates.
    accept_untrusted: bool,
}

impl SignatureCheck {
    pub fn new(options: VerifyOptions, accept_untrusted: bool) -> Self {
        SignatureCheck {
            options,
            accept_untrusted,
        }
    }
}

/// The PDF header every PDF file starts with (ISO 32000-1 § 7.5.2).
const PDF_HEADER: &[u8] = b"%PDF-";

/// The verifier's reasons, file-level first, joined for the refusal message. Without errors (an
/// INDETERMINATE verdict: unknown signer, revocation not checked) its warnings are the reasons.
fn reasons(report: &FileReport) -> String {
    let mut all: Vec<&str> = report.errors.iter().map(String::as_str).collect();
    for signature in &report.signatures {
        all.extend(signature.errors.iter().map(String::as_str));
    }
    if all.is_empty() {
        for signature in &report.signatures {
            all.extend(signature.warnings.iter().map(String::as_str));
        }
    }
    all.join("; ")
}

impl DocumentCheck for SignatureCheck {
    fn check(&self, path: &Path, file_name: &str) -> Result<CheckOutcome, CheckError> {
        let bytes = std::fs::read(path).map_err(|source| CheckError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        if !bytes.starts_with(PDF_HEADER) {
            return Ok(CheckOutcome::Refused {
                code: "not_pdf",
                message: format!("{file_name} is not a PDF file (it does not start with %PDF-)"),
            });
        }
        let report = verify_bytes(&bytes, file_name, &self.options);
        if report.signatures.is_empty() {
            return Ok(CheckOutcome::Refused {
                code: "document_rejected",
                message: format!("{file_name} has no signature; sign it before submitting"),
            });
        }
        Ok(match report.verdict {
            Verdict::Valid | Verdict::ValidWithWarnings => CheckOutcome::Accepted,
            Verdict::Indeterminate if self.accept_untrusted => CheckOutcome::Accepted,
            Verdict::Indeterminate => CheckOutcome::Refused {
                code: "signature_untrusted",
                message: format!(
                    "{file_name}: the signature could not be trusted ({}); sign with a certificate of a \
                     recognised CA",
                    reasons(&report)
                ),
            },
            _ => CheckOutcome::Refused {
                code: "signature_invalid",
                message: format!(
                    "{file_name}: the signature is not valid ({}); sign the original file again",
                    reasons(&report)
                ),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use motcua::sign::{SignOptions, SoftwareSigner, sign_pdf};

    fn fixtures() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
    }

    fn check(bytes: &[u8], anchors: bool, accept_untrusted: bool) -> CheckOutcome {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.pdf");
        std::fs::write(&path, bytes).unwrap();
        let mut options = VerifyOptions::default();
        if anchors {
            options
                .trust
                .add_anchors(&fixtures().join("pki/root.cert.pem"))
                .unwrap();
        }
        SignatureCheck::new(options, accept_untrusted)
            .check(&path, "doc.pdf")
            .unwrap()
    }

    fn signed() -> Vec<u8> {
        let signer = SoftwareSigner::from_pkcs12_file(
            &fixtures().join("pki/signer-rsa2048.p12"),
            "matkhau-thu-nghiem",
        )
        .unwrap();
        let input = std::fs::read(fixtures().join("pdf/classic.pdf")).unwrap();
        sign_pdf(&input, &signer, &SignOptions::default()).unwrap()
    }

    fn code(outcome: CheckOutcome) -> &'static str {
        match outcome {
            CheckOutcome::Accepted => "accepted",
            CheckOutcome::Refused { code, .. } => code,
        }
    }

    #[test]
    fn a_trusted_signature_is_accepted() {
        assert_eq!(check(&signed(), true, false), CheckOutcome::Accepted);
    }

    #[test]
    fn a_flipped_byte_in_the_signed_range_is_refused() {
        let mut bytes = signed();
        bytes[20] ^= 0x01;
        assert_eq!(code(check(&bytes, true, false)), "signature_invalid");
    }

    #[test]
    fn an_unknown_signer_is_refused_unless_the_trainer_allows_it() {
        assert_eq!(code(check(&signed(), false, false)), "signature_untrusted");
        assert_eq!(check(&signed(), false, true), CheckOutcome::Accepted);
    }

    #[test]
    fn non_pdf_unsigned_and_shape_only_forgeries_are_refused() {
        assert_eq!(code(check(b"PK\x03\x04zip", true, false)), "not_pdf");
        let unsigned = std::fs::read(fixtures().join("pdf/classic.pdf")).unwrap();
        assert_eq!(code(check(&unsigned, true, false)), "document_rejected");
        // What the old placeholder accepted: a PDF-shaped file that merely mentions /ByteRange.
        let forged = b"%PDF-1.7\n1 0 obj << /Type /Sig /ByteRange [0 10 20 30] >> endobj\n%%EOF\n";
        assert_ne!(code(check(forged, true, false)), "accepted");
    }

    #[test]
    fn unreadable_file_is_an_error_not_a_verdict() {
        let result = SignatureCheck::new(VerifyOptions::default(), false)
            .check(Path::new("/nonexistent/motcua/doc.pdf"), "doc.pdf");
        assert!(matches!(result, Err(CheckError::Read { .. })));
    }
}
