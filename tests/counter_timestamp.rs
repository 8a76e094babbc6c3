//! The counter's signatures carry a trusted signing time when the office sets a time-stamping
//! authority (`sign.tsa-url`): a dossier captured from a test scan is signed with the local TSA
//! (tests/support/tsa_server.py) and the verifier reads the time from the time-stamp token; with an
//! authority that does not answer the dossier is still signed, and the summary says why there is no
//! time-stamp instead of failing the clerk's work.

mod common;

use std::sync::atomic::AtomicBool;

use common::{LocalTsa, P12_PASSWORD, ROOT_CERT, birth_dossier, named_applicant, pki, scan};
use motcua::counter::{SignKey, SignSummary};
use motcua::verify::{TimeSource, TrustStore, Verdict, VerifyOptions, verify_file};
use motcua::{Desk, ErrorCode};

/// A dossier with TP1 and TP2 assembled, ready to sign.
fn assembled_dossier(desk: &Desk) -> String {
    let no = AtomicBool::new(false);
    let code = birth_dossier(desk, named_applicant("Trần Văn Bình", "001190012345"));
    for doc in ["TP1", "TP2"] {
        desk.import_pages(&code, doc, &[scan(common::TEXT_SKEW_0)], &no, |_| {})
            .unwrap();
        desk.assemble_document(&code, doc, "test", &no).unwrap();
    }
    code
}

fn trusted() -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    VerifyOptions { trust }
}

/// Signs a fresh dossier with the test .p12 while `sign.tsa-url` is `url`.
fn sign_with_tsa(url: &str) -> (tempfile::TempDir, Desk, SignSummary) {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    desk.update_settings(&[("sign.tsa-url".into(), url.to_owned())], "test")
        .unwrap();
    let code = assembled_dossier(&desk);
    let key = SignKey::P12(pki("signer-rsa2048.p12"));
    let no = AtomicBool::new(false);
    let summary = desk
        .sign_dossier(&code, &key, P12_PASSWORD, "test", &no, |_, _, _| {})
        .unwrap();
    (dir, desk, summary)
}

#[test]
fn with_a_tsa_set_the_counter_signs_with_a_trusted_time() {
    let tsa = LocalTsa::start();
    let (_dir, desk, summary) = sign_with_tsa(&tsa.url);
    assert!(summary.timestamped);
    assert_eq!(summary.timestamp_error, None);
    for (doc, sha) in &summary.documents {
        let path = desk.with_store(|s| s.blobs().path_of(sha));
        let report = verify_file(&path, &trusted()).unwrap();
        let signature = &report.signatures[0];
        assert_eq!(
            signature.time_source,
            TimeSource::Timestamp,
            "{doc}: {report:#?}"
        );
        assert!(
            signature.timestamp.as_ref().is_some_and(|t| t.valid),
            "{doc}"
        );
        assert_ne!(report.verdict, Verdict::Invalid, "{doc}: {report:#?}");
    }
}

#[test]
fn an_unreachable_tsa_does_not_stop_the_counter_and_is_reported() {
    // A port nobody listens on: bind one, note it, let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (_dir, desk, summary) = sign_with_tsa(&format!("http://127.0.0.1:{port}/tsa"));
    assert_eq!(summary.documents.len(), 2);
    assert!(!summary.timestamped);
    let reason = summary.timestamp_error.expect("the summary says why");
    assert!(reason.contains(&port.to_string()), "{reason}");
    let path = desk.with_store(|s| s.blobs().path_of(&summary.documents[0].1));
    let report = verify_file(&path, &trusted()).unwrap();
    assert_eq!(report.signatures[0].time_source, TimeSource::Claimed);
}

#[test]
fn a_tsa_url_that_is_not_http_is_refused_in_settings() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let error = desk
        .update_settings(&[("sign.tsa-url".into(), "tsa.example.vn".into())], "test")
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::InvalidSetting);
}
