//! Text rules shared by the JSON and CSV parsers: Unicode normalisation of Vietnamese text,
//! accent folding (for headers and search), procedure codes, levels, processing times, yes/no
//! flags, counts and fee amounts. Keeping them in one place means both formats accept exactly
//! the same spellings, and the CSV writer produces text these functions read back unchanged.

use super::Level;
use super::error::Invalid;
use crate::calendar::ProcessingTime;
use chrono::NaiveTime;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Cut-off used for "trong ngày" when the text names no hour: the end of the default working
/// day (17:00), after which a dossier counts from the next working morning.
pub const DEFAULT_SAME_DAY_CUTOFF: (u32, u32) = (17, 0);

/// NFC-normalises `text`, trims it and collapses runs of white space to one space.
/// Vietnamese typed with combining accents (macOS, some keyboard modes) then compares equal
/// to the precomposed form.
pub fn clean(text: &str) -> String {
    let composed: String = text.nfc().collect();
    composed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Like [`clean`], but an empty result is an error naming `field`.
pub(crate) fn required(text: &str, field: &'static str) -> Result<String, Invalid> {
    let cleaned = clean(text);
    if cleaned.is_empty() {
        Err(Invalid::Empty(field))
    } else {
        Ok(cleaned)
    }
}

/// Lower-cases `text` and removes Vietnamese diacritics, mapping đ/Đ to d; punctuation is kept.
fn strip_accents(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The search key of `text`: no accents, lower case, every run of non-alphanumeric
/// characters turned into one space. "Đăng ký nhận cha, mẹ, con" → "dang ky nhan cha me con".
pub fn fold(text: &str) -> String {
    let stripped = strip_accents(text);
    stripped
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Validates and normalises a procedure code: a national code `D.DDDDDD` (one digit, a dot,
/// six digits), optionally followed by dot-separated segments of ASCII letters and digits that
/// name the local agency (`1.001193.000.00.00.H56`). Letters are upper-cased.
pub(crate) fn procedure_code(text: &str) -> Result<String, Invalid> {
    let code = text.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(Invalid::Empty("procedure code"));
    }
    if is_valid_code(&code) {
        Ok(code)
    } else {
        Err(Invalid::Code(text.trim().to_owned()))
    }
}

/// True when `code` is a national procedure code or a local extension of one (see
/// [`procedure_code`]); letters must already be upper case.
pub fn is_valid_code(code: &str) -> bool {
    let mut parts = code.split('.');
    let national_prefix = parts
        .next()
        .is_some_and(|p| p.len() == 1 && p.bytes().all(|b| b.is_ascii_digit()));
    let national_number = parts
        .next()
        .is_some_and(|p| p.len() == 6 && p.bytes().all(|b| b.is_ascii_digit()));
    national_prefix
        && national_number
        && parts.all(|p| {
            (1..=10).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        })
}

/// Reads a level: "xã"/"phường"/"thị trấn"/"cấp xã"/"commune", "huyện"/"cấp huyện"/"district",
/// "tỉnh"/"cấp tỉnh"/"province", accent- and case-insensitively.
pub(crate) fn level(text: &str) -> Result<Level, Invalid> {
    let folded = fold(text);
    let word = folded.strip_prefix("cap ").unwrap_or(&folded);
    match word {
        "" => Err(Invalid::Empty("level")),
        "xa" | "phuong" | "thi tran" | "commune" => Ok(Level::Commune),
        "huyen" | "quan" | "thi xa" | "thanh pho thuoc tinh" | "district" => Ok(Level::District),
        "tinh" | "thanh pho truc thuoc trung uong" | "province" => Ok(Level::Province),
        _ => Err(Invalid::Level(text.trim().to_owned())),
    }
}

/// The Vietnamese text the CSV writer uses for a level.
pub(crate) fn level_text(level: Level) -> &'static str {
    match level {
        Level::Commune => "Cấp xã",
        Level::District => "Cấp huyện",
        Level::Province => "Cấp tỉnh",
    }
}

/// Reads a processing time written as text:
/// - `"5"`, `"5 ngày"`, `"5 ngày làm việc"`, `"5 working days"` → 5 working days (at least 1);
/// - `"trong ngày"`, `"same day"` → same day with the default 17:00 cut-off;
/// - `"trong ngày; sau 15:00 chuyển ngày làm việc tiếp theo"`, `"same day; after 15:00 next
///   working day"` (also `15h`, `15h00`, `15 giờ`) → same day with cut-off 15:00.
pub(crate) fn processing_time(text: &str) -> Result<ProcessingTime, Invalid> {
    let bad = || Invalid::Time(text.trim().to_owned());
    let plain = strip_accents(text);
    let plain = plain.trim();
    if plain.is_empty() {
        return Err(Invalid::Empty("processing time"));
    }
    let digits_end = plain
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(plain.len());
    if digits_end > 0 {
        let days: u32 = plain[..digits_end].parse().map_err(|_| bad())?;
        let unit = fold(&plain[digits_end..]);
        let known_unit = matches!(
            unit.as_str(),
            "" | "ngay" | "ngay lam viec" | "day" | "days" | "working day" | "working days"
        );
        return if known_unit && days > 0 {
            Ok(ProcessingTime::WorkingDays { days })
        } else {
            Err(bad())
        };
    }
    let rest = [
        "ngay trong ngay lam viec",
        "ngay trong ngay",
        "trong ngay lam viec",
        "trong ngay",
        "same working day",
        "same day",
    ]
    .iter()
    .find_map(|prefix| plain.strip_prefix(prefix))
    .ok_or_else(bad)?;
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || ";,.-(:".contains(c));
    if rest.is_empty() {
        let (hour, minute) = DEFAULT_SAME_DAY_CUTOFF;
        let cutoff = NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(bad)?;
        return Ok(ProcessingTime::SameDay { cutoff });
    }
    // The cut-off is the first clock time that follows a "sau"/"after".
    let cutoff = ["sau ", "after "]
        .iter()
        .flat_map(|word| rest.match_indices(word).map(|(at, _)| at + word.len()))
        .find_map(|start| clock_time(rest[start..].trim_start()))
        .ok_or_else(bad)?;
    Ok(ProcessingTime::SameDay { cutoff })
}

/// Reads the clock time at the start of `text`: `15:00`, `15:00:00`, `15h`, `15h00`, `15 gio`.
fn clock_time(text: &str) -> Option<NaiveTime> {
    let hour_end = text.find(|c: char| !c.is_ascii_digit())?;
    let hour: u32 = text.get(..hour_end)?.parse().ok()?;
    let rest = &text[hour_end..];
    let (minute, second) = if let Some(after) = rest.strip_prefix(':') {
        let mut fields = after.split(':');
        let minute = two_digits(fields.next()?)?;
        let second = match fields.next() {
            Some(field) => two_digits(field)?,
            None => 0,
        };
        (minute, second)
    } else if let Some(after) = rest.strip_prefix('h') {
        let minute = after
            .get(..2)
            .and_then(two_digits)
            .filter(|_| after.len() == 2 || !after[2..].starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or(0);
        (minute, 0)
    } else if rest.trim_start().starts_with("gio") {
        (0, 0)
    } else {
        return None;
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// Parses exactly two ASCII digits at the start of `text` (anything after them is ignored).
fn two_digits(text: &str) -> Option<u32> {
    let head = text.get(..2)?;
    if head.bytes().all(|b| b.is_ascii_digit()) {
        head.parse().ok()
    } else {
        None
    }
}

/// The Vietnamese text the CSV writer uses for a processing time; [`processing_time`] reads it
/// back to the same value.
pub(crate) fn processing_time_text(time: ProcessingTime) -> String {
    match time {
        ProcessingTime::WorkingDays { days } => format!("{days} ngày làm việc"),
        ProcessingTime::SameDay { cutoff } => {
            let clock = if cutoff.format("%S").to_string() == "00" {
                cutoff.format("%H:%M").to_string()
            } else {
                cutoff.format("%H:%M:%S").to_string()
            };
            format!("Trong ngày; sau {clock} chuyển ngày làm việc tiếp theo")
        }
    }
}

/// Reads a yes/no cell: có/x/yes/true/1 or không/no/false/0; empty gives `empty`.
pub(crate) fn flag(text: &str, field: &'static str, empty: bool) -> Result<bool, Invalid> {
    match fold(text).as_str() {
        "" => Ok(empty),
        "x" | "co" | "yes" | "y" | "true" | "1" | "bat buoc" => Ok(true),
        "khong" | "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(Invalid::Flag(field, text.trim().to_owned())),
    }
}

/// Reads a count of copies; empty means 0.
pub(crate) fn count(text: &str, field: &'static str) -> Result<u32, Invalid> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(0);
    }
    trimmed
        .parse()
        .map_err(|_| Invalid::Number(field, trimmed.to_owned()))
}

/// Reads an amount in đồng: `8000`, `8.000`, `8,000`, `8 000`, optionally followed by
/// đ/đồng/VND; "miễn phí"/"không thu"/"free" mean 0. Thousands separators must group by three.
pub(crate) fn amount_vnd(text: &str) -> Result<u64, Invalid> {
    let bad = || Invalid::Number("fee amount", text.trim().to_owned());
    let plain = strip_accents(text);
    let mut plain = plain.trim();
    if matches!(plain, "mien phi" | "khong thu" | "free") {
        return Ok(0);
    }
    for unit in ["dong", "vnd", "d"] {
        if let Some(number) = plain.strip_suffix(unit) {
            plain = number.trim_end();
            break;
        }
    }
    let groups: Vec<&str> = plain.split(['.', ',', ' ']).collect();
    let well_grouped = groups.iter().enumerate().all(|(index, group)| {
        let size_ok = if index == 0 {
            (1..=3).contains(&group.len()) || groups.len() == 1
        } else {
            group.len() == 3
        };
        size_ok && !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit())
    });
    if !well_grouped {
        return Err(bad());
    }
    groups.concat().parse().map_err(|_| bad())
}

/// Reads a fee cell: items `name: amount` separated by `;`. An item without a name is called
/// "Lệ phí". Empty means no fee.
pub(crate) fn fees(text: &str) -> Result<Vec<super::Fee>, Invalid> {
    let mut fees = Vec::new();
    for item in text.split(';').map(str::trim).filter(|i| !i.is_empty()) {
        let (name, amount) = match item.rsplit_once(':') {
            Some((name, amount)) => (clean(name), amount),
            None => ("Lệ phí".to_owned(), item),
        };
        if name.is_empty() {
            return Err(Invalid::Fee(item.to_owned()));
        }
        let amount_vnd = amount_vnd(amount)?;
        fees.push(super::Fee { name, amount_vnd });
    }
    Ok(fees)
}

/// Checks a fee name read from JSON: not empty, and free of `;` so that the CSV form can
/// carry it.
pub(crate) fn fee_name(text: &str) -> Result<String, Invalid> {
    let name = required(text, "fee name")?;
    if name.contains(';') {
        Err(Invalid::Fee(name))
    } else {
        Ok(name)
    }
}

/// The CSV cell for a list of fees; [`fees`] reads it back unchanged.
pub(crate) fn fees_text(fees: &[super::Fee]) -> String {
    fees.iter()
        .map(|fee| format!("{}: {}", fee.name, fee.amount_vnd))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    #[test]
    fn folds_vietnamese_including_d_stroke_and_combining_marks() {
        assert_eq!(fold("Đăng ký nhận cha, mẹ, con"), "dang ky nhan cha me con");
        // "Đăng ký" typed with combining accents (NFD) folds the same.
        let decomposed: String = "Đăng ký".nfd().collect();
        assert_eq!(fold(&decomposed), "dang ky");
        assert_eq!(clean(&decomposed), "Đăng ký");
    }

    #[test]
    fn reads_processing_time_spellings() {
        let days = |days| Ok(ProcessingTime::WorkingDays { days });
        assert_eq!(processing_time("5"), days(5));
        assert_eq!(processing_time("05 ngày làm việc"), days(5));
        assert_eq!(processing_time("7 Working days"), days(7));
        let same = |h, m| Ok(ProcessingTime::SameDay { cutoff: hm(h, m) });
        assert_eq!(processing_time("Trong ngày"), same(17, 0));
        assert_eq!(
            processing_time("trong ngày; sau 15:00 chuyển ngày làm việc tiếp theo"),
            same(15, 0)
        );
        assert_eq!(
            processing_time("Trong ngày (nếu nhận sau 15h30 thì trả ngày hôm sau)"),
            same(15, 30)
        );
        assert_eq!(processing_time("same day; after 15 giờ"), same(15, 0));
        assert_eq!(processing_time("Trong ngày làm việc"), same(17, 0));
        assert_eq!(
            processing_time("Trong ngày. Sau khi nhận hồ sơ sau 16 giờ thì trả ngày hôm sau"),
            same(16, 0)
        );
        for bad in [
            "-5",
            "0",
            "5 tuần",
            "trong ngày; sau 25:00",
            "sometime",
            "trong ngày; 15:00",
        ] {
            assert!(
                matches!(processing_time(bad), Err(Invalid::Time(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn writer_text_reads_back() {
        for time in [
            ProcessingTime::WorkingDays { days: 12 },
            ProcessingTime::SameDay { cutoff: hm(15, 0) },
            ProcessingTime::SameDay {
                cutoff: NaiveTime::from_hms_opt(15, 0, 30).unwrap(),
            },
        ] {
            assert_eq!(processing_time(&processing_time_text(time)), Ok(time));
        }
    }

    #[test]
    fn validates_codes() {
        for good in [
            "1.001193",
            "2.000815",
            "1.001193.000.00.00.h56",
            "1.001193.H56.14",
        ] {
            assert!(procedure_code(good).is_ok(), "{good}");
        }
        for bad in [
            "1.00119",
            "12.001193",
            "1-001193",
            "1.001193.",
            "1.001193.H 56",
            "abc",
        ] {
            assert!(
                matches!(procedure_code(bad), Err(Invalid::Code(_))),
                "{bad}"
            );
        }
        assert_eq!(procedure_code(" "), Err(Invalid::Empty("procedure code")));
    }

    #[test]
    fn reads_amounts_and_fees() {
        assert_eq!(amount_vnd("8.000"), Ok(8000));
        assert_eq!(amount_vnd("1,500,000 đồng"), Ok(1_500_000));
        assert_eq!(amount_vnd("Miễn phí"), Ok(0));
        for bad in ["-5000", "8,5", "12.34.567", "tám nghìn", ""] {
            assert!(amount_vnd(bad).is_err(), "{bad}");
        }
        let parsed = fees("Lệ phí cấp bản sao: 8.000đ; 2000").unwrap();
        assert_eq!(parsed[0].name, "Lệ phí cấp bản sao");
        assert_eq!(parsed[0].amount_vnd, 8000);
        assert_eq!(parsed[1].name, "Lệ phí");
        assert_eq!(fees(&fees_text(&parsed)), Ok(parsed));
    }

    #[test]
    fn reads_levels_and_flags() {
        assert_eq!(level("Cấp Xã"), Ok(Level::Commune));
        assert_eq!(level("PHƯỜNG"), Ok(Level::Commune));
        assert_eq!(level("district"), Ok(Level::District));
        assert!(matches!(level("bộ"), Err(Invalid::Level(_))));
        assert_eq!(flag("Có", "mandatory", false), Ok(true));
        assert_eq!(flag("", "mandatory", false), Ok(false));
        assert!(flag("maybe", "mandatory", false).is_err());
    }
}
