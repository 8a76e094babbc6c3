//! Appends a signature revision to a PDF by incremental update (ISO 32000-1 §7.5.6).
//!
//! The input bytes are copied unchanged; after them come the new and changed objects (signature
//! dictionary, signature field/widget, the page with its /Annots, the AcroForm with /SigFlags 3 or
//! the catalog), then a cross-reference section of the same kind as the input's last one (a table
//! or a stream) whose /Prev points at the input's. Objects are parsed and serialized with lopdf
//! (`IncrementalDocument`, `Writer`); this file never lexes PDF itself. The only bytes patched
//! after serialization are the /ByteRange numbers and the /Contents hex digits, located by
//! searching the appended part for lopdf's own serialization of their placeholders.
//!
//! Memory: the input is parsed with its stream contents dropped (only dictionaries and arrays
//! are needed to add a field), and [`RevisionUpdate::serialize_after`] keeps only the small
//! appended part in memory (the caller copies the input file to the output itself), so signing
//! a file costs its size plus a few megabytes rather than three copies of it.

use std::io::Write;
use std::ops::Range;

use lopdf::xref::XrefRecovery;
use lopdf::{Dictionary, Document, IncrementalDocument, LoadOptions, Object, StringFormat, Writer};

use super::SignError;
use super::appearance::{Stamp, add_appearance};

/// Largest offset the /ByteRange placeholder can hold (ten digits: files under 10 GB).
const BYTE_RANGE_PLACEHOLDER: i64 = 9_999_999_999;

/// Widget annotation flags Print (bit 3) and Locked (bit 8), ISO 32000-1 §12.5.3.
const WIDGET_FLAGS: i64 = 4 | 128;

/// What the new revision must contain.
#[derive(Debug, Clone)]
pub struct SignatureRevision {
    /// The signature dictionary (ISO 32000-1 §12.8.1, Table 252) without /ByteRange and
    /// /Contents, which this module adds.
    pub signature_dictionary: Dictionary,
    /// Name of the new signature field (/T); `None` picks the first free `SignatureN`.
    pub field_name: Option<String>,
    /// 1-based page that carries the widget.
    pub page: u32,
    /// Bytes reserved for the DER CMS inside /Contents.
    pub contents_len: usize,
    /// The visible stamp; `None` makes an invisible signature (zero-size widget).
    pub stamp: Option<Stamp>,
    /// A certification signature: the catalog's /Perms /DocMDP points at it (ISO 32000-1
    /// §12.8.4). The signature dictionary must already carry its /Reference with the DocMDP
    /// transform. Refused when the document is already signed.
    pub certify: bool,
}

/// The signed file from offset `base` on, with /ByteRange filled and /Contents still zeros:
/// the whole file for [`prepare`] (`base` 0), only the appended revision for
/// [`RevisionUpdate::serialize_after`] (`base` = input length).
#[derive(Debug)]
pub struct PreparedRevision {
    bytes: Vec<u8>,
    /// File offset of `bytes[0]`.
    base: usize,
    /// File offsets of the /Contents hex string including its `<` and `>`.
    contents: Range<usize>,
}

impl PreparedRevision {
    /// The /ByteRange array: everything but the /Contents hex string.
    pub fn byte_range(&self) -> [usize; 4] {
        let total = self.base + self.bytes.len();
        [
            0,
            self.contents.start,
            self.contents.end,
            total - self.contents.end,
        ]
    }

    /// The signed slices held in memory, in order: for [`prepare`] the whole signed range; for
    /// [`RevisionUpdate::serialize_after`] what follows the input.
    pub fn signed_parts(&self) -> [&[u8]; 2] {
        [
            &self.bytes[..self.contents.start - self.base],
            &self.bytes[self.contents.end - self.base..],
        ]
    }

    /// Bytes available for the DER CMS.
    pub fn capacity(&self) -> usize {
        (self.contents.len() - 2) / 2
    }

    /// Writes `cms` (DER) as hex into /Contents, zero-padded, and returns the signed file.
    pub fn finish(mut self, cms: &[u8]) -> Result<Vec<u8>, SignError> {
        if cms.len() > self.capacity() {
            return Err(SignError::PlaceholderTooSmall {
                needed: cms.len(),
                reserved: self.capacity(),
            });
        }
        let hex = hex::encode_upper(cms);
        let start = self.contents.start - self.base + 1;
        self.bytes[start..start + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(self.bytes)
    }
}

fn structure(reason: impl Into<String>) -> SignError {
    SignError::PdfStructure {
        reason: reason.into(),
    }
}

fn serialize(object: &Object) -> Result<Vec<u8>, SignError> {
    let mut out = Vec::new();
    Writer::write_object(&mut out, object).map_err(|e| SignError::PdfWrite {
        reason: e.to_string(),
    })?;
    Ok(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Load filter: keeps every object but empties the contents of ordinary streams (images,
/// fonts, page contents), which signing never reads. Object and cross-reference streams keep
/// theirs: lopdf unpacks them after this filter. lopdf keeps the returned object for members
/// of object streams and the (edited) argument otherwise, so both are the same here; the clone
/// is cheap once the content is gone.
fn drop_stream_contents(id: (u32, u16), object: &mut Object) -> Option<((u32, u16), Object)> {
    if let Object::Stream(stream) = object {
        let kind = stream.dict.get(b"Type").and_then(Object::as_name).ok();
        if !matches!(kind, Some(b"ObjStm" | b"XRef")) {
            stream.content = Vec::new();
        }
    }
    Some((id, object.clone()))
}

/// Loads the structure of `input` with lopdf (stream contents left out) and refuses what
/// cannot be signed by incremental update.
pub fn load(input: &[u8]) -> Result<Document, SignError> {
    let document =
        Document::load_mem_with_options(input, LoadOptions::with_filter(drop_stream_contents))
            .map_err(|e| SignError::PdfRead {
                reason: e.to_string(),
            })?;
    if document.is_encrypted()
        || document.encryption_state.is_some()
        || document.trailer.get(b"Encrypt").is_ok()
    {
        return Err(SignError::PdfEncrypted);
    }
    // lopdf reads around a damaged xref (a wrong `startxref`, bad entries) and says so. An
    // incremental update keeps the damaged revision and chains to it with /Prev, so the signed
    // file would be as broken as the input: refuse rather than sign it silently (issue 4, bad input).
    if let Some(recovery) = document.xref_recovery {
        return Err(SignError::PdfBrokenXref {
            how: match recovery {
                XrefRecovery::OffsetCorrected => "an xref offset points at the wrong place",
                XrefRecovery::Reconstructed => "the table had to be rebuilt by scanning the file",
                _ => "the parser had to repair it",
            },
        });
    }
    Ok(document)
}

/// Builds the new revision after `input` and fills its /ByteRange; returns the whole signed
/// file in memory.
pub fn prepare(input: &[u8], revision: &SignatureRevision) -> Result<PreparedRevision, SignError> {
    let (previous, new) = build(input, revision)?;
    let mut bytes = Vec::with_capacity(input.len() + revision.contents_len * 2 + 4096);
    write_update(input.to_vec(), previous, new, &mut bytes)?;
    if !bytes.starts_with(input) {
        return Err(SignError::PdfWrite {
            reason: "the writer changed bytes of the original revision".into(),
        });
    }
    locate_and_fill(bytes, 0, input.len(), revision.contents_len)
}

/// The new revision's objects, built from the input's structure but not yet serialized.
///
/// Building only borrows the input, so a caller can hash the same bytes on another thread
/// meanwhile; [`RevisionUpdate::serialize_after`] then needs them by value because lopdf's
/// incremental writer owns the previous revision's bytes.
pub struct RevisionUpdate {
    previous: Document,
    new: Document,
    contents_len: usize,
}

/// Parses `input` and builds the revision that adds the signature described by `revision`.
pub fn build_update(
    input: &[u8],
    revision: &SignatureRevision,
) -> Result<RevisionUpdate, SignError> {
    let (previous, new) = build(input, revision)?;
    Ok(RevisionUpdate {
        previous,
        new,
        contents_len: revision.contents_len,
    })
}

impl RevisionUpdate {
    /// Serializes the revision after `input` (the bytes [`build_update`] read) and returns
    /// only the appended part, with /ByteRange filled: the caller has written the input
    /// itself (copied file to file), so the input's bytes are skipped, not copied again.
    pub fn serialize_after(self, input: Vec<u8>) -> Result<PreparedRevision, SignError> {
        let input_len = input.len();
        let mut split = SplitWriter {
            sink: &mut std::io::sink(),
            prefix_len: input_len,
            written: 0,
            tail: Vec::with_capacity(self.contents_len * 2 + 64 * 1024),
        };
        write_update(input, self.previous, self.new, &mut split)?;
        let tail = split.tail;
        locate_and_fill(tail, input_len, 0, self.contents_len)
    }
}

/// Sends the first `prefix_len` bytes to `sink` and keeps the rest.
struct SplitWriter<'a, W: Write> {
    sink: &'a mut W,
    prefix_len: usize,
    written: usize,
    tail: Vec<u8>,
}

impl<W: Write> Write for SplitWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let to_sink = self.prefix_len.saturating_sub(self.written).min(buf.len());
        if to_sink > 0 {
            let n = self.sink.write(&buf[..to_sink])?;
            self.written += n;
            return Ok(n);
        }
        self.tail.extend_from_slice(buf);
        self.written += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.sink.flush()
    }
}

/// Serializes `previous` bytes followed by `new` as an incremental update (lopdf writes the
/// previous bytes first, verbatim).
fn write_update<W: Write>(
    input: Vec<u8>,
    previous: Document,
    new: Document,
    target: &mut W,
) -> Result<(), SignError> {
    let mut update = IncrementalDocument::create_from(input, previous);
    update.new_document = new;
    update.save_to(target).map_err(|e| SignError::PdfWrite {
        reason: e.to_string(),
    })
}

/// The previous document (structure only) and the new revision's objects.
fn build(input: &[u8], revision: &SignatureRevision) -> Result<(Document, Document), SignError> {
    let previous = load(input)?;
    let root_id = previous
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| structure("the trailer has no /Root catalog reference"))?;
    let page_id = *previous
        .get_pages()
        .get(&revision.page)
        .ok_or_else(|| structure(format!("the document has no page {}", revision.page)))?;
    let declared_size = previous
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .unwrap_or(0);

    let mut new = Document::new_from_prev(&previous);
    // Only the keys an update trailer needs: an xref-stream trailer copied whole would carry the
    // old stream's /Filter, /DecodeParms and /W into the new one.
    let mut trailer = Dictionary::new();
    for key in [b"Root".as_slice(), b"Info", b"ID", b"Prev"] {
        if let Ok(value) = new.trailer.get(key) {
            trailer.set(key, value.clone());
        }
    }
    let max_previous_id = u32::try_from(declared_size.saturating_sub(1)).unwrap_or(0);
    new.trailer = trailer;
    new.max_id = new.max_id.max(max_previous_id);

    let catalog = previous
        .get_dictionary(root_id)
        .map_err(|_| structure("the /Root catalog is missing"))?
        .clone();
    refuse_locked_certification(&previous, &catalog)?;

    // AcroForm: inline in the catalog, an indirect object, or absent.
    let (acroform_id, mut acroform) = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => (
            Some(*id),
            previous
                .get_dictionary(*id)
                .map_err(|_| structure("the /AcroForm reference is broken"))?
                .clone(),
        ),
        Ok(Object::Dictionary(dict)) => (None, dict.clone()),
        _ => (None, Dictionary::new()),
    };
    if revision.certify && has_signature(&previous, &acroform) {
        return Err(structure(
            "it is already signed, and a certification signature must be the first signature of a document",
        ));
    }
    let field_name = match &revision.field_name {
        Some(name) if field_names(&previous, &acroform).contains(name) => {
            return Err(structure(format!(
                "it already has a field named \"{name}\"; choose another field name"
            )));
        }
        Some(name) => name.clone(),
        None => free_field_name(&previous, &acroform),
    };

    let signature_id = new.new_object_id();
    let field_id = new.new_object_id();

    let mut signature = revision.signature_dictionary.clone();
    signature.set(
        "ByteRange",
        Object::Array(vec![
            0.into(),
            BYTE_RANGE_PLACEHOLDER.into(),
            BYTE_RANGE_PLACEHOLDER.into(),
            BYTE_RANGE_PLACEHOLDER.into(),
        ]),
    );
    signature.set(
        "Contents",
        Object::String(vec![0; revision.contents_len], StringFormat::Hexadecimal),
    );
    new.set_object(signature_id, signature);

    let mut field = Dictionary::new();
    field.set("Type", Object::Name(b"Annot".to_vec()));
    field.set("Subtype", Object::Name(b"Widget".to_vec()));
    field.set("FT", Object::Name(b"Sig".to_vec()));
    field.set("T", lopdf::text_string(&field_name));
    field.set("V", Object::Reference(signature_id));
    field.set("F", WIDGET_FLAGS);
    match &revision.stamp {
        Some(stamp) => {
            field.set("Rect", stamp.widget_rect());
            let appearance = add_appearance(&mut new, stamp)?;
            let mut appearances = Dictionary::new();
            appearances.set("N", Object::Reference(appearance));
            field.set("AP", appearances);
        }
        None => field.set("Rect", vec![0.into(), 0.into(), 0.into(), 0.into()]),
    }
    field.set("P", Object::Reference(page_id));
    new.set_object(field_id, field);

    // The page's /Annots gets the widget.
    let mut page = previous
        .get_dictionary(page_id)
        .map_err(|_| structure(format!("page {} is not a dictionary", revision.page)))?
        .clone();
    match page.get(b"Annots") {
        Ok(Object::Reference(annots_id)) => {
            let annots_id = *annots_id;
            let mut annots = previous
                .get_object(annots_id)
                .and_then(Object::as_array)
                .map_err(|_| structure("the page's /Annots reference is not an array"))?
                .clone();
            annots.push(Object::Reference(field_id));
            new.set_object(annots_id, annots);
        }
        Ok(Object::Array(annots)) => {
            let mut annots = annots.clone();
            annots.push(Object::Reference(field_id));
            page.set("Annots", annots);
            new.set_object(page_id, page);
        }
        _ => {
            page.set("Annots", vec![Object::Reference(field_id)]);
            new.set_object(page_id, page);
        }
    }

    // The AcroForm gets the field and /SigFlags 3 (SignaturesExist | AppendOnly, §12.7.2).
    match acroform.get(b"Fields") {
        Ok(Object::Reference(fields_id)) => {
            let fields_id = *fields_id;
            let mut fields = previous
                .get_object(fields_id)
                .and_then(Object::as_array)
                .map_err(|_| structure("the /AcroForm /Fields reference is not an array"))?
                .clone();
            fields.push(Object::Reference(field_id));
            new.set_object(fields_id, fields);
        }
        Ok(Object::Array(fields)) => {
            let mut fields = fields.clone();
            fields.push(Object::Reference(field_id));
            acroform.set("Fields", fields);
        }
        _ => acroform.set("Fields", vec![Object::Reference(field_id)]),
    }
    acroform.set("SigFlags", 3);
    let mut catalog = catalog;
    let mut catalog_changed = false;
    match acroform_id {
        Some(id) => new.set_object(id, acroform),
        None => {
            catalog.set("AcroForm", acroform);
            catalog_changed = true;
        }
    }
    if revision.certify {
        let mut perms = Dictionary::new();
        perms.set("DocMDP", Object::Reference(signature_id));
        catalog.set("Perms", perms);
        catalog_changed = true;
    }
    if catalog_changed {
        new.set_object(root_id, catalog);
    }
    Ok((previous, new))
}

/// Finds the placeholders in the appended part and writes the real /ByteRange. `bytes` holds
/// the file from offset `base`; the search starts at `bytes[appended_from..]`.
fn locate_and_fill(
    mut bytes: Vec<u8>,
    base: usize,
    appended_from: usize,
    contents_len: usize,
) -> Result<PreparedRevision, SignError> {
    let contents_placeholder = serialize(&Object::String(
        vec![0; contents_len],
        StringFormat::Hexadecimal,
    ))?;
    let range_placeholder = serialize(&Object::Array(vec![
        0.into(),
        BYTE_RANGE_PLACEHOLDER.into(),
        BYTE_RANGE_PLACEHOLDER.into(),
        BYTE_RANGE_PLACEHOLDER.into(),
    ]))?;
    let missing = || SignError::PdfWrite {
        reason: "the signature placeholders were not found in the written revision".into(),
    };
    let contents_start =
        appended_from + find(&bytes[appended_from..], &contents_placeholder).ok_or_else(missing)?;
    let contents = contents_start..contents_start + contents_placeholder.len();
    let range_start =
        appended_from + find(&bytes[appended_from..], &range_placeholder).ok_or_else(missing)?;

    let after_contents = bytes.len() - contents.end;
    let contents = base + contents.start..base + contents.end;
    let numbers = format!("0 {} {} {after_contents}", contents.start, contents.end);
    let width = range_placeholder.len() - 2;
    if numbers.len() > width {
        return Err(SignError::PdfWrite {
            reason: "the file is too large for the /ByteRange placeholder".into(),
        });
    }
    let filled = format!("[{numbers:<width$}]");
    bytes[range_start..range_start + filled.len()].copy_from_slice(filled.as_bytes());
    Ok(PreparedRevision {
        bytes,
        base,
        contents,
    })
}

/// The top-level fields of the AcroForm, dereferenced.
fn top_level_fields<'a>(document: &'a Document, acroform: &'a Dictionary) -> Vec<&'a Dictionary> {
    acroform
        .get(b"Fields")
        .and_then(|f| document.dereference(f))
        .and_then(|(_, f)| f.as_array())
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| document.dereference(f).ok())
                .filter_map(|(_, f)| f.as_dict().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a signature field already holds a signature value.
fn has_signature(document: &Document, acroform: &Dictionary) -> bool {
    top_level_fields(document, acroform).iter().any(|field| {
        field.get(b"FT").and_then(Object::as_name).ok() == Some(b"Sig".as_slice())
            && field.get(b"V").is_ok()
    })
}

/// The names (/T) of the top-level fields.
fn field_names(document: &Document, acroform: &Dictionary) -> Vec<String> {
    top_level_fields(document, acroform)
        .into_iter()
        .filter_map(|f| f.get(b"T").ok())
        .filter_map(|t| lopdf::decode_text_string(t).ok())
        .collect()
}

/// First `SignatureN` not used as a top-level field name.
fn free_field_name(document: &Document, acroform: &Dictionary) -> String {
    let names = field_names(document, acroform);
    (1..)
        .map(|n| format!("Signature{n}"))
        .find(|name| !names.contains(name))
        .unwrap_or_else(|| "Signature".into())
}

/// Refuses to add a revision to a document certified with DocMDP P=1 (no changes allowed,
/// ISO 32000-1 §12.8.2.2).
fn refuse_locked_certification(document: &Document, catalog: &Dictionary) -> Result<(), SignError> {
    let permission = (|| -> Option<i64> {
        let perms = document
            .dereference(catalog.get(b"Perms").ok()?)
            .ok()?
            .1
            .as_dict()
            .ok()?;
        let sig = document
            .dereference(perms.get(b"DocMDP").ok()?)
            .ok()?
            .1
            .as_dict()
            .ok()?;
        let references = document.dereference(sig.get(b"Reference").ok()?).ok()?.1;
        for reference in references.as_array().ok()? {
            let reference = document.dereference(reference).ok()?.1.as_dict().ok()?;
            if reference.get(b"TransformMethod").ok()?.as_name().ok()? == b"DocMDP" {
                let params = document
                    .dereference(reference.get(b"TransformParams").ok()?)
                    .ok()?
                    .1;
                return Some(params.as_dict().ok()?.get(b"P").ok()?.as_i64().unwrap_or(2));
            }
        }
        None
    })();
    if permission == Some(1) {
        return Err(structure(
            "it is certified with DocMDP permission 1 (no changes allowed); any new signature would invalidate the certification",
        ));
    }
    Ok(())
}
