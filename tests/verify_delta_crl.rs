//! Delta CRLs (RFC 5280 §5.2.4) applied on top of their base CRL, indirect CRLs (§5.2.5)
//! reported as not checked, and partitioned CRLs used only for their own distribution point. The CRLs are made at run time by `openssl ca -gencrl` (increasing CRL
//! numbers) and `openssl crl -gendelta`, and read from a CRL folder as the desk's cache folder or
//! the portal's `--crl-dir` would be. The base CRL is stale today (next update 2026-11-15); the
//! delta is current, which is what makes the pair current.

mod common;

use std::path::Path;

use common::*;
use motcua::verify::{FileReport, Revocation, TrustStore, Verdict, VerifyOptions, verify_bytes};

/// Offline, trusting the test root; the root's CRL covers the intermediate; the CRL files in
/// `folder` are loaded with `add_crl_dir`.
fn options(folder: &Path) -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    trust.add_crl_file(&fixture("signed/root.crl.pem")).unwrap();
    trust.add_crl_dir(folder).unwrap();
    VerifyOptions { trust }
}

fn folder(dir: &Path, name: &str, crls: &[(&str, &[u8])]) -> std::path::PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir(&folder).unwrap();
    for (file, crl) in crls {
        std::fs::write(folder.join(file), crl).unwrap();
    }
    folder
}

fn only(report: &FileReport) -> &motcua::verify::SignatureReport {
    assert_eq!(report.signatures.len(), 1, "{report:#?}");
    &report.signatures[0]
}

/// The one signature's revocation is "not checked", the file INDETERMINATE, and a warning says `why`.
fn assert_not_checked(report: &FileReport, why: &str) {
    let sig = only(report);
    assert_eq!(sig.revocation, Revocation::NotChecked, "{report:#?}");
    assert_eq!(report.verdict, Verdict::Indeterminate);
    assert!(
        sig.warnings.iter().any(|w| w.contains(why)),
        "{:#?}",
        sig.warnings
    );
}

fn signer(serial: u32) -> Vec<u8> {
    let dead = format!("http://127.0.0.1:{}/inter.crl", free_port());
    TestSigner::new(serial, Some(&dead), None).sign()
}

#[test]
fn a_delta_crl_next_to_its_base_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let series = CrlSeries::new();
    let base = series.issue(&[], Some(("20261101000000Z", "20261115000000Z")), None);
    let newer = series.issue(&[("1301", "251101000000Z")], None, None);
    let delta = series.delta(&base, &newer);
    let both = folder(
        dir.path(),
        "both",
        &[
            ("inter-base.crl.pem", &base),
            ("inter-delta.crl.pem", &delta),
        ],
    );

    // Listed in the delta only: revoked.
    let report = verify_bytes(&signer(0x1301), "revoked.pdf", &options(&both));
    match &only(&report).revocation {
        Revocation::Revoked { date, .. } => assert!(date.starts_with("2025-11-01"), "{date}"),
        other => panic!("expected revoked, got {other:?}: {report:#?}"),
    }
    assert_eq!(report.verdict, Verdict::Invalid);

    // Listed in neither: good, although the base alone is stale (the delta is current).
    let unlisted = signer(0x1302);
    let report = verify_bytes(&unlisted, "good.pdf", &options(&both));
    assert_eq!(only(&report).revocation, Revocation::Good, "{report:#?}");
    assert_eq!(report.verdict, Verdict::ValidWithWarnings);

    // The base alone is stale; the delta alone is no proof.
    let base_only = folder(dir.path(), "base", &[("inter.crl.pem", &base)]);
    let report = verify_bytes(&unlisted, "base-only.pdf", &options(&base_only));
    let sig = only(&report);
    assert_eq!(sig.revocation, Revocation::NotChecked);
    assert!(
        sig.warnings.iter().any(|w| w.starts_with("stale CRL")),
        "{:#?}",
        sig.warnings
    );
    let delta_only = folder(dir.path(), "delta", &[("inter-delta.crl.pem", &delta)]);
    let report = verify_bytes(&unlisted, "delta-only.pdf", &options(&delta_only));
    let sig = only(&report);
    assert_eq!(sig.revocation, Revocation::NotChecked);
    assert_eq!(report.verdict, Verdict::Indeterminate);
    assert!(
        sig.warnings.iter().any(
            |w| w.contains("a delta CRL of “MotCua Test Intermediate CA”")
                && w.contains("has no usable base CRL")
        ),
        "{:#?}",
        sig.warnings
    );
}

#[test]
fn an_indirect_crl_is_reported_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let series = CrlSeries::new();
    let indirect = series.issue(&[], None, Some("indirect"));
    let crls = folder(dir.path(), "indirect", &[("inter.crl.pem", &indirect)]);
    let report = verify_bytes(&signer(0x1303), "indirect.pdf", &options(&crls));
    assert_not_checked(&report, "is an indirect CRL");
}

/// A partitioned CRL (its issuing distribution point names one distribution point, §6.3.3 (b)(2)(i))
/// answers for the certificates that list that point, and for no other.
#[test]
fn a_partitioned_crl_answers_only_for_its_own_distribution_point() {
    let dir = tempfile::tempdir().unwrap();
    let series = CrlSeries::new();
    let part2 = series.issue(&[("1305", "251101000000Z")], None, Some("partition2"));
    let crls = folder(dir.path(), "partition", &[("inter-part2.crl.pem", &part2)]);

    let listed = TestSigner::new(0x1305, Some(PARTITION_2_URL), None).sign();
    let report = verify_bytes(&listed, "part2-revoked.pdf", &options(&crls));
    assert!(
        matches!(only(&report).revocation, Revocation::Revoked { .. }),
        "{report:#?}"
    );
    let unlisted = TestSigner::new(0x1306, Some(PARTITION_2_URL), None).sign();
    let report = verify_bytes(&unlisted, "part2-good.pdf", &options(&crls));
    assert_eq!(only(&report).revocation, Revocation::Good, "{report:#?}");

    // Same issuer, same serial listed, but the certificate points at partition 1: this CRL is no answer.
    let other =
        TestSigner::new(0x1305, Some("http://crl.motcua.test/inter-part1.crl"), None).sign();
    let report = verify_bytes(&other, "part1.pdf", &options(&crls));
    assert_not_checked(&report, "covers another distribution point");
}

#[test]
fn the_cli_reads_a_crl_folder_with_a_delta() {
    let dir = tempfile::tempdir().unwrap();
    let series = CrlSeries::new();
    let base = series.issue(&[], Some(("20261101000000Z", "20261115000000Z")), None);
    let newer = series.issue(&[("1304", "251101000000Z")], None, None);
    let delta = series.delta(&base, &newer);
    let crls = folder(
        dir.path(),
        "cache",
        &[("inter-base.crl", &base), ("inter-delta.crl.pem", &delta)],
    );
    let run = |serial: u32| {
        let pdf = dir.path().join(format!("{serial:x}.pdf"));
        std::fs::write(&pdf, signer(serial)).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
            .arg("verify")
            .arg("--offline")
            .arg("--trust")
            .arg(pki(ROOT_CERT))
            .arg("--crl")
            .arg(fixture("signed/root.crl.pem"))
            .arg("--crl")
            .arg(&crls)
            .arg(&pdf)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = run(0x1305);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = run(0x1304);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("REVOKED"), "{text}");
}
