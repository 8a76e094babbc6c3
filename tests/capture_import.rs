//! Import tests on real files: every supported format, DPI from the file headers, multi-page
//! TIFF, EXIF orientation, PDFs referenced page-wise, and the bad-input cases (zero bytes,
//! truncation, garbage, decompression bomb, encrypted PDF), each naming the file.

mod common;

use common::*;
use motcua::capture::{CaptureError, Dpi, ImportOptions, PageContent, import_file, import_files};

#[test]
fn every_format_imports_with_its_resolution() {
    let cases: [(&str, usize, Option<f32>); 6] = [
        (TEXT_SKEW_0, 1, Some(150.0)),
        (COLOUR_SKEW_MINUS_4_300, 1, Some(300.0)),
        (GREY_PNG, 1, Some(150.0)),
        (BW_TIFF_2_PAGES, 2, Some(150.0)),
        (BW_BMP, 1, None),
        (WEBP, 1, None),
    ];
    for (name, pages, dpi) in cases {
        let imported = import_file(&scan(name), &ImportOptions::default()).unwrap();
        assert_eq!(imported.len(), pages, "{name}");
        for (i, page) in imported.iter().enumerate() {
            assert_eq!(page.page_in_source, i + 1);
            assert_eq!(page.dpi.map(|d| d.x.round()), dpi, "{name}");
            let image = page.to_image(&ImportOptions::default()).unwrap().unwrap();
            assert!(
                image.width() > 500 && image.height() > 800,
                "{name}: {}×{}",
                image.width(),
                image.height()
            );
        }
    }
}

#[test]
fn jpeg_without_orientation_is_kept_as_bytes_with_header_facts() {
    let pages = import_file(&scan(COLOUR_STAMP), &ImportOptions::default()).unwrap();
    let PageContent::Jpeg { length, info } = &pages[0].content else {
        panic!("not kept as JPEG")
    };
    assert_eq!(
        *length,
        std::fs::metadata(scan(COLOUR_STAMP)).unwrap().len()
    );
    assert_eq!((info.width, info.height, info.components), (1240, 1754, 3));
    assert_eq!(info.dpi, Some(Dpi { x: 150.0, y: 150.0 }));
    let grey = import_file(&scan(TEXT_SKEW_0), &ImportOptions::default()).unwrap();
    let PageContent::Jpeg { info, .. } = &grey[0].content else {
        panic!("not kept as JPEG")
    };
    assert_eq!(info.components, 1);
}

#[test]
fn bilevel_group4_tiff_decodes_to_black_text_on_white() {
    let pages = import_file(&scan(BW_TIFF_2_PAGES), &ImportOptions::default()).unwrap();
    let first = pages[0]
        .to_image(&ImportOptions::default())
        .unwrap()
        .unwrap()
        .to_luma8();
    let ink = first.pixels().filter(|p| p.0[0] == 0).count() as f32 / first.len() as f32;
    assert!(first.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
    assert!(
        ink > 0.01 && ink < 0.15,
        "ink share {ink}: photometry inverted?"
    );
}

/// A JPEG with EXIF Orientation = 6 (rotate 90° clockwise to view), as phones write: the
/// imported page must be upright (taller than wide) and decoded, not passed through.
#[test]
fn exif_orientation_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let source = image::open(scan(WEBP)).unwrap().to_rgb8();
    // Store the page lying on its side, as the phone's sensor saw it.
    let sideways = image::imageops::rotate270(&source);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&sideways)
        .unwrap();
    // Insert an APP1 Exif segment right after SOI: II*\0, IFD0 with one entry, Orientation=6.
    let mut exif = b"Exif\0\0II*\0\x08\0\0\0\x01\0".to_vec();
    exif.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
    let mut file = vec![0xFF, 0xD8, 0xFF, 0xE1];
    file.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    file.extend_from_slice(&exif);
    file.extend_from_slice(&jpeg[2..]);
    let path = dir.path().join("phone.jpg");
    std::fs::write(&path, file).unwrap();

    let pages = import_file(&path, &ImportOptions::default()).unwrap();
    let PageContent::Raster(image) = &pages[0].content else {
        panic!("rotated JPEG must be decoded")
    };
    assert!(
        image.height() > image.width(),
        "{}×{}",
        image.width(),
        image.height()
    );
    assert_eq!(
        (image.width(), image.height()),
        (source.width(), source.height())
    );
}

#[test]
fn zero_byte_truncated_and_garbage_files_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jpg");
    std::fs::write(&empty, b"").unwrap();
    let err = import_file(&empty, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, CaptureError::Empty { .. }));
    assert!(err.to_string().contains("empty.jpg"));

    for name in [TEXT_SKEW_0, GREY_PNG, BW_TIFF_2_PAGES] {
        let bytes = std::fs::read(scan(name)).unwrap();
        let truncated = dir.path().join(format!("cut-{name}"));
        std::fs::write(&truncated, &bytes[..bytes.len() * 2 / 3]).unwrap();
        let err = import_file(&truncated, &ImportOptions::default()).unwrap_err();
        assert!(
            matches!(err, CaptureError::Corrupt { .. }),
            "{name}: {err:?}"
        );
        assert!(err.to_string().contains(&format!("cut-{name}")), "{err}");
    }

    let garbage = dir.path().join("notes.txt");
    std::fs::write(&garbage, "không phải ảnh").unwrap();
    let err = import_file(&garbage, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, CaptureError::UnsupportedFormat { .. }));
    assert!(err.to_string().contains("notes.txt"));
}

#[test]
fn decompression_bomb_is_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    // A PNG whose header claims 60000×60000 grey pixels (3.6 gigapixels), followed by the
    // start of its zlib-compressed rows: the shape of a real PNG bomb, cut short.
    let path = dir.path().join("bomb.png");
    let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    png_chunk(&mut file, b"IHDR", &ihdr);
    let mut rows = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut rows, &vec![0u8; 60_001 * 64]).unwrap();
    png_chunk(&mut file, b"IDAT", &rows.finish().unwrap());
    png_chunk(&mut file, b"IEND", &[]);
    std::fs::write(&path, file).unwrap();
    let err = import_file(&path, &ImportOptions::default()).unwrap_err();
    let CaptureError::TooLarge { width, height, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*width, *height), (60_000, 60_000));
    assert!(err.to_string().contains("bomb.png"));

    // A real page over a small limit is refused the same way.
    let tight = ImportOptions {
        max_pixels: 1_000_000,
        ..ImportOptions::default()
    };
    assert!(matches!(
        import_file(&scan(TEXT_SKEW_0), &tight),
        Err(CaptureError::TooLarge { .. })
    ));
    assert!(matches!(
        import_file(&scan(GREY_PNG), &tight),
        Err(CaptureError::TooLarge { .. })
    ));
    assert!(matches!(
        import_file(&scan(BW_TIFF_2_PAGES), &tight),
        Err(CaptureError::TooLarge { .. })
    ));
}

#[test]
fn tiff_page_cap_is_enforced() {
    let options = ImportOptions {
        max_pages: 1,
        ..ImportOptions::default()
    };
    let err = import_file(&scan(BW_TIFF_2_PAGES), &options).unwrap_err();
    assert!(matches!(err, CaptureError::TooManyPages { limit: 1, .. }));
}

#[test]
fn batch_import_reports_each_file_and_continues() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    let results = import_files(
        &[scan(TEXT_SKEW_0), empty.clone(), scan(BW_TIFF_2_PAGES)],
        &ImportOptions::default(),
    );
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].1.as_ref().unwrap().len(), 1);
    assert!(results[1].1.is_err());
    assert_eq!(results[2].1.as_ref().unwrap().len(), 2);
}

#[test]
fn pdf_is_referenced_page_wise_and_encrypted_pdf_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Make a two-page PDF with our own assembler, then encrypt a copy with qpdf.
    let plain = dir.path().join("plain.pdf");
    let options = motcua::pdf::AssembleOptions {
        clean: false,
        ..Default::default()
    };
    motcua::pdf::assemble(&[scan(BW_TIFF_2_PAGES)], &options, &plain).unwrap();
    let pages = import_file(&plain, &ImportOptions::default()).unwrap();
    let numbers: Vec<_> = pages
        .iter()
        .map(|p| match p.content {
            PageContent::PdfPage { page_number } => page_number,
            _ => panic!("PDF page was rasterized"),
        })
        .collect();
    assert_eq!(numbers, [1, 2]);

    let locked = dir.path().join("locked.pdf");
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "user-pw", "owner-pw", "256", "--"])
        .arg(&plain)
        .arg(&locked)
        .status()
        .unwrap();
    assert!(status.success());
    let err = import_file(&locked, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, CaptureError::Pdf { .. }), "{err:?}");
    assert!(err.to_string().contains("locked.pdf"), "{err}");
}

fn png_chunk(file: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    file.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    file.extend_from_slice(kind);
    file.extend_from_slice(data);
    file.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A 500-page TIFF is listed without decoding its pages; each page decodes on demand.
#[test]
fn five_hundred_page_tiff_is_listed_lazily() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("500.tif");
    {
        let file = std::fs::File::create(&path).unwrap();
        let mut encoder = tiff::encoder::TiffEncoder::new(std::io::BufWriter::new(file)).unwrap();
        for page in 0..500u32 {
            let pixels: Vec<u8> = (0..64 * 64)
                .map(|i| ((i as u32 + page) % 256) as u8)
                .collect();
            encoder
                .write_image::<tiff::encoder::colortype::Gray8>(64, 64, &pixels)
                .unwrap();
        }
    }
    let pages = import_file(&path, &ImportOptions::default()).unwrap();
    assert_eq!(pages.len(), 500);
    assert!(matches!(
        pages[499].content,
        PageContent::TiffPage { index: 499, .. }
    ));
    let last = pages[499]
        .to_image(&ImportOptions::default())
        .unwrap()
        .unwrap()
        .to_luma8();
    assert_eq!(last.get_pixel(0, 0).0[0], (499 % 256) as u8);
    let capped = ImportOptions {
        max_pages: 100,
        ..ImportOptions::default()
    };
    assert!(matches!(
        import_file(&path, &capped),
        Err(CaptureError::TooManyPages { limit: 100, .. })
    ));
}

/// A folder given to the import is its scans in name order (as scanners number them): images and PDFs
/// by extension, hidden files, other files and subfolders left out, nothing reported for them.
#[test]
fn a_folder_imports_its_scans_in_name_order() {
    let data = tempfile::tempdir().unwrap();
    let desk = motcua::Desk::open(data.path()).unwrap();
    let code = common::birth_dossier(
        &desk,
        common::named_applicant("Đặng Thư Mục", "001090012377"),
    );
    let folder = tempfile::tempdir().unwrap();
    let put = |name: &str, from: &str| {
        std::fs::copy(common::scan(from), folder.path().join(name)).unwrap()
    };
    put("scan-0002.TIF", common::BW_TIFF_2_PAGES);
    put("scan-0001.jpg", common::TEXT_SKEW_0);
    put(".scan-0000.jpg", common::TEXT_SKEW_0);
    std::fs::write(folder.path().join("Thumbs.db"), b"windows").unwrap();
    std::fs::create_dir(folder.path().join("da-nhap")).unwrap();
    std::fs::copy(
        common::scan(common::COLOUR_STAMP),
        folder.path().join("da-nhap/old.jpg"),
    )
    .unwrap();

    let no = std::sync::atomic::AtomicBool::new(false);
    let outcome = desk
        .import_pages(&code, "TP1", &[folder.path().to_path_buf()], &no, |_| {})
        .unwrap();
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let sources: Vec<&str> = outcome
        .pages
        .iter()
        .map(|p| p.source_name.as_str())
        .collect();
    assert_eq!(sources, ["scan-0001.jpg", "scan-0002.TIF", "scan-0002.TIF"]);

    let missing = folder.path().join("khong-co");
    let outcome = desk
        .import_pages(&code, "TP1", std::slice::from_ref(&missing), &no, |_| {})
        .unwrap();
    assert_eq!(outcome.failures.len(), 1);
    assert_eq!(outcome.failures[0].0, missing);
}
