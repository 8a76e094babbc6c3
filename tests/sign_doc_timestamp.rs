//! Document time-stamps added later to a B-B signature (`motcua timestamp`): a local RFC 3161 TSA
//! (tests/support/tsa_server.py on 127.0.0.1) stamps the signed file; our verifier, pyHanko and
//! pdfsig accept both the signature and the time-stamp; an unreachable TSA leaves no output. The
//! same TSA behind TLS (a server certificate for 127.0.0.1 from the test PKI) serves https:// URLs.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use der::Encode as _;
use motcua::sign::doc_timestamp::timestamp_pdf;
use motcua::sign::timestamp::TsaClient;
use motcua::sign::{SignOptions, sign_pdf};
use motcua::verify::{ModificationLevel, TrustStore, Verdict, VerifyOptions, verify_bytes};

fn b_b_signed() -> Vec<u8> {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    sign_pdf(
        &input,
        &p12_signer("signer-rsa2048.p12"),
        &SignOptions::default(),
    )
    .unwrap()
}

fn trusted() -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    trust
        .add_crl_file(&fixture("signed/revoked.crl.pem"))
        .unwrap();
    trust.add_crl_file(&fixture("signed/root.crl.pem")).unwrap();
    VerifyOptions { trust }
}

#[test]
fn a_document_timestamp_added_later_validates_everywhere() {
    let tsa = LocalTsa::start();
    let signed = b_b_signed();
    let stamped = timestamp_pdf(&signed, &TsaClient::new(&tsa.url)).unwrap();
    assert_eq!(
        &stamped[..signed.len()],
        &signed[..],
        "incremental update only"
    );

    let report = verify_bytes(&stamped, "stamped.pdf", &trusted());
    assert_eq!(report.signatures.len(), 2, "{report:#?}");
    let stamp = report
        .signatures
        .iter()
        .find(|s| s.kind == "DocTimeStamp")
        .expect("a DocTimeStamp");
    let sig = report.signatures.iter().find(|s| s.kind == "Sig").unwrap();
    assert_eq!(stamp.sub_filter.as_deref(), Some("ETSI.RFC3161"));
    assert_eq!(stamp.verdict, Verdict::Valid, "{report:#?}");
    assert!(stamp.whole_document && stamp.timestamp.as_ref().is_some_and(|t| t.trusted));
    assert!(sig.intact && sig.valid && sig.trusted, "{report:#?}");
    assert_eq!(sig.modification, ModificationLevel::Signatures);
    assert_ne!(report.verdict, Verdict::Invalid);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stamped.pdf");
    std::fs::write(&path, &stamped).unwrap();
    let verdicts = assert_pyhanko_valid(&path, 2);
    assert!(verdicts.iter().all(|v| v["intact"] == true));
    let report = pdfsig(&path);
    assert!(
        report.matches("Signature is Valid").count() >= 1
            && !report.contains("Signature is Invalid"),
        "{report}"
    );
}

#[test]
fn cli_timestamps_and_an_unreachable_tsa_leaves_no_output() {
    let tsa = LocalTsa::start();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("b-b.pdf");
    std::fs::write(&input, b_b_signed()).unwrap();
    let output = dir.path().join("b-b-stamped.pdf");
    let run = |url: &str, out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["timestamp", "--tsa", url, "-o"])
            .arg(out)
            .arg(&input)
            .output()
            .unwrap()
    };
    let ok = run(&tsa.url, &output);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let report = verify_bytes(&std::fs::read(&output).unwrap(), "out", &trusted());
    assert_eq!(report.signatures.len(), 2);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let missing = dir.path().join("never.pdf");
    let failed = run(&format!("http://127.0.0.1:{port}/tsa"), &missing);
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("b-b.pdf"), "{stderr}");
    assert!(!missing.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

fn openssl(args: &[&str]) {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A TLS server certificate for 127.0.0.1 issued by the test intermediate CA (chain, key).
fn server_certificate(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let p = |n: &str| dir.join(n).display().to_string();
    openssl(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        &p("tls.key"),
        "-out",
        &p("tls.csr"),
    ]);
    std::fs::write(
        dir.join("tls.ext"),
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        &p("tls.csr"),
        "-CA",
        &pki("inter.cert.pem").display().to_string(),
        "-CAkey",
        &pki("inter.key.pem").display().to_string(),
        "-set_serial",
        "4242",
        "-days",
        "30",
        "-extfile",
        &p("tls.ext"),
        "-out",
        &p("tls.crt"),
    ]);
    let chain = std::fs::read_to_string(p("tls.crt")).unwrap()
        + &std::fs::read_to_string(pki("inter.cert.pem")).unwrap();
    std::fs::write(p("tls.chain"), chain).unwrap();
    (dir.join("tls.chain"), dir.join("tls.key"))
}

#[test]
fn an_https_tsa_is_used_when_its_certificate_is_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let (chain, key) = server_certificate(dir.path());
    let tsa = LocalTsa::start_with(Some((&chain, &key)));
    assert!(tsa.url.starts_with("https://"));
    let root = x509_cert::Certificate::load_pem_chain(&std::fs::read(pki(ROOT_CERT)).unwrap())
        .unwrap()[0]
        .to_der()
        .unwrap();
    let mut client = TsaClient::new(&tsa.url);
    client.tls_roots = Some(vec![root]);
    let stamped = timestamp_pdf(&b_b_signed(), &client).unwrap();
    let report = verify_bytes(&stamped, "https.pdf", &trusted());
    assert!(
        report
            .signatures
            .iter()
            .any(|s| s.kind == "DocTimeStamp" && s.verdict == Verdict::Valid),
        "{report:#?}"
    );
    // With the public roots the test root is unknown: the TLS handshake fails, clearly.
    let error = timestamp_pdf(&b_b_signed(), &TsaClient::new(&tsa.url)).unwrap_err();
    assert!(error.to_string().contains(&tsa.url), "{error}");

    // The CLI: motcua sign --tsa https://… --tsa-ca root.pem makes a B-T signature.
    let input = dir.path().join("in.pdf");
    std::fs::copy(fixture(CLASSIC_PDF), &input).unwrap();
    let output = dir.path().join("b-t.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["sign", "--p12"])
        .arg(pki("signer-rsa2048.p12"))
        .args([
            "--password-env",
            "MOTCUA_TEST_P12",
            "--tsa",
            &tsa.url,
            "--tsa-ca",
        ])
        .arg(pki(ROOT_CERT))
        .arg("-o")
        .arg(&output)
        .arg(&input)
        .env("MOTCUA_TEST_P12", P12_PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = verify_bytes(&std::fs::read(&output).unwrap(), "b-t.pdf", &trusted());
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
}
