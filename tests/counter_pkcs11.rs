//! The sign screen's token path against SoftHSM2 (`apt-get install softhsm2`): a token initialised in a temp
//! folder is listed through the `pkcs11.modules` setting, and a wrong PIN for the whole dossier comes back as
//! the `wrong_pin` error code without the PIN in the message. Signing with a token key is covered by
//! tests/sign_pkcs11.rs (the same `Pkcs11Module::open_signer` the desk uses).

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;

use common::{birth_dossier, named_applicant};
use motcua::counter::SignKey;
use motcua::{Desk, ErrorCode};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const TOKEN: &str = "MotCua Counter Token";

#[test]
fn configured_tokens_are_listed_and_a_wrong_pin_is_named() {
    assert!(
        Path::new(MODULE).exists(),
        "{MODULE} is required: apt-get install softhsm2"
    );
    let softhsm = tempfile::tempdir().unwrap();
    let tokens = softhsm.path().join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    let conf = softhsm.path().join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    let status = Command::new("softhsm2-util")
        .env("SOFTHSM2_CONF", &conf)
        .args([
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--so-pin",
            "87654321",
            "--pin",
            "123456",
        ])
        .status()
        .expect("softhsm2-util is required: apt-get install softhsm2");
    assert!(status.success());
    // SAFETY: this test binary has one test, so no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("SOFTHSM2_CONF", &conf) };

    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    assert!(
        desk.pkcs11_tokens().unwrap().is_empty(),
        "no module configured, no token"
    );
    desk.set_setting("pkcs11.modules", &format!("[{MODULE:?}]"), "test")
        .unwrap();
    let found = desk.pkcs11_tokens().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].token.label, TOKEN);
    assert_eq!(found[0].module, Path::new(MODULE));

    let code = birth_dossier(&desk, named_applicant("Trần Văn Bình", "001090012345"));
    let no = AtomicBool::new(false);
    for doc in ["TP1", "TP2"] {
        desk.import_pages(
            &code,
            doc,
            &[common::scan(common::TEXT_SKEW_0)],
            &no,
            |_| {},
        )
        .unwrap();
        desk.assemble_document(&code, doc, "test", &no).unwrap();
    }
    let key = SignKey::Pkcs11 {
        module: MODULE.into(),
        token: TOKEN.into(),
        key_label: None,
    };
    let error = desk
        .sign_dossier(&code, &key, "000000", "test", &no, |_, _, _| {})
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::WrongPin, "{error}");
    assert!(!error.to_string().contains("000000"));
    let unknown = SignKey::Pkcs11 {
        module: MODULE.into(),
        token: "No Such Token".into(),
        key_label: None,
    };
    let error = desk
        .sign_dossier(&code, &unknown, "123456", "test", &no, |_, _, _| {})
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::TokenUnavailable, "{error}");
}
