//! The hook where every submitted document is checked before a dossier is accepted.
//!
//! Issue 7 asks the portal to verify every uploaded PDF's signatures with the core's verifier
//! (`motcua::verify`) and refuse unsigned or invalid files with reasons. That verifier is not wired in
//! yet, so the portal ships [`PlaceholderPdfCheck`], which only looks at the bytes' shape.
//! **It is not signature verification**: it accepts any file that starts with `%PDF-` and contains the
//! token `/ByteRange`, which a forged or tampered file passes easily. Replace it by implementing
//! [`DocumentCheck`] over the core verifier and passing it to [`crate::api::AppState`].

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

/// PLACEHOLDER until the core's PAdES verifier is plugged in: checks only that the file starts with
/// `%PDF-` and contains `/ByteRange` (i.e. looks like a PDF with a signature dictionary). It does not
/// parse the PDF and verifies no signature.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlaceholderPdfCheck;

/// The PDF header every PDF file starts with (ISO 32000-1 § 7.5.2).
const PDF_HEADER: &[u8] = b"%PDF-";
/// Key of a signature dictionary (ISO 32000-1 § 12.8.1, Table 252).
const BYTE_RANGE: &[u8] = b"/ByteRange";

impl DocumentCheck for PlaceholderPdfCheck {
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
        if !bytes
            .windows(BYTE_RANGE.len())
            .any(|window| window == BYTE_RANGE)
        {
            return Ok(CheckOutcome::Refused {
                code: "document_rejected",
                message: format!(
                    "{file_name} has no signature (no /ByteRange); sign it before submitting"
                ),
            });
        }
        Ok(CheckOutcome::Accepted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_bytes(bytes: &[u8]) -> CheckOutcome {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.pdf");
        std::fs::write(&path, bytes).unwrap();
        PlaceholderPdfCheck.check(&path, "doc.pdf").unwrap()
    }

    #[test]
    fn placeholder_accepts_pdf_with_byte_range() {
        let outcome =
            check_bytes(b"%PDF-1.7\n1 0 obj << /Type /Sig /ByteRange [0 1 2 3] >> endobj\n%%EOF");
        assert_eq!(outcome, CheckOutcome::Accepted);
    }

    #[test]
    fn placeholder_refuses_non_pdf_and_unsigned_pdf() {
        assert!(matches!(
            check_bytes(b"PK\x03\x04zip"),
            CheckOutcome::Refused {
                code: "not_pdf",
                ..
            }
        ));
        assert!(matches!(
            check_bytes(b"%PDF-1.7\n%%EOF"),
            CheckOutcome::Refused {
                code: "document_rejected",
                ..
            }
        ));
    }

    #[test]
    fn unreadable_file_is_an_error_not_a_verdict() {
        let result = PlaceholderPdfCheck.check(Path::new("/nonexistent/motcua/doc.pdf"), "doc.pdf");
        assert!(matches!(result, Err(CheckError::Read { .. })));
    }
}
