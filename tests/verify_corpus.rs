//! Verifier tests: every case of the corpus in tests/fixtures/signed (made by make-signed.py)
//! gets the verdict written in its EXPECTED file; our own signer's output verifies and fails
//! once tampered; bad input gives a per-file result, never a panic; the CLI's exit codes.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use motcua::sign::{DocMdpPermissions, RsaScheme, SignOptions, SubFilter, sign_pdf};
use motcua::verify::{
    ModificationLevel, Revocation, TrustStore, Verdict, VerifyOptions, verify_bytes, verify_file,
};

const CORPUS: &str = "signed";
const EXPECTED: &str = "signed/EXPECTED";
const CRL: &str = "signed/revoked.crl.pem";
const ROOT_CRL: &str = "signed/root.crl.pem";

fn trusted() -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    trust.add_crl_file(&fixture(CRL)).unwrap();
    trust.add_crl_file(&fixture(ROOT_CRL)).unwrap();
    VerifyOptions { trust }
}

fn verdict(name: &str) -> Verdict {
    match name {
        "VALID" => Verdict::Valid,
        "VALID_WITH_WARNINGS" => Verdict::ValidWithWarnings,
        "INDETERMINATE" => Verdict::Indeterminate,
        "INVALID" => Verdict::Invalid,
        other => panic!("unknown verdict {other} in EXPECTED"),
    }
}

fn corpus_case(name: &str) -> PathBuf {
    fixture(&format!("{CORPUS}/{name}.pdf"))
}

#[test]
fn every_corpus_case_gets_its_expected_verdict() {
    let options = trusted();
    let expected = std::fs::read_to_string(fixture(EXPECTED)).unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in expected
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (name, want) = line.split_once(' ').unwrap();
        let report = verify_file(&corpus_case(name), &options).unwrap();
        if report.verdict != verdict(want.trim()) {
            wrong.push(format!(
                "{name}: expected {want}, got {:?}\n{:#?}",
                report.verdict, report
            ));
        }
        checked += 1;
    }
    assert!(checked >= 19, "EXPECTED lists {checked} cases");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_signature_blanked_by_a_later_revision_is_reported_as_removed() {
    let report = verify_file(&corpus_case("signature-blanked-later"), &trusted()).unwrap();
    assert_eq!(report.verdict, Verdict::Invalid);
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.contains("removed or replaced")),
        "{report:#?}"
    );
}

#[test]
fn untrusted_root_is_indeterminate() {
    let report = verify_file(&corpus_case("valid-rsa"), &VerifyOptions::default()).unwrap();
    assert_eq!(report.verdict, Verdict::Indeterminate);
    let sig = &report.signatures[0];
    assert!(sig.intact && sig.valid && !sig.trusted);
}

#[test]
fn revoked_signer_names_the_revocation() {
    let report = verify_file(&corpus_case("valid-p256-revoked"), &trusted()).unwrap();
    let sig = &report.signatures[0];
    assert!(matches!(sig.revocation, Revocation::Revoked { .. }));
    // Without the CRL the same file is valid with a warning: the test signer names no CRL or
    // OCSP source, so there is nothing to check (a signer that names one is INDETERMINATE then:
    // tests/verify_revocation.rs).
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    let report = verify_file(&corpus_case("valid-p256-revoked"), &VerifyOptions { trust }).unwrap();
    assert_eq!(report.verdict, Verdict::ValidWithWarnings);
    assert_eq!(report.signatures[0].revocation, Revocation::NoSource);
    assert!(
        report.signatures[0]
            .warnings
            .iter()
            .any(|w| w.starts_with("revocation not checked"))
    );
}

#[test]
fn our_signer_verifies_and_a_flipped_byte_breaks_it() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    for key in ["signer-rsa2048.p12", "signer-p256.p12", "signer-p384.p12"] {
        let signer = p12_signer(key);
        let signed = sign_pdf(&input, &signer, &SignOptions::default()).unwrap();
        let mut trust = TrustStore::new();
        trust.add_anchors(&pki(ROOT_CERT)).unwrap();
        let options = VerifyOptions { trust };
        let report = verify_bytes(&signed, key, &options);
        assert_eq!(
            report.verdict,
            Verdict::ValidWithWarnings,
            "{key}: {report:#?}"
        );
        assert!(report.signatures[0].whole_document);
        assert!(report.signatures[0].digest.is_some());

        let mut tampered = signed.clone();
        let at = tampered.windows(5).position(|w| w == b"/Page").unwrap() + 3;
        tampered[at] ^= 0x20;
        let report = verify_bytes(&tampered, key, &options);
        assert_eq!(
            report.verdict,
            Verdict::Invalid,
            "{key} tampered: {report:#?}"
        );
        assert!(!report.signatures[0].intact);
    }
}

/// The verifier leaves image data out of its first load (it is most of a scan's bytes), so the
/// comparison of revisions must reload it: a second signature is then not mistaken for a
/// changed image, and a later revision that swaps a signed page's image for other pixels with
/// the same dictionary (a shadow "replace" attack) is found.
#[test]
fn images_are_compared_in_full_across_revisions() {
    use lopdf::{IncrementalDocument, Object};
    use motcua::pdf::{AssembleOptions, Profile, assemble};

    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("scan.pdf");
    let options = AssembleOptions {
        profile: Profile::Archive,
        clean: false,
        ..AssembleOptions::default()
    };
    assemble(&[fixture("scans/colour-stamp-150.jpg")], &options, &scan).unwrap();
    let signed = sign_pdf(
        &std::fs::read(&scan).unwrap(),
        &p12_signer("signer-rsa2048.p12"),
        &SignOptions::default(),
    )
    .unwrap();
    let untouched = verify_bytes(&signed, "signed.pdf", &root_only());
    assert_eq!(
        untouched.signatures[0].modification,
        ModificationLevel::None
    );

    let previous = lopdf::Document::load_mem(&signed).unwrap();
    let (image_id, image) = previous
        .objects
        .iter()
        .find_map(|(id, object)| match object {
            Object::Stream(s)
                if s.dict.get(b"Subtype").ok() == Some(&Object::Name(b"Image".to_vec())) =>
            {
                Some((*id, s.clone()))
            }
            _ => None,
        })
        .expect("the scan has an image");
    // A tool that re-saves incrementally may write an object again unchanged: not a change.
    let mut resaved = IncrementalDocument::create_from(signed.clone(), previous.clone());
    resaved
        .new_document
        .set_object(image_id, Object::Stream(image.clone()));
    let mut rewritten = Vec::new();
    resaved.save_to(&mut rewritten).unwrap();
    let report = verify_bytes(&rewritten, "rewritten.pdf", &root_only());
    assert!(
        report.signatures[0].modification < ModificationLevel::Disallowed,
        "{report:#?}"
    );

    let mut swapped = image;
    swapped.content.reverse();
    let mut update = IncrementalDocument::create_from(signed.clone(), previous);
    update
        .new_document
        .set_object(image_id, Object::Stream(swapped));
    let mut attacked = Vec::new();
    update.save_to(&mut attacked).unwrap();

    let report = verify_bytes(&attacked, "attacked.pdf", &root_only());
    assert_eq!(
        report.signatures[0].modification,
        ModificationLevel::Disallowed,
        "{report:#?}"
    );
    assert_eq!(report.verdict, Verdict::Invalid, "{report:#?}");
}

fn root_only() -> VerifyOptions {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    VerifyOptions { trust }
}

#[test]
fn our_rsa_pss_and_pkcs7_detached_signatures_verify() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let pss = p12_signer("signer-rsa3072.p12").with_rsa_scheme(RsaScheme::Pss);
    let signed = sign_pdf(&input, &pss, &SignOptions::default()).unwrap();
    let report = verify_bytes(&signed, "pss", &root_only());
    assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{report:#?}");

    let legacy = SignOptions {
        sub_filter: SubFilter::Pkcs7Detached,
        ..SignOptions::default()
    };
    let signed = sign_pdf(&input, &p12_signer("signer-p256.p12"), &legacy).unwrap();
    let report = verify_bytes(&signed, "pkcs7", &root_only());
    assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{report:#?}");
    assert_eq!(
        report.signatures[0].sub_filter.as_deref(),
        Some("adbe.pkcs7.detached")
    );
}

#[test]
fn legacy_sha1_signature_is_checked_against_the_document() {
    let legacy = std::fs::read(corpus_case("legacy-pkcs7-sha1")).unwrap();
    let report = verify_bytes(&legacy, "legacy", &root_only());
    let sig = &report.signatures[0];
    assert!(sig.intact && sig.valid, "{report:#?}");
    assert!(sig.warnings.iter().any(|w| w.contains("legacy")));
    assert!(sig.errors.iter().any(|e| e.contains("weak")));
    let mut tampered = legacy.clone();
    let at = tampered.windows(5).position(|w| w == b"/Page").unwrap() + 3;
    tampered[at] ^= 0x20;
    let report = verify_bytes(&tampered, "legacy tampered", &root_only());
    assert!(!report.signatures[0].intact, "{report:#?}");
}

#[test]
fn embedded_dss_crls_are_used_without_crl_files() {
    let report = verify_file(&corpus_case("lt-embedded-crls"), &root_only()).unwrap();
    assert_eq!(report.verdict, Verdict::Valid, "{report:#?}");
    assert_eq!(report.signatures[0].revocation, Revocation::Good);
    assert_eq!(
        report.signatures[0].time_source,
        motcua::verify::TimeSource::Timestamp
    );
}

#[test]
fn our_certification_then_our_approval_is_allowed_by_p2() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let certify = SignOptions {
        certify: Some(DocMdpPermissions::FormFilling),
        ..SignOptions::default()
    };
    let certified = sign_pdf(&input, &p12_signer("signer-rsa2048.p12"), &certify).unwrap();
    let approved = sign_pdf(
        &certified,
        &p12_signer("signer-p384.p12"),
        &SignOptions::default(),
    )
    .unwrap();
    let report = verify_bytes(&approved, "certified+approved", &root_only());
    assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{report:#?}");
    let certification = report
        .signatures
        .iter()
        .find(|s| s.certification.is_some())
        .expect("the certification signature is found");
    assert_eq!(certification.certification, Some(2));
    assert!(!certification.whole_document);
    assert_eq!(certification.modification, ModificationLevel::Signatures);
}

fn with_replaced(data: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = data.windows(from.len()).position(|w| w == from).unwrap();
    let mut out = data[..at].to_vec();
    out.extend_from_slice(to);
    out.extend_from_slice(&data[at + from.len()..]);
    out
}

#[test]
fn bad_input_gives_a_result_never_a_panic() {
    let options = trusted();
    let valid = std::fs::read(corpus_case("valid-rsa")).unwrap();
    // Truncated at several points.
    for cut in [0, 10, valid.len() / 3, valid.len() / 2, valid.len() - 40] {
        let report = verify_bytes(&valid[..cut], "truncated", &options);
        assert_ne!(report.verdict, Verdict::Valid, "cut at {cut}");
        assert_ne!(report.verdict, Verdict::ValidWithWarnings, "cut at {cut}");
    }
    // Garbage in /Contents: same length, not CMS. The signature's /Contents is the long hex
    // string just before /ByteRange in pyHanko's output.
    let range_at = valid.windows(10).position(|w| w == b"/ByteRange").unwrap();
    let open = valid[..range_at].iter().rposition(|b| *b == b'<').unwrap() + 1;
    assert!(
        range_at - open > 1000,
        "the /Contents hex string was not found"
    );
    let mut garbage = valid.clone();
    for byte in &mut garbage[open..open + 64] {
        *byte = b'A';
    }
    let report = verify_bytes(&garbage, "garbage", &options);
    assert_eq!(report.verdict, Verdict::Invalid, "{report:#?}");
    assert!(
        report.signatures[0].errors[0].contains("CMS"),
        "{report:#?}"
    );
    // A CMS with no signer: the real SignedData re-encoded with an empty SignerInfos.
    let hex_text = std::str::from_utf8(&valid[open..range_at]).unwrap();
    let hex_text = &hex_text[..hex_text.rfind('>').unwrap()];
    let der_bytes = hex::decode(hex_text).unwrap();
    let (info, _) =
        <cms::content_info::ContentInfo as der::Decode>::from_der_partial(&der_bytes).unwrap();
    let mut signed: cms::signed_data::SignedData = info.content.decode_as().unwrap();
    signed.signer_infos = cms::signed_data::SignerInfos::try_from(Vec::new()).unwrap();
    let info = cms::content_info::ContentInfo {
        content_type: info.content_type,
        content: der::Any::encode_from(&signed).unwrap(),
    };
    let mut no_signer_hex = hex::encode(der::Encode::to_der(&info).unwrap());
    no_signer_hex.extend(std::iter::repeat_n(
        '0',
        hex_text.len() - no_signer_hex.len(),
    ));
    let no_signer = with_replaced(&valid, hex_text.as_bytes(), no_signer_hex.as_bytes());
    let report = verify_bytes(&no_signer, "no-signer", &options);
    assert_eq!(report.verdict, Verdict::Invalid, "{report:#?}");
    assert!(
        report.signatures[0]
            .errors
            .iter()
            .any(|e| e.contains("no SignerInfo")),
        "{report:#?}"
    );
    // Huge /ByteRange values, written over the original with the same length so the xref
    // offsets stay right.
    let find =
        |from: usize, what: u8| from + valid[from..].iter().position(|b| *b == what).unwrap();
    let range_at = valid.windows(10).position(|w| w == b"/ByteRange").unwrap();
    let (open, close) = (find(range_at, b'['), find(range_at, b']'));
    let original = &valid[open..=close];
    let mut huge = b"[0 9 9 ".to_vec();
    huge.resize(original.len() - 1, b'9');
    huge.push(b']');
    let report = verify_bytes(&with_replaced(&valid, original, &huge), "huge", &options);
    assert_eq!(report.verdict, Verdict::Invalid, "{report:#?}");
    assert!(report.signatures[0].errors[0].contains("outside the file"));
    // A file over the size limit (sparse, so it costs no disk) is refused before reading.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.pdf");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(motcua::verify::MAX_FILE_SIZE + 1)
        .unwrap();
    let report = verify_file(&big, &options).unwrap();
    assert_eq!(report.verdict, Verdict::Indeterminate);
    assert!(report.errors[0].contains("limit"), "{report:#?}");
    // Not a PDF at all.
    let report = verify_bytes(b"hello", "hello", &options);
    assert_eq!(report.verdict, Verdict::Indeterminate);
    assert!(!report.errors.is_empty());
}

fn motcua() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("motcua").unwrap()
}

fn arg(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn cli_exit_codes_and_reports() {
    let root = arg(&pki(ROOT_CERT));
    motcua()
        .args(["verify", "--trust", &root, &arg(&corpus_case("valid-rsa"))])
        .assert()
        .code(0);
    motcua()
        .args([
            "verify",
            "--trust",
            &root,
            &arg(&corpus_case("byte-flipped")),
        ])
        .assert()
        .code(1);
    motcua()
        .args(["verify", "--trust", &root, "/nonexistent/file.pdf"])
        .assert()
        .code(2);
    let dir = tempfile::tempdir().unwrap();
    let out = motcua()
        .args(["verify", "--json", "--trust", &root, "--report-dir"])
        .arg(dir.path())
        .arg(fixture(CORPUS))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    assert!(files.len() >= 19);
    assert!(files.iter().all(|f| f["file"]["verdict"].is_string()));
    let html = std::fs::read_to_string(dir.path().join("valid-rsa.verify.html")).unwrap();
    assert!(html.contains("BIÊN BẢN KIỂM TRA CHỮ KÝ SỐ"));
    assert!(html.contains("Nguyễn Văn An"));
}

/// Cases where pyHanko (with only the test root, no CRL) and we disagree on purpose; each is
/// explained in tests/fixtures/signed/README.md.
const PYHANKO_DISAGREES: &[&str] = &[
    // pyHanko is given no CRL, so it cannot see the revocation.
    "valid-p256-revoked",
    // pyHanko's difference analysis rejects a free-text annotation it has no rule for.
    "annotation-after-approval",
    // pyHanko reports coverage ENTIRE_REVISION with no modifications and accepts the file; we
    // refuse bytes after the signed revision that no xref section indexes.
    "isa-objects-without-xref",
    // pyHanko stops at the blanked dictionary ("None is not a recognized SubFilter", no verdict).
    "signature-blanked-later",
    // pyHanko does not know the adbe.pkcs7.sha1 sub-filter (no verdict).
    "legacy-pkcs7-sha1",
    // pyHanko raises an error (no verdict) on a signature whose /ByteRange was removed.
    "usf-no-byterange",
];

#[test]
fn our_verdicts_agree_with_pyhankos() {
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki(ROOT_CERT)).unwrap();
    let options = VerifyOptions { trust };
    let expected = std::fs::read_to_string(fixture(EXPECTED)).unwrap();
    let mut disagreements = Vec::new();
    for line in expected
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let name = line.split(' ').next().unwrap();
        if PYHANKO_DISAGREES.contains(&name) {
            continue;
        }
        let path = corpus_case(name);
        let theirs = pyhanko(&path);
        // pyHanko's "good": every signature intact, valid, trusted and within DocMDP; and it
        // rejects SHA-1 by refusing trust in the weak algorithm.
        let their_ok = !theirs.is_empty()
            && theirs.iter().all(|v| {
                v["intact"] == true
                    && v["valid"] == true
                    && v["trusted"] == true
                    && v["docmdp_ok"] != false
            });
        let ours = verify_file(&path, &options).unwrap();
        let our_ok = matches!(ours.verdict, Verdict::Valid | Verdict::ValidWithWarnings);
        if their_ok != our_ok {
            disagreements.push(format!(
                "{name}: pyHanko ok={their_ok}, ours {:?}",
                ours.verdict
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// A cheap, deterministic stand-in for the fuzzer in `make test`: thousands of mutated corpus
/// files (bytes overwritten, cut, duplicated) through the unguarded entry point, so a panic in
/// any parser fails this test instead of being turned into a report.
#[test]
fn mutated_corpus_files_never_panic() {
    let options = trusted();
    // xorshift64: reproducible without a crate.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for name in [
        "valid-rsa",
        "two-signatures",
        "bt-then-doc-timestamp",
        "certified-p2-form-filled",
    ] {
        let original = std::fs::read(corpus_case(name)).unwrap();
        for round in 0..150 {
            let mut data = original.clone();
            let len = data.len() as u64;
            match round % 3 {
                0 => {
                    for _ in 0..1 + next() % 8 {
                        let at = (next() % len) as usize;
                        data[at] = (next() & 0xFF) as u8;
                    }
                }
                1 => data.truncate((next() % len) as usize),
                _ => {
                    let at = (next() % len) as usize;
                    let piece = data[at..(at + 64).min(data.len())].to_vec();
                    let to = (next() % len) as usize;
                    data.splice(to..to, piece);
                }
            }
            let report = motcua::verify::verify_bytes_unguarded(&data, name, &options);
            // Every verdict is explained: a valid one only with intact, valid, trusted
            // signatures; any other names a reason.
            if matches!(report.verdict, Verdict::Valid | Verdict::ValidWithWarnings) {
                assert!(
                    report
                        .signatures
                        .iter()
                        .all(|s| s.intact && s.valid && s.trusted),
                    "{name} round {round}: {report:#?}"
                );
            } else {
                let explained = !report.errors.is_empty()
                    || report
                        .signatures
                        .iter()
                        .any(|s| !s.errors.is_empty() || !s.trusted);
                assert!(explained, "{name} round {round}: {report:#?}");
            }
        }
    }
}

/// A PDF whose field tree and page tree point back at themselves, with a signature dictionary:
/// the walk must stop (the verdict is INVALID for the empty /ByteRange), not loop or overflow.
#[test]
fn reference_loops_end_with_a_result() {
    use lopdf::{Document, Object, dictionary};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let field_id = doc.new_object_id();
    let sig_id = doc.add_object(dictionary! {
        "Type" => "Sig",
        "Filter" => "Adobe.PPKLite",
        "SubFilter" => "ETSI.CAdES.detached",
        "Contents" => Object::String(vec![0; 16], lopdf::StringFormat::Hexadecimal),
    });
    doc.objects.insert(
        field_id,
        Object::Dictionary(dictionary! {
            "FT" => "Sig",
            "T" => Object::string_literal("Loop"),
            "V" => sig_id,
            "Kids" => vec![Object::Reference(field_id)],
        }),
    );
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![Object::Reference(pages_id)],
            "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "AcroForm" => dictionary! { "Fields" => vec![Object::Reference(field_id)] },
    });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let report = motcua::verify::verify_bytes_unguarded(&bytes, "loop", &trusted());
    assert_eq!(report.verdict, Verdict::Invalid, "{report:#?}");
    assert_eq!(report.signatures.len(), 1);
    assert!(
        report.signatures[0]
            .errors
            .iter()
            .any(|e| e.contains("/ByteRange"))
    );
}

/// Certificate substitution: the ESS signing-certificate-v2 attribute names another certificate
/// (its hash changed), and the signed attributes are re-signed with the signer's real key so only
/// the ESS check can catch it.
#[test]
fn ess_signing_certificate_mismatch_is_invalid() {
    use der::{Decode, Encode};
    use motcua::sign::Signer as _;
    let original = std::fs::read(corpus_case("ours-rsa")).unwrap();
    let contents_at = original
        .windows(10)
        .position(|w| w == b"/Contents<")
        .unwrap_or_else(|| {
            original
                .windows(11)
                .position(|w| w == b"/Contents <")
                .unwrap()
        });
    let open = contents_at
        + original[contents_at..]
            .iter()
            .position(|b| *b == b'<')
            .unwrap()
        + 1;
    let close = open + original[open..].iter().position(|b| *b == b'>').unwrap();
    let hex_text = std::str::from_utf8(&original[open..close]).unwrap();
    let der_bytes = hex::decode(hex_text).unwrap();
    let (info, _) = cms::content_info::ContentInfo::from_der_partial(&der_bytes).unwrap();
    let mut signed: cms::signed_data::SignedData = info.content.decode_as().unwrap();
    let mut signer_info = signed.signer_infos.0.iter().next().unwrap().clone();
    let attrs: Vec<x509_cert::attr::Attribute> = signer_info
        .signed_attrs
        .as_ref()
        .unwrap()
        .iter()
        .map(|attr| {
            if attr.oid.to_string() != "1.2.840.113549.1.9.16.2.47" {
                return attr.clone();
            }
            let value = attr.values.iter().next().unwrap();
            let mut ess: motcua::sign::cms::SigningCertificateV2 = value.decode_as().unwrap();
            let mut hash = ess.certs[0].cert_hash.as_bytes().to_vec();
            hash[0] ^= 0xFF;
            ess.certs[0].cert_hash = der::asn1::OctetString::new(hash).unwrap();
            x509_cert::attr::Attribute {
                oid: attr.oid,
                values: der::asn1::SetOfVec::try_from(vec![der::Any::encode_from(&ess).unwrap()])
                    .unwrap(),
            }
        })
        .collect();
    let attrs = der::asn1::SetOfVec::try_from(attrs).unwrap();
    let signature = p12_signer("signer-rsa2048.p12")
        .sign(&attrs.to_der().unwrap())
        .unwrap();
    signer_info.signed_attrs = Some(attrs);
    signer_info.signature = der::asn1::OctetString::new(signature).unwrap();
    signed.signer_infos = cms::signed_data::SignerInfos::try_from(vec![signer_info]).unwrap();
    let info = cms::content_info::ContentInfo {
        content_type: info.content_type,
        content: der::Any::encode_from(&signed).unwrap(),
    };
    let mut new_hex = hex::encode(info.to_der().unwrap());
    new_hex.extend(std::iter::repeat_n('0', hex_text.len() - new_hex.len()));
    let forged = with_replaced(&original, hex_text.as_bytes(), new_hex.as_bytes());
    let report = verify_bytes(&forged, "ess", &root_only());
    let sig = &report.signatures[0];
    assert!(sig.intact, "{report:#?}");
    assert!(!sig.valid, "{report:#?}");
    assert!(
        sig.errors
            .iter()
            .any(|e| e.contains("signing-certificate-v2")),
        "{report:#?}"
    );
    // The re-signed attributes verify: only the ESS check fails.
    assert!(
        !sig.errors.iter().any(|e| e.starts_with("signature:")),
        "{report:#?}"
    );
    assert_eq!(report.verdict, Verdict::Invalid);
}

#[test]
fn a_field_locked_by_fieldmdp_may_not_be_filled_after_signing() {
    let report = verify_file(&corpus_case("fieldmdp-locked-field-filled"), &trusted()).unwrap();
    assert_eq!(report.verdict, Verdict::Invalid, "{report:#?}");
    let sig = &report.signatures[0];
    assert_eq!(sig.modification, ModificationLevel::Disallowed);
    assert!(
        sig.errors
            .iter()
            .any(|e| e.contains("“HoTen” is locked by this signature (FieldMDP)")),
        "{:#?}",
        sig.errors
    );
    // The same signature, with the field it did not lock filled in: form filling, allowed.
    let report = verify_file(&corpus_case("fieldmdp-unlocked-field-filled"), &trusted()).unwrap();
    assert_eq!(report.verdict, Verdict::ValidWithWarnings, "{report:#?}");
    assert_eq!(
        report.signatures[0].modification,
        ModificationLevel::FormFilling
    );
}
