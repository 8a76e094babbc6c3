//! PAdES B-T tests: a local RFC 3161 TSA (`openssl ts -reply` behind a small Python HTTP server
//! on 127.0.0.1, tests/support/tsa_server.py) time-stamps our signatures; pyHanko checks the
//! time-stamp token is intact, valid and trusted, pdfsig that the signature stays valid. An
//! unreachable TSA downgrades to B-B unless the time-stamp is required.

mod common;

use common::*;
use motcua::sign::timestamp::{TsaClient, tst_info};
use motcua::sign::{SignError, SignOptions, sign_pdf_with_outcome};

fn options(tsa: TsaClient, required: bool) -> SignOptions {
    SignOptions {
        tsa: Some(tsa),
        timestamp_required: required,
        ..SignOptions::default()
    }
}

fn temp_pdf(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b-t.pdf");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

#[test]
fn tsa_answers_with_a_token_over_our_imprint() {
    let tsa = LocalTsa::start();
    let client = TsaClient::new(&tsa.url);
    let token = client
        .timestamp(motcua::sign::DigestAlgorithm::Sha256, b"chu ky")
        .unwrap();
    let info =
        tst_info(&<cms::content_info::ContentInfo as der::Decode>::from_der(&token).unwrap())
            .unwrap();
    assert_eq!(
        info.message_imprint.hashed_message.as_bytes(),
        motcua::sign::DigestAlgorithm::Sha256
            .digest(b"chu ky")
            .as_slice()
    );
}

#[test]
fn signature_time_stamp_makes_pades_b_t_that_validates() {
    let tsa = LocalTsa::start();
    for (pdf, p12) in [
        (CLASSIC_PDF, "signer-rsa2048.p12"),
        (OBJSTM_PDF, "signer-p256.legacy.p12"),
    ] {
        let input = std::fs::read(fixture(pdf)).unwrap();
        let outcome = sign_pdf_with_outcome(
            &input,
            &p12_signer(p12),
            &options(TsaClient::new(&tsa.url), true),
        )
        .unwrap();
        assert!(outcome.timestamped && outcome.timestamp_error.is_none());
        assert!(outcome.pdf.starts_with(&input));
        let (_dir, out) = temp_pdf(&outcome.pdf);
        assert_pdfsig_valid(&out, 1);
        let verdicts = assert_pyhanko_valid(&out, 1);
        let stamp = &verdicts[0]["timestamp"];
        assert_eq!(stamp["intact"], true, "{verdicts:?}");
        assert_eq!(stamp["valid"], true, "{verdicts:?}");
        assert_eq!(stamp["trusted"], true, "{verdicts:?}");
    }
}

#[test]
fn unreachable_tsa_falls_back_to_b_b_with_the_reason() {
    // A port nobody listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = TsaClient::new(format!("http://127.0.0.1:{port}/tsa"));
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let signer = p12_signer("signer-rsa2048.p12");
    let outcome = sign_pdf_with_outcome(&input, &signer, &options(client.clone(), false)).unwrap();
    assert!(!outcome.timestamped);
    assert!(
        outcome
            .timestamp_error
            .as_deref()
            .unwrap()
            .contains(&port.to_string())
    );
    let (_dir, out) = temp_pdf(&outcome.pdf);
    assert_pdfsig_valid(&out, 1);
    let verdicts = assert_pyhanko_valid(&out, 1);
    assert!(verdicts[0]["timestamp"].is_null());

    let error = sign_pdf_with_outcome(&input, &signer, &options(client, true)).unwrap_err();
    assert!(matches!(error, SignError::Timestamp { .. }), "{error:?}");
}
