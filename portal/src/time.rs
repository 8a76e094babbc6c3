//! Portal clock and the national date format.
//!
//! The national sync API writes every date as `yyyyMMddHHmmss` in Vietnam time (UTC+07:00, no DST),
//! see `national-portal-sync.md` § Dates. A fixed offset is exact for Asia/Ho_Chi_Minh, so no time-zone
//! database is needed.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

/// The `chrono` format string of the national date format `yyyyMMddHHmmss`.
pub const NATIONAL_DATE_FORMAT: &str = "%Y%m%d%H%M%S";

/// Vietnam time, UTC+07:00 (evaluated at compile time, so an out-of-range offset cannot reach runtime).
const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+07:00 is a valid offset"),
};

/// Vietnam time, UTC+07:00.
pub fn vietnam_offset() -> FixedOffset {
    VIETNAM
}

/// The current time in Vietnam.
pub fn now_vietnam() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&vietnam_offset())
}

/// Formats a time as a national date string (`yyyyMMddHHmmss`, Vietnam time).
pub fn format_national(at: DateTime<FixedOffset>) -> String {
    at.with_timezone(&vietnam_offset())
        .format(NATIONAL_DATE_FORMAT)
        .to_string()
}

/// Parses a national date string; `None` when it is not exactly 14 digits forming a valid date.
pub fn parse_national(text: &str) -> Option<DateTime<FixedOffset>> {
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let naive = NaiveDateTime::parse_from_str(text, NATIONAL_DATE_FORMAT).ok()?;
    naive.and_local_timezone(vietnam_offset()).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_dates_round_trip() {
        let at = parse_national("20261127143005").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-27T14:30:05+07:00");
        assert_eq!(format_national(at), "20261127143005");
    }

    #[test]
    fn malformed_national_dates_are_refused() {
        for bad in [
            "2026112714300",
            "2026-11-27",
            "20261327143005",
            "2026112714300x",
            "",
        ] {
            assert!(parse_national(bad).is_none(), "{bad} should be refused");
        }
    }
}
