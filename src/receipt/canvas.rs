//! A tiny A4 page canvas for the counter's printed forms: text (regular, synthetic bold and oblique),
//! word-wrapped paragraphs, rules and filled rectangles, measured top-down in points.
//!
//! Drawing is recorded as operations first and turned into PDF content only at the end, because the
//! embedded font subset (see [`crate::pdf::font`]) must know every character before glyph ids exist.
//! Widths are measured on the full font meanwhile. Bold is fill-and-stroke text (render mode 2,
//! ISO 32000-1 §9.3.6) and oblique a skewed text matrix (§9.4.2), so a single embedded face serves
//! all styles and the text stays extractable.

use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, Stream, dictionary};

use crate::pdf::font::{FontError, NOTO_SANS, SubsetFont};

/// A4 portrait in points (ISO 216: 210 × 297 mm).
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
/// Lowest baseline before a new page is started.
const BOTTOM: f32 = 800.0;
/// Where text resumes on a continuation page.
const TOP: f32 = 60.0;

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Regular,
    Bold,
    Italic,
}

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// Pages of recorded drawing operations.
pub struct Canvas {
    face: ttf_parser::Face<'static>,
    pages: Vec<Vec<Op>>,
}

impl Canvas {
    pub fn new() -> Result<Self, FontError> {
        let face = ttf_parser::Face::parse(NOTO_SANS, 0).map_err(|e| FontError::Parse {
            name: crate::pdf::font::NOTO_SANS_NAME.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Self {
            face,
            pages: vec![Vec::new()],
        })
    }

    /// Starts a new page; following operations go there.
    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Width of `text` at `size` points, measured on the whole font.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let scale = size / f32::from(self.face.units_per_em());
        text.chars()
            .map(|c| {
                let glyph = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0)) * scale
            })
            .sum()
    }

    /// Text with its baseline at `y` (from the top of the page), starting at `x`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, style: Style, text: &str) {
        self.push(Op::Text {
            x,
            y,
            size,
            style,
            text: text.to_owned(),
        });
    }

    /// Text centred on `cx`.
    pub fn centered(&mut self, cx: f32, y: f32, size: f32, style: Style, text: &str) {
        let x = cx - self.width(text, size) / 2.0;
        self.text(x, y, size, style, text);
    }

    /// A straight rule.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.push(Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
        });
    }

    /// A black rectangle with its top-left corner at (`x`, `y`).
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.push(Op::Fill { x, y, w, h });
    }

    /// `text` broken into lines no wider than `width` (words are never split unless longer than a line).
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate, size) <= width || current.is_empty() {
                current = candidate;
            } else {
                lines.push(std::mem::take(&mut current));
                current = word.to_owned();
            }
        }
        if !current.is_empty() || lines.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// A word-wrapped paragraph whose first baseline is `y`; continuation lines start at `indent`.
    /// Breaks to a new page when the bottom margin is reached. Returns the next baseline.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(
        &mut self,
        x: f32,
        indent: f32,
        y: f32,
        right: f32,
        size: f32,
        style: Style,
        text: &str,
    ) -> f32 {
        let leading = size * 1.45;
        let mut y = y;
        let first = self.wrap(text, size, right - x);
        let (head, rest) = first
            .split_first()
            .map_or((String::new(), Vec::new()), |(h, r)| {
                (h.clone(), r.to_vec())
            });
        y = self.ensure(y, leading);
        self.text(x, y, size, style, &head);
        y += leading;
        let rest = self.wrap(&rest.join(" "), size, right - indent);
        for line in rest.iter().filter(|l| !l.is_empty()) {
            y = self.ensure(y, leading);
            self.text(indent, y, size, style, line);
            y += leading;
        }
        y
    }

    /// `y` if `needed` more points fit above the bottom margin, else the top of a new page.
    pub fn ensure(&mut self, y: f32, needed: f32) -> f32 {
        if y + needed > BOTTOM {
            self.new_page();
            TOP
        } else {
            y
        }
    }

    /// Writes the pages into a new PDF document (A4, one embedded Noto Sans subset).
    pub fn into_document(self, title: &str) -> Result<Document, FontError> {
        let font = SubsetFont::noto_sans(self.pages.iter().flatten().filter_map(|op| match op {
            Op::Text { text, .. } => Some(text.as_str()),
            _ => None,
        }))?;
        let mut doc = Document::with_version("1.7");
        let font_id = font.add_to(&mut doc)?;
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for page in &self.pages {
            let content = page_content(&font, page)?;
            let mut stream = Stream::new(Dictionary::new(), content);
            stream.compress().map_err(|e| FontError::Write {
                name: title.to_owned(),
                reason: e.to_string(),
            })?;
            let content_id = doc.add_object(stream);
            let page_id = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
                "Contents" => content_id,
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            });
            kids.push(Object::Reference(page_id));
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog_id = doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
            "Lang" => Object::string_literal("vi-VN"),
        });
        let info_id = doc.add_object(dictionary! {
            "Title" => Object::String(utf16_text(title), lopdf::StringFormat::Hexadecimal),
            "Producer" => Object::string_literal("MotCua Desk"),
        });
        doc.trailer.set("Root", catalog_id);
        doc.trailer.set("Info", info_id);
        Ok(doc)
    }
}

/// A PDF text string in UTF-16BE with its byte-order mark (ISO 32000-1 §7.9.2.2).
fn utf16_text(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

fn page_content(font: &SubsetFont, ops: &[Op]) -> Result<Vec<u8>, FontError> {
    let mut out = String::from("0 g 0 G\n");
    let flip = |y: f32| PAGE_HEIGHT - y;
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                style,
                text,
            } => {
                let (mode, skew) = match style {
                    Style::Regular => ("0 Tr".to_owned(), 0.0),
                    Style::Bold => (format!("{:.2} w 2 Tr", size * 0.03), 0.0),
                    Style::Italic => ("0 Tr".to_owned(), 0.2),
                };
                let _ = writeln!(
                    out,
                    "BT {mode} /F1 {size:.2} Tf 1 0 {skew:.2} 1 {x:.2} {:.2} Tm {} Tj ET",
                    flip(*y),
                    font.show(text)?
                );
            }
            Op::Line {
                x1,
                y1,
                x2,
                y2,
                width,
            } => {
                let _ = writeln!(
                    out,
                    "{width:.2} w {x1:.2} {:.2} m {x2:.2} {:.2} l S",
                    flip(*y1),
                    flip(*y2)
                );
            }
            Op::Fill { x, y, w, h } => {
                let _ = writeln!(out, "{x:.3} {:.3} {w:.3} {h:.3} re f", flip(*y + *h));
            }
        }
    }
    Ok(out.into_bytes())
}
