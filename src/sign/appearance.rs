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

    let content = appearance_content(stamp, &font)?;
    let [_, _, width, height] = stamp.rect;
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
    form.set("Resources", resources);
    Ok(document.add_object(compressed_stream(form, content)?))
}

/// The content stream: a thin red border and the lines, left-aligned, top to bottom.
fn appearance_content(stamp: &Stamp, font: &SubsetFont) -> Result<Vec<u8>, SignError> {
    let [_, _, width, height] = stamp.rect;
    let line_width = |line: &str| font.width(line, 1.0);
    let widest = stamp
        .lines
        .iter()
        .map(|line| line_width(line))
        .fold(0.0_f32, f32::max);
    let lines = stamp.lines.len().max(1) as f32;
    let by_width = if widest > 0.0 {
        (width - 2.0 * PADDING) / widest
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
    let text_block = lines * size * LEADING;
    let mut baseline = (height + text_block) / 2.0 - size;
    for line in &stamp.lines {
        let shown = font.show(line).map_err(|e| font_error(e.to_string()))?;
        let _ = writeln!(
            content,
            "BT /F1 {size:.2} Tf {PADDING:.2} {baseline:.2} Td {} Tj ET",
            shown
        );
        baseline -= size * LEADING;
    }
    Ok(content.into_bytes())
}
