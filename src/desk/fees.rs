//! `Desk` calls for a dossier's fees, payment, postal return and result (issue 8, "Fees, payment and postal
//! return"): validate with [`crate::dossier::settlement`], then store with its audit entry.
//!
//! A payment made online through the portal arrives by the status sync when the portal's change feed
//! reports it (`store/portal_payment.rs`; `Settlement::payment_via_portal`); the clerk can still record an
//! online payment by hand (method `online`, the portal's transaction number as the receipt).

use std::path::Path;

use super::{Desk, DeskError, ErrorCode, vietnam_now};
use crate::catalog::Fee;
use crate::dossier::ResultReturn;
use crate::dossier::settlement::{
    Payment, PostalReturn, ResultSource, Settlement, SettlementError, validate_fees,
    validate_payment, validate_postal,
};

/// The stable code of a settlement rule.
pub(super) fn error_code(e: &SettlementError) -> ErrorCode {
    match e {
        SettlementError::FeeName { .. }
        | SettlementError::ReceiptMissing { .. }
        | SettlementError::AddressMissing { .. }
        | SettlementError::TrackingMissing { .. } => ErrorCode::RequiredField,
        SettlementError::NotPdf { .. } | SettlementError::ResultUnreadable { .. } => {
            ErrorCode::FileUnreadable
        }
        _ => ErrorCode::SettlementInvalid,
    }
}

impl Desk {
    /// Fees, payment, postal return and result of dossier `code`.
    pub fn settlement(&self, code: &str) -> Result<Settlement, DeskError> {
        Ok(self.store().settlement(code.trim())?)
    }

    /// Replaces the dossier's fees (copied from the catalogue when it opened); returns the new state.
    pub fn set_fees(&self, code: &str, fees: &[Fee], actor: &str) -> Result<Settlement, DeskError> {
        let fees = validate_fees(fees)?;
        let mut store = self.store();
        store.set_fees(code.trim(), &fees, actor)?;
        Ok(store.settlement(code.trim())?)
    }

    /// Records how the fees were paid.
    pub fn record_payment(
        &self,
        code: &str,
        payment: &Payment,
        actor: &str,
    ) -> Result<Settlement, DeskError> {
        let code = code.trim();
        let payment = validate_payment(code, payment)?;
        let mut store = self.store();
        store.set_payment(code, &payment, actor)?;
        Ok(store.settlement(code)?)
    }

    /// Records (or updates) the return of the result by post; the result-return channel becomes post.
    pub fn record_postal(
        &self,
        code: &str,
        postal: &PostalReturn,
        actor: &str,
    ) -> Result<Settlement, DeskError> {
        let code = code.trim();
        let postal = validate_postal(code, postal)?;
        let mut store = self.store();
        store.set_postal(code, &postal, actor)?;
        Ok(store.settlement(code)?)
    }

    /// Changes where the applicant collects the result (printed on Mẫu 01).
    pub fn set_result_return(
        &self,
        code: &str,
        channel: ResultReturn,
        actor: &str,
    ) -> Result<Settlement, DeskError> {
        let code = code.trim();
        let mut store = self.store();
        store.set_result_return(code, channel, actor)?;
        Ok(store.settlement(code)?)
    }

    /// Attaches the signed result PDF scanned (or received as a file) at the counter.
    pub fn attach_result(
        &self,
        code: &str,
        file: &Path,
        actor: &str,
    ) -> Result<Settlement, DeskError> {
        let code = code.trim();
        let bytes = std::fs::read(file).map_err(|e| SettlementError::ResultUnreadable {
            code: code.to_owned(),
            file: file.display().to_string(),
            reason: e.to_string(),
        })?;
        if !bytes.starts_with(b"%PDF-") {
            return Err(SettlementError::NotPdf {
                code: code.to_owned(),
                file: file.display().to_string(),
            }
            .into());
        }
        let mut store = self.store();
        // Fails early (before storing a blob) when there is no such dossier.
        store.settlement(code)?;
        let sha256 = store.put_blob(&bytes, "application/pdf")?;
        store.set_result(code, &sha256, ResultSource::Scan, vietnam_now(), actor)?;
        Ok(store.settlement(code)?)
    }
}
