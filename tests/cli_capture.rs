//! `motcua assemble`, `motcua scan` and `motcua dossier add-pages` through the real binary: the per-input report (text and
//! `--json`) against the committed scan fixtures, bad inputs named while the rest of the batch
//! goes on, and scanning from SANE's `test` backend (Debian sane-utils) into a folder, then
//! assembling what was scanned. Every written PDF passes `qpdf --check`.

mod common;

use std::process::Command;

use assert_cmd::prelude::*;
use common::*;

fn motcua() -> Command {
    Command::cargo_bin("motcua").unwrap()
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn assemble_reports_every_input_and_page_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ho-so.pdf");
    let output = motcua()
        .args(["assemble", "--profile", "compact", "--json", "-o"])
        .arg(&out)
        .arg(scan(TEXT_SKEW_PLUS_2_5))
        .arg(scan(BLANK))
        .arg(scan(COLOUR_STAMP))
        .arg(scan(BW_TIFF_2_PAGES))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json_of(&output);
    let inputs = report["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 4);

    let skewed = &inputs[0]["pages"][0];
    let skew = skewed["skew_degrees"].as_f64().unwrap();
    assert!((skew.abs() - 2.5).abs() < 0.3, "skew {skew}");
    assert_eq!(skewed["deskewed"], true);
    assert_eq!(skewed["removed_as_blank"], false);
    assert!(skewed["bytes"].as_u64().unwrap() > 0);

    let blank = &inputs[1]["pages"][0];
    assert_eq!(blank["blank"], "blank");
    assert_eq!(blank["removed_as_blank"], true);

    assert_eq!(inputs[2]["pages"][0]["mode"], "color");
    assert_eq!(inputs[3]["pages"].as_array().unwrap().len(), 2);
    assert_eq!(inputs[3]["pages"][0]["mode"], "bw");
    assert_eq!(inputs[3]["pages"][0]["encoding"], "ccitt-g4");

    // 1 + 0 (blank removed) + 1 + 2 pages; the sizes reported are the file's.
    assert_eq!(report["pages_written"], 4);
    assert_eq!(
        report["output_bytes"].as_u64().unwrap(),
        std::fs::metadata(&out).unwrap().len()
    );
    assert_qpdf_ok(&out);
    assert!(pdfinfo(&out).contains("Pages:           4"));
}

#[test]
fn assemble_text_report_names_files_modes_and_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ho-so.pdf");
    let output = motcua()
        .args(["assemble", "--no-clean", "--mode", "gray", "-o"])
        .arg(&out)
        .arg(scan(TEXT_SKEW_0))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(TEXT_SKEW_0), "{stdout}");
    assert!(stdout.contains("trang 1: gray"), "{stdout}");
    assert!(stdout.contains("byte"), "{stdout}");
    assert_qpdf_ok(&out);
}

#[test]
fn forced_black_and_white_archive_uses_group_4() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bw.pdf");
    let output = motcua()
        .args([
            "assemble",
            "--profile",
            "archive",
            "--mode",
            "bw",
            "--json",
            "-o",
        ])
        .arg(&out)
        .arg(scan(TEXT_SKEW_0))
        .output()
        .unwrap();
    assert!(output.status.success());
    let report = json_of(&output);
    assert_eq!(report["inputs"][0]["pages"][0]["encoding"], "ccitt-g4");
    assert_eq!(page_images(&out)[0].0, "CCITTFaxDecode");
}

#[test]
fn bad_input_is_named_and_the_rest_is_assembled_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("trang-rong.jpg");
    std::fs::write(&empty, b"").unwrap();
    let out = dir.path().join("ho-so.pdf");
    let output = motcua()
        .args(["assemble", "-o"])
        .arg(&out)
        .arg(&empty)
        .arg(scan(TEXT_SKEW_0))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("trang-rong.jpg"), "{stderr}");
    assert_qpdf_ok(&out);
    assert!(pdfinfo(&out).contains("Pages:           1"));
}

#[test]
fn nothing_to_write_exits_2_without_an_output() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("hong.png");
    std::fs::write(&broken, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let out = dir.path().join("ho-so.pdf");
    let output = motcua()
        .args(["assemble", "-o"])
        .arg(&out)
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("hong.png"));
    assert!(!out.exists());
}

#[test]
fn scan_from_the_sane_test_adf_then_assemble() {
    let dir = tempfile::tempdir().unwrap();
    let pages_dir = dir.path().join("quet");
    let output = motcua()
        .args([
            "scan",
            "--device",
            "test",
            "--resolution",
            "75",
            "--mode",
            "gray",
            "--source",
            "adf",
            "--option",
            "test-picture=Grid",
            "-o",
        ])
        .arg(&pages_dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The test backend's feeder holds ten sheets; each completed page is printed as it arrives.
    let pages: Vec<_> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(std::path::PathBuf::from)
        .collect();
    assert_eq!(pages.len(), 10, "{pages:?}");
    assert!(
        pages
            .iter()
            .all(|p| p.is_file() && p.starts_with(&pages_dir))
    );

    let out = dir.path().join("quet.pdf");
    let output = motcua()
        .args(["assemble", "--keep-blank", "--json", "-o"])
        .arg(&out)
        .args(&pages[..3])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(json_of(&output)["pages_written"], 3);
    assert_qpdf_ok(&out);
}

#[test]
fn flatbed_scan_stops_after_the_requested_pages() {
    let dir = tempfile::tempdir().unwrap();
    motcua()
        .args([
            "scan",
            "--device",
            "test",
            "--resolution",
            "50",
            "--mode",
            "color",
            "--source",
            "flatbed",
            "--pages",
            "1",
            "-o",
        ])
        .arg(dir.path())
        .assert()
        .success();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn unknown_scanner_exits_2_with_the_device_named() {
    let dir = tempfile::tempdir().unwrap();
    let output = motcua()
        .args(["scan", "--device", "khong-co:may-quet", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("khong-co:may-quet"), "{stderr}");
}

#[test]
fn source_names_are_parsed_from_scanimage_help() {
    let help = "  Scan Mode:\n    --mode Gray|Color [Gray]\n    --source Flatbed|ADF Front|ADF Duplex [Flatbed]\n        Selects the scan source.\n";
    assert_eq!(
        motcua::capture::scan::parse_source_names(help),
        vec!["Flatbed", "ADF Front", "ADF Duplex"]
    );
    assert!(motcua::capture::scan::parse_source_names("no options").is_empty());
}

#[test]
fn compact_reencodes_an_unedited_jpeg_scanned_above_150_dpi() {
    // Regression: a straight 300-dpi colour JPEG with nothing to crop or deskew went into the
    // compact PDF as-is, several times the page budget. Compact caps colour at 150 dpi.
    let dir = tempfile::tempdir().unwrap();
    let page = image::RgbImage::from_fn(1240, 1754, |x, y| {
        let dx = x as f32 - 620.0;
        let dy = y as f32 - 877.0;
        if (dx * dx + dy * dy).sqrt() < 300.0 {
            image::Rgb([200, 30, 40])
        } else {
            image::Rgb([250, 248, 240])
        }
    });
    let input = dir.path().join("mau-300dpi.jpg");
    let mut bytes = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 95);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(300));
    encoder.encode_image(&page).unwrap();
    std::fs::write(&input, &bytes).unwrap();

    let out = dir.path().join("compact.pdf");
    let output = motcua()
        .args(["assemble", "--profile", "compact", "--json", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert!(output.status.success());
    let report = json_of(&output);
    let stored = &report["inputs"][0]["pages"][0];
    assert_eq!(stored["mode"], "color");
    assert_eq!(stored["encoding"], "jpeg", "{stored}");
    assert!(stored["bytes"].as_u64().unwrap() < bytes.len() as u64 / 2);
    // Same physical size as the scan: 1240 px at 300 dpi is 297.6 pt.
    let (width, _) = page_sizes(&out)[0];
    assert!((width - 297.6).abs() < 0.5, "{width}");
}

/// `dossier add-pages` stores pages in the dossier's document after those it has (a 2-page TIFF gives
/// two), names a missing file while storing the rest (exit 1), and refuses a document the procedure
/// does not require (exit 2, nothing stored).
#[test]
fn add_pages_stores_capture_pages_of_a_dossier_document() {
    let data = tempfile::tempdir().unwrap();
    let cli = |args: &[&str]| {
        motcua()
            .env("MOTCUA_DATA_DIR", data.path())
            .args(args)
            .output()
            .unwrap()
    };
    let catalog = format!("{}/data/catalog/sample.json", env!("CARGO_MANIFEST_DIR"));
    assert!(cli(&["catalog", "import", &catalog]).status.success());
    let created = cli(&[
        "dossier",
        "new",
        "--procedure",
        "1.001193",
        "--applicant-name",
        "Trần Thị Thử",
        "--citizen-id",
        "001090000001",
    ]);
    let code = String::from_utf8(created.stdout).unwrap().trim().to_owned();
    let add = |document: &str, files: &[&std::path::Path]| {
        let mut args = vec!["dossier".to_owned(), "add-pages".to_owned(), code.clone()];
        args.extend([document.to_owned(), "--json".to_owned()]);
        args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
        cli(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let skewed = scan(TEXT_SKEW_PLUS_2_5);

    let first = add("TP1", &[&skewed]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(json_of(&first)["pages"][0]["position"], 0);

    let missing = data.path().join("khong-co.jpg");
    let second = add("TP1", &[&missing, &scan(BW_TIFF_2_PAGES)]);
    assert_eq!(second.status.code(), Some(1));
    let report = json_of(&second);
    let positions: Vec<_> = report["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["position"].as_i64().unwrap())
        .collect();
    assert_eq!(
        positions,
        [1, 2],
        "the TIFF's two pages go after the first page"
    );
    assert_eq!(
        report["failures"][0]["path"],
        missing.to_string_lossy().as_ref()
    );
    assert!(String::from_utf8_lossy(&second.stderr).contains("khong-co.jpg"));

    let wrong = add("TP9", &[&skewed]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("TP9"));
    let after = add("TP1", &[&skewed]);
    assert_eq!(
        json_of(&after)["pages"][0]["position"],
        3,
        "nothing was stored by the refused call"
    );
}
