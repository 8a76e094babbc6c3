//! OCSP responses embedded in signed PDFs as revocation proof, verified offline: in the DSS
//! (/OCSPs and the signature's /VRI entry, added by pyHanko's DocumentSecurityStore) and in the
//! CMS signed attribute adbe-revocationInfoArchival (pyHanko signing adbe.pkcs7.detached with
//! `embed_validation_info`). Signers are issued at run time by the test intermediate CA and name
//! an OCSP responder that is never reachable, so the embedded answer is the only proof. Answers
//! come from `openssl ocsp` (responder = the CA, a delegated responder, or a wrong one) and, for
//! the stale case, from `cryptography`'s OCSP builder (openssl cannot date an answer in the past).

mod common;

use std::path::Path;

use common::*;
use motcua::verify::{FileReport, Revocation, SignatureReport, TrustStore, Verdict, VerifyOptions};

/// Trusts the test root; the root's CRL covers the intermediate, so only the signer is open.
/// Offline: nothing is fetched.
fn offline() -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    trust.add_crl_file(&fixture("signed/root.crl.pem")).unwrap();
    VerifyOptions { trust }
}

fn verify(path: &Path) -> FileReport {
    motcua::verify::verify_file(path, &offline()).unwrap()
}

fn only(report: &FileReport) -> &SignatureReport {
    assert_eq!(report.signatures.len(), 1, "{report:#?}");
    &report.signatures[0]
}

/// A signer naming an OCSP responder on a port nothing listens on.
fn signer(serial: u32) -> TestSigner {
    let dead = format!("http://127.0.0.1:{}/", free_port());
    TestSigner::new(serial, None, Some(&dead))
}

/// The signer's PDF (signed by our signer) with `ocsp` added to its DSS by pyHanko.
fn with_dss_ocsp(signer: &TestSigner, ocsp: &[u8], dir: &Path) -> std::path::PathBuf {
    let signed = dir.join("signed.pdf");
    std::fs::write(&signed, signer.sign()).unwrap();
    let response = dir.join("ocsp.der");
    std::fs::write(&response, ocsp).unwrap();
    let out = dir.join("signed-dss.pdf");
    embed_revinfo(&[
        "dss",
        &signed.display().to_string(),
        &out.display().to_string(),
        "--ocsp",
        &response.display().to_string(),
    ]);
    out
}

fn inter() -> (std::path::PathBuf, std::path::PathBuf) {
    (pki("inter.cert.pem"), pki("inter.key.pem"))
}

#[test]
fn a_good_answer_in_the_dss_is_the_revocation_proof() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer(0x0F01);
    let (ca, key) = inter();
    let good = openssl_ocsp_response(&signer.path("cert.pem"), OcspStatus::Good, (&ca, &key));
    let pdf = with_dss_ocsp(&signer, &good, dir.path());
    // The DSS holds the answer in /OCSPs and in the signature's /VRI entry.
    let doc = lopdf::Document::load(&pdf).unwrap();
    let dss = doc
        .get_dictionary(
            doc.catalog()
                .unwrap()
                .get(b"DSS")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    assert!(dss.has(b"OCSPs") && dss.has(b"VRI"), "{dss:?}");

    let report = verify(&pdf);
    let sig = only(&report);
    assert_eq!(sig.revocation, Revocation::Good, "{report:#?}");
    assert!(sig.errors.is_empty(), "{report:#?}");
    // Valid with the one warning of an untimestamped signature (claimed signing time).
    assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{report:#?}");
    assert!(
        !sig.warnings.iter().any(|w| w.contains("revocation")),
        "{:#?}",
        sig.warnings
    );

    // The same signature without the DSS: the declared responder is unreachable offline.
    let bare = verify(&dir.path().join("signed.pdf"));
    assert_eq!(only(&bare).revocation, Revocation::NotChecked);
    assert_eq!(bare.verdict, Verdict::Indeterminate);
}

#[test]
fn a_delegated_responder_authorised_by_the_ca_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer(0x0F02);
    let responder = TestSigner::ocsp_responder(0x0F03);
    let good = openssl_ocsp_response(
        &signer.path("cert.pem"),
        OcspStatus::Good,
        (&responder.path("cert.pem"), &responder.path("key.pem")),
    );
    let report = verify(&with_dss_ocsp(&signer, &good, dir.path()));
    assert_eq!(only(&report).revocation, Revocation::Good, "{report:#?}");
    assert_eq!(report.verdict, Verdict::ValidWithWarnings);
}

#[test]
fn a_revoked_answer_in_the_dss_makes_the_signature_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer(0x0F04);
    let (ca, key) = inter();
    let revoked = openssl_ocsp_response(&signer.path("cert.pem"), OcspStatus::Revoked, (&ca, &key));
    let report = verify(&with_dss_ocsp(&signer, &revoked, dir.path()));
    let sig = only(&report);
    // Revoked on 2025-01-01 (the responder's index), before the claimed signing time.
    match &sig.revocation {
        Revocation::Revoked { subject, date } => {
            assert_eq!(subject, "Người Ký Trực Tuyến");
            assert!(date.starts_with("2025-01-01"), "{date}");
        }
        other => panic!("expected revoked, got {other:?}: {report:#?}"),
    }
    assert_eq!(report.verdict, Verdict::Invalid);
    assert!(
        sig.errors
            .iter()
            .any(|e| e.contains("was revoked on 2025-01-01"))
    );
}

#[test]
fn answers_from_a_wrong_responder_are_not_a_proof() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer(0x0F05);
    // Signed by the root (not the signer's issuer), and by a certificate the intermediate issued
    // without id-kp-OCSPSigning: neither may answer for the intermediate's certificates.
    let not_delegated = TestSigner::new(0x0F06, None, None);
    for (label, responder) in [
        ("root", (pki("root.cert.pem"), pki("root.key.pem"))),
        (
            "not delegated",
            (
                not_delegated.path("cert.pem"),
                not_delegated.path("key.pem"),
            ),
        ),
    ] {
        let sub = dir.path().join(label.replace(' ', "-"));
        std::fs::create_dir(&sub).unwrap();
        let good = openssl_ocsp_response(
            &signer.path("cert.pem"),
            OcspStatus::Good,
            (&responder.0, &responder.1),
        );
        let report = verify(&with_dss_ocsp(&signer, &good, &sub));
        let sig = only(&report);
        assert_eq!(
            sig.revocation,
            Revocation::NotChecked,
            "{label}: {report:#?}"
        );
        assert_eq!(report.verdict, Verdict::Indeterminate, "{label}");
        assert!(
            sig.warnings.iter().any(|w| w.contains(
                "is not signed by “MotCua Test Intermediate CA” or a responder it authorised"
            )),
            "{label}: {:#?}",
            sig.warnings
        );
    }
}

#[test]
fn a_stale_answer_is_not_a_proof() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer(0x0F07);
    let stale = dir.path().join("stale.der");
    embed_revinfo(&[
        "ocsp",
        &signer.path("cert.pem").display().to_string(),
        &pki("inter.cert.pem").display().to_string(),
        &pki("inter.cert.pem").display().to_string(),
        &pki("inter.key.pem").display().to_string(),
        "good",
        "2025-03-01T00:00:00Z",
        "2025-03-08T00:00:00Z",
        &stale.display().to_string(),
    ]);
    let report = verify(&with_dss_ocsp(
        &signer,
        &std::fs::read(&stale).unwrap(),
        dir.path(),
    ));
    let sig = only(&report);
    assert_eq!(sig.revocation, Revocation::NotChecked, "{report:#?}");
    assert_eq!(report.verdict, Verdict::Indeterminate);
    assert!(
        sig.warnings
            .iter()
            .any(|w| w.contains("stale OCSP response")
                && w.contains("2025-03-08")
                && w.contains("the validation time")),
        "{:#?}",
        sig.warnings
    );
}

#[test]
fn an_answer_in_the_cms_revocation_archival_attribute_is_the_proof() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer(0x0F08);
    let (ca, key) = inter();
    let good = dir.path().join("good.der");
    std::fs::write(
        &good,
        openssl_ocsp_response(&signer.path("cert.pem"), OcspStatus::Good, (&ca, &key)),
    )
    .unwrap();
    let out = dir.path().join("pkcs7.pdf");
    let p = |path: &Path| path.display().to_string();
    embed_revinfo(&[
        "sign-pkcs7",
        &p(&fixture(CLASSIC_PDF)),
        &p(&out),
        &p(&signer.path("key.pem")),
        &p(&signer.path("cert.pem")),
        &p(&pki("inter.cert.pem")),
        &p(&pki(ROOT_CERT)),
        "--ocsp",
        &p(&good),
        "--crl",
        &p(&fixture("signed/root.crl.pem")),
    ]);
    // No DSS: the answer travels inside the signature only.
    let bytes = std::fs::read(&out).unwrap();
    assert!(!bytes.windows(4).any(|w| w == b"/DSS"));
    let report = verify(&out);
    let sig = only(&report);
    assert_eq!(sig.sub_filter.as_deref(), Some("adbe.pkcs7.detached"));
    assert_eq!(sig.revocation, Revocation::Good, "{report:#?}");
    assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{report:#?}");
}

/// RFC 5940 §2.1: an OCSP answer carried in the SignedData's own `crls` field (RevocationInfoChoice
/// `other`, format id-ri-ocsp-response) is read like one in the DSS: good proves, revoked invalidates.
#[test]
fn an_answer_in_the_signed_data_crls_field_is_the_proof() {
    let dir = tempfile::tempdir().unwrap();
    let p = |path: &Path| path.display().to_string();
    for (serial, status) in [(0x0F09, OcspStatus::Good), (0x0F0A, OcspStatus::Revoked)] {
        let signer = signer(serial);
        let (ca, key) = inter();
        let answer = dir.path().join(format!("{serial:x}.der"));
        std::fs::write(
            &answer,
            openssl_ocsp_response(&signer.path("cert.pem"), status, (&ca, &key)),
        )
        .unwrap();
        let out = dir.path().join(format!("{serial:x}.pdf"));
        embed_revinfo(&[
            "sign-rfc5940",
            &p(&fixture(CLASSIC_PDF)),
            &p(&out),
            &p(&signer.path("key.pem")),
            &p(&signer.path("cert.pem")),
            &p(&pki("inter.cert.pem")),
            "--ocsp",
            &p(&answer),
        ]);
        let report = verify(&out);
        let sig = only(&report);
        assert!(
            sig.errors.is_empty() || status == OcspStatus::Revoked,
            "{report:#?}"
        );
        match status {
            OcspStatus::Good => {
                assert_eq!(sig.revocation, Revocation::Good, "{report:#?}");
                assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{report:#?}");
            }
            _ => {
                assert!(
                    matches!(sig.revocation, Revocation::Revoked { .. }),
                    "{report:#?}"
                );
                assert_eq!(report.verdict, Verdict::Invalid);
            }
        }
    }
}
