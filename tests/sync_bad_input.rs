//! Bad input for the outbox (issue 7), beyond `sync_submit.rs` (HTML error pages, a deleted or changed
//! blob, a wrong token): a token revoked on the portal while jobs are still queued, and a "portal" whose
//! answers are binary garbage with `200 OK`. Each time the jobs stay queued with a clear reason, nothing is
//! failed or lost, and (for the token) a new token drains the queue exactly once.

mod sync_support;

use motcua::store::JobState;
use std::collections::HashMap;
use sync_support::*;

#[test]
fn a_token_revoked_while_jobs_wait_keeps_them_queued_until_a_new_token_comes() {
    let tmp = tempfile::tempdir().unwrap();
    let portal_dir = tmp.path().join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let first = token(&portal_dir, false);
    let portal = Portal::start(&portal_dir, 0, &[]);
    let desk = office(&tmp.path().join("office"), &portal.url, &[]);
    let mut expected = HashMap::new();
    let (code, files) = signed_dossier(&desk, 0, 50_000, false);
    expected.insert(code, files);
    let (report, _) = run_once(&desk, &first);
    assert_eq!(report.accepted, 1, "the token works at first");

    for n in 1..4 {
        let (code, files) = signed_dossier(&desk, n, 50_000, false);
        expected.insert(code, files);
    }
    portal_cli(&portal_dir, &["token", "revoke", &first]);
    let (report, events) = run_once(&desk, &first);
    assert!(report.token_rejected, "{events:?}");
    assert_eq!(report.accepted + report.failed, 0);
    let jobs = desk.queue().unwrap();
    let waiting: Vec<_> = jobs.iter().filter(|j| j.state.is_live()).collect();
    assert_eq!(waiting.len(), 3, "{jobs:?}");
    assert!(
        waiting
            .iter()
            .filter_map(|j| j.last_error.as_deref())
            .all(|e| e.contains("token rejected") && e.contains("401")),
        "{waiting:?}"
    );
    assert!(jobs.iter().all(|j| j.state != JobState::Failed));

    let second = token(&portal_dir, false);
    std::thread::sleep(std::time::Duration::from_millis(300)); // the backoff of the rejected attempt
    for _ in 0..100 {
        if desk.queue().unwrap().iter().all(|j| !j.state.is_live()) {
            break;
        }
        run_once(&desk, &second);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        desk.queue()
            .unwrap()
            .iter()
            .all(|j| j.state == JobState::Accepted)
    );
    assert_on_portal_exactly_once(&portal_dir, &expected);
}

#[test]
fn a_portal_answering_garbage_is_a_temporary_failure_with_a_clear_reason() {
    let body: Vec<u8> = (0..200u32).map(|i| (i * 37 % 256) as u8).collect();
    assert_canned_answer_is_a_temporary_failure("200 OK", "application/octet-stream", body, "200");
}
