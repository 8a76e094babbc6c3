//! Shared helpers of the signing tests: fixture paths, and the two external validators
//! (poppler's `pdfsig` with a private NSS database trusting the test root, and pyHanko).
//! A missing validator fails the test loudly: `make test` installs them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use motcua::sign::SoftwareSigner;

/// Password of every test .p12 (see tests/fixtures/pki/README.md).
pub const P12_PASSWORD: &str = "matkhau-thu-nghiem";

pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

pub fn pki(name: &str) -> PathBuf {
    fixture(&format!("pki/{name}"))
}

pub const ROOT_CERT: &str = "root.cert.pem";
pub const CLASSIC_PDF: &str = "pdf/classic.pdf";
pub const OBJSTM_PDF: &str = "pdf/objstm.pdf";
pub const LINEARIZED_PDF: &str = "pdf/linearized.pdf";

pub fn p12_signer(name: &str) -> SoftwareSigner {
    SoftwareSigner::from_pkcs12_file(&pki(name), P12_PASSWORD).unwrap()
}

fn require_tool(program: &str, hint: &str) {
    let found = Command::new(program).arg("-v").output().is_ok()
        || Command::new(program).arg("--version").output().is_ok();
    assert!(
        found,
        "`{program}` is required by this test but was not found: {hint}"
    );
}

/// An NSS database (shared by all tests of one binary) that trusts only the test root.
fn nss_db() -> &'static Path {
    static DB: OnceLock<tempfile::TempDir> = OnceLock::new();
    DB.get_or_init(|| {
        require_tool("certutil", "apt-get install libnss3-tools");
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sql:{}", dir.path().display());
        let status = Command::new("certutil")
            .args(["-N", "--empty-password", "-d", &db])
            .status()
            .unwrap();
        assert!(status.success(), "certutil -N failed");
        let status = Command::new("certutil")
            .args([
                "-A",
                "-n",
                "motcua-test-root",
                "-t",
                "CT,C,C",
                "-d",
                &db,
                "-i",
            ])
            .arg(pki(ROOT_CERT))
            .status()
            .unwrap();
        assert!(status.success(), "certutil -A failed");
        dir
    })
    .path()
}

/// pdfsig's report on `pdf`.
pub fn pdfsig(pdf: &Path) -> String {
    require_tool("pdfsig", "apt-get install poppler-utils");
    let output = Command::new("pdfsig")
        .arg("-nssdir")
        .arg(format!("sql:{}", nss_db().display()))
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// Asserts pdfsig finds exactly `count` signatures, each valid with a trusted certificate.
pub fn assert_pdfsig_valid(pdf: &Path, count: usize) {
    let report = pdfsig(pdf);
    assert_eq!(
        report
            .matches("Signature Validation: Signature is Valid.")
            .count(),
        count,
        "pdfsig report:\n{report}"
    );
    assert_eq!(
        report
            .matches("Certificate Validation: Certificate is Trusted.")
            .count(),
        count,
        "pdfsig report:\n{report}"
    );
    assert!(
        report.contains("Signature has not been modified.")
            || !report.contains("Signature is Invalid"),
        "pdfsig report:\n{report}"
    );
}

/// One pyHanko verdict per signature, as JSON values.
pub fn pyhanko(pdf: &Path) -> Vec<serde_json::Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/pyhanko_validate.py");
    let output = Command::new(python())
        .arg(script)
        .arg(pdf)
        .arg(pki(ROOT_CERT))
        .output()
        .expect("python3 is required (with `pip install pyhanko pyhanko-certvalidator`)");
    assert!(
        output.status.success(),
        "pyHanko validation could not run (pip install pyhanko pyhanko-certvalidator):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Asserts pyHanko finds `count` signatures, each intact, valid and trusted.
pub fn assert_pyhanko_valid(pdf: &Path, count: usize) -> Vec<serde_json::Value> {
    let verdicts = pyhanko(pdf);
    assert_eq!(verdicts.len(), count, "{verdicts:?}");
    for verdict in &verdicts {
        assert_eq!(verdict["intact"], true, "{verdict}");
        assert_eq!(verdict["valid"], true, "{verdict}");
        assert_eq!(verdict["trusted"], true, "{verdict}");
    }
    verdicts
}

/// The Python with pyHanko: `$MOTCUA_PYTHON`, else the venv `make test` creates (`.tools/venv`), else `python3`.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("MOTCUA_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}
