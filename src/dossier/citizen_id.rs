//! Vietnamese citizen identity numbers (số định danh cá nhân / CCCD), 12 digits.
//!
//! Structure per Circular 07/2016/TT-BCA (art. 7): 3 digits of the province of birth registration, 1 digit
//! that encodes sex and century of birth, 2 digits of the year of birth, 6 random digits. We validate the
//! province code against the published list and, when the date of birth is known, that the century digit and
//! the two year digits agree with it: both catch the common typing errors at the counter (a transposed or
//! missing digit) without any network look-up.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Province codes that prefix a citizen ID (Circular 07/2016/TT-BCA, annex). The 2025 province mergers did
/// not renumber issued IDs, so the pre-merger list stays the valid one.
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

/// A validated 12-digit citizen ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CitizenId(String);

/// Why a citizen ID was refused; each variant says which rule it broke so the clerk can fix the digit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CitizenIdError {
    #[error("số định danh phải có đúng 12 chữ số, nhận được {found:?}")]
    Length { found: String },
    #[error("số định danh chỉ gồm chữ số, nhận được {found:?}")]
    NotDigits { found: String },
    #[error("mã tỉnh {code:03} ở đầu số định danh {id} không tồn tại")]
    UnknownProvince { id: String, code: u16 },
    #[error("số định danh {id} không khớp năm sinh {year}")]
    BirthYearMismatch { id: String, year: i32 },
}

impl CitizenId {
    /// Parses and validates `text` (surrounding spaces are ignored; inner spaces are not, they hide errors).
    pub fn parse(text: &str) -> Result<Self, CitizenIdError> {
        let id = text.trim();
        if !id.chars().all(|c| c.is_ascii_digit()) {
            return Err(CitizenIdError::NotDigits {
                found: id.to_owned(),
            });
        }
        if id.len() != 12 {
            return Err(CitizenIdError::Length {
                found: id.to_owned(),
            });
        }
        let province: u16 = id[..3].parse().map_err(|_| CitizenIdError::NotDigits {
            found: id.to_owned(),
        })?;
        if !PROVINCE_CODES.contains(&province) {
            return Err(CitizenIdError::UnknownProvince {
                id: id.to_owned(),
                code: province,
            });
        }
        Ok(CitizenId(id.to_owned()))
    }

    /// Checks that the sex/century digit and the year digits agree with `birth`.
    pub fn check_birth_date(&self, birth: NaiveDate) -> Result<(), CitizenIdError> {
        let digits = self.0.as_bytes();
        let century_digit = i32::from(digits[3] - b'0');
        let year_digits = i32::from(digits[4] - b'0') * 10 + i32::from(digits[5] - b'0');
        // 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s …: even digits male, odd female.
        let year = 1900 + (century_digit / 2) * 100 + year_digits;
        if year != birth.year() {
            return Err(CitizenIdError::BirthYearMismatch {
                id: self.0.clone(),
                year: birth.year(),
            });
        }
        Ok(())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CitizenId {
    type Error = CitizenIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CitizenId::parse(&value)
    }
}

impl From<CitizenId> for String {
    fn from(id: CitizenId) -> String {
        id.0
    }
}

impl fmt::Display for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_hanoi_id_of_a_man_born_1990() {
        let id = CitizenId::parse(" 001090012345 ").unwrap();
        assert_eq!(id.as_str(), "001090012345");
        id.check_birth_date(NaiveDate::from_ymd_opt(1990, 5, 1).unwrap())
            .unwrap();
    }

    #[test]
    fn century_digit_for_a_woman_born_2003() {
        let id = CitizenId::parse("079303001234").unwrap();
        id.check_birth_date(NaiveDate::from_ymd_opt(2003, 1, 1).unwrap())
            .unwrap();
        assert!(
            id.check_birth_date(NaiveDate::from_ymd_opt(1903, 1, 1).unwrap())
                .is_err()
        );
    }

    #[test]
    fn refuses_wrong_length_letters_and_unknown_province() {
        assert!(matches!(
            CitizenId::parse("00109001234"),
            Err(CitizenIdError::Length { .. })
        ));
        assert!(matches!(
            CitizenId::parse("0010900123456"),
            Err(CitizenIdError::Length { .. })
        ));
        assert!(matches!(
            CitizenId::parse("00109001234a"),
            Err(CitizenIdError::NotDigits { .. })
        ));
        assert!(matches!(
            CitizenId::parse("003090012345"),
            Err(CitizenIdError::UnknownProvince { code: 3, .. })
        ));
        assert!(matches!(
            CitizenId::parse("097090012345"),
            Err(CitizenIdError::UnknownProvince { code: 97, .. })
        ));
    }
}
