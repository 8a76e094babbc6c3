//! Crash safety of the outbox: `motcua queue run` runs as a child process and is killed with SIGKILL at
//! random moments while it uploads (at least 50 kills), and every few kills the portal is SIGKILLed and
//! restarted too. Afterwards every dossier is on the portal exactly once and every file's SHA-256 matches.
//! Small files and 1 KiB chunks keep the test short while giving thousands of points to be killed at.

mod sync_support;

use motcua::store::JobState;
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::Duration;
use sync_support::*;

const KILLS: usize = 50;

fn random_below(n: u64) -> u64 {
    (uuid::Uuid::new_v4().as_u128() % u128::from(n)) as u64
}

#[test]
fn sigkill_during_uploads_and_portal_restarts_still_give_exactly_once() {
    let t0 = std::time::Instant::now();
    portal_bin();
    eprintln!("portal built in {:?}", t0.elapsed());
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let token = token(&portal_dir, false);
    let port = free_port();
    let mut portal = Some(Portal::start(&portal_dir, port, &[]));
    let office_dir = tmp.path().join("office");
    let desk = office(
        &office_dir,
        &format!("http://127.0.0.1:{port}"),
        &[
            ("sync.chunk-min", "1024"),
            ("sync.chunk-initial", "1024"),
            ("sync.chunk-max", "1024"),
            ("sync.backoff-base-ms", "10"),
            ("sync.backoff-max-ms", "50"),
        ],
    );
    let mut expected = HashMap::new();
    let mut next = 16;
    for n in 0..16 {
        let (code, files) = signed_dossier(&desk, n, 40_000 + n as usize * 1_500, false);
        expected.insert(code, files);
    }
    eprintln!("set up in {:?}", t0.elapsed());
    let live = || desk.queue().unwrap().iter().any(|j| j.state.is_live());
    let run = || {
        Command::new(MOTCUA_BIN)
            .arg("--data-dir")
            .arg(&office_dir)
            .args(["queue", "run", "--once"])
            .env(TOKEN_VAR, &token)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };

    let started = std::time::Instant::now();
    let mut kills = 0;
    let mut portal_kills = 0;
    while kills < KILLS {
        if !live() {
            // A fast machine finished the work: give it more, so every kill lands on live uploads.
            for _ in 0..8 {
                let (code, files) = signed_dossier(&desk, next, 40_000, false);
                expected.insert(code, files);
                next += 1;
            }
        }
        let mut child = run();
        std::thread::sleep(Duration::from_millis(40 + random_below(160)));
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        if kills % 8 == 0 {
            // The portal dies too (mid-upload for the next run's first chunks) and comes back on its port.
            portal.take().unwrap().kill();
            portal_kills += 1;
            portal = Some(Portal::start(&portal_dir, port, &[]));
        }
    }

    let sent: u64 = desk.queue().unwrap().iter().map(|j| j.sent_bytes()).sum();
    let total: u64 = desk.queue().unwrap().iter().map(|j| j.total_bytes()).sum();
    eprintln!(
        "{kills} kills in {:?}; {sent} of {total} bytes acknowledged",
        started.elapsed()
    );
    let mut rounds = 0;
    while live() {
        rounds += 1;
        assert!(rounds < 200, "queue did not drain: {:?}", desk.queue());
        let status = run().wait().unwrap();
        assert!(status.success(), "queue run exited with {status}");
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!(
        "drained after {rounds} more runs, {:?} in all",
        started.elapsed()
    );
    assert!(kills >= KILLS && portal_kills >= 6);
    let jobs = desk.queue().unwrap();
    assert!(
        jobs.iter().all(|j| j.state == JobState::Accepted),
        "{jobs:?}"
    );
    assert_on_portal_exactly_once(&portal_dir, &expected);
    assert!(desk.verify_audit().unwrap().is_intact());
}
