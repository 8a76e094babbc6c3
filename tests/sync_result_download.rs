//! Downloading a result PDF when the disk refuses it or the portal cannot give it (issue 7, "bad input:
//! the disk full while downloading a result"): the job and the dossier are not lost, no partial file is
//! left, the reason is kept in the database and shown by `motcua queue list`, and the next poll downloads it.
//!
//! The full disk is real and needs no root: `motcua queue run --once` runs as a child process whose file
//! size limit (`prlimit --fsize`, RLIMIT_FSIZE) is below the result's size but above the database's, with
//! SIGXFSZ ignored (a shell `trap ""` survives `exec`), so the kernel refuses the blob's write with EFBIG
//! exactly as a full disk refuses it with ENOSPC. A second test fills a real disk: the blob store is a
//! 64 KiB tmpfs in a private mount namespace (`unshare -rm`, as `tests/store_unwritable_disk.rs` does).

mod sync_support;

use motcua::dossier::Status;
use motcua::store::JobState;
use std::path::Path;
use std::process::Command;
use sync_support::*;

/// The child's file size limit: above the database and its WAL (a few MB at most here), below the result.
const FSIZE_LIMIT: u64 = 6_000_000;
const RESULT_SIZE: usize = 8_000_000;

/// Every file under `dir` whose name says it is an unfinished atomic write.
fn temp_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(".motcua-") || n.ends_with(".tmp"))
            {
                found.push(path);
            }
        }
    }
    found
}

fn queue_list(office_dir: &Path, json: bool) -> String {
    let mut cmd = Command::new(MOTCUA_BIN);
    cmd.arg("--data-dir")
        .arg(office_dir)
        .args(["queue", "list"]);
    if json {
        cmd.arg("--json");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn result_error(office_dir: &Path) -> serde_json::Value {
    let list: serde_json::Value = serde_json::from_str(&queue_list(office_dir, true)).unwrap();
    list[0]["result_error"].clone()
}

/// A dossier submitted, accepted, then returned by the back office with a signed result PDF of
/// `RESULT_SIZE` bytes that the client has not downloaded yet.
struct Returned {
    tmp: tempfile::TempDir,
    portal_dir: std::path::PathBuf,
    portal: Portal,
    office_dir: std::path::PathBuf,
    desk: motcua::Desk,
    token: String,
    code: String,
    result: Vec<u8>,
}

fn returned_dossier() -> Returned {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let token = token(&portal_dir, false);
    let portal = Portal::start(&portal_dir, 0, &[]);
    let office_dir = tmp.path().join("office");
    let desk = office(&office_dir, &portal.url, &[]);
    let (code, _) = signed_dossier(&desk, 0, 20_000, false);
    let (report, events) = run_once(&desk, &token);
    assert_eq!(report.accepted, 1, "{events:?}");

    // Back office: the dossier is done, with a result PDF larger than the client may write.
    let result = signed_pdf(RESULT_SIZE, 4242);
    let result_file = tmp.path().join("ket-qua.pdf");
    std::fs::write(&result_file, &result).unwrap();
    portal_cli(
        &portal_dir,
        &[
            "status",
            "set",
            &code,
            "10",
            "--result",
            result_file.to_str().unwrap(),
        ],
    );
    Returned {
        tmp,
        portal_dir,
        portal,
        office_dir,
        desk,
        token,
        code,
        result,
    }
}

/// The next poll downloads the result byte for byte and forgets the failure.
fn downloaded_by_the_next_poll(desk: &motcua::Desk, token: &str, code: &str, result: &[u8]) {
    let (_, events) = run_once(desk, token);
    let sha = desk
        .with_store(|s| s.portal_dossier(code))
        .unwrap()
        .unwrap()
        .result_sha256
        .unwrap_or_else(|| panic!("downloaded: {events:?}"));
    assert_eq!(desk.with_store(|s| s.read_blob(&sha)).unwrap(), result);
    assert_eq!(desk.with_store(|s| s.result_failure(code)).unwrap(), None);
}

#[test]
fn a_result_refused_by_the_disk_or_the_portal_keeps_its_reason_and_comes_later() {
    let Returned {
        tmp,
        portal_dir,
        portal,
        office_dir,
        desk,
        token,
        code,
        result,
    } = returned_dossier();
    let db_size = |name: &str| {
        std::fs::metadata(office_dir.join(name))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    assert!(
        db_size("motcua.sqlite3") < FSIZE_LIMIT / 2
            && db_size("motcua.sqlite3-wal") < FSIZE_LIMIT / 2,
        "the limit must only bite on the result"
    );

    // 1. The disk refuses the result (EFBIG under the file size limit).
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; exec prlimit --fsize=\"$1\" -- \"$2\" --data-dir \"$3\" queue run --once")
        .arg("sh")
        .arg(FSIZE_LIMIT.to_string())
        .arg(MOTCUA_BIN)
        .arg(&office_dir)
        .env(TOKEN_VAR, &token)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "queue run under the limit: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("chưa tải được kết quả"), "{stdout}");
    // The dossier followed the portal, the job is still there and accepted, nothing was recorded as
    // the result, and no partial file is left anywhere in the data folder.
    assert_eq!(desk.dossier(&code).unwrap().status, Status::Returned);
    let jobs = desk.queue().unwrap();
    assert_eq!((jobs.len(), jobs[0].state), (1, JobState::Accepted));
    let portal_view = desk
        .with_store(|s| s.portal_dossier(&code))
        .unwrap()
        .unwrap();
    assert_eq!(portal_view.result_sha256, None);
    assert_eq!(temp_files(&office_dir), Vec::<std::path::PathBuf>::new());
    let (reason, attempts) = desk
        .with_store(|s| s.result_failure(&code))
        .unwrap()
        .expect("the failure is kept");
    assert!(
        reason.contains("File too large") || reason.contains("os error 27"),
        "{reason}"
    );
    assert_eq!(attempts, 1);
    // Shown by `motcua queue list`, in text and JSON.
    let text = queue_list(&office_dir, false);
    assert!(
        text.contains("chưa tải được kết quả") && text.contains(&code),
        "{text}"
    );
    assert_eq!(result_error(&office_dir).as_str(), Some(reason.as_str()));
    assert_eq!(
        desk.queue_summary().unwrap()[0].result_error.as_deref(),
        Some(reason.as_str())
    );
    // And on the Hàng đợi screen's row (its page of jobs).
    assert_eq!(
        desk.queue_page(0, 100).unwrap().jobs[0]
            .result_error
            .as_deref(),
        Some(reason.as_str())
    );

    // 2. The portal cannot give it (its file is gone): the portal's own reason is kept.
    let stored = portal_dir.join("results").join(format!(
        "{}.pdf",
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&result))
    ));
    let aside = tmp.path().join("aside.pdf");
    std::fs::rename(&stored, &aside).unwrap();
    let (_, events) = run_once(&desk, &token);
    let (reason, attempts) = desk
        .with_store(|s| s.result_failure(&code))
        .unwrap()
        .expect("the portal's failure is kept");
    assert!(
        reason.contains("HTTP 500") && reason.contains("internal portal error"),
        "{reason} / {events:?}"
    );
    assert_eq!(attempts, 2);
    assert!(
        events.iter().any(
            |e| matches!(e, motcua::sync::Event::ResultFailed { reason: r, .. } if *r == reason)
        ),
        "{events:?}"
    );

    // 3. Space again and the file back: the next poll downloads it, byte for byte, and the reason goes.
    std::fs::rename(&aside, &stored).unwrap();
    downloaded_by_the_next_poll(&desk, &token, &code, &result);
    assert!(result_error(&office_dir).is_null());
    assert_eq!(desk.queue_page(0, 100).unwrap().jobs[0].result_error, None);
    assert!(!queue_list(&office_dir, false).contains("chưa tải được kết quả"));
    assert_eq!(temp_files(&office_dir), Vec::<std::path::PathBuf>::new());
    assert!(desk.verify_audit().unwrap().is_intact());
    drop(portal);
}

/// The disk really full (ENOSPC), not a size limit: `queue run --once` runs in a private mount
/// namespace (`unshare -rm`, no real root needed) where the blob store is a 64 KiB tmpfs. The result is
/// refused with the store's "disk full" reason, nothing is left on that disk, the reason is kept, and
/// once there is room (outside the namespace) the next poll downloads it.
#[test]
fn a_full_disk_refuses_the_result_and_loses_nothing() {
    let Returned {
        tmp: _tmp,
        portal,
        office_dir,
        desk,
        token,
        code,
        result,
        ..
    } = returned_dossier();
    let out = Command::new("unshare")
        .args(["-rm", "sh", "-c"])
        .arg(
            "mount -t tmpfs -o size=64k none \"$1/blobs\" || exit 3; \
             \"$2\" --data-dir \"$1\" queue run --once; rc=$?; \
             echo \"files left on the full disk: $(find \"$1/blobs\" -type f | wc -l)\"; exit $rc",
        )
        .arg("sh")
        .arg(&office_dir)
        .arg(MOTCUA_BIN)
        .env(TOKEN_VAR, &token)
        .output()
        .expect("`unshare` (util-linux) is needed for this test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "queue run on the full disk ({}): {stdout}{}\n(needs user namespaces: `unshare -rm true` must work)",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("chưa tải được kết quả"), "{stdout}");
    assert!(
        stdout.contains("files left on the full disk: 0"),
        "{stdout}"
    );
    assert_eq!(desk.dossier(&code).unwrap().status, Status::Returned);
    let (reason, attempts) = desk
        .with_store(|s| s.result_failure(&code))
        .unwrap()
        .expect("the failure is kept");
    assert!(reason.contains("đã đầy"), "{reason}");
    assert_eq!(attempts, 1);

    downloaded_by_the_next_poll(&desk, &token, &code, &result);
    drop(portal);
}

/// Checks the test's premise on this machine: under the same limit, writing past it fails with EFBIG
/// (not a signal), so the test above exercises a refused write and not a killed process.
#[test]
fn the_file_size_limit_refuses_writes_without_killing() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("big.bin");
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; exec prlimit --fsize=4096 -- dd if=/dev/zero of=\"$1\" bs=8192 count=1")
        .arg("sh")
        .arg(&target)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(out.status.code(), Some(1), "dd was killed, not refused");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("File too large"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
