//! `Desk` call behind the Ký số screen's stamp preview (issue 9): the PDF a document will be signed from
//! (its assembled PDF), so the screen can draw its pages with pdf.js and place the visible stamp on them.
//! Where the stamp goes is `crate::counter::stamp`; signing with it is [`Desk::sign_dossier_with`].

use super::{Desk, DeskError};
use crate::counter::CounterError;

impl Desk {
    /// The bytes of the assembled PDF of document `doc_code` of dossier `code` — the file signing starts
    /// from. A document not assembled yet is `no_pages`-like: [`CounterError::NoPages`] says to assemble it.
    pub fn document_pdf(&self, code: &str, doc_code: &str) -> Result<Vec<u8>, DeskError> {
        let dossier = self.dossier(code)?;
        let sha = self
            .capture_documents(&dossier.code)?
            .into_iter()
            .find(|d| d.doc_code == doc_code)
            .and_then(|d| d.assembled_sha256)
            .ok_or_else(|| CounterError::NoPages {
                dossier: dossier.code.clone(),
                document: doc_code.to_string(),
            })?;
        Ok(self.with_store(|s| s.read_blob(&sha))?)
    }
}
