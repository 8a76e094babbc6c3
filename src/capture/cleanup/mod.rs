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
}

/// Run the cleanup pipeline on one page.
pub fn clean_page(original: &DynamicImage, options: &CleanupOptions) -> CleanedPage {
    let mut image = match options.quarter_turns % 4 {
        1 => original.rotate90(),
        2 => original.rotate180(),
        3 => original.rotate270(),
        _ => original.clone(),
    };
    let mut edited = !options.quarter_turns.is_multiple_of(4);
    let factor = ((image.width() + 650) / 1300).max(1);

    // 1. Dark border.
    let mut cropped = None;
    if options.crop_border {
        let work = downscale(&image.to_luma8(), factor);
        if let Some(r) = border::detect_border(&work) {
            let full = Rect {
                x: r.x * factor,
                y: r.y * factor,
                width: r.width * factor,
                height: r.height * factor,
            };
            image = image.crop_imm(full.x, full.y, full.width, full.height);
            cropped = Some(full);
            edited = true;
        }
    }

    // 2. Measurements on the working copy.
    let grey_full = image.to_luma8();
    let work_grey = downscale(&grey_full, factor);
    let work_bilevel = binarized(&work_grey, options.despeckle, 2);
    let mode = match options.mode {
        ModeChoice::Auto => {
            let work_colour = if factor > 1 {
                image.resize_exact(
                    work_grey.width(),
                    work_grey.height(),
                    imageops::FilterType::Triangle,
                )
            } else {
                image.clone()
            };
            classify::detect_mode(&work_colour, &work_grey, &work_bilevel)
        }
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

    // 3. Deskew at full resolution, filling corners with the paper colour.
    let mut deskewed = false;
    if let Some(angle) = skew_degrees
        && angle.abs() >= options.min_skew_degrees
        && angle.abs() < deskew::MAX_SKEW_DEGREES - 0.1
    {
        let (paper, _) = classify::paper_and_ink_levels(&grey_full);
        image = deskew::rotate(&image, -angle, paper_colour(&image, paper));
        deskewed = true;
        edited = true;
    }

    // 4. Store in the chosen mode.
    let is_grey_source = matches!(image, DynamicImage::ImageLuma8(_));
    image = match mode {
        ColourMode::Colour => DynamicImage::ImageRgb8(image.to_rgb8()),
        ColourMode::Grey => {
            edited |= !is_grey_source;
            DynamicImage::ImageLuma8(image.to_luma8())
        }
        ColourMode::BlackWhite => {
            edited = true;
            let speck = (factor * factor * 2) as usize;
            let mut grey = image.to_luma8();
            if factor > 1 {
                // At high resolution, scanner noise makes stroke edges ragged, which costs
                // Group 4 bits without adding legibility; a light Gaussian smooths it first.
                grey = image::imageops::blur(&grey, 1.2);
            }
            DynamicImage::ImageLuma8(binarized(&grey, options.despeckle, speck))
        }
    };
    CleanedPage {
        image,
        analysis: PageAnalysis {
            mode,
            skew_degrees,
            deskewed,
            blank,
            ink_share,
            cropped,
        },
        pixels_edited: edited,
    }
}

fn binarized(grey: &GrayImage, despeckle: bool, speck_area: usize) -> GrayImage {
    let mut out = sauvola(grey, SauvolaParams::for_width(grey.width()));
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
    let (w, h) = (grey.width() / factor, grey.height() / factor);
    let area = factor * factor;
    GrayImage::from_fn(w.max(1), h.max(1), |x, y| {
        let mut sum = 0u32;
        for dy in 0..factor {
            for dx in 0..factor {
                sum += u32::from(grey.get_pixel(x * factor + dx, y * factor + dy).0[0]);
            }
        }
        image::Luma([(sum / area) as u8])
    })
}

/// Mean colour of the pixels at least as bright as the paper level.
fn paper_colour(image: &DynamicImage, paper_level: u8) -> [u8; 3] {
    let rgb = image.to_rgb8();
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
