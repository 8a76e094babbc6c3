//! Dossier lifecycle: the local states before submission and the national status codes (TrangThaiHoSo 1–10).
//!
//! Every state change in the application goes through [`Status::transition`], so the rules live in one table.
//! An illegal move is an error naming both states, which is what a clerk (or a bug report) needs to see.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a dossier is in its life. The first four are local to the office (not yet on the portal); the rest are
/// the national portal's TrangThaiHoSo codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being received at the counter: applicant recorded, documents being captured.
    Draft,
    /// Every mandatory document captured and assembled; can be signed.
    Ready,
    /// The clerk signed the dossier's PDFs.
    Signed,
    /// Waiting in the outbox for submission to the portal.
    Queued,
    /// 1 Mới đăng ký (registered online, not yet received).
    NewRegistration,
    /// 2 Được tiếp nhận.
    Received,
    /// 3 Không được tiếp nhận.
    NotAccepted,
    /// 4 Đang xử lý.
    Processing,
    /// 5 Yêu cầu bổ sung giấy tờ (the deadline clock stops).
    SupplementRequested,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính.
    FinancialObligation,
    /// 7 Công dân yêu cầu rút hồ sơ.
    Withdrawn,
    /// 8 Dừng xử lý.
    Stopped,
    /// 9 Đã xử lý xong.
    Processed,
    /// 10 Đã trả kết quả.
    Returned,
}

/// A refused state change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("không thể chuyển hồ sơ từ trạng thái “{}” sang “{}”", from.label_vi(), to.label_vi())]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
}

impl Status {
    pub const ALL: [Status; 14] = [
        Status::Draft,
        Status::Ready,
        Status::Signed,
        Status::Queued,
        Status::NewRegistration,
        Status::Received,
        Status::NotAccepted,
        Status::Processing,
        Status::SupplementRequested,
        Status::FinancialObligation,
        Status::Withdrawn,
        Status::Stopped,
        Status::Processed,
        Status::Returned,
    ];

    /// The national TrangThaiHoSo code, or `None` for local states.
    pub fn national_code(self) -> Option<u8> {
        use Status::*;
        match self {
            Draft | Ready | Signed | Queued => None,
            NewRegistration => Some(1),
            Received => Some(2),
            NotAccepted => Some(3),
            Processing => Some(4),
            SupplementRequested => Some(5),
            FinancialObligation => Some(6),
            Withdrawn => Some(7),
            Stopped => Some(8),
            Processed => Some(9),
            Returned => Some(10),
        }
    }

    /// The status for a national code, as the portal reports it.
    pub fn from_national_code(code: u8) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|s| s.national_code() == Some(code))
    }

    /// Stable machine name (the serde name), used in the database and JSON.
    pub fn as_str(self) -> &'static str {
        use Status::*;
        match self {
            Draft => "draft",
            Ready => "ready",
            Signed => "signed",
            Queued => "queued",
            NewRegistration => "new_registration",
            Received => "received",
            NotAccepted => "not_accepted",
            Processing => "processing",
            SupplementRequested => "supplement_requested",
            FinancialObligation => "financial_obligation",
            Withdrawn => "withdrawn",
            Stopped => "stopped",
            Processed => "processed",
            Returned => "returned",
        }
    }

    pub fn parse(name: &str) -> Option<Status> {
        use Status::*;
        // A match rather than a search of `ALL`: reports parse a few million of these.
        Some(match name {
            "draft" => Draft,
            "ready" => Ready,
            "signed" => Signed,
            "queued" => Queued,
            "new_registration" => NewRegistration,
            "received" => Received,
            "not_accepted" => NotAccepted,
            "processing" => Processing,
            "supplement_requested" => SupplementRequested,
            "financial_obligation" => FinancialObligation,
            "withdrawn" => Withdrawn,
            "stopped" => Stopped,
            "processed" => Processed,
            "returned" => Returned,
            _ => return None,
        })
    }

    /// The Vietnamese label used on the portal and in messages.
    pub fn label_vi(self) -> &'static str {
        use Status::*;
        match self {
            Draft => "Đang tiếp nhận",
            Ready => "Sẵn sàng ký",
            Signed => "Đã ký số",
            Queued => "Chờ gửi",
            NewRegistration => "Mới đăng ký",
            Received => "Được tiếp nhận",
            NotAccepted => "Không được tiếp nhận",
            Processing => "Đang xử lý",
            SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            FinancialObligation => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Stopped => "Dừng xử lý",
            Processed => "Đã xử lý xong",
            Returned => "Đã trả kết quả",
        }
    }

    /// Whether no further change is possible.
    pub fn is_final(self) -> bool {
        Status::ALL
            .into_iter()
            .all(|to| self.transition(to).is_err())
    }

    /// The one place that decides whether `self → to` is allowed.
    ///
    /// Local states may step back (editing a signed dossier invalidates the signature; cancelling a queued job
    /// that has not reached the portal). Once on the portal the national workflow applies: processing may pause
    /// for supplements (5) or fees (6) and resume; 3, 7, 8 and 10 are final.
    pub fn transition(self, to: Status) -> Result<Status, TransitionError> {
        use Status::*;
        let allowed = matches!(
            (self, to),
            (Draft, Ready)
                | (Ready, Draft)
                | (Ready, Signed)
                | (Signed, Draft)
                | (Signed, Queued)
                | (Queued, Signed)
                | (Queued, Received)
                | (Queued, NotAccepted)
                | (Draft | Ready | Signed, Withdrawn)
                | (NewRegistration, Received | NotAccepted | Withdrawn)
                | (Received, Processing | Withdrawn | Stopped)
                | (
                    Processing,
                    SupplementRequested | FinancialObligation | Processed | Withdrawn | Stopped
                )
                | (
                    SupplementRequested | FinancialObligation,
                    Processing | Withdrawn | Stopped
                )
                | (Processed, Returned)
        );
        if allowed {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_the_inverse_of_as_str() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("done"), None);
    }

    #[test]
    fn national_codes_round_trip_one_to_ten() {
        for code in 1..=10 {
            assert_eq!(
                Status::from_national_code(code).unwrap().national_code(),
                Some(code)
            );
        }
        assert_eq!(Status::from_national_code(0), None);
        assert_eq!(Status::from_national_code(11), None);
    }

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
    }

    #[test]
    fn counter_path_to_result() {
        let path = [
            Status::Draft,
            Status::Ready,
            Status::Signed,
            Status::Queued,
            Status::Received,
        ];
        for w in path.windows(2) {
            assert_eq!(w[0].transition(w[1]), Ok(w[1]));
        }
        let mut s = Status::Received;
        for next in [
            Status::Processing,
            Status::SupplementRequested,
            Status::Processing,
            Status::Processed,
            Status::Returned,
        ] {
            s = s.transition(next).unwrap();
        }
        assert!(s.is_final());
    }

    #[test]
    fn illegal_transition_names_both_states() {
        let err = Status::Draft.transition(Status::Returned).unwrap_err();
        assert_eq!(
            err,
            TransitionError {
                from: Status::Draft,
                to: Status::Returned
            }
        );
        let text = err.to_string();
        assert!(
            text.contains("Đang tiếp nhận") && text.contains("Đã trả kết quả"),
            "{text}"
        );
    }

    #[test]
    fn final_states() {
        let finals: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_final()).collect();
        assert_eq!(
            finals,
            vec![
                Status::NotAccepted,
                Status::Withdrawn,
                Status::Stopped,
                Status::Returned
            ]
        );
    }
}
