//! Cropping the background around a sheet: a photo-like page (a lit sheet with text lines on
//! a textured mid-grey table, noise, a soft shadow), generated here deterministically and
//! saved as a 150-dpi JPEG, is cropped to the sheet, and the PDF page keeps the sheet's
//! physical size from the DPI (the cropped pixels at 150 dpi, not the whole photo).

mod common;

use common::*;
use image::{DynamicImage, Rgb, RgbImage};
use motcua::capture::cleanup::{CleanupOptions, clean_page};
use motcua::pdf::{AssembleOptions, assemble};

/// The sheet's rectangle in the generated photo: left, top, width, height.
const SHEET: (u32, u32, u32, u32) = (260, 210, 1240, 1754);
const PHOTO: (u32, u32) = (1760, 2180);

fn photo_like_page() -> RgbImage {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 21) as i32 - 10
    };
    let (sx, sy, sw, sh) = SHEET;
    RgbImage::from_fn(PHOTO.0, PHOTO.1, |x, y| {
        let n = noise();
        let inside = x >= sx && x < sx + sw && y >= sy && y < sy + sh;
        let value = if inside {
            // Paper with lines of "words" and a light gradient from the lamp.
            let line = (y - sy) % 48 < 14 && (x - sx) > 120 && (x - sx) < sw - 120;
            let word = ((x - sx) / 37) % 5 != 4;
            if line && word && (y - sy) > 150 && (y - sy) < sh - 200 {
                40 + n
            } else {
                222 - (x as i32 / 120) + n
            }
        } else {
            // Wood-like table: stripes and noise around a mid grey, a shadow by the sheet.
            let stripe = ((y as f32 / 23.0).sin() * 14.0) as i32;
            let near_sheet = x + 25 >= sx && x < sx + sw + 25 && y + 25 >= sy && y < sy + sh + 25;
            110 + stripe + n - if near_sheet { 30 } else { 0 }
        };
        let v = value.clamp(0, 255) as u8;
        // A warm cast, as under a desk lamp.
        Rgb([
            v.saturating_add(12),
            v.saturating_add(4),
            v.saturating_sub(6),
        ])
    })
}

#[test]
fn sheet_on_a_table_is_cropped_and_keeps_its_physical_size() {
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("anh-chup.jpg");
    let mut file = std::fs::File::create(&photo).unwrap();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut file, 88);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(150));
    encoder.encode_image(&photo_like_page()).unwrap();
    drop(file);

    let image = image::open(&photo).unwrap();
    let cleaned = clean_page(&image, &CleanupOptions::default());
    let crop = cleaned.analysis.cropped.expect("the table is cropped away");
    let (sx, sy, sw, sh) = SHEET;
    // Within 1 % of the sheet's size on every side (the shadow and JPEG blur go with it).
    let tolerance = |size: u32| size / 100 + 4;
    assert!(crop.x.abs_diff(sx) <= tolerance(sw), "{crop:?}");
    assert!(crop.y.abs_diff(sy) <= tolerance(sh), "{crop:?}");
    assert!(crop.width.abs_diff(sw) <= 2 * tolerance(sw), "{crop:?}");
    assert!(crop.height.abs_diff(sh) <= 2 * tolerance(sh), "{crop:?}");
    // No table left in the cleaned page's outer rows: they are paper.
    let grey = cleaned.image.to_luma8();
    let mean_row = |y: u32| {
        (0..grey.width())
            .map(|x| u32::from(grey.get_pixel(x, y).0[0]))
            .sum::<u32>()
            / grey.width()
    };
    assert!(mean_row(2) > 190 && mean_row(grey.height() - 3) > 190);

    // In the PDF the page is the sheet at 150 dpi: A4 (210 × 297 mm), not the whole photo.
    let pdf = dir.path().join("a4.pdf");
    let options = AssembleOptions::default();
    assemble(std::slice::from_ref(&photo), &options, &pdf).unwrap();
    assert_qpdf_ok(&pdf);
    let (w, h) = page_sizes(&pdf)[0];
    let expected = (
        crop.width as f32 / 150.0 * 72.0,
        crop.height as f32 / 150.0 * 72.0,
    );
    assert!(
        (w - expected.0).abs() < 2.0 && (h - expected.1).abs() < 2.0,
        "{w}×{h} vs {expected:?}"
    );
    assert!(
        (w - 595.3).abs() < 12.0 && (h - 841.9).abs() < 12.0,
        "{w}×{h}"
    );
    // A scan of white paper is left alone (nothing darker around it).
    let plain = clean_page(
        &DynamicImage::ImageRgb8(
            image::imageops::crop_imm(&photo_like_page(), sx, sy, sw, sh).to_image(),
        ),
        &CleanupOptions::default(),
    );
    assert_eq!(plain.analysis.cropped, None);
}
