//! `Desk` calls that issue the slips: gather the dossier, the office settings and the statutory time,
//! render, write the PDF atomically, and record the slip in the dossier's audit trail
//! (`receipt.issued`, `apology.issued`), which is how the slips enter the dossier's timeline.

use std::path::Path;

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::{ApologySlip, Office, ReceiptError, ReceiptSlip, to_bytes};
use crate::calendar::ProcessingTime;
use crate::desk::vietnam_now;
use crate::dossier::Dossier;
use crate::{Desk, DeskError};

/// Setting: the governing body printed on the slips, e.g. "UBND phường Ba Đình".
pub const AGENCY_NAME: &str = "agency.name";
/// Setting: the receiving unit printed under it.
pub const AGENCY_UNIT: &str = "agency.unit";
/// Printed until the office sets `agency.name` (the sample agency of the docs).
pub const DEMO_AGENCY_NAME: &str = "UBND xã Mẫu";
/// Printed until the office sets `agency.unit`.
pub const DEMO_AGENCY_UNIT: &str = "Bộ phận tiếp nhận và trả kết quả";

/// Audit action of a printed Mẫu 01.
pub const RECEIPT_ISSUED: &str = "receipt.issued";
/// Audit action of an issued Mẫu 04; its `new_due` moves the dossier's deadline (see `dossier::deadline`).
pub const APOLOGY_ISSUED: &str = "apology.issued";

fn write(path: &Path, bytes: &[u8]) -> Result<String, ReceiptError> {
    crate::atomic::write_file_atomic(path, bytes).map_err(|source| ReceiptError::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

impl Desk {
    /// The office printed on slips, from the settings (or the demo values).
    pub fn office(&self) -> Result<Office, DeskError> {
        let get = |key, default: &str| -> Result<String, DeskError> {
            Ok(self
                .setting(key)?
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned()))
        };
        Ok(Office {
            name: get(AGENCY_NAME, DEMO_AGENCY_NAME)?,
            unit: get(AGENCY_UNIT, DEMO_AGENCY_UNIT)?,
        })
    }

    fn processing_time_of(&self, dossier: &Dossier) -> Result<ProcessingTime, DeskError> {
        let procedure = self.with_store(|s| s.procedure(&dossier.procedure_code))?;
        Ok(procedure.processing_time)
    }

    /// Writes Mẫu 01 for dossier `code` to `out` (`copies` 1 or 2) and records it; returns the dossier.
    pub fn issue_receipt(
        &self,
        code: &str,
        copies: u8,
        out: &Path,
        actor: &str,
    ) -> Result<Dossier, DeskError> {
        let dossier = self.dossier(code)?;
        let office = self.office()?;
        let postal = self.settlement(&dossier.code)?.postal;
        let slip = ReceiptSlip {
            office: &office,
            dossier: &dossier,
            processing_time: self.processing_time_of(&dossier)?,
            officer: actor,
            copies,
            postal_address: postal.as_ref().map(|p| p.address.as_str()),
        };
        let bytes = to_bytes(slip.render()?, out)?;
        let sha256 = write(out, &bytes)?;
        let details = serde_json::json!({
            "copies": copies,
            "file": out.display().to_string(),
            "sha256": sha256,
        });
        self.with_store(|s| {
            s.record_dossier_event(&dossier.code, RECEIPT_ISSUED, &details, actor)
        })?;
        Ok(dossier)
    }

    /// Writes Mẫu 04 for dossier `code`: the new due time is `extra_days` working days after the original
    /// one. Refused when issued (`issued_at`, default now) after the original due time. Returns the new
    /// due time.
    pub fn issue_apology(
        &self,
        code: &str,
        reason: &str,
        extra_days: u32,
        issued_at: Option<NaiveDateTime>,
        out: &Path,
        actor: &str,
    ) -> Result<NaiveDateTime, DeskError> {
        if extra_days == 0 {
            return Err(ReceiptError::ExtraDays.into());
        }
        let dossier = self.dossier(code)?;
        let office = self.office()?;
        let new_due = self.calendar().due_at(
            dossier.due_at,
            ProcessingTime::WorkingDays { days: extra_days },
        );
        let slip = ApologySlip {
            office: &office,
            dossier: &dossier,
            reason,
            issued_at: issued_at.unwrap_or_else(vietnam_now),
            new_due,
        };
        let bytes = to_bytes(slip.render()?, out)?;
        let sha256 = write(out, &bytes)?;
        let details = serde_json::json!({
            "reason": reason.trim(),
            "extra_days": extra_days,
            "issued_at": slip.issued_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            "original_due": dossier.due_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            "new_due": new_due.format("%Y-%m-%d %H:%M:%S").to_string(),
            "file": out.display().to_string(),
            "sha256": sha256,
        });
        self.with_store(|s| {
            s.record_dossier_event(&dossier.code, APOLOGY_ISSUED, &details, actor)
        })?;
        Ok(new_due)
    }
}
