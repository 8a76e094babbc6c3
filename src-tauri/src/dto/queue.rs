//! Wire shapes of the Hàng đợi (outbox) commands and events, camelCase; `ui/src/lib/backend/queue.ts`
//! mirrors them. Converted from `motcua::store::{OutboxJob, QueuePage, QueueCounts}` and
//! `motcua::sync::{QueueStatus, Event}`.

use motcua::store::{OutboxJob, QueueCounts, QueuePage};
use motcua::sync::{Connectivity, Event, QueueProblem, QueueStatus};
use serde::Serialize;

/// One job of the outbox. `state` is the machine name (`queued`, `uploading`, `submitting`, `accepted`,
/// `failed`, `cancelled`); the UI translates it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueJobDto {
    pub id: i64,
    pub dossier_code: String,
    pub state: &'static str,
    pub attempts: u32,
    /// Unix milliseconds of the next automatic attempt (for "retrying in …").
    pub next_attempt_at_ms: i64,
    /// The last error, or the portal's reasons for a refusal.
    pub last_error: Option<String>,
    /// The portal's receipt number once accepted.
    pub receipt: Option<String>,
    pub files: usize,
    pub bytes_sent: u64,
    pub bytes_total: u64,
    /// Whether the clerk may cancel it (it has not reached the portal).
    pub cancellable: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Why the dossier's result PDF could not be downloaded yet (it is tried again at every poll).
    pub result_error: Option<String>,
}

impl From<&OutboxJob> for QueueJobDto {
    fn from(job: &OutboxJob) -> Self {
        use motcua::store::JobState;
        QueueJobDto {
            id: job.id,
            dossier_code: job.dossier_code.clone(),
            state: job.state.as_str(),
            attempts: job.attempts,
            next_attempt_at_ms: job.next_attempt_at,
            last_error: job.last_error.clone(),
            receipt: job.receipt.clone(),
            files: job.files.len(),
            bytes_sent: job.sent_bytes(),
            bytes_total: job.total_bytes(),
            // The same rule as `Store::cancel_job`.
            cancellable: matches!(job.state, JobState::Queued | JobState::Uploading)
                || (job.state == JobState::Failed && job.receipt.is_none()),
            created_at: job.created_at.clone(),
            updated_at: job.updated_at.clone(),
            result_error: job.result_error.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueCountsDto {
    pub waiting: u64,
    pub due: u64,
    pub failed: u64,
    pub accepted: u64,
    pub cancelled: u64,
}

impl From<QueueCounts> for QueueCountsDto {
    fn from(c: QueueCounts) -> Self {
        QueueCountsDto {
            waiting: c.waiting,
            due: c.due,
            failed: c.failed,
            accepted: c.accepted,
            cancelled: c.cancelled,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuePageDto {
    pub jobs: Vec<QueueJobDto>,
    pub total: u64,
    pub counts: QueueCountsDto,
}

impl From<&QueuePage> for QueuePageDto {
    fn from(page: &QueuePage) -> Self {
        QueuePageDto {
            jobs: page.jobs.iter().map(QueueJobDto::from).collect(),
            total: page.total,
            counts: page.counts.into(),
        }
    }
}

/// Why the queue cannot progress: `kind` is `notConfigured`, `tokenRejected` or `store`; `message` is
/// the core's Vietnamese detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueProblemDto {
    pub kind: &'static str,
    pub message: Option<String>,
}

/// The header indicator and the screen's status line (event `queue://status`, command `queue_status`).
/// `connectivity`: `unknown`, `online`, `offline` or `notConfigured`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueStatusDto {
    pub connectivity: &'static str,
    pub paused: bool,
    pub counts: QueueCountsDto,
    pub problem: Option<QueueProblemDto>,
}

impl From<&QueueStatus> for QueueStatusDto {
    fn from(s: &QueueStatus) -> Self {
        QueueStatusDto {
            connectivity: match s.connectivity {
                Connectivity::Unknown => "unknown",
                Connectivity::Online => "online",
                Connectivity::Offline => "offline",
                Connectivity::NotConfigured => "notConfigured",
            },
            paused: s.paused,
            counts: s.counts.into(),
            problem: s.problem.as_ref().map(|p| match p {
                QueueProblem::NotConfigured { message } => QueueProblemDto {
                    kind: "notConfigured",
                    message: Some(message.clone()),
                },
                QueueProblem::TokenRejected => QueueProblemDto {
                    kind: "tokenRejected",
                    message: None,
                },
                QueueProblem::Store { message } => QueueProblemDto {
                    kind: "store",
                    message: Some(message.clone()),
                },
            }),
        }
    }
}

/// One worker event (event `queue://job`), tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum QueueEventDto {
    /// Upload progress of a job; `etaSecs` is null while the speed is unknown.
    Progress {
        job: i64,
        dossier: String,
        sent: u64,
        total: u64,
        bytes_per_sec: f64,
        eta_secs: Option<f64>,
    },
    Accepted {
        job: i64,
        dossier: String,
        receipt: String,
    },
    Failed {
        job: i64,
        dossier: String,
        reason: String,
    },
    Retrying {
        job: i64,
        dossier: String,
        error: String,
        in_ms: i64,
    },
    TokenRejected,
    StatusChanged {
        dossier: String,
        national_status: u8,
    },
    ResultDownloaded {
        dossier: String,
    },
    ResultFailed {
        dossier: String,
        reason: String,
    },
}

impl From<&Event> for QueueEventDto {
    fn from(e: &Event) -> Self {
        match e.clone() {
            Event::Progress {
                job,
                dossier,
                sent,
                total,
                bytes_per_sec,
                eta_secs,
            } => QueueEventDto::Progress {
                job,
                dossier,
                sent,
                total,
                bytes_per_sec,
                eta_secs: eta_secs.is_finite().then_some(eta_secs),
            },
            Event::Accepted {
                job,
                dossier,
                receipt,
            } => QueueEventDto::Accepted {
                job,
                dossier,
                receipt,
            },
            Event::Failed {
                job,
                dossier,
                reason,
            } => QueueEventDto::Failed {
                job,
                dossier,
                reason,
            },
            Event::Retrying {
                job,
                dossier,
                error,
                in_ms,
            } => QueueEventDto::Retrying {
                job,
                dossier,
                error,
                in_ms,
            },
            Event::TokenRejected => QueueEventDto::TokenRejected,
            Event::StatusChanged {
                dossier,
                national_status,
            } => QueueEventDto::StatusChanged {
                dossier,
                national_status,
            },
            Event::ResultDownloaded { dossier, .. } => QueueEventDto::ResultDownloaded { dossier },
            Event::ResultFailed { dossier, reason } => {
                QueueEventDto::ResultFailed { dossier, reason }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_cross_as_camel_case_tagged_json() {
        let progress = QueueEventDto::from(&Event::Progress {
            job: 7,
            dossier: "X".into(),
            sent: 10,
            total: 20,
            bytes_per_sec: 5.0,
            eta_secs: f64::INFINITY,
        });
        assert_eq!(
            serde_json::to_value(progress).unwrap(),
            serde_json::json!({"kind": "progress", "job": 7, "dossier": "X", "sent": 10, "total": 20,
                "bytesPerSec": 5.0, "etaSecs": null})
        );
        let retrying = QueueEventDto::from(&Event::Retrying {
            job: 1,
            dossier: "X".into(),
            error: "e".into(),
            in_ms: 30,
        });
        assert_eq!(
            serde_json::to_value(retrying).unwrap()["inMs"],
            serde_json::json!(30)
        );
    }
}
