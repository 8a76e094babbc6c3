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

/// Share of clearly chromatic pixels in a page, sampling every `step`-th pixel of every
/// `step`-th row (the measurement grid of the downscaled working copy). Grey images have none.
pub fn chromatic_share(image: &DynamicImage, step: u32) -> f32 {
    let step = step.max(1) as usize;
    let count = |raw: &[u8], width: usize, channels: usize| {
        let (mut chromatic, mut total) = (0usize, 0usize);
        for row in raw.chunks_exact(width * channels).step_by(step) {
            for p in row.chunks_exact(channels).step_by(step) {
                let (r, g, b) = (p[0], p[1], p[2]);
                total += 1;
                if r.max(g).max(b) - r.min(g).min(b) >= CHROMA_MIN {
                    chromatic += 1;
                }
            }
        }
        chromatic as f32 / total.max(1) as f32
    };
    match image {
        DynamicImage::ImageRgb8(rgb) => count(rgb.as_raw(), rgb.width() as usize, 3),
        DynamicImage::ImageRgba8(rgba) => count(rgba.as_raw(), rgba.width() as usize, 4),
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageLuma16(_) => 0.0,
        other => {
            let rgb = other.to_rgb8();
            count(rgb.as_raw(), rgb.width() as usize, 3)
        }
    }
}

/// Decide colour / grey / black-and-white from the page's chromatic share (see
/// [`chromatic_share`]), its downscaled grey copy and that copy's binarization.
pub fn detect_mode(chromatic_share: f32, grey: &GrayImage, bilevel: &GrayImage) -> ColourMode {
    if chromatic_share > COLOUR_SHARE {
        return ColourMode::Colour;
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

/// Mask of pixels within `radius` (Chebyshev distance) of an ink pixel: running counts of
/// ink along each row, then along each column, so the cost does not grow with the radius.
fn dilate(bilevel: &GrayImage, radius: u32) -> Vec<bool> {
    let (w, h) = bilevel.dimensions();
    let (w, h, r) = (w as usize, h as usize, radius as usize);
    let src = bilevel.as_raw();
    // Horizontal: ink count in [x − r, x + r].
    let mut horizontal = vec![false; w * h];
    for (row, out) in src.chunks_exact(w).zip(horizontal.chunks_exact_mut(w)) {
        let mut count = row[..r.min(w)].iter().filter(|&&v| v == INK).count();
        for x in 0..w {
            if x + r < w && row[x + r] == INK {
                count += 1;
            }
            if x > r && row[x - r - 1] == INK {
                count -= 1;
            }
            out[x] = count > 0;
        }
    }
    // Vertical: rows of counts slid down the page.
    let mut counts = vec![0u32; w];
    for line in horizontal.chunks_exact(w).take(r.min(h)) {
        for (c, &v) in counts.iter_mut().zip(line) {
            *c += u32::from(v);
        }
    }
    let mut out = vec![false; w * h];
    for y in 0..h {
        if y + r < h {
            for (c, &v) in counts
                .iter_mut()
                .zip(&horizontal[(y + r) * w..(y + r + 1) * w])
            {
                *c += u32::from(v);
            }
        }
        if y > r {
            let gone = &horizontal[(y - r - 1) * w..(y - r) * w];
            for (c, &v) in counts.iter_mut().zip(gone) {
                *c -= u32::from(v);
            }
        }
        for (o, &c) in out[y * w..(y + 1) * w].iter_mut().zip(&counts) {
            *o = c > 0;
        }
    }
    out
}
