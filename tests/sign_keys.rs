//! Key loading tests on the committed test PKI: PKCS#12 in modern (PBES2/AES-256) and legacy
//! (3DES/RC2) encryption, PEM/PKCS#8, and the refusals (wrong password, expired, not yet
//! valid, wrong key usage, key/certificate mismatch) with the reason in the message.

mod common;

use common::*;
use motcua::sign::keys::{subject_common_name, subject_organization};
use motcua::sign::{DigestAlgorithm, SignError, Signer, SoftwareSigner};

const USABLE: [(&str, &str); 4] = [
    ("signer-rsa2048", "Nguyễn Văn An"),
    ("signer-rsa3072", "Trần Thị Bích Ngọc"),
    ("signer-p256", "Lê Hoàng Đức"),
    ("signer-p384", "Phạm Thị Hương"),
];

#[test]
fn modern_and_legacy_p12_load_the_same_key_and_chain() {
    for (name, common_name) in USABLE {
        let modern = p12_signer(&format!("{name}.p12"));
        let legacy = p12_signer(&format!("{name}.legacy.p12"));
        for signer in [&modern, &legacy] {
            assert_eq!(subject_common_name(signer.certificate()), common_name);
            assert_eq!(
                signer.chain().len(),
                1,
                "{name}: the intermediate CA is embedded"
            );
            assert_eq!(
                subject_common_name(&signer.chain()[0]),
                "MotCua Test Intermediate CA"
            );
        }
        assert_eq!(modern.certificate(), legacy.certificate());
        // Same private key: PKCS#1 v1.5 and RFC 6979 ECDSA signatures are deterministic, so
        // both files must produce identical signatures over the same message.
        let message = "Hồ sơ số 000.00.01.H01-261127-0001".as_bytes();
        assert_eq!(
            modern.sign(message).unwrap(),
            legacy.sign(message).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn organisation_is_read_from_the_utf8_subject() {
    let signer = p12_signer("signer-rsa2048.p12");
    assert_eq!(
        subject_organization(signer.certificate()).as_deref(),
        Some("UBND xã Tân Phú")
    );
}

#[test]
fn digest_follows_the_key() {
    assert_eq!(
        p12_signer("signer-rsa2048.p12").digest_algorithm(),
        DigestAlgorithm::Sha256
    );
    assert_eq!(
        p12_signer("signer-p256.p12").digest_algorithm(),
        DigestAlgorithm::Sha256
    );
    assert_eq!(
        p12_signer("signer-p384.p12").digest_algorithm(),
        DigestAlgorithm::Sha384
    );
    assert_eq!(p12_signer("signer-rsa3072.p12").max_signature_len(), 384);
}

#[test]
fn pem_key_and_chain_load() {
    for (name, common_name) in USABLE {
        let signer = SoftwareSigner::from_pem_files(
            &pki(&format!("{name}.key.pem")),
            &pki(&format!("{name}.chain.pem")),
        )
        .unwrap();
        assert_eq!(subject_common_name(signer.certificate()), common_name);
        assert_eq!(signer.chain().len(), 1);
    }
}

#[test]
fn wrong_password_names_the_file_and_never_the_password() {
    for file in ["signer-rsa2048.p12", "signer-rsa2048.legacy.p12"] {
        let error = SoftwareSigner::from_pkcs12_file(&pki(file), "sai-mat-khau-123").unwrap_err();
        assert!(matches!(error, SignError::Pkcs12 { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(file), "{message}");
        assert!(message.contains("wrong password"), "{message}");
        assert!(!message.contains("sai-mat-khau-123"), "{message}");
        assert!(!format!("{error:?}").contains("sai-mat-khau-123"));
    }
}

#[test]
fn debug_output_shows_no_key_material() {
    let signer = p12_signer("signer-rsa2048.p12");
    let debug = format!("{signer:?}");
    assert!(debug.contains("Nguyễn Văn An"), "{debug}");
    assert!(debug.len() < 100, "{debug}");
}

#[test]
fn expired_certificate_is_refused_with_its_end_date() {
    for file in ["signer-expired.p12", "signer-expired.legacy.p12"] {
        let error = SoftwareSigner::from_pkcs12_file(&pki(file), P12_PASSWORD).unwrap_err();
        assert!(
            matches!(error, SignError::CertificateExpired { .. }),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("Võ Văn Hết Hạn"), "{message}");
        assert!(message.contains("2021-01-01"), "{message}");
    }
}

#[test]
fn not_yet_valid_certificate_is_refused_with_its_start_date() {
    let error =
        SoftwareSigner::from_pkcs12_file(&pki("signer-notyet.p12"), P12_PASSWORD).unwrap_err();
    assert!(
        matches!(error, SignError::CertificateNotYetValid { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("2038-01-01"), "{error}");
}

#[test]
fn certificate_without_signing_key_usage_is_refused() {
    let error =
        SoftwareSigner::from_pkcs12_file(&pki("signer-wrong-ku.p12"), P12_PASSWORD).unwrap_err();
    assert!(
        matches!(error, SignError::CertificateKeyUsage { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("digitalSignature"), "{error}");
    let error = SoftwareSigner::from_pem_files(
        &pki("signer-wrong-ku.key.pem"),
        &pki("signer-wrong-ku.chain.pem"),
    )
    .unwrap_err();
    assert!(
        matches!(error, SignError::CertificateKeyUsage { .. }),
        "{error:?}"
    );
}

#[test]
fn key_that_does_not_match_the_certificate_is_refused() {
    let error = SoftwareSigner::from_pem_files(
        &pki("signer-rsa2048.key.pem"),
        &pki("signer-rsa3072.chain.pem"),
    )
    .unwrap_err();
    assert!(
        matches!(error, SignError::KeyCertificateMismatch { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("signer-rsa2048.key.pem"),
        "{error}"
    );
}

#[test]
fn unreadable_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("hong.p12");
    std::fs::write(&garbage, b"not a pkcs12 file").unwrap();
    let error = SoftwareSigner::from_pkcs12_file(&garbage, P12_PASSWORD).unwrap_err();
    assert!(error.to_string().contains("hong.p12"), "{error}");
    let missing = dir.path().join("khong-co.p12");
    let error = SoftwareSigner::from_pkcs12_file(&missing, P12_PASSWORD).unwrap_err();
    assert!(matches!(error, SignError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("khong-co.p12"), "{error}");
    let error = SoftwareSigner::from_pem_files(
        &pki("signer-rsa2048.cert.pem"),
        &pki("signer-rsa2048.chain.pem"),
    )
    .unwrap_err();
    assert!(matches!(error, SignError::KeyFile { .. }), "{error:?}");
}
