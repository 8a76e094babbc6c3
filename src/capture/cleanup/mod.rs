//! Page cleanup: dark-border crop, colour-mode detection, blank detection, deskew and
//! adaptive binarization, in that order, each switchable and fully deterministic (no
//! randomness, no threads whose order matters, same input → same output bytes).
//!
//! Measurements run on a working copy downscaled to about 150 dpi for speed; edits (crop,
//! rotation, binarization) are applied to the full-resolution image. The caller keeps the
//! original image, so every step can be undone.

pub mod binarize;
pub mod border;
pub mod classify;
pub mod deskew;

use std::borrow::Cow;

use image::{DynamicImage, GrayImage, imageops};

pub use border::Rect;
pub use classify::{Blankness, ColourMode};

use binarize::{SauvolaParams, sauvola};

/// Which colour mode to store pages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ModeChoice {
    /// Detect per page.
    #[default]
    Auto,
    /// Always colour.
    Colour,
    /// Always greyscale.
    Grey,
    /// Always black-and-white (binarized).
    BlackWhite,
}

impl ModeChoice {
    /// Parse the CLI spelling (`auto`, `color`, `gray`, `bw`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "auto" => Some(ModeChoice::Auto),
            "color" | "colour" => Some(ModeChoice::Colour),
            "gray" | "grey" => Some(ModeChoice::Grey),
            "bw" => Some(ModeChoice::BlackWhite),
            _ => None,
        }
    }
}

/// Which cleanup steps run. `Default` turns everything on with automatic mode.
#[derive(Debug, Clone, Copy)]
pub struct CleanupOptions {
    /// Turn the page clockwise by this many quarter turns first (the clerk's "rotate" button
    /// for a sheet fed upside down or sideways); 0 leaves it as scanned.
    pub quarter_turns: u8,
    /// Crop a dark scanner border.
    pub crop_border: bool,
    /// Detect and correct skew up to ±15°.
    pub deskew: bool,
    /// Skews smaller than this (degrees) are left alone: not visible, and correcting them
    /// would cost a JPEG passthrough.
    pub min_skew_degrees: f32,
    /// Classify blank pages (the caller decides whether to drop them).
    pub detect_blank: bool,
    /// Colour mode to store the page in.
    pub mode: ModeChoice,
    /// Remove specks when binarizing.
    pub despeckle: bool,
    /// Store colour and grey pages box-downscaled by this integer factor (1 keeps full
    /// resolution). The assembler sets it from the profile's resolution cap, so a 300-dpi
    /// page bound for 150 dpi is reduced before it is rotated: a quarter of the work.
    pub shrink_continuous_tone: u32,
    /// Store black-and-white pages at this fraction of the scan's resolution (1.0 keeps it;
    /// the compact profile caps bilevel pages at 240 dpi). The reduction is folded into the
    /// deskew rotation, so it costs no extra pass when the page is rotated anyway.
    pub bilevel_scale: f32,
}

impl Default for CleanupOptions {
    fn default() -> Self {
        CleanupOptions {
            quarter_turns: 0,
            crop_border: true,
            deskew: true,
            min_skew_degrees: 0.1,
            detect_blank: true,
            mode: ModeChoice::Auto,
            despeckle: true,
            shrink_continuous_tone: 1,
            bilevel_scale: 1.0,
        }
    }
}

/// What the analysis found, reported per page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageAnalysis {
    /// Mode the page is stored in (detected or forced).
    pub mode: ColourMode,
    /// Detected skew in degrees (counter-clockwise positive), if the page has lines of text.
    pub skew_degrees: Option<f32>,
    /// Whether the skew was corrected.
    pub deskewed: bool,
    /// Blankness class, if detection ran.
    pub blank: Option<Blankness>,
    /// Share of ink pixels on the page (the blankness measure).
    pub ink_share: f32,
    /// Crop applied in full-resolution pixels, if a border was found.
    pub cropped: Option<Rect>,
}

/// A cleaned page: the pixels to store and what was done.
#[derive(Debug, Clone)]
pub struct CleanedPage {
    /// Colour (RGB8), grey (L8) or bilevel (L8 holding only 0 and 255) pixels.
    pub image: DynamicImage,
    /// Measurements and decisions.
    pub analysis: PageAnalysis,
    /// True when any pixel was changed (crop, rotation, binarization, colour reduction).
    pub pixels_edited: bool,
    /// Original pixels per stored pixel along each axis (the resolution divisor applied by
    /// [`CleanupOptions::shrink_continuous_tone`] or [`CleanupOptions::bilevel_scale`]);
    /// 1.0 when stored at full resolution.
    pub downscaled_by: f32,
}

/// Run the cleanup pipeline on one page.
///
/// The page is converted to grey once; measurements use a copy box-downscaled to about
/// 150 dpi; only the final edits (crop, rotation, binarization) touch full-resolution pixels,
/// and a black-and-white page is rotated and binarized in grey without ever rotating colour.
pub fn clean_page(original: &DynamicImage, options: &CleanupOptions) -> CleanedPage {
    let mut image = match options.quarter_turns % 4 {
        1 => Cow::Owned(original.rotate90()),
        2 => Cow::Owned(original.rotate180()),
        3 => Cow::Owned(original.rotate270()),
        _ => Cow::Borrowed(original),
    };
    let mut edited = !options.quarter_turns.is_multiple_of(4);
    let factor = ((image.width() + 650) / 1300).max(1);
    let mut grey_full = luma(&image);
    let mut work_grey = downscale(&grey_full, factor);

    // 1. Dark border.
    let mut cropped = None;
    if options.crop_border
        && let Some(r) = border::detect_border(&work_grey)
    {
        let full = Rect {
            x: r.x * factor,
            y: r.y * factor,
            width: r.width * factor,
            height: r.height * factor,
        };
        image = Cow::Owned(image.crop_imm(full.x, full.y, full.width, full.height));
        grey_full =
            imageops::crop_imm(&grey_full, full.x, full.y, full.width, full.height).to_image();
        work_grey = downscale(&grey_full, factor);
        cropped = Some(full);
        edited = true;
    }

    // 2. Measurements on the working copy.
    let work_bilevel = binarized(&work_grey, options.despeckle, 2);
    let mode = match options.mode {
        ModeChoice::Auto => classify::detect_mode(
            classify::chromatic_share(&image, factor),
            &work_grey,
            &work_bilevel,
        ),
        ModeChoice::Colour => ColourMode::Colour,
        ModeChoice::Grey => ColourMode::Grey,
        ModeChoice::BlackWhite => ColourMode::BlackWhite,
    };
    let (blank, ink_share) = if options.detect_blank {
        let (class, share) = classify::detect_blank(&work_bilevel);
        (Some(class), share)
    } else {
        (None, 0.0)
    };
    let skew_degrees = if options.deskew {
        deskew::detect_skew(&work_bilevel)
    } else {
        None
    };

    // 3. Deskew at full resolution, filling corners with the paper colour, rotating only
    //    the samples that will be stored.
    let rotation = skew_degrees.filter(|angle| {
        angle.abs() >= options.min_skew_degrees && angle.abs() < deskew::MAX_SKEW_DEGREES - 0.1
    });
    let paper = rotation.map(|_| classify::paper_and_ink_levels(&work_grey).0);
    let turn = |image: DynamicImage, fill: [u8; 3]| match rotation {
        Some(angle) => deskew::rotate(&image, -angle, fill),
        None => image,
    };

    // 4. Store in the chosen mode.
    let full_width = grey_full.width();
    let is_grey_source = matches!(*image, DynamicImage::ImageLuma8(_));
    let shrink = match mode {
        ColourMode::BlackWhite => 1,
        _ => options.shrink_continuous_tone.max(1),
    };
    let stored = match mode {
        ColourMode::Colour => {
            let fill = paper.map_or([255; 3], |p| paper_colour(&image, p));
            let rgb = match image {
                Cow::Owned(DynamicImage::ImageRgb8(rgb)) => rgb,
                other => other.to_rgb8(),
            };
            turn(box_downscale(DynamicImage::ImageRgb8(rgb), shrink), fill)
        }
        ColourMode::Grey => {
            edited |= !is_grey_source;
            let p = paper.unwrap_or(255);
            turn(
                box_downscale(DynamicImage::ImageLuma8(grey_full), shrink),
                [p; 3],
            )
        }
        ColourMode::BlackWhite => {
            edited = true;
            let scale = if options.bilevel_scale > 0.0 && options.bilevel_scale < 0.999 {
                options.bilevel_scale
            } else {
                1.0
            };
            let p = paper.unwrap_or(255);
            let mut grey = grey_full;
            if rotation.is_some() || scale < 1.0 {
                let angle = rotation.map_or(0.0, |a| -a);
                grey = match deskew::rotate_scaled(
                    &DynamicImage::ImageLuma8(grey),
                    angle,
                    [p; 3],
                    scale,
                ) {
                    DynamicImage::ImageLuma8(grey) => grey,
                    other => other.to_luma8(),
                };
            }
            if factor > 1 {
                // At high resolution, scanner noise makes stroke edges ragged, which costs
                // Group 4 bits without adding legibility; a light smoothing evens it (done
                // after the reduction to 240 dpi, on fewer pixels).
                grey = binarize::smooth(&grey);
            }
            let speck = ((factor * factor * 2) as f32 * scale * scale)
                .round()
                .max(1.0) as usize;
            DynamicImage::ImageLuma8(binarized(&grey, options.despeckle, speck))
        }
    };
    let downscaled_by = full_width as f32 / stored.width().max(1) as f32;
    CleanedPage {
        image: stored,
        analysis: PageAnalysis {
            mode,
            skew_degrees,
            deskewed: rotation.is_some(),
            blank,
            ink_share,
            cropped,
        },
        pixels_edited: edited || rotation.is_some() || shrink > 1,
        downscaled_by,
    }
}

fn binarized(grey: &GrayImage, despeckle: bool, speck_area: usize) -> GrayImage {
    let params = SauvolaParams::for_width(grey.width());
    let mut out = sauvola(grey, params);
    if despeckle {
        binarize::despeckle(&mut out, speck_area);
    }
    out
}

/// Box-filter downscale by an integer factor (cheap and exact enough for measurements).
pub fn downscale(grey: &GrayImage, factor: u32) -> GrayImage {
    if factor <= 1 {
        return grey.clone();
    }
    let f = factor as usize;
    let (width, height) = (grey.width() as usize, grey.height() as usize);
    let (w, h) = ((width / f).max(1), (height / f).max(1));
    if width < f || height < f {
        return imageops::resize(grey, w as u32, h as u32, imageops::FilterType::Triangle);
    }
    let area = (f * f) as u32;
    let src = grey.as_raw();
    if f == 2 {
        // The usual case (300 dpi → 150 dpi), written out so it compiles to straight adds.
        let mut out = Vec::with_capacity(w * h);
        for pair in src.chunks_exact(2 * width).take(h) {
            let (top, bottom) = pair.split_at(width);
            out.extend(
                top.chunks_exact(2)
                    .zip(bottom.chunks_exact(2))
                    .take(w)
                    .map(|(t, b)| {
                        ((u32::from(t[0]) + u32::from(t[1]) + u32::from(b[0]) + u32::from(b[1]))
                            / 4) as u8
                    }),
            );
        }
        return GrayImage::from_raw(w as u32, h as u32, out)
            .unwrap_or_else(|| GrayImage::new(1, 1));
    }
    let mut sums = vec![0u32; w];
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        sums.iter_mut().for_each(|s| *s = 0);
        for row in src[y * f * width..(y + 1) * f * width].chunks_exact(width) {
            for (sum, block) in sums.iter_mut().zip(row.chunks_exact(f)) {
                *sum += block.iter().map(|&v| u32::from(v)).sum::<u32>();
            }
        }
        out.extend(sums.iter().map(|&s| (s / area) as u8));
    }
    GrayImage::from_raw(w as u32, h as u32, out).unwrap_or_else(|| GrayImage::new(1, 1))
}

/// Grey version of a page. RGB8 uses integer Rec. 709 weights (the ones `image` uses, in
/// 16-bit fixed point), several times faster than `to_luma8`'s per-pixel float conversion.
pub fn luma(image: &DynamicImage) -> GrayImage {
    match image {
        DynamicImage::ImageLuma8(grey) => grey.clone(),
        DynamicImage::ImageRgb8(rgb) => {
            let data: Vec<u8> = rgb
                .as_raw()
                .chunks_exact(3)
                .map(|p| {
                    let sum =
                        u32::from(p[0]) * 13933 + u32::from(p[1]) * 46871 + u32::from(p[2]) * 4732;
                    ((sum + 32768) >> 16) as u8
                })
                .collect();
            GrayImage::from_raw(rgb.width(), rgb.height(), data).unwrap_or_else(|| image.to_luma8())
        }
        other => other.to_luma8(),
    }
}

/// Box-filter downscale of a grey (L8) or colour (RGB8) page by an integer factor; other
/// pixel types are converted to RGB8 first. Factor 1 returns the page as it is.
pub fn box_downscale(image: DynamicImage, factor: u32) -> DynamicImage {
    if factor <= 1 {
        return image;
    }
    match image {
        DynamicImage::ImageLuma8(grey) => DynamicImage::ImageLuma8(downscale(&grey, factor)),
        other => {
            let rgb = match other {
                DynamicImage::ImageRgb8(rgb) => rgb,
                other => other.to_rgb8(),
            };
            let (width, height) = (rgb.width() as usize, rgb.height() as usize);
            let f = factor as usize;
            let (w, h) = (width / f, height / f);
            if w == 0 || h == 0 {
                return DynamicImage::ImageRgb8(rgb);
            }
            let area = (f * f) as u32;
            let src = rgb.as_raw();
            if f == 2 {
                // The usual case (300 dpi → 150 dpi), written out so it compiles to straight adds.
                let mut out = Vec::with_capacity(w * h * 3);
                for pair in src.chunks_exact(2 * width * 3).take(h) {
                    let (top, bottom) = pair.split_at(width * 3);
                    for (t, b) in top.chunks_exact(6).zip(bottom.chunks_exact(6)).take(w) {
                        for c in 0..3 {
                            let sum = u32::from(t[c])
                                + u32::from(t[c + 3])
                                + u32::from(b[c])
                                + u32::from(b[c + 3]);
                            out.push(((sum + 2) / 4) as u8);
                        }
                    }
                }
                return match image::RgbImage::from_raw(w as u32, h as u32, out) {
                    Some(small) => DynamicImage::ImageRgb8(small),
                    None => DynamicImage::ImageRgb8(rgb),
                };
            }
            let mut sums = vec![0u32; w * 3];
            let mut out = Vec::with_capacity(w * h * 3);
            for y in 0..h {
                sums.iter_mut().for_each(|s| *s = 0);
                for row in src[y * f * width * 3..(y + 1) * f * width * 3].chunks_exact(width * 3) {
                    for (sum, block) in sums.chunks_exact_mut(3).zip(row.chunks_exact(f * 3)) {
                        for pixel in block.chunks_exact(3) {
                            sum[0] += u32::from(pixel[0]);
                            sum[1] += u32::from(pixel[1]);
                            sum[2] += u32::from(pixel[2]);
                        }
                    }
                }
                out.extend(sums.iter().map(|&s| ((s + area / 2) / area) as u8));
            }
            match image::RgbImage::from_raw(w as u32, h as u32, out) {
                Some(small) => DynamicImage::ImageRgb8(small),
                None => DynamicImage::ImageRgb8(rgb),
            }
        }
    }
}

/// Mean colour of the pixels at least as bright as the paper level.
fn paper_colour(image: &DynamicImage, paper_level: u8) -> [u8; 3] {
    let DynamicImage::ImageRgb8(rgb) = image else {
        return paper_colour(&DynamicImage::ImageRgb8(image.to_rgb8()), paper_level);
    };
    let (mut sum, mut n) = ([0u64; 3], 0u64);
    for p in rgb.pixels().step_by(7) {
        let [r, g, b] = p.0;
        let luma = (u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000;
        if luma >= u32::from(paper_level) {
            sum[0] += u64::from(r);
            sum[1] += u64::from(g);
            sum[2] += u64::from(b);
            n += 1;
        }
    }
    if n == 0 {
        return [255, 255, 255];
    }
    [(sum[0] / n) as u8, (sum[1] / n) as u8, (sum[2] / n) as u8]
}
