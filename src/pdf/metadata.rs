//! Document-level metadata: the Info dictionary (ISO 32000-1, 14.3.3), the XMP metadata
//! stream (14.3.2; ISO 16684-1), and the optional PDF/A output intent (14.11.5; ISO 19005-2,
//! 6.2.3). The Info entries and their XMP counterparts carry the same values, as PDF/A
//! requires (ISO 19005-2, 6.6.3).

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Object, Stream, StringFormat};

/// Descriptive metadata written into every assembled PDF.
#[derive(Debug, Clone)]
pub struct DocumentInfo {
    /// Document title, e.g. the required document's name ("Đơn đề nghị cấp GCN").
    pub title: String,
    /// The administrative procedure, written as the subject.
    pub procedure: Option<String>,
    /// The dossier code, written as keywords.
    pub dossier_code: Option<String>,
    /// Producing software.
    pub producer: String,
    /// Creation time (also the modification time).
    pub created: DateTime<Utc>,
    /// Write the PDF/A-2b parts: an sRGB output intent (the profile in `sRGB.icc`, see
    /// `sRGB.icc.LICENSE.txt`) and, when every page was made here, the PDF/A identification
    /// in XMP. Pages copied from other PDFs may break PDF/A rules we cannot check (fonts,
    /// transparency), so a file containing them gets the output intent but no claim.
    pub pdf_a: bool,
}

impl DocumentInfo {
    /// Metadata with a title, this crate as producer and the current time.
    pub fn titled(title: impl Into<String>) -> Self {
        DocumentInfo {
            title: title.into(),
            procedure: None,
            dossier_code: None,
            producer: format!("MotCua Desk {}", env!("CARGO_PKG_VERSION")),
            created: Utc::now(),
            pdf_a: true,
        }
    }

    /// The Info dictionary.
    pub(crate) fn info_dictionary(&self) -> Dictionary {
        let date = Object::string_literal(self.created.format("D:%Y%m%d%H%M%S+00'00'").to_string());
        let mut info = Dictionary::new();
        info.set("Title", text_string(&self.title));
        info.set("Producer", text_string(&self.producer));
        info.set("Creator", text_string(&self.producer));
        if let Some(procedure) = &self.procedure {
            info.set("Subject", text_string(procedure));
        }
        if let Some(code) = &self.dossier_code {
            info.set("Keywords", text_string(code));
        }
        info.set("CreationDate", date.clone());
        info.set("ModDate", date);
        info
    }

    /// The XMP packet, uncompressed, as PDF/A wants it readable by non-PDF tools.
    /// `claim_pdf_a` adds the PDF/A-2b identification (ISO 19005-2, 6.6.4).
    pub(crate) fn xmp_stream(&self, claim_pdf_a: bool) -> Stream {
        let date = self.created.format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
        let mut description = String::new();
        description.push_str("<dc:format>application/pdf</dc:format>\n");
        description.push_str(&format!(
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
            xml_escape(&self.title)
        ));
        if let Some(procedure) = &self.procedure {
            description.push_str(&format!(
                "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
                xml_escape(procedure)
            ));
        }
        if let Some(code) = &self.dossier_code {
            description.push_str(&format!(
                "<pdf:Keywords>{}</pdf:Keywords>\n",
                xml_escape(code)
            ));
        }
        let producer = xml_escape(&self.producer);
        description.push_str(&format!("<pdf:Producer>{producer}</pdf:Producer>\n"));
        description.push_str(&format!("<xmp:CreatorTool>{producer}</xmp:CreatorTool>\n"));
        description.push_str(&format!(
            "<xmp:CreateDate>{date}</xmp:CreateDate>\n<xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
             <xmp:MetadataDate>{date}</xmp:MetadataDate>\n"
        ));
        if claim_pdf_a {
            description.push_str(
                "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n",
            );
        }
        let packet = format!(
            "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
             <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
             <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
             <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
             xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
             xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n{description}</rdf:Description>\n\
             </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
        );
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Metadata".to_vec()));
        dict.set("Subtype", Object::Name(b"XML".to_vec()));
        Stream::new(dict, packet.into_bytes()).with_compression(false)
    }
}

/// The sRGB IEC61966-2.1 profile (ICC v2) used as the PDF/A output intent.
pub const SRGB_ICC: &[u8] = include_bytes!("sRGB.icc");

/// A PDF text string (ISO 32000-1, 7.9.2.2): ASCII as a literal, anything else as UTF-16BE
/// with a byte-order mark, which is how Vietnamese titles must be stored.
pub fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        Object::string_literal(text)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
