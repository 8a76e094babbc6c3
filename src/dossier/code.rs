//! The dossier code (mã hồ sơ): `{agency id}-{yyMMdd}-{4-digit daily sequence}`, e.g. `000.00.06.H56-231027-0361`.
//!
//! The format is the one the national portal uses (see `docs/` and the team's sync reference). The sequence
//! restarts every day per agency; allocating it is the store's job, because uniqueness must hold across clerks
//! sharing one database.

use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

/// A parsed dossier code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DossierCode {
    pub agency: AgencyId,
    pub day: NaiveDate,
    pub sequence: u16,
}

/// An agency identifier such as `000.00.06.H56` or `H56.14`: letters, digits and dots, no dash (the dash
/// separates the code's parts).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AgencyId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodeError {
    #[error("mã cơ quan {0:?} không hợp lệ: chỉ gồm chữ, số và dấu chấm, ví dụ 000.00.06.H56")]
    Agency(String),
    #[error("mã hồ sơ {0:?} không đúng dạng {{mã cơ quan}}-{{yyMMdd}}-{{số thứ tự 4 chữ số}}")]
    Format(String),
    #[error("số thứ tự hồ sơ trong ngày vượt quá 9999")]
    SequenceExhausted,
}

impl AgencyId {
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let ok = !text.is_empty()
            && text.len() <= 40
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
            && !text.starts_with('.')
            && !text.ends_with('.');
        if ok {
            Ok(AgencyId(text.to_owned()))
        } else {
            Err(CodeError::Agency(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AgencyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl DossierCode {
    /// Builds a code; refuses sequence 0 and sequences that do not fit four digits.
    pub fn new(agency: AgencyId, day: NaiveDate, sequence: u32) -> Result<Self, CodeError> {
        match u16::try_from(sequence) {
            Ok(sequence) if (1..=9999).contains(&sequence) => Ok(DossierCode {
                agency,
                day,
                sequence,
            }),
            _ => Err(CodeError::SequenceExhausted),
        }
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{:04}",
            self.agency,
            self.day.format("%y%m%d"),
            self.sequence
        )
    }
}

impl FromStr for DossierCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CodeError::Format(s.to_owned());
        let mut parts = s.rsplitn(3, '-');
        let (Some(seq), Some(day), Some(agency)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if seq.len() != 4 || day.len() != 6 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let day = NaiveDate::parse_from_str(&format!("20{day}"), "%Y%m%d").map_err(|_| bad())?;
        let sequence: u32 = seq.parse().map_err(|_| bad())?;
        let agency = AgencyId::parse(agency).map_err(|_| bad())?;
        DossierCode::new(agency, day, sequence).map_err(|_| bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_the_portal_example() {
        let code: DossierCode = "000.00.06.H56-231027-0361".parse().unwrap();
        assert_eq!(code.agency.as_str(), "000.00.06.H56");
        assert_eq!(code.day, NaiveDate::from_ymd_opt(2023, 10, 27).unwrap());
        assert_eq!(code.sequence, 361);
        assert_eq!(code.to_string(), "000.00.06.H56-231027-0361");
    }

    #[test]
    fn refuses_malformed_codes() {
        for bad in [
            "",
            "H56-231027-361",
            "H56-231327-0001",
            "H56-231027-0000",
            "-231027-0001",
            "H-56-23102-0001",
        ] {
            assert!(bad.parse::<DossierCode>().is_err(), "{bad}");
        }
        assert!(AgencyId::parse("H56 14").is_err());
        assert!(DossierCode::new(AgencyId::parse("H56").unwrap(), NaiveDate::MIN, 10_000).is_err());
    }
}
