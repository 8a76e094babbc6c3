//! The PDF layer: finds signature dictionaries (ISO 32000-1 §12.8.1) and checks each one's
//! /ByteRange against the file, before the CMS layer looks at the bytes.
//!
//! Signatures are found through the AcroForm field tree (fields with /FT /Sig and a /V) and, to
//! catch signatures not attached to a field, among all objects with /Type /Sig or /DocTimeStamp.
//! The integrity rules defeat the published attacks (Mladenov et al., "1 Trillion Dollar Refund",
//! 2019): /ByteRange and /Contents must exist (universal signature forgery), the range must be
//! `[0 b c d]` with `b < c` and `c + d` inside the file, and the gap `[b, c)` must hold exactly one
//! hex string equal to this dictionary's /Contents (signature wrapping); what follows `c + d` is
//! later revisions, judged by the modification analysis (incremental saving attack).

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// A signature dictionary found in the document.
#[derive(Debug, Clone)]
pub struct FoundSignature {
    /// The field's fully qualified name (/T joined with dots), if attached to a field.
    pub field: Option<String>,
    /// The signature dictionary's object id, when indirect.
    pub object: Option<ObjectId>,
    /// The dictionary itself.
    pub dictionary: Dictionary,
}

/// The result of the /ByteRange and /Contents checks.
#[derive(Debug, Clone)]
pub struct Integrity {
    /// The byte range as found (empty when missing or not four integers).
    pub byte_range: Vec<i64>,
    /// Problems; empty when the range is sound.
    pub problems: Vec<String>,
    /// The decoded /Contents (the CMS, possibly zero-padded).
    pub contents: Vec<u8>,
    /// End of the signed revision (`c + d`), when the range is sound.
    pub revision_end: Option<usize>,
}

fn name_of(dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    dict.get(key)
        .ok()
        .and_then(|o| o.as_name().ok())
        .map(<[u8]>::to_vec)
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

fn text(object: &Object) -> Option<String> {
    match object {
        Object::String(bytes, _) => Some(
            lopdf::decode_text_string(object)
                .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned()),
        ),
        _ => None,
    }
}

/// Finds every signature dictionary, fields first, then unattached ones.
pub fn find_signatures(doc: &Document) -> Vec<FoundSignature> {
    let mut found = Vec::new();
    let mut seen_dicts: HashSet<ObjectId> = HashSet::new();
    let mut visited: HashSet<ObjectId> = HashSet::new();
    let fields = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"AcroForm").ok())
        .and_then(|o| resolve(doc, o))
        .and_then(|o| o.as_dict().ok())
        .and_then(|form| form.get(b"Fields").ok())
        .and_then(|o| resolve(doc, o))
        .and_then(|o| o.as_array().ok())
        .cloned()
        .unwrap_or_default();
    let mut stack: Vec<(Object, String, Option<Vec<u8>>, usize)> = fields
        .into_iter()
        .map(|f| (f, String::new(), None, 0))
        .collect();
    while let Some((field, parent_name, inherited_ft, depth)) = stack.pop() {
        if depth > 32 {
            continue;
        }
        if let Object::Reference(id) = field
            && !visited.insert(id)
        {
            continue; // reference loop
        }
        let Some(dict) = resolve(doc, &field).and_then(|o| o.as_dict().ok()) else {
            continue;
        };
        let own = dict.get(b"T").ok().and_then(text);
        let name = match (&own, parent_name.is_empty()) {
            (Some(t), true) => t.clone(),
            (Some(t), false) => format!("{parent_name}.{t}"),
            (None, _) => parent_name.clone(),
        };
        let ft = name_of(dict, b"FT").or(inherited_ft);
        if let Ok(kids) = dict
            .get(b"Kids")
            .and_then(|k| doc.dereference(k))
            .map(|(_, k)| k)
            && let Ok(kids) = kids.as_array()
        {
            for kid in kids {
                stack.push((kid.clone(), name.clone(), ft.clone(), depth + 1));
            }
        }
        if ft.as_deref() == Some(b"Sig")
            && let Ok(value) = dict.get(b"V")
        {
            let id = value.as_reference().ok();
            if let Some(sig) = resolve(doc, value).and_then(|o| o.as_dict().ok()) {
                if let Some(id) = id
                    && !seen_dicts.insert(id)
                {
                    continue;
                }
                found.push(FoundSignature {
                    field: Some(name),
                    object: id,
                    dictionary: sig.clone(),
                });
            }
        }
    }
    for (id, object) in &doc.objects {
        if seen_dicts.contains(id) {
            continue;
        }
        let Ok(dict) = object.as_dict() else { continue };
        let kind = name_of(dict, b"Type");
        let is_sig = matches!(kind.as_deref(), Some(b"Sig") | Some(b"DocTimeStamp"))
            && (dict.has(b"ByteRange") || dict.has(b"Contents"));
        if is_sig {
            found.push(FoundSignature {
                field: None,
                object: Some(*id),
                dictionary: dict.clone(),
            });
        }
    }
    found
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes the gap `<hex>` exactly; `None` if anything else is there.
fn decode_gap(gap: &[u8]) -> Option<Vec<u8>> {
    let inner = gap.strip_prefix(b"<")?.strip_suffix(b">")?;
    if inner.len() % 2 != 0 {
        return None;
    }
    inner
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Some(hex_value(*hi)? << 4 | hex_value(*lo)?),
            _ => None,
        })
        .collect()
}

/// Checks `sig`'s /ByteRange and /Contents against the file bytes.
pub fn check_integrity(sig: &Dictionary, doc: &Document, file: &[u8]) -> Integrity {
    let mut out = Integrity {
        byte_range: Vec::new(),
        problems: Vec::new(),
        contents: Vec::new(),
        revision_end: None,
    };
    let contents = match sig.get(b"Contents").ok().and_then(|o| resolve(doc, o)) {
        Some(Object::String(bytes, _)) => bytes.clone(),
        _ => {
            out.problems
                .push("/Contents is missing or not a string".into());
            Vec::new()
        }
    };
    out.contents = contents.clone();
    let range: Option<Vec<i64>> = sig
        .get(b"ByteRange")
        .ok()
        .and_then(|o| resolve(doc, o))
        .and_then(|o| o.as_array().ok())
        .map(|a| a.iter().filter_map(|n| n.as_i64().ok()).collect());
    let Some(range) = range else {
        out.problems.push("/ByteRange is missing or null".into());
        return out;
    };
    out.byte_range = range.clone();
    let [a, b, c, d] = range.as_slice() else {
        out.problems.push(format!(
            "/ByteRange must hold four integers, it holds {}",
            range.len()
        ));
        return out;
    };
    let to_usize = |n: &i64| usize::try_from(*n).ok();
    let (Some(a), Some(b), Some(c), Some(d)) = (to_usize(a), to_usize(b), to_usize(c), to_usize(d))
    else {
        out.problems.push("/ByteRange holds negative values".into());
        return out;
    };
    if a != 0 {
        out.problems
            .push("/ByteRange does not start at the beginning of the file".into());
        return out;
    }
    let Some(end) = c.checked_add(d) else {
        out.problems.push("/ByteRange values overflow".into());
        return out;
    };
    if b >= c || end > file.len() {
        out.problems.push(format!(
            "/ByteRange [0 {b} {c} {d}] overlaps or lies outside the file ({} bytes)",
            file.len()
        ));
        return out;
    }
    match file.get(b..c).and_then(decode_gap) {
        None => out
            .problems
            .push("the gap in /ByteRange does not hold exactly one hex string".into()),
        Some(gap) if !contents.is_empty() && gap != contents => out
            .problems
            .push("the gap in /ByteRange holds another /Contents than this signature's".into()),
        Some(_) => out.revision_end = Some(end),
    }
    out
}

/// The catalog's certification signature: (sig object id, DocMDP /P) from /Perms /DocMDP.
pub fn certification(doc: &Document) -> Option<(Option<ObjectId>, i64)> {
    let catalog = doc.catalog().ok()?;
    let perms = resolve(doc, catalog.get(b"Perms").ok()?)?.as_dict().ok()?;
    let reference = perms.get(b"DocMDP").ok()?;
    let id = reference.as_reference().ok();
    let sig = resolve(doc, reference)?.as_dict().ok()?;
    Some((id, docmdp_level(doc, sig).unwrap_or(2)))
}

/// The /P of a signature dictionary's DocMDP transform (ISO 32000-1 §12.8.2.2), if any.
pub fn docmdp_level(doc: &Document, sig: &Dictionary) -> Option<i64> {
    let refs = resolve(doc, sig.get(b"Reference").ok()?)?.as_array().ok()?;
    for r in refs {
        let Some(r) = resolve(doc, r).and_then(|o| o.as_dict().ok()) else {
            continue;
        };
        if name_of(r, b"TransformMethod").as_deref() == Some(b"DocMDP") {
            let p = r
                .get(b"TransformParams")
                .ok()
                .and_then(|o| resolve(doc, o))
                .and_then(|o| o.as_dict().ok())
                .and_then(|t| t.get(b"P").ok())
                .and_then(|p| p.as_i64().ok())
                .unwrap_or(2);
            return Some(p);
        }
    }
    None
}

/// A text entry of the signature dictionary (/Name, /Reason, /Location, /M).
pub fn sig_text(sig: &Dictionary, key: &[u8]) -> Option<String> {
    sig.get(key).ok().and_then(text)
}

/// The /SubFilter name.
pub fn sub_filter(sig: &Dictionary) -> Option<String> {
    name_of(sig, b"SubFilter").map(|n| String::from_utf8_lossy(&n).into_owned())
}

/// The signature's /Type (Sig or DocTimeStamp).
pub fn sig_type(sig: &Dictionary) -> Option<String> {
    name_of(sig, b"Type").map(|n| String::from_utf8_lossy(&n).into_owned())
}

/// Certificates in the DSS dictionary's /Certs (ETSI EN 319 142-1 §5.4.2).
pub fn dss_certificates(doc: &Document) -> Vec<x509_cert::Certificate> {
    use der::Decode as _;
    dss_streams(doc, b"Certs")
        .iter()
        .filter_map(|der| x509_cert::Certificate::from_der(der).ok())
        .collect()
}

/// CRLs in the DSS dictionary's /CRLs (ETSI EN 319 142-1 §5.4.2).
pub fn dss_crls(doc: &Document) -> Vec<x509_cert::crl::CertificateList> {
    use der::Decode as _;
    dss_streams(doc, b"CRLs")
        .iter()
        .filter_map(|der| x509_cert::crl::CertificateList::from_der(der).ok())
        .collect()
}

/// DER OCSP responses in the DSS: its /OCSPs array and the /OCSP arrays of its /VRI entries
/// (ETSI EN 319 142-1 §5.4.2, ISO 32000-2 §12.8.4.3), each once. Every response is checked
/// against the certificate it answers for, so the VRI key (the signature's hash) need not match.
pub fn dss_ocsps(doc: &Document) -> Vec<Vec<u8>> {
    let mut all = dss_streams(doc, b"OCSPs");
    if let Some(vri) = dss_dict(doc)
        .and_then(|dss| dss.get(b"VRI").ok())
        .and_then(|o| resolve(doc, o))
        .and_then(|o| o.as_dict().ok())
    {
        for (_, entry) in vri.iter().take(MAX_VRI_ENTRIES) {
            let Some(entry) = resolve(doc, entry).and_then(|o| o.as_dict().ok()) else {
                continue;
            };
            for stream in array_streams(doc, entry, b"OCSP") {
                if !all.contains(&stream) {
                    all.push(stream);
                }
            }
        }
    }
    all
}

/// At most this many /VRI entries are read (one per signature in practice).
const MAX_VRI_ENTRIES: usize = 256;

fn dss_dict(doc: &Document) -> Option<&Dictionary> {
    doc.catalog()
        .ok()
        .and_then(|c| c.get(b"DSS").ok())
        .and_then(|o| resolve(doc, o))
        .and_then(|o| o.as_dict().ok())
}

/// The decoded streams of one DSS array (/Certs, /CRLs, /OCSPs).
fn dss_streams(doc: &Document, key: &[u8]) -> Vec<Vec<u8>> {
    match dss_dict(doc) {
        Some(dss) => array_streams(doc, dss, key),
        None => Vec::new(),
    }
}

/// The decoded streams of the array `dict[key]`.
fn array_streams(doc: &Document, dict: &Dictionary, key: &[u8]) -> Vec<Vec<u8>> {
    let Some(items) = dict
        .get(key)
        .ok()
        .and_then(|o| resolve(doc, o))
        .and_then(|o| o.as_array().ok())
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|c| match resolve(doc, c) {
            Some(Object::Stream(s)) => s
                .decompressed_content()
                .ok()
                .or_else(|| Some(s.content.clone())),
            _ => None,
        })
        .collect()
}

/// Offsets just after each `%%EOF` marker (and its end-of-line), i.e. where each revision of an
/// incrementally updated file ends (ISO 32000-1 §7.5.6). A byte search, not a parse: a marker
/// inside a stream only adds a candidate prefix that fails to load and is skipped.
pub fn revision_ends(file: &[u8]) -> Vec<usize> {
    const MARKER: &[u8] = b"%%EOF";
    let finder = memchr::memmem::Finder::new(MARKER);
    let mut ends = Vec::new();
    let mut from = 0;
    while let Some(at) = file.get(from..).and_then(|rest| finder.find(rest)) {
        let mut end = from + at + MARKER.len();
        while file.get(end).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            end += 1;
        }
        ends.push(end);
        from = end;
    }
    ends
}

/// Whether `bytes` can hold a signature that could verify: its dictionary's /ByteRange key must
/// be in the file as written (a /Contents inside a compressed object stream could never be the
/// hex string of the /ByteRange gap), so a revision without the bytes `ByteRange` has none.
/// Only a name spelled with `#` escapes would slip by, which no signer writes.
pub fn may_hold_signatures(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"ByteRange").is_some()
}

/// Loads `bytes` for its structure only: the contents of ordinary streams (images, fonts, page
/// contents) are dropped as they are read; object and cross-reference streams are kept because
/// lopdf unpacks them. Enough to find signature dictionaries, not to compare revisions.
pub fn load_structure(bytes: &[u8]) -> Option<Document> {
    fn drop_contents(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
        if let Object::Stream(stream) = object {
            let kind = stream.dict.get(b"Type").and_then(Object::as_name).ok();
            if !matches!(kind, Some(b"ObjStm" | b"XRef")) {
                stream.content = Vec::new();
            }
        }
        Some((id, object.clone()))
    }
    Document::load_mem_with_options(bytes, lopdf::LoadOptions::with_filter(drop_contents)).ok()
}

/// Loads `bytes` in full except the data of image XObjects, which is most of a scanned
/// dossier's bytes and which only the revision-by-revision comparison reads: a caller that
/// finds revisions after a signature must load the file again with [`Document::load_mem`].
pub fn load_without_image_data(bytes: &[u8]) -> lopdf::Result<Document> {
    fn drop_image_data(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
        if let Object::Stream(stream) = object
            && stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image")
        {
            stream.content = Vec::new();
        }
        Some((id, object.clone()))
    }
    Document::load_mem_with_options(bytes, lopdf::LoadOptions::with_filter(drop_image_data))
}

/// Whether anything but whitespace follows the end of some signature's /ByteRange, that is,
/// whether a later revision has to be compared with a signed one.
pub fn has_later_revisions(bytes: &[u8], doc: &Document, found: &[FoundSignature]) -> bool {
    found.iter().any(|sig| {
        let range: Option<Vec<i64>> = sig
            .dictionary
            .get(b"ByteRange")
            .ok()
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_array().ok())
            .map(|a| a.iter().filter_map(|n| n.as_i64().ok()).collect());
        let end = match range.as_deref() {
            Some([_, _, start, length]) => usize::try_from(start.saturating_add(*length)).ok(),
            _ => None,
        };
        // A missing or unreadable range is judged later; load everything for it.
        end.is_none_or(|end| {
            bytes
                .get(end..)
                .is_some_and(|rest| rest.iter().any(|b| !(b.is_ascii_whitespace() || *b == 0)))
        })
    })
}

/// The /ByteRange arrays of the signatures found in `doc`.
pub fn byte_ranges(doc: &Document, found: &[FoundSignature]) -> Vec<Vec<i64>> {
    found
        .iter()
        .filter_map(|sig| {
            sig.dictionary
                .get(b"ByteRange")
                .ok()
                .and_then(|o| resolve(doc, o))
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().filter_map(|n| n.as_i64().ok()).collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gap_must_be_exactly_one_hex_string() {
        assert_eq!(
            decode_gap(b"<3082ff00>"),
            Some(vec![0x30, 0x82, 0xff, 0x00])
        );
        assert_eq!(decode_gap(b"<>"), Some(vec![]));
        // Anything else in the gap is where a wrapping attack hides its objects.
        assert_eq!(decode_gap(b"<3082> 1 0 obj"), None);
        assert_eq!(decode_gap(b"<308>"), None);
        assert_eq!(decode_gap(b"(3082)"), None);
        assert_eq!(decode_gap(b"<30 82>"), None);
    }

    #[test]
    fn ocsp_answers_are_read_from_the_dss_and_from_vri_entries_only_once() {
        use lopdf::{Stream, dictionary};
        let mut doc = Document::with_version("1.7");
        let shared = doc.add_object(Stream::new(dictionary! {}, b"answer-1".to_vec()));
        let vri_only = doc.add_object(Stream::new(dictionary! {}, b"answer-2".to_vec()));
        let vri = dictionary! {
            "0A1B" => dictionary! { "OCSP" => vec![shared.into(), vri_only.into()] },
        };
        let dss = doc.add_object(dictionary! {
            "OCSPs" => vec![shared.into()],
            "VRI" => vri,
        });
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "DSS" => dss });
        doc.trailer.set("Root", catalog);
        assert_eq!(
            dss_ocsps(&doc),
            vec![b"answer-1".to_vec(), b"answer-2".to_vec()]
        );
    }

    #[test]
    fn only_revisions_with_byte_range_bytes_are_parsed_for_signatures() {
        assert!(may_hold_signatures(
            b"1 0 obj << /Type /Sig /ByteRange [0 1 2 3] >>"
        ));
        assert!(!may_hold_signatures(
            b"%PDF-1.7 1 0 obj << /Type /Page >> %%EOF"
        ));
    }

    #[test]
    fn revisions_end_after_each_eof_marker() {
        let file = b"%PDF-1.7\n...%%EOF\n...more%%EOF\r\n";
        assert_eq!(revision_ends(file), vec![18, 32]);
        assert!(revision_ends(b"no marker").is_empty());
    }
}
