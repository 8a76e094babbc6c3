//! Tests of the optional signature features: the visible Vietnamese stamp with its embedded
//! subset font, certification (DocMDP) signatures, and interoperability with a PDF that pyHanko
//! signed first. Every output is judged by pdfsig and pyHanko.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::TimeZone;
use common::*;
use motcua::sign::{
    DocMdpPermissions, SignError, SignOptions, VisibleSignature, sign_pdf, vietnam_offset,
};

fn write_temp(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signed.pdf");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// Runs a poppler tool; `pdftotext` gets `-` to print to stdout.
fn tool_output(program: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .arg(pdf)
        .args((program == "pdftotext").then_some("-"))
        .output()
        .unwrap_or_else(|e| panic!("`{program}` is required (apt-get install poppler-utils): {e}"));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn visible_options() -> SignOptions {
    SignOptions {
        visible: Some(VisibleSignature {
            rect: [300.0, 60.0, 250.0, 60.0],
            organisation: None,
            seal: None,
        }),
        signing_time: Some(
            vietnam_offset()
                .with_ymd_and_hms(2026, 11, 27, 9, 5, 7)
                .unwrap(),
        ),
        ..SignOptions::default()
    }
}

#[test]
fn visible_stamp_validates_and_extracts_as_vietnamese_text() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let signed = sign_pdf(
        &input,
        &p12_signer("signer-rsa2048.p12"),
        &visible_options(),
    )
    .unwrap();
    assert!(signed.starts_with(&input));
    let (_dir, out) = write_temp(&signed);
    assert_pdfsig_valid(&out, 1);
    assert_pyhanko_valid(&out, 1);
    let text = tool_output("pdftotext", &["-f", "1", "-l", "1", "-enc", "UTF-8"], &out);
    assert!(text.contains("Ký bởi: Nguyễn Văn An"), "{text}");
    assert!(text.contains("Cơ quan: UBND xã Tân Phú"), "{text}");
    assert!(
        text.contains("Thời gian ký: 27/11/2026 09:05:07 +07:00"),
        "{text}"
    );
}

#[test]
fn visible_stamp_font_is_an_embedded_subset_with_tounicode() {
    let input = std::fs::read(fixture(OBJSTM_PDF)).unwrap();
    let signed = sign_pdf(&input, &p12_signer("signer-p256.p12"), &visible_options()).unwrap();
    let (_dir, out) = write_temp(&signed);
    let fonts = tool_output("pdffonts", &[], &out);
    let line = fonts
        .lines()
        .find(|l| l.contains("+NotoSans-Regular"))
        .unwrap_or_else(|| panic!("{fonts}"));
    // name, type ("CID TrueType"), encoding, emb, sub, uni, object id
    let columns: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        columns[1..8],
        [
            "CID",
            "TrueType",
            "Identity-H",
            "yes",
            "yes",
            "yes",
            columns[7]
        ],
        "{line}"
    );
    // A subset: the whole font is ~500 KB, the signed file stays small.
    assert!(
        signed.len() - input.len() < 40_000,
        "{} bytes added",
        signed.len() - input.len()
    );
    assert_pdfsig_valid(&out, 1);
    assert_pyhanko_valid(&out, 1);
}

#[test]
fn organisation_line_can_be_overridden() {
    let input = std::fs::read(fixture(LINEARIZED_PDF)).unwrap();
    let mut options = visible_options();
    options.page = 2;
    options.visible = Some(VisibleSignature {
        rect: [40.0, 700.0, 300.0, 70.0],
        organisation: Some("Bộ phận Tiếp nhận và Trả kết quả".into()),
        seal: None,
    });
    let signed = sign_pdf(&input, &p12_signer("signer-rsa3072.p12"), &options).unwrap();
    let (_dir, out) = write_temp(&signed);
    let text = tool_output("pdftotext", &["-f", "2", "-l", "2", "-enc", "UTF-8"], &out);
    assert!(
        text.contains("Cơ quan: Bộ phận Tiếp nhận và Trả kết quả"),
        "{text}"
    );
    assert!(text.contains("Ký bởi: Trần Thị Bích Ngọc"), "{text}");
    assert_pdfsig_valid(&out, 1);
    assert_pyhanko_valid(&out, 1);
}

#[test]
fn stamp_box_too_small_for_the_text_is_refused() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let mut options = visible_options();
    options.visible = Some(VisibleSignature {
        rect: [10.0, 10.0, 20.0, 8.0],
        organisation: None,
        seal: None,
    });
    let error = sign_pdf(&input, &p12_signer("signer-rsa2048.p12"), &options).unwrap_err();
    assert!(matches!(error, SignError::PdfStructure { .. }), "{error:?}");
    assert!(error.to_string().contains("too small"), "{error}");
}

fn certified(pdf: &str, permissions: DocMdpPermissions) -> Vec<u8> {
    let input = std::fs::read(fixture(pdf)).unwrap();
    let certify = SignOptions {
        certify: Some(permissions),
        ..SignOptions::default()
    };
    sign_pdf(&input, &p12_signer("signer-rsa3072.p12"), &certify).unwrap()
}

#[test]
fn certification_then_approval_signature_both_validate() {
    let certified = certified(CLASSIC_PDF, DocMdpPermissions::FormFilling);
    let approved = sign_pdf(
        &certified,
        &p12_signer("signer-rsa2048.legacy.p12"),
        &SignOptions::default(),
    )
    .unwrap();
    assert!(approved.starts_with(&certified));
    let (_dir, out) = write_temp(&approved);
    assert_pdfsig_valid(&out, 2);
    let verdicts = assert_pyhanko_valid(&out, 2);
    assert_eq!(verdicts[0]["certification"], "FILL_FORMS", "{verdicts:?}");
    assert_eq!(verdicts[0]["docmdp_ok"], true, "{verdicts:?}");
    assert_eq!(
        verdicts[0]["modification_level"], "FORM_FILLING",
        "{verdicts:?}"
    );
}

/// pyHanko is stricter than Acrobat here: a *new visible* signature field after a
/// certification is a modification it does not allow (its `allow_new_visible_after_certify`
/// defaults to false), while pdfsig accepts both signatures. This pins that known difference.
#[test]
fn visible_approval_after_certification_is_flagged_by_pyhanko_only() {
    let certified = certified(OBJSTM_PDF, DocMdpPermissions::Annotations);
    let approved = sign_pdf(
        &certified,
        &p12_signer("signer-p256.p12"),
        &visible_options(),
    )
    .unwrap();
    let (_dir, out) = write_temp(&approved);
    assert_pdfsig_valid(&out, 2);
    let verdicts = pyhanko(&out);
    assert_eq!(verdicts[0]["intact"], true, "{verdicts:?}");
    assert_eq!(verdicts[0]["docmdp_ok"], false, "{verdicts:?}");
    assert_eq!(verdicts[1]["intact"], true, "{verdicts:?}");
    assert_eq!(verdicts[1]["valid"], true, "{verdicts:?}");
}

#[test]
fn certification_with_no_changes_refuses_later_signatures() {
    let input = std::fs::read(fixture(OBJSTM_PDF)).unwrap();
    let certify = SignOptions {
        certify: Some(DocMdpPermissions::NoChanges),
        ..SignOptions::default()
    };
    let certified = sign_pdf(&input, &p12_signer("signer-p256.p12"), &certify).unwrap();
    let (_dir, out) = write_temp(&certified);
    assert_pdfsig_valid(&out, 1);
    let verdicts = assert_pyhanko_valid(&out, 1);
    assert_eq!(verdicts[0]["certification"], "NO_CHANGES", "{verdicts:?}");
    let error = sign_pdf(
        &certified,
        &p12_signer("signer-rsa2048.p12"),
        &SignOptions::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("no changes allowed"), "{error}");
}

#[test]
fn certification_is_refused_on_an_already_signed_document() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let once = sign_pdf(
        &input,
        &p12_signer("signer-p256.p12"),
        &SignOptions::default(),
    )
    .unwrap();
    let certify = SignOptions {
        certify: Some(DocMdpPermissions::Annotations),
        ..SignOptions::default()
    };
    let error = sign_pdf(&once, &p12_signer("signer-rsa2048.p12"), &certify).unwrap_err();
    assert!(
        error.to_string().contains("must be the first signature"),
        "{error}"
    );
}

#[test]
fn pdf_signed_by_pyhanko_first_keeps_both_signatures_valid() {
    let dir = tempfile::tempdir().unwrap();
    let by_pyhanko = dir.path().join("pyhanko.pdf");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/pyhanko_sign.py");
    let output = Command::new(common::python())
        .arg(script)
        .arg(fixture(OBJSTM_PDF))
        .arg(&by_pyhanko)
        .arg(pki("signer-p256.key.pem"))
        .arg(pki("signer-p256.cert.pem"))
        .arg(pki("inter.cert.pem"))
        .output()
        .expect("python3 with pyhanko is required");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let first = std::fs::read(&by_pyhanko).unwrap();
    let second = sign_pdf(
        &first,
        &p12_signer("signer-rsa2048.p12"),
        &visible_options(),
    )
    .unwrap();
    assert!(second.starts_with(&first));
    let (_dir, out) = write_temp(&second);
    assert_pdfsig_valid(&out, 2);
    let verdicts = assert_pyhanko_valid(&out, 2);
    assert_eq!(verdicts[0]["field"], "PyHanko");
    assert_eq!(verdicts[1]["field"], "Signature1");
}
