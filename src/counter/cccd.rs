//! "Fill from CCCD": find the QR code on a picture of a citizen identity card (Căn cước công dân / Căn
//! cước) and read the applicant from it.
//!
//! The QR on the back of the chip card holds one line of fields separated by `|`:
//! `số CCCD|số CMND cũ|họ và tên|ngày sinh|giới tính|nơi thường trú|ngày cấp` (cards issued from 2021 by the
//! Ministry of Public Security; the 2024 "Căn cước" adds fields after these, which are ignored). Real cards
//! write the dates as `ddMMyyyy` without separators; `dd/MM/yyyy` is accepted too. The image is decoded
//! with its EXIF orientation applied (phone photos) through [`crate::capture::import_file`], reduced to at
//! most [`MAX_SIDE`] pixels, and searched with `rqrr` at a few scales, since a QR that fills a small part of
//! a large photo is found more reliably once the photo is scaled down.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use image::{DynamicImage, GrayImage, imageops::FilterType};

use crate::capture::{CaptureError, ImportOptions, import_file};

/// Longest side, in pixels, of the picture searched for the QR code.
pub const MAX_SIDE: u32 = 2000;

/// What the QR code of a CCCD says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CccdData {
    /// The 12-digit personal identification number.
    pub citizen_id: String,
    /// The 9-digit number of the old identity card (CMND), when the card records one.
    pub old_id: Option<String>,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    /// As printed: "Nam" or "Nữ".
    pub sex: String,
    /// Place of permanent residence (nơi thường trú).
    pub address: String,
    /// Date of issue, when readable.
    pub issued_on: Option<NaiveDate>,
}

/// Why a card picture could not fill the form. Messages are Vietnamese and say what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CccdError {
    #[error("không đọc được ảnh thẻ: {0}")]
    Image(#[from] CaptureError),
    #[error("{path} là tệp PDF; hãy chọn ảnh chụp hoặc ảnh quét mặt sau thẻ CCCD (JPEG, PNG…)")]
    NotAnImage { path: PathBuf },
    #[error(
        "không tìm thấy mã QR trên ảnh {path}; hãy chụp hoặc quét lại mặt sau thẻ CCCD, rõ nét, đủ sáng, mã QR nằm trọn trong ảnh"
    )]
    NoQrCode { path: PathBuf },
    #[error("mã QR trên ảnh {path} không phải mã của thẻ CCCD: {reason}")]
    NotACccd { path: PathBuf, reason: String },
}

/// Reads the card data from the QR code in the picture at `path`.
pub fn read_cccd_image(path: &Path) -> Result<CccdData, CccdError> {
    let pages = import_file(path, &ImportOptions::default())?;
    let page = pages.first().ok_or_else(|| CccdError::NoQrCode {
        path: path.to_owned(),
    })?;
    let image = page
        .to_image(&ImportOptions::default())?
        .ok_or_else(|| CccdError::NotAnImage {
            path: path.to_owned(),
        })?;
    let texts = find_qr_texts(&image);
    if texts.is_empty() {
        return Err(CccdError::NoQrCode {
            path: path.to_owned(),
        });
    }
    let mut first_reason = None;
    for text in &texts {
        match parse_cccd_qr(text) {
            Ok(data) => return Ok(data),
            Err(reason) => {
                first_reason.get_or_insert(reason);
            }
        }
    }
    Err(CccdError::NotACccd {
        path: path.to_owned(),
        reason: first_reason.unwrap_or_default(),
    })
}

/// The texts of every QR code rqrr decodes in `image`, trying the picture at up to [`MAX_SIDE`] pixels and
/// then at smaller scales until something is found.
pub fn find_qr_texts(image: &DynamicImage) -> Vec<String> {
    let grey = image.to_luma8();
    let longest = grey.width().max(grey.height());
    let mut side = longest.min(MAX_SIDE);
    let mut found = Vec::new();
    for _ in 0..3 {
        let scaled = if side == longest {
            grey.clone()
        } else {
            scale_to(&grey, side)
        };
        found = decode_all(&scaled);
        if !found.is_empty() || side < 400 {
            break;
        }
        side = side * 2 / 3;
    }
    found
}

fn scale_to(grey: &GrayImage, side: u32) -> GrayImage {
    let longest = grey.width().max(grey.height()).max(1);
    let w = (u64::from(grey.width()) * u64::from(side) / u64::from(longest)).max(1) as u32;
    let h = (u64::from(grey.height()) * u64::from(side) / u64::from(longest)).max(1) as u32;
    image::imageops::resize(grey, w, h, FilterType::Triangle)
}

fn decode_all(grey: &GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        grey.width() as usize,
        grey.height() as usize,
        |x, y| grey.get_pixel(x as u32, y as u32).0[0],
    );
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// Parses the text of a CCCD QR code. The error says which field is wrong (Vietnamese).
pub fn parse_cccd_qr(text: &str) -> Result<CccdData, String> {
    let fields: Vec<&str> = text.trim().split('|').map(str::trim).collect();
    if fields.len() < 7 {
        return Err(format!(
            "cần ít nhất 7 trường phân cách bởi '|', mã có {}",
            fields.len()
        ));
    }
    let citizen_id = fields[0];
    if citizen_id.len() != 12 || !citizen_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("số CCCD {citizen_id:?} không phải 12 chữ số"));
    }
    let old_id = match fields[1] {
        "" => None,
        old if old.bytes().all(|b| b.is_ascii_digit()) => Some(old.to_owned()),
        old => return Err(format!("số CMND cũ {old:?} không phải chữ số")),
    };
    let full_name = fields[2];
    if full_name.is_empty() {
        return Err("thiếu họ và tên".to_owned());
    }
    let date_of_birth = parse_card_date(fields[3]).ok_or_else(|| {
        format!(
            "ngày sinh {:?} không phải ngày hợp lệ (ddMMyyyy)",
            fields[3]
        )
    })?;
    Ok(CccdData {
        citizen_id: citizen_id.to_owned(),
        old_id,
        full_name: full_name.to_owned(),
        date_of_birth,
        sex: fields[4].to_owned(),
        address: fields[5].to_owned(),
        issued_on: parse_card_date(fields[6]),
    })
}

/// A card date: `ddMMyyyy` (as on real cards) or `dd/MM/yyyy`.
pub fn parse_card_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        NaiveDate::parse_from_str(text, "%d%m%Y").ok()
    } else {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str = "001190012345|123456789|Nguyễn Thị Hồng Nhung|02031990|Nữ|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|15082021";

    #[test]
    fn reads_the_fields_of_a_card_with_undelimited_dates() {
        let data = parse_cccd_qr(REAL).unwrap();
        assert_eq!(data.citizen_id, "001190012345");
        assert_eq!(data.old_id.as_deref(), Some("123456789"));
        assert_eq!(data.full_name, "Nguyễn Thị Hồng Nhung");
        assert_eq!(
            data.date_of_birth,
            NaiveDate::from_ymd_opt(1990, 3, 2).unwrap()
        );
        assert_eq!(data.sex, "Nữ");
        assert_eq!(data.address, "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội");
        assert_eq!(data.issued_on, NaiveDate::from_ymd_opt(2021, 8, 15));
    }

    #[test]
    fn accepts_slashed_dates_an_empty_old_id_and_extra_fields() {
        let data = parse_cccd_qr(
            "079095000123||Trần Văn Bình|31/12/1995|Nam|Quận 1, TP. Hồ Chí Minh|01/07/2024|extra|x",
        )
        .unwrap();
        assert_eq!(data.old_id, None);
        assert_eq!(
            data.date_of_birth,
            NaiveDate::from_ymd_opt(1995, 12, 31).unwrap()
        );
        assert_eq!(data.issued_on, NaiveDate::from_ymd_opt(2024, 7, 1));
    }

    #[test]
    fn refuses_other_qr_codes_with_the_field_at_fault() {
        assert!(
            parse_cccd_qr("https://dichvucong.gov.vn")
                .unwrap_err()
                .contains("7 trường")
        );
        let bad_id = REAL.replacen("001190012345", "00119001234", 1);
        assert!(parse_cccd_qr(&bad_id).unwrap_err().contains("12 chữ số"));
        let bad_date = REAL.replacen("02031990", "31021990", 1);
        assert!(parse_cccd_qr(&bad_date).unwrap_err().contains("ngày sinh"));
    }
}
