//! Status sync: reads the portal's change feed from the stored cursor, moves local dossiers through
//! `Status::transition` to the national status reported, records the payment status it reports (rules in
//! `store/portal_payment.rs`), and downloads result PDFs into the blob store; a download that fails (the
//! portal's answer, a full disk) keeps its reason on the dossier and is retried at the next poll.
//!
//! The cursor (`sync.changed-since` in the settings) is written in the same transaction as the change it
//! follows (`docs/portal-api.md` § change feed), so a crash neither skips nor double-applies a change.

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::client::{CallError, PortalClient};
use super::{Event, SyncError};
use crate::store::{PortalDossier, PortalPayment, PortalPaymentReport, PortalPaymentState, Store};

/// Settings key of the change-feed cursor.
pub const CURSOR_KEY: &str = "sync.changed-since";
const PAGE: u32 = 200;

/// Applies every change since the stored cursor, then fetches announced results. Returns how many feed
/// entries were applied.
pub fn sync_statuses(
    store: &mut Store,
    client: &PortalClient,
    events: &(dyn Fn(&Event) + Sync),
    actor: &str,
) -> Result<Result<usize, CallError>, SyncError> {
    let mut applied = 0;
    loop {
        let since: i64 = store
            .setting(CURSOR_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let page = match client.changes(since, PAGE) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let last = page.items.len();
        for (i, item) in page.items.into_iter().enumerate() {
            let cursor = if i + 1 == last {
                page.next_changed_since
            } else {
                item.revision
            };
            let update = PortalDossier {
                code: item.code.clone(),
                receipt: item.receipt,
                national_status: item.status,
                reason: item.reason,
                revision: item.revision,
                result_sha256: None,
            };
            let payment = item.payment.map(read_payment);
            store.apply_portal_status(&update, payment.as_ref(), CURSOR_KEY, cursor, actor)?;
            events(&Event::StatusChanged {
                dossier: item.code,
                national_status: item.status,
            });
            applied += 1;
        }
        if !page.has_more {
            break;
        }
    }
    for code in store.results_to_download()? {
        let failure = match client.result(&code) {
            Ok(Some(bytes)) => {
                // put_blob writes atomically (temp, fsync, rename): a full disk or a refused write leaves no
                // partial file and fails this result only; it stays announced and is tried at the next poll.
                match store.put_blob(&bytes, "application/pdf") {
                    Ok(sha) => {
                        store.set_result_pdf(&code, &sha, actor)?;
                        events(&Event::ResultDownloaded {
                            dossier: code,
                            sha256: sha,
                        });
                        continue;
                    }
                    Err(e) => format!("không lưu được kết quả tải về: {e}"),
                }
            }
            Ok(None) => continue,
            // The portal's own reason (its error envelope), or what went wrong on the way.
            Err(e) => format!("cổng không trả kết quả: {e}"),
        };
        // The reason is kept beside the dossier's job for the clerk; when even that write fails (the disk
        // that refused the PDF may refuse the row too), the event still carries both and the sync goes on.
        let reason = match store.record_result_failure(&code, &failure) {
            Ok(()) => failure,
            Err(e) => format!("{failure} (chưa ghi được lý do: {e})"),
        };
        events(&Event::ResultFailed {
            dossier: code,
            reason,
        });
    }
    Ok(Ok(applied))
}

/// The `payment` object of a status object (`docs/portal-api.md` § Payment), as sent.
#[derive(Deserialize)]
struct WirePayment {
    status: String,
    #[serde(default)]
    receipt_no: Option<String>,
    #[serde(default)]
    paid_at: Option<String>,
    #[serde(default)]
    refunded_at: Option<String>,
    #[serde(default)]
    amount_vnd: Option<u64>,
}

/// National date `yyyyMMddHHmmss` (Vietnam time, the local time of the store).
fn national_time(field: &str, text: Option<String>) -> Result<Option<NaiveDateTime>, String> {
    text.map(|t| {
        NaiveDateTime::parse_from_str(&t, "%Y%m%d%H%M%S")
            .map_err(|e| format!("payment.{field} {t:?} không phải ngày yyyyMMddHHmmss ({e})"))
    })
    .transpose()
}

/// Reads and checks the portal's `payment` object; `Err` says what was wrong with it.
fn read_payment(value: serde_json::Value) -> PortalPaymentReport {
    let wire: WirePayment =
        serde_json::from_value(value).map_err(|e| format!("payment không đọc được ({e})"))?;
    let state = PortalPaymentState::parse(&wire.status)
        .ok_or_else(|| format!("payment.status {:?} không rõ", wire.status))?;
    Ok(PortalPayment {
        state,
        receipt_no: wire
            .receipt_no
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty()),
        paid_at: national_time("paid_at", wire.paid_at)?,
        refunded_at: national_time("refunded_at", wire.refunded_at)?,
        amount_vnd: wire.amount_vnd,
    })
}
