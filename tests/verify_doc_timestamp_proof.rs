//! A document time-stamp as proof of existence for the signatures before it (PAdES-LTA): a
//! signer whose certificate was valid from 2025-02-01 to 2025-06-01 signs (pyHanko, claimed time
//! 2025-03-01, no signature time-stamp), a DSS with the intermediate's CRL of March–May 2025 is
//! added, then a document time-stamp dated 2025-04-01 (pyHanko's TSA with the test TSA key). Today
//! the certificate has expired and the CRL is stale, yet the signature is VALID: it existed on
//! 2025-04-01, when the certificate was valid and the CRL current. The same file without the
//! time-stamp, or with one dated after the certificate expired, is not. An embedded OCSP answer
//! "revoked" counts against the time-stamp's time: revoked after it, the signature stands.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use motcua::verify::{FileReport, Revocation, TimeSource, TrustStore, Verdict, VerifyOptions};

fn offline() -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    trust.add_crl_file(&fixture("signed/root.crl.pem")).unwrap();
    VerifyOptions { trust }
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

/// The signed file with its DSS holding the intermediate's CRL of March–May 2025 (no time-stamp
/// yet), in `dir`.
fn signed_with_dss(dir: &Path) -> PathBuf {
    let (signed, _) = signed(dir);
    let crl = dir.join("inter-2025.crl.pem");
    std::fs::write(
        &crl,
        make_crl(false, &[], Some(("20250315000000Z", "20250515000000Z"))),
    )
    .unwrap();
    let with_dss = dir.join("signed-dss.pdf");
    embed_revinfo(&["dss", &p(&signed), &p(&with_dss), "--crl", &p(&crl)]);
    with_dss
}

/// The signed file (claimed time 2025-03-01) and the signer, in `dir`.
fn signed(dir: &Path) -> (PathBuf, TestSigner) {
    let dead = format!("http://127.0.0.1:{}/inter.crl", free_port());
    let signer = TestSigner::issue(
        0x1101,
        "/C=VN/CN=Người Ký Đã Hết Hạn",
        &format!(
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\ncrlDistributionPoints=URI:{dead}\n"
        ),
        Some(("20250201000000Z", "20250601000000Z")),
    );
    let signed = dir.join("signed.pdf");
    embed_revinfo(&[
        "sign",
        &p(&fixture(CLASSIC_PDF)),
        &p(&signed),
        &p(&signer.path("key.pem")),
        &p(&signer.path("cert.pem")),
        &p(&pki("inter.cert.pem")),
        "--at",
        "2025-03-01T00:00:00Z",
    ]);
    (signed, signer)
}

fn doc_timestamp(source: &Path, at: &str, out: &Path) {
    embed_revinfo(&[
        "doc-timestamp",
        &p(source),
        &p(out),
        &p(&pki("tsa.key.pem")),
        &p(&pki("tsa.cert.pem")),
        &p(&pki("inter.cert.pem")),
        at,
    ]);
}

/// The approval signature (the other one is the document time-stamp).
fn first(report: &FileReport) -> &motcua::verify::SignatureReport {
    assert_eq!(report.signatures.len(), 2, "{report:#?}");
    let kinds: Vec<&str> = report.signatures.iter().map(|s| s.kind.as_str()).collect();
    assert!(kinds.contains(&"DocTimeStamp"), "{kinds:?}");
    report.signatures.iter().find(|s| s.kind == "Sig").unwrap()
}

#[test]
fn a_later_document_time_stamp_proves_the_signature_existed_while_its_certificate_was_valid() {
    let dir = tempfile::tempdir().unwrap();
    let with_dss = signed_with_dss(dir.path());
    let lta = dir.path().join("lta.pdf");
    doc_timestamp(&with_dss, "2025-04-01T00:00:00Z", &lta);

    let report = motcua::verify::verify_file(&lta, &offline()).unwrap();
    let sig = first(&report);
    assert_eq!(
        sig.time_source,
        TimeSource::DocumentTimestamp,
        "{report:#?}"
    );
    assert_eq!(
        sig.signing_time.as_deref(),
        Some("2025-04-01T07:00:00+07:00")
    );
    assert_eq!(sig.revocation, Revocation::Good, "{report:#?}");
    assert!(sig.errors.is_empty() && sig.warnings.is_empty(), "{sig:#?}");
    assert_eq!(sig.verdict, Verdict::Valid);
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");

    // The time source is explicit in every report.
    let text = motcua::verify::report::text(&report);
    assert!(
        text.contains("before 2025-04-01T07:00:00+07:00 (document time-stamp)"),
        "{text}"
    );
    let json = motcua::verify::report::json(&report);
    let sigs = json["file"]["signatures"].as_array().unwrap();
    assert!(
        sigs.iter()
            .any(|s| s["kind"] == "Sig" && s["time_source"] == "document-timestamp"),
        "{json}"
    );
    let html = motcua::verify::report::html(&report, "2026-11-27");
    assert!(
        html.contains("trước 2025-04-01T07:00:00+07:00 (theo dấu thời gian của tài liệu)"),
        "{html}"
    );
}

#[test]
fn without_the_time_stamp_the_claimed_time_proves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let with_dss = signed_with_dss(dir.path());
    let report = motcua::verify::verify_file(&with_dss, &offline()).unwrap();
    assert_eq!(report.signatures.len(), 1);
    let sig = &report.signatures[0];
    assert_eq!(sig.time_source, TimeSource::Claimed);
    // The DSS's CRL ended in May 2025: stale against today, so revocation is unknown.
    assert_eq!(sig.revocation, Revocation::NotChecked, "{report:#?}");
    assert!(sig.warnings.iter().any(|w| w.starts_with("stale CRL")));
    assert_eq!(report.verdict, Verdict::Indeterminate);
}

#[test]
fn a_time_stamp_made_after_the_certificate_expired_does_not_help() {
    let dir = tempfile::tempdir().unwrap();
    let with_dss = signed_with_dss(dir.path());
    let late = dir.path().join("late.pdf");
    doc_timestamp(&with_dss, "2025-07-01T00:00:00Z", &late);
    let report = motcua::verify::verify_file(&late, &offline()).unwrap();
    let sig = first(&report);
    assert_eq!(sig.time_source, TimeSource::DocumentTimestamp);
    assert!(
        sig.errors
            .iter()
            .any(|e| e == "certificate “Người Ký Đã Hết Hạn” had expired at the signing time"),
        "{sig:#?}"
    );
    assert_eq!(report.verdict, Verdict::Invalid);
}

/// The signed file with an OCSP answer "revoked at `revoked_at`" (signed by the CA, current from
/// then until 2025-06-01) in its DSS, then a document time-stamp of 2025-04-01.
fn revoked_by_ocsp_at(dir: &Path, revoked_at: &str) -> FileReport {
    let (signed, signer) = signed(dir);
    let answer = dir.join("revoked.der");
    embed_revinfo(&[
        "ocsp",
        &p(&signer.path("cert.pem")),
        &p(&pki("inter.cert.pem")),
        &p(&pki("inter.cert.pem")),
        &p(&pki("inter.key.pem")),
        "revoked",
        revoked_at,
        "2025-06-01T00:00:00Z",
        &p(&answer),
    ]);
    let with_dss = dir.join("signed-ocsp.pdf");
    embed_revinfo(&["dss", &p(&signed), &p(&with_dss), "--ocsp", &p(&answer)]);
    let lta = dir.join("lta-ocsp.pdf");
    doc_timestamp(&with_dss, "2025-04-01T00:00:00Z", &lta);
    motcua::verify::verify_file(&lta, &offline()).unwrap()
}

#[test]
fn a_revocation_after_the_document_time_stamp_does_not_invalidate_the_signature() {
    let dir = tempfile::tempdir().unwrap();
    let report = revoked_by_ocsp_at(dir.path(), "2025-05-01T00:00:00Z");
    let sig = first(&report);
    assert_eq!(sig.time_source, TimeSource::DocumentTimestamp);
    assert!(sig.errors.is_empty(), "{sig:#?}");
    assert!(
        sig.warnings.iter().any(|w| w
            == "certificate “Người Ký Đã Hết Hạn” was revoked on 2025-05-01T00:00:00+00:00, after the time-stamped signing time"),
        "{:#?}",
        sig.warnings
    );
    assert_eq!(sig.verdict, Verdict::ValidWithWarnings);
}

#[test]
fn a_revocation_before_the_document_time_stamp_invalidates_the_signature() {
    let dir = tempfile::tempdir().unwrap();
    let report = revoked_by_ocsp_at(dir.path(), "2025-03-15T00:00:00Z");
    let sig = first(&report);
    assert!(
        matches!(&sig.revocation, Revocation::Revoked { date, .. } if date.starts_with("2025-03-15")),
        "{sig:#?}"
    );
    assert_eq!(sig.verdict, Verdict::Invalid);
    assert_eq!(report.verdict, Verdict::Invalid);
}
