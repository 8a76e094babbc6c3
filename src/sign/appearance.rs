//! The visible signature stamp in the Vietnamese convention ("Ký bởi", "Cơ quan", "Thời gian ký").
//!
//! The stamp is the widget's normal appearance (ISO 32000-1 §12.5.5): a form XObject with a border
//! and one text line per entry, set in Noto Sans (OFL, `assets/fonts/`). The font is embedded as a
//! subset (only the glyphs the stamp uses, cut by `subsetter`) in a Type 0 / CIDFontType2 font
//! with Identity-H encoding (§9.7) and a ToUnicode CMap (§9.10.3), so text extraction such as
//! `pdftotext` returns the Vietnamese text with its diacritics. Glyph lookup and metrics come from
//! `ttf-parser`; objects are lopdf values, serialized by lopdf.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::SignError;

/// Noto Sans Regular, SIL Open Font License 1.1 (see `assets/fonts/OFL.txt`).
const FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const FONT_NAME: &str = "NotoSans-Regular";

/// Largest font size used; smaller when the longest line would not fit the box.
const MAX_FONT_SIZE: f32 = 10.0;
/// Inner margin between the border and the text, in points.
const PADDING: f32 = 4.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;

/// Where the stamp goes and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    /// Lower-left corner and size `[x, y, width, height]` in PDF points (page space).
    pub rect: [f32; 4],
    /// Text lines, top to bottom.
    pub lines: Vec<String>,
    /// A seal or signature image (PNG bytes) drawn at the left of the box, its alpha channel
    /// kept as a soft mask (/SMask, ISO 32000-1 §11.6.5.3) so the text and page show through.
    pub seal: Option<Vec<u8>>,
}

impl Stamp {
    /// The widget's /Rect `[x1 y1 x2 y2]`.
    pub fn widget_rect(&self) -> Vec<Object> {
        let [x, y, w, h] = self.rect;
        vec![x.into(), y.into(), (x + w).into(), (y + h).into()]
    }
}

/// The stamp lines: "Ký bởi: …", "Cơ quan: …" (when known), "Thời gian ký: dd/MM/yyyy HH:mm:ss +07:00".
pub fn stamp_lines(
    signer: &str,
    organisation: Option<&str>,
    time: &chrono::DateTime<chrono::FixedOffset>,
) -> Vec<String> {
    let mut lines = vec![format!("Ký bởi: {signer}")];
    if let Some(organisation) = organisation {
        lines.push(format!("Cơ quan: {organisation}"));
    }
    lines.push(format!(
        "Thời gian ký: {}",
        time.format("%d/%m/%Y %H:%M:%S %:z")
    ));
    lines
}

fn font_error(reason: impl Into<String>) -> SignError {
    SignError::PdfWrite {
        reason: format!("visible signature font: {}", reason.into()),
    }
}

/// The glyphs of the stamp text, renumbered for the subset (new glyph id = CID).
struct GlyphSet {
    remapper: subsetter::GlyphRemapper,
    /// CID → (advance width in 1/1000 em, Unicode text it stands for).
    cids: BTreeMap<u16, (i64, String)>,
}

fn collect_glyphs(face: &ttf_parser::Face, lines: &[String]) -> GlyphSet {
    let mut remapper = subsetter::GlyphRemapper::new();
    remapper.remap(0); // .notdef stays glyph 0
    let mut cids = BTreeMap::new();
    let scale = 1000.0 / f32::from(face.units_per_em());
    for c in lines.iter().flat_map(|line| line.chars()) {
        let glyph = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        let cid = remapper.remap(glyph.0);
        let advance = f32::from(face.glyph_hor_advance(glyph).unwrap_or(0)) * scale;
        cids.entry(cid)
            .or_insert_with(|| (advance.round() as i64, c.to_string()));
    }
    GlyphSet { remapper, cids }
}

/// Subset tag (ISO 32000-1 §9.6.4): six capitals derived from the glyph set, so the same text
/// gives the same tag.
fn subset_tag(glyphs: &GlyphSet) -> String {
    let digest = super::DigestAlgorithm::Sha256.digest(
        &glyphs
            .cids
            .keys()
            .flat_map(|cid| cid.to_be_bytes())
            .chain(
                glyphs
                    .cids
                    .values()
                    .flat_map(|(_, s)| s.as_bytes().to_vec()),
            )
            .collect::<Vec<_>>(),
    );
    digest
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// A ToUnicode CMap mapping each CID to its UTF-16BE text (ISO 32000-1 §9.10.3).
fn to_unicode_cmap(glyphs: &GlyphSet) -> Vec<u8> {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<_> = glyphs.cids.iter().filter(|(cid, _)| **cid != 0).collect();
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

fn compressed_stream(dict: Dictionary, content: Vec<u8>) -> Result<Stream, SignError> {
    let mut stream = Stream::new(dict, content);
    stream
        .compress()
        .map_err(|e| font_error(format!("cannot compress a stream: {e}")))?;
    Ok(stream)
}

/// Adds the font and the appearance form XObject for `stamp` to `document` and returns the
/// XObject's id, to be used as the widget's `/AP << /N … >>`.
pub fn add_appearance(document: &mut Document, stamp: &Stamp) -> Result<ObjectId, SignError> {
    let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| font_error(e.to_string()))?;
    let glyphs = collect_glyphs(&face, &stamp.lines);
    let subset = subsetter::subset(FONT, 0, &glyphs.remapper)
        .map_err(|e| font_error(format!("cannot subset: {e}")))?;
    let base_font = format!("{}+{FONT_NAME}", subset_tag(&glyphs));
    let scale = 1000.0 / f32::from(face.units_per_em());
    let units = |v: i16| (f32::from(v) * scale).round() as i64;

    let mut file_dict = Dictionary::new();
    file_dict.set("Length1", subset.len() as i64);
    let font_file = document.add_object(compressed_stream(file_dict, subset)?);

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
    for (cid, (width, _)) in &glyphs.cids {
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

    let to_unicode = document.add_object(compressed_stream(
        Dictionary::new(),
        to_unicode_cmap(&glyphs),
    )?);
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type0".to_vec()));
    font.set("BaseFont", Object::Name(base_font.into_bytes()));
    font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    font.set("DescendantFonts", vec![Object::Reference(cid_font)]);
    font.set("ToUnicode", Object::Reference(to_unicode));
    let font = document.add_object(font);

    let [_, _, width, height] = stamp.rect;
    let seal = match &stamp.seal {
        Some(png) => Some(add_seal_image(document, png, width, height)?),
        None => None,
    };
    let content = appearance_content(stamp, &glyphs, &face, seal.as_ref().map(|s| s.placed))?;
    let mut form = Dictionary::new();
    form.set("Type", Object::Name(b"XObject".to_vec()));
    form.set("Subtype", Object::Name(b"Form".to_vec()));
    form.set(
        "BBox",
        vec![0.into(), 0.into(), width.into(), height.into()],
    );
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font));
    let mut resources = Dictionary::new();
    resources.set("Font", fonts);
    if let Some(seal) = &seal {
        let mut xobjects = Dictionary::new();
        xobjects.set("Im1", Object::Reference(seal.id));
        resources.set("XObject", xobjects);
    }
    form.set("Resources", resources);
    Ok(document.add_object(compressed_stream(form, content)?))
}

/// Largest seal image accepted, in pixels (a 2000×2000 scan of a seal is plenty).
const MAX_SEAL_PIXELS: u64 = 4_000_000;

/// The seal's image XObject and where it is drawn in the form: `[x, y, w, h]`.
struct SealImage {
    id: ObjectId,
    placed: [f32; 4],
}

fn seal_error(reason: impl std::fmt::Display) -> SignError {
    SignError::PdfStructure {
        reason: format!("the seal image cannot be used: {reason}; give a PNG file"),
    }
}

/// Decodes the PNG, stores its colour samples as a Flate RGB image and its alpha as a Flate
/// DeviceGray /SMask (ISO 32000-1 §8.9.5, §11.6.5.3), and fits it in a square at the left of
/// the box, keeping its aspect ratio.
fn add_seal_image(
    document: &mut Document,
    png: &[u8],
    width: f32,
    height: f32,
) -> Result<SealImage, SignError> {
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(png), image::ImageFormat::Png);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_SEAL_PIXELS * 4);
    reader.limits(limits);
    let (pixels_w, pixels_h) = reader.into_dimensions().map_err(seal_error)?;
    if u64::from(pixels_w) * u64::from(pixels_h) > MAX_SEAL_PIXELS {
        return Err(seal_error(format!(
            "it is {pixels_w}×{pixels_h} pixels, more than {MAX_SEAL_PIXELS}"
        )));
    }
    let decoded = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(seal_error)?
        .to_rgba8();
    let (w, h) = decoded.dimensions();
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    let mut alpha = Vec::with_capacity((w * h) as usize);
    for pixel in decoded.pixels() {
        rgb.extend_from_slice(&pixel.0[..3]);
        alpha.push(pixel.0[3]);
    }
    let image_dict = |colour_space: &[u8]| {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Image".to_vec()));
        dict.set("Width", i64::from(w));
        dict.set("Height", i64::from(h));
        dict.set("ColorSpace", Object::Name(colour_space.to_vec()));
        dict.set("BitsPerComponent", 8);
        dict
    };
    let mask = document.add_object(compressed_stream(image_dict(b"DeviceGray"), alpha)?);
    let mut colour = image_dict(b"DeviceRGB");
    colour.set("SMask", Object::Reference(mask));
    let id = document.add_object(compressed_stream(colour, rgb)?);

    let side = (height - 2.0 * PADDING).min(width / 2.0).max(1.0);
    let scale = side / (w.max(h) as f32);
    let (draw_w, draw_h) = (w as f32 * scale, h as f32 * scale);
    let x = PADDING + (side - draw_w) / 2.0;
    let y = (height - draw_h) / 2.0;
    Ok(SealImage {
        id,
        placed: [x, y, draw_w, draw_h],
    })
}

/// The content stream: a thin red border, the seal (if any) at the left, and the lines,
/// left-aligned after it, top to bottom.
fn appearance_content(
    stamp: &Stamp,
    glyphs: &GlyphSet,
    face: &ttf_parser::Face,
    seal: Option<[f32; 4]>,
) -> Result<Vec<u8>, SignError> {
    let [_, _, width, height] = stamp.rect;
    // Text starts right of the seal's square.
    let text_x = match seal {
        Some(_) => PADDING + (height - 2.0 * PADDING).min(width / 2.0).max(1.0) + PADDING,
        None => PADDING,
    };
    let cid_of = |c: char| {
        let glyph = face.glyph_index(c).map_or(0, |g| g.0);
        glyphs.remapper.get(glyph).unwrap_or(0)
    };
    let line_width = |line: &str| -> f32 {
        line.chars()
            .map(|c| glyphs.cids.get(&cid_of(c)).map_or(0.0, |(w, _)| *w as f32))
            .sum::<f32>()
            / 1000.0
    };
    let widest = stamp
        .lines
        .iter()
        .map(|line| line_width(line))
        .fold(0.0_f32, f32::max);
    let lines = stamp.lines.len().max(1) as f32;
    let by_width = if widest > 0.0 {
        (width - text_x - PADDING) / widest
    } else {
        MAX_FONT_SIZE
    };
    let by_height = (height - 2.0 * PADDING) / (lines * LEADING);
    let size = MAX_FONT_SIZE.min(by_width).min(by_height);
    if size < 3.0 {
        return Err(SignError::PdfStructure {
            reason: format!(
                "the visible signature box ({width} x {height} pt) is too small for its text"
            ),
        });
    }

    let mut content = format!(
        "q 0.75 0 0 RG 1 w 0.5 0.5 {} {} re S Q\n0.75 0 0 rg\n",
        width - 1.0,
        height - 1.0
    );
    if let Some([x, y, w, h]) = seal {
        let _ = writeln!(content, "q {w:.3} 0 0 {h:.3} {x:.3} {y:.3} cm /Im1 Do Q");
    }
    let text_block = lines * size * LEADING;
    let mut baseline = (height + text_block) / 2.0 - size;
    for line in &stamp.lines {
        let codes: Vec<u8> = line.chars().flat_map(|c| cid_of(c).to_be_bytes()).collect();
        let mut shown = Vec::new();
        lopdf::Writer::write_object(
            &mut shown,
            &Object::String(codes, StringFormat::Hexadecimal),
        )
        .map_err(|e| font_error(e.to_string()))?;
        let _ = writeln!(
            content,
            "BT /F1 {size:.2} Tf {text_x:.2} {baseline:.2} Td {} Tj ET",
            String::from_utf8_lossy(&shown)
        );
        baseline -= size * LEADING;
    }
    Ok(content.into_bytes())
}
