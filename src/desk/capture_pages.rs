//! `Desk` calls that rework the captured pages as one step (issue 9). "Quét lại trang" (re-scan) puts the
//! page(s) just scanned or imported in place of a chosen page: one store transaction
//! ([`crate::store::Store::replace_capture_page`]), so a crash never leaves both the old and the new pages,
//! or the new ones at the end of the document.

use super::{Desk, DeskError};
use crate::store::PageReplacement;

impl Desk {
    /// Puts pages `new_ids` (in this order) in place of page `old_id`, in the same document and place,
    /// deletes the old page and records one `capture.replace_page` audit entry on the dossier. Returns the
    /// dossier and the documents whose page list changed (to be assembled again). Refuses, changing
    /// nothing, when a page is missing, is in another dossier, or `old_id` is among `new_ids`.
    pub fn replace_page(
        &self,
        old_id: i64,
        new_ids: &[i64],
        actor: &str,
    ) -> Result<PageReplacement, DeskError> {
        Ok(self.with_store(|s| s.replace_capture_page(old_id, new_ids, actor))?)
    }
}
