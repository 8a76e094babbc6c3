//! Where the visible signature stamp goes when the clerk signs a dossier (issue 9, Ký số screen): one
//! placement chosen on the screen's preview — a 1-based page and the box's lower-left corner in PDF points
//! measured from the lower-left corner of that page's MediaBox (ISO 32000-1 §14.11.2, §7.9.5) — applied
//! to every document of the dossier. Documents differ (page count, page size), so the placement is fitted
//! to each one: the page is capped at the document's last page and the box is kept inside the page. The
//! box size is fixed ([`STAMP_WIDTH`] × [`STAMP_HEIGHT`]), the size the stamp's three lines are laid out for.
//!
//! Coordinates are the page's unrotated user space (the widget's /Rect space, ISO 32000-1 §12.5.2); the
//! preview draws the page unrotated for the same reason.

use std::path::{Path, PathBuf};

use lopdf::{Document, Object, ObjectId};

/// Width of the stamp box in points.
pub const STAMP_WIDTH: f32 = 230.0;
/// Height of the stamp box in points.
pub const STAMP_HEIGHT: f32 = 64.0;
/// Distance of a preset from the page's edges, in points (half an inch).
pub const STAMP_MARGIN: f32 = 36.0;

/// A page's MediaBox `[x1, y1, x2, y2]` in points, normalised so that `x1 <= x2` and `y1 <= y2`.
pub type PageBox = [f32; 4];

/// Failure to read the pages a stamp is placed on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StampError {
    #[error("không đọc được {path} để đặt khung chữ ký: {reason}; hãy ghép lại thành phần này")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path} không có trang nào để đặt khung chữ ký; hãy ghép lại thành phần này")]
    NoPages { path: PathBuf },
}

/// One of the corners the screen offers as a preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampPreset {
    BottomRight,
    BottomLeft,
    TopRight,
}

/// The clerk's choice: the page and the box's lower-left corner, relative to the page's MediaBox origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StampPlacement {
    /// 1-based page number.
    pub page: u32,
    pub x: f32,
    pub y: f32,
}

impl Default for StampPlacement {
    /// Page 1, bottom right of an A4 portrait page (where the stamp went before it could be moved).
    fn default() -> Self {
        StampPlacement {
            page: 1,
            x: 330.0,
            y: STAMP_MARGIN,
        }
    }
}

impl StampPlacement {
    /// The preset's position on a page of `width` × `height` points.
    pub fn preset(preset: StampPreset, page: u32, width: f32, height: f32) -> StampPlacement {
        let right = width - STAMP_WIDTH - STAMP_MARGIN;
        let top = height - STAMP_HEIGHT - STAMP_MARGIN;
        let (x, y) = match preset {
            StampPreset::BottomRight => (right, STAMP_MARGIN),
            StampPreset::BottomLeft => (STAMP_MARGIN, STAMP_MARGIN),
            StampPreset::TopRight => (right, top),
        };
        StampPlacement {
            page: page.max(1),
            x: x.max(0.0),
            y: y.max(0.0),
        }
    }

    /// Fits the placement to a document whose pages have the MediaBoxes `pages` (in order): returns the
    /// 1-based page (capped at the last) and the stamp's `[x, y, width, height]` in page space, the box
    /// kept inside the page (at its lower-left corner when the page is smaller than the box). `None` for a
    /// document without pages.
    pub fn fit(&self, pages: &[PageBox]) -> Option<(u32, [f32; 4])> {
        let count = u32::try_from(pages.len()).ok().filter(|&n| n > 0)?;
        let page = self.page.clamp(1, count);
        let [x1, y1, x2, y2] = *pages.get(page as usize - 1)?;
        let clamp = |value: f32, room: f32| {
            if value.is_finite() {
                value.min(room).max(0.0)
            } else {
                0.0
            }
        };
        let x = x1 + clamp(self.x, x2 - x1 - STAMP_WIDTH);
        let y = y1 + clamp(self.y, y2 - y1 - STAMP_HEIGHT);
        Some((page, [x, y, STAMP_WIDTH, STAMP_HEIGHT]))
    }
}

/// The MediaBox of every page of the PDF at `path`, in page order (inherited boxes resolved, ISO
/// 32000-1 §7.7.3.4; a page without one gets US Letter, as readers do).
pub fn page_boxes(path: &Path) -> Result<Vec<PageBox>, StampError> {
    let unreadable = |reason: String| StampError::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let document = Document::load(path).map_err(|e| unreadable(e.to_string()))?;
    let boxes: Vec<PageBox> = document
        .get_pages()
        .values()
        .map(|&id| media_box(&document, id).unwrap_or([0.0, 0.0, 612.0, 792.0]))
        .collect();
    if boxes.is_empty() {
        return Err(StampError::NoPages {
            path: path.to_path_buf(),
        });
    }
    Ok(boxes)
}

/// The page's own MediaBox or the nearest ancestor's (at most 64 levels: a /Parent loop ends there).
fn media_box(document: &Document, page: ObjectId) -> Option<PageBox> {
    let mut node = document.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(value) = node.get(b"MediaBox") {
            return rectangle(document, value);
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = document.get_dictionary(parent).ok()?;
    }
    None
}

/// A rectangle `[a b c d]` (ISO 32000-1 §7.9.5), possibly indirect, normalised to lower-left/upper-right.
fn rectangle(document: &Document, value: &Object) -> Option<PageBox> {
    let array = match value {
        Object::Reference(id) => document.get_object(*id).ok()?.as_array().ok()?,
        other => other.as_array().ok()?,
    };
    let numbers: Vec<f32> = array
        .iter()
        .map(|item| match item {
            Object::Reference(id) => document.get_object(*id).ok()?.as_float().ok(),
            other => other.as_float().ok(),
        })
        .collect::<Option<_>>()?;
    let [a, b, c, d] = <[f32; 4]>::try_from(numbers).ok()?;
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

#[cfg(test)]
mod tests {
    use super::*;

    const A4: PageBox = [0.0, 0.0, 595.0, 842.0];

    #[test]
    fn presets_sit_half_an_inch_from_the_edges() {
        let br = StampPlacement::preset(StampPreset::BottomRight, 1, 595.0, 842.0);
        assert_eq!((br.x, br.y), (595.0 - 230.0 - 36.0, 36.0));
        let bl = StampPlacement::preset(StampPreset::BottomLeft, 2, 595.0, 842.0);
        assert_eq!((bl.page, bl.x, bl.y), (2, 36.0, 36.0));
        let tr = StampPlacement::preset(StampPreset::TopRight, 1, 595.0, 842.0);
        assert_eq!((tr.x, tr.y), (329.0, 842.0 - 64.0 - 36.0));
    }

    #[test]
    fn fit_caps_the_page_and_keeps_the_box_inside() {
        let placement = StampPlacement {
            page: 5,
            x: 500.0,
            y: -20.0,
        };
        let small = [0.0, 0.0, 300.0, 400.0];
        assert_eq!(
            placement.fit(&[A4, small]),
            Some((2, [70.0, 0.0, STAMP_WIDTH, STAMP_HEIGHT]))
        );
        assert_eq!(placement.fit(&[]), None);
    }

    #[test]
    fn fit_is_relative_to_the_media_box_origin() {
        let shifted = [100.0, 200.0, 695.0, 1042.0];
        let placement = StampPlacement {
            page: 1,
            x: 10.0,
            y: 20.0,
        };
        assert_eq!(
            placement.fit(&[shifted]),
            Some((1, [110.0, 220.0, STAMP_WIDTH, STAMP_HEIGHT]))
        );
        let nan = StampPlacement {
            page: 0,
            x: f32::NAN,
            y: f32::INFINITY,
        };
        assert_eq!(
            nan.fit(&[A4]),
            Some((1, [0.0, 0.0, STAMP_WIDTH, STAMP_HEIGHT]))
        );
    }

    #[test]
    fn page_boxes_reads_inherited_and_own_boxes() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/classic.pdf");
        let boxes = page_boxes(&path).expect("fixture reads");
        assert!(!boxes.is_empty());
        for [x1, y1, x2, y2] in boxes {
            assert!(x2 > x1 && y2 > y1);
        }
        let missing = page_boxes(Path::new("/nonexistent/x.pdf")).unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/x.pdf"));
    }
}
