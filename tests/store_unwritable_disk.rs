//! A full disk and a read-only data folder, for real: the CLI runs on a 512 KiB tmpfs mounted in a private
//! mount namespace (`unshare -rm`, so no real root is needed). The clerk must get the specific error code and
//! message, and nothing already stored may be lost or half-written.

use std::path::Path;
use std::process::Command;

#[test]
fn full_disk_and_read_only_folder_give_clear_errors_and_lose_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mount_point = tempfile::tempdir().unwrap();
    let output = Command::new("unshare")
        .args(["-rm", "bash"])
        .arg(root.join("tests/support/tiny-disk-scenario.sh"))
        .arg(mount_point.path())
        .arg(env!("CARGO_BIN_EXE_motcua"))
        .arg(root.join("data/catalog/sample.json"))
        .output()
        .expect("`unshare` (util-linux) is needed for this test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "scenario failed ({}): {stdout}\n{}\n(needs user namespaces: `unshare -rm true` must work)",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let line = |prefix: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} line in {stdout}"))
            .to_owned()
    };

    let full = line("full:");
    assert!(
        full.contains("exit=2") && full.contains("[disk_full]") && full.contains("đã đầy"),
        "{full}"
    );
    assert_eq!(
        line("after-full:"),
        "after-full: dossiers=1 audit=0",
        "the first dossier and the audit chain survive"
    );
    let read_only = line("read-only:");
    assert!(
        read_only.contains("exit=2") && read_only.contains("[data_dir_read_only]"),
        "{read_only}"
    );
}
