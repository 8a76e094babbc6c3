//! The deadline facts of a dossier as migration 3's triggers keep them in `dossiers`: every status change
//! (`status_changes`, "local time>status" joined by ";", in audit order), the latest apology's new due time
//! and the number of mandatory documents without a PDF. Reading them is what lets the deadline colours and
//! the reports skip replaying the audit log; `tests/dossier_settlement.rs` checks they equal what
//! [`crate::report::history_from_audit`] reads from the log.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::OptionalExtension;

use super::{DATE_TIME, Store, StoreError};
use crate::dossier::Status;
use crate::dossier::deadline::StatusChange;

/// What migration 3 keeps per dossier for its deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierFacts {
    pub changes: Vec<StatusChange>,
    pub reappointed_due: Option<NaiveDateTime>,
    pub apologies: u32,
    pub documents_missing: u32,
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// Parses "YYYY-MM-DD HH:MM:SS" with an optional ".fff" fraction (the triggers' and the store's format),
/// by position: the report reads a million of these.
pub fn parse_local_time(text: &str) -> Option<NaiveDateTime> {
    parse_local_time_bytes(text.as_bytes())
}

/// [`parse_local_time`] over the bytes of a column, so the report's scan need not check them as UTF-8
/// first (the fixed format is ASCII; anything else goes through chrono's parser).
pub fn parse_local_time_bytes(b: &[u8]) -> Option<NaiveDateTime> {
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' {
        let text = std::str::from_utf8(b).ok()?;
        return NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").ok();
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(&b[0..4])?).ok()?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )?;
    let nanos = match b.get(19) {
        None => 0,
        Some(b'.') => {
            let frac = &b[20..];
            let n = digits(frac)?;
            let scale = 9u32.checked_sub(u32::try_from(frac.len()).ok()?)?;
            n * 10u32.pow(scale)
        }
        Some(_) => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
        nanos,
    )?;
    Some(date.and_time(time))
}

/// Width of a trigger-written time ("YYYY-MM-DD HH:MM:SS.fff") in `status_changes`.
const TRIGGER_TIME_LEN: usize = 23;

/// A key that orders two times of `status_changes` as their text does, compared as two integers instead
/// of a `memcmp` call (the report compares about seven per dossier); `None` unless the text has the
/// triggers' fixed width.
fn time_order_key(at: &[u8]) -> Option<(u128, u64)> {
    let fixed: &[u8; TRIGGER_TIME_LEN] = at.try_into().ok()?;
    let (head, tail) = fixed.split_at(16);
    let mut rest = [0u8; 8];
    rest[..tail.len()].copy_from_slice(tail);
    Some((
        u128::from_be_bytes(head.try_into().ok()?),
        u64::from_be_bytes(rest),
    ))
}

/// The status named by the bytes of a `status_changes` entry.
fn status_of(name: &[u8]) -> Option<Status> {
    std::str::from_utf8(name).ok().and_then(Status::parse)
}

/// Parses a `status_changes` column; malformed entries are skipped, as `history_from_audit` skips entries
/// that do not parse.
pub fn parse_status_changes(text: &str) -> Vec<StatusChange> {
    let mut changes = Vec::new();
    parse_status_changes_into(text, &mut changes);
    changes
}

/// [`parse_status_changes`] into a reused vector (cleared first).
pub fn parse_status_changes_into(text: &str, changes: &mut Vec<StatusChange>) {
    changes.clear();
    changes.extend(text.split(';').filter_map(|item| {
        let (at, status) = item.split_once('>')?;
        Some(StatusChange {
            at: parse_local_time(at)?,
            to: Status::parse(status)?,
        })
    }));
}

/// The status changes of a `status_changes` column that can affect a deadline verdict: entries to status 5,
/// the first entry after each of them (it ends the pause) and the entries that stop the clock. The others
/// change nothing in [`crate::dossier::deadline::deadline`] — a change that neither starts nor ends a pause
/// nor stops the clock is a no-op there, in any prefix of the time-ordered list — so their times are not
/// even parsed. Entries recorded out of time order (changes entered after the fact) make the rule unsafe:
/// then every entry is kept, as [`parse_status_changes_into`] does.
pub fn parse_deadline_changes_into(text: impl AsRef<[u8]>, changes: &mut Vec<StatusChange>) {
    let text = text.as_ref();
    changes.clear();
    let mut previous: (&[u8], Option<(u128, u64)>) = (b"", None);
    let mut paused = false;
    for item in text.split(|b| *b == b';') {
        // The triggers write the time at a fixed width, so the '>' is normally at a known place.
        let split = match item.get(TRIGGER_TIME_LEN) {
            Some(b'>') => TRIGGER_TIME_LEN,
            _ => match memchr::memchr(b'>', item) {
                Some(i) => i,
                None => continue,
            },
        };
        let (at, status) = (&item[..split], &item[split + 1..]);
        let key = time_order_key(at);
        let earlier = match (key, previous.1) {
            (Some(key), Some(before)) => key < before,
            _ => at < previous.0,
        };
        if earlier {
            parse_status_changes_into(&String::from_utf8_lossy(text), changes);
            return;
        }
        previous = (at, key);
        let Some(to) = status_of(status) else {
            continue;
        };
        let pause = to == Status::SupplementRequested;
        let stop = matches!(
            to,
            Status::Processed
                | Status::Returned
                | Status::Withdrawn
                | Status::Stopped
                | Status::NotAccepted
        );
        if (pause || stop || paused)
            && let Some(at) = parse_local_time_bytes(at)
        {
            changes.push(StatusChange { at, to });
            paused = pause;
        }
    }
}

impl Store {
    /// The deadline facts of dossier `code`.
    pub fn dossier_facts(&self, code: &str) -> Result<DossierFacts, StoreError> {
        let row: Option<(String, Option<String>, u32, u32)> = self
            .conn
            .query_row(
                "SELECT status_changes, reappointed_due, apologies, documents_missing
                 FROM dossiers WHERE code = ?1",
                [code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let Some((changes, due, apologies, documents_missing)) = row else {
            return Err(StoreError::NotFound {
                what: "hồ sơ",
                key: code.to_owned(),
            });
        };
        Ok(DossierFacts {
            changes: parse_status_changes(&changes),
            reappointed_due: due.and_then(|d| NaiveDateTime::parse_from_str(&d, DATE_TIME).ok()),
            apologies,
            documents_missing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_like_chrono() {
        for text in [
            "2026-02-10 09:15:00",
            "2026-02-10 09:15:07.123",
            "2025-12-31 23:59:59.5",
        ] {
            assert_eq!(
                parse_local_time(text),
                NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").ok(),
                "{text}"
            );
        }
        assert_eq!(parse_local_time("2026-02-30 09:15:00"), None);
        let mut kept = Vec::new();
        parse_deadline_changes_into(
            "2026-02-10 09:00:00.000>ready;2026-02-10 09:00:00.000>received;\
             2026-02-11 09:00:00.000>supplement_requested;2026-02-12 09:00:00.000>processing;\
             2026-02-13 09:00:00.000>financial_obligation;2026-02-16 09:00:00.000>processed",
            &mut kept,
        );
        let kept: Vec<Status> = kept.iter().map(|c| c.to).collect();
        assert_eq!(
            kept,
            [
                Status::SupplementRequested,
                Status::Processing,
                Status::Processed
            ]
        );
        // Out of time order: everything is kept.
        let mut all = Vec::new();
        parse_deadline_changes_into(
            "2026-02-12 09:00:00.000>ready;2026-02-11 09:00:00>supplement_requested",
            &mut all,
        );
        assert_eq!(all.len(), 2);
        assert_eq!(
            parse_status_changes(
                "2026-02-10 09:15:00.250>ready;bad;2026-02-11 10:00:00.000>received"
            )
            .len(),
            2
        );
    }

    #[test]
    fn fixed_width_times_order_like_their_text() {
        let times = [
            "2025-12-31 23:59:59.999",
            "2026-01-01 00:00:00.000",
            "2026-01-01 00:00:00.001",
            "2026-01-01 00:00:01.000",
            "2026-10-01 07:30:00.000",
        ];
        for a in times {
            for b in times {
                let (ka, kb) = (time_order_key(a.as_bytes()), time_order_key(b.as_bytes()));
                assert_eq!(ka.cmp(&kb), a.cmp(b), "{a} vs {b}");
            }
        }
        assert_eq!(time_order_key(b"2026-01-01 00:00:00"), None);
        // One entry recorded after the fact (an earlier time later in the list), both at the fixed width:
        // the fast path keeps every entry, like the text comparison did.
        let mut all = Vec::new();
        parse_deadline_changes_into(
            "2026-02-12 09:00:00.000>ready;2026-02-12 08:59:59.999>received",
            &mut all,
        );
        assert_eq!(all.len(), 2);
        // The same bytes as &[u8] and as &str give the same changes.
        let text =
            "2026-02-11 09:00:00.000>supplement_requested;2026-02-12 09:00:00.000>processing";
        let mut from_bytes = Vec::new();
        parse_deadline_changes_into(text.as_bytes(), &mut from_bytes);
        parse_deadline_changes_into(text, &mut all);
        assert_eq!(from_bytes, all);
        assert_eq!(from_bytes.len(), 2);
    }
}
