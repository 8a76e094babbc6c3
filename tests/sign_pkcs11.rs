//! PKCS#11 tests against SoftHSM2: a token initialised in a temp folder, the test keys imported
//! with `softhsm2-util`, their certificates written as token objects; then list, log in, sign
//! on the token, and let pdfsig and pyHanko validate the PDFs. Needs `apt-get install softhsm2`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};

use common::*;
use cryptoki::object::{Attribute, CertificateType, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use der::Encode;
use motcua::sign::pkcs11::Pkcs11Module;
use motcua::sign::{RsaScheme, SignError, SignOptions, Signer, VisibleSignature, sign_pdf};
use x509_cert::Certificate;

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "MotCua Test Token";
const PIN: &str = "123456";
const SO_PIN: &str = "87654321";
/// A second token, removed by the test that pulls it out mid-signing.
const REMOVABLE: &str = "MotCua Removable";

struct Token {
    dir: tempfile::TempDir,
    module: Pkcs11Module,
}

/// The token is shared by the tests of this binary; the mutex serialises them because the
/// PKCS#11 login state is per application and token, not per session.
fn token() -> (MutexGuard<'static, ()>, &'static Pkcs11Module) {
    let (guard, token) = token_state();
    (guard, &token.module)
}

fn token_state() -> (MutexGuard<'static, ()>, &'static Token) {
    static LOCK: Mutex<()> = Mutex::new(());
    static TOKEN_STATE: OnceLock<Token> = OnceLock::new();
    let guard = LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    (guard, TOKEN_STATE.get_or_init(set_up_token))
}

fn softhsm_util(conf: &Path, args: &[&str]) {
    let output = Command::new("softhsm2-util")
        .env("SOFTHSM2_CONF", conf)
        .args(args)
        .output()
        .expect("softhsm2-util is required: apt-get install softhsm2");
    assert!(
        output.status.success(),
        "softhsm2-util {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn set_up_token() -> Token {
    assert!(
        Path::new(MODULE).exists(),
        "{MODULE} is required: apt-get install softhsm2"
    );
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    let conf = dir.path().join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    softhsm_util(
        &conf,
        &[
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--so-pin",
            SO_PIN,
            "--pin",
            PIN,
        ],
    );
    for (name, id, label) in [
        ("signer-rsa2048", "01", "Nguyen Van An"),
        ("signer-p256", "02", "Le Hoang Duc"),
    ] {
        let key = pki(&format!("{name}.key.pem"));
        softhsm_util(
            &conf,
            &[
                "--import",
                key.to_str().unwrap(),
                "--token",
                TOKEN,
                "--label",
                label,
                "--id",
                id,
                "--pin",
                PIN,
            ],
        );
    }
    softhsm_util(
        &conf,
        &[
            "--init-token",
            "--free",
            "--label",
            REMOVABLE,
            "--so-pin",
            SO_PIN,
            "--pin",
            PIN,
        ],
    );
    let p256 = pki("signer-p256.key.pem");
    softhsm_util(
        &conf,
        &[
            "--import",
            p256.to_str().unwrap(),
            "--token",
            REMOVABLE,
            "--label",
            "Le Hoang Duc",
            "--id",
            "02",
            "--pin",
            PIN,
        ],
    );
    // SAFETY: runs once, inside the OnceLock initialiser that every test of this binary waits
    // on before touching PKCS#11, so no other thread reads the environment concurrently.
    unsafe { std::env::set_var("SOFTHSM2_CONF", &conf) };
    let module = Pkcs11Module::load(Path::new(MODULE)).unwrap();

    // Certificates become token objects with the CKA_ID of their key.
    let context = cryptoki::context::Pkcs11::new(MODULE).unwrap();
    let _ = context.initialize(cryptoki::context::CInitializeArgs::new(
        cryptoki::context::CInitializeFlags::OS_LOCKING_OK,
    ));
    // (token, [(certificate file, CKA_ID, label)]).
    type TokenCertificates<'a> = (&'a str, &'a [(&'a str, u8, &'a str)]);
    let certificates: [TokenCertificates; 2] = [
        (
            TOKEN,
            &[
                ("signer-rsa2048.cert.pem", 1, "Nguyen Van An"),
                ("signer-p256.cert.pem", 2, "Le Hoang Duc"),
                ("inter.cert.pem", 0x99, "MotCua Test Intermediate CA"),
            ],
        ),
        (REMOVABLE, &[("signer-p256.cert.pem", 2, "Le Hoang Duc")]),
    ];
    for (token_label, certs) in certificates {
        let slot = context
            .get_slots_with_initialized_token()
            .unwrap()
            .into_iter()
            .find(|s| context.get_token_info(*s).unwrap().label().trim() == token_label)
            .unwrap();
        let session = context.open_rw_session(slot).unwrap();
        session
            .login(UserType::User, Some(&AuthPin::from(PIN)))
            .unwrap();
        for (file, id, label) in certs {
            let pem = std::fs::read(pki(file)).unwrap();
            let cert = Certificate::load_pem_chain(&pem).unwrap().remove(0);
            session
                .create_object(&[
                    Attribute::Class(ObjectClass::CERTIFICATE),
                    Attribute::CertificateType(CertificateType::X_509),
                    Attribute::Token(true),
                    Attribute::Id(vec![*id]),
                    Attribute::Label(label.as_bytes().to_vec()),
                    Attribute::Subject(cert.tbs_certificate().subject().to_der().unwrap()),
                    Attribute::Value(cert.to_der().unwrap()),
                ])
                .unwrap();
        }
        session.logout().unwrap();
    }
    Token { dir, module }
}

fn temp_pdf(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token-signed.pdf");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

#[test]
fn tokens_and_their_certificates_are_listed_without_the_pin() {
    let (_guard, module) = token();
    let tokens = module.tokens().unwrap();
    let token = tokens.iter().find(|t| t.label == TOKEN).unwrap();
    assert_eq!(token.manufacturer, "SoftHSM project");
    let certificates = module.certificates(TOKEN).unwrap();
    assert_eq!(certificates.len(), 3);
}

#[test]
fn rsa_key_on_the_token_signs_a_pdf_that_validates() {
    let (_guard, module) = token();
    let signer = module
        .open_signer(TOKEN, Some("Nguyen Van An"), PIN)
        .unwrap();
    assert_eq!(
        signer.chain().len(),
        1,
        "the intermediate on the token forms the chain"
    );
    let input = std::fs::read(fixture(OBJSTM_PDF)).unwrap();
    let options = SignOptions {
        visible: Some(VisibleSignature {
            rect: [300.0, 60.0, 250.0, 60.0],
            organisation: None,
            seal: None,
        }),
        ..SignOptions::default()
    };
    let signed = sign_pdf(&input, &signer, &options).unwrap();
    assert!(signed.starts_with(&input));
    let (_dir, out) = temp_pdf(&signed);
    assert_pdfsig_valid(&out, 1);
    let verdicts = assert_pyhanko_valid(&out, 1);
    assert_eq!(verdicts[0]["signing_cert_cn"], "Nguyễn Văn An");
}

#[test]
fn rsa_pss_on_the_token_validates() {
    let (_guard, module) = token();
    let signer = module
        .open_signer(TOKEN, Some("Nguyen Van An"), PIN)
        .unwrap()
        .with_rsa_scheme(RsaScheme::Pss);
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let signed = sign_pdf(&input, &signer, &SignOptions::default()).unwrap();
    let (_dir, out) = temp_pdf(&signed);
    assert_pdfsig_valid(&out, 1);
    assert_pyhanko_valid(&out, 1);
}

#[test]
fn ecdsa_key_on_the_token_signs_after_a_software_signature() {
    let (_guard, module) = token();
    let input = std::fs::read(fixture(LINEARIZED_PDF)).unwrap();
    let once = sign_pdf(
        &input,
        &p12_signer("signer-rsa3072.p12"),
        &SignOptions::default(),
    )
    .unwrap();
    let signer = module
        .open_signer(TOKEN, Some("Le Hoang Duc"), PIN)
        .unwrap();
    let twice = sign_pdf(&once, &signer, &SignOptions::default()).unwrap();
    let (_dir, out) = temp_pdf(&twice);
    assert_pdfsig_valid(&out, 2);
    let verdicts = assert_pyhanko_valid(&out, 2);
    assert_eq!(verdicts[1]["signing_cert_cn"], "Lê Hoàng Đức");
}

#[test]
fn wrong_pin_is_a_clear_error_without_the_pin() {
    let (_guard, module) = token();
    let error = module.open_signer(TOKEN, None, "000000").unwrap_err();
    assert!(matches!(error, SignError::WrongPin { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("wrong PIN") && message.contains(TOKEN),
        "{message}"
    );
    assert!(!message.contains("000000"), "{message}");
}

#[test]
fn several_keys_without_a_label_are_refused_with_their_labels() {
    let (_guard, module) = token();
    let error = module.open_signer(TOKEN, None, PIN).unwrap_err();
    assert!(matches!(error, SignError::KeyNotFound { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("Nguyen Van An") && message.contains("Le Hoang Duc"),
        "{message}"
    );
}

#[test]
fn unknown_token_lists_the_inserted_ones() {
    let (_guard, module) = token();
    let error = module.open_signer("Khong Co", None, PIN).unwrap_err();
    assert!(
        matches!(error, SignError::TokenNotFound { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains(TOKEN), "{error}");
}

#[test]
fn a_token_removed_mid_signing_gives_a_clear_error_and_no_output() {
    let (_guard, token) = token_state();
    let signer = token
        .module
        .open_signer(REMOVABLE, None, PIN)
        .expect("logged in to the removable token");
    // Pulled out between the PIN entry and the signature: SoftHSM2's token files disappear.
    softhsm_util(
        &token.dir.path().join("softhsm2.conf"),
        &["--delete-token", "--token", REMOVABLE],
    );
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("signed.pdf");
    let error = motcua::sign::sign_file(
        &fixture(CLASSIC_PDF),
        &output,
        &signer,
        &SignOptions::default(),
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("classic.pdf"), "{message}");
    assert!(message.contains("token"), "{message}");
    assert!(!output.exists(), "no output file");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file left"
    );
}
