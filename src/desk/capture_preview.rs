//! `Desk` calls of the capture screen's large preview: render a stored page as scanned or through
//! cleanup in a chosen colour mode (`counter::preview`), without changing anything stored.

use super::{Desk, DeskError};
use crate::counter::CounterError;
use crate::counter::preview::{PagePreview, PreviewMode, page_preview};

impl Desk {
    /// Page `id` rendered for the large preview (`None` for a PDF page, which is never rasterized).
    pub fn page_preview(
        &self,
        id: i64,
        mode: PreviewMode,
    ) -> Result<Option<PagePreview>, DeskError> {
        let page = self.with_store(|s| s.capture_page(id))?;
        let blob = self.with_store(|s| s.blobs().path_of(&page.blob_sha256));
        Ok(page_preview(&blob, &page.media_type, page.rotation, mode)
            .map_err(CounterError::from)?)
    }
}
