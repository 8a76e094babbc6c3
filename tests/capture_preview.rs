//! The capture screen's large preview through `Desk::page_preview`, on the real test scans in a real store:
//! the original as scanned (and as turned by the clerk), the cleaned page in the detected and in forced
//! colour modes, PDF pages without a raster preview, and the stored original left untouched.

mod common;

use std::sync::atomic::AtomicBool;

use common::{birth_dossier, card_applicant, scan};
use motcua::Desk;
use motcua::capture::cleanup::{ColourMode, ModeChoice};
use motcua::counter::preview::{PREVIEW_SIDE, PreviewMode};

fn open_dossier(desk: &Desk) -> String {
    birth_dossier(desk, card_applicant(desk))
}

fn decoded(preview: &motcua::counter::preview::PagePreview) -> image::DynamicImage {
    let image = image::load_from_memory(&preview.jpeg).unwrap();
    assert_eq!(
        (image.width(), image.height()),
        (preview.width, preview.height)
    );
    image
}

#[test]
fn preview_shows_the_original_and_the_cleanup_in_each_mode() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let code = open_dossier(&desk);
    let no = AtomicBool::new(false);
    let pages = desk
        .import_pages(
            &code,
            "TP1",
            &[scan(common::TEXT_SKEW_PLUS_2_5), scan(common::COLOUR_STAMP)],
            &no,
            |_| {},
        )
        .unwrap()
        .pages;
    let (text, colour) = (pages[0].id, pages[1].id);
    let stored_before = desk.capture_pages(&code).unwrap();

    // As scanned: portrait, no analysis, within the preview size.
    let original = desk
        .page_preview(text, PreviewMode::Original)
        .unwrap()
        .unwrap();
    assert!(original.analysis.is_none());
    let image = decoded(&original);
    assert!(image.height() > image.width());
    assert!(image.width().max(image.height()) <= PREVIEW_SIDE);

    // Cleaned in black and white: the skew is found and the pixels are (nearly) only black or white.
    let bw = desk
        .page_preview(text, PreviewMode::Cleaned(ModeChoice::BlackWhite))
        .unwrap()
        .unwrap();
    let analysis = bw.analysis.unwrap();
    assert_eq!(analysis.mode, ColourMode::BlackWhite);
    assert!(analysis.deskewed);
    assert!((analysis.skew_degrees.unwrap() - 2.5).abs() <= 0.3);
    let grey = decoded(&bw).to_luma8();
    let extreme = grey
        .pixels()
        .filter(|p| p.0[0] < 60 || p.0[0] > 195)
        .count();
    assert!(
        extreme as f64 > 0.97 * grey.pixels().count() as f64,
        "{extreme} of {} pixels black or white",
        grey.pixels().count()
    );
    // …and the same page forced to grey keeps mid-tones the original has.
    let forced_grey = desk
        .page_preview(text, PreviewMode::Cleaned(ModeChoice::Grey))
        .unwrap()
        .unwrap();
    assert_eq!(forced_grey.analysis.unwrap().mode, ColourMode::Grey);
    let grey = decoded(&forced_grey).to_luma8();
    let mid = grey
        .pixels()
        .filter(|p| (60..=195).contains(&p.0[0]))
        .count();
    assert!(mid > 1000, "{mid} mid-tone pixels");

    // The seal page is detected as colour in "auto".
    let auto = desk
        .page_preview(colour, PreviewMode::Cleaned(ModeChoice::Auto))
        .unwrap()
        .unwrap();
    assert_eq!(auto.analysis.unwrap().mode, ColourMode::Colour);
    assert!(matches!(decoded(&auto), image::DynamicImage::ImageRgb8(_)));

    // A page the clerk turned a quarter is previewed turned: landscape.
    desk.rotate_page(text, 1).unwrap();
    let turned = desk
        .page_preview(text, PreviewMode::Original)
        .unwrap()
        .unwrap();
    assert!(decoded(&turned).width() > decoded(&turned).height());
    let turned_clean = desk
        .page_preview(text, PreviewMode::Cleaned(ModeChoice::Auto))
        .unwrap()
        .unwrap();
    assert!(turned_clean.width > turned_clean.height);

    // Nothing stored changed but the rotation the clerk asked for.
    let stored_after = desk.capture_pages(&code).unwrap();
    assert_eq!(stored_before.len(), stored_after.len());
    for (before, after) in stored_before.iter().zip(&stored_after) {
        assert_eq!(before.blob_sha256, after.blob_sha256);
    }
}

#[test]
fn pdf_pages_have_no_raster_preview_and_unknown_pages_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let code = open_dossier(&desk);
    let no = AtomicBool::new(false);
    // A one-page PDF made by the assembler from a test scan.
    let pdf = dir.path().join("one.pdf");
    motcua::pdf::assemble(
        &[scan(common::TEXT_SKEW_0)],
        &motcua::pdf::AssembleOptions::default(),
        &pdf,
    )
    .unwrap();
    let page = desk
        .import_pages(&code, "TP1", &[pdf], &no, |_| {})
        .unwrap()
        .pages[0]
        .id;
    assert!(
        desk.page_preview(page, PreviewMode::Original)
            .unwrap()
            .is_none()
    );
    assert!(desk.page_preview(987_654, PreviewMode::Original).is_err());
    assert_eq!(
        PreviewMode::from_name("original"),
        Some(PreviewMode::Original)
    );
    assert_eq!(
        PreviewMode::from_name("bw"),
        Some(PreviewMode::Cleaned(ModeChoice::BlackWhite))
    );
    assert_eq!(PreviewMode::from_name("sepia"), None);
}
