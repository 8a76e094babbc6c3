//! Our own structural PDF/A-2b checks on an assembled file, the part of ISO 19005-2 that the
//! assembler is responsible for and that `qpdf --check` and `pdfinfo` do not look at:
//!
//! - 6.6.2.1: the catalog has a `/Metadata` stream whose XMP is well-formed XML (parsed with
//!   `quick-xml`) and carries `dc:title`, `pdf:Producer`, `xmp:CreateDate`, `xmp:ModifyDate`
//!   and, when the file claims PDF/A, `pdfaid:part` = 2 and `pdfaid:conformance` = B (6.6.4);
//! - 6.2.3: exactly one `/OutputIntents` entry with `/S /GTS_PDFA1` and a
//!   `/DestOutputProfile` ICC stream (`acsp` signature, RGB data space, `/N 3`);
//! - 6.1.3: a trailer `/ID` of two strings; no `/Encrypt` (6.1.3, 6.1.4);
//! - 6.6.1 and 6.5.1: no JavaScript anywhere: no `/JavaScript` name tree, no `/JS` entry,
//!   no action of type `/JavaScript` or `/Launch`.
//!
//! This is not a full PDF/A validator (veraPDF is); ARCHITECTURE.md lists the checks we run.

use std::path::Path;

use lopdf::{Document, Object};
use quick_xml::events::Event;

/// XMP properties every assembled file must carry (namespace prefix as we write them).
const REQUIRED_XMP: [&str; 4] = [
    "dc:title",
    "pdf:Producer",
    "xmp:CreateDate",
    "xmp:ModifyDate",
];

/// Check `path`; returns the problems found (empty when every check passes). Each problem
/// names the rule it breaks.
pub fn check_pdf_a(path: &Path) -> Result<Vec<String>, String> {
    let document = Document::load(path)
        .map_err(|e| format!("{} cannot be read as a PDF: {e}", path.display()))?;
    let mut problems = Vec::new();
    if document.trailer.get(b"Encrypt").is_ok() || document.is_encrypted() {
        problems.push("6.1.3: the file is encrypted (/Encrypt in the trailer)".to_string());
    }
    match document.trailer.get(b"ID").and_then(Object::as_array) {
        Ok(id) if id.len() == 2 && id.iter().all(|o| o.as_str().is_ok()) => {}
        _ => problems.push("6.1.3: the trailer has no /ID of two strings".to_string()),
    }
    let catalog = match document.catalog() {
        Ok(catalog) => catalog,
        Err(e) => {
            problems.push(format!("the document has no catalog: {e}"));
            return Ok(problems);
        }
    };
    check_output_intent(&document, catalog, &mut problems);
    check_xmp(&document, catalog, &mut problems);
    for (id, object) in &document.objects {
        if let Some(reason) = javascript_in(object) {
            problems.push(format!("6.6.1: object {} {} holds {reason}", id.0, id.1));
        }
    }
    Ok(problems)
}

fn check_output_intent(
    document: &Document,
    catalog: &lopdf::Dictionary,
    problems: &mut Vec<String>,
) {
    let intents = catalog
        .get(b"OutputIntents")
        .and_then(|o| document.dereference(o).map(|(_, o)| o))
        .and_then(Object::as_array);
    let Ok(intents) = intents else {
        problems.push("6.2.3: the catalog has no /OutputIntents".to_string());
        return;
    };
    let pdfa: Vec<&lopdf::Dictionary> = intents
        .iter()
        .filter_map(|o| document.dereference(o).ok()?.1.as_dict().ok())
        .filter(|d| d.get(b"S").and_then(Object::as_name).ok() == Some(b"GTS_PDFA1"))
        .collect();
    if pdfa.len() != 1 {
        problems.push(format!(
            "6.2.3: {} GTS_PDFA1 output intents, exactly one is required",
            pdfa.len()
        ));
        return;
    }
    let profile = pdfa[0]
        .get(b"DestOutputProfile")
        .and_then(Object::as_reference)
        .and_then(|id| document.get_object(id))
        .and_then(Object::as_stream);
    let Ok(profile) = profile else {
        problems.push("6.2.3: the output intent has no /DestOutputProfile stream".to_string());
        return;
    };
    let bytes = profile
        .decompressed_content()
        .unwrap_or_else(|_| profile.content.clone());
    if bytes.get(36..40) != Some(b"acsp") || bytes.get(16..20) != Some(b"RGB ") {
        problems.push("6.2.3: the output profile is not an RGB ICC profile".to_string());
    }
    if profile.dict.get(b"N").and_then(Object::as_i64).ok() != Some(3) {
        problems.push("6.2.3: the output profile's /N is not 3".to_string());
    }
}

fn check_xmp(document: &Document, catalog: &lopdf::Dictionary, problems: &mut Vec<String>) {
    let stream = catalog
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .and_then(|id| document.get_object(id))
        .and_then(Object::as_stream);
    let Ok(stream) = stream else {
        problems.push("6.6.2.1: the catalog has no /Metadata stream".to_string());
        return;
    };
    let elements = match xmp_elements(&stream.content) {
        Ok(elements) => elements,
        Err(e) => {
            problems.push(format!(
                "6.6.2.1: the XMP metadata is not well-formed XML: {e}"
            ));
            return;
        }
    };
    let value = |name: &str| {
        elements
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| text.as_str())
    };
    for name in REQUIRED_XMP {
        if value(name).is_none() {
            problems.push(format!("6.6.2.1: the XMP metadata has no {name}"));
        }
    }
    if let Some(part) = value("pdfaid:part")
        && (part != "2" || value("pdfaid:conformance") != Some("B"))
    {
        problems.push(format!(
            "6.6.4: the XMP identifies PDF/A-{part}{}, not PDF/A-2B",
            value("pdfaid:conformance").unwrap_or("?")
        ));
    }
}

/// Every element of an XMP packet with its text (concatenated over its descendants).
fn xmp_elements(xml: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut open: Vec<usize> = Vec::new();
    let mut elements: Vec<(String, String)> = Vec::new();
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(start)) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                open.push(elements.len());
                elements.push((name, String::new()));
            }
            Ok(Event::Empty(start)) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                elements.push((name, String::new()));
            }
            Ok(Event::Text(text)) => {
                let text = text.decode().map_err(|e| e.to_string())?;
                for &i in &open {
                    elements[i].1.push_str(&text);
                }
            }
            Ok(Event::End(_)) => {
                open.pop();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
        buffer.clear();
    }
    if !open.is_empty() {
        return Err("the packet ends inside an element".into());
    }
    for (_, text) in &mut elements {
        *text = text.trim().to_string();
    }
    Ok(elements)
}

/// Why `object` carries JavaScript or a launch action, if it does.
fn javascript_in(object: &Object) -> Option<&'static str> {
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &stream.dict,
        Object::Array(items) => return items.iter().find_map(javascript_in),
        _ => return None,
    };
    if dict.get(b"JS").is_ok() {
        return Some("a /JS entry");
    }
    if dict.get(b"JavaScript").is_ok() {
        return Some("a /JavaScript name tree");
    }
    match dict.get(b"S").and_then(Object::as_name) {
        Ok(b"JavaScript") => return Some("a JavaScript action"),
        Ok(b"Launch") => return Some("a Launch action (6.5.1)"),
        _ => {}
    }
    dict.iter().find_map(|(_, value)| javascript_in(value))
}
