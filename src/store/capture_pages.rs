//! The pages of dossiers being captured at the counter (migration 5): which blob, in which required
//! document, in which place, turned by how much, and per document the assembled and signed PDFs.
//!
//! This is the counter's work in progress, kept in SQLite so closing the app mid-capture loses nothing.
//! Page edits are not audited (the audit trail records what the dossier finally contains, through
//! `attach_document_pdf`), except a re-scan ([`Store::replace_capture_page`]), which drops a page the
//! clerk captured; each edit is one transaction.

use super::{Store, StoreError, utc_now};
use rusqlite::{OptionalExtension, params};

/// One captured page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CapturePage {
    pub id: i64,
    pub dossier_code: String,
    pub doc_code: String,
    /// 0-based place within the document.
    pub position: i64,
    pub blob_sha256: String,
    /// The blob's media type (`image/jpeg`, `image/png`, `application/pdf`).
    pub media_type: String,
    /// 1-based page within the blob (PDF sources keep the whole file and name the page).
    pub page_in_blob: u32,
    /// Clockwise quarter turns applied when assembling: 0, 90, 180 or 270.
    pub rotation: u32,
    pub thumb_sha256: Option<String>,
    /// File name the page came from, for the clerk.
    pub source_name: String,
    /// How assembly cleans this page (migration 7).
    pub cleanup: PageCleanup,
}

/// The clerk's cleanup choice for one page (stored as text in `capture_pages.cleanup`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageCleanup {
    /// Full cleanup, colour mode detected.
    #[default]
    Auto,
    /// Full cleanup, kept in colour.
    Color,
    /// Full cleanup, stored as greyscale.
    Gray,
    /// Full cleanup, binarized to black and white.
    Bw,
    /// No cleanup: the page as scanned (only the clerk's quarter turns); undoes the cleanup.
    Original,
}

impl PageCleanup {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            PageCleanup::Auto => "auto",
            PageCleanup::Color => "color",
            PageCleanup::Gray => "gray",
            PageCleanup::Bw => "bw",
            PageCleanup::Original => "original",
        }
    }

    /// Parses the stored text (`None` for anything else).
    pub fn parse(text: &str) -> Option<Self> {
        [
            PageCleanup::Auto,
            PageCleanup::Color,
            PageCleanup::Gray,
            PageCleanup::Bw,
            PageCleanup::Original,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }
}

/// The PDFs recorded for one required document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaptureDocument {
    pub doc_code: String,
    pub assembled_sha256: Option<String>,
    pub signed_sha256: Option<String>,
}

/// Why [`Store::replace_capture_page`] refused (nothing was changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplaceRefusal {
    /// No page has this id.
    Missing,
    /// The page belongs to another dossier than the replaced page.
    OtherDossier,
    /// The replaced page is among its replacements.
    ReplacesItself,
    /// The same new page is listed twice.
    Repeated,
    /// No new page was given (that is a delete, not a replacement).
    NoNewPages,
}

impl std::fmt::Display for ReplaceRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReplaceRefusal::Missing => "không có trang này",
            ReplaceRefusal::OtherDossier => "trang thuộc hồ sơ khác",
            ReplaceRefusal::ReplacesItself => "trang cũ nằm trong số trang mới",
            ReplaceRefusal::Repeated => "một trang mới được kể hai lần",
            ReplaceRefusal::NoNewPages => "không có trang mới nào",
        })
    }
}

/// What [`Store::replace_capture_page`] did: the dossier, and the documents whose page list changed
/// (the replaced page's document first, then those the new pages came from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageReplacement {
    pub dossier_code: String,
    pub changed_documents: Vec<String>,
}

const PAGE_COLUMNS: &str = "p.id, p.dossier_code, p.doc_code, p.position, p.blob_sha256, b.media_type, \
     p.page_in_blob, p.rotation, p.thumb_sha256, p.source_name, p.cleanup";

/// `Ok` when a statement touched page `id`, else the error naming it.
fn page_found(changed: usize, id: i64) -> Result<(), StoreError> {
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "trang đã quét",
            key: id.to_string(),
        });
    }
    Ok(())
}

fn page_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CapturePage> {
    Ok(CapturePage {
        id: r.get(0)?,
        dossier_code: r.get(1)?,
        doc_code: r.get(2)?,
        position: r.get(3)?,
        blob_sha256: r.get(4)?,
        media_type: r.get(5)?,
        page_in_blob: r.get(6)?,
        rotation: r.get(7)?,
        thumb_sha256: r.get(8)?,
        source_name: r.get(9)?,
        cleanup: {
            let text: String = r.get(10)?;
            // The CHECK constraint admits only the five names.
            PageCleanup::parse(&text).unwrap_or_default()
        },
    })
}

impl Store {
    /// Appends a page at the end of document `doc_code` of dossier `code`; returns its id.
    pub fn add_capture_page(
        &mut self,
        code: &str,
        doc_code: &str,
        blob_sha256: &str,
        page_in_blob: u32,
        thumb_sha256: Option<&str>,
        source_name: &str,
    ) -> Result<i64, StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| super::sql_err(&path, e);
        let next: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM capture_pages
                 WHERE dossier_code = ?1 AND doc_code = ?2",
                params![code, doc_code],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let id: i64 = tx
            .query_row(
                "INSERT INTO capture_pages (dossier_code, doc_code, position, blob_sha256, page_in_blob,
                    thumb_sha256, source_name, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                params![code, doc_code, next, blob_sha256, page_in_blob, thumb_sha256, source_name, utc_now()],
                |r| r.get(0),
            )
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(id)
    }

    /// Every captured page of dossier `code`, by document then position.
    pub fn capture_pages(&self, code: &str) -> Result<Vec<CapturePage>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {PAGE_COLUMNS} FROM capture_pages p JOIN blobs b ON b.sha256 = p.blob_sha256
                 WHERE p.dossier_code = ?1 ORDER BY p.doc_code, p.position, p.id"
            ))
            .map_err(|e| self.sql(e))?;
        stmt.query_map([code], page_from_row)
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))
    }

    /// One page by id.
    pub fn capture_page(&self, id: i64) -> Result<CapturePage, StoreError> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {PAGE_COLUMNS} FROM capture_pages p JOIN blobs b ON b.sha256 = p.blob_sha256
                     WHERE p.id = ?1"
                ),
                [id],
                page_from_row,
            )
            .optional()
            .map_err(|e| self.sql(e))?
            .ok_or_else(|| StoreError::NotFound {
                what: "trang đã quét",
                key: id.to_string(),
            })
    }

    /// Makes `ids` the pages of document `doc_code`, in this order (pages may come from another document of
    /// the same dossier: that is how a page moves). Fails, changing nothing, if an id is not a page of `code`.
    pub fn arrange_capture_pages(
        &mut self,
        code: &str,
        doc_code: &str,
        ids: &[i64],
    ) -> Result<(), StoreError> {
        let (tx, path) = self.write_tx()?;
        let sql = |e| super::sql_err(&path, e);
        for (position, id) in ids.iter().enumerate() {
            let changed = tx
                .execute(
                    "UPDATE capture_pages SET doc_code = ?1, position = ?2 WHERE id = ?3 AND dossier_code = ?4",
                    params![doc_code, position as i64, id, code],
                )
                .map_err(sql)?;
            if changed == 0 {
                return Err(StoreError::NotFound {
                    what: "trang đã quét",
                    key: format!("{code}#{id}"),
                });
            }
        }
        tx.commit().map_err(sql)
    }

    /// Turns a page clockwise by `quarter_turns` × 90°; returns the page.
    pub fn rotate_capture_page(
        &mut self,
        id: i64,
        quarter_turns: i32,
    ) -> Result<CapturePage, StoreError> {
        let delta = i64::from(quarter_turns.rem_euclid(4)) * 90;
        let changed = self
            .conn
            .execute(
                "UPDATE capture_pages SET rotation = (rotation + ?1) % 360 WHERE id = ?2",
                params![delta, id],
            )
            .map_err(|e| self.sql(e))?;
        self.page_after_change(changed, id)
    }

    /// Sets how assembly cleans page `id`.
    pub fn set_capture_page_cleanup(
        &mut self,
        id: i64,
        cleanup: PageCleanup,
    ) -> Result<CapturePage, StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE capture_pages SET cleanup = ?1 WHERE id = ?2",
                params![cleanup.as_str(), id],
            )
            .map_err(|e| self.sql(e))?;
        self.page_after_change(changed, id)
    }

    /// The page after an update of `changed` rows; no row means there is no page `id`.
    fn page_after_change(&self, changed: usize, id: i64) -> Result<CapturePage, StoreError> {
        page_found(changed, id)?;
        self.capture_page(id)
    }

    /// Removes a page (its blob stays: blobs are shared and checked by `store check`).
    pub fn delete_capture_page(&mut self, id: i64) -> Result<(), StoreError> {
        let changed = self
            .conn
            .execute("DELETE FROM capture_pages WHERE id = ?1", [id])
            .map_err(|e| self.sql(e))?;
        page_found(changed, id)
    }

    /// Re-scan: puts pages `new_ids` (in this order) in place of page `old_id` — same document, same
    /// place — renumbers the positions of every document touched (0, 1, 2, …), deletes the old page's row
    /// (its blob stays, as with [`Store::delete_capture_page`]) and appends one audit entry
    /// (`capture.replace_page` on the dossier), all in ONE transaction. The new pages may be anywhere in
    /// the old page's dossier (normally at the end of its document, just imported or scanned). Refuses,
    /// changing nothing, when a page is missing, belongs to another dossier, or `old_id` is among `new_ids`.
    pub fn replace_capture_page(
        &mut self,
        old_id: i64,
        new_ids: &[i64],
        actor: &str,
    ) -> Result<PageReplacement, StoreError> {
        let refuse = |page: i64, why: ReplaceRefusal| StoreError::PageNotReplaced {
            old: old_id,
            page,
            why,
        };
        if new_ids.is_empty() {
            return Err(refuse(old_id, ReplaceRefusal::NoNewPages));
        }
        let (tx, path) = self.write_tx()?;
        let sql = |e| super::sql_err(&path, e);
        let place_of = |id: i64| -> Result<Option<(String, String)>, StoreError> {
            tx.query_row(
                "SELECT dossier_code, doc_code FROM capture_pages WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(sql)
        };
        let (code, old_doc) =
            place_of(old_id)?.ok_or_else(|| refuse(old_id, ReplaceRefusal::Missing))?;
        let mut changed = vec![old_doc.clone()];
        for (index, &id) in new_ids.iter().enumerate() {
            if id == old_id {
                return Err(refuse(id, ReplaceRefusal::ReplacesItself));
            }
            if new_ids[..index].contains(&id) {
                return Err(refuse(id, ReplaceRefusal::Repeated));
            }
            let (dossier, doc) =
                place_of(id)?.ok_or_else(|| refuse(id, ReplaceRefusal::Missing))?;
            if dossier != code {
                return Err(refuse(id, ReplaceRefusal::OtherDossier));
            }
            if !changed.contains(&doc) {
                changed.push(doc);
            }
        }
        let mut before = Vec::new();
        for doc in &changed {
            let ids: Vec<i64> = {
                let mut stmt = tx
                    .prepare_cached(
                        "SELECT id FROM capture_pages WHERE dossier_code = ?1 AND doc_code = ?2
                         ORDER BY position, id",
                    )
                    .map_err(sql)?;
                stmt.query_map(params![code, doc], |r| r.get(0))
                    .map_err(sql)?
                    .collect::<Result<_, _>>()
                    .map_err(sql)?
            };
            let mut after: Vec<i64> = Vec::with_capacity(ids.len() + new_ids.len());
            for &id in ids.iter().filter(|id| !new_ids.contains(id)) {
                if id == old_id {
                    after.extend_from_slice(new_ids);
                } else {
                    after.push(id);
                }
            }
            if doc == &old_doc {
                before = ids;
            }
            for (position, id) in after.iter().enumerate() {
                tx.execute(
                    "UPDATE capture_pages SET doc_code = ?1, position = ?2 WHERE id = ?3",
                    params![doc, position as i64, id],
                )
                .map_err(sql)?;
            }
        }
        tx.execute("DELETE FROM capture_pages WHERE id = ?1", [old_id])
            .map_err(sql)?;
        let place = before.iter().position(|&id| id == old_id).unwrap_or(0) + 1;
        super::audit::append(
            &tx,
            actor,
            "capture.replace_page",
            &format!("dossier:{code}"),
            None,
            Some(&serde_json::json!({
                "document": old_doc,
                "page": place,
                "old_id": old_id,
                "new_ids": new_ids,
            })),
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(PageReplacement {
            dossier_code: code,
            changed_documents: changed,
        })
    }

    /// Records the assembled (unsigned) PDF of a document and forgets its signed one.
    pub fn set_assembled_pdf(
        &mut self,
        code: &str,
        doc_code: &str,
        sha256: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO capture_documents (dossier_code, doc_code, assembled_sha256, signed_sha256)
                 VALUES (?1, ?2, ?3, NULL)
                 ON CONFLICT (dossier_code, doc_code)
                 DO UPDATE SET assembled_sha256 = excluded.assembled_sha256, signed_sha256 = NULL",
                params![code, doc_code, sha256],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// Records the signed PDF of a document.
    pub fn set_signed_pdf(
        &mut self,
        code: &str,
        doc_code: &str,
        sha256: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE capture_documents SET signed_sha256 = ?3 WHERE dossier_code = ?1 AND doc_code = ?2",
                params![code, doc_code, sha256],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// The assembled and signed PDFs of dossier `code`'s documents, by document code.
    pub fn capture_documents(&self, code: &str) -> Result<Vec<CaptureDocument>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT doc_code, assembled_sha256, signed_sha256 FROM capture_documents
                 WHERE dossier_code = ?1 ORDER BY doc_code",
            )
            .map_err(|e| self.sql(e))?;
        stmt.query_map([code], |r| {
            Ok(CaptureDocument {
                doc_code: r.get(0)?,
                assembled_sha256: r.get(1)?,
                signed_sha256: r.get(2)?,
            })
        })
        .map_err(|e| self.sql(e))?
        .collect::<Result<_, _>>()
        .map_err(|e| self.sql(e))
    }
}
