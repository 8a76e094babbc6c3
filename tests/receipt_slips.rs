//! The Mẫu 01 and Mẫu 04 slips end to end: issued through `Desk` on a real store, then checked with
//! independent tools — `pdftotext -layout` against golden text (diacritics intact), `qpdf --check`,
//! `pdftoppm` + `rqrr` to decode the QR code back to the dossier code. The rendered first page is kept
//! in `target/receipt-artifacts/` for a person to look at.
//!
//! To regenerate the golden files after a deliberate layout change: `UPDATE_GOLDEN=1 cargo test -p motcua
//! --test receipt_slips`, then review the diff of `tests/fixtures/receipts/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::at;
use motcua::dossier::{Applicant, Channel, NewDossier, ResultReturn};
use motcua::receipt::{AGENCY_NAME, APOLOGY_ISSUED, RECEIPT_ISSUED};
use motcua::{Desk, ErrorCode};

const SAMPLE_CATALOG: &str = "data/catalog/sample.json";
const GOLDEN_DIR: &str = "tests/fixtures/receipts";
const RECEIPT_GOLDEN: &str = "tests/fixtures/receipts/mau01-1.004222.txt";
const RECEIPT_TWO_COPIES_GOLDEN: &str = "tests/fixtures/receipts/mau01-post-2-copies.txt";
const APOLOGY_GOLDEN: &str = "tests/fixtures/receipts/mau04-1.004222.txt";
const ARTIFACTS: &str = "target/receipt-artifacts";

fn desk(dir: &Path) -> Desk {
    let desk = Desk::open(dir).unwrap();
    desk.import_catalog(Path::new(SAMPLE_CATALOG), "test")
        .unwrap();
    desk.set_setting(AGENCY_NAME, "UBND phường Ba Đình", "test")
        .unwrap();
    desk
}

/// A residence registration (7 working days) received just before Tết 2026: due after the holiday.
fn residence(desk: &Desk, result_return: ResultReturn) -> motcua::dossier::Dossier {
    desk.create_dossier(
        NewDossier {
            procedure_code: "1.004222".into(),
            applicant: Applicant {
                full_name: "Nguyễn Thị Hồng Nhung".into(),
                citizen_id: "001190012345".into(),
                phone: "0912345678".into(),
                address: "Số 12 ngõ 34 phố Đội Cấn, phường Ba Đình, Hà Nội".into(),
                email: "nhung@example.vn".into(),
                ..Applicant::default()
            },
            channel: Channel::Counter,
            result_return,
            received_at: Some(at(2026, 2, 10, 9, 15)),
            notes: String::new(),
        },
        "Trần Văn Bình",
    )
    .unwrap()
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-deps.sh");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8(out.stdout).unwrap()
}

fn assert_golden(text: &str, golden: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(GOLDEN_DIR).unwrap();
        std::fs::write(golden, text).unwrap();
    }
    let expected = std::fs::read_to_string(golden).unwrap();
    assert_eq!(text, expected, "text of the slip differs from {golden}");
}

fn qpdf_check(pdf: &Path) {
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "qpdf --check {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Renders page 1 at 150 dpi, keeps it as an artifact named `name`, and decodes every QR code on it.
fn decode_qr(pdf: &Path, name: &str) -> Vec<String> {
    let work = tempfile::tempdir().unwrap();
    let prefix = work.path().join("page");
    let status = Command::new("pdftoppm")
        .args([
            "-r",
            "150",
            "-png",
            "-gray",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
        ])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(status.success());
    let png = prefix.with_extension("png");
    std::fs::create_dir_all(ARTIFACTS).unwrap();
    std::fs::copy(&png, PathBuf::from(ARTIFACTS).join(name)).unwrap();
    let image = image::open(&png).unwrap().to_luma8();
    let (w, h) = image.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
            image.get_pixel(x as u32, y as u32).0[0]
        });
    prepared
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().unwrap().1)
        .collect()
}

#[test]
fn receipt_text_matches_golden_with_diacritics_and_qr_decodes_to_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let dossier = residence(&desk, ResultReturn::Counter);
    assert_eq!(dossier.code, "000.00.06.H56-260210-0001");
    let pdf = dir.path().join("mau01.pdf");
    desk.issue_receipt(&dossier.code, 1, &pdf, "Trần Văn Bình")
        .unwrap();

    let text = pdftotext(&pdf);
    assert!(text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"));
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(text.contains("Độc lập - Tự do - Hạnh phúc"));
    // Tết 2026 (14–22 February) does not count: 7 working days from Tuesday 10/02 end on 26/02.
    assert!(text.contains("09 giờ 15 phút, ngày 26/02/2026"));
    assert_golden(&text, RECEIPT_GOLDEN);
    qpdf_check(&pdf);
    assert_eq!(decode_qr(&pdf, "mau01.png"), vec![dossier.code.clone()]);
    // An independent reader (zbar) finds both symbols, the Code 128 barcode included.
    let zbar = Command::new("zbarimg")
        .args(["-q", "--nodbus"])
        .arg(PathBuf::from(ARTIFACTS).join("mau01.png"))
        .output()
        .expect("zbarimg (zbar-tools) is installed by scripts/install-deps.sh");
    let found = String::from_utf8(zbar.stdout).unwrap();
    assert!(
        found.contains(&format!("CODE-128:{}", dossier.code)),
        "{found}"
    );
    assert!(
        found.contains(&format!("QR-Code:{}", dossier.code)),
        "{found}"
    );

    let trail = desk
        .with_store(|s| s.audit_trail(&format!("dossier:{}", dossier.code)))
        .unwrap();
    let issued = trail.iter().find(|e| e.action == RECEIPT_ISSUED).unwrap();
    assert_eq!(issued.actor, "Trần Văn Bình");
    assert_eq!(issued.after.as_ref().unwrap()["copies"], 1);
}

#[test]
fn two_copies_are_two_labelled_pages_and_postal_return_names_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let dossier = residence(&desk, ResultReturn::Post);
    let pdf = dir.path().join("mau01-2.pdf");
    desk.issue_receipt(&dossier.code, 2, &pdf, "Trần Văn Bình")
        .unwrap();
    let text = pdftotext(&pdf);
    assert_eq!(text.matches('\u{c}').count(), 2, "two pages");
    assert!(text.contains("Liên 1: Giao người nộp hồ sơ"));
    assert!(text.contains("Liên 2: Lưu tại Bộ phận tiếp nhận và trả kết quả"));
    assert!(text.contains("qua dịch vụ bưu chính công ích"));
    assert_golden(&text, RECEIPT_TWO_COPIES_GOLDEN);
    qpdf_check(&pdf);
}

#[test]
fn apology_slip_gives_the_calendar_new_due_date_and_is_refused_after_the_due_date() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let dossier = residence(&desk, ResultReturn::Counter);
    let pdf = dir.path().join("mau04.pdf");
    // Due Thursday 26/02 09:15; 2 extra working days skip the weekend: Monday 02/03 09:15.
    let new_due = desk
        .issue_apology(
            &dossier.code,
            "Phòng Quản lý hành chính về trật tự xã hội cần xác minh thêm nơi cư trú.",
            2,
            Some(at(2026, 2, 25, 10, 0)),
            &pdf,
            "Trần Văn Bình",
        )
        .unwrap();
    assert_eq!(new_due, at(2026, 3, 2, 9, 15));
    let text = pdftotext(&pdf);
    assert!(text.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"));
    assert!(text.contains("Kính gửi: Ông/Bà Nguyễn Thị Hồng Nhung"));
    assert_golden(&text, APOLOGY_GOLDEN);
    qpdf_check(&pdf);
    assert_eq!(decode_qr_absent(&pdf), 0);

    let late = dir.path().join("late.pdf");
    let err = desk
        .issue_apology(
            &dossier.code,
            "Chậm xác minh.",
            2,
            Some(at(2026, 2, 26, 9, 16)),
            &late,
            "Trần Văn Bình",
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ApologyAfterDue);
    assert!(
        err.to_string().contains("phải lập trước ngày hẹn trả"),
        "{err}"
    );
    assert!(!late.exists(), "nothing is written when refused");

    let trail = desk
        .with_store(|s| s.audit_trail(&format!("dossier:{}", dossier.code)))
        .unwrap();
    let apologies: Vec<_> = trail
        .iter()
        .filter(|e| e.action == APOLOGY_ISSUED)
        .collect();
    assert_eq!(apologies.len(), 1);
    assert_eq!(
        apologies[0].after.as_ref().unwrap()["new_due"],
        "2026-03-02 09:15:00"
    );
}

/// Mẫu 04 carries no QR code: the decoder must find none (and the page renders).
fn decode_qr_absent(pdf: &Path) -> usize {
    decode_qr(pdf, "mau04.png").len()
}

#[test]
fn cli_receipt_and_apology_write_files_and_refuse_late_apologies() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let code = residence(&desk, ResultReturn::Counter).code;
    drop(desk);
    let bin = || {
        let mut cmd = assert_cmd::Command::cargo_bin("motcua").unwrap();
        cmd.env("MOTCUA_DATA_DIR", dir.path())
            .env("MOTCUA_ACTOR", "cli-test");
        cmd
    };
    let out = dir.path().join("cli-01.pdf");
    bin()
        .args(["receipt", &code, "--copies", "2", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(pdftotext(&out).contains(&code));
    bin()
        .args(["receipt", &code, "--copies", "3", "-o"])
        .arg(&out)
        .assert()
        .failure();
    let late = bin()
        .args(["apology", &code, "--reason", "Chậm", "--extra-days", "1"])
        .args(["--at", "2026-03-01 08:00", "-o"])
        .arg(dir.path().join("cli-04.pdf"))
        .assert()
        .code(2);
    let stderr = String::from_utf8(late.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("lỗi [apology_after_due]"), "{stderr}");
}

/// The slips are ordinary PDFs for the signing module: a signed Mẫu 01 validates with poppler's pdfsig
/// against the test PKI, and its text is still extractable.
#[test]
fn a_receipt_can_be_signed_with_the_signing_module() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let dossier = residence(&desk, ResultReturn::Counter);
    let pdf = dir.path().join("mau01.pdf");
    desk.issue_receipt(&dossier.code, 1, &pdf, "Trần Văn Bình")
        .unwrap();
    let input = std::fs::read(&pdf).unwrap();
    let options = motcua::sign::SignOptions {
        reason: Some("Tiếp nhận hồ sơ".into()),
        ..motcua::sign::SignOptions::default()
    };
    let signed =
        motcua::sign::sign_pdf(&input, &common::p12_signer("signer-rsa2048.p12"), &options)
            .unwrap();
    assert!(signed.starts_with(&input));
    let out = dir.path().join("mau01-signed.pdf");
    std::fs::write(&out, &signed).unwrap();
    common::assert_pdfsig_valid(&out, 1);
    assert!(pdftotext(&out).contains("NGƯỜI TIẾP NHẬN HỒ SƠ"));
}
