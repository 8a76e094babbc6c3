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
