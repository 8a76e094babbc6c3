//! The signature field's own /Lock dictionary (ISO 32000-2 §12.7.5.5) as a FieldMDP lock: files
//! made at run time by pyHanko (`embed_revinfo.py field-lock`) where the signed field "Sig1" has
//! `/Lock << /Action /Include /Fields [(HoTen)] >>` and the signature has no FieldMDP /Reference,
//! then one text field is filled in a later revision.

mod common;

use std::path::Path;

use common::*;
use motcua::verify::{ModificationLevel, TrustStore, Verdict, VerifyOptions};

fn case(dir: &Path, fill: &str) -> std::path::PathBuf {
    let out = dir.join(format!("lock-{fill}.pdf"));
    let p = |path: &Path| path.display().to_string();
    embed_revinfo(&[
        "field-lock",
        &p(&fixture(CLASSIC_PDF)),
        &p(&out),
        &p(&pki("signer-rsa2048.key.pem")),
        &p(&pki("signer-rsa2048.cert.pem")),
        &p(&pki("signer-rsa2048.chain.pem")),
        "HoTen",
        fill,
    ]);
    out
}

fn options() -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    trust.add_crl_file(&fixture("signed/root.crl.pem")).unwrap();
    trust
        .add_crl_file(&fixture("signed/revoked.crl.pem"))
        .unwrap();
    VerifyOptions { trust }
}

#[test]
fn a_field_locked_by_the_signature_fields_lock_may_not_be_filled() {
    let dir = tempfile::tempdir().unwrap();
    let locked = case(dir.path(), "HoTen");
    // The lock is only in the field: the signature dictionary has no /Reference.
    let doc = lopdf::Document::load(&locked).unwrap();
    let sig_dicts: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.has(b"ByteRange"))
        .collect();
    assert_eq!(sig_dicts.len(), 1);
    assert!(!sig_dicts[0].has(b"Reference"), "{:?}", sig_dicts[0]);
    assert!(
        doc.objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .any(|d| d.has(b"Lock"))
    );

    let report = motcua::verify::verify_file(&locked, &options()).unwrap();
    let sig = &report.signatures[0];
    assert_eq!(
        sig.modification,
        ModificationLevel::Disallowed,
        "{report:#?}"
    );
    assert!(
        sig.errors.iter().any(|e| e
            == "field “HoTen” is locked by the /Lock of this signature's field and was changed after signing"),
        "{:#?}",
        sig.errors
    );
    assert_eq!(report.verdict, Verdict::Invalid);
}

#[test]
fn a_field_the_lock_leaves_open_may_be_filled() {
    let dir = tempfile::tempdir().unwrap();
    let open = case(dir.path(), "GhiChu");
    let report = motcua::verify::verify_file(&open, &options()).unwrap();
    let sig = &report.signatures[0];
    assert_eq!(
        sig.modification,
        ModificationLevel::FormFilling,
        "{report:#?}"
    );
    assert!(sig.errors.is_empty(), "{:#?}", sig.errors);
    assert_eq!(report.verdict, Verdict::ValidWithWarnings);
}
