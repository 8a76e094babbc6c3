//! Shared test helpers: fixture paths (see tests/fixtures/scans/README.md), `qpdf --check`,
//! and reading image streams back out of a written PDF with lopdf.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn scan(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/scans")
        .join(name)
}

pub const TEXT_SKEW_0: &str = "text-skew0-150.jpg";
pub const TEXT_SKEW_PLUS_2_5: &str = "text-skew+2.5-150.jpg";
pub const TEXT_SKEW_MINUS_4: &str = "text-skew-4-150.jpg";
pub const TEXT_SKEW_PLUS_9: &str = "text-skew+9-150.jpg";
pub const TEXT_SKEW_PLUS_2_5_300: &str = "text-skew+2.5-300.jpg";
pub const COLOUR_SKEW_MINUS_4_300: &str = "colour-skew-4-300.jpg";
pub const COLOUR_STAMP: &str = "colour-stamp-150.jpg";
pub const TEXT_BORDER: &str = "text-border-150.jpg";
pub const BLANK: &str = "blank-150.jpg";
pub const NEAR_BLANK_BLEED: &str = "nearblank-bleed-150.jpg";
pub const NEAR_BLANK_PAGE_NUMBER: &str = "nearblank-pagenumber-150.jpg";
pub const GREY_PNG: &str = "text-grey-150.png";
pub const BW_TIFF_2_PAGES: &str = "text-bw-2pages-150.tif";
pub const BW_BMP: &str = "text-bw-75.bmp";
pub const WEBP: &str = "text-75.webp";
pub const GREY_PHOTO: &str = "grey-photo-150.jpg";

/// Run `qpdf --check` and panic with its output when it reports a problem.
pub fn assert_qpdf_ok(pdf: &Path) {
    let output = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .expect("qpdf is installed (apt install qpdf)");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "qpdf --check failed on {}: {text}{}",
        pdf.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        text.contains("No syntax or stream encoding errors"),
        "qpdf output: {text}"
    );
}

/// `pdfinfo` output (poppler-utils); panics when pdfinfo rejects the file.
pub fn pdfinfo(pdf: &Path) -> String {
    let output = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo is installed (apt install poppler-utils)");
    assert!(
        output.status.success(),
        "pdfinfo failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// (MediaBox width, height) of every page, in order.
pub fn page_sizes(pdf: &Path) -> Vec<(f32, f32)> {
    let document = lopdf::Document::load(pdf).unwrap();
    document
        .get_pages()
        .values()
        .map(|&id| {
            let page = document.get_dictionary(id).unwrap();
            let media_box = page.get(b"MediaBox").unwrap().as_array().unwrap();
            (
                media_box[2].as_float().unwrap(),
                media_box[3].as_float().unwrap(),
            )
        })
        .collect()
}

/// Image XObjects of every page, in page order: (filter name, raw stream bytes).
pub fn page_images(pdf: &Path) -> Vec<(String, Vec<u8>)> {
    let document = lopdf::Document::load(pdf).unwrap();
    let mut images = Vec::new();
    for (_, page_id) in document.get_pages() {
        for image in document.get_page_images(page_id).unwrap() {
            let filter = image
                .filters
                .as_ref()
                .and_then(|f| f.first().cloned())
                .unwrap_or_default();
            images.push((filter, image.content.to_vec()));
        }
    }
    images
}

/// A new dossier for procedure 1.001193 (birth registration, imported into the catalogue first) with
/// `applicant`; returns its code. The counter tests all start here.
pub fn birth_dossier(desk: &motcua::Desk, applicant: motcua::dossier::Applicant) -> String {
    desk.with_store(|s| s.import_procedures(&[super::birth_registration()], "test"))
        .unwrap();
    desk.create_dossier(
        motcua::dossier::NewDossier {
            procedure_code: "1.001193".into(),
            applicant,
            ..motcua::dossier::NewDossier::default()
        },
        "test",
    )
    .unwrap()
    .code
}

/// The applicant read from the CCCD test photo's QR code, as the Tiếp nhận screen fills it.
pub fn card_applicant(desk: &motcua::Desk) -> motcua::dossier::Applicant {
    let card = desk
        .read_cccd(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cccd/card-photo.jpg"),
        )
        .unwrap();
    motcua::dossier::Applicant {
        full_name: card.full_name,
        citizen_id: card.citizen_id,
        date_of_birth: Some(card.date_of_birth),
        address: card.address,
        ..motcua::dossier::Applicant::default()
    }
}

/// An applicant with a name and a citizen ID only.
pub fn named_applicant(full_name: &str, citizen_id: &str) -> motcua::dossier::Applicant {
    motcua::dossier::Applicant {
        full_name: full_name.into(),
        citizen_id: citizen_id.into(),
        ..motcua::dossier::Applicant::default()
    }
}
