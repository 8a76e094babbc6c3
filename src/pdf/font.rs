//! An embedded, subset Unicode font for the PDFs the core draws itself (signature stamps, receipts).
//!
//! Vietnamese needs glyphs outside every standard PDF encoding, so text is set in Noto Sans (SIL OFL 1.1,
//! `assets/fonts/`) embedded as a Type 0 font with a CIDFontType2 descendant and Identity-H encoding
//! (ISO 32000-1 §9.7): each character is shown as its two-byte glyph id in the subset. Only the glyphs used
//! are embedded (cut by `subsetter`), and a ToUnicode CMap (§9.10.3) maps every glyph id back to its text,
//! so `pdftotext` returns the Vietnamese with its diacritics. Glyph lookup and metrics come from
//! `ttf-parser`; objects are lopdf values.
//!
//! Use: collect every string the document will show with [`SubsetFont::new`], then [`SubsetFont::show`]
//! each string in content streams and [`SubsetFont::add_to`] once to write the font objects.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

/// Noto Sans Regular, SIL Open Font License 1.1 (see `assets/fonts/OFL.txt`).
pub const NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
/// PostScript name of [`NOTO_SANS`].
pub const NOTO_SANS_NAME: &str = "NotoSans-Regular";

/// Why a font could not be prepared or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FontError {
    /// The TrueType data does not parse (only possible with a corrupt build).
    #[error("the embedded font {name} cannot be read: {reason}; rebuild from a clean checkout")]
    Parse { name: String, reason: String },
    /// `subsetter` refused to cut the subset.
    #[error("cannot subset the font {name}: {reason}")]
    Subset { name: String, reason: String },
    /// A stream could not be compressed or a string serialised.
    #[error("cannot write the font {name}: {reason}")]
    Write { name: String, reason: String },
}

/// The glyphs a document uses, renumbered for the subset (new glyph id = CID).
pub struct SubsetFont {
    data: &'static [u8],
    name: &'static str,
    face: ttf_parser::Face<'static>,
    remapper: subsetter::GlyphRemapper,
    /// CID → (advance width in 1/1000 em, Unicode text it stands for).
    cids: BTreeMap<u16, (i64, String)>,
}

impl SubsetFont {
    /// Noto Sans Regular with the glyphs of `texts`.
    pub fn noto_sans<'t>(texts: impl IntoIterator<Item = &'t str>) -> Result<Self, FontError> {
        Self::new(NOTO_SANS, NOTO_SANS_NAME, texts)
    }

    /// A subset of the TrueType font `data` (PostScript name `name`) holding the glyphs of `texts`.
    pub fn new<'t>(
        data: &'static [u8],
        name: &'static str,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> Result<Self, FontError> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| FontError::Parse {
            name: name.to_owned(),
            reason: e.to_string(),
        })?;
        let mut remapper = subsetter::GlyphRemapper::new();
        remapper.remap(0); // .notdef stays glyph 0
        let mut cids = BTreeMap::new();
        let scale = 1000.0 / f32::from(face.units_per_em());
        for c in texts.into_iter().flat_map(str::chars) {
            let glyph = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            let cid = remapper.remap(glyph.0);
            let advance = f32::from(face.glyph_hor_advance(glyph).unwrap_or(0)) * scale;
            cids.entry(cid)
                .or_insert_with(|| (advance.round() as i64, c.to_string()));
        }
        Ok(Self {
            data,
            name,
            face,
            remapper,
            cids,
        })
    }

    fn cid_of(&self, c: char) -> u16 {
        let glyph = self.face.glyph_index(c).map_or(0, |g| g.0);
        self.remapper.get(glyph).unwrap_or(0)
    }

    /// Width of `text` at `size` points; characters not collected count as zero.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| {
                self.cids
                    .get(&self.cid_of(c))
                    .map_or(0.0, |(w, _)| *w as f32)
            })
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// `text` as a hexadecimal PDF string of CIDs, ready for a `Tj` operator.
    pub fn show(&self, text: &str) -> Result<String, FontError> {
        let codes: Vec<u8> = text
            .chars()
            .flat_map(|c| self.cid_of(c).to_be_bytes())
            .collect();
        let mut shown = Vec::new();
        lopdf::Writer::write_object(
            &mut shown,
            &Object::String(codes, StringFormat::Hexadecimal),
        )
        .map_err(|e| self.write_error(e.to_string()))?;
        Ok(String::from_utf8_lossy(&shown).into_owned())
    }

    fn write_error(&self, reason: String) -> FontError {
        FontError::Write {
            name: self.name.to_owned(),
            reason,
        }
    }

    /// Subset tag (ISO 32000-1 §9.6.4): six capitals derived from the glyph set, so the same text
    /// gives the same tag.
    fn subset_tag(&self) -> String {
        let mut hasher = Sha256::new();
        for (cid, (_, text)) in &self.cids {
            hasher.update(cid.to_be_bytes());
            hasher.update(text.as_bytes());
        }
        hasher
            .finalize()
            .iter()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect()
    }

    /// A ToUnicode CMap mapping each CID to its UTF-16BE text (ISO 32000-1 §9.10.3).
    fn to_unicode_cmap(&self) -> Vec<u8> {
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<_> = self.cids.iter().filter(|(cid, _)| **cid != 0).collect();
        for chunk in entries.chunks(100) {
            let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
            for (cid, (_, text)) in chunk {
                let utf16: String = text
                    .encode_utf16()
                    .map(|unit| format!("{unit:04X}"))
                    .collect();
                let _ = writeln!(cmap, "<{cid:04X}> <{utf16}>");
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        cmap.into_bytes()
    }

    fn compressed(&self, dict: Dictionary, content: Vec<u8>) -> Result<Stream, FontError> {
        let mut stream = Stream::new(dict, content);
        stream
            .compress()
            .map_err(|e| self.write_error(format!("cannot compress a stream: {e}")))?;
        Ok(stream)
    }

    /// Writes the Type 0 font, its descendant, descriptor, subset font file and ToUnicode CMap into
    /// `document`; returns the Type 0 font's id, for a `/Font` resource.
    pub fn add_to(&self, document: &mut Document) -> Result<ObjectId, FontError> {
        let subset =
            subsetter::subset(self.data, 0, &self.remapper).map_err(|e| FontError::Subset {
                name: self.name.to_owned(),
                reason: e.to_string(),
            })?;
        let base_font = format!("{}+{}", self.subset_tag(), self.name);
        let face = &self.face;
        let scale = 1000.0 / f32::from(face.units_per_em());
        let units = |v: i16| (f32::from(v) * scale).round() as i64;

        let mut file_dict = Dictionary::new();
        file_dict.set("Length1", subset.len() as i64);
        let font_file = document.add_object(self.compressed(file_dict, subset)?);

        let bbox = face.global_bounding_box();
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
        descriptor.set("FontName", Object::Name(base_font.clone().into_bytes()));
        descriptor.set("Flags", 32); // Nonsymbolic (§9.8.2)
        descriptor.set(
            "FontBBox",
            vec![
                units(bbox.x_min).into(),
                units(bbox.y_min).into(),
                units(bbox.x_max).into(),
                units(bbox.y_max).into(),
            ],
        );
        descriptor.set("ItalicAngle", 0);
        descriptor.set("Ascent", units(face.ascender()));
        descriptor.set("Descent", units(face.descender()));
        descriptor.set(
            "CapHeight",
            units(face.capital_height().unwrap_or(face.ascender())),
        );
        descriptor.set("StemV", 80);
        descriptor.set("FontFile2", Object::Reference(font_file));
        let descriptor = document.add_object(descriptor);

        let mut widths = Vec::new();
        for (cid, (width, _)) in &self.cids {
            widths.push(Object::Integer(i64::from(*cid)));
            widths.push(Object::Array(vec![Object::Integer(*width)]));
        }
        let mut cid_font = Dictionary::new();
        cid_font.set("Type", Object::Name(b"Font".to_vec()));
        cid_font.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
        cid_font.set("BaseFont", Object::Name(base_font.clone().into_bytes()));
        let mut system_info = Dictionary::new();
        system_info.set("Registry", Object::string_literal("Adobe"));
        system_info.set("Ordering", Object::string_literal("Identity"));
        system_info.set("Supplement", 0);
        cid_font.set("CIDSystemInfo", system_info);
        cid_font.set("FontDescriptor", Object::Reference(descriptor));
        cid_font.set("W", widths);
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
        let cid_font = document.add_object(cid_font);

        let to_unicode =
            document.add_object(self.compressed(Dictionary::new(), self.to_unicode_cmap())?);
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type0".to_vec()));
        font.set("BaseFont", Object::Name(base_font.into_bytes()));
        font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        font.set("DescendantFonts", vec![Object::Reference(cid_font)]);
        font.set("ToUnicode", Object::Reference(to_unicode));
        Ok(document.add_object(font))
    }
}
