//! Dark scanner border detection: the black or grey band a flatbed lid or an ADF leaves
//! around a sheet that is smaller than the scan area or not aligned with it.
//!
//! From each edge inwards, rows (or columns) are border while most of their pixels are much
//! darker than the paper; the first row that is mostly paper ends the border. Text lines never
//! qualify, because even a dense line is mostly paper between the glyphs.

use image::GrayImage;

use super::classify::paper_and_ink_levels;

/// A rectangle in pixel coordinates: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// How much darker than the paper the image's outer ring must be to count as background.
const BACKGROUND_CONTRAST: u8 = 50;

/// Median grey level of the image's outermost ring (2 % of each side).
fn ring_level(grey: &GrayImage) -> u8 {
    let (w, h) = grey.dimensions();
    let (mx, my) = ((w / 50).max(1), (h / 50).max(1));
    let mut histogram = [0usize; 256];
    let mut total = 0usize;
    for (x, y, p) in grey.enumerate_pixels() {
        if x < mx || y < my || x + mx >= w || y + my >= h {
            histogram[usize::from(p.0[0])] += 1;
            total += 1;
        }
    }
    let mut seen = 0;
    for (value, count) in histogram.iter().enumerate() {
        seen += count;
        if seen * 2 >= total {
            return value as u8;
        }
    }
    255
}

/// Share of a row's pixels that must be dark for the row to count as border.
const DARK_SHARE: f32 = 0.6;

/// Find the page inside a dark border. Returns `None` when there is no border to remove.
pub fn detect_border(grey: &GrayImage) -> Option<Rect> {
    let (w, h) = grey.dimensions();
    let (paper, _) = paper_and_ink_levels(grey);
    // Scanner lids are near black; a table or a desk mat under a photographed sheet is only
    // darker than the paper. When the outermost ring of the image is clearly darker than the
    // paper, the threshold sits halfway between the two.
    let background = ring_level(grey);
    let dark = if paper.saturating_sub(background) >= BACKGROUND_CONTRAST {
        ((u32::from(paper) + u32::from(background)) / 2) as u8
    } else {
        (u32::from(paper) / 2) as u8
    };
    let is_dark = |x: u32, y: u32| grey.get_pixel(x, y).0[0] < dark;
    let row_dark =
        |y: u32| (0..w).filter(|&x| is_dark(x, y)).count() as f32 / w as f32 >= DARK_SHARE;
    let col_dark =
        |x: u32| (0..h).filter(|&y| is_dark(x, y)).count() as f32 / h as f32 >= DARK_SHARE;
    // Never cut more than 40 % of the image from one side.
    let (h4, w4) = (h * 2 / 5, w * 2 / 5);
    let top = (0..h4).take_while(|&y| row_dark(y)).count() as u32;
    let bottom = (0..h4).take_while(|&i| row_dark(h - 1 - i)).count() as u32;
    let left = (0..w4).take_while(|&x| col_dark(x)).count() as u32;
    let right = (0..w4).take_while(|&i| col_dark(w - 1 - i)).count() as u32;
    if top + bottom + left + right == 0 {
        return None;
    }
    // A few more pixels go with the border: the JPEG-blurred transition to paper.
    let pad = |n: u32| if n > 0 { n + 2 } else { 0 };
    let (top, bottom, left, right) = (pad(top), pad(bottom), pad(left), pad(right));
    Some(Rect {
        x: left,
        y: top,
        width: w.checked_sub(left + right)?,
        height: h.checked_sub(top + bottom)?,
    })
}
