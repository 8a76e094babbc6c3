//! The outbox against the real sandbox portal: five dossiers accepted exactly once and byte-identical, the
//! status feed and result download, the portal down then up (drained in order), a validation refusal that
//! fails one job with the portal's reason while the others go on, a rejected token, and a portal that
//! refuses or loses answers at random (`--fail-rate`, `--drop-ack-rate`).

mod sync_support;

use motcua::Desk;
use motcua::dossier::Status;
use motcua::store::JobState;
use motcua::sync::Event;
use std::collections::HashMap;
use sync_support::*;

fn job_states(desk: &Desk) -> Vec<JobState> {
    desk.queue().unwrap().iter().map(|j| j.state).collect()
}

#[test]
fn five_dossiers_are_accepted_exactly_once_and_byte_identical_then_results_come_back() {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let token = token(&portal_dir, false);
    let portal = Portal::start(&portal_dir, 0, &[]);
    let desk = office(&tmp.path().join("office"), &portal.url, &[]);
    let mut expected = HashMap::new();
    for n in 0..5 {
        let (code, files) = signed_dossier(&desk, n, 300_000 + n as usize * 77_777, false);
        assert_eq!(desk.dossier(&code).unwrap().status, Status::Queued);
        expected.insert(code, files);
    }

    let (report, events) = run_once(&desk, &token);
    assert_eq!(report.accepted, 5, "{events:?}");
    assert!(job_states(&desk).iter().all(|s| *s == JobState::Accepted));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Progress { sent, total, .. } if sent <= total)),
        "progress was reported"
    );
    for code in expected.keys() {
        let d = desk.dossier(code).unwrap();
        assert_eq!(d.status, Status::Received, "{code}");
        let portal_view = desk
            .with_store(|s| s.portal_dossier(code))
            .unwrap()
            .unwrap();
        assert!(portal_view.receipt.starts_with("BN-"), "{portal_view:?}");
    }
    assert_on_portal_exactly_once(&portal_dir, &expected);

    // A second run has nothing to send and changes nothing on the portal.
    let (again, _) = run_once(&desk, &token);
    assert_eq!(again.accepted, 0);
    assert_on_portal_exactly_once(&portal_dir, &expected);

    // Back office: one dossier goes to 10 with a result PDF; the next poll follows and downloads it.
    let code = expected.keys().next().unwrap().clone();
    let result = signed_pdf(50_000, 999);
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
    let (report, events) = run_once(&desk, &token);
    assert!(report.status_updates >= 1, "{events:?}");
    assert_eq!(desk.dossier(&code).unwrap().status, Status::Returned);
    let sha = desk
        .with_store(|s| s.portal_dossier(&code))
        .unwrap()
        .unwrap()
        .result_sha256
        .expect("result downloaded");
    assert_eq!(desk.with_store(|s| s.read_blob(&sha)).unwrap(), result);
    // The dossier's own record of its result (counted by the digitisation rate) names the portal.
    let recorded = desk
        .settlement(&code)
        .unwrap()
        .result
        .expect("result on the dossier");
    assert_eq!(recorded.sha256, sha);
    assert_eq!(
        recorded.source,
        motcua::dossier::settlement::ResultSource::Portal
    );
    // Every local step (received → processing → processed → returned) went through the audit log, intact.
    assert!(desk.verify_audit().unwrap().is_intact());
}

#[test]
fn portal_down_jobs_wait_then_drain_in_order_when_it_comes_back() {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let token = token(&portal_dir, false);
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let desk = office(
        &tmp.path().join("office"),
        &url,
        &[("sync.concurrency", "1")],
    );
    let mut expected = HashMap::new();
    for n in 0..4 {
        let (code, files) = signed_dossier(&desk, n, 20_000, false);
        expected.insert(code, files);
    }

    let (report, _) = run_once(&desk, &token);
    assert_eq!(report.accepted, 0);
    assert!(report.retried >= 1);
    for job in desk.queue().unwrap() {
        assert!(job.state.is_live(), "{job:?}");
        assert!(
            job.last_error
                .as_deref()
                .unwrap_or_default()
                .contains("không kết nối được"),
            "{job:?}"
        );
    }

    let portal = Portal::start(&portal_dir, port, &[]);
    assert_eq!(portal.url, url);
    let mut rounds = 0;
    while desk.queue().unwrap().iter().any(|j| j.state.is_live()) {
        rounds += 1;
        assert!(rounds < 200, "queue did not drain: {:?}", desk.queue());
        std::thread::sleep(std::time::Duration::from_millis(50));
        run_once(&desk, &token);
    }
    let jobs = desk.queue().unwrap();
    assert!(jobs.iter().all(|j| j.state == JobState::Accepted));
    // In order: with one worker, receipts follow job order.
    let receipts: Vec<String> = jobs.iter().map(|j| j.receipt.clone().unwrap()).collect();
    let mut sorted = receipts.clone();
    sorted.sort();
    assert_eq!(receipts, sorted);
    assert_on_portal_exactly_once(&portal_dir, &expected);
}

#[test]
fn a_refused_dossier_fails_with_the_portals_reason_and_the_others_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let token = token(&portal_dir, false);
    let portal = Portal::start(&portal_dir, 0, &[]);
    let desk = office(&tmp.path().join("office"), &portal.url, &[]);
    let mut expected = HashMap::new();
    let (bad, _) = signed_dossier(&desk, 0, 10_000, true);
    for n in 1..4 {
        let (code, files) = signed_dossier(&desk, n, 10_000, false);
        expected.insert(code, files);
    }
    let (report, events) = run_once(&desk, &token);
    assert_eq!(report.accepted, 3, "{events:?}");
    assert_eq!(report.failed, 1);
    let failed = desk
        .queue()
        .unwrap()
        .into_iter()
        .find(|j| j.dossier_code == bad)
        .unwrap();
    assert_eq!(failed.state, JobState::Failed);
    let reason = failed.last_error.clone().unwrap();
    assert!(
        reason.contains("1010") && reason.contains("document_rejected"),
        "{reason}"
    );
    assert_on_portal_exactly_once(&portal_dir, &expected);

    // No endless retries: another run leaves it failed.
    run_once(&desk, &token);
    assert_eq!(desk.queue().unwrap()[0].state, JobState::Failed);
    // The clerk may retry it (same refusal) or cancel it, which returns the dossier to "signed".
    desk.retry_job(failed.id, "test").unwrap();
    let (report, _) = run_once(&desk, &token);
    assert_eq!(report.failed, 1);
    desk.cancel_job(failed.id, "test").unwrap();
    assert_eq!(desk.dossier(&bad).unwrap().status, Status::Signed);
}

#[test]
fn a_rejected_token_stops_the_queue_without_failing_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let good = token(&portal_dir, false);
    let portal = Portal::start(&portal_dir, 0, &[]);
    let desk = office(&tmp.path().join("office"), &portal.url, &[]);
    for n in 0..3 {
        signed_dossier(&desk, n, 5_000, false);
    }
    let (report, events) = run_once(&desk, "mcp_not-a-real-token");
    assert!(report.token_rejected);
    assert!(events.contains(&Event::TokenRejected));
    let jobs = desk.queue().unwrap();
    assert!(jobs.iter().all(|j| j.state.is_live()), "{jobs:?}");
    assert!(
        jobs[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("token rejected")
    );
    // A rejection stops the queue: with two workers at most two jobs were tried, the third never was.
    let tried = jobs.iter().filter(|j| j.last_error.is_some()).count();
    assert!((1..=2).contains(&tried), "{jobs:?}");
    assert!(jobs[2].last_error.is_none(), "{jobs:?}");
    // With a valid token the jobs go through once their wait is over.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let mut rounds = 0;
    while desk.queue().unwrap().iter().any(|j| j.state.is_live()) {
        rounds += 1;
        assert!(rounds < 100);
        run_once(&desk, &good);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn failing_portal_and_lost_acknowledgements_still_give_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let token = token(&portal_dir, false);
    let portal = Portal::start(
        &portal_dir,
        0,
        &[
            "--fail-rate",
            "0.3",
            "--drop-ack-rate",
            "0.3",
            "--retry-after",
            "0",
        ],
    );
    let desk = office(
        &tmp.path().join("office"),
        &portal.url,
        &[
            ("sync.chunk-min", "4096"),
            ("sync.chunk-initial", "8192"),
            ("sync.chunk-max", "16384"),
        ],
    );
    let mut expected = HashMap::new();
    for n in 0..6 {
        let (code, files) = signed_dossier(&desk, n, 40_000, false);
        expected.insert(code, files);
    }
    let mut rounds = 0;
    let mut retried = 0;
    while desk.queue().unwrap().iter().any(|j| j.state.is_live()) {
        rounds += 1;
        assert!(rounds < 2000, "queue did not drain: {:?}", desk.queue());
        let (report, _) = run_once(&desk, &token);
        retried += report.retried;
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(retried > 0, "the fault injection never triggered");
    assert!(job_states(&desk).iter().all(|s| *s == JobState::Accepted));
    assert_on_portal_exactly_once(&portal_dir, &expected);
}

#[test]
fn a_blob_deleted_or_changed_before_upload_fails_its_job_with_the_path_and_the_others_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let token = token(&portal_dir, false);
    let portal = Portal::start(&portal_dir, 0, &[]);
    let desk = office(&tmp.path().join("office"), &portal.url, &[]);
    let (deleted, deleted_files) = signed_dossier(&desk, 0, 10_000, false);
    let (changed, changed_files) = signed_dossier(&desk, 1, 10_000, false);
    let (fine, fine_files) = signed_dossier(&desk, 2, 10_000, false);
    let blob = |sha: &String| desk.with_store(|s| s.blobs().path_of(sha));
    std::fs::remove_file(blob(&deleted_files["TP1"])).unwrap();
    std::fs::write(blob(&changed_files["TP2"]), b"%PDF-1.7 tampered").unwrap();

    let (report, events) = run_once(&desk, &token);
    assert_eq!(report.accepted, 1, "{events:?}");
    assert_eq!(report.failed, 2, "{events:?}");
    let jobs = desk.queue().unwrap();
    let job = |code: &str| jobs.iter().find(|j| j.dossier_code == code).unwrap();
    let gone = job(&deleted).last_error.clone().unwrap();
    assert!(gone.contains(&deleted_files["TP1"]), "{gone}");
    let tampered = job(&changed).last_error.clone().unwrap();
    assert!(tampered.contains("thay đổi"), "{tampered}");
    assert_eq!(job(&fine).state, JobState::Accepted);
    assert_on_portal_exactly_once(&portal_dir, &HashMap::from([(fine, fine_files)]));
}

#[test]
fn an_html_error_page_is_a_temporary_failure_with_a_clear_reason() {
    assert_canned_answer_is_a_temporary_failure(
        "502 Bad Gateway",
        "text/html",
        b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
        "502",
    );
}
