//! End-to-end signing tests: sign real fixture PDFs with the test PKI, then let poppler's
//! `pdfsig` and pyHanko judge the result. Tamper tests flip one signed byte and expect failure.

mod common;

use std::path::PathBuf;

use common::*;
use motcua::sign::{
    RsaScheme, SignError, SignOptions, SoftwareSigner, SubFilter, sign_file, sign_pdf,
};

fn options() -> SignOptions {
    SignOptions {
        reason: Some("Tiếp nhận hồ sơ".into()),
        location: Some("UBND xã Tân Phú".into()),
        ..SignOptions::default()
    }
}

/// Signs `input`, checks the prefix invariant, and writes the result to a temp file.
fn sign_bytes_to_temp(
    input: &[u8],
    signer: &SoftwareSigner,
    options: &SignOptions,
) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let signed = sign_pdf(input, signer, options).unwrap();
    assert!(
        signed.starts_with(input),
        "the signed file must start with the exact input bytes"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("signed.pdf");
    std::fs::write(&out, &signed).unwrap();
    (dir, out, signed)
}

fn sign_fixture(pdf: &str, signer: &SoftwareSigner) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let input = std::fs::read(fixture(pdf)).unwrap();
    sign_bytes_to_temp(&input, signer, &options())
}

/// The /ByteRange numbers of every signature, parsed from the array our writer produced
/// (`/ByteRange[a b c d   ]`); independent of the library under test.
fn byte_ranges(pdf: &[u8]) -> Vec<[usize; 4]> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/ByteRange[")
        .map(|(at, key)| {
            let rest = &text[at + key.len()..];
            let numbers: Vec<usize> = rest[..rest.find(']').unwrap()]
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect();
            [numbers[0], numbers[1], numbers[2], numbers[3]]
        })
        .collect()
}

#[test]
fn rsa2048_modern_p12_signs_classic_xref_pdf() {
    let (_dir, out, _) = sign_fixture(CLASSIC_PDF, &p12_signer("signer-rsa2048.p12"));
    assert_pdfsig_valid(&out, 1);
    let verdicts = assert_pyhanko_valid(&out, 1);
    assert_eq!(verdicts[0]["signing_cert_cn"], "Nguyễn Văn An");
    assert_eq!(verdicts[0]["coverage"], "ENTIRE_FILE");
    assert_eq!(verdicts[0]["md_algorithm"], "sha256");
    let report = pdfsig(&out);
    assert!(
        report.contains("Signature Type: ETSI.CAdES.detached"),
        "{report}"
    );
}

#[test]
fn rsa2048_legacy_p12_signs_xref_stream_and_object_stream_pdf() {
    let (_dir, out, signed) = sign_fixture(OBJSTM_PDF, &p12_signer("signer-rsa2048.legacy.p12"));
    // The input's last xref is a stream, so the update's must be one too.
    let appended = &signed[std::fs::read(fixture(OBJSTM_PDF)).unwrap().len()..];
    assert!(String::from_utf8_lossy(appended).contains("/Type/XRef"));
    assert_pdfsig_valid(&out, 1);
    assert_pyhanko_valid(&out, 1);
}

#[test]
fn rsa3072_signs_linearized_pdf() {
    let (_dir, out, _) = sign_fixture(LINEARIZED_PDF, &p12_signer("signer-rsa3072.p12"));
    assert_pdfsig_valid(&out, 1);
    let verdicts = assert_pyhanko_valid(&out, 1);
    assert_eq!(verdicts[0]["signing_cert_cn"], "Trần Thị Bích Ngọc");
}

#[test]
fn ecdsa_p256_signature_validates() {
    let (_dir, out, _) = sign_fixture(CLASSIC_PDF, &p12_signer("signer-p256.p12"));
    assert_pdfsig_valid(&out, 1);
    let verdicts = assert_pyhanko_valid(&out, 1);
    assert_eq!(verdicts[0]["signing_cert_cn"], "Lê Hoàng Đức");
}

#[test]
fn ecdsa_p384_signature_uses_sha384_and_validates() {
    let (_dir, out, _) = sign_fixture(OBJSTM_PDF, &p12_signer("signer-p384.legacy.p12"));
    assert_pdfsig_valid(&out, 1);
    let verdicts = assert_pyhanko_valid(&out, 1);
    assert_eq!(verdicts[0]["md_algorithm"], "sha384");
}

#[test]
fn rsa_pss_signature_validates() {
    let signer = p12_signer("signer-rsa2048.p12").with_rsa_scheme(RsaScheme::Pss);
    let (_dir, out, _) = sign_fixture(CLASSIC_PDF, &signer);
    assert_pdfsig_valid(&out, 1);
    assert_pyhanko_valid(&out, 1);
}

#[test]
fn pkcs7_detached_sub_filter_validates() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let options = SignOptions {
        sub_filter: SubFilter::Pkcs7Detached,
        ..options()
    };
    let (_dir, out, _) = sign_bytes_to_temp(&input, &p12_signer("signer-rsa2048.p12"), &options);
    let report = pdfsig(&out);
    assert!(
        report.contains("Signature Type: adbe.pkcs7.detached"),
        "{report}"
    );
    assert_pdfsig_valid(&out, 1);
    assert_pyhanko_valid(&out, 1);
}

#[test]
fn second_signature_keeps_the_first_valid() {
    for pdf in [CLASSIC_PDF, OBJSTM_PDF, LINEARIZED_PDF] {
        let (_dir1, _, once) = sign_fixture(pdf, &p12_signer("signer-p256.p12"));
        let (_dir2, out, twice) =
            sign_bytes_to_temp(&once, &p12_signer("signer-rsa3072.legacy.p12"), &options());
        assert!(twice.starts_with(&once));
        assert_pdfsig_valid(&out, 2);
        let verdicts = assert_pyhanko_valid(&out, 2);
        assert_eq!(verdicts[0]["field"], "Signature1", "{pdf}");
        assert_eq!(verdicts[1]["field"], "Signature2", "{pdf}");
        // The first signature covers its own revision; adding a signature is form filling.
        assert_eq!(verdicts[0]["coverage"], "ENTIRE_REVISION", "{pdf}");
        assert_eq!(verdicts[0]["modification_level"], "FORM_FILLING", "{pdf}");
        assert_eq!(verdicts[1]["coverage"], "ENTIRE_FILE", "{pdf}");
    }
}

#[test]
fn byte_range_covers_everything_but_the_contents_hex_string() {
    let (_dir, _, signed) = sign_fixture(CLASSIC_PDF, &p12_signer("signer-p256.p12"));
    let ranges = byte_ranges(&signed);
    assert_eq!(ranges.len(), 1);
    let [start, first_len, second_start, second_len] = ranges[0];
    assert_eq!(start, 0);
    assert_eq!(second_start + second_len, signed.len());
    assert_eq!(signed[first_len], b'<');
    assert_eq!(signed[second_start - 1], b'>');
    assert!(
        signed[first_len + 1..second_start - 1]
            .iter()
            .all(u8::is_ascii_hexdigit)
    );
}

#[test]
fn contents_placeholder_is_sized_from_the_real_cms() {
    // RSA signatures have a fixed length, so the reserved space is used exactly; ECDSA's DER
    // signature may be a few bytes shorter than its maximum.
    for (p12, max_slack) in [
        ("signer-rsa2048.p12", 0),
        ("signer-rsa3072.p12", 0),
        ("signer-p256.p12", 3),
    ] {
        let (_dir, _, signed) = sign_fixture(CLASSIC_PDF, &p12_signer(p12));
        let [_, hole_start, hole_end, _] = byte_ranges(&signed)[0];
        let hex = &signed[hole_start + 1..hole_end - 1];
        let padding = hex.iter().rev().take_while(|&&b| b == b'0').count() / 2;
        assert!(
            padding <= max_slack,
            "{p12}: {padding} bytes of /Contents unused"
        );
    }
}

#[test]
fn tampered_byte_in_signed_range_is_reported_invalid() {
    let (_dir, out, mut signed) = sign_fixture(CLASSIC_PDF, &p12_signer("signer-rsa2048.p12"));
    // Flip one byte of the first page's /MediaBox (595 -> 596), inside the first range.
    let at = signed.windows(7).position(|w| w == b"595 842").unwrap();
    signed[at + 2] = b'6';
    std::fs::write(&out, &signed).unwrap();
    let report = pdfsig(&out);
    assert!(!report.contains("Signature is Valid."), "{report}");
    assert!(
        report.contains("Signature Validation: Digest Mismatch."),
        "{report}"
    );
    let verdicts = pyhanko(&out);
    // pyHanko: the document digest no longer matches ("intact" false), so the signature
    // cannot be trusted, although the signed attributes themselves still verify ("valid").
    assert_eq!(verdicts[0]["intact"], false, "{verdicts:?}");
    assert_eq!(verdicts[0]["trusted"], false, "{verdicts:?}");
}

#[test]
fn tampered_byte_after_the_contents_is_reported_invalid() {
    let (_dir, out, mut signed) = sign_fixture(OBJSTM_PDF, &p12_signer("signer-p256.p12"));
    // The second range holds the rest of the signature dictionary and the new xref.
    let [_, _, second_start, _] = byte_ranges(&signed)[0];
    let at = second_start
        + signed[second_start..]
            .windows(5)
            .position(|w| w == b"/Type")
            .unwrap();
    signed[at + 1] = b't';
    std::fs::write(&out, &signed).unwrap();
    let report = pdfsig(&out);
    assert!(!report.contains("Signature is Valid."), "{report}");
}

#[test]
fn sign_file_writes_the_output_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ho-so-da-ky.pdf");
    sign_file(
        &fixture(CLASSIC_PDF),
        &out,
        &p12_signer("signer-rsa2048.p12"),
        &options(),
    )
    .unwrap();
    assert_pdfsig_valid(&out, 1);
    // Only the output remains: no temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("ho-so-da-ky.pdf")]);
}

#[test]
fn sign_file_leaves_an_existing_output_untouched_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let not_pdf = dir.path().join("not-a-pdf.pdf");
    std::fs::write(&not_pdf, b"this is not a PDF").unwrap();
    let out = dir.path().join("out.pdf");
    std::fs::write(&out, b"previous content").unwrap();
    let error = sign_file(
        &not_pdf,
        &out,
        &p12_signer("signer-rsa2048.p12"),
        &options(),
    )
    .unwrap_err();
    assert!(matches!(error, SignError::InFile { .. }), "{error:?}");
    assert!(error.to_string().contains("not-a-pdf.pdf"), "{error}");
    assert_eq!(std::fs::read(&out).unwrap(), b"previous content");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn missing_input_file_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("khong-co.pdf");
    let error = sign_file(
        &missing,
        &dir.path().join("out.pdf"),
        &p12_signer("signer-rsa2048.p12"),
        &options(),
    )
    .unwrap_err();
    assert!(matches!(error, SignError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("khong-co.pdf"), "{error}");
}

#[test]
fn page_out_of_range_is_refused() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let options = SignOptions {
        page: 3,
        ..options()
    };
    let error = sign_pdf(&input, &p12_signer("signer-rsa2048.p12"), &options).unwrap_err();
    assert!(matches!(error, SignError::PdfStructure { .. }), "{error:?}");
    assert!(error.to_string().contains("no page 3"), "{error}");
}

#[test]
fn encrypted_pdf_is_refused() {
    let input = std::fs::read(fixture("pdf/encrypted.pdf")).unwrap();
    let error = sign_pdf(&input, &p12_signer("signer-rsa2048.p12"), &options()).unwrap_err();
    assert!(matches!(error, SignError::PdfEncrypted), "{error:?}");
    assert!(error.to_string().contains("encrypted"), "{error}");
}

/// The classic fixture with its `startxref` moved, or one xref entry's offset changed: lopdf reads
/// around both, but the signer must refuse (an update would chain to the damaged table).
#[test]
fn damaged_xref_is_refused_not_signed_silently() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    // Byte positions (the file holds binary streams, so no lossy text conversion).
    let rfind = |needle: &[u8]| {
        input
            .windows(needle.len())
            .rposition(|w| w == needle)
            .unwrap()
    };
    let line_end = |from: usize| from + input[from..].iter().position(|&b| b == b'\n').unwrap();

    let at = rfind(b"startxref\n") + "startxref\n".len();
    let end = line_end(at);
    let offset: usize = std::str::from_utf8(&input[at..end])
        .unwrap()
        .parse()
        .unwrap();
    let mut wrong_start = input[..at].to_vec();
    wrong_start.extend_from_slice((offset + 14).to_string().as_bytes());
    wrong_start.extend_from_slice(&input[end..]);

    // After "xref\n" and the "0 N" subsection line come object 0's and object 1's entries; the
    // first digit of object 1's offset becomes 9.
    let subsection = rfind(b"\nxref\n") + "\nxref\n".len();
    let object_0 = line_end(subsection) + 1;
    let object_1 = line_end(object_0) + 1;
    let mut wrong_entry = input.clone();
    wrong_entry[object_1] = b'9';

    for (name, damaged) in [("startxref", wrong_start), ("entry", wrong_entry)] {
        let error = sign_pdf(&damaged, &p12_signer("signer-rsa2048.p12"), &options()).unwrap_err();
        assert!(
            matches!(error, SignError::PdfBrokenXref { .. }),
            "{name}: {error:?}"
        );
        assert!(error.to_string().contains("save it again"), "{error}");
    }
}

#[test]
fn existing_field_name_is_refused() {
    let input = std::fs::read(fixture(CLASSIC_PDF)).unwrap();
    let once = sign_pdf(&input, &p12_signer("signer-p256.p12"), &options()).unwrap();
    let options = SignOptions {
        field_name: Some("Signature1".into()),
        ..options()
    };
    let error = sign_pdf(&once, &p12_signer("signer-rsa2048.p12"), &options).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("already has a field named \"Signature1\""),
        "{error}"
    );
}

#[test]
fn widget_on_a_chosen_page_with_a_chosen_field_name() {
    let input = std::fs::read(fixture(LINEARIZED_PDF)).unwrap();
    let options = SignOptions {
        page: 2,
        field_name: Some("CanBoTiepNhan".into()),
        ..options()
    };
    let (_dir, out, _) = sign_bytes_to_temp(&input, &p12_signer("signer-rsa2048.p12"), &options);
    assert_pdfsig_valid(&out, 1);
    let verdicts = assert_pyhanko_valid(&out, 1);
    assert_eq!(verdicts[0]["field"], "CanBoTiepNhan");
}

#[test]
fn pem_key_and_chain_sign_like_the_p12() {
    let signer = SoftwareSigner::from_pem_files(
        &pki("signer-rsa3072.key.pem"),
        &pki("signer-rsa3072.chain.pem"),
    )
    .unwrap();
    let (_dir, out, _) = sign_fixture(OBJSTM_PDF, &signer);
    assert_pdfsig_valid(&out, 1);
    assert_pyhanko_valid(&out, 1);
}

#[test]
fn streamed_sign_file_writes_the_same_bytes_as_sign_pdf() {
    // RSA PKCS#1 v1.5 is deterministic, so with a fixed signing time the file path (input
    // streamed to disk and hashed on the way, revision kept apart) and the in-memory path must
    // agree byte for byte.
    use chrono::TimeZone;
    let options = SignOptions {
        signing_time: Some(
            motcua::sign::vietnam_offset()
                .with_ymd_and_hms(2026, 11, 27, 9, 5, 7)
                .unwrap(),
        ),
        ..options()
    };
    let signer = p12_signer("signer-rsa2048.p12");
    for pdf in [CLASSIC_PDF, OBJSTM_PDF, LINEARIZED_PDF] {
        let input = std::fs::read(fixture(pdf)).unwrap();
        let in_memory = sign_pdf(&input, &signer, &options).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("streamed.pdf");
        sign_file(&fixture(pdf), &out, &signer, &options).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), in_memory, "{pdf}");
        assert_pdfsig_valid(&out, 1);
    }
}
