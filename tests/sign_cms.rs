//! CMS tests: decode what `cms::build_detached_signature` produced with the RustCrypto types,
//! check the PAdES signed attributes, and let `openssl cms -verify` check it against the
//! detached content and the test root.

mod common;

use std::process::Command;

use common::*;
use der::{Decode, Encode};
use motcua::sign::Signer;
use motcua::sign::cms::{
    SigningCertificateV2, build_detached_signature, max_detached_signature_len,
};

const CONTENT: &str = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả";

fn signed_data(der: &[u8]) -> cms::signed_data::SignedData {
    let info = cms::content_info::ContentInfo::from_der(der).unwrap();
    assert_eq!(info.content_type, der::oid::db::rfc6268::ID_SIGNED_DATA);
    info.content.decode_as().unwrap()
}

#[test]
fn signed_attributes_are_the_pades_set() {
    let signer = p12_signer("signer-rsa2048.p12");
    let digest = signer.digest_algorithm().digest(CONTENT.as_bytes());
    let der = build_detached_signature(&signer, &digest, None).unwrap();
    let data = signed_data(&der);
    assert!(data.encap_content_info.econtent.is_none(), "detached");
    assert_eq!(
        data.certificates.as_ref().unwrap().0.len(),
        2,
        "signer + intermediate"
    );
    let info = data.signer_infos.0.get(0).unwrap();
    let attrs = info.signed_attrs.as_ref().unwrap();
    let oids: Vec<_> = attrs.iter().map(|a| a.oid).collect();
    use der::oid::db::rfc5911::*;
    assert!(oids.contains(&ID_CONTENT_TYPE));
    assert!(oids.contains(&ID_MESSAGE_DIGEST));
    assert!(oids.contains(&ID_AA_SIGNING_CERTIFICATE_V_2));
    assert!(
        !oids.contains(&ID_SIGNING_TIME),
        "PAdES forbids signing-time"
    );

    let digest_attr = attrs.iter().find(|a| a.oid == ID_MESSAGE_DIGEST).unwrap();
    let value: der::asn1::OctetString = digest_attr.values.get(0).unwrap().decode_as().unwrap();
    assert_eq!(value.as_bytes(), digest.as_slice());

    let ess = attrs
        .iter()
        .find(|a| a.oid == ID_AA_SIGNING_CERTIFICATE_V_2)
        .unwrap();
    let ess: SigningCertificateV2 = ess.values.get(0).unwrap().decode_as().unwrap();
    let cert_der = signer.certificate().to_der().unwrap();
    let expected = motcua::sign::DigestAlgorithm::Sha256.digest(&cert_der);
    assert_eq!(ess.certs[0].cert_hash.as_bytes(), expected.as_slice());
    assert!(
        ess.certs[0].hash_algorithm.is_none(),
        "SHA-256 is the DEFAULT and omitted"
    );
    assert_eq!(
        &ess.certs[0].issuer_serial.as_ref().unwrap().serial_number,
        signer.certificate().tbs_certificate().serial_number()
    );
}

#[test]
fn signing_time_attribute_is_added_when_asked() {
    let signer = p12_signer("signer-p256.p12");
    let digest = signer.digest_algorithm().digest(CONTENT.as_bytes());
    let der =
        build_detached_signature(&signer, &digest, Some(std::time::SystemTime::now())).unwrap();
    let data = signed_data(&der);
    let info = data.signer_infos.0.get(0).unwrap();
    assert!(
        info.signed_attrs
            .as_ref()
            .unwrap()
            .iter()
            .any(|a| a.oid == der::oid::db::rfc5911::ID_SIGNING_TIME)
    );
}

#[test]
fn size_estimate_is_an_upper_bound_that_is_tight() {
    for p12 in [
        "signer-rsa2048.p12",
        "signer-rsa3072.p12",
        "signer-p256.p12",
        "signer-p384.p12",
    ] {
        let signer = p12_signer(p12);
        let estimate = max_detached_signature_len(&signer, None, None).unwrap();
        for content in ["a", "b", "c", "d", "e"] {
            let digest = signer.digest_algorithm().digest(content.as_bytes());
            let real = build_detached_signature(&signer, &digest, None)
                .unwrap()
                .len();
            assert!(
                real <= estimate && estimate - real <= 3,
                "{p12}: {real} vs {estimate}"
            );
        }
    }
}

#[test]
fn openssl_verifies_the_detached_signature() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content.txt");
    std::fs::write(&content, CONTENT).unwrap();
    for p12 in [
        "signer-rsa2048.p12",
        "signer-rsa3072.legacy.p12",
        "signer-p256.p12",
        "signer-p384.p12",
    ] {
        let signer = p12_signer(p12);
        let digest = signer.digest_algorithm().digest(CONTENT.as_bytes());
        let signature = dir.path().join("sig.der");
        std::fs::write(
            &signature,
            build_detached_signature(&signer, &digest, None).unwrap(),
        )
        .unwrap();
        let output = Command::new("openssl")
            .args([
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-purpose",
                "any",
                "-out",
                "/dev/null",
            ])
            .arg("-in")
            .arg(&signature)
            .arg("-content")
            .arg(&content)
            .arg("-CAfile")
            .arg(pki(ROOT_CERT))
            .output()
            .expect("openssl is required");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.contains("Verification successful"),
            "{p12}: {stderr}"
        );
    }
}
