//! Test harness: runs the real `motcua-portal` binary on an ephemeral loopback port over a temporary
//! data dir, creates tokens through its CLI, and speaks tus to it with `reqwest`.

#![allow(dead_code)] // each test file uses a different subset

#[path = "../../../tests/support/signed_pdf.rs"]
mod shared;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use base64::Engine as _;
use reqwest::{Client, Method, Response};
use sha2::{Digest, Sha256};

/// Path of the binary under test.
pub const PORTAL_BIN: &str = env!("CARGO_BIN_EXE_motcua-portal");

/// A running portal process. Killed (SIGKILL) when dropped.
pub struct Portal {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    pub data_dir: PathBuf,
    /// The portal's stderr (its log) is written here.
    pub log_path: PathBuf,
}

impl Portal {
    /// Starts `motcua-portal serve` on `127.0.0.1:0` and waits for its "listening on" line.
    pub fn start(data_dir: &Path, extra_args: &[&str]) -> Portal {
        let log_path = data_dir.with_extension(format!("log-{}", rand_suffix()));
        let log = std::fs::File::create(&log_path).unwrap();
        let mut child = Command::new(PORTAL_BIN)
            .arg("--db")
            .arg(data_dir)
            .args(["serve", "--bind", "127.0.0.1:0", "--trust"])
            .arg(fixtures().join("pki/root.cert.pem"))
            .args(extra_args)
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
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Portal {
            child,
            url,
            data_dir: data_dir.to_path_buf(),
            log_path,
        }
    }

    /// Kills the process with SIGKILL, as a power cut would, and waits for it.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// The portal's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap()
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rand_suffix() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Runs the CLI against a data dir and returns (success, stdout, stderr).
pub fn cli(data_dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(PORTAL_BIN)
        .arg("--db")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Creates a token with `motcua-portal token create` and returns it.
pub fn create_token(data_dir: &Path, office: &str, admin: bool) -> String {
    let mut args = vec!["token", "create", "--office", office];
    if admin {
        args.push("--admin");
    }
    let (ok, stdout, stderr) = cli(data_dir, &args);
    assert!(ok, "token create failed: {stderr}");
    stdout.trim().to_string()
}

pub fn sha256_b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The repository's test fixtures (test PKI, PDFs).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// A really signed PDF of at least `size` bytes, different for each `seed` (see
/// tests/support/signed_pdf.rs): the portal verifies every document.
pub fn signed_pdf(size: usize, seed: u8) -> Vec<u8> {
    shared::signed_pdf(&fixtures(), size, u64::from(seed))
}

/// tus client calls used by the tests.
pub struct Tus<'a> {
    pub client: &'a Client,
    pub url: &'a str,
    pub token: &'a str,
}

impl Tus<'_> {
    /// POST /api/v1/uploads with the given declared SHA-256; returns the Location path.
    pub async fn create(&self, length: usize, declared_sha256_b64: &str, name: &str) -> String {
        let response = self
            .client
            .post(format!("{}/api/v1/uploads", self.url))
            .bearer_auth(self.token)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", length.to_string())
            .header(
                "Upload-Metadata",
                format!(
                    "filename {},sha256 {declared_sha256_b64}",
                    b64(name.as_bytes())
                ),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            201,
            "create: {:?}",
            response.text().await
        );
        response.headers()["location"].to_str().unwrap().to_string()
    }

    /// PATCH one chunk at `offset` with its true SHA-256.
    pub async fn patch(&self, location: &str, offset: usize, chunk: &[u8]) -> Response {
        self.patch_with_checksum(location, offset, chunk, &sha256_b64(chunk))
            .await
    }

    /// PATCH one chunk with an arbitrary `Upload-Checksum` value.
    pub async fn patch_with_checksum(
        &self,
        location: &str,
        offset: usize,
        chunk: &[u8],
        checksum_b64: &str,
    ) -> Response {
        self.client
            .request(Method::PATCH, format!("{}{location}", self.url))
            .bearer_auth(self.token)
            .header("Tus-Resumable", "1.0.0")
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Offset", offset.to_string())
            .header("Upload-Checksum", format!("sha256 {checksum_b64}"))
            .body(chunk.to_vec())
            .send()
            .await
            .unwrap()
    }

    /// HEAD: returns (status, Upload-Offset, Upload-State).
    pub async fn head(&self, location: &str) -> (u16, Option<u64>, Option<String>) {
        let response = self
            .client
            .head(format!("{}{location}", self.url))
            .bearer_auth(self.token)
            .header("Tus-Resumable", "1.0.0")
            .send()
            .await
            .unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        (
            response.status().as_u16(),
            header("upload-offset").map(|v| v.parse().unwrap()),
            header("upload-state"),
        )
    }

    /// Uploads a whole file in chunks of `chunk_size`; returns the upload id.
    pub async fn upload(&self, bytes: &[u8], name: &str, chunk_size: usize) -> String {
        let location = self.create(bytes.len(), &sha256_b64(bytes), name).await;
        let mut offset = 0;
        for chunk in bytes.chunks(chunk_size) {
            let response = self.patch(&location, offset, chunk).await;
            assert_eq!(
                response.status().as_u16(),
                204,
                "patch: {:?}",
                response.text().await
            );
            offset += chunk.len();
        }
        upload_id(&location)
    }
}

/// The upload id at the end of a Location path.
pub fn upload_id(location: &str) -> String {
    location.rsplit('/').next().unwrap().to_string()
}

/// A valid dossier JSON (national vocabulary) referencing the given uploads.
pub fn dossier_json(ma_ho_so: &str, uploads: &[(&str, &str)]) -> serde_json::Value {
    let documents: Vec<serde_json::Value> = uploads
        .iter()
        .map(|(id, name)| {
            serde_json::json!({
                "TepDinhKemId": id, "TenTepDinhKem": name, "MaThanhPhanHoSo": "TP1", "DuocSoHoa": true
            })
        })
        .collect();
    serde_json::json!({
        "MaHoSo": ma_ho_so,
        "MaTTHC": "1.001193",
        "TenTTHC": "Đăng ký khai sinh",
        "KenhThucHien": 1,
        "ChuHoSo": "Nguyễn Thị Bình",
        "SoGiayToChuHoSo": "001199012345",
        "LoaiDoiTuong": 1,
        "NgayTiepNhan": "20261127090000",
        "NgayHenTra": "20261127160000",
        "TrangThaiHoSo": 1,
        "HinhThuc": 0,
        "TaiLieuNop": documents,
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí đăng ký khai sinh", "MaPhiLePhi": "LP01", "HinhThucThu": 1, "Gia": 0, "LoaiPhiLePhi": 2}],
        "DinhDanhCHS": [{"LoaiDinhDanh": 1, "SoDinhDanh": "001199012345"}]
    })
}

/// POST /api/v1/dossiers; returns (status, raw body bytes).
pub async fn submit(
    client: &Client,
    url: &str,
    token: &str,
    key: &str,
    body: &serde_json::Value,
) -> (u16, Vec<u8>) {
    let response = client
        .post(format!("{url}/api/v1/dossiers"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(body).unwrap())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

/// Parses a JSON body.
pub fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}
