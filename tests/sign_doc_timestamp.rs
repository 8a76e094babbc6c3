//! Document time-stamps added later to a B-B signature (`motcua timestamp`): a local RFC 3161 TSA
//! (tests/support/tsa_server.py on 127.0.0.1) stamps the signed file; our verifier, pyHanko and
//! pdfsig accept both the signature and the time-stamp; an unreachable TSA leaves no output.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::*;
use motcua::sign::doc_timestamp::timestamp_pdf;
use motcua::sign::timestamp::TsaClient;
use motcua::sign::{SignOptions, sign_pdf};
use motcua::verify::{ModificationLevel, TrustStore, Verdict, VerifyOptions, verify_bytes};

/// The local TSA; killed when dropped.
struct LocalTsa {
    child: Child,
    url: String,
}

impl LocalTsa {
    fn start() -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/tsa_server.py");
        let mut child = Command::new(common::python())
            .arg(script)
            .arg(pki(""))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is required for the local TSA");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().strip_prefix("PORT ").unwrap().to_owned();
        LocalTsa {
            url: format!("http://127.0.0.1:{port}/tsa"),
            child,
        }
    }
}

impl Drop for LocalTsa {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
