//! Scanner and hot-folder tests: SANE's `test` backend (Debian sane-utils) through
//! `scanimage` delivers real frames from its simulated ADF; a device error is reported with
//! the pages already done; the hot folder waits until a file stops growing.

use std::io::Write;
use std::time::Duration;

use motcua::capture::scan::{ScanError, ScanMode, ScanRequest, parse_device_list};
use motcua::capture::{HotFolder, ImportOptions, ScanSource, Scanimage, import_file};

fn test_backend_request() -> ScanRequest {
    ScanRequest {
        resolution: 75,
        mode: ScanMode::Grey,
        source: Some("Automatic Document Feeder".into()),
        max_pages: None,
        extra_options: vec![("test-picture".into(), "Grid".into())],
    }
}

#[test]
fn adf_scan_streams_every_page_until_the_feeder_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let mut streamed = Vec::new();
    let mut scanner = Scanimage::new("test");
    let pages = scanner
        .scan(&test_backend_request(), dir.path(), &mut |page| {
            streamed.push(page.to_path_buf())
        })
        .unwrap();
    // The test backend's feeder holds ten sheets.
    assert_eq!(pages.len(), 10);
    assert_eq!(streamed, pages);
    let imported = import_file(&pages[0], &ImportOptions::default()).unwrap();
    assert_eq!(imported[0].dpi.map(|d| d.x.round()), Some(75.0));
    let image = imported[0]
        .to_image(&ImportOptions::default())
        .unwrap()
        .unwrap()
        .to_luma8();
    // The grid picture is black and white squares: both must be present.
    assert!(image.pixels().any(|p| p.0[0] < 50) && image.pixels().any(|p| p.0[0] > 200));
}

#[test]
fn flatbed_scan_stops_at_the_requested_page_count() {
    let dir = tempfile::tempdir().unwrap();
    let request = ScanRequest {
        source: Some("Flatbed".into()),
        max_pages: Some(1),
        mode: ScanMode::Colour,
        ..test_backend_request()
    };
    let pages = Scanimage::new("test")
        .scan(&request, dir.path(), &mut |_| {})
        .unwrap();
    assert_eq!(pages.len(), 1);
    let image = import_file(&pages[0], &ImportOptions::default()).unwrap()[0]
        .to_image(&ImportOptions::default())
        .unwrap()
        .unwrap();
    assert_eq!(image.color(), image::ColorType::Rgb8);
}

#[test]
fn device_error_is_reported_with_the_device_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut request = test_backend_request();
    request
        .extra_options
        .push(("read-return-value".into(), "SANE_STATUS_IO_ERROR".into()));
    let err = Scanimage::new("test")
        .scan(&request, dir.path(), &mut |_| {})
        .unwrap_err();
    let ScanError::Device {
        device,
        pages_done,
        message,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(device, "test");
    assert!(pages_done.is_empty());
    assert!(message.contains("I/O"), "{message}");
    assert!(err.to_string().contains("scanner test stopped"));
}

#[test]
fn missing_program_names_the_package_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let mut scanner = Scanimage {
        program: "/nonexistent/scanimage".into(),
        device: "test".into(),
    };
    let err = scanner
        .scan(&test_backend_request(), dir.path(), &mut |_| {})
        .unwrap_err();
    assert!(matches!(err, ScanError::Spawn { .. }));
    assert!(err.to_string().contains("sane-utils"));
}

#[test]
fn device_list_parsing_skips_notices() {
    let text = "Created directory: /var/lib/snmp\nairscan:e0:Office\tCanon\tMF240\teSCL network scanner\ntest:0\tNoname\tfrontend-tester\tvirtual device\n";
    let devices = parse_device_list(text);
    assert_eq!(devices.len(), 2);
    assert_eq!(devices[0].name, "airscan:e0:Office");
    assert_eq!(devices[1].kind, "virtual device");
}

#[test]
fn hot_folder_waits_until_a_file_stops_growing() {
    let dir = tempfile::tempdir().unwrap();
    let mut watcher = HotFolder::new(dir.path(), Duration::ZERO);
    let path = dir.path().join("scan-0001.jpg");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"\xFF\xD8 first half").unwrap();
    file.flush().unwrap();
    std::fs::write(dir.path().join(".scan-0002.jpg"), b"hidden").unwrap();
    std::fs::write(dir.path().join("scan-0003.jpg.part"), b"partial").unwrap();
    assert!(
        watcher.poll().unwrap().is_empty(),
        "first sight is never complete"
    );
    file.write_all(b" second half").unwrap();
    file.flush().unwrap();
    assert!(watcher.poll().unwrap().is_empty(), "still growing");
    assert_eq!(watcher.poll().unwrap(), vec![path.clone()]);
    assert!(watcher.poll().unwrap().is_empty(), "delivered once");
}

#[test]
fn hot_folder_honours_the_settle_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut watcher = HotFolder::new(dir.path(), Duration::from_millis(300));
    std::fs::write(dir.path().join("a.tif"), b"II*\0 data").unwrap();
    assert!(watcher.poll().unwrap().is_empty());
    assert!(
        watcher.poll().unwrap().is_empty(),
        "unchanged, but not for 300 ms yet"
    );
    std::thread::sleep(Duration::from_millis(350));
    assert_eq!(watcher.poll().unwrap().len(), 1);
}

/// A scanner that dies mid-batch (unplugged, backend crash): a stand-in `scanimage` writes
/// three complete pages, prints their names as `--batch-print` does, starts a fourth, and is
/// killed. The error names the device and lists the three pages, which import and assemble;
/// the half-written fourth page is not handed on.
#[test]
fn scanner_dying_mid_batch_keeps_the_finished_pages() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scans/text-bw-2pages-150.tif");
    let program = dir.path().join("scanimage");
    std::fs::write(
        &program,
        format!(
            r#"#!/bin/sh
for arg in "$@"; do
  case "$arg" in --batch=*) pattern="${{arg#--batch=}}" ;; esac
done
for n in 1 2 3; do
  page=$(printf "$pattern" "$n")
  cp "{fixture}" "$page"
  echo "$page"
done
page=$(printf "$pattern" 4)
head -c 1000 "{fixture}" > "$page"
echo "scanimage: sane_read: Error during device I/O" >&2
kill -9 $$
"#,
            fixture = fixture.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut scanner = Scanimage {
        program: program.clone(),
        device: "airscan:e0:Canon MF240".into(),
    };
    let out = dir.path().join("pages");
    let mut streamed = Vec::new();
    let err = scanner
        .scan(&test_backend_request(), &out, &mut |p| {
            streamed.push(p.to_path_buf())
        })
        .unwrap_err();
    let ScanError::Device {
        device, pages_done, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(device, "airscan:e0:Canon MF240");
    assert_eq!(pages_done.len(), 3);
    assert_eq!(&streamed, pages_done);
    assert!(
        err.to_string()
            .contains("scanner airscan:e0:Canon MF240 stopped after 3 page(s)"),
        "{err}"
    );
    // What was captured before the failure is whole and usable.
    for page in pages_done {
        assert_eq!(
            import_file(page, &ImportOptions::default()).unwrap().len(),
            2
        );
    }
    let pdf = dir.path().join("partial.pdf");
    let report =
        motcua::pdf::assemble(pages_done, &motcua::pdf::AssembleOptions::default(), &pdf).unwrap();
    assert_eq!(report.pages_written, 6);
    // The cut-short fourth file is refused by name if someone imports it by hand.
    let fourth = out.join("page-0004.tif");
    assert!(fourth.exists());
    let refused = import_file(&fourth, &ImportOptions::default()).unwrap_err();
    assert!(refused.to_string().contains("page-0004.tif"), "{refused}");
}
