//! Wire shapes of the Hồ sơ screen (issue 8/9): the deadline of each listed dossier, the dossier's fees,
//! payment, postal return and result, the Mẫu 04 prompt and its outcome. camelCase JSON; mirrored by
//! `ui/src/lib/backend/dossiers.ts`. Date-times are local Vietnam time without a zone.

use chrono::NaiveDateTime;
use motcua::ApologyCandidate;
use motcua::dossier::ResultReturn;
use motcua::dossier::deadline::{DeadlineColour, DeadlineState};
use motcua::dossier::settlement::{Payment, PaymentMethod, PostalReturn, Settlement};
use serde::{Deserialize, Serialize};

use super::FeeDto;

/// A dossier's traffic light (issue 8, "Deadlines").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadlineDto {
    /// `green`, `yellow`, `orange` or `red`.
    pub colour: DeadlineColour,
    /// Working minutes left; negative when overdue.
    pub remaining_minutes: i64,
    /// Minutes in one working day, to show the time as days and hours.
    pub day_minutes: i64,
    pub effective_due: NaiveDateTime,
    pub paused: bool,
    pub stopped: bool,
}

impl DeadlineDto {
    pub fn new(state: &DeadlineState, day_minutes: i64) -> Self {
        DeadlineDto {
            colour: state.colour,
            remaining_minutes: state.remaining_minutes,
            day_minutes,
            effective_due: state.effective_due,
            paused: state.paused,
            stopped: state.stopped,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDto {
    /// `cash`, `online`, `transfer` or `exempt`.
    pub method: PaymentMethod,
    #[serde(default)]
    pub receipt_no: String,
    /// Absent on the way in: now.
    #[serde(default)]
    pub paid_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalDto {
    pub address: String,
    #[serde(default)]
    pub tracking_no: String,
    #[serde(default)]
    pub sent_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub delivered_at: Option<NaiveDateTime>,
}

impl From<PostalDto> for PostalReturn {
    fn from(p: PostalDto) -> Self {
        PostalReturn {
            address: p.address,
            tracking_no: p.tracking_no,
            sent_at: p.sent_at,
            delivered_at: p.delivered_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultDto {
    /// `portal` or `scan`.
    pub source: motcua::dossier::settlement::ResultSource,
    pub attached_at: Option<NaiveDateTime>,
}

/// Fees, payment, postal return and result of one dossier.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettlementDto {
    pub code: String,
    pub fees: Vec<FeeDto>,
    pub fees_total_vnd: u64,
    pub payment: Option<PaymentDto>,
    /// The payment came from the portal's payment status ("Thanh toán trực tuyến (qua cổng)").
    pub payment_via_portal: bool,
    pub result_return: ResultReturn,
    pub postal: Option<PostalDto>,
    pub result: Option<ResultDto>,
}

impl From<&Settlement> for SettlementDto {
    fn from(s: &Settlement) -> Self {
        SettlementDto {
            code: s.code.clone(),
            fees: s.fees.iter().map(FeeDto::from).collect(),
            fees_total_vnd: s.fees_total_vnd,
            payment: s.payment.as_ref().map(|p: &Payment| PaymentDto {
                method: p.method,
                receipt_no: p.receipt_no.clone(),
                paid_at: Some(p.paid_at),
            }),
            payment_via_portal: s.payment_via_portal,
            result_return: s.result_return,
            postal: s.postal.as_ref().map(|p| PostalDto {
                address: p.address.clone(),
                tracking_no: p.tracking_no.clone(),
                sent_at: p.sent_at,
                delivered_at: p.delivered_at,
            }),
            result: s.result.as_ref().map(|r| ResultDto {
                source: r.source,
                attached_at: r.attached_at,
            }),
        }
    }
}

/// A dossier the Mẫu 04 banner lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApologyCandidateDto {
    pub code: String,
    pub applicant_name: String,
    pub procedure_name: String,
    pub due_at: NaiveDateTime,
    pub remaining_minutes: i64,
    pub colour: DeadlineColour,
}

impl From<&ApologyCandidate> for ApologyCandidateDto {
    fn from(c: &ApologyCandidate) -> Self {
        ApologyCandidateDto {
            code: c.code.clone(),
            applicant_name: c.applicant_name.clone(),
            procedure_name: c.procedure_name.clone(),
            due_at: c.due_at,
            remaining_minutes: c.remaining_minutes,
            colour: c.colour,
        }
    }
}

/// An issued Mẫu 04: the new due time and the slip's file in the data folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApologyIssuedDto {
    pub new_due: NaiveDateTime,
    pub file: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn payment_reads_the_form_and_deadline_goes_out_in_camel_case() {
        let p: PaymentDto =
            serde_json::from_value(json!({"method": "cash", "receiptNo": "BL-0001"})).unwrap();
        assert_eq!(p.method, PaymentMethod::Cash);
        assert_eq!(p.receipt_no, "BL-0001");
        assert_eq!(p.paid_at, None);
        let due = chrono::NaiveDate::from_ymd_opt(2026, 2, 26)
            .unwrap()
            .and_hms_opt(9, 15, 0)
            .unwrap();
        let state = DeadlineState {
            colour: DeadlineColour::Yellow,
            remaining_minutes: 435,
            paused_minutes: 0,
            effective_due: due,
            evaluated_at: due,
            stopped: false,
            paused: false,
        };
        let v = serde_json::to_value(DeadlineDto::new(&state, 480)).unwrap();
        assert_eq!(v["colour"], "yellow");
        assert_eq!(v["remainingMinutes"], 435);
        assert_eq!(v["dayMinutes"], 480);
        assert_eq!(v["effectiveDue"], "2026-02-26T09:15:00");
    }
}
