//! `motcua sign` through the real binary: the .p12 password from an environment variable, a
//! visible stamp with a transparent PNG seal, certification, PKCS#7, batch folders, and the
//! errors (wrong password, missing file, unset variable) that must name the file and exit 2.
//! pdfsig (with an NSS database trusting the test root) judges every output.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::prelude::*;
use common::*;

const PASSWORD_VAR: &str = "MOTCUA_TEST_P12_PASSWORD";

fn motcua() -> Command {
    let mut command = Command::cargo_bin("motcua").unwrap();
    command.env(PASSWORD_VAR, P12_PASSWORD);
    command
}

fn sign_command(p12: &str) -> Command {
    let mut command = motcua();
    command
        .arg("sign")
        .arg("--p12")
        .arg(pki(p12))
        .args(["--password-env", PASSWORD_VAR]);
    command
}

/// A 200×200 RGBA PNG: a red ring (opaque) on a fully transparent background.
fn write_seal(dir: &Path) -> PathBuf {
    let seal = image::RgbaImage::from_fn(200, 200, |x, y| {
        let (dx, dy) = (x as f32 - 100.0, y as f32 - 100.0);
        let r = (dx * dx + dy * dy).sqrt();
        if (70.0..95.0).contains(&r) {
            image::Rgba([200, 0, 0, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let path = dir.join("con-dau.png");
    seal.save(&path).unwrap();
    path
}

#[test]
fn p12_sign_with_visible_stamp_and_transparent_seal_validates() {
    let dir = tempfile::tempdir().unwrap();
    let seal = write_seal(dir.path());
    let out = dir.path().join("da-ky.pdf");
    let output = sign_command("signer-rsa2048.p12")
        .args(["--visible", "1,300,60,250,80", "--seal"])
        .arg(&seal)
        .args([
            "--reason",
            "Tiếp nhận hồ sơ",
            "--location",
            "UBND xã Tân Phú",
        ])
        .arg("-o")
        .arg(&out)
        .arg(fixture(CLASSIC_PDF))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let signed = std::fs::read(&out).unwrap();
    assert!(signed.starts_with(&input));
    assert_pdfsig_valid(&out, 1);
    let report = pdfsig(&out);
    assert!(
        report.contains("Signer full Distinguished Name"),
        "{report}"
    );

    // The seal is an RGB image with an 8-bit soft mask.
    let document = lopdf::Document::load(&out).unwrap();
    let with_smask = document
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image"))
        .filter(|s| s.dict.get(b"SMask").is_ok())
        .count();
    assert_eq!(with_smask, 1);

    // Render the page at 72 dpi: the ring's red shows, and the seal's transparent centre shows
    // the white box behind it rather than black.
    let prefix = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "72", "-f", "1", "-l", "1", "-png"])
        .arg(&out)
        .arg(&prefix)
        .status()
        .expect("pdftoppm is required (apt-get install poppler-utils)");
    assert!(status.success());
    let rendered = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("page"))
        .unwrap();
    let page = image::open(&rendered).unwrap().to_rgb8();
    let page_height = page.height() as f32;
    // The stamp box is x 300..550, y 60..140 (PDF, from the bottom); the seal square is
    // 72 pt at x 304..376, centred vertically. Image rows count from the top.
    let to_pixel = |x: f32, y: f32| page.get_pixel(x as u32, (page_height - y) as u32).0;
    let centre = to_pixel(340.0, 100.0);
    assert!(
        centre.iter().all(|&c| c > 200),
        "transparent centre of the seal should show white, got {centre:?}"
    );
    let reds = (0..72)
        .flat_map(|dx| (0..72).map(move |dy| (304.0 + dx as f32, 64.0 + dy as f32)))
        .map(|(x, y)| to_pixel(x, y))
        .filter(|[r, g, b]| *r > 150 && *g < 80 && *b < 80)
        .count();
    assert!(
        reds > 100,
        "the red ring should be drawn, found {reds} red pixels"
    );
}

#[test]
fn certification_with_pkcs7_subfilter() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("chung-thuc.pdf");
    sign_command("signer-p256.p12")
        .args(["--certify", "2", "--subfilter", "pkcs7", "-o"])
        .arg(&out)
        .arg(fixture(OBJSTM_PDF))
        .assert()
        .success();
    assert_pdfsig_valid(&out, 1);
    let report = pdfsig(&out);
    assert!(report.contains("adbe.pkcs7.detached"), "{report}");
    let document = lopdf::Document::load(&out).unwrap();
    let catalog = document.catalog().unwrap();
    assert!(catalog.get(b"Perms").is_ok(), "certification sets /Perms");
}

#[test]
fn batch_signs_every_pdf_of_a_folder() {
    let input_dir = tempfile::tempdir().unwrap();
    let output_dir = tempfile::tempdir().unwrap();
    for (index, source) in [CLASSIC_PDF, OBJSTM_PDF, LINEARIZED_PDF].iter().enumerate() {
        std::fs::copy(
            fixture(source),
            input_dir.path().join(format!("giay-to-{index}.pdf")),
        )
        .unwrap();
    }
    let output = sign_command("signer-rsa3072.p12")
        .arg("--batch")
        .arg(input_dir.path())
        .arg("--out-dir")
        .arg(output_dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("[3/3]"), "{stdout}");
    for index in 0..3 {
        assert_pdfsig_valid(&output_dir.path().join(format!("giay-to-{index}.pdf")), 1);
    }
}

#[test]
fn batch_with_a_broken_file_names_it_and_exits_2() {
    let input_dir = tempfile::tempdir().unwrap();
    let output_dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture(CLASSIC_PDF), input_dir.path().join("tot.pdf")).unwrap();
    std::fs::write(input_dir.path().join("hong.pdf"), b"%PDF-1.7 broken").unwrap();
    let output = sign_command("signer-rsa2048.p12")
        .arg("--batch")
        .arg(input_dir.path())
        .arg("--out-dir")
        .arg(output_dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("hong.pdf"), "{stderr}");
    assert_pdfsig_valid(&output_dir.path().join("tot.pdf"), 1);
    assert!(!output_dir.path().join("hong.pdf").exists());
}

#[test]
fn wrong_password_names_the_p12_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pdf");
    let output = sign_command("signer-rsa2048.p12")
        .env(PASSWORD_VAR, "sai-mat-khau")
        .arg("-o")
        .arg(&out)
        .arg(fixture(CLASSIC_PDF))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("signer-rsa2048.p12"), "{stderr}");
    assert!(
        !stderr.contains("sai-mat-khau"),
        "the password must not be echoed"
    );
    assert!(!out.exists());
}

#[test]
fn missing_input_is_named_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("khong-co.pdf");
    let output = sign_command("signer-rsa2048.p12")
        .arg("-o")
        .arg(dir.path().join("out.pdf"))
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("khong-co.pdf"));
}

#[test]
fn non_pdf_input_is_named_and_the_output_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let not_pdf = dir.path().join("anh.pdf");
    std::fs::write(&not_pdf, b"this is not a PDF").unwrap();
    let out = dir.path().join("out.pdf");
    let output = sign_command("signer-rsa2048.p12")
        .arg("-o")
        .arg(&out)
        .arg(&not_pdf)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("anh.pdf"));
    assert!(!out.exists());
}

#[test]
fn unset_password_variable_is_named_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = motcua()
        .env_remove("MOTCUA_NO_SUCH_VAR")
        .arg("sign")
        .arg("--p12")
        .arg(pki("signer-rsa2048.p12"))
        .args(["--password-env", "MOTCUA_NO_SUCH_VAR", "-o"])
        .arg(dir.path().join("out.pdf"))
        .arg(fixture(CLASSIC_PDF))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("MOTCUA_NO_SUCH_VAR"), "{stderr}");
}

#[test]
fn password_is_not_accepted_as_an_argument() {
    let output = motcua()
        .args(["sign", "--password", "x", "-o", "out.pdf", "in.pdf"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// A SoftHSM2 token in `dir` holding the RSA-2048 test key with its certificate and the
/// intermediate, set up with the Debian tools (softhsm2-util, OpenSC's pkcs11-tool, openssl).
fn softhsm_token(dir: &Path) -> PathBuf {
    const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
    let tokens = dir.join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    let run = |program: &str, args: &[&str]| {
        let output = Command::new(program)
            .env("SOFTHSM2_CONF", &conf)
            .args(args)
            .output()
            .unwrap_or_else(|e| {
                panic!("{program} is required (apt-get install softhsm2 opensc): {e}")
            });
        assert!(
            output.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(
        "softhsm2-util",
        &[
            "--init-token",
            "--free",
            "--label",
            "MotCua CLI",
            "--so-pin",
            "87654321",
            "--pin",
            "123456",
        ],
    );
    let key = pki("signer-rsa2048.key.pem");
    run(
        "softhsm2-util",
        &[
            "--import",
            key.to_str().unwrap(),
            "--token",
            "MotCua CLI",
            "--label",
            "Nguyen Van An",
            "--id",
            "01",
            "--pin",
            "123456",
        ],
    );
    for (cert, id) in [("signer-rsa2048.cert.pem", "01"), ("inter.cert.pem", "99")] {
        let der = dir.join(format!("{id}.der"));
        run(
            "openssl",
            &[
                "x509",
                "-in",
                pki(cert).to_str().unwrap(),
                "-outform",
                "DER",
                "-out",
                der.to_str().unwrap(),
            ],
        );
        run(
            "pkcs11-tool",
            &[
                "--module",
                MODULE,
                "--token-label",
                "MotCua CLI",
                "--login",
                "--pin",
                "123456",
                "--write-object",
                der.to_str().unwrap(),
                "--type",
                "cert",
                "--id",
                id,
                "--label",
                cert,
            ],
        );
    }
    conf
}

#[test]
fn pkcs11_token_signs_with_the_pin_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let conf = softhsm_token(dir.path());
    let sign = |pin: &str, out: &Path| {
        motcua()
            .env("SOFTHSM2_CONF", &conf)
            .env("MOTCUA_TEST_PIN", pin)
            .args([
                "sign",
                "--pkcs11-module",
                "/usr/lib/softhsm/libsofthsm2.so",
                "--token",
                "MotCua CLI",
                "--key-label",
                "Nguyen Van An",
                "--pin-env",
                "MOTCUA_TEST_PIN",
                "--visible",
                "1,300,60,250,60",
                "-o",
            ])
            .arg(out)
            .arg(fixture(CLASSIC_PDF))
            .output()
            .unwrap()
    };
    let out = dir.path().join("token.pdf");
    let output = sign("123456", &out);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_pdfsig_valid(&out, 1);

    let refused = dir.path().join("wrong-pin.pdf");
    let output = sign("000000", &refused);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("wrong PIN"), "{stderr}");
    assert!(!stderr.contains("000000"), "the PIN must not be echoed");
    assert!(!refused.exists());
}

#[test]
fn local_tsa_time_stamps_and_an_unreachable_one_warns() {
    use std::io::{BufRead, BufReader};
    // The local RFC 3161 TSA of the test suite (`openssl ts` behind a small Python server).
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/tsa_server.py");
    let mut tsa = Command::new(python())
        .arg(script)
        .arg(pki(""))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is required for the local TSA");
    let mut line = String::new();
    BufReader::new(tsa.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().strip_prefix("PORT ").unwrap().to_string();

    let dir = tempfile::tempdir().unwrap();
    let stamped = dir.path().join("b-t.pdf");
    let output = sign_command("signer-rsa2048.p12")
        .args(["--tsa", &format!("http://127.0.0.1:{port}/tsa"), "-o"])
        .arg(&stamped)
        .arg(fixture(CLASSIC_PDF))
        .output()
        .unwrap();
    let _ = tsa.kill();
    let _ = tsa.wait();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("có dấu thời gian"));
    assert_pdfsig_valid(&stamped, 1);
    let verdicts = assert_pyhanko_valid(&stamped, 1);
    assert_eq!(verdicts[0]["timestamp"]["intact"], true, "{verdicts:?}");
    assert_eq!(verdicts[0]["timestamp"]["valid"], true, "{verdicts:?}");

    // Port 9 on loopback refuses connections: the signature is still made (B-B), with a warning.
    let unstamped = dir.path().join("b-b.pdf");
    let output = sign_command("signer-rsa2048.p12")
        .args(["--tsa", "http://127.0.0.1:9/tsa", "-o"])
        .arg(&unstamped)
        .arg(fixture(CLASSIC_PDF))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cảnh báo"));
    assert_pdfsig_valid(&unstamped, 1);
}
