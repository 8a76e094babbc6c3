//! The PDF document under construction: image pages, pages copied from other PDFs, the
//! catalog with metadata and output intent, the file identifier, and the atomic write.
//!
//! Each image page is one image XObject drawn over the whole MediaBox (ISO 32000-1, 8.9.5
//! image dictionaries; 7.7.3.3 page objects). Copied pages keep their content streams and
//! resources untouched; only objects reachable from the chosen pages are brought over, and
//! attributes they inherited from their old page tree are written onto the page itself.

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufWriter, Write};
use std::path::Path;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use super::PdfError;
use super::encode::{EncodedImage, ImageColour, ImageFilter};
use super::metadata::{DocumentInfo, SRGB_ICC};

/// Builds one PDF document page by page.
pub struct PdfBuilder {
    document: Document,
    pages_id: ObjectId,
    kids: Vec<ObjectId>,
    digest: Sha256,
    copied_foreign_pages: bool,
}

impl Default for PdfBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl PdfBuilder {
    /// An empty PDF 1.7 document.
    pub fn new() -> Self {
        let mut document = Document::with_version("1.7");
        let pages_id = document.new_object_id();
        PdfBuilder {
            document,
            pages_id,
            kids: Vec::new(),
            digest: Sha256::new(),
            copied_foreign_pages: false,
        }
    }

    /// Number of pages added so far.
    pub fn page_count(&self) -> usize {
        self.kids.len()
    }

    /// Add a page showing `image` over a MediaBox of `width_pt` × `height_pt` points.
    pub fn add_image_page(&mut self, image: EncodedImage, width_pt: f32, height_pt: f32) {
        self.digest.update(&image.data);
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
        let image_id = self
            .document
            .add_object(Stream::new(dict, image.data).with_compression(false));
        let content = format!("q {width_pt:.2} 0 0 {height_pt:.2} 0 0 cm /Im0 Do Q");
        let mut content_stream = Stream::new(Dictionary::new(), content.into_bytes());
        // Tiny streams are not worth a filter; compress() keeps them raw if it does not help.
        let _ = content_stream.compress();
        let content_id = self.document.add_object(content_stream);
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
        let page_id = self.document.add_object(page);
        self.kids.push(page_id);
    }

    /// Copy pages (1-based numbers) of another PDF, as they are. Returns how many were added.
    pub fn add_pdf_pages(
        &mut self,
        mut source: Document,
        numbers: &[u32],
        path: &Path,
    ) -> Result<usize, PdfError> {
        let error = |reason: String| PdfError::CopyPages {
            path: path.to_path_buf(),
            reason,
        };
        source.renumber_objects_with(self.document.max_id + 1);
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
            page.set("Parent", self.pages_id);
            source.objects.insert(id, Object::Dictionary(page));
            roots.push(id);
        }
        let reachable = reachable_objects(&source, &roots);
        for id in reachable {
            if let Some(object) = source.objects.remove(&id) {
                self.document.objects.insert(id, object);
            }
        }
        self.document.max_id = self.document.max_id.max(source.max_id);
        self.digest
            .update(format!("{}:{numbers:?}", path.display()).as_bytes());
        self.kids.extend(&roots);
        self.copied_foreign_pages = true;
        Ok(roots.len())
    }

    /// Add the page tree, catalog, metadata and identifier, and write the file atomically
    /// (a temporary file in the output's folder, flushed and fsynced, then renamed).
    /// Returns the file size in bytes.
    pub fn write(mut self, info: &DocumentInfo, out: &Path) -> Result<u64, PdfError> {
        let kids: Vec<Object> = self.kids.iter().map(|&id| Object::Reference(id)).collect();
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Count", kids.len() as i64);
        pages.set("Kids", Object::Array(kids));
        self.document
            .objects
            .insert(self.pages_id, Object::Dictionary(pages));

        let claim_pdf_a = info.pdf_a && !self.copied_foreign_pages;
        let metadata_id = self.document.add_object(info.xmp_stream(claim_pdf_a));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", self.pages_id);
        catalog.set("Metadata", metadata_id);
        if info.pdf_a {
            // ISO 19005-2, 6.2.3: one output intent, GTS_PDFA1, with an embedded ICC profile.
            let mut icc_dict = Dictionary::new();
            icc_dict.set("N", 3);
            let mut icc_stream = Stream::new(icc_dict, SRGB_ICC.to_vec());
            let _ = icc_stream.compress();
            let icc_id = self.document.add_object(icc_stream);
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
        let catalog_id = self.document.add_object(catalog);
        let info_id = self.document.add_object(info.info_dictionary());
        self.document.trailer.set("Root", catalog_id);
        self.document.trailer.set("Info", info_id);

        // File identifier (ISO 32000-1, 14.4): both halves equal for a newly created file.
        self.digest.update(info.title.as_bytes());
        self.digest.update(info.created.to_rfc3339().as_bytes());
        let id = self.digest.finalize()[..16].to_vec();
        let id_string = Object::String(id, StringFormat::Hexadecimal);
        self.document
            .trailer
            .set("ID", Object::Array(vec![id_string.clone(), id_string]));

        write_atomically(&mut self.document, out)
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

fn write_atomically(document: &mut Document, out: &Path) -> Result<u64, PdfError> {
    let write_error = |source: std::io::Error| PdfError::Write {
        path: out.to_path_buf(),
        source,
    };
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let temp = tempfile::NamedTempFile::new_in(&folder).map_err(write_error)?;
    {
        let mut writer = BufWriter::new(temp.as_file());
        document
            .save_to(&mut writer)
            .map_err(|e| PdfError::Serialise {
                path: out.to_path_buf(),
                reason: e.to_string(),
            })?;
        writer.flush().map_err(write_error)?;
    }
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
    temp.as_file().sync_all().map_err(write_error)?;
    let size = temp.as_file().metadata().map_err(write_error)?.len();
    temp.persist(out).map_err(|e| write_error(e.error))?;
    // Make the rename itself durable.
    if let Ok(dir) = std::fs::File::open(&folder) {
        let _ = dir.sync_all();
    }
    Ok(size)
}
