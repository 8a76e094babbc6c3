//! Group commit of "Nộp" (issue 7): submissions that arrive together share one durable commit, a refused
//! one fails alone, and a submission whose call returned is in the database whatever happens next — the
//! submitting process is SIGKILLed right after the calls return, and every job it reported is there.

mod sync_support;

use motcua::dossier::Status;
use motcua::store::{JobState, SubmitCommitter};
use motcua::{Desk, ErrorCode};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use sync_support::*;

/// The child of the kill test reads its data folder and dossier codes from these.
const CHILD_DIR: &str = "MOTCUA_TEST_SUBMIT_CHILD_DIR";
const CHILD_CODES: &str = "MOTCUA_TEST_SUBMIT_CHILD_CODES";

#[test]
fn submissions_waiting_together_share_a_commit_and_a_refused_one_fails_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let desk = office(tmp.path(), "http://127.0.0.1:9", &[]);
    let codes: Vec<String> = (0..20)
        .map(|n| signed_unsubmitted(&desk, n, 2_000, false).0)
        .collect();
    let draft = draft_dossier(&desk);
    let committer = SubmitCommitter::start(tmp.path()).unwrap();
    // Another connection holds the database's write lock, as a second clerk's long write would: the
    // committer's first group waits for it and the other submissions pile up behind.
    let blocker = rusqlite::Connection::open(tmp.path().join("motcua.sqlite3")).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    // The first dossier twice (a double click), and a draft, which may not be submitted.
    let requests: Vec<&String> = codes.iter().chain([&codes[0], &draft]).collect();
    let results: Vec<(String, Result<i64, motcua::store::StoreError>)> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = requests
                .iter()
                .map(|code| {
                    let committer = &committer;
                    scope.spawn(move || (code.to_string(), committer.enqueue(code, "test")))
                })
                .collect();
            std::thread::sleep(std::time::Duration::from_millis(500));
            blocker.execute_batch("COMMIT").unwrap();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });

    let commits = committer.commits();
    eprintln!("{} submissions in {commits} commits", requests.len());
    assert!(
        commits >= 1 && commits < requests.len() as u64,
        "{commits} commits for {} submissions: none were shared",
        requests.len()
    );
    let mut ids = HashSet::new();
    let mut accepted: HashMap<String, i64> = HashMap::new();
    let shown = format!("{results:?}");
    for (code, result) in results {
        match result {
            Ok(id) => {
                assert!(ids.insert(id), "job id {id} given twice");
                assert!(
                    accepted.insert(code.clone(), id).is_none(),
                    "{code} queued twice"
                );
            }
            Err(e) => {
                let e = motcua::DeskError::from(e);
                assert_eq!(e.code(), ErrorCode::IllegalTransition, "{code}: {e}");
            }
        }
    }
    // Every signed dossier got exactly one job; the draft and the second click got none, and did not
    // undo the others of their group.
    assert_eq!(accepted.len(), codes.len(), "{shown}");
    assert!(!accepted.contains_key(&draft));
    assert_eq!(desk.dossier(&draft).unwrap().status, Status::Draft);
    let jobs = desk.queue().unwrap();
    assert_eq!(jobs.len(), codes.len());
    for job in &jobs {
        assert_eq!(accepted.get(&job.dossier_code), Some(&job.id));
        assert_eq!(job.state, JobState::Queued);
        assert_eq!(job.files.len(), 3);
        assert_eq!(
            desk.dossier(&job.dossier_code).unwrap().status,
            Status::Queued
        );
    }
    assert!(desk.verify_audit().unwrap().is_intact());

    // Desk::submit goes through the same committer: from eight threads at once, each returns its job.
    let more: Vec<String> = (20..36)
        .map(|n| signed_unsubmitted(&desk, n, 2_000, false).0)
        .collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                while let Some(code) = more.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let job = desk.submit(code, "test").unwrap();
                    assert_eq!(&job.dossier_code, code);
                    assert_eq!(job.state, JobState::Queued);
                }
            });
        }
    });
    assert_eq!(desk.queue().unwrap().len(), codes.len() + more.len());
    assert!(desk.verify_audit().unwrap().is_intact());
}

/// The submitting process of [`a_submit_that_returned_survives_sigkill`]: `Desk::submit` from eight
/// threads, one `ok CODE JOB` line per call that returned. Does nothing when run on its own.
#[test]
#[ignore = "child process of a_submit_that_returned_survives_sigkill"]
fn submit_child() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let codes: Vec<String> = std::env::var(CHILD_CODES)
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    let desk = Desk::open(std::path::Path::new(&dir)).unwrap();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                while let Some(code) = codes.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let job = desk.submit(code, "child").unwrap();
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "ok {code} {}", job.id).unwrap();
                    out.flush().unwrap();
                }
            });
        }
    });
}

#[test]
fn a_submit_that_returned_survives_sigkill() {
    let tmp = tempfile::tempdir().unwrap();
    let desk = office(tmp.path(), "http://127.0.0.1:9", &[]);
    let mut n = 0;
    for round in 0..5u64 {
        let codes: Vec<String> = (0..24)
            .map(|_| {
                n += 1;
                signed_unsubmitted(&desk, n, 2_000, false).0
            })
            .collect();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["submit_child", "--exact", "--ignored", "--nocapture"])
            .env(CHILD_DIR, tmp.path())
            .env(CHILD_CODES, codes.join(","))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill it as soon as a few of its calls have returned (more each round), mid-stream of the rest.
        let wanted = 1 + 4 * round as usize;
        let mut reported: Vec<(String, i64)> = Vec::new();
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("ok ") {
                let (code, id) = rest.split_once(' ').unwrap();
                reported.push((code.to_owned(), id.parse().unwrap()));
                if reported.len() >= wanted {
                    child.kill().unwrap();
                    break;
                }
            }
        }
        child.wait().unwrap();
        assert!(
            reported.len() >= wanted,
            "round {round}: the child reported {} submissions",
            reported.len()
        );

        let jobs: HashMap<String, (i64, JobState)> = desk
            .queue()
            .unwrap()
            .into_iter()
            .map(|j| (j.dossier_code.clone(), (j.id, j.state)))
            .collect();
        // Every submission the child saw return is in the database with the job it was told.
        for (code, id) in &reported {
            assert_eq!(
                jobs.get(code),
                Some(&(*id, JobState::Queued)),
                "round {round}: {code} was reported as job {id}"
            );
            assert_eq!(desk.dossier(code).unwrap().status, Status::Queued);
        }
        // The rest are all or nothing: queued with its job, or still signed without one.
        for code in &codes {
            let status = desk.dossier(code).unwrap().status;
            match jobs.get(code) {
                Some(_) => assert_eq!(status, Status::Queued, "{code}"),
                None => assert_eq!(status, Status::Signed, "{code}"),
            }
        }
        eprintln!(
            "round {round}: killed after {} reported, {} of 24 queued",
            reported.len(),
            codes.iter().filter(|c| jobs.contains_key(*c)).count()
        );
    }
    assert!(desk.verify_audit().unwrap().is_intact());
}
