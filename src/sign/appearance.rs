//! The visible signature stamp in the Vietnamese convention ("Ký bởi", "Cơ quan", "Thời gian ký").
//!
//! The stamp is the widget's normal appearance (ISO 32000-1 §12.5.5): a form XObject with a border
//! and one text line per entry, set in Noto Sans (OFL, `assets/fonts/`). The font is embedded as a
//! subset (only the glyphs the stamp uses, cut by `subsetter`) in a Type 0 / CIDFontType2 font
//! with Identity-H encoding (§9.7) and a ToUnicode CMap (§9.10.3), so text extraction such as
//! `pdftotext` returns the Vietnamese text with its diacritics. The font embedding is shared with the
//! receipts in [`crate::pdf::font`]; objects are lopdf values, serialized by lopdf.

use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::SignError;
use crate::pdf::font::SubsetFont;

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
    let font = SubsetFont::noto_sans(stamp.lines.iter().map(String::as_str))
        .map_err(|e| font_error(e.to_string()))?;
    let font_id = font
        .add_to(document)
        .map_err(|e| font_error(e.to_string()))?;

    let [_, _, width, height] = stamp.rect;
    let seal = match &stamp.seal {
        Some(png) => Some(add_seal_image(document, png, width, height)?),
        None => None,
    };
    let content = appearance_content(stamp, &font, seal.as_ref().map(|s| s.placed))?;
    let mut form = Dictionary::new();
    form.set("Type", Object::Name(b"XObject".to_vec()));
    form.set("Subtype", Object::Name(b"Form".to_vec()));
    form.set(
        "BBox",
        vec![0.into(), 0.into(), width.into(), height.into()],
    );
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Reference(font_id));
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
    font: &SubsetFont,
    seal: Option<[f32; 4]>,
) -> Result<Vec<u8>, SignError> {
    let [_, _, width, height] = stamp.rect;
    // Text starts right of the seal's square.
    let text_x = match seal {
        Some(_) => PADDING + (height - 2.0 * PADDING).min(width / 2.0).max(1.0) + PADDING,
        None => PADDING,
    };
    let line_width = |line: &str| font.width(line, 1.0);
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
        let shown = font.show(line).map_err(|e| font_error(e.to_string()))?;
        let _ = writeln!(
            content,
            "BT /F1 {size:.2} Tf {text_x:.2} {baseline:.2} Td {} Tj ET",
            shown
        );
        baseline -= size * LEADING;
    }
    Ok(content.into_bytes())
}
