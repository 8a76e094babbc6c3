//! A PKI made at test run time, for the revocation tests of the core (`tests/common`) and of the
//! portal (`portal/tests`, included with `#[path]`): certificates issued by the test intermediate
//! CA (with chosen CRL/OCSP URLs, extensions and validity), CRLs made by `openssl ca -gencrl`, and
//! OCSP responses made by `openssl ocsp` (file mode: request in, response out, the same responder
//! code as the online test's server). Self-contained: it finds `tests/fixtures` from either crate.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use motcua::sign::{SignOptions, SoftwareSigner, sign_pdf};

/// The repository's `tests/fixtures`, from the core crate or from a workspace member.
fn fixtures_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let here = manifest.join("tests/fixtures");
    if here.join("pki").exists() {
        here
    } else {
        manifest.join("../tests/fixtures")
    }
}

fn pki(name: &str) -> PathBuf {
    fixtures_dir().join("pki").join(name)
}

pub fn openssl(args: &[&str]) {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn s(path: &Path) -> String {
    path.display().to_string()
}

/// A certificate (and its key) issued by the test intermediate CA at run time.
pub struct TestSigner {
    dir: tempfile::TempDir,
}

impl TestSigner {
    /// A signing certificate valid for a year from now, with the given revocation URLs.
    pub fn new(serial: u32, crl_url: Option<&str>, ocsp_url: Option<&str>) -> TestSigner {
        let mut ext = String::from(
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
        );
        if let Some(url) = crl_url {
            ext.push_str(&format!("crlDistributionPoints=URI:{url}\n"));
        }
        if let Some(url) = ocsp_url {
            ext.push_str(&format!("authorityInfoAccess=OCSP;URI:{url}\n"));
        }
        TestSigner::issue(serial, "/C=VN/CN=Người Ký Trực Tuyến", &ext, None)
    }

    /// A delegated OCSP responder of the intermediate CA (extended key usage id-kp-OCSPSigning,
    /// RFC 6960 §4.2.2.2).
    pub fn ocsp_responder(serial: u32) -> TestSigner {
        TestSigner::issue(
            serial,
            "/C=VN/CN=MotCua Test OCSP Responder",
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=OCSPSigning\n",
            None,
        )
    }

    /// A certificate with `subject`, the extension lines `ext` (openssl x509v3 config syntax)
    /// and, when given, an explicit validity (`YYYYMMDDHHMMSSZ` start and end, through
    /// `openssl ca`); else valid for a year from now.
    pub fn issue(
        serial: u32,
        subject: &str,
        ext: &str,
        validity: Option<(&str, &str)>,
    ) -> TestSigner {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| s(&dir.path().join(n));
        openssl(&[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            subject,
            "-utf8",
            "-keyout",
            &p("key.pem"),
            "-out",
            &p("req.csr"),
        ]);
        std::fs::write(dir.path().join("ext.cnf"), ext).unwrap();
        let inter_cert = s(&pki("inter.cert.pem"));
        let inter_key = s(&pki("inter.key.pem"));
        match validity {
            None => openssl(&[
                "x509",
                "-req",
                "-in",
                &p("req.csr"),
                "-CA",
                &inter_cert,
                "-CAkey",
                &inter_key,
                "-set_serial",
                &serial.to_string(),
                "-days",
                "365",
                "-sha256",
                "-extfile",
                &p("ext.cnf"),
                "-out",
                &p("cert.pem"),
            ]),
            Some((start, end)) => {
                std::fs::write(dir.path().join("index.txt"), "").unwrap();
                std::fs::write(dir.path().join("serial"), format!("{serial:04X}\n")).unwrap();
                std::fs::write(
                    dir.path().join("ca.cnf"),
                    format!(
                        "[ca]\ndefault_ca=CA\n[CA]\ndatabase={0}/index.txt\nserial={0}/serial\nnew_certs_dir={0}\ndefault_md=sha256\npolicy=any\nunique_subject=no\n[any]\ncommonName=supplied\ncountryName=optional\n",
                        dir.path().display()
                    ),
                )
                .unwrap();
                openssl(&[
                    "ca",
                    "-batch",
                    "-utf8",
                    "-notext",
                    "-config",
                    &p("ca.cnf"),
                    "-cert",
                    &inter_cert,
                    "-keyfile",
                    &inter_key,
                    "-startdate",
                    start,
                    "-enddate",
                    end,
                    "-extfile",
                    &p("ext.cnf"),
                    "-in",
                    &p("req.csr"),
                    "-out",
                    &p("cert.pem"),
                ]);
            }
        }
        let chain = std::fs::read_to_string(p("cert.pem")).unwrap()
            + &std::fs::read_to_string(&inter_cert).unwrap();
        std::fs::write(p("chain.pem"), chain).unwrap();
        TestSigner { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The classic test PDF signed by this certificate with our signer (PAdES B-B).
    pub fn sign(&self) -> Vec<u8> {
        let signer =
            SoftwareSigner::from_pem_files(&self.path("key.pem"), &self.path("chain.pem")).unwrap();
        let input = std::fs::read(fixtures_dir().join("pdf/classic.pdf")).unwrap();
        sign_pdf(&input, &signer, &SignOptions::default()).unwrap()
    }

    /// The serial as `openssl ca` writes it in index.txt (hex, even length).
    pub fn index_serial(serial: u32) -> String {
        format!("{serial:04X}")
    }
}

/// A CRL of the intermediate CA listing `revoked` serials (hex), with optional explicit update
/// times; `forged`: signed by another key (the root's) under the intermediate's name.
pub fn make_crl(forged: bool, revoked: &[&str], times: Option<(&str, &str)>) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = if forged {
        // `openssl ca` wants a certificate matching the key: a self-made one with the
        // intermediate's subject and the root's key.
        let fake = dir.path().join("fake-inter.pem");
        let subject = String::from_utf8(
            Command::new("openssl")
                .args([
                    "x509",
                    "-noout",
                    "-subject",
                    "-nameopt",
                    "RFC2253,-esc_msb",
                    "-in",
                ])
                .arg(pki("inter.cert.pem"))
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let subject = subject.trim().trim_start_matches("subject=");
        let slashed: Vec<&str> = subject.split(',').rev().collect();
        let subject = format!("/{}", slashed.join("/"));
        openssl(&[
            "req",
            "-x509",
            "-utf8",
            "-key",
            &s(&pki("root.key.pem")),
            "-subj",
            &subject,
            "-days",
            "30",
            "-out",
            &s(&fake),
        ]);
        (fake, pki("root.key.pem"))
    } else {
        (pki("inter.cert.pem"), pki("inter.key.pem"))
    };
    let index: String = revoked
        .iter()
        .map(|s| format!("R\t301231000000Z\t250101000000Z\t{s}\tunknown\t/CN=revoked\n"))
        .collect();
    std::fs::write(dir.path().join("index.txt"), index).unwrap();
    std::fs::write(dir.path().join("crlnumber"), "01\n").unwrap();
    let conf = dir.path().join("ca.cnf");
    std::fs::write(
        &conf,
        format!(
            "[ca]\ndefault_ca=CA\n[CA]\ndatabase={0}/index.txt\ncrlnumber={0}/crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n",
            dir.path().display()
        ),
    )
    .unwrap();
    let out = dir.path().join("crl.pem");
    let (conf, cert, key, out_s) = (s(&conf), s(&cert), s(&key), s(&out));
    let mut args = vec![
        "ca", "-gencrl", "-config", &conf, "-cert", &cert, "-keyfile", &key, "-out", &out_s,
    ];
    if let Some((last, next)) = times {
        args.extend(["-crl_lastupdate", last, "-crl_nextupdate", next]);
    }
    openssl(&args);
    std::fs::read(out).unwrap()
}

/// How `openssl ocsp` answers for a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OcspStatus {
    Good,
    /// Revoked on 2025-01-01 (the index date).
    Revoked,
}

/// The DER OCSP response `openssl ocsp` (responder mode, request from a file) gives for `cert`
/// (issued by the intermediate CA), signed by `responder` (certificate, key); `responder_certs`
/// are put in the response's `certs` (a delegated responder's own certificate).
pub fn openssl_ocsp_response(
    cert: &Path,
    status: OcspStatus,
    responder: (&Path, &Path),
) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| s(&dir.path().join(n));
    let serial = String::from_utf8(
        Command::new("openssl")
            .args(["x509", "-noout", "-serial", "-in"])
            .arg(cert)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let serial = serial.trim().trim_start_matches("serial=").to_owned();
    let line = match status {
        OcspStatus::Good => format!("V\t301231000000Z\t\t{serial}\tunknown\t/CN=x\n"),
        OcspStatus::Revoked => {
            format!("R\t301231000000Z\t250101000000Z\t{serial}\tunknown\t/CN=x\n")
        }
    };
    std::fs::write(dir.path().join("index.txt"), line).unwrap();
    let inter = s(&pki("inter.cert.pem"));
    openssl(&[
        "ocsp",
        "-issuer",
        &inter,
        "-cert",
        &s(cert),
        "-no_nonce",
        "-reqout",
        &p("req.der"),
    ]);
    openssl(&[
        "ocsp",
        "-index",
        &p("index.txt"),
        "-CA",
        &inter,
        "-rsigner",
        &s(responder.0),
        "-rkey",
        &s(responder.1),
        "-reqin",
        &p("req.der"),
        "-respout",
        &p("resp.der"),
        "-ndays",
        "1",
    ]);
    std::fs::read(p("resp.der")).unwrap()
}

/// A one-file HTTP server on 127.0.0.1 answering every GET with `body`; counts the requests.
pub struct CrlServer {
    pub port: u16,
    pub hits: Arc<AtomicUsize>,
}

impl CrlServer {
    pub fn start(body: Vec<u8>) -> CrlServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                counter.fetch_add(1, Ordering::SeqCst);
                serve(stream, &body);
            }
        });
        CrlServer { port, hits }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/inter.crl", self.port)
    }
}

fn serve(stream: TcpStream, body: &[u8]) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let mut stream = reader.into_inner();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

/// The distribution point a partitioned CRL of [`CrlSeries`] names (`scope` `"partition2"`).
pub const PARTITION_2_URL: &str = "http://crl.motcua.test/inter-part2.crl";

/// Successive CRLs of the intermediate CA with increasing CRL numbers (`openssl ca -gencrl` with a
/// crlnumber file), and delta CRLs between two of them (`openssl crl -gendelta`).
pub struct CrlSeries {
    dir: tempfile::TempDir,
}

impl CrlSeries {
    pub fn new() -> CrlSeries {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("crlnumber"), "10\n").unwrap();
        std::fs::write(
            dir.path().join("ca.cnf"),
            format!(
                "[ca]\ndefault_ca=CA\n[CA]\ndatabase={0}/index.txt\ncrlnumber={0}/crlnumber\ndefault_md=sha256\ndefault_crl_days=30\ncrl_extensions=crlext\n[crlext]\nauthorityKeyIdentifier=keyid\n[indirect]\nauthorityKeyIdentifier=keyid\nissuingDistributionPoint=critical,@idp\n[idp]\nindirectCRL=TRUE\n[partition2]\nauthorityKeyIdentifier=keyid\nissuingDistributionPoint=critical,@idp_part2\n[idp_part2]\nfullname=URI:{1}\n",
                dir.path().display(),
                PARTITION_2_URL
            ),
        )
        .unwrap();
        CrlSeries { dir }
    }

    /// The next CRL (PEM) listing `revoked` (serial in hex, revocation date `YYMMDDHHMMSSZ`),
    /// with optional explicit (thisUpdate, nextUpdate); `scope`: an issuing distribution point
    /// (RFC 5280 §5.2.5) saying indirectCRL (`"indirect"`) or naming the distribution point
    /// [`PARTITION_2_URL`] (`"partition2"`).
    pub fn issue(
        &self,
        revoked: &[(&str, &str)],
        times: Option<(&str, &str)>,
        scope: Option<&str>,
    ) -> Vec<u8> {
        let index: String = revoked
            .iter()
            .map(|(serial, at)| format!("R\t301231000000Z\t{at}\t{serial}\tunknown\t/CN=revoked\n"))
            .collect();
        std::fs::write(self.dir.path().join("index.txt"), index).unwrap();
        let out = self.dir.path().join("crl.pem");
        let (conf, cert, key, out_s) = (
            s(&self.dir.path().join("ca.cnf")),
            s(&pki("inter.cert.pem")),
            s(&pki("inter.key.pem")),
            s(&out),
        );
        let mut args = vec![
            "ca", "-gencrl", "-config", &conf, "-cert", &cert, "-keyfile", &key, "-out", &out_s,
        ];
        if let Some((last, next)) = times {
            args.extend(["-crl_lastupdate", last, "-crl_nextupdate", next]);
        }
        if let Some(section) = scope {
            args.extend(["-crlexts", section]);
        }
        openssl(&args);
        std::fs::read(out).unwrap()
    }

    /// The delta CRL (PEM) from `base` to `newer` (two CRLs of this series), signed by the
    /// intermediate CA.
    pub fn delta(&self, base: &[u8], newer: &[u8]) -> Vec<u8> {
        let p = |n: &str| s(&self.dir.path().join(n));
        std::fs::write(p("base.pem"), base).unwrap();
        std::fs::write(p("newer.pem"), newer).unwrap();
        openssl(&[
            "crl",
            "-in",
            &p("base.pem"),
            "-gendelta",
            &p("newer.pem"),
            "-key",
            &s(&pki("inter.key.pem")),
            "-sha256",
            "-out",
            &p("delta.pem"),
        ]);
        std::fs::read(p("delta.pem")).unwrap()
    }
}
