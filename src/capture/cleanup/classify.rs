//! Page classification: colour mode (colour / greyscale / black-and-white) and blankness
//! (blank / near-blank / content).
//!
//! Colour: a page is colour when enough pixels are clearly chromatic (a red seal, a blue
//! signature), measured as max−min of the RGB channels, ignoring the faint tint of aged paper.
//! Greyscale vs black-and-white: text has mid-tones only on the edges of strokes, while
//! photographs and shaded figures have broad mid-tone areas; so mid-tone pixels farther than
//! two pixels from any ink are counted, and a page with almost none is black-and-white.
//! Blankness: the share of ink pixels (after Sauvola and despeckling) inside the page, with a
//! margin left out because scanner edges and punch holes are not content.

use image::{DynamicImage, GrayImage};

use super::binarize::INK;

/// How a page should be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourMode {
    /// Chromatic content (seals, signatures, photos): JPEG in colour.
    Colour,
    /// Shades of grey that matter (photos, shaded figures): JPEG in grey.
    Grey,
    /// Text and line art: 1 bit per pixel, CCITT Group 4.
    BlackWhite,
}

/// Whether a page carries content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blankness {
    /// No marks at all (possibly bleed-through from the other side, which binarization drops).
    Blank,
    /// A few small marks: a page number, a small stamp, a stray line.
    NearBlank,
    /// Text or pictures.
    Content,
}

/// Share of chromatic pixels above which a page is colour.
const COLOUR_SHARE: f32 = 0.0005;
/// Channel spread (max − min) that counts as chromatic; paper tint stays below it.
const CHROMA_MIN: u8 = 48;
/// Share of isolated mid-tone pixels above which a page is greyscale.
const MIDTONE_SHARE: f32 = 0.01;
/// Ink shares separating blank, near-blank and content.
const BLANK_INK_SHARE: f32 = 0.00002;
const NEAR_BLANK_INK_SHARE: f32 = 0.004;

/// Decide colour / grey / black-and-white from a downscaled page and its binarization.
pub fn detect_mode(image: &DynamicImage, grey: &GrayImage, bilevel: &GrayImage) -> ColourMode {
    if let DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) = image {
        let rgb = image.to_rgb8();
        let chromatic = rgb
            .pixels()
            .filter(|p| {
                let [r, g, b] = p.0;
                r.max(g).max(b) - r.min(g).min(b) >= CHROMA_MIN
            })
            .count();
        let pixels = (rgb.width() as usize * rgb.height() as usize).max(1);
        if chromatic as f32 / pixels as f32 > COLOUR_SHARE {
            return ColourMode::Colour;
        }
    }
    let (paper, ink) = paper_and_ink_levels(grey);
    if paper.saturating_sub(ink) < 60 {
        // No real contrast: blank or faint page, stored as bilevel.
        return ColourMode::BlackWhite;
    }
    let spread = f32::from(paper - ink);
    let low = f32::from(ink) + 0.25 * spread;
    let high = f32::from(paper) - 0.25 * spread;
    let near_ink = dilate(bilevel, 2);
    let isolated_midtones = grey
        .pixels()
        .zip(near_ink.iter())
        .filter(|(p, near)| {
            let v = f32::from(p.0[0]);
            v > low && v < high && !**near
        })
        .count();
    if isolated_midtones as f32 / grey.len().max(1) as f32 > MIDTONE_SHARE {
        ColourMode::Grey
    } else {
        ColourMode::BlackWhite
    }
}

/// Classify a binarized page; returns the class and the ink share used to decide.
pub fn detect_blank(bilevel: &GrayImage) -> (Blankness, f32) {
    let (w, h) = bilevel.dimensions();
    let (mx, my) = (w / 33, h / 33);
    let mut ink = 0usize;
    let mut total = 0usize;
    for y in my..h.saturating_sub(my) {
        for x in mx..w.saturating_sub(mx) {
            total += 1;
            if bilevel.get_pixel(x, y).0[0] == INK {
                ink += 1;
            }
        }
    }
    let share = ink as f32 / total.max(1) as f32;
    let class = if share < BLANK_INK_SHARE {
        Blankness::Blank
    } else if share < NEAR_BLANK_INK_SHARE {
        Blankness::NearBlank
    } else {
        Blankness::Content
    };
    (class, share)
}

/// Paper level (90th percentile) and ink level (0.5th percentile) of a grey page.
pub fn paper_and_ink_levels(grey: &GrayImage) -> (u8, u8) {
    let mut histogram = [0usize; 256];
    for p in grey.pixels() {
        histogram[usize::from(p.0[0])] += 1;
    }
    let total = grey.len().max(1);
    let percentile = |q: f32| -> u8 {
        let target = (q * total as f32) as usize;
        let mut seen = 0;
        for (value, count) in histogram.iter().enumerate() {
            seen += count;
            if seen > target {
                return value as u8;
            }
        }
        255
    };
    (percentile(0.90), percentile(0.005))
}

/// Mask of pixels within `radius` (Chebyshev distance) of an ink pixel.
fn dilate(bilevel: &GrayImage, radius: u32) -> Vec<bool> {
    let (w, h) = bilevel.dimensions();
    let (w, h, r) = (w as usize, h as usize, radius as usize);
    let src = bilevel.as_raw();
    let mut horizontal = vec![false; w * h];
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r).min(w - 1));
            horizontal[y * w + x] = row[x0..=x1].contains(&INK);
        }
    }
    let mut out = vec![false; w * h];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r).min(h - 1));
        for x in 0..w {
            out[y * w + x] = (y0..=y1).any(|yy| horizontal[yy * w + x]);
        }
    }
    out
}
