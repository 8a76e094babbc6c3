//! Cleanup tests on the generated scans: skew within 0.3° of the angle the pages were rotated
//! by, blank / near-blank / text classification, colour-mode detection, dark-border crop,
//! Sauvola keeping every glyph and diacritic, determinism, and switching steps off.

mod common;

use common::*;
use image::{DynamicImage, GrayImage};
use motcua::capture::cleanup::binarize::{INK, SauvolaParams, sauvola};
use motcua::capture::cleanup::{
    Blankness, CleanupOptions, ColourMode, ModeChoice, clean_page, deskew,
};
use motcua::capture::{ImportOptions, import_file};

fn load(name: &str) -> DynamicImage {
    let pages = import_file(&scan(name), &ImportOptions::default()).unwrap();
    pages[0]
        .to_image(&ImportOptions::default())
        .unwrap()
        .unwrap()
}

fn load_page(name: &str, index: usize) -> DynamicImage {
    let pages = import_file(&scan(name), &ImportOptions::default()).unwrap();
    pages[index]
        .to_image(&ImportOptions::default())
        .unwrap()
        .unwrap()
}

#[test]
fn skew_is_found_within_0_3_degrees() {
    // (fixture, angle it was rotated by in make-scans.py; counter-clockwise positive)
    let cases = [
        (TEXT_SKEW_0, 0.0),
        (TEXT_SKEW_PLUS_2_5, 2.5),
        (TEXT_SKEW_MINUS_4, -4.0),
        (TEXT_SKEW_PLUS_9, 9.0),
        (TEXT_SKEW_PLUS_2_5_300, 2.5),
        (COLOUR_SKEW_MINUS_4_300, -4.0),
        (COLOUR_STAMP, -1.0),
        (TEXT_BORDER, 1.5),
    ];
    for (name, expected) in cases {
        let cleaned = clean_page(&load(name), &CleanupOptions::default());
        let found = cleaned
            .analysis
            .skew_degrees
            .unwrap_or_else(|| panic!("{name}: no skew found"));
        assert!(
            (found - expected).abs() <= 0.3,
            "{name}: found {found}°, expected {expected}°"
        );
        assert_eq!(cleaned.analysis.deskewed, expected != 0.0, "{name}");
        // After correction the lines are level.
        let again = clean_page(
            &cleaned.image,
            &CleanupOptions {
                crop_border: false,
                ..CleanupOptions::default()
            },
        );
        let residual = again.analysis.skew_degrees.unwrap();
        assert!(
            residual.abs() <= 0.3,
            "{name}: residual skew {residual}° after deskew"
        );
    }
}

#[test]
fn blank_near_blank_and_text_pages_are_told_apart() {
    let cases = [
        (load(BLANK), Blankness::Blank),
        (load(NEAR_BLANK_BLEED), Blankness::Blank),
        (load(NEAR_BLANK_PAGE_NUMBER), Blankness::NearBlank),
        (load_page(BW_TIFF_2_PAGES, 1), Blankness::NearBlank),
        (load(TEXT_SKEW_0), Blankness::Content),
        (load_page(BW_TIFF_2_PAGES, 0), Blankness::Content),
        (load(COLOUR_STAMP), Blankness::Content),
        (load(GREY_PNG), Blankness::Content),
    ];
    for (i, (image, expected)) in cases.into_iter().enumerate() {
        let analysis = clean_page(&image, &CleanupOptions::default()).analysis;
        assert_eq!(
            analysis.blank,
            Some(expected),
            "case {i}: ink share {}",
            analysis.ink_share
        );
    }
}

#[test]
fn colour_mode_is_detected_per_page() {
    let cases = [
        (COLOUR_STAMP, ColourMode::Colour),
        (COLOUR_SKEW_MINUS_4_300, ColourMode::Colour),
        (GREY_PHOTO, ColourMode::Grey),
        (TEXT_SKEW_0, ColourMode::BlackWhite),
        (TEXT_BORDER, ColourMode::BlackWhite),
        (GREY_PNG, ColourMode::BlackWhite),
        (WEBP, ColourMode::BlackWhite),
    ];
    for (name, expected) in cases {
        let analysis = clean_page(&load(name), &CleanupOptions::default()).analysis;
        assert_eq!(analysis.mode, expected, "{name}");
    }
}

#[test]
fn dark_scanner_border_is_cropped() {
    let original = load(TEXT_BORDER);
    let cleaned = clean_page(&original, &CleanupOptions::default());
    let crop = cleaned.analysis.cropped.expect("border found");
    // make-scans.py puts the sheet 0.25 in from the left and 0.18 in from the top at 150 dpi.
    assert!((37..=44).contains(&crop.x), "{crop:?}");
    assert!((27..=33).contains(&crop.y), "{crop:?}");
    assert_eq!(crop.x + crop.width, original.width());
    assert_eq!(crop.y + crop.height, original.height());
    // No dark band is left along the top and left edges.
    let grey = cleaned.image.to_luma8();
    let dark_left = (0..grey.height())
        .filter(|&y| grey.get_pixel(0, y).0[0] < 100)
        .count();
    assert!(
        dark_left < grey.height() as usize / 10,
        "{dark_left} dark pixels on the left edge"
    );
    // Pages without a border are left alone.
    assert_eq!(
        clean_page(&load(TEXT_SKEW_0), &CleanupOptions::default())
            .analysis
            .cropped,
        None
    );
}

/// Diacritics, i-dots and punctuation are the small connected components of a Vietnamese
/// page. The clean render of the page (the PNG fixture, thresholded) says where every such
/// mark is; Sauvola on the noisy, tinted, blurred, JPEG-compressed scan of the same page must
/// put ink on nearly all of them (a mark may merge with its letter after the blur, which is
/// harmless, so presence is checked rather than counted), and must not fatten strokes much.
#[test]
fn sauvola_keeps_thin_strokes_and_diacritics() {
    let noisy = load(TEXT_SKEW_0).to_luma8();
    let clean = load(GREY_PNG).to_luma8();
    let binarized = sauvola(&noisy, SauvolaParams::for_width(noisy.width()));
    let reference = GrayImage::from_fn(clean.width(), clean.height(), |x, y| {
        image::Luma([if clean.get_pixel(x, y).0[0] < 128 {
            INK
        } else {
            255
        }])
    });
    let marks: Vec<Vec<usize>> = components(&reference)
        .into_iter()
        .filter(|c| (3..=40).contains(&c.len()))
        .collect();
    assert!(
        marks.len() > 400,
        "reference has {} small marks",
        marks.len()
    );
    let out = binarized.as_raw();
    let kept = marks
        .iter()
        .filter(|mark| mark.iter().filter(|&&i| out[i] == INK).count() * 2 >= mark.len())
        .count();
    let recall = kept as f32 / marks.len() as f32;
    assert!(
        recall >= 0.99,
        "only {kept} of {} small marks survived",
        marks.len()
    );
    let ink = |image: &GrayImage| image.pixels().filter(|p| p.0[0] == INK).count() as f32;
    let fattening = ink(&binarized) / ink(&reference);
    assert!((0.8..=1.6).contains(&fattening), "ink ratio {fattening}");
}

#[test]
fn cleanup_is_deterministic_and_each_step_can_be_switched_off() {
    let image = load(TEXT_BORDER);
    let first = clean_page(&image, &CleanupOptions::default());
    let second = clean_page(&image, &CleanupOptions::default());
    assert_eq!(first.image.as_bytes(), second.image.as_bytes());
    assert_eq!(first.analysis, second.analysis);

    let nothing = CleanupOptions {
        crop_border: false,
        deskew: false,
        detect_blank: false,
        despeckle: false,
        mode: ModeChoice::Colour,
        ..CleanupOptions::default()
    };
    let untouched = clean_page(&image, &nothing);
    assert_eq!(
        untouched.image.as_bytes(),
        image.to_rgb8().as_raw().as_slice()
    );
    assert!(!untouched.pixels_edited);
    assert_eq!(untouched.analysis.skew_degrees, None);
    assert_eq!(untouched.analysis.cropped, None);
    assert_eq!(untouched.analysis.blank, None);
}

#[test]
fn rotation_by_the_detected_angle_matches_the_fixture_generator() {
    // Rotating the straight page by +2.5° must give a page whose skew reads +2.5°.
    let straight = load(TEXT_SKEW_0);
    let turned = deskew::rotate(&straight, 2.5, [255, 255, 255]);
    let analysis = clean_page(&turned, &CleanupOptions::default()).analysis;
    let found = analysis.skew_degrees.unwrap();
    assert!((found - 2.5).abs() <= 0.1, "found {found}");
}

/// Connected ink components (8-connectivity), each as its pixel indices.
fn components(bilevel: &GrayImage) -> Vec<Vec<usize>> {
    let (w, h) = (bilevel.width() as usize, bilevel.height() as usize);
    let pixels = bilevel.as_raw();
    let mut seen = vec![false; w * h];
    let mut all = Vec::new();
    for start in 0..w * h {
        if pixels[start] != INK || seen[start] {
            continue;
        }
        let mut component = Vec::new();
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(i) = stack.pop() {
            component.push(i);
            let (x, y) = ((i % w) as i64, (i / w) as i64);
            for (dx, dy) in [
                (-1, -1),
                (0, -1),
                (1, -1),
                (-1, 0),
                (1, 0),
                (-1, 1),
                (0, 1),
                (1, 1),
            ] {
                let (nx, ny) = (x + dx, y + dy);
                if nx >= 0 && ny >= 0 && nx < w as i64 && ny < h as i64 {
                    let j = ny as usize * w + nx as usize;
                    if pixels[j] == INK && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        all.push(component);
    }
    all
}

#[test]
fn quarter_turns_rotate_on_demand_and_count_as_an_edit() {
    let image = load(TEXT_SKEW_0);
    let options = CleanupOptions {
        quarter_turns: 1,
        mode: ModeChoice::Grey,
        deskew: false,
        ..CleanupOptions::default()
    };
    let turned = clean_page(&image, &options);
    assert_eq!(
        (turned.image.width(), turned.image.height()),
        (image.height(), image.width())
    );
    assert!(turned.pixels_edited);
    let upside_down = clean_page(
        &image,
        &CleanupOptions {
            quarter_turns: 2,
            ..options
        },
    );
    let (w, h) = (image.width(), image.height());
    assert_eq!(
        upside_down
            .image
            .to_luma8()
            .get_pixel(w - 1 - 100, h - 1 - 200),
        image.to_luma8().get_pixel(100, 200)
    );
    assert_eq!(ModeChoice::from_name("bw"), Some(ModeChoice::BlackWhite));
    assert_eq!(ModeChoice::from_name("sepia"), None);
}
