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

/// Share of a row's pixels that must be dark for the row to count as border.
const DARK_SHARE: f32 = 0.6;

/// Find the page inside a dark border. Returns `None` when there is no border to remove.
pub fn detect_border(grey: &GrayImage) -> Option<Rect> {
    let (w, h) = grey.dimensions();
    let (paper, _) = paper_and_ink_levels(grey);
    let dark = (u32::from(paper) / 2) as u8;
    let is_dark = |x: u32, y: u32| grey.get_pixel(x, y).0[0] < dark;
    let row_dark =
        |y: u32| (0..w).filter(|&x| is_dark(x, y)).count() as f32 / w as f32 >= DARK_SHARE;
    let col_dark =
        |x: u32| (0..h).filter(|&y| is_dark(x, y)).count() as f32 / h as f32 >= DARK_SHARE;
    // Never cut more than a quarter of the page from one side.
    let top = (0..h / 4).take_while(|&y| row_dark(y)).count() as u32;
    let bottom = (0..h / 4).take_while(|&i| row_dark(h - 1 - i)).count() as u32;
    let left = (0..w / 4).take_while(|&x| col_dark(x)).count() as u32;
    let right = (0..w / 4).take_while(|&i| col_dark(w - 1 - i)).count() as u32;
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
