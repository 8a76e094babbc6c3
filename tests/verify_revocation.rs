//! Revocation tests of the verifier against real servers on 127.0.0.1: signers made at run time
//! with openssl (issued by the test intermediate CA) whose CRL distribution point or OCSP URL
//! points at a port this test controls; a small HTTP server serving CRLs made by `openssl ca
//! -gencrl`, and an `openssl ocsp` responder. Also: offline and unreachable sources give
//! "revocation not checked" (INDETERMINATE), stale and badly signed CRLs are reported and ignored.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::*;
use motcua::verify::{
    Fetcher, FileReport, Revocation, TrustStore, Verdict, VerifyOptions, verify_bytes,
};

/// `openssl ocsp` answering for the intermediate CA from an index of (serial, revoked) entries.
struct OcspResponder {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl OcspResponder {
    fn start(entries: &[(&str, bool)]) -> OcspResponder {
        let dir = tempfile::tempdir().unwrap();
        let index: String = entries
            .iter()
            .map(|(serial, revoked)| {
                if *revoked {
                    format!("R\t301231000000Z\t250101000000Z\t{serial}\tunknown\t/CN=x\n")
                } else {
                    format!("V\t301231000000Z\t\t{serial}\tunknown\t/CN=x\n")
                }
            })
            .collect();
        let index_path = dir.path().join("index.txt");
        std::fs::write(&index_path, index).unwrap();
        let port = free_port();
        let mut child = Command::new("openssl")
            .args(["ocsp", "-index"])
            .arg(&index_path)
            .args(["-port", &port.to_string(), "-CA"])
            .arg(pki("inter.cert.pem"))
            .arg("-rsigner")
            .arg(pki("inter.cert.pem"))
            .arg("-rkey")
            .arg(pki("inter.key.pem"))
            .args(["-ndays", "1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait for the responder's "waiting for OCSP client connections" line (a probing
        // connection would block its single-threaded loop), then keep draining its output.
        let stderr = child.stderr.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || std::io::copy(&mut { stdout }, &mut std::io::sink()));
        let mut lines = BufReader::new(stderr);
        let mut line = String::new();
        while lines.read_line(&mut line).is_ok_and(|n| n > 0) {
            if line.contains("waiting for OCSP client connections") {
                break;
            }
            line.clear();
        }
        std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
        OcspResponder {
            child,
            port,
            _dir: dir,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}

impl Drop for OcspResponder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Trusts the test root; the root's CRL covers the intermediate (so only the signer's status is
/// open); online when `fetcher` is given.
fn options(fetcher: Option<Arc<Fetcher>>, crls: &[&[u8]]) -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    trust.add_crl_file(&fixture("signed/root.crl.pem")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (i, crl) in crls.iter().enumerate() {
        let path = dir.path().join(format!("{i}.crl.pem"));
        std::fs::write(&path, crl).unwrap();
        trust.add_crl_file(&path).unwrap();
    }
    if let Some(f) = fetcher {
        trust.set_online(f);
    }
    VerifyOptions { trust }
}

fn online() -> Option<Arc<Fetcher>> {
    Some(Arc::new(Fetcher::new(Duration::from_secs(3))))
}

fn only(report: &FileReport) -> &motcua::verify::SignatureReport {
    assert_eq!(report.signatures.len(), 1, "{report:#?}");
    &report.signatures[0]
}

#[test]
fn crl_from_the_distribution_point_says_good_or_revoked() {
    let good_server = CrlServer::start(make_crl(false, &["0100"], None));
    let signer = TestSigner::new(0x0A01, Some(&good_server.url()), None);
    let signed = signer.sign();
    let fetcher = online();
    let opts = options(fetcher.clone(), &[]);
    let report = verify_bytes(&signed, "good.pdf", &opts);
    let sig = only(&report);
    assert_eq!(sig.revocation, Revocation::Good, "{report:#?}");
    assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{report:#?}");
    // The fetcher caches the CRL for the rest of the run.
    let again = verify_bytes(&signed, "good-again.pdf", &opts);
    assert_eq!(only(&again).revocation, Revocation::Good);
    assert_eq!(good_server.hits.load(Ordering::SeqCst), 1);

    let revoking = CrlServer::start(make_crl(false, &[&TestSigner::index_serial(0x0A02)], None));
    let revoked = TestSigner::new(0x0A02, Some(&revoking.url()), None);
    let report = verify_bytes(&revoked.sign(), "revoked.pdf", &options(online(), &[]));
    assert!(
        matches!(only(&report).revocation, Revocation::Revoked { .. }),
        "{report:#?}"
    );
    assert_eq!(report.verdict, Verdict::Invalid);
}

#[test]
fn ocsp_from_the_authority_information_access_says_good_or_revoked() {
    let responder = OcspResponder::start(&[("0B01", false), ("0B02", true)]);
    let good = TestSigner::new(0x0B01, None, Some(&responder.url()));
    let report = verify_bytes(&good.sign(), "ocsp-good.pdf", &options(online(), &[]));
    assert_eq!(only(&report).revocation, Revocation::Good, "{report:#?}");
    assert_eq!(report.verdict, Verdict::ValidWithWarnings);

    let revoked = TestSigner::new(0x0B02, None, Some(&responder.url()));
    let report = verify_bytes(&revoked.sign(), "ocsp-revoked.pdf", &options(online(), &[]));
    assert!(
        matches!(only(&report).revocation, Revocation::Revoked { .. }),
        "{report:#?}"
    );
    assert_eq!(report.verdict, Verdict::Invalid);
}

#[test]
fn offline_or_unreachable_sources_leave_revocation_not_checked() {
    // Nothing listens on this port: the fetch fails at once and the report says so.
    let dead = format!("http://127.0.0.1:{}/inter.crl", free_port());
    let signer = TestSigner::new(0x0C01, Some(&dead), Some(&dead));
    let signed = signer.sign();
    for (label, fetcher) in [("offline", None), ("unreachable", online())] {
        let report = verify_bytes(&signed, label, &options(fetcher, &[]));
        let sig = only(&report);
        assert_eq!(
            sig.revocation,
            Revocation::NotChecked,
            "{label}: {report:#?}"
        );
        assert_eq!(report.verdict, Verdict::Indeterminate, "{label}");
        assert!(sig.warnings.iter().any(|w| w == "revocation not checked"));
        let why = if label == "offline" { "offline" } else { &dead };
        assert!(
            sig.warnings.iter().any(|w| w.contains(why)),
            "{label}: {:#?}",
            sig.warnings
        );
    }
}

#[test]
fn stale_and_badly_signed_crls_are_reported_and_ignored() {
    let signer = TestSigner::new(0x0D01, Some("http://127.0.0.1:9/never.crl"), None);
    let signed = signer.sign();
    // A CRL whose next update is long past, and one naming the intermediate as issuer but signed
    // with the root's key; a current, correctly signed one settles it.
    let stale = make_crl(false, &[], Some(("20250101000000Z", "20250201000000Z")));
    let forged = make_crl(true, &["0D01"], None);
    let report = verify_bytes(&signed, "stale.pdf", &options(None, &[&stale, &forged]));
    let sig = only(&report);
    assert_eq!(sig.revocation, Revocation::NotChecked, "{report:#?}");
    assert_eq!(report.verdict, Verdict::Indeterminate);
    assert!(
        sig.warnings.iter().any(|w| w.starts_with("stale CRL")),
        "{:#?}",
        sig.warnings
    );
    assert!(
        sig.warnings
            .iter()
            .any(|w| w.contains("not signed by its key")),
        "{:#?}",
        sig.warnings
    );
    let current = make_crl(false, &[], None);
    let report = verify_bytes(&signed, "current.pdf", &options(None, &[&stale, &current]));
    assert_eq!(only(&report).revocation, Revocation::Good, "{report:#?}");
    assert_eq!(report.verdict, Verdict::ValidWithWarnings);
}

#[test]
fn cli_fetches_unless_offline() {
    let server = CrlServer::start(make_crl(false, &[], None));
    let signer = TestSigner::new(0x0E01, Some(&server.url()), None);
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("signed.pdf");
    std::fs::write(&pdf, signer.sign()).unwrap();
    let run = |offline: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_motcua"));
        cmd.arg("verify")
            .arg("--trust")
            .arg(pki(ROOT_CERT))
            .arg("--crl")
            .arg(fixture("signed/root.crl.pem"));
        if offline {
            cmd.arg("--offline");
        }
        let out = cmd.arg(&pdf).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = run(false);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = run(true);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("revocation not checked"), "{text}");
}
