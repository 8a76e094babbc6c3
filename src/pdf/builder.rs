//! The PDF document under construction: image pages, pages copied from other PDFs, the
//! catalog with metadata and output intent, the file identifier, and the atomic write.
//!
//! Each image page is one image XObject drawn over the whole MediaBox (ISO 32000-1, 8.9.5
//! image dictionaries; 7.7.3.3 page objects). Copied pages keep their content streams and
//! resources untouched; only objects reachable from the chosen pages are brought over, and
//! attributes they inherited from their old page tree are written onto the page itself.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use super::PdfError;
use super::encode::{EncodedImage, ImageColour, ImageData, ImageFilter};
use super::metadata::{DocumentInfo, SRGB_ICC, text_string};
use super::writer::StreamingWriter;

/// Builds one PDF document page by page, writing each page's objects to a temporary file
/// next to the output as soon as the page is added; [`PdfBuilder::write`] closes the file and
/// renames it into place. Memory holds only the page list, never the page images.
pub struct PdfBuilder {
    writer: StreamingWriter,
    temp: NamedTempFile,
    out: PathBuf,
    pages_id: ObjectId,
    kids: Vec<ObjectId>,
    digest: Sha256,
    copied_foreign_pages: bool,
    /// Bookmarks: title and index of the first page they point to.
    bookmarks: Vec<(String, usize)>,
}

impl PdfBuilder {
    /// Start a PDF 1.7 document that [`PdfBuilder::write`] will put at `out`. The temporary
    /// file is made in `out`'s folder (so the final rename is atomic) and removed if the
    /// builder is dropped unwritten.
    pub fn create(out: &Path) -> Result<Self, PdfError> {
        let write_error = |source: std::io::Error| PdfError::Write {
            path: out.to_path_buf(),
            source,
        };
        let temp = tempfile::Builder::new()
            .prefix(".motcua-")
            .suffix(".pdf.tmp")
            .tempfile_in(folder_of(out))
            .map_err(write_error)?;
        let file = temp.as_file().try_clone().map_err(write_error)?;
        let mut writer = StreamingWriter::new(file).map_err(write_error)?;
        let pages_id = writer.reserve();
        Ok(PdfBuilder {
            writer,
            temp,
            out: out.to_path_buf(),
            pages_id,
            kids: Vec::new(),
            digest: Sha256::new(),
            copied_foreign_pages: false,
            bookmarks: Vec::new(),
        })
    }

    /// True when a write failed part-way: the document cannot be completed.
    pub fn is_broken(&self) -> bool {
        self.writer.is_broken()
    }

    /// Number of pages added so far.
    pub fn page_count(&self) -> usize {
        self.kids.len()
    }

    /// Start a bookmark (outline entry, ISO 32000-1, 12.3.3) titled `title` at the next page
    /// added. A bookmark with no page after it is left out.
    pub fn bookmark_next_page(&mut self, title: &str) {
        self.bookmarks.push((title.to_string(), self.kids.len()));
    }

    fn write_error(&self, source: std::io::Error) -> PdfError {
        PdfError::Write {
            path: self.out.clone(),
            source,
        }
    }

    /// Add a page showing `image` over a MediaBox of `width_pt` × `height_pt` points.
    pub fn add_image_page(
        &mut self,
        image: EncodedImage,
        width_pt: f32,
        height_pt: f32,
    ) -> Result<(), PdfError> {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Image".to_vec()));
        dict.set("Width", i64::from(image.width));
        dict.set("Height", i64::from(image.height));
        let space: &[u8] = match image.colour {
            ImageColour::Grey => b"DeviceGray",
            ImageColour::Rgb => b"DeviceRGB",
            ImageColour::Cmyk => b"DeviceCMYK",
        };
        dict.set("ColorSpace", Object::Name(space.to_vec()));
        dict.set("BitsPerComponent", i64::from(image.bits_per_component));
        match image.filter {
            ImageFilter::DctPassthrough | ImageFilter::Dct => {
                dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
                if image.colour == ImageColour::Cmyk {
                    // Adobe CMYK JPEGs store inverted samples (ISO 32000-1, 8.9.5.2 Decode).
                    let decode = [1, 0, 1, 0, 1, 0, 1, 0].map(|v: i64| Object::Integer(v));
                    dict.set("Decode", Object::Array(decode.to_vec()));
                }
            }
            ImageFilter::Flate => dict.set("Filter", Object::Name(b"FlateDecode".to_vec())),
            ImageFilter::CcittG4 => {
                dict.set("Filter", Object::Name(b"CCITTFaxDecode".to_vec()));
                // ISO 32000-1, 7.4.6, Table 11: K < 0 is pure two-dimensional (Group 4).
                let mut parms = Dictionary::new();
                parms.set("K", -1);
                parms.set("Columns", i64::from(image.width));
                parms.set("Rows", i64::from(image.height));
                dict.set("DecodeParms", Object::Dictionary(parms));
            }
        }
        let image_id = match &image.data {
            ImageData::Bytes(bytes) => {
                self.digest.update(bytes);
                self.writer.add_stream(dict, bytes)
            }
            ImageData::File { path, length } => {
                // The identifier is made from what names the file, not from its bytes, which
                // never pass through this process.
                self.digest
                    .update(format!("{}:{length}", path.display()).as_bytes());
                let written = self.writer.add_stream_from_file(dict, path, *length);
                written.map_err(|source| {
                    if self.writer.is_broken() {
                        self.write_error(source)
                    } else {
                        PdfError::SourceChanged {
                            path: path.clone(),
                            reason: source.to_string(),
                        }
                    }
                })?;
                return self.finish_image_page(None, width_pt, height_pt);
            }
        }
        .map_err(|e| self.write_error(e))?;
        self.finish_image_page(Some(image_id), width_pt, height_pt)
    }

    fn finish_image_page(
        &mut self,
        image_id: Option<ObjectId>,
        width_pt: f32,
        height_pt: f32,
    ) -> Result<(), PdfError> {
        // The image is the last object written when it came from a file.
        let image_id = image_id.unwrap_or((self.writer.object_count() as u32, 0));
        let content = format!("q {width_pt:.2} 0 0 {height_pt:.2} 0 0 cm /Im0 Do Q");
        let content_id = self
            .writer
            .add_stream(Dictionary::new(), content.as_bytes())
            .map_err(|e| self.write_error(e))?;
        let mut xobjects = Dictionary::new();
        xobjects.set("Im0", image_id);
        let mut resources = Dictionary::new();
        resources.set("XObject", xobjects);
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", self.pages_id);
        page.set("MediaBox", media_box(width_pt, height_pt));
        page.set("Resources", resources);
        page.set("Contents", content_id);
        let page_id = self
            .writer
            .add(&Object::Dictionary(page))
            .map_err(|e| self.write_error(e))?;
        self.kids.push(page_id);
        Ok(())
    }

    /// Copy pages (1-based numbers) of another PDF, as they are. Returns how many were added.
    /// Only the objects the pages reach are copied, renumbered into this file.
    pub fn add_pdf_pages(
        &mut self,
        source: Document,
        numbers: &[u32],
        path: &Path,
    ) -> Result<usize, PdfError> {
        let error = |reason: String| PdfError::CopyPages {
            path: path.to_path_buf(),
            reason,
        };
        let mut source = source;
        let pages = source.get_pages();
        let mut roots = Vec::new();
        for number in numbers {
            let id = *pages
                .get(number)
                .ok_or_else(|| error(format!("page {number} does not exist")))?;
            let mut page = source
                .get_dictionary(id)
                .map_err(|e| error(e.to_string()))?
                .clone();
            inherit_attributes(&source, &mut page);
            page.remove(b"Parent");
            source.objects.insert(id, Object::Dictionary(page));
            roots.push(id);
        }
        let reachable = reachable_objects(&source, &roots);
        // New numbers in this file, in the source's order (deterministic).
        let renumbered: BTreeMap<ObjectId, ObjectId> = reachable
            .iter()
            .filter(|id| source.objects.contains_key(id))
            .map(|&id| (id, self.writer.reserve()))
            .collect();
        for (old, new) in &renumbered {
            let Some(mut object) = source.objects.remove(old) else {
                continue;
            };
            renumber_references(&mut object, &renumbered);
            if roots.contains(old)
                && let Object::Dictionary(page) = &mut object
            {
                page.set("Parent", self.pages_id);
            }
            self.writer
                .write(*new, &object)
                .map_err(|e| self.write_error(e))?;
        }
        for root in &roots {
            let new = renumbered
                .get(root)
                .ok_or_else(|| error(format!("page object {root:?} is missing")))?;
            self.kids.push(*new);
        }
        self.digest
            .update(format!("{}:{numbers:?}", path.display()).as_bytes());
        self.copied_foreign_pages = true;
        Ok(roots.len())
    }

    /// Add the page tree, outline, catalog, metadata and identifier, and write the file
    /// atomically (the temporary file is flushed and fsynced, then renamed over `out`).
    /// Returns the file size in bytes.
    pub fn write(mut self, info: &DocumentInfo) -> Result<u64, PdfError> {
        let kids: Vec<Object> = self.kids.iter().map(|&id| Object::Reference(id)).collect();
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Count", kids.len() as i64);
        pages.set("Kids", Object::Array(kids));
        self.writer
            .write(self.pages_id, &Object::Dictionary(pages))
            .map_err(|e| self.write_error(e))?;

        let claim_pdf_a = info.pdf_a && !self.copied_foreign_pages;
        let xmp = info.xmp_stream(claim_pdf_a);
        let metadata_id = self
            .writer
            .add_stream(xmp.dict, &xmp.content)
            .map_err(|e| self.write_error(e))?;
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", self.pages_id);
        catalog.set("Metadata", metadata_id);
        if let Some(outlines_id) = self.write_outline()? {
            catalog.set("Outlines", outlines_id);
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        if info.pdf_a {
            // ISO 19005-2, 6.2.3: one output intent, GTS_PDFA1, with an embedded ICC profile.
            let mut icc_dict = Dictionary::new();
            icc_dict.set("N", 3);
            let mut icc_stream = Stream::new(icc_dict, SRGB_ICC.to_vec());
            let _ = icc_stream.compress();
            let icc_id = self
                .writer
                .add_stream(icc_stream.dict, &icc_stream.content)
                .map_err(|e| self.write_error(e))?;
            let mut intent = Dictionary::new();
            intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
            intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
            intent.set(
                "OutputConditionIdentifier",
                Object::string_literal("sRGB IEC61966-2.1"),
            );
            intent.set(
                "RegistryName",
                Object::string_literal("http://www.color.org"),
            );
            intent.set("Info", Object::string_literal("sRGB IEC61966-2.1"));
            intent.set("DestOutputProfile", icc_id);
            catalog.set(
                "OutputIntents",
                Object::Array(vec![Object::Dictionary(intent)]),
            );
        }
        let catalog_id = self
            .writer
            .add(&Object::Dictionary(catalog))
            .map_err(|e| self.write_error(e))?;
        let info_id = self
            .writer
            .add(&Object::Dictionary(info.info_dictionary()))
            .map_err(|e| self.write_error(e))?;

        // File identifier (ISO 32000-1, 14.4): both halves equal for a newly created file.
        self.digest.update(info.title.as_bytes());
        self.digest.update(info.created.to_rfc3339().as_bytes());
        let id = self.digest.finalize()[..16].to_vec();
        let id_string = Object::String(id, StringFormat::Hexadecimal);
        let mut trailer = Dictionary::new();
        trailer.set("Root", catalog_id);
        trailer.set("Info", info_id);
        trailer.set("ID", Object::Array(vec![id_string.clone(), id_string]));
        let out = self.out;
        let write_error = |source: std::io::Error| PdfError::Write {
            path: out.clone(),
            source,
        };
        let (file, size) = self.writer.finish(trailer).map_err(write_error)?;
        file.sync_all().map_err(write_error)?;
        drop(file);
        persist(self.temp, &out)?;
        Ok(size)
    }

    /// Write the outline (one entry per bookmark that has a page) and return its root.
    fn write_outline(&mut self) -> Result<Option<ObjectId>, PdfError> {
        // A bookmark whose document added no page (the next one starts at the same page) is
        // left out.
        let entries: Vec<(String, ObjectId)> = self
            .bookmarks
            .iter()
            .enumerate()
            .filter(|(i, (_, index))| {
                self.bookmarks
                    .get(i + 1)
                    .is_none_or(|(_, next)| next > index)
            })
            .filter_map(|(_, (title, index))| {
                self.kids.get(*index).map(|&page| (title.clone(), page))
            })
            .collect();
        if entries.is_empty() {
            return Ok(None);
        }
        let root = self.writer.reserve();
        let ids: Vec<ObjectId> = entries.iter().map(|_| self.writer.reserve()).collect();
        for (i, (title, page)) in entries.iter().enumerate() {
            let mut item = Dictionary::new();
            item.set("Title", text_string(title));
            item.set("Parent", root);
            if i > 0 {
                item.set("Prev", ids[i - 1]);
            }
            if let Some(&next) = ids.get(i + 1) {
                item.set("Next", next);
            }
            // ISO 32000-1, 12.3.2.2: [page /Fit] shows the whole page.
            item.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(*page),
                    Object::Name(b"Fit".to_vec()),
                ]),
            );
            self.writer
                .write(ids[i], &Object::Dictionary(item))
                .map_err(|e| self.write_error(e))?;
        }
        let mut outlines = Dictionary::new();
        outlines.set("Type", Object::Name(b"Outlines".to_vec()));
        outlines.set("First", ids[0]);
        outlines.set("Last", ids[ids.len() - 1]);
        outlines.set("Count", ids.len() as i64);
        self.writer
            .write(root, &Object::Dictionary(outlines))
            .map_err(|e| self.write_error(e))?;
        Ok(Some(root))
    }
}

fn folder_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Rename the finished temporary file over `out` and make the rename durable.
fn persist(temp: NamedTempFile, out: &Path) -> Result<(), PdfError> {
    let write_error = |source: std::io::Error| PdfError::Write {
        path: out.to_path_buf(),
        source,
    };
    // Temporary files are created private (0600); give the output the permissions of the
    // file it replaces, or the usual 0644 for a new file, so other tools and users can read it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(out)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        temp.as_file()
            .set_permissions(permissions)
            .map_err(write_error)?;
    }
    temp.persist(out).map_err(|e| write_error(e.error))?;
    crate::atomic::sync_dir(&folder_of(out)).map_err(write_error)
}

fn renumber_references(object: &mut Object, map: &BTreeMap<ObjectId, ObjectId>) {
    match object {
        Object::Reference(id) => {
            // A reference to an object that does not exist is the null object (7.3.10).
            match map.get(id) {
                Some(new) => *id = *new,
                None => *object = Object::Null,
            }
        }
        Object::Array(items) => items.iter_mut().for_each(|o| renumber_references(o, map)),
        Object::Dictionary(dict) => dict
            .iter_mut()
            .for_each(|(_, v)| renumber_references(v, map)),
        Object::Stream(stream) => stream
            .dict
            .iter_mut()
            .for_each(|(_, v)| renumber_references(v, map)),
        _ => {}
    }
}

fn media_box(width: f32, height: f32) -> Object {
    let round = |v: f32| (v * 100.0).round() / 100.0;
    Object::Array(vec![
        0.into(),
        0.into(),
        Object::Real(round(width)),
        Object::Real(round(height)),
    ])
}

/// Copy inheritable page attributes (ISO 32000-1, 7.7.3.4) from the page's ancestors.
fn inherit_attributes(source: &Document, page: &mut Dictionary) {
    let keys: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];
    let mut parent = page.get(b"Parent").and_then(Object::as_reference).ok();
    let mut depth = 0;
    while let Some(parent_id) = parent {
        let Ok(node) = source.get_dictionary(parent_id) else {
            break;
        };
        for key in keys {
            if page.get(key).is_err()
                && let Ok(value) = node.get(key)
            {
                page.set(key, value.clone());
            }
        }
        parent = node.get(b"Parent").and_then(Object::as_reference).ok();
        depth += 1;
        if depth > 64 {
            break;
        }
    }
}

/// All objects reachable from `roots`, not following /Parent (which leads to the old page tree).
fn reachable_objects(source: &Document, roots: &[ObjectId]) -> BTreeSet<ObjectId> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<ObjectId> = roots.iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(object) = source.objects.get(&id) {
            collect_references(object, &mut queue);
        }
    }
    seen
}

fn collect_references(object: &Object, queue: &mut VecDeque<ObjectId>) {
    match object {
        Object::Reference(id) => queue.push_back(*id),
        Object::Array(items) => items.iter().for_each(|o| collect_references(o, queue)),
        Object::Dictionary(dict) => collect_dict(dict, queue),
        Object::Stream(stream) => collect_dict(&stream.dict, queue),
        _ => {}
    }
}

fn collect_dict(dict: &Dictionary, queue: &mut VecDeque<ObjectId>) {
    for (key, value) in dict.iter() {
        if key.as_slice() != b"Parent" {
            collect_references(value, queue);
        }
    }
}
