//! Undo for cleanup: a cleaned page keeps its original in a real blob store (SQLite + files),
//! the original comes back byte for byte (a JPEG) or pixel for pixel (a decoded page), the
//! cleaned pixels come back as stored, the steps say what was done, and the store's own check
//! finds every blob intact.

mod common;

use common::*;
use motcua::capture::cleanup::{CleanupOptions, ColourMode, ModeChoice};
use motcua::capture::kept::{cleaned, undo};
use motcua::capture::{CleanupStep, ImportOptions, clean_and_keep, import_file};
use motcua::store::Store;

#[test]
fn skewed_scan_keeps_its_original_and_can_be_undone() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let import = ImportOptions::default();
    let page = &import_file(&scan(TEXT_SKEW_PLUS_2_5), &import).unwrap()[0];
    let kept = clean_and_keep(&store, page, &CleanupOptions::default(), &import).unwrap();

    // The original is the JPEG exactly as scanned.
    assert_eq!(
        store.read_blob(&kept.original_blob).unwrap(),
        std::fs::read(scan(TEXT_SKEW_PLUS_2_5)).unwrap()
    );
    let original = undo(&store, &kept).unwrap();
    assert_eq!(
        original.to_luma8().as_raw(),
        image::open(scan(TEXT_SKEW_PLUS_2_5))
            .unwrap()
            .to_luma8()
            .as_raw()
    );
    // The steps: deskewed by about 2.5° and binarized.
    let skew = kept
        .steps
        .iter()
        .find_map(|s| match s {
            CleanupStep::Deskew(angle) => Some(*angle),
            _ => None,
        })
        .expect("a deskew step");
    assert!((skew - 2.5).abs() <= 0.3, "{skew}");
    assert!(
        kept.steps
            .contains(&CleanupStep::Mode(ColourMode::BlackWhite)),
        "{:?}",
        kept.steps
    );
    // The cleaned page differs from the original and holds only black and white.
    let cleaned_blob = kept.cleaned_blob.clone().expect("pixels were edited");
    assert_ne!(cleaned_blob, kept.original_blob);
    let clean = cleaned(&store, &kept).unwrap().to_luma8();
    assert!(clean.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
    assert_eq!(clean.dimensions(), original.to_luma8().dimensions());

    // Keeping the same page again stores nothing new; every blob checks out.
    let again = clean_and_keep(&store, page, &CleanupOptions::default(), &import).unwrap();
    assert_eq!(again, kept);
    let (count, problems) = store.check_blobs().unwrap();
    assert_eq!((count, problems.len()), (2, 0));
}

#[test]
fn unchanged_page_has_no_cleaned_copy_and_decoded_pages_keep_a_lossless_original() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let import = ImportOptions::default();
    // A colour page kept in colour with every step off: nothing changes.
    let page = &import_file(&scan(COLOUR_STAMP), &import).unwrap()[0];
    let nothing = CleanupOptions {
        crop_border: false,
        deskew: false,
        detect_blank: false,
        despeckle: false,
        mode: ModeChoice::Colour,
        ..CleanupOptions::default()
    };
    let kept = clean_and_keep(&store, page, &nothing, &import).unwrap();
    assert_eq!(kept.cleaned_blob, None);
    assert!(kept.steps.is_empty(), "{:?}", kept.steps);
    assert_eq!(
        cleaned(&store, &kept).unwrap().to_rgb8(),
        undo(&store, &kept).unwrap().to_rgb8()
    );

    // A TIFF page has no file of its own: its decoded pixels are kept as PNG, losslessly.
    let tiff = &import_file(&scan(BW_TIFF_2_PAGES), &import).unwrap()[1];
    let kept = clean_and_keep(
        &store,
        tiff,
        &CleanupOptions {
            quarter_turns: 1,
            ..CleanupOptions::default()
        },
        &import,
    )
    .unwrap();
    assert_eq!(kept.page_in_source, 2);
    assert_eq!(kept.steps[0], CleanupStep::QuarterTurns(1));
    let decoded = tiff.to_image(&import).unwrap().unwrap();
    assert_eq!(undo(&store, &kept).unwrap().to_luma8(), decoded.to_luma8());
    let turned = cleaned(&store, &kept).unwrap();
    assert_eq!(
        (turned.width(), turned.height()),
        (decoded.height(), decoded.width())
    );
}
