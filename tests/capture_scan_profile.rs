//! The office's scanner profile (Cài đặt → Quét): what the capture screen starts with before anything is
//! set, what a supervisor's valid settings give, and the refusal of values no scanner takes (nothing saved).

use motcua::counter::ScanProfile;
use motcua::{Desk, ErrorCode};

fn pairs(values: &[(&str, &str)]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_then_the_office_profile() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open(data.path()).unwrap();
    assert_eq!(
        desk.scan_profile().unwrap(),
        ScanProfile {
            device: None,
            resolution: 300,
            mode: "gray".into(),
            feeder: false,
            hot_folder: None,
        }
    );

    let folder = tempfile::tempdir().unwrap();
    let folder_text = folder.path().to_string_lossy().into_owned();
    let changed = desk
        .update_settings(
            &pairs(&[
                ("capture.scanner", "genesys:libusb:001:004"),
                ("capture.resolution", "200"),
                ("capture.scan-mode", "bw"),
                ("capture.feeder", "yes"),
                ("capture.hot-folder", &folder_text),
            ]),
            "user:giamsat",
        )
        .unwrap();
    assert_eq!(changed, 5);
    assert_eq!(
        desk.scan_profile().unwrap(),
        ScanProfile {
            device: Some("genesys:libusb:001:004".into()),
            resolution: 200,
            mode: "bw".into(),
            feeder: true,
            hot_folder: Some(folder_text),
        }
    );
}

#[test]
fn values_no_scanner_takes_are_refused_and_nothing_is_saved() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open(data.path()).unwrap();
    let error = desk
        .update_settings(
            &pairs(&[
                ("capture.resolution", "250"),
                ("capture.scan-mode", "sepia"),
                ("capture.feeder", "co"),
                ("capture.scanner", "test"),
            ]),
            "user:giamsat",
        )
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidSetting);
    let text = error.to_string();
    for key in ["capture.resolution", "capture.scan-mode", "capture.feeder"] {
        assert!(text.contains(key), "{key} named in: {text}");
    }
    assert_eq!(desk.scan_profile().unwrap().device, None, "nothing saved");
}
