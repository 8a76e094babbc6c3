//! After a connection cut in the middle of an upload, at most one chunk is sent twice (issue 7): the
//! client resumes from the offset the portal acknowledged, so only the chunk in flight is lost.
//!
//! Measured on the wire: the fault-injecting proxy counts every byte the client sends (headers and bodies).
//! The same dossier sizes are sent twice through fresh portals with a fixed 64 KiB chunk size: once with
//! no fault, once with the connection cut after 300,000 bytes (inside a PATCH body). The difference is the
//! bytes sent again plus the few requests of the resumption (a HEAD, the PATCH's headers again, one more
//! status poll); it must be more than nothing (the cut happened) and at most one chunk plus those headers.

mod sync_support;

use motcua::store::JobState;
use motcua::sync::{self, RunOptions, SyncConfig};
use std::collections::HashMap;
use sync_support::proxy::{Faults, Proxy};
use sync_support::*;

const CHUNK: u64 = 64 << 10;
/// Generous bound on the headers of the requests a resumption adds (HEAD, PATCH, a status poll and the
/// portal's re-sent `Location`-free answers are not upstream): each is well under 1 KiB.
const RESUME_HEADERS: u64 = 4 << 10;

/// Sends one dossier (three signed PDFs of about 400 KB) through a proxy; returns the upstream bytes.
fn upstream_bytes(root: &std::path::Path, cut_at: Option<u64>) -> (u64, u64) {
    let portal_dir = root.join("portal");
    std::fs::create_dir_all(&portal_dir).unwrap();
    let token = token(&portal_dir, false);
    let portal = Portal::start(&portal_dir, 0, &[]);
    let proxy = Proxy::start(
        portal.url.trim_start_matches("http://"),
        Faults {
            reset: 0.0,
            cut: 0.0,
            cut_within: 0,
            stall_rate: 0.0,
            stall: std::time::Duration::ZERO,
            bytes_per_sec: 0,
            cut_first: u64::from(cut_at.is_some()),
            cut_first_at: cut_at.unwrap_or(0),
        },
    );
    let chunk = CHUNK.to_string();
    let desk = office(
        &root.join("office"),
        &proxy.url,
        &[
            ("sync.chunk-min", chunk.as_str()),
            ("sync.chunk-max", chunk.as_str()),
            ("sync.chunk-initial", chunk.as_str()),
            ("sync.concurrency", "1"),
        ],
    );
    let (code, files) = signed_dossier(&desk, 1, 400_000, false);
    let config = desk
        .with_store(|s| SyncConfig::from_store_with_token(s, &token))
        .unwrap();
    let options = RunOptions {
        once: true,
        ..RunOptions::default()
    };
    for _ in 0..200 {
        sync::run(&desk.data_dir(), &config, &options, "test", &|_| {}).unwrap();
        let job = &desk.queue().unwrap()[0];
        if job.state == JobState::Accepted {
            break;
        }
        assert!(
            job.state.is_live(),
            "job ended as {:?}: {:?}",
            job.state,
            job.last_error
        );
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    assert_eq!(desk.queue().unwrap()[0].state, JobState::Accepted);
    assert_on_portal_exactly_once(&portal_dir, &HashMap::from([(code, files)]));
    let faulted = proxy.faulted.load(std::sync::atomic::Ordering::SeqCst);
    (
        proxy
            .upstream_bytes
            .load(std::sync::atomic::Ordering::SeqCst),
        faulted,
    )
}

#[test]
fn after_a_cut_mid_upload_at_most_one_chunk_is_sent_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let (clean, clean_faults) = upstream_bytes(&tmp.path().join("clean"), None);
    let (cut, cut_faults) = upstream_bytes(&tmp.path().join("cut"), Some(300_000));
    assert_eq!(clean_faults, 0);
    assert_eq!(cut_faults, 1, "exactly one connection was cut");
    let extra = cut.saturating_sub(clean);
    eprintln!("upstream bytes: {clean} without a cut, {cut} with one cut: {extra} more");
    assert!(
        extra > 0,
        "the cut cost nothing: it did not happen mid-upload"
    );
    assert!(
        extra <= CHUNK + RESUME_HEADERS,
        "{extra} bytes sent again: more than one {CHUNK}-byte chunk (+ {RESUME_HEADERS} of headers)"
    );
}
