//! Helpers for the outbox tests (`tests/sync_*.rs`): the REAL sandbox portal binary on a loopback port over
//! a temp folder (tokens made with its CLI), an office data folder with signed dossiers ready to submit, and
//! the check that reads the portal's own database and files to prove "exactly once, byte for byte".
#![allow(dead_code)]

pub mod proxy;

#[path = "../support/signed_pdf.rs"]
mod shared;

use motcua::Desk;
use motcua::dossier::{Applicant, ApplicantKind, Channel, NewDossier, ResultReturn, Status};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

/// The office of every test: the agency prefix of dossier codes and of the portal token.
pub const OFFICE: &str = "000.00.06.H56";
pub const TOKEN_VAR: &str = "MOTCUA_TEST_PORTAL_TOKEN";
pub const MOTCUA_BIN: &str = env!("CARGO_BIN_EXE_motcua");

/// Builds `motcua-portal` (another workspace member, so Cargo does not build it for these tests) once.
pub fn portal_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // Without the variables Cargo sets for this test crate: build scripts that watch them would see a
        // changed environment and rebuild part of the dependency tree every time.
        let mut build = Command::new(env!("CARGO"));
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if (key.starts_with("CARGO_") && key != "CARGO_HOME" && key != "CARGO_TARGET_DIR")
                || key == "OUT_DIR"
            {
                build.env_remove(&key);
            }
        }
        let status = build
            .args([
                "build",
                "--quiet",
                "-p",
                "motcua-portal",
                "--bin",
                "motcua-portal",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build motcua-portal");
        assert!(status.success(), "building motcua-portal failed");
        let exe = std::env::current_exe().unwrap();
        // target/debug/deps/sync_x-hash → target/debug/motcua-portal
        exe.parent()
            .and_then(Path::parent)
            .unwrap()
            .join("motcua-portal")
    })
    .clone()
}

/// A free loopback port (bound, then released), for a portal started later at a known URL.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running portal; SIGKILLed on drop.
pub struct Portal {
    child: Child,
    pub url: String,
    pub dir: PathBuf,
}

impl Portal {
    pub fn start(dir: &Path, port: u16, extra: &[&str]) -> Portal {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.with_extension("log"))
            .unwrap();
        let mut child = Command::new(portal_bin())
            .arg("--db")
            .arg(dir)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--trust"])
            .arg(fixtures().join("pki/root.cert.pem"))
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("motcua-portal listening on ")
            .unwrap_or_else(|| panic!("portal did not start: {line:?}"))
            .to_owned();
        Portal {
            child,
            url,
            dir: dir.to_owned(),
        }
    }

    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the portal's CLI; returns stdout, panicking on failure.
pub fn portal_cli(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(portal_bin())
        .arg("--db")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "motcua-portal {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn token(dir: &Path, admin: bool) -> String {
    let mut args = vec!["token", "create", "--office", OFFICE];
    if admin {
        args.push("--admin");
    }
    portal_cli(dir, &args).trim().to_owned()
}

/// The repository's test fixtures (test PKI, PDFs).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A really signed PDF of at least `size` bytes (see tests/support/signed_pdf.rs).
pub fn signed_pdf(size: usize, seed: u64) -> Vec<u8> {
    shared::signed_pdf(&fixtures(), size, seed)
}

/// An office data folder configured for `url` with the token in [`TOKEN_VAR`] and small backoffs.
pub fn office(dir: &Path, url: &str, extra_settings: &[(&str, &str)]) -> Desk {
    let desk = Desk::open(dir).unwrap();
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalog/sample.json");
    desk.import_catalog(&catalog, "test").unwrap();
    for (k, v) in [
        ("agency.code", OFFICE),
        ("portal.url", url),
        ("portal.token-env", TOKEN_VAR),
        ("sync.backoff-base-ms", "20"),
        ("sync.backoff-max-ms", "200"),
    ]
    .iter()
    .chain(extra_settings)
    {
        desk.set_setting(k, v, "test").unwrap();
    }
    desk
}

/// Creates a dossier, attaches a PDF of `size` bytes to each mandatory document (the first one `bad` if
/// asked: unsigned, which the portal refuses), signs it and submits it. Returns its code and
/// the hex SHA-256 of each file by document code.
pub fn signed_dossier(
    desk: &Desk,
    n: u64,
    size: usize,
    bad: bool,
) -> (String, HashMap<String, String>) {
    let (code, files) = signed_unsubmitted(desk, n, size, bad);
    desk.submit(&code, "test").unwrap();
    (code, files)
}

/// As [`signed_dossier`], without the submission: the dossier is left `signed`, ready for "Nộp".
pub fn signed_unsubmitted(
    desk: &Desk,
    n: u64,
    size: usize,
    bad: bool,
) -> (String, HashMap<String, String>) {
    let dossier = desk
        .create_dossier(
            NewDossier {
                procedure_code: "1.001193".into(),
                applicant: Applicant {
                    full_name: format!("Nguyễn Văn Thử {n}"),
                    citizen_id: "001190012345".into(),
                    date_of_birth: None,
                    phone: String::new(),
                    address: String::new(),
                    email: String::new(),
                    kind: ApplicantKind::Citizen,
                },
                channel: Channel::Counter,
                result_return: ResultReturn::Counter,
                received_at: None,
                notes: String::new(),
            },
            "test",
        )
        .unwrap();
    let mut files = HashMap::new();
    for (i, doc) in dossier.documents.iter().filter(|d| d.mandatory).enumerate() {
        let mut bytes = signed_pdf(size + i * 1000, n * 100 + i as u64);
        if bad && i == 0 {
            bytes = b"%PDF-1.4\nno signature here\n%%EOF\n".to_vec();
        }
        let sha = desk
            .with_store(|s| s.put_blob(&bytes, "application/pdf"))
            .unwrap();
        desk.attach_document_pdf(&dossier.code, &doc.code, &sha, "test")
            .unwrap();
        files.insert(doc.code.clone(), sha);
    }
    desk.set_dossier_status(&dossier.code, Status::Ready, "test")
        .unwrap();
    desk.set_dossier_status(&dossier.code, Status::Signed, "test")
        .unwrap();
    (dossier.code, files)
}

/// Reads the portal's database and upload files: for each expected dossier, it is there exactly once, was
/// received (status 2) exactly once, and each document's stored bytes hash to the local SHA-256.
pub fn assert_on_portal_exactly_once(
    portal_dir: &Path,
    expected: &HashMap<String, HashMap<String, String>>,
) {
    let db = rusqlite::Connection::open(portal_dir.join("portal.sqlite3")).unwrap();
    let rows: Vec<(String, String)> = db
        .prepare("SELECT ma_ho_so, body FROM dossiers")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows.len(),
        expected.len(),
        "portal holds {} dossiers, expected {}",
        rows.len(),
        expected.len()
    );
    for (code, body) in rows {
        let files = expected
            .get(&code)
            .unwrap_or_else(|| panic!("unexpected dossier {code} on the portal"));
        let received: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM status_history WHERE ma_ho_so = ?1 AND trang_thai = 2",
                [&code],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(received, 1, "{code} received {received} times");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        let docs = body["TaiLieuNop"].as_array().unwrap();
        assert_eq!(docs.len(), files.len(), "{code}: documents on the portal");
        for doc in docs {
            let doc_code = doc["MaThanhPhanHoSo"].as_str().unwrap();
            let upload = doc["TepDinhKemId"].as_str().unwrap();
            let bytes =
                std::fs::read(portal_dir.join("uploads").join(format!("{upload}.bin"))).unwrap();
            assert_eq!(
                hex::encode(Sha256::digest(&bytes)),
                files[doc_code],
                "{code}/{doc_code}: bytes on the portal differ from the local file"
            );
        }
    }
}

/// One pass of the outbox worker (`--once`) with `token`, and the events it reported.
pub fn run_once(desk: &Desk, token: &str) -> (motcua::sync::RunReport, Vec<motcua::sync::Event>) {
    use motcua::sync::{self, Event, RunOptions, SyncConfig};
    let config = desk
        .with_store(|s| SyncConfig::from_store_with_token(s, token))
        .unwrap();
    let events = std::sync::Mutex::new(Vec::new());
    let record = |e: &Event| events.lock().unwrap().push(e.clone());
    let options = RunOptions {
        once: true,
        ..RunOptions::default()
    };
    let report = sync::run(&desk.data_dir(), &config, &options, "test", &record).unwrap();
    (report, events.into_inner().unwrap())
}

/// A "portal" on 127.0.0.1 that answers every request with `status_line` (e.g. "502 Bad Gateway"),
/// `content_type` and `body`, then closes: garbage, an HTML error page from a proxy, and the like.
pub fn canned_server(
    status_line: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = std::sync::Arc::new(body);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let body = body.clone();
            std::thread::spawn(move || {
                use std::io::{Read, Write};
                let mut buf = [0u8; 65536];
                let _ = stream.read(&mut buf);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status_line}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
    url
}

/// Submits two dossiers to a portal answering `status_line`/`content_type`/`body` (see [`canned_server`])
/// and checks the answer is a temporary failure: both jobs stay live after one attempt, each with a reason
/// naming `status_code` and saying the answer is not JSON. A long backoff keeps the run from a second try.
pub fn assert_canned_answer_is_a_temporary_failure(
    status_line: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    status_code: &str,
) {
    let tmp = tempfile::tempdir().unwrap();
    let url = canned_server(status_line, content_type, body);
    let desk = office(
        &tmp.path().join("office"),
        &url,
        &[
            ("sync.backoff-base-ms", "60000"),
            ("sync.backoff-max-ms", "60000"),
        ],
    );
    for n in 0..2 {
        signed_dossier(&desk, n, 5_000, false);
    }
    let (report, _) = run_once(&desk, "mcp_any");
    assert_eq!(report.accepted + report.failed, 0);
    for job in desk.queue().unwrap() {
        assert!(job.state.is_live(), "{job:?}");
        assert_eq!(job.attempts, 1, "{job:?}");
        let error = job.last_error.unwrap();
        assert!(
            error.contains(status_code) && error.contains("không phải JSON"),
            "{error}"
        );
    }
}

/// A draft dossier for 1.001193 (not signed: submitting it is an illegal transition); returns its code.
pub fn draft_dossier(desk: &Desk) -> String {
    desk.create_dossier(
        motcua::dossier::NewDossier {
            procedure_code: "1.001193".into(),
            applicant: motcua::dossier::Applicant {
                full_name: "Trần Thị Nháp".into(),
                citizen_id: "001190012345".into(),
                date_of_birth: None,
                phone: String::new(),
                address: String::new(),
                email: String::new(),
                kind: motcua::dossier::ApplicantKind::Citizen,
            },
            channel: motcua::dossier::Channel::Counter,
            result_return: motcua::dossier::ResultReturn::Counter,
            received_at: None,
            notes: String::new(),
        },
        "test",
    )
    .unwrap()
    .code
}
